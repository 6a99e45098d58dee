"""Django's ASGI handler, with its middleware chain run in one thread crossing.

Under ASGI, Django builds the middleware chain in async mode. Its own
middleware supports that, but their hooks (``process_request``,
``process_response``, ...) are synchronous, so ``MiddlewareMixin`` sends
each one to a thread and back on its own, and a synchronous view makes one
more round trip: with the default ``MIDDLEWARE``, about fifteen per request.
On a busy machine each one waits for the scheduler.

:class:`SyncChainASGIHandler` builds the chain as WSGI does, synchronous
from the first middleware to the view, and runs all of it in one
``sync_to_async`` call. Everything else is Django's ``ASGIHandler``. An
async view (the JSON API's) is still awaited on the event loop, through one
``async_to_sync``.
"""

from __future__ import annotations

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    """``ASGIHandler`` whose middleware chain and view run in one thread crossing."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Build the chain as for WSGI (synchronous all through), then hand
        # ASGIHandler a coroutine function that runs it in one crossing.
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def get_django_asgi_application() -> SyncChainASGIHandler:
    """``django.core.asgi.get_asgi_application()``, with the handler above."""
    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
