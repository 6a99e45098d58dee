"""The whole suite: every target of issue #13 (and #14's logins under load)."""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from reflex_django.bundle import spa_document

from . import http_load, sockets
from .http_load import BROWSER_ACCEPT_ENCODING, Target
from .report import Row, ratio_row, skipped_row
from .servers import (
    BARE_DJANGO,
    BARE_SAME_HANDLER,
    BENCH_PASSWORD,
    BENCH_USER,
    FULL_STACK,
    PLAIN_REFLEX,
    STATIC_ROOT,
    Server,
    free_port,
    has_real_bundle,
    prepare,
)

#: The table's order: the issue's targets, then issue #14's.
ORDER = ["1", "2", "3", "4", "5", "6", "7", "#14"]


@dataclass
class Options:
    """How long and how hard; ``smoke`` makes every figure tiny and quick."""

    seconds: float = 5.0
    rounds: int = 3
    round_trips: int = 300
    clients: int = 200
    events: int = 20
    logins: int = 20
    visits: int = 5
    browser: bool = True
    first_page: bool = True
    smoke: bool = False
    #: The targets to measure (``--only``); the others are not run at all.
    only: frozenset[str] = frozenset(ORDER)

    @classmethod
    def smoke_test(cls, only: frozenset[str] = frozenset(ORDER)) -> Options:
        return cls(
            seconds=1, rounds=1, round_trips=5, clients=5, events=2, logins=2, visits=1,
            browser=False, first_page=False, smoke=True, only=only,
        )  # fmt: skip


def hashed_script() -> str:
    """The bundle's entry script, as the first visit asks for it."""
    assets = STATIC_ROOT / "_reflex" / "assets"
    return next(p.name for p in sorted(assets.glob("entry.client-*.js")))


def first_product(base_url: str) -> str:
    with urllib.request.urlopen(f"{base_url}/api/products/") as response:
        return json.load(response)["items"][0]["slug"]


def pair(a: Target, b: Target, o: Options) -> http_load.Pair:
    return http_load.interleaved(a, b, o.rounds, o.seconds)


def api_rows(full: Server, bare: Server, same: Server, o: Options) -> list[Row]:
    """Target 1: the JSON API, against bare Django."""
    api = pair(Target(f"{full.url}/api/products/"), Target(f"{bare.url}/api/products/"), o)
    dispatcher = pair(Target(f"{full.url}/api/products/"), Target(f"{same.url}/api/products/"), o)
    return [
        ratio_row("1", "`/api/products/`: full stack / bare Django ASGI", api.ratio,
                  at_least=0.97),
        ratio_row("1", "the same / bare Django with the full stack's handler: the dispatcher alone",
                  dispatcher.ratio, at_least=0.97),
    ]  # fmt: skip


def same_document(base_url: str, path: str, bundle: Path = STATIC_ROOT / "_reflex") -> str:
    """The URL under which WhiteNoise serves the very file the mount view renders for ``path``.

    ``/products/<slug>`` gets the SPA fallback shell, not ``index.html``: the
    baseline must send the same bytes, or the row compares two sizes.
    """
    root = bundle.resolve()
    name = spa_document(root, path).relative_to(root).as_posix()
    return f"{base_url}/static/_reflex/{name}"


def shell_rows(full: Server, o: Options) -> list[Row]:
    """Target 2: SPA documents through ReflexMountView, against WhiteNoise."""
    cookie = f"Cookie: {sockets.browser_cookies(full.url)}"
    product = f"/products/{first_product(full.url)}"
    home = pair(Target(f"{full.url}/", [cookie]), Target(same_document(full.url, "/"), [cookie]), o)
    page = pair(
        Target(f"{full.url}{product}", [cookie]),
        Target(same_document(full.url, product), [cookie]),
        o,
    )
    cookieless = pair(Target(f"{full.url}/"), Target(same_document(full.url, "/")), o)
    return [
        ratio_row("2", "`/` (returning visitor) / WhiteNoise, same index.html", home.ratio,
                  at_least=1.0),
        ratio_row("2", f"`{product}` (returning) / WhiteNoise, same document", page.ratio,
                  at_least=1.0),
        ratio_row("2", "`/` cookieless (starts a session: a DB write) / WhiteNoise",
                  cookieless.ratio),
    ]  # fmt: skip


def asset_rows(full: Server, plain: Server, o: Options) -> list[Row]:
    """Target 3: a hashed script, against Starlette's StaticFiles."""
    script = hashed_script()
    browser_encoding = f"Accept-Encoding: {BROWSER_ACCEPT_ENCODING}"
    asset_br = pair(
        Target(f"{full.url}/assets/{script}", [browser_encoding]),
        Target(f"{plain.url}/assets/{script}", [browser_encoding]),
        o,
    )
    asset_plain = pair(
        Target(f"{full.url}/assets/{script}"), Target(f"{plain.url}/assets/{script}"), o
    )
    return [
        ratio_row("3", "hashed JS, browser Accept-Encoding / Starlette StaticFiles",
                  asset_br.ratio, at_least=1.0),
        ratio_row("3", "hashed JS, no Accept-Encoding / Starlette StaticFiles",
                  asset_plain.ratio, at_least=1.0),
    ]  # fmt: skip


