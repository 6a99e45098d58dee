"""A database that is down or locked: a clear answer, never a traceback page.

Django views answer 503 with ``Retry-After`` (``DatabaseUnavailableMiddleware``)
and Reflex event handlers show a toast that says the same
(:func:`backend_exception_handler`). Both log one warning line: the cause is
outside the code, so a traceback would only hide it. The server keeps
running, and the next request after the database returns is served as usual.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from .reflex_compat import default_backend_exception_handler

if TYPE_CHECKING:
    from reflex.event import EventSpec

#: The errors of a database that cannot be reached or used right now, as
#: opposed to a wrong query (IntegrityError, ProgrammingError), which is a bug.
UNAVAILABLE = (OperationalError, InterfaceError)

#: Seconds a client should wait before it tries again.
RETRY_AFTER = 5

logger = logging.getLogger("reflex_django.database")


def unavailable_message() -> str:
    return _("The database is unavailable right now. Please try again in a moment.")


def is_unavailable(exception: BaseException) -> bool:
    return isinstance(exception, UNAVAILABLE) or (
        isinstance(exception, DatabaseError) and isinstance(exception.__cause__, UNAVAILABLE)
    )


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Turn a view's database outage into a 503, not a 500 with a traceback."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        response = HttpResponse(
            unavailable_message(), status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response


def backend_exception_handler(exception: Exception) -> EventSpec:
    """``rx.App(backend_exception_handler=...)``: a toast that says what is wrong.

    Reflex checks the return annotation, which must stay ``EventSpec``.
    """
    if not is_unavailable(exception):
        return default_backend_exception_handler(exception)
    logger.warning("Database unavailable for a Reflex event: %s", exception)
    import reflex as rx

    return rx.toast.error(unavailable_message(), id="database-unavailable")
