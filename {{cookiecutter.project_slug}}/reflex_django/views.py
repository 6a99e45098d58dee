"""Layer 2: ``ReflexMountView``, the SPA catch-all at the end of ``urls.py``.

Every HTTP path that no Django route took arrives here. The view serves the
compiled SPA: a file of the bundle when the path names one (JS, CSS, images),
otherwise the HTML document that boots the client router at that path.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from pathlib import Path, PurePosixPath
from typing import Literal, NamedTuple

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
)
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.http import http_date
from django.views import View

from . import dev_documents
from .bundle import (
    EXPORT_COMMAND,
    bundle_candidates,
    bundle_routes,
    current_bundle,
    file_in_bundle,
    spa_document,
)
from .bundle_files import (
    IMMUTABLE_ASSETS_DIR,
    MEDIA_TYPES,
    UNKNOWN_MEDIA_TYPE,
    bundle_files,
    read_body,
    respond,
)
from .conf import setting
from .prefixes import normalize_prefixes, owning_prefix
from .routes import matches_route
from .spa_template import render_spa_html, render_spa_text
from .visitors import visitor_id

#: What add_never_cache_headers() writes: the document is never stored.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"

MISSING_BUNDLE_HINT = """\
The compiled Reflex SPA was not found. Looked for index.html in:
{dirs}

Build and stage it with:
    {command}
or serve with:
    python manage.py run_reflex
which builds it automatically when it is missing or older than the code.
"""


class ReflexMountView(View):
    """Serve the compiled Reflex SPA for every path Django does not own."""

    http_method_names = ["get", "head", "options"]

    #: Prefixes Django owns (``reflex_mount(django_prefix=...)``): a path under
    #: one of them that reached this catch-all is a Django 404, never the SPA.
    django_prefixes: tuple[str, ...] = ()

    def get(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if owning_prefix(path, self.non_spa_prefixes()):
            return self.django_not_found(request)
        if vite_url := dev_documents.dev_frontend_url():
            return self.serve_from_dev_server(request, vite_url)
        bundle = current_bundle()
        if bundle is None:
            return missing_bundle_response()
        answer = path_answer(bundle.dir, bundle.generation, path)
        if answer.kind == "file":
            return self.serve_file(request, answer.file, bundle.dir)
        if answer.kind == "missing":
            raise Http404(f"No file {path!r} in the compiled SPA.")
        return self.serve_html(request, answer.file, answer.status)

    def non_spa_prefixes(self) -> tuple[str, ...]:
        """Django's prefixes plus STATIC_URL and MEDIA_URL when they are paths.

        A missing ``/static/app.js`` must be a 404, not an HTML page that the
        browser then fails to parse as JavaScript.
        """
        return non_spa_prefixes(self.django_prefixes, settings.STATIC_URL, settings.MEDIA_URL)

    def django_not_found(self, request: HttpRequest) -> HttpResponse:
        """Django's answer for a Django-owned path that matched no route.

        CommonMiddleware cannot add the missing slash here (the catch-all
        matches everything), so the view does it when ``path/`` is a real
        Django route: ``/admin`` still redirects to ``/admin/``.
        """
        path = request.path_info
        # Mutation testing: a path that ends in "/" plus one more "/" names no
        # route in a sane URLconf, so the endswith() argument is not pinned down.
        lacks_slash = not path.endswith("/")  # pragma: no mutate
        if settings.APPEND_SLASH and lacks_slash:
            try:
                match = resolve(path + "/", getattr(request, "urlconf", None))
            except Resolver404:
                # Mutation testing: any false value does ("" included).
                match = None  # pragma: no mutate
            if match and getattr(match.func, "view_class", None) is not type(self):
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        raise Http404(f"No Django route matches {path!r}.")

    def serve_file(self, request: HttpRequest, file: Path, bundle: Path) -> HttpResponse:
        """One file of the bundle, bytes untouched; HTML still goes through templates.

        The HTTP semantics (ETag, 304, precompressed twins, caching) are
        WhiteNoise's, through the same table the ASGI front uses for
        ``/assets/`` (:mod:`reflex_django.bundle_files`), so a file gets the
        same headers whichever layer answers it.
        """
        if file.suffix == ".html":
            return self.serve_html(request, file)
        relative = file.relative_to(bundle.resolve()).as_posix()
        static_file = bundle_files.find_in(bundle, relative)
        if static_file is None:
            raise Http404(f"No file {request.path_info!r} in the compiled SPA.")
        try:
            answer = respond(static_file, request.method, request.headers)
            body = read_body(answer)
        except FileNotFoundError:  # deleted since it was found: a rebuild in place
            bundle_files.forget()
            raise Http404(f"No file {request.path_info!r} in the compiled SPA.") from None
        response = HttpResponse(body, status=answer.status)
        for name, value in answer.headers:
            response[name] = value
        return response

    def serve_from_dev_server(self, request: HttpRequest, vite_url: str) -> HttpResponse:
        """Development mode: Vite's answer, its HTML documents treated as the bundle's.

        A document still gets the CSRF cookie, the session, the template
        engine and a 404 status for a path no page declares, exactly as in
        production; modules and other files pass through untouched.
        """
        fetched = dev_documents.fetch(vite_url, request)
        if not fetched.is_html:
            response = HttpResponse(fetched.body, status=fetched.status)
            for name, value in fetched.headers:
                response[name] = value
            return response
        status = 200 if dev_documents.declares_route(request.path_info) else 404
        return self.serve_html(request, fetched.text(), status)

    def serve_html(
        self, request: HttpRequest, document: Path | str, status: int = 200
    ) -> HttpResponse:
        """The SPA document, rendered per request when templates are on.

        It always carries the CSRF cookie, as ``ensure_csrf_cookie`` would:
        the auth pages' login hand-off POSTs to Django with it. It starts a
        session too, if the browser has none: the page's event handlers
        cannot (``reflex_django.visitors``).
        """
        ensure_csrf_secret(request)
        visitor_id(request, create=True)
        if isinstance(document, str):  # development mode: Vite's document
            content: str | bytes = (
                render_spa_text(request, document, "Vite's document")
                if setting("RENDER_SPA_VIA_TEMPLATE_ENGINE")
                else document
            )
        elif setting("RENDER_SPA_VIA_TEMPLATE_ENGINE"):
            content = render_spa_html(request, document)
        else:
            content = document.read_bytes()
        return document_response(content, status)


def document_response(content: str | bytes, status: int = 200) -> HttpResponse:
    """An SPA document's response, before the middleware add their headers."""
    # Mutation testing: without content_type Django sends this same default.
    response = HttpResponse(
        content, content_type="text/html; charset=utf-8", status=status
    )  # pragma: no mutate
    # The document may carry per-user data (CSRF token, user name), and a
    # rebuild changes the asset names it points at: never cache it.
    # (add_never_cache_headers()'s result, without parsing it each time.)
    response["Expires"] = http_date()
    # Mutation testing: response header names are case-insensitive.
    response["Cache-Control"] = NEVER_CACHE  # pragma: no mutate
    return response


