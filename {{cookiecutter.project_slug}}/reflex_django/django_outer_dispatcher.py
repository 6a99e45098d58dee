"""Layer 1: the outer ASGI dispatcher, the first thing every scope meets.

It answers one question per scope: is this a path Reflex must handle itself?

* ``lifespan`` goes to Reflex, whose event processor and background tasks
  start and stop with the server (Django's handler has no lifespan support).
* HTTP and WebSocket scopes under a reserved prefix go to Reflex, even when
  ``urls.py`` has a route there: Reflex's socket must never be shadowed.
* Any other WebSocket is refused at the handshake, cleanly: Django never sees
  WebSocket scopes.
* Any other HTTP request goes to Django.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from .prefixes import normalize_prefixes, owning_prefix, reserved_reflex_prefixes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Close code for a WebSocket path nobody serves (RFC 6455: policy violation).
UNKNOWN_WEBSOCKET_CLOSE_CODE = 1008


class DjangoOuterDispatcher:
    """Send each ASGI scope to Django or to Reflex's backend."""

    def __init__(
        self,
        django_app: ASGIApp,
        reflex_app: ASGIApp,
        reserved_prefixes: Iterable[str] | None = None,
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

    def is_reserved(self, path: str) -> bool:
        """Whether Reflex owns ``path`` (whole segments: not ``/_eventual``)."""
        return owning_prefix(path, self.reserved_prefixes) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "lifespan":
            await self.reflex_app(scope, receive, send)
        elif scope_type not in ("http", "websocket"):
            raise ValueError(f"Unsupported ASGI scope type {scope_type!r}.")
        elif self.is_reserved(scope["path"]):
            await self.reflex_app(scope, receive, send)
        elif scope_type == "websocket":
            await refuse_websocket(receive, send)
        else:
            await self.django_app(scope, receive, send)


async def refuse_websocket(receive: Receive, send: Send) -> None:
    """Turn down a WebSocket handshake that no app here serves.

    Closing before accepting makes the server answer the handshake with
    HTTP 403, which browsers report as a failed connection: no traceback on
    the server, no half-open socket on the client.
    """
    message = await receive()
    if message["type"] == "websocket.connect":
        await send(
            {
                "type": "websocket.close",
                "code": UNKNOWN_WEBSOCKET_CLOSE_CODE,
                "reason": "No WebSocket endpoint at this path.",
            }
        )
