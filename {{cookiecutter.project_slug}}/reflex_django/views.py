"""Layer 2: ``ReflexMountView``, the SPA catch-all at the end of ``urls.py``.

Every HTTP path that no Django route took arrives here. The view serves the
compiled SPA: a file of the bundle when the path names one (JS, CSS, images),
otherwise the HTML document that boots the client router at that path.
"""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath

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
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views import View
from whitenoise.media_types import MediaTypes

from .bundle import (
    EXPORT_COMMAND,
    bundle_candidates,
    bundle_routes,
    file_in_bundle,
    find_bundle_dir,
    spa_document,
)
from .conf import setting
from .prefixes import normalize_prefixes, owning_prefix
from .routes import matches_route
from .spa_template import render_spa_html
from .visitors import visitor_id

#: How long a browser may keep a hashed asset: its name changes with its content.
ONE_YEAR = 365 * 24 * 60 * 60
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"

#: Vite names every file under assets/ after a hash of its content.
IMMUTABLE_ASSETS_DIR = "assets"

#: WhiteNoise's table (nginx's), so an asset gets the same Content-Type here
#: as under /static/; plus the source maps Vite writes next to its bundles.
MEDIA_TYPES = MediaTypes(extra_types={".map": "application/json"})
UNKNOWN_MEDIA_TYPE = "application/octet-stream"

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
        bundle = find_bundle_dir()
        if bundle is None:
            return missing_bundle_response()
        if asset := file_in_bundle(bundle, path.lstrip("/")):
            return self.serve_file(request, asset, bundle)
        if looks_like_asset(path):
            raise Http404(f"No file {path!r} in the compiled SPA.")
        routes = bundle_routes(bundle)
        # An unknown path still gets the SPA, whose router draws the not-found page.
        status = 200 if routes is None or matches_route(path, routes) else 404
        return self.serve_html(request, spa_document(bundle, path), status)

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

        Bundle files are small, hashed build outputs: reading one whole is
        cheaper under ASGI than a synchronous file iterator, which Django
        would have to drain in a thread (and warn about on every request).
        """
        if file.suffix == ".html":
            return self.serve_html(request, file)
        content_type = MEDIA_TYPES.get_type(file.name)
        gzipped = file.with_name(file.name + ".gz")
        has_gzip = gzipped.is_file()
        # Mutation testing: header names are case-insensitive, and any default
        # without "gzip" in it refuses gzip as "" does.
        accept_encoding = request.headers.get("Accept-Encoding", "")  # pragma: no mutate
        use_gzip = has_gzip and accepts_gzip(accept_encoding)
        response = HttpResponse(
            (gzipped if use_gzip else file).read_bytes(), content_type=content_type
        )
        if use_gzip:
            # Mutation testing: response header names are case-insensitive (also below).
            response["Content-Encoding"] = "gzip"  # pragma: no mutate
        if has_gzip:
            patch_vary_headers(response, ["Accept-Encoding"])
        if file.parent == bundle.resolve() / IMMUTABLE_ASSETS_DIR:
            response["Cache-Control"] = IMMUTABLE  # pragma: no mutate
        return response

    def serve_html(self, request: HttpRequest, document: Path, status: int = 200) -> HttpResponse:
        """The SPA document, rendered per request when templates are on.

        It always carries the CSRF cookie, as ``ensure_csrf_cookie`` would:
        the auth pages' login hand-off POSTs to Django with it. It starts a
        session too, if the browser has none: the page's event handlers
        cannot (``reflex_django.visitors``).
        """
        get_token(request)
        visitor_id(request, create=True)
        if setting("RENDER_SPA_VIA_TEMPLATE_ENGINE"):
            content: str | bytes = render_spa_html(request, document)
        else:
            content = document.read_bytes()
        # Mutation testing: without content_type Django sends this same default.
        response = HttpResponse(
            content, content_type="text/html; charset=utf-8", status=status
        )  # pragma: no mutate
        # The document may carry per-user data (CSRF token, user name), and a
        # rebuild changes the asset names it points at: never cache it.
        add_never_cache_headers(response)
        return response


@functools.lru_cache(maxsize=32)
def non_spa_prefixes(django_prefixes: tuple[str, ...], *urls: str | None) -> tuple[str, ...]:
    """Normalized once per distinct set of inputs, not on every request."""
    local = [u for u in urls if u and u.startswith("/") and u.strip("/")]
    return normalize_prefixes((*django_prefixes, *local))


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` lets gzip through (RFC 9110, section 12.5.3).

    ``gzip;q=0`` refuses it, and so does ``*;q=0`` when gzip is not named;
    a malformed quality counts as a refusal.
    """
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        # Mutation testing: only "above zero" matters, so any positive default does.
        quality = 1.0  # pragma: no mutate
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding.lower()] = quality
    return qualities.get("gzip", qualities.get("x-gzip", qualities.get("*", 0.0))) > 0


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
