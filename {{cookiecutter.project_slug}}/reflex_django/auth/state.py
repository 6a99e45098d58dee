"""Reflex states of the auth pages: thin adapters over ``accounts.py``.

Every handler builds the Django request for its event (``django_request``)
and resolves the user from the session at that moment, so no handler acts
on a user that has since logged out. ORM work runs in
``reflex_django.threads.run_sync``, never on Django's one shared thread.

A tab's socket keeps the cookies it connected with. So a login or logout
tells the browser's other tabs of this site to reload (a BroadcastChannel),
and they reconnect with the new session cookie.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import reflex as rx
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reflex.event import EventSpec

from ..origins import asgi_header_name
from ..pages import page_for_route
from ..threads import run_for_client, run_sync
from . import accounts
from .backends import client_of
from .conf import auth_settings
from .event_user import forget
from .request import EventRequest, csrf_secret, django_request
from .urls import SESSION_URL

NO_CSRF_COOKIE = gettext_lazy(
    "Your browser did not send the site's cookies. "
    "Enable cookies for this site, reload the page and try again."
)

#: Tabs of this site listen here, and reload when another tab logs in or out.
SESSION_CHANNEL = "reflex_django.session"

LISTEN_JS = f"""(() => {{
  if (!window.reflexDjangoSession) {{
    window.reflexDjangoSession = new BroadcastChannel({json.dumps(SESSION_CHANNEL)});
    window.reflexDjangoSession.onmessage = () => window.location.reload();
  }}
}})()"""

#: Sent on this tab's own channel when it has one: a channel never hears itself.
ANNOUNCE_JS = (
    f"(window.reflexDjangoSession || new BroadcastChannel({json.dumps(SESSION_CHANNEL)}))"
    ".postMessage('changed')"
)

#: Runs in the browser after a successful password check: POST the ticket to
#: Django's session view (which sets the HttpOnly cookie), tell the other
#: tabs, then load ``next`` as a new page, so that the WebSocket reconnects
#: with the new cookie. Resolves to an error message, or to "" when leaving.
HAND_OFF_JS = """async (url, ticket, csrfHeader, csrfToken, messages) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {[csrfHeader]: csrfToken},
      body: new URLSearchParams({ticket}),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      %(announce)s;
      window.location.assign(body.next);
      return "";
    }
    if (response.status === 403) {
      return messages.stale;
    }
    return body.error || messages.failed.replace("%%(status)s", response.status);
  } catch (error) {
    return messages.offline;
  }
}""" % {"announce": ANNOUNCE_JS}  # noqa: UP031 (str.format would trip on the braces)


def hand_off(ticket: str, csrf_token: str, on_error: rx.EventHandler) -> EventSpec:
    """The browser side of a login: redeem ``ticket`` at Django's session view."""
    url = reverse(SESSION_URL)
    messages = {
        "stale": _(
            "This page is out of date (did another tab log in or out?). Reload it and try again."
        ),
        "failed": _("The login failed (HTTP %(status)s). Reload the page and try again."),
        "offline": _("The server could not be reached. Check your connection and try again."),
    }
    args = (url, ticket, asgi_header_name(settings.CSRF_HEADER_NAME), csrf_token, messages)
    call = f"({HAND_OFF_JS})({', '.join(json.dumps(arg) for arg in args)})"
    return rx.call_script(call, callback=on_error)


def joined_errors(field_errors: dict[str, list[str]]) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in field_errors.items()}