def ensure_csrf_secret(request: HttpRequest) -> None:
    """Give a browser that has no CSRF secret one, as ``ensure_csrf_cookie`` would.

    ``CsrfViewMiddleware`` has already read a valid secret into
    ``META["CSRF_COOKIE"]``; only without one is ``get_token()`` called. It
    masks a fresh token (32 random characters) and re-sends the cookie on
    every response, work a document for a returning browser can skip: a
    template that shows the token still gets one through ``{% csrf_token %}``.
    """
    if "CSRF_COOKIE" not in request.META:
        get_token(request)


class PathAnswer(NamedTuple):
    """What the bundle has for a path: a ``file``, a ``missing`` one, or a ``document``."""

    kind: Literal["file", "missing", "document"]
    file: Path | None = None
    status: int = 200


#: Paths whose answers are kept, per build: enough for every route and asset
#: of a site, and a bound on what a crawler of random paths can make us keep.
REMEMBERED_PATHS = 2048


@functools.lru_cache(maxsize=REMEMBERED_PATHS)
def path_answer(bundle: Path, generation: Hashable, path: str) -> PathAnswer:
    """The bundle's answer for ``path``, worked out once per build.

    Working it out resolves several candidate files on disk (symlinks
    included, for safety), which costs more than rendering the document.
    ``generation`` (:class:`~reflex_django.bundle.Bundle`) changes
    with every build and route table, so an answer never outlives its bundle.
    """
    if asset := file_in_bundle(bundle, path.lstrip("/")):
        return PathAnswer("file", asset)
    if looks_like_asset(path):
        return PathAnswer("missing")
    routes = bundle_routes(bundle)
    # An unknown path still gets the SPA, whose router draws the not-found page.
    status = 200 if routes is None or matches_route(path, routes) else 404
    return PathAnswer("document", spa_document(bundle, path), status)


@functools.lru_cache(maxsize=32)
def non_spa_prefixes(django_prefixes: tuple[str, ...], *urls: str | None) -> tuple[str, ...]:
    """Normalized once per distinct set of inputs, not on every request."""
    local = [u for u in urls if u and u.startswith("/") and u.strip("/")]
    return normalize_prefixes((*django_prefixes, *local))


def looks_like_asset(path: str) -> bool:
    """Whether a missing ``path`` names a file rather than an SPA route.

    ``/assets/app.js`` or ``/favicon.ico`` deserve a 404; ``/products/1.5``
    is an SPA route with a dot in it.
    """
    name = PurePosixPath(path)
    if name.parts[1:2] == (IMMUTABLE_ASSETS_DIR,):
        return True
    return MEDIA_TYPES.get_type(name.name) not in (UNKNOWN_MEDIA_TYPE, "text/html")


def missing_bundle_response() -> HttpResponse:
    """A 404 that says how to build the bundle."""
    dirs = "\n".join(f"    {d}" for d in bundle_candidates())
    return HttpResponseNotFound(
        MISSING_BUNDLE_HINT.format(dirs=dirs, command=EXPORT_COMMAND),
        content_type="text/plain; charset=utf-8",
    )
