"""A Django ``HttpRequest`` for a Reflex event, rebuilt for every event.

Reflex keeps the headers of each browser tab's ``/_event`` handshake, less
the ``Cookie`` header, which the dispatcher keeps in the live socket's scope
instead (:mod:`reflex_django.socket_cookies`) so that no session key is ever
persisted with the tab's state. From both this module builds the request
Django's auth functions expect, with ``request.session`` and
``request.user`` as ``SessionMiddleware`` and ``AuthenticationMiddleware``
would set them. Nothing is cached between events: after a logout in one
tab, the next event of every other tab finds the session gone. Within one
event, the user ``SessionGuard`` resolved is reused (``event_user``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest, parse_cookie
from django.middleware.csrf import CSRF_SESSION_KEY
from django.utils.functional import SimpleLazyObject

from ..socket_cookies import cookie_header_for_socket
from ..threads import run_sync
from .event_user import recall

#: A CSRF secret (32) or masked token (64), as Django writes them.
CSRF_TOKEN_FORMAT = re.compile(r"[a-zA-Z0-9]{32}|[a-zA-Z0-9]{64}")


class EventRequest(HttpRequest):
    """An ``HttpRequest`` whose scheme is the page's: ``https`` behind TLS."""

    def __init__(self, page_scheme: str) -> None:
        super().__init__()
        self.page_scheme = page_scheme

    def _get_scheme(self) -> str:
        return "https" if self.page_scheme == "https" else "http"


def build_request(
    headers: Mapping[str, str], client_ip: str, url: str, socket: str | None = None
) -> EventRequest:
    """A request from a handshake's headers, the client's IP and the page URL.

    The page URL gives the path (so ``next=`` can point back at it) and the
    scheme; the Host header stays authoritative for ``get_host()``, which
    checks it against ``ALLOWED_HOSTS`` as for any request. With ``socket``
    (the Socket.IO session), ``auser()`` reuses the user ``SessionGuard``
    resolved for the same socket and cookie in this event (``event_user``).
    """
    page = urlsplit(url)
    request = EventRequest(page.scheme)
    request.method = "POST"  # an event is an action, never a safe read
    request.path = request.path_info = page.path or "/"
    # A handshake has no body, so every header is an HTTP_* key, as in WSGI.
    request.META = {
        f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
    }
    request.META["REMOTE_ADDR"] = client_ip
    request.COOKIES = parse_cookie(headers.get("cookie", ""))
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = SimpleLazyObject(lambda: get_user(request))
    cookie = headers.get("cookie", "")

    async def auser() -> Any:
        # Not Django's aget_user(): that one queues on the process's single
        # thread for synchronous code (reflex_django.threads says why).
        if socket is not None and (user := recall(socket, cookie)) is not None:
            return user
        return await run_sync(get_user)(request)

    request.auser = auser
    return request


def django_request(state: Any) -> EventRequest:
    """The request behind the event ``state`` is handling (any ``rx.State``)."""
    router = state.router
    headers = {
        **router.headers.raw_headers,
        "cookie": cookie_header_for_socket(router.session.session_id),
    }
    return build_request(
        headers, router.session.client_ip, str(router.url), router.session.session_id
    )


def csrf_secret(request: HttpRequest) -> str:
    """The browser's CSRF secret, which Django accepts as the token itself.

    It also tells one browser from another: a login ticket is bound to it.
    Anything not shaped like one is ignored: it is going into a script.
    """
    if settings.CSRF_USE_SESSIONS:
        secret = request.session.get(CSRF_SESSION_KEY, "")
    else:
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return secret if CSRF_TOKEN_FORMAT.fullmatch(secret) else ""