class AuthState(rx.State):
    """Who is logged in, for components; logout and the login guard."""

    username: str = ""
    is_authenticated: bool = False
    #: The user's pk the tab's session-bound states were loaded for ("" for
    #: nobody); ``SessionGuard`` resets them all when the socket's user differs.
    _loaded_for: str = ""

    def _show(self, user: Any) -> None:
        """Show ``user``; unchanged values stay clean, so no delta is sent."""
        username = user.get_username() if user.is_authenticated else ""
        if (self.is_authenticated, self.username) != (user.is_authenticated, username):
            self.is_authenticated, self.username = user.is_authenticated, username

    async def _resolve_user(self) -> None:
        """Load the user from the session now, and show it."""
        self._show(await django_request(self).auser())

    @rx.event
    async def refresh(self) -> EventSpec:
        """Re-read the user; put it on a page's ``on_mount`` to show who is in.

        It also has the tab listen for logins and logouts in other tabs.
        """
        await self._resolve_user()
        return rx.call_script(LISTEN_JS)

    @rx.event
    async def logout(self) -> list[EventSpec]:
        """Log out, then load the next page from the server, not the client router.

        That document starts a fresh session (``reflex_django.visitors``),
        which an event handler could not: the browser's cookie still names
        the deleted one.
        """
        await run_sync(accounts.log_out)(django_request(self))
        forget()  # the rest of this event must not reuse the user it started with
        self.is_authenticated, self.username = False, ""
        target = json.dumps(auth_settings().logout_redirect)
        return [rx.call_script(ANNOUNCE_JS), rx.call_script(f"window.location.assign({target})")]

    @rx.event
    async def require_login(self) -> Any:
        """The ``on_load`` of ``login_required`` pages.

        Anonymous visitors go to the login page, with ``next`` pointing back.
        The page's own ``on_load`` handlers run only after a user is found,
        so they never load private data into an anonymous visitor's state.
        """
        await self._resolve_user()
        if self.is_authenticated:
            page = page_for_route(self.router.route_id)
            return page.on_load if page else None
        url = self.router.url
        here = url.path + (f"?{url.query}" if url.query else "")
        query = urlencode({"next": here})
        return rx.redirect(f"{auth_settings().login_route}?{query}", replace=True)


class AuthForm(rx.State, mixin=True):
    """What every auth form shows: one error, and errors per field."""

    error: str = ""
    errors: dict[str, str] = {}

    @rx.event
    def clear(self) -> None:
        """``on_load``: each visit starts with a clean form."""
        self.reset()

    @rx.event
    def show_error(self, error: str) -> None:
        self.error = error

    def _show(self, outcome: accounts.Outcome) -> None:
        self.error, self.errors = outcome.error, joined_errors(outcome.field_errors)

    async def _sign_in(
        self, request: EventRequest, operation: Callable[..., accounts.Outcome], *args: Any
    ) -> EventSpec | None:
        """Log in by ``operation`` (``log_in`` or ``register``), then hand the ticket to Django.

        The operation runs after this client's previous one (it hashes a
        password), and gets the page's ``?next=`` last.
        """
        if not (csrf_token := await self._csrf_token(request)):
            return None
        next_path = self.router.url.query_parameters.get("next")
        client = client_of(request)  # the throttle's notion of a client: IPv6 by /64
        outcome = await run_for_client(client, operation, request, *args, next_path)
        self._show(outcome)
        return hand_off(outcome.ticket, csrf_token, type(self).show_error) if outcome.ok else None

    async def _csrf_token(self, request: EventRequest) -> str:
        """The token the login hand-off will need; without one, say why."""
        token = await run_sync(csrf_secret)(request)
        if not token:
            self.error = str(NO_CSRF_COOKIE)
        return token


class LoginState(AuthForm, rx.State):
    @rx.event
    async def submit(self, form: dict[str, str]) -> EventSpec | None:
        request = django_request(self)
        login, password = form.get("login", ""), form.get("password", "")
        await asyncio.sleep(await run_sync(accounts.login_delay)(request, login))
        return await self._sign_in(request, accounts.log_in, login, password)


class RegisterState(AuthForm, rx.State):
    @rx.event
    async def submit(self, form: dict[str, str]) -> EventSpec | None:
        return await self._sign_in(django_request(self), accounts.register, form)


class PasswordResetState(AuthForm, rx.State):
    sent: bool = False

    @rx.event
    async def submit(self, form: dict[str, str]) -> None:
        request = django_request(self)
        client = client_of(request)  # the throttle's notion of a client: IPv6 by /64
        outcome = await run_for_client(
            client, accounts.request_password_reset, request, form.get("email", "")
        )
        self._show(outcome)
        self.sent = outcome.ok


class PasswordResetConfirmState(AuthForm, rx.State):
    """The page the emailed link opens: ``?uid=...&token=...``."""

    link_valid: bool = False
    done: bool = False

    def _link(self) -> tuple[str, str]:
        params = self.router.url.query_parameters
        return params.get("uid", ""), params.get("token", "")

    @rx.event
    async def check_link(self) -> None:
        """``on_load``: a dead link says so before anyone types a password."""
        self.reset()
        user = await run_sync(accounts.reset_link_user)(*self._link())
        self.link_valid = user is not None
        self.error = "" if self.link_valid else str(accounts.INVALID_RESET_LINK)

    @rx.event
    async def submit(self, form: dict[str, str]) -> None:
        outcome = await run_sync(accounts.reset_password)(*self._link(), form)
        self._show(outcome)
        self.done = outcome.ok
