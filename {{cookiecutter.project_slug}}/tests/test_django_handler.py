"""PooledASGIHandler: each Django request in one trip to a pooled thread.

Counted, not timed: how many times a request goes from the event loop to a
thread (``asgiref``'s ``SyncToAsync``) and back (``AsyncToSync``), through
this handler and through Django's own ``ASGIHandler``; which threads run a
request's code; and what reaches the client when a body is a stream.
"""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from asgiref import sync
from django.core import signals
from django.core.handlers.asgi import ASGIHandler

from reflex_django.django_handler import PooledASGIHandler
from tests.urlconfs import streams


def scope_for(path: str) -> dict:
    return {
        "type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
        "query_string": b"", "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "scheme": "http",
    }  # fmt: skip


async def call(handler: ASGIHandler, path: str, *, disconnect_after: float | None = None) -> list:
    """The messages ``handler`` sends for one GET ``path``.

    The client disconnects ``disconnect_after`` seconds after its request,
    or never.
    """
    sent: list[dict] = []
    requested = False

    async def receive() -> dict:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        if disconnect_after is None:
            await asyncio.Event().wait()
        await asyncio.sleep(disconnect_after)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await handler(scope_for(path), receive, send)
    return sent


def body(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def crossings(handler_class: type[ASGIHandler], path: str, monkeypatch) -> tuple[int, list]:
    """(thread crossings, messages sent) of one GET ``path`` through a new handler."""
    count = 0

    def counting(real):
        def call(self, *args, **kwargs):
            nonlocal count
            count += 1
            return real(self, *args, **kwargs)

        return call

    handler = handler_class()  # builds its chain from MIDDLEWARE now
    monkeypatch.setattr(sync.SyncToAsync, "__call__", counting(sync.SyncToAsync.__call__))
    monkeypatch.setattr(sync.AsyncToSync, "__call__", counting(sync.AsyncToSync.__call__))
    sent = asyncio.run(call(handler, path))
    monkeypatch.undo()
    return count, sent


def test_a_request_crosses_to_a_thread_once(monkeypatch):
    # /admin: the mount view's slash redirect, through every middleware, no database.
    ours, sent = crossings(PooledASGIHandler, "/admin", monkeypatch)
    assert sent[0]["status"] == 301
    assert ours == 1
    djangos, sent = crossings(ASGIHandler, "/admin", monkeypatch)
    assert sent[0]["status"] == 301
    # Django's: one per middleware hook, the view's, the signals'.
    assert djangos >= 10


def test_a_static_file_is_read_and_closed_in_the_same_crossing(monkeypatch, tmp_path, settings):
    # WhiteNoise answers with a FileResponse: a stream that Django's handler
    # reads in a thread of its own, and closes in another trip.
    (tmp_path / "hello.txt").write_bytes(b"hello, file")
    settings.STATIC_ROOT = tmp_path
    from whitenoise.middleware import WhiteNoiseMiddleware

    monkeypatch.setattr(WhiteNoiseMiddleware, "autorefresh", True, raising=False)
    count, sent = crossings(PooledASGIHandler, "/static/hello.txt", monkeypatch)
    assert sent[0]["status"] == 200
    assert body(sent) == b"hello, file"
    assert count == 1


@pytest.mark.urls("tests.urlconfs.streams")
def test_a_request_runs_in_one_pooled_thread_from_start_to_finish(monkeypatch):
    threads: dict[str, list[int]] = {"started": [], "finished": []}

    def record(name):
        def receiver(**kwargs):
            threads[name].append(threading.get_ident())

        return receiver

    started, finished = record("started"), record("finished")
    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        handler = PooledASGIHandler()
        for _ in range(3):
            sent = asyncio.run(call(handler, "/sync-parts"))
            assert body(sent) == b"one two three"
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    # request_finished (close_old_connections) sees the request's own thread.
    assert threads["started"] == threads["finished"]
    assert threading.get_ident() not in threads["started"]
    names = {t.name for t in threading.enumerate() if t.ident in threads["started"]}
    assert names and all(name.startswith("django_request") for name in names)


@pytest.mark.urls("tests.urlconfs.streams")
def test_a_synchronous_stream_is_sent_whole_and_closed():
    streams.seen.clear()
    sent = asyncio.run(call(PooledASGIHandler(), "/sync-parts"))
    assert sent[0]["status"] == 200
    assert body(sent) == b"one two three"
    assert sent[-1] == {"type": "http.response.body"} or not sent[-1].get("more_body")
    assert streams.seen["closed"]


@pytest.mark.urls("tests.urlconfs.streams")
def test_a_stream_that_breaks_is_still_closed():
    streams.seen.clear()
    with pytest.raises(RuntimeError, match="the body broke"):
        asyncio.run(call(PooledASGIHandler(), "/broken-parts"))
    assert streams.seen["closed"]


@pytest.mark.urls("tests.urlconfs.streams")
def test_an_async_stream_stops_when_the_client_goes_away():
    streams.seen.clear()
    finished: list[bool] = []

    def receiver(**kwargs):
        finished.append(True)

    signals.request_finished.connect(receiver)
    try:
        sent = asyncio.run(
            asyncio.wait_for(call(PooledASGIHandler(), "/endless", disconnect_after=0.1), 5)
        )
    finally:
        signals.request_finished.disconnect(receiver)
    assert sent[0]["status"] == 200
    assert body(sent).startswith(b"tick\ntick\n")
    assert streams.seen["stream stopped"]
    assert finished == [True]


def test_a_forked_process_starts_threads_of_its_own():
    handler = PooledASGIHandler()
    assert asyncio.run(call(handler, "/admin"))[0]["status"] == 301  # the pool has a thread
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through its exit code)
        try:
            sent = asyncio.run(asyncio.wait_for(call(handler, "/admin"), 10))
            os._exit(0 if sent[0]["status"] == 301 else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_the_served_application_uses_it():
    from config.asgi import application

    assert isinstance(application.django_app.app, PooledASGIHandler)


@pytest.mark.django_db(transaction=True)
def test_an_async_view_still_answers(monkeypatch):
    count, sent = crossings(PooledASGIHandler, "/api/products/", monkeypatch)
    assert sent[0]["status"] == 200
    assert b'"items"' in body(sent)