def event_rows(full: Server, o: Options) -> list[Row]:
    """Targets 5 and 6, over real Socket.IO clients."""
    cookies = sockets.logged_in_cookies(full.url, BENCH_USER, BENCH_PASSWORD)
    trips = asyncio.run(sockets.round_trips(full.url, o.round_trips, cookies))
    crowd = asyncio.run(sockets.crowd(full.url, o.clients, o.events, full.rss_kib))
    return [
        ratio_row("5", "event p50: handler reads the Django user / one that does not",
                  trips.p50_ratio(), at_most=1.25),
        ratio_row("5", "event p99: the same two", trips.p99_ratio()),
        Row("6", f"{o.clients} Socket.IO clients x {o.events} events: errors, lost",
            f"{crowd.errors}, {crowd.lost}", "0, 0", crowd.errors == 0 and crowd.lost == 0),
        Row("6", "the same: p99 round trip; server memory per client",
            f"{crowd.p99_ms:.0f} ms; {crowd.rss_per_client_kib:.0f} KiB", "report", None),
    ]  # fmt: skip


@contextmanager
def logins_running(base_url: str, tabs: int) -> Iterator[Callable[[], int]]:
    """Wrong-password logins from ``tabs`` sockets, in a thread, for the block."""
    stop: asyncio.Event | None = None
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    attempts = [0]

    def run() -> None:
        nonlocal stop

        async def flood() -> None:
            nonlocal stop
            stop = asyncio.Event()
            ready.set()
            attempts[0] = await sockets.login_flood(base_url, tabs, stop)

        loop.run_until_complete(flood())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait()
    time.sleep(1)  # the sockets connect and the first hashes start
    try:
        yield lambda: attempts[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=60)
        loop.close()


def login_row(full: Server, o: Options) -> Row:
    """Issue #14: the API's p99 with 20 wrong-password logins running, against idle."""
    api = Target(f"{full.url}/api/products/")
    idle, busy = [], []
    for _ in range(o.rounds):
        idle.append(http_load.wrk(api, o.seconds).p99_ms)
        with logins_running(full.url, o.logins):
            busy.append(http_load.wrk(api, o.seconds).p99_ms)
    return ratio_row(
        "#14",
        f"`/api/products/` p99 during {o.logins} wrong-password logins / idle p99",
        statistics.median(busy) / statistics.median(idle),
        at_most=2.0,
    )


def browser_row(port: int, o: Options) -> Row:
    """Target 4: both servers take turns on the bundle's port (Reflex bakes it in)."""
    from .browser import Browser

    ours: list[float] = []
    theirs: list[float] = []
    with Browser() as browser:
        for _ in range(o.rounds):
            for app, times in ((FULL_STACK, ours), (PLAIN_REFLEX, theirs)):
                with Server(app, port) as server:
                    browser.first_visit(server.url + "/")  # the server's own warm-up
                    times += [browser.first_visit(server.url + "/") for _ in range(o.visits)]
    return ratio_row(
        "4",
        "first visit in Chromium until usable, median: full stack / StaticFiles + Reflex",
        statistics.median(ours) / statistics.median(theirs),
        at_most=1.2,
    )


def run(o: Options) -> list[Row]:
    """Every row of the targets in ``o.only``, in the issue's order."""
    port = prepare(build=not o.smoke)
    rows: list[Row] = []
    with ExitStack() as servers:

        def serve(app: str, on: int | None = None) -> Server:
            return servers.enter_context(Server(app, on or free_port()))

        full = serve(FULL_STACK, port)
        if "1" in o.only:
            rows += api_rows(full, serve(BARE_DJANGO), serve(BARE_SAME_HANDLER), o)
        if "2" in o.only:
            rows += shell_rows(full, o)
        if "3" in o.only:
            rows += asset_rows(full, serve(PLAIN_REFLEX), o)
        if o.only & {"5", "6"}:
            rows += [row for row in event_rows(full, o) if row.target in o.only]
        if "#14" in o.only:
            rows.append(login_row(full, o))
    if "4" in o.only:
        rows.append(browser_target(port, o))
    if "7" in o.only:
        rows.append(first_page_target(o))
    return sorted(rows, key=lambda row: ORDER.index(row.target))


def browser_target(port: int, o: Options) -> Row:
    """Target 4's row, or why it was skipped."""
    what = "first visit in Chromium / StaticFiles + Reflex"
    if not o.browser:
        return skipped_row("4", what, "smoke mode" if o.smoke else "--no-browser")
    if not has_real_bundle():
        return skipped_row("4", what, "no built bundle")
    return browser_row(port, o)


def first_page_target(o: Options) -> Row:
    """Target 7's row, or why it was skipped."""
    what = "time to first page: fresh copy to the first 200 on `/`"
    if not o.first_page:
        return skipped_row("7", what, "smoke mode" if o.smoke else "--no-first-page")
    from .first_page import time_to_first_page

    return Row("7", what, f"{time_to_first_page():.0f} s", "report", None)
