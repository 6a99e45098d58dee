"""Layer 1: the outer ASGI dispatcher, the first thing every scope meets.

It answers one question per scope: is this a path Reflex must handle itself?

* ``lifespan`` goes to Reflex, whose event processor and background tasks
  start and stop with the server (Django's handler has no lifespan support).
* HTTP and WebSocket scopes under a reserved prefix go to Reflex, even when
  ``urls.py`` has a route there: Reflex's socket must never be shadowed.
* Any other WebSocket is refused at the handshake, cleanly: Django never sees
  WebSocket scopes.
* Any other HTTP request goes to Django.
* A scope of any other type is dropped, with a warning.

Before Reflex's stateful endpoints (``/_event``, ``/_upload``) see a scope,
its ``Origin`` must be one of the site's own (:mod:`reflex_django.origins`):
Reflex itself accepts any, which would let other sites use a visitor's
session over the socket. And no scope reaches Reflex with its ``Cookie``
header, which Reflex would persist with the tab's state
(:mod:`reflex_django.socket_cookies`). One client address may hold only so
many of Reflex's sockets open, and a socket that sends a malformed frame is
closed with one line in the log.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from .conf import setting
from .origins import OriginPolicy, scope_headers
from .prefixes import normalize_prefixes, owning_prefix, reserved_reflex_prefixes
from .socket_cookies import hide_cookies

#: Close code for a refused handshake (RFC 6455: policy violation).
POLICY_VIOLATION = 1008

#: Reflex endpoints that act with the visitor's cookies: same-origin only.
ORIGIN_CHECKED_PREFIXES = ("/_event", "/_upload")

#: Reflex's upload endpoint, refused unless REFLEX_DJANGO_ALLOW_UPLOADS is on.
UPLOAD_PREFIX = "/_upload"

logger = logging.getLogger("reflex_django.security")


class DjangoOuterDispatcher:
    """Send each ASGI scope to Django or to Reflex's backend."""

    def __init__(
        self,
        django_app: ASGIApp,
        reflex_app: ASGIApp,
        reserved_prefixes: Iterable[str] | None = None,
        origin_policy: OriginPolicy | None = None,
        max_sockets_per_client: int | None = None,
        allow_uploads: bool | None = None,
    ) -> None:
        self.django_app = django_app
        self.reflex_app = reflex_app
        # Read once, as WhiteNoise reads its settings: the dispatcher is on the
        # hot path of every request.
        self.reserved_prefixes = (
            reserved_reflex_prefixes()
            if reserved_prefixes is None
            else normalize_prefixes(reserved_prefixes)
        )
        self.origin_policy = origin_policy or OriginPolicy.from_settings()
        self.max_sockets_per_client = (
            setting("MAX_SOCKETS_PER_CLIENT")
            if max_sockets_per_client is None
            else max_sockets_per_client
        )
        #: Open WebSockets per client address, in this process.
        self.open_sockets: Counter[str] = Counter()
        self.allow_uploads = setting("ALLOW_UPLOADS") if allow_uploads is None else allow_uploads

    def is_reserved(self, path: str) -> bool:
        """Whether Reflex owns ``path`` (whole segments: not ``/_eventual``)."""
        return owning_prefix(path, self.reserved_prefixes) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "lifespan":
            await self.reflex_app(scope, receive, send)
        elif scope_type not in ("http", "websocket"):
            # A server speaking a newer ASGI (say, "webtransport"): decline it
            # with a warning rather than a traceback.
            logger.warning("Dropped an ASGI scope of unsupported type %r.", scope_type)
        elif not self.is_reserved(scope["path"]):
            if scope_type == "websocket":
                await refuse_websocket(receive, send, "No WebSocket endpoint at this path.")
            else:
                await self.django_app(scope, receive, send)
        elif self.is_cross_site(scope):
            await refuse_cross_site(scope, receive, send)
        elif not self.allow_uploads and owning_prefix(scope["path"], (UPLOAD_PREFIX,)):
            await refuse_upload(scope, receive, send)
        elif scope_type == "websocket":
            await self.reflex_socket(scope, receive, send)
        else:
            await self.reflex_app(hide_cookies(scope), receive, send)

    async def reflex_socket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand a WebSocket to Reflex, unless its client has too many open already.

        Every socket gets a tab state that Reflex keeps until its token
        expires, so one client must not be able to open sockets without end.
        """
        client = (scope.get("client") or ("",))[0]
        if self.open_sockets[client] >= self.max_sockets_per_client:
            logger.warning(
                "Refused a WebSocket from %s: %d already open.", client, self.open_sockets[client]
            )
            await refuse_websocket(receive, send, "Too many open connections from this address.")
            return
        self.open_sockets[client] += 1
        try:
            await self.reflex_app(hide_cookies(scope), receive, send)
        except ValueError as error:
            # Engine.IO reads each frame in the socket's own loop and raises
            # ValueError (JSONDecodeError included) at the first malformed one.
            # That is the client's fault: one line in the log, and the server
            # closes the socket, as it does when an app returns.
            logger.warning("Closed a WebSocket from %s after a malformed frame: %s", client, error)
        finally:
            self.open_sockets[client] -= 1
            if not self.open_sockets[client]:
                del self.open_sockets[client]

    def is_cross_site(self, scope: Scope) -> bool:
        """Whether a stateful Reflex endpoint is asked from another site's page."""
        checked = owning_prefix(scope["path"], ORIGIN_CHECKED_PREFIXES) is not None
        return checked and not self.origin_policy.allows(scope)


async def refuse_cross_site(scope: Scope, receive: Receive, send: Send) -> None:
    """Turn away a cross-site request to Reflex, and say so in the log."""
    origin = scope_headers(scope).get("origin")
    logger.warning(
        "Refused a cross-site %s to %s from Origin %r.", scope["type"], scope["path"], origin
    )
    if scope["type"] == "websocket":
        await refuse_websocket(receive, send, "Cross-site WebSocket refused.")
        return
    await send_forbidden(
        send, b"Cross-site request refused: this Origin is not one of the site's own."
    )


async def refuse_upload(scope: Scope, receive: Receive, send: Send) -> None:
    """Turn away an upload: they are off unless the project turns them on.

    An upload event runs with the identity of the tab's socket, found by the
    token the request names, not with the upload request's own cookies. So
    a client that knows a tab's token could upload as that tab's user. The
    template has no upload handler; a project that adds one turns uploads on
    knowing this (see the README).
    """
    if scope["type"] == "websocket":
        await refuse_websocket(receive, send, "Uploads are turned off.")
        return
    await send_forbidden(
        send, b"Uploads are turned off on this site (REFLEX_DJANGO_ALLOW_UPLOADS)."
    )


async def send_forbidden(send: Send, body: bytes) -> None:
    """A plain-text 403 that says why."""
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def refuse_websocket(receive: Receive, send: Send, reason: str) -> None:
    """Turn down a WebSocket handshake.

    Closing before accepting makes the server answer the handshake with
    HTTP 403, which browsers report as a failed connection: no traceback on
    the server, no half-open socket on the client.
    """
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": reason})
