"""Where Reflex event handlers run Django's synchronous code.

asgiref's ``sync_to_async`` is thread-sensitive by default: outside a Django
request, every such call in the process shares one thread, so one visitor's
slow work (a password hash takes about 0.3 s) queues every other visitor's
behind it. Event handlers use :func:`run_sync` instead: a pool of threads of
its own, with the database connections of each call closed afterwards, as
Django closes them after a request (Channels' ``database_sync_to_async``
does the same).

And :func:`run_for_client` runs one client's slow operations one at a time,
so sixteen sockets from one address get one thread's worth of the server,
not all of it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import asynccontextmanager
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import close_old_connections

from .conf import setting

P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger("reflex_django")

#: Threads for run_in_background(): emails, mostly, which wait on the network.
BACKGROUND_THREADS = 4


@functools.cache
def executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(setting("SYNC_THREADS"), thread_name_prefix="reflex_django")


@functools.cache
def background_executor() -> ThreadPoolExecutor:
    """A pool of its own, so that a slow mail server never holds up events."""
    return ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="reflex_django_background")


def fresh_connections(func: Callable[P, R]) -> Callable[P, R]:
    """``func``, with the thread's database connections closed after it, as after a request."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return wrapper


def run_sync(func: Callable[P, R]) -> Callable[P, asyncio.Future[R]]:
    """``func`` as a coroutine function that runs in the event handlers' pool."""
    return sync_to_async(fresh_connections(func), thread_sensitive=False, executor=executor())


#: Work started by run_in_background() that has not finished yet.
_background: set[Future[Any]] = set()


def run_in_background(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """Start ``func`` in the pool and return at once: for work nobody should wait on.

    A reset email, say: sending it while the visitor waits would make the
    answer slower for accounts that exist. A failure is logged.
    """
    future = background_executor().submit(fresh_connections(func), *args, **kwargs)
    _background.add(future)
    future.add_done_callback(_finished)
    return future


def _finished(future: Future[Any]) -> None:
    _background.discard(future)
    if (error := future.exception()) is not None:
        logger.error("Background work failed: %s", error, exc_info=error)


def wait_for_background(timeout: float | None = None) -> None:
    """Wait until the work started so far has finished (tests, and shutdown)."""
    wait(list(_background), timeout)


class KeyedLocks:
    """An ``asyncio.Lock`` per key, kept only while someone holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


client_locks = KeyedLocks()


async def run_for_client(client: str, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``func`` in the pool, after the same client's previous slow operation."""
    async with client_locks.hold(client):
        return await run_sync(func)(*args, **kwargs)
