"""Django's ASGI handler, each request handled in one trip to a pooled thread.

For a synchronous middleware chain and view, Django's own ``ASGIHandler``
starts a new thread for every request (asgiref's ``ThreadSensitiveContext``),
joins it at the end, and crosses to it and back many times: for the
``request_started`` receivers, for each hook of each middleware, for the
view, for a ``FileResponse``'s body and for ``response.close()``. On a busy
machine, starting the thread and every crossing wait for the scheduler: a
served page took about 3.2 ms of the server's CPU through it, and 1.4 ms
through this handler.

:class:`PooledASGIHandler` works the way a WSGI server does: a pool of
long-lived threads (``REFLEX_DJANGO_REQUEST_THREADS``), and one trip per
request. In that trip, in one thread: ``request_started``, the middleware
chain built synchronous (as for WSGI) with the view, the body of a
synchronous streaming response read to the end (Django's handler reads it
whole before sending too), and ``response.close()`` with
``request_finished``. So ``close_old_connections()`` still sees the
request's own database connections. Only the sending is left to the event
loop.

A response whose body is an asynchronous iterator is sent as Django sends
it, stopped when the client goes away, and closed afterwards in the pool.
An async view (the JSON API's) is still awaited on the event loop, through
one ``async_to_sync``.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import IO, Any, ParamSpec, TypeVar

import django
from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import set_script_prefix

from .conf import setting

P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def request_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(setting("REQUEST_THREADS"), thread_name_prefix="django_request")


# A forked child (a pre-forking server, mutmut's test runs) inherits the pool
# but none of its threads: it must start a pool of its own, or wait forever.
os.register_at_fork(after_in_child=request_threads.cache_clear)


def in_request_thread(func: Callable[P, R]) -> Callable[P, asyncio.Future[R]]:
    """``func`` as a coroutine function that runs in the request pool."""
    return sync_to_async(func, thread_sensitive=False, executor=request_threads())


class PooledASGIHandler(ASGIHandler):
    """``ASGIHandler`` that handles each request in one trip to a pooled thread."""

    def load_middleware(self, is_async: bool = False) -> None:
        # The chain as WSGI builds it: synchronous from the first middleware to the view.
        super().load_middleware(is_async=False)

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await in_request_thread(self.respond)(scope, body_file)
            if response.closed:
                await self.send_response(response, send)
            else:
                await self.stream(response, receive, send)
        finally:
            body_file.close()

    def respond(self, scope: dict[str, Any], body_file: IO[bytes]) -> HttpResponseBase:
        """The response: closed, its body in memory, unless that body is an async iterator."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response = error_response if request is None else self.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if response.streaming and response.is_async:
            return response  # closed by stream(), once sent
        try:
            if response.streaming:
                response.streaming_content = replay(list(response.streaming_content))
        finally:
            response.close()
        return response

    async def stream(
        self, response: StreamingHttpResponse, receive: Callable, send: Callable
    ) -> None:
        """Send an async body until it ends or the client goes away, then close it."""
        sending = asyncio.create_task(self.send_response(response, send))
        listening = asyncio.create_task(self.listen_for_disconnect(receive))
        try:
            await asyncio.wait((sending, listening), return_when=asyncio.FIRST_COMPLETED)
            for task in (listening, sending):
                task.cancel()
                with suppress(asyncio.CancelledError, RequestAborted):
                    await task
        finally:
            sending.cancel()
            await in_request_thread(response.close)()


async def replay(parts: list[bytes]) -> AsyncIterator[bytes]:
    """A body already read, as the async iterator ``send_response`` takes without a thread."""
    for part in parts:
        yield part


def get_django_asgi_application() -> PooledASGIHandler:
    """``django.core.asgi.get_asgi_application()``, with the handler above."""
    django.setup(set_prefix=False)
    return PooledASGIHandler()
