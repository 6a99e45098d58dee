"""SyncChainASGIHandler: Django's middleware chain and view in one thread crossing.

Counted, not timed: how many times a request goes from the event loop to a
thread (``asgiref``'s ``SyncToAsync``) and back (``AsyncToSync``), through
this handler and through Django's own ``ASGIHandler``.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref import sync
from django.core.handlers.asgi import ASGIHandler

from reflex_django.django_handler import SyncChainASGIHandler


def crossings(handler_class: type[ASGIHandler], path: str, monkeypatch) -> tuple[int, int]:
    """(thread crossings, status) of one GET ``path`` through a new handler."""
    count = 0

    def counting(real):
        async def call(self, *args, **kwargs):
            nonlocal count
            count += 1
            return await real(self, *args, **kwargs)

        return call

    def counting_sync(real):
        def call(self, *args, **kwargs):
            nonlocal count
            count += 1
            return real(self, *args, **kwargs)

        return call

    handler = handler_class()  # builds its chain from MIDDLEWARE now
    scope = {
        "type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
        "query_string": b"", "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "scheme": "http",
    }  # fmt: skip
    sent: list[dict] = []
    received = asyncio.Event()

    async def receive() -> dict:
        if not received.is_set():
            received.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects

    async def send(message: dict) -> None:
        sent.append(message)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", counting(sync.SyncToAsync.__call__))
    monkeypatch.setattr(sync.AsyncToSync, "__call__", counting_sync(sync.AsyncToSync.__call__))
    asyncio.run(handler(scope, receive, send))
    monkeypatch.undo()
    return count, sent[0]["status"]


def test_the_chain_crosses_to_a_thread_far_fewer_times(monkeypatch):
    # /admin: the mount view's slash redirect, through every middleware, no database.
    ours, status = crossings(SyncChainASGIHandler, "/admin", monkeypatch)
    assert status == 301
    djangos, status = crossings(ASGIHandler, "/admin", monkeypatch)
    assert status == 301
    # Django's: one per middleware hook, and the view's; ours: one for all of them.
    assert djangos >= 3 * ours


def test_the_served_application_uses_it():
    from config.asgi import application

    assert isinstance(application.django_app.app, SyncChainASGIHandler)


@pytest.mark.django_db(transaction=True)
def test_an_async_view_still_answers(monkeypatch):
    count, status = crossings(SyncChainASGIHandler, "/api/products/", monkeypatch)
    assert status == 200
