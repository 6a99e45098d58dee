"""Development mode's one port: an ASGI front that forwards to two local servers.

``run_reflex`` in development runs three things (see
:mod:`reflex_django.dev_server`): this front on the public port, the backend
(Django and Reflex, under uvicorn's reloader) and Vite's dev server, each of
the last two on a private loopback port. The front is why the page keeps
its hot-update socket when the backend restarts: Vite's client reloads the
whole page whenever that socket drops, so the socket must not run through
a process that restarts on every save.

The front routes on what only Vite can want, and sends everything else to
the backend, whose own layers (the dispatcher, ``urls.py``, the mount view)
then decide as in production:

* a WebSocket that asks for Vite's subprotocols (``vite-hmr``, ``vite-ping``)
  goes to Vite;
* HTTP under Vite's own namespaces (``/@vite/``, ``/@id/``, ``/@fs/``, any
  first segment starting with ``@``, and ``/node_modules/``) goes to Vite:
  no Django route or SPA page can live there, and a page load fetches
  hundreds of such modules;
* everything else goes to the backend, with the browser's ``Host``, cookies
  and ``Origin`` untouched, and the client's address in ``X-Forwarded-For``.

While the backend restarts, requests for it wait until it answers again
(up to :data:`BACKEND_RESTART_WAIT` seconds) instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

#: Seconds a request waits for a restarting backend (Django and Reflex boot,
#: then Reflex compiles the pages) before the front answers 502.
BACKEND_RESTART_WAIT = 60.0
#: Seconds between two attempts to reach a restarting backend.
RETRY_INTERVAL = 0.1

#: The subprotocols of Vite's hot-update socket and of its "are you back?" probe.
VITE_SUBPROTOCOLS = ("vite-hmr", "vite-ping")
#: Served by Vite alone: pre-bundled dependencies.
VITE_PATH_PREFIXES = ("/node_modules/",)

#: Headers that describe one hop of a connection, never forwarded (RFC 9110, 7.6.1).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
#: Set by the front itself, from the connection it accepted.
FORWARDING_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto"})
#: The WebSocket handshake's own headers, which the upstream client writes anew.
WEBSOCKET_HANDSHAKE = frozenset(
    {
        "host",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
        "sec-websocket-protocol",
    }
)

logger = logging.getLogger("reflex_django.dev")

T = TypeVar("T")


def keep_no_cookies() -> CookieJar:
    """A cookie jar that refuses every cookie.

    The front's one client carries every browser's requests. By default an
    httpx client keeps the cookies its answers set and sends them with its
    next requests, so a second browser, which has no cookie yet, would be
    sent in with the first one's session: its login, its cart.
    """
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def is_vite_path(path: str) -> bool:
    """Whether an HTTP ``path`` lies in a namespace only Vite serves."""
    first_segment = path.lstrip("/").split("/", 1)[0]
    return first_segment.startswith("@") or path.startswith(VITE_PATH_PREFIXES)


def asks_for_vite(scope: Scope) -> bool:
    """Whether ``scope`` is for Vite's dev server rather than for the backend."""
    if scope["type"] == "websocket":
        return any(p in VITE_SUBPROTOCOLS for p in scope.get("subprotocols") or ())
    return is_vite_path(scope["path"])


