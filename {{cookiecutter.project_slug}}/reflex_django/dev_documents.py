"""Development mode, layer 2: the mount view fetches from Vite instead of the bundle.

The backend runs behind the development front (:mod:`reflex_django.dev_proxy`)
with :data:`reflex_django.dev_server.DEV_SERVER_ENV` naming Vite's dev
server. Every path that reaches the SPA catch-all is then fetched from Vite:
the HTML documents (which the mount view renders and decorates as it does
the bundle's) and the app's own modules (``/app/...``, ``/styles/...``),
which Vite serves under paths that could also be SPA routes, so only the
catch-all, after Django's routes, may claim them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import httpx
from django.http import HttpRequest

from .pages import autodiscover, registered_pages
from .routes import matches_route

#: Set by ``run_reflex`` for its backend child; see reflex_django.dev_server.
DEV_SERVER_ENV = "REFLEX_DJANGO_DEV_FRONTEND_URL"

#: What a browser may tell Vite; cookies and the like stay with Django.
FORWARDED_REQUEST_HEADERS = ("accept", "accept-language", "if-none-match", "sec-fetch-dest")
#: What Vite may tell the browser about a module.
FORWARDED_RESPONSE_HEADERS = ("content-type", "cache-control", "etag")

#: Seconds Vite may take to transform a module on a loaded machine.
VITE_TIMEOUT = 60.0


def dev_frontend_url() -> str | None:
    """Vite's dev server, when this process is the backend of development mode."""
    return os.environ.get(DEV_SERVER_ENV) or None


@cache
def client() -> httpx.Client:
    """One pooled client per process (the view runs in Django's threads)."""
    return httpx.Client(timeout=VITE_TIMEOUT, trust_env=False)


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def is_html(self) -> bool:
        return any(
            name == "content-type" and value.startswith("text/html") for name, value in self.headers
        )

    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(vite_url: str, request: HttpRequest) -> Fetched:
    """``request``'s path and query, as Vite answers them, decompressed."""
    headers = {
        name: request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in request.headers
    }
    response = client().get(vite_url.rstrip("/") + request.get_full_path(), headers=headers)
    return Fetched(
        status=response.status_code,
        headers=[
            (name, value)
            for name, value in response.headers.items()
            if name in FORWARDED_RESPONSE_HEADERS
        ],
        body=response.content,
    )


def declares_route(path: str) -> bool:
    """Whether some ``@template`` page is at ``path`` (else the document is a 404)."""
    autodiscover()
    return matches_route(path, tuple(page.route for page in registered_pages()))
