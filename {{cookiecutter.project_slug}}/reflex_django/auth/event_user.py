"""The user ``SessionGuard`` loaded for the event being handled, reused by its handlers.

Before every event ``SessionGuard`` resolves the socket's user: the session,
then the user row. A handler that asks again (``await request.auser()``,
``AuthState.refresh``) would repeat both. Instead the guard's answer is
kept for the rest of that event, as Django keeps ``request.user`` for the
rest of a request; the next event resolves it afresh, so a logout in any
tab is still seen by every other tab's next event.

The answer lives in a context variable, set in the event's own task: no
other event, socket or session can see it. It names the socket and the
cookie it was loaded for and is used only by a request for the same ones.
A logout inside the event forgets it (``AuthState.logout``), so the
handlers after it see an anonymous user.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EventUser:
    """A user, and the socket and ``Cookie`` header it was resolved from."""

    socket: str
    cookie: str
    user: Any


_current: ContextVar[EventUser | None] = ContextVar("reflex_django_event_user", default=None)


def remember(socket: str, cookie: str, user: Any) -> None:
    """Keep ``user`` for the rest of the current event."""
    _current.set(EventUser(socket, cookie, user))


def recall(socket: str, cookie: str) -> Any | None:
    """The user kept for this event, if it was resolved for this socket and cookie."""
    kept = _current.get()
    if kept is None or (kept.socket, kept.cookie) != (socket, cookie):
        return None
    return kept.user


def forget() -> None:
    """Drop the kept user: after a logout, say."""
    _current.set(None)
