"""HTTP semantics for the bundle's files: WhiteNoise's responder, our lookup.

WhiteNoise already knows how a static file is served well: ``ETag`` and
``Last-Modified``, a 304 for a conditional request, ``Vary: Accept-Encoding``
and the smallest precompressed twin (``.br``, ``.gz``) the browser accepts,
and byte ranges. So this module does not re-implement any of it. It adds
only what is ours:

* the lookup: :func:`reflex_django.bundle.file_in_bundle`, which refuses
  dotfiles, ``..`` and symlinks that leave the bundle;
* the caching policy: hashed names under ``assets/`` are immutable, every
  other file is revalidated (cheaply, now that it has an ETag);
* ``Accept-Encoding`` read by its quality values: WhiteNoise only looks for
  a coding's name, so it would send gzip to ``gzip;q=0``.

One :class:`BundleFiles` serves both the ASGI front (``reflex_django.assets``)
and the mount view, so a file gets the same headers whichever layer answers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from wsgiref.headers import Headers

from django.conf import settings
from whitenoise.base import WhiteNoise
from whitenoise.media_types import MediaTypes
from whitenoise.responders import Response, StaticFile

from .bundle import file_in_bundle, find_bundle_dir

#: Vite names every file under assets/ after a hash of its content.
IMMUTABLE_ASSETS_DIR = "assets"

#: ``name-<hash>.ext`` as Vite writes it: eight or more URL-safe base64
#: characters before the extension (and ``.map`` for a source map).
HASHED_NAME = re.compile(r"-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+(?:\.map)?$")

#: How long a browser may keep a hashed asset: its name changes with its content.
ONE_YEAR = 365 * 24 * 60 * 60
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
#: Any other file may be cached, but must be revalidated: a rebuild may change it.
REVALIDATE = "no-cache"

#: Source maps are not in WhiteNoise's table (nginx's); Vite writes them.
EXTRA_MEDIA_TYPES = {".map": "application/json"}
MEDIA_TYPES = MediaTypes(extra_types=EXTRA_MEDIA_TYPES)
UNKNOWN_MEDIA_TYPE = "application/octet-stream"

#: The precompressed twins WhiteNoise looks for (``export_reflex`` writes them).
OFFERED_CODINGS = ("br", "gzip")

#: The request headers WhiteNoise's responder reads, as WSGI names them.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")


def is_hashed(relative: str) -> bool:
    """Whether ``relative`` (``assets/app-1a2b3c4d.js``) is named after its content."""
    path = PurePosixPath(relative)
    return path.parts[:1] == (IMMUTABLE_ASSETS_DIR,) and bool(HASHED_NAME.search(path.name))


def accepted_codings(accept_encoding: str) -> str:
    """The offered codings ``Accept-Encoding`` lets through (RFC 9110, 12.5.3).

    The answer is a plain list (``"br, gzip"``) for WhiteNoise's name
    matching. ``gzip;q=0`` refuses gzip, and so does ``*;q=0`` when gzip is
    not named; ``x-gzip`` means gzip; a malformed quality is a refusal.
    """
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding.lower()] = quality
    if "x-gzip" in qualities:
        qualities.setdefault("gzip", qualities["x-gzip"])
    wildcard = qualities.get("*", 0.0)
    return ", ".join(c for c in OFFERED_CODINGS if qualities.get(c, wildcard) > 0)


def responder_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """What WhiteNoise's responder reads, from lower-cased request headers.

    ``Accept-Encoding`` is always present, and holds only accepted codings.
    """
    wanted = {
        key: value
        for key in CONDITIONAL_HEADERS
        if (value := headers.get(key[5:].lower().replace("_", "-"))) is not None
    }
    wanted["HTTP_ACCEPT_ENCODING"] = accepted_codings(headers.get("accept-encoding", ""))
    return wanted


class _Headers(WhiteNoise):
    """WhiteNoise's header rules, with ours for caching; it wraps no app.

    Only :meth:`get_static_file` is used: it builds the ``StaticFile`` with
    the content type (and charset), the cache headers and the twins.
    """

    def __init__(self) -> None:
        super().__init__(
            None,
            max_age=None,
            allow_all_origins=False,
            mimetypes=EXTRA_MEDIA_TYPES,
            add_headers_function=self.add_policy_headers,
        )

    @staticmethod
    def add_policy_headers(headers: Headers, path: str, url: str) -> None:
        headers["Cache-Control"] = IMMUTABLE if is_hashed(url.lstrip("/")) else REVALIDATE
        # A file served before Django's SecurityMiddleware runs gets its header here.
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers["X-Content-Type-Options"] = "nosniff"


class BundleFiles:
    """A ``StaticFile`` per file of the bundle, made once per build.

    A rebuild stages a new directory under the same name, and rewrites
    ``index.html``: its inode and mtime name the build (a "generation"), and
    a new one empties the table, so no stale length or ETag is ever sent.
    Only files that passed :func:`file_in_bundle` enter the table, so its
    size is bounded by the bundle's.
    """

    def __init__(self) -> None:
        self._headers = _Headers()
        self._generation: tuple[Path, int, int] | None = None
        self._files: dict[str, StaticFile] = {}

    def find(self, relative: str) -> StaticFile | None:
        """The file ``relative`` names in the current bundle, or ``None``."""
        bundle = find_bundle_dir()
        if bundle is None:
            return None
        return self.find_in(bundle, relative)

    def find_in(self, bundle: Path, relative: str) -> StaticFile | None:
        """The file ``relative`` names in ``bundle``, or ``None``."""
        try:
            index = os.stat(bundle / "index.html")
        except OSError:
            return None
        generation = (bundle, index.st_ino, index.st_mtime_ns)
        if generation != self._generation:
            self._generation, self._files = generation, {}
        found = self._files.get(relative)
        if found is None:
            path = file_in_bundle(bundle, relative)
            if path is None or path.suffix == ".html":
                return None
            found = self._headers.get_static_file(str(path), "/" + relative)
            self._files[relative] = found
        return found

    def forget(self) -> None:
        """Drop the table: a file vanished under it (a rebuild in place)."""
        self._generation, self._files = None, {}


def respond(static_file: StaticFile, method: str, headers: Mapping[str, str]) -> Response:
    """WhiteNoise's answer to ``method`` with lower-cased request ``headers``."""
    return static_file.get_response(method, responder_headers(headers))


def read_body(response: Response) -> bytes:
    """The whole body of a responder's answer (none for HEAD, 304 and 405).

    Bundle files are small, hashed build outputs, hot in the page cache:
    one read is cheaper than streaming them in chunks from a thread.
    """
    if response.file is None:
        return b""
    with response.file as file:
        return file.read()


#: The one table of the process, shared by the ASGI front and the mount view.
bundle_files = BundleFiles()
