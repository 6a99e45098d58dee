"""Keep the browser's cookies out of Reflex's state store.

Reflex copies each socket's handshake headers into the tab's router data,
which its state manager persists (pickles under ``.states/``, or Redis). The
``Cookie`` header carries the HttpOnly session key and the CSRF secret, so
persisting it would hand a live session to anyone who can read the store.

So the dispatcher takes the header out of every scope it gives Reflex and
parks it in the scope under :data:`SCOPE_KEY`, which Reflex never copies.
The scope lives as long as its socket, in this process's memory only; an
event handler finds it again through its socket's id
(:func:`cookie_header_for_socket`).
"""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

#: Where the dispatcher parks the ``Cookie`` header of a scope bound for Reflex.
SCOPE_KEY = "reflex_django.cookie"

#: Other credentials a browser or an identity-aware proxy may send. Reflex
#: would store them too; no event needs them, so they are dropped.
CREDENTIAL_HEADERS = frozenset(
    {
        b"authorization",
        b"proxy-authorization",
        b"cf-access-jwt-assertion",
        b"x-goog-iap-jwt-assertion",
    }
)

#: The Socket.IO namespace of Reflex's state channel.
EVENT_NAMESPACE = "/_event"


def hide_cookies(scope: Scope) -> Scope:
    """A copy of ``scope`` whose ``Cookie`` header is parked under :data:`SCOPE_KEY`,
    and whose other credential headers (:data:`CREDENTIAL_HEADERS`) are gone."""
    headers = scope.get("headers", [])
    cookies = b"; ".join(value for name, value in headers if name == b"cookie")
    kept = [(n, v) for n, v in headers if n != b"cookie" and n not in CREDENTIAL_HEADERS]
    return {**scope, "headers": kept, SCOPE_KEY: cookies.decode("latin-1")}


def cookie_header_for_socket(sid: str) -> str:
    """The ``Cookie`` header that the live socket ``sid`` connected with.

    A socket that has gone away (or never existed) has no cookies: an event
    from it is anonymous.
    """
    from .reflex_app import app  # the app is built by the time events arrive

    environ: dict[str, Any] | None = app.sio.get_environ(sid, EVENT_NAMESPACE) if app.sio else None
    if not environ:
        return ""
    return environ.get("asgi.scope", {}).get(SCOPE_KEY, "")
