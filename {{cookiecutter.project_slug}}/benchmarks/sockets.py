"""Reflex events over a real Socket.IO client (python-socketio), as a browser sends them.

The protocol (Reflex 0.10): a WebSocket at ``/_event/?token=<uuid>`` in the
``/_event`` namespace; each event is an ``"event"`` message
``{name, payload, router_data}`` named by its state's full path; each answer
is an ``"event"`` message ``{delta, events}``.
"""

from __future__ import annotations

import asyncio
import functools
import re
import statistics
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import socketio

NAMESPACE = "/_event"
REPLY_TIMEOUT = 30.0


def browser_cookies(base_url: str) -> str:
    """The ``Cookie`` header a browser has after loading the home page once."""
    with urllib.request.urlopen(f"{base_url}/") as response:
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def logged_in_cookies(base_url: str, username: str, password: str) -> str:
    """The ``Cookie`` header of a browser that logged in (through the admin's form)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base_url}/admin/login/"
    page = opener.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    fields = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    form = urlencode({**fields, "next": "/admin/"})
    opener.open(login, data=form.encode()).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"could not log {username} in")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


@functools.cache
def event_names() -> dict[str, str]:
    """The full names of the handlers the suite sends (Django must be set up)."""
    from reflex_django.auth.state import AuthState, LoginState

    return {
        # Reads the Django user: the session, then the user row.
        "reads_user": f"{AuthState.get_full_name()}.refresh",
        # Sets one field: touches nothing of Django's.
        "no_django": f"{LoginState.get_full_name()}.show_error",
        "login": f"{LoginState.get_full_name()}.submit",
    }


class Tab:
    """One browser tab's socket: sends an event, waits for its answer."""

    def __init__(self, base_url: str, cookies: str) -> None:
        self.base_url, self.cookies = base_url, cookies
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[Any] = asyncio.Queue()
        self.client.on("event", self.replies.put_nowait, namespace=NAMESPACE)

    async def connect(self) -> None:
        await self.client.connect(
            f"{self.base_url}?token={uuid.uuid4()}",
            headers={"Origin": self.base_url, "Cookie": self.cookies},
            transports=["websocket"],
            namespaces=[NAMESPACE],
            socketio_path="_event",
            wait_timeout=REPLY_TIMEOUT,
        )
        # The tab's first answer also carries its router data; a tab's
        # first event is this one, so every later event gets one answer.
        await self.send(event_names()["no_django"], {"error": "hello"})

    async def send(self, name: str, payload: dict[str, Any]) -> float:
        """Send one event; the seconds until its first answer."""
        router_data = {"pathname": "/", "asPath": "/", "query": {}}
        while not self.replies.empty():  # a late extra answer must not pass for this one's
            self.replies.get_nowait()
        started = time.perf_counter()
        await self.client.emit(
            "event", {"name": name, "payload": payload, "router_data": router_data}, NAMESPACE
        )
        await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT)
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.client.disconnect()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Latencies:
    """Round-trip times of two events, in milliseconds, interleaved."""

    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)

    def p50_ratio(self) -> float:
        return statistics.median(self.a) / statistics.median(self.b)

    def p99_ratio(self) -> float:
        return percentile(self.a, 0.99) / percentile(self.b, 0.99)


async def round_trips(base_url: str, count: int, cookies: str) -> Latencies:
    """Target 5: ``refresh`` (reads the user) against ``show_error`` (does not).

    One tab with ``cookies`` (a logged-in user's, so that the user row is
    read too); the events alternate, so both meet the same noise.
    """
    names = event_names()
    tab = Tab(base_url, cookies)
    await tab.connect()
    result = Latencies()
    try:
        for i in range(count + 5):
            a = await tab.send(names["reads_user"], {})
            b = await tab.send(names["no_django"], {"error": f"e{i}"})
            if i >= 5:  # the first few warm caches and code paths
                result.a.append(a * 1000)
                result.b.append(b * 1000)
    finally:
        await tab.close()
    return result


@dataclass
class Crowd:
    """Target 6's figures."""

    clients: int
    events: int
    errors: int = 0
    lost: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    rss_per_client_kib: float = 0.0

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 0.99) if self.latencies_ms else float("nan")


async def crowd(base_url: str, clients: int, events: int, rss_kib: Any) -> Crowd:
    """``clients`` tabs connect, then each sends ``events`` events, all at once.

    ``rss_kib`` reads the server's memory: before the tabs connect, and once
    all are connected; the difference per tab is the memory a client costs.
    """
    names = event_names()
    cookies = browser_cookies(base_url)
    result = Crowd(clients, events)
    before = rss_kib()
    tabs = [Tab(base_url, cookies) for _ in range(clients)]
    connected = await asyncio.gather(*(t.connect() for t in tabs), return_exceptions=True)
    live = [t for t, outcome in zip(tabs, connected, strict=True) if outcome is None]
    result.errors += clients - len(live)
    result.lost += (clients - len(live)) * events
    result.rss_per_client_kib = (rss_kib() - before) / max(1, len(live))

    async def talk(tab: Tab, n: int) -> None:
        for i in range(events):
            try:
                ms = await tab.send(names["no_django"], {"error": f"{n}-{i}"}) * 1000
                result.latencies_ms.append(ms)
            except (TimeoutError, socketio.exceptions.SocketIOError):
                result.lost += 1

    await asyncio.gather(*(talk(t, n) for n, t in enumerate(live)))
    await asyncio.gather(*(t.close() for t in live), return_exceptions=True)
    return result


async def login_flood(base_url: str, tabs: int, stop: asyncio.Event) -> int:
    """Wrong-password logins from ``tabs`` tabs at once, until ``stop``; how many.

    Each goes the whole way a real one does: the Reflex login event, the
    throttle, and a password hash (the benchmark settings lift the lockout,
    which would otherwise refuse most attempts before any hashing).
    """
    name = event_names()["login"]
    cookies = browser_cookies(base_url)
    clients = [Tab(base_url, cookies) for _ in range(tabs)]
    await asyncio.gather(*(t.connect() for t in clients))
    attempts = 0

    async def attack(tab: Tab) -> None:
        nonlocal attempts
        while not stop.is_set():
            await tab.send(name, {"form": {"login": "nobody", "password": "wrong"}})
            attempts += 1

    try:
        await asyncio.gather(*(attack(t) for t in clients))
    finally:
        await asyncio.gather(*(t.close() for t in clients), return_exceptions=True)
    return attempts
