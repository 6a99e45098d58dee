"""``SpaDocumentMiddleware``: a returning visitor's SPA document, answered early.

Most documents go to browsers that have been here before: they hold a
session with a visitor id, a valid CSRF cookie, and no Django messages are
waiting for them. For such a browser, everything after this middleware is
known to change nothing but headers: the session middleware reads the
session and adds ``Vary: Cookie``, ``CommonMiddleware`` checks the host and
adds ``Content-Length``, the clickjacking middleware adds
``X-Frame-Options``; the CSRF, auth and messages middleware do nothing that
reaches the response. And when the document's only template tag is the
default head's include (which shows messages), the mount view renders the
same text for every such request.

So this middleware, listed right after WhiteNoise, answers those requests
itself with those very bytes and headers, without URL resolution, the rest
of the chain or the template engine: about a third of a document's work.
Every other request goes on untouched. It removes itself at start-up
(``MiddlewareNotUsed``) when a middleware it does not know follows it, or a
setting makes one of them act differently.

``tests/test_spa_document_middleware.py`` compares its answers with the
full chain's, header by header, for each kind of request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.urls import Resolver404, resolve

from .bundle import current_bundle
from .conf import setting
from .dev_documents import dev_frontend_url
from .prefixes import owning_prefix
from .spa_template import compiled
from .views import REMEMBERED_PATHS, ReflexMountView, document_response, path_answer
from .visitors import SESSION_KEY as VISITOR_KEY

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
XFRAME = "django.middleware.clickjacking.XFrameOptionsMiddleware"
#: The middleware that may follow this one: for the requests it answers,
#: each of them would add at most the headers that it adds itself.
KNOWN_FOLLOWERS = frozenset(
    {
        SESSION,
        COMMON,
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        XFRAME,
    }
)
#: Message storages whose only places are the messages cookie and the session.
KNOWN_MESSAGE_STORAGES = frozenset(
    {
        "django.contrib.messages.storage.fallback.FallbackStorage",
        "django.contrib.messages.storage.cookie.CookieStorage",
        "django.contrib.messages.storage.session.SessionStorage",
    }
)
NAME = f"{__name__}.SpaDocumentMiddleware"


def followers(middleware_class: type) -> list[str]:
    """The middleware listed after ``middleware_class`` (a subclass's own path counts)."""
    name = f"{middleware_class.__module__}.{middleware_class.__qualname__}"
    listed = list(settings.MIDDLEWARE)
    return listed[listed.index(name) + 1 :] if name in listed else listed


def why_not_used(after: list[str]) -> str | None:
    """Why the middleware ``after`` this one might change a returning visitor's document."""
    if dev_frontend_url():
        return "development mode: documents come from Vite"
    if unknown := [name for name in after if name not in KNOWN_FOLLOWERS]:
        return f"{', '.join(unknown)} follows it in MIDDLEWARE"
    if SESSION not in after:
        return "SessionMiddleware does not follow it"
    if settings.SESSION_SAVE_EVERY_REQUEST:
        return "SESSION_SAVE_EVERY_REQUEST saves the session on every answer"
    if settings.CSRF_USE_SESSIONS:
        return "CSRF_USE_SESSIONS keeps the CSRF secret in the session"
    if settings.PREPEND_WWW or settings.DISALLOWED_USER_AGENTS:
        return "PREPEND_WWW or DISALLOWED_USER_AGENTS may redirect or refuse a request"
    if settings.MESSAGE_STORAGE not in KNOWN_MESSAGE_STORAGES:
        return f"MESSAGE_STORAGE {settings.MESSAGE_STORAGE} may keep messages elsewhere"
    return None


class SpaDocumentMiddleware:
    """Answer a returning visitor's SPA document before the rest of the chain."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        after = followers(type(self))
        if reason := why_not_used(after):
            raise MiddlewareNotUsed(f"SpaDocumentMiddleware is off: {reason}.")
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.sets_length = COMMON in after
        self.frames = XFRAME in after

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.answer(request) or self.get_response(request)

    def answer(self, request: HttpRequest) -> HttpResponse | None:
        """The document, if the rest of the chain would answer it with nothing else."""
        if request.method not in ("GET", "HEAD"):
            return None
        cookies = request.COOKIES
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        if not session_key or CookieStorage.cookie_name in cookies:
            return None
        if not is_csrf_secret(cookies.get(settings.CSRF_COOKIE_NAME, "")):
            return None  # the CSRF middleware would (re)set the cookie
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        body = static_document(urlconf, request.path_info)
        if body is None:
            return None
        if self.sets_length:
            request.get_host()  # CommonMiddleware's check: a foreign Host is still a 400
        session = self.session_store(session_key)
        if session.get(VISITOR_KEY) is None or SessionStorage.session_key in session:
            return None  # the view starts a session, or messages are waiting
        response = document_response(body)
        response["Vary"] = "Cookie"  # the session was read
        if self.sets_length:
            response["Content-Length"] = str(len(body))
        if self.frames:
            response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        return response


def is_csrf_secret(value: str) -> bool:
    """Whether the CSRF middleware takes ``value`` as it is, without setting a new cookie."""
    return len(value) == CSRF_SECRET_LENGTH and all(c in CSRF_ALLOWED_CHARS for c in value)


def static_document(urlconf: str, path: str) -> bytes | None:
    """The document the mount view gives every returning visitor at ``path``, if it is one.

    ``None`` when ``path`` is not the SPA's, names a file, is not a route
    (a 404 document), or the document has template tags of its own.
    """
    bundle = current_bundle()
    if bundle is None:
        return None
    rendered = setting("RENDER_SPA_VIA_TEMPLATE_ENGINE")
    return build_document(bundle.dir, bundle.generation, urlconf, path, rendered)


@functools.lru_cache(maxsize=REMEMBERED_PATHS)
def build_document(
    bundle: Path, generation: Hashable, urlconf: str, path: str, rendered: bool
) -> bytes | None:
    """:func:`static_document`, worked out once per build.

    A build rewrites ``index.html`` (and staging swaps in a new directory),
    which changes ``generation``, so the bytes kept here never outlive it.
    """
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ReflexMountView):
        return None
    view = view_class(**match.func.view_initkwargs)
    if owning_prefix(path, view.non_spa_prefixes()):
        return None
    answer = path_answer(bundle, generation, path)
    if answer.kind != "document" or answer.status != 200:
        return None
    return compiled(answer.file).static if rendered else answer.file.read_bytes()
