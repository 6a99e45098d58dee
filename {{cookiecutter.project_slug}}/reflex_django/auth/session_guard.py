"""A tab's private state never outlives the session it was loaded for.

Reflex keeps each tab's state under the tab's token, and that token is no
secret (it travels in every socket URL). So before every event, hydration
included, :class:`SessionGuard` asks Django who this socket's session
belongs to now. When that is no longer the user the tab's state was loaded
for (a logout, an expired session, a password change elsewhere, or someone
else's socket presenting the token), every session-bound state is reset
before anything is computed or sent.

Session-bound states are :class:`~reflex_django.auth.state.AuthState` and
the states whose handlers a ``login_required`` page runs on load.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from ..pages import registered_pages
from .event_user import forget, remember
from .request import django_request
from .state import AuthState


def handler_states(on_load: Any) -> list[type[rx.State]]:
    """The state classes behind a page's ``on_load`` (a handler, a spec, or a list of them)."""
    handlers = on_load if isinstance(on_load, (list, tuple)) else [on_load]
    states = []
    for handler in handlers:
        handler = getattr(handler, "handler", handler)  # an EventSpec wraps its handler
        if isinstance(state := getattr(handler, "state", None), type):
            states.append(state)
    return states


def session_bound_states() -> list[type[rx.State]]:
    """AuthState and the states ``login_required`` pages load."""
    states: dict[type[rx.State], None] = {AuthState: None}
    for page in registered_pages():
        if page.login_required:
            states.update(dict.fromkeys(handler_states(page.on_load)))
    return list(states)


class SessionGuard(rx.Middleware):
    """Reset session-bound states when the socket's user is not theirs."""

    async def preprocess(self, app: Any, state: rx.State, event: Any) -> None:
        request = django_request(state)
        forget()  # resolve afresh: this is a new event
        user = await request.auser()
        # The event's handlers reuse it rather than read it again.
        remember(state.router.session.session_id, request.headers.get("cookie", ""), user)
        user_key = str(user.pk) if user.is_authenticated else ""
        auth = await state.get_state(AuthState)
        loaded_for = auth._loaded_for
        if loaded_for and loaded_for != user_key:
            for state_class in session_bound_states():
                (await state.get_state(state_class)).reset()
        if loaded_for != user_key:
            auth._loaded_for = user_key
        auth._show(user)
        return None