def forwarded_headers(scope: Scope, drop: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The request's headers for the next hop, plus who the client is.

    ``X-Forwarded-For`` is replaced, not appended to: the front is the first
    hop, so whatever a client wrote there is a lie.
    """
    skipped = HOP_BY_HOP | FORWARDING_HEADERS | set(drop)
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in scope.get("headers", [])
        if name.decode("latin-1").lower() not in skipped
    ]
    client = scope.get("client")
    if client:
        headers.append(("x-forwarded-for", client[0]))
    secure = scope.get("scheme") in ("https", "wss")
    headers.append(("x-forwarded-proto", "https" if secure else "http"))
    return headers


def target_path(scope: Scope) -> str:
    """The request's path and query string, as the browser sent them."""
    raw = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    return (raw + (b"?" + query if query else b"")).decode("latin-1")


class UpstreamProxy:
    """An ASGI app that forwards HTTP and WebSocket scopes to one local server."""

    def __init__(self, base_url: str, wait_for_upstream: float = 0.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.base_url = base_url.rstrip("/")
        self.wait_for_upstream = wait_for_upstream
        # No proxy from the environment: the upstream is on this machine.
        self.client = httpx.AsyncClient(timeout=None, trust_env=False, cookies=keep_no_cookies())

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.forward_http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self.forward_websocket(scope, receive, send)

    async def retrying(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run ``attempt()``; while the upstream refuses connections, try again.

        Only the backend's first start needs it: across its restarts,
        uvicorn's reloader keeps the listening socket open, so connections
        queue until the new worker accepts them.
        """
        deadline = asyncio.get_running_loop().time() + self.wait_for_upstream
        while True:
            try:
                return await attempt()
            except (httpx.ConnectError, OSError):
                if asyncio.get_running_loop().time() >= deadline:
                    raise
                await asyncio.sleep(RETRY_INTERVAL)

    async def forward_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        more = True
        while more:  # dev requests are small: read the body whole, so it can be resent
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        request = self.client.build_request(
            scope["method"],
            self.base_url + target_path(scope),
            headers=forwarded_headers(scope),
            content=body,
        )
        try:
            response = await self.retrying(lambda: self.client.send(request, stream=True))
        except httpx.HTTPError as error:
            logger.warning("No answer from %s for %s: %s", self.base_url, scope["path"], error)
            await send_text(send, 502, f"No answer from the development server {self.base_url}.")
            return
        try:
            headers = [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name, value in response.headers.multi_items()
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length"
            ]
            await send(
                {"type": "http.response.start", "status": response.status_code, "headers": headers}
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()

    async def forward_websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (await receive())["type"] != "websocket.connect":
            return
        headers = forwarded_headers(scope, drop=WEBSOCKET_HANDSHAKE | {"origin"})
        # The URI carries the browser's Host (Django and the origin check read
        # it); host= and port= say where the connection really goes.
        host = _header(scope, "host") or f"{self.host}:{self.port}"
        uri = f"ws://{host}{target_path(scope)}"
        subprotocols = list(scope.get("subprotocols") or ()) or None
        try:
            upstream = await self.retrying(
                lambda: connect(
                    uri,
                    host=self.host,
                    port=self.port,
                    proxy=None,
                    subprotocols=subprotocols,
                    additional_headers=headers,
                    origin=_header(scope, "origin"),
                    compression=None,
                    max_size=None,
                    open_timeout=10,
                )
            )
        except (OSError, InvalidStatus, TimeoutError) as error:
            logger.warning("No WebSocket from %s for %s: %s", self.base_url, scope["path"], error)
            await send({"type": "websocket.close", "code": 1011})
            return
        async with upstream:
            await send({"type": "websocket.accept", "subprotocol": upstream.subprotocol})
            await bridge(upstream, receive, send)


def _header(scope: Scope, name: str) -> str | None:
    """The first value of header ``name`` (lower case) in ``scope``, if any."""
    for key, value in scope.get("headers", []):
        if key.decode("latin-1").lower() == name:
            return value.decode("latin-1")
    return None


async def bridge(upstream: ClientConnection, receive: Receive, send: Send) -> None:
    """Copy frames both ways until either side closes."""

    async def downstream_to_upstream() -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                await upstream.close()
                return
            if message.get("bytes") is not None:
                await upstream.send(message["bytes"])
            elif message.get("text") is not None:
                await upstream.send(message["text"])

    async def upstream_to_downstream() -> None:
        try:
            async for frame in upstream:
                key = "bytes" if isinstance(frame, bytes) else "text"
                await send({"type": "websocket.send", key: frame})
        except ConnectionClosed:
            pass
        with contextlib.suppress(Exception):  # the browser may be gone already
            await send({"type": "websocket.close", "code": upstream.close_code or 1000})

    tasks = [
        asyncio.ensure_future(downstream_to_upstream()),
        asyncio.ensure_future(upstream_to_downstream()),
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def send_text(send: Send, status: int, text: str) -> None:
    """A plain-text answer from the front itself."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


class DevFront:
    """The public port in development: Vite's paths to Vite, the rest to the backend."""

    def __init__(self, backend_url: str, vite_url: str) -> None:
        self.backend = UpstreamProxy(backend_url, wait_for_upstream=BACKEND_RESTART_WAIT)
        self.vite = UpstreamProxy(vite_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        elif scope["type"] in ("http", "websocket"):
            upstream = self.vite if asks_for_vite(scope) else self.backend
            await upstream(scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.backend.aclose()
                await self.vite.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return
