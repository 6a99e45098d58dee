"""Where the compiled SPA lives, and which of its files answers a path.

The bundle is looked for, in order, in:

1. ``STATIC_ROOT/_reflex/``: staged by ``export_reflex --stage-to-static-root``
   (what ``run_reflex`` and production serve);
2. ``.web/build/client/``: the output of ``reflex export``;
3. ``.web/_static/``: the output of older Reflex versions.

The first directory holding an ``index.html`` wins.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

#: The folder under STATIC_ROOT that holds the staged SPA; WhiteNoise serves it
#: as /static/_reflex/.
STAGED_DIR_NAME = "_reflex"

#: Builds and stages the bundle; every message that asks for a build names it.
EXPORT_COMMAND = "python manage.py export_reflex --frontend-only --no-zip --stage-to-static-root"

#: The shell React Router writes for paths it did not prerender.
SPA_FALLBACK = "__spa-fallback.html"

#: The app's routes, written into the bundle when it is staged. A dotfile:
#: the mount view never serves it.
ROUTES_FILE = ".reflex-routes.json"


def staged_bundle_dir() -> Path | None:
    """``STATIC_ROOT/_reflex``, or ``None`` when STATIC_ROOT is not set."""
    return Path(settings.STATIC_ROOT) / STAGED_DIR_NAME if settings.STATIC_ROOT else None


#: Reflex's working directory for an export staged into ``STATIC_ROOT``:
#: ``STATIC_ROOT``'s name goes in between, so each static root has its own.
EXPORT_WEB_DIR_FORMAT = ".{}.reflex-web"


def web_dir() -> Path:
    """Reflex's default working directory, ``.web`` beside ``manage.py``.

    Development mode compiles into it, as ``reflex run`` does, and so does a
    ``reflex export`` run by hand.
    """
    return Path(settings.BASE_DIR) / ".web"


def export_web_dir() -> Path:
    """Reflex's working directory for ``export_reflex``: one per ``STATIC_ROOT``.

    Beside ``STATIC_ROOT``, like the build stamp. A development server, a
    production export and the browser tests' exports (each with a static
    root of its own) then never write into the same ``.web``, so none of
    them can stage another's half-built files. Without ``STATIC_ROOT``
    there is nothing to stage, and the export uses :func:`web_dir`.
    """
    if not settings.STATIC_ROOT:
        return web_dir()
    root = Path(settings.STATIC_ROOT)
    return root.parent / EXPORT_WEB_DIR_FORMAT.format(root.name)


def bundle_candidates() -> list[Path]:
    """Every directory the SPA may be served from, in lookup order."""
    return list(_candidates(settings.STATIC_ROOT, settings.BASE_DIR))


@functools.lru_cache(maxsize=8)
def _candidates(static_root: object, base_dir: object) -> tuple[Path, ...]:
    """Worked out once per pair of settings: every SPA document looks them up."""
    staged = staged_bundle_dir()
    return (
        *([staged] if staged else []),
        web_dir() / "build" / "client",
        web_dir() / "_static",
    )


class Bundle(NamedTuple):
    """The directory SPA documents are served from, and its generation.

    ``generation`` changes with every build and every new route table: a
    build rewrites ``index.html`` (and staging swaps in a new directory,
    with new inodes); the route table may change on its own.
    """

    dir: Path
    generation: tuple[int, ...]


@functools.lru_cache(maxsize=8)
def _candidate_files(static_root: object, base_dir: object) -> tuple[tuple[Path, str, str], ...]:
    """Each candidate with the paths of its ``index.html`` and route table, joined once."""
    return tuple(
        (candidate, os.path.join(candidate, "index.html"), os.path.join(candidate, ROUTES_FILE))
        for candidate in _candidates(static_root, base_dir)
    )


def _marks(path: str) -> tuple[int, ...]:
    """What changes when the file at ``path`` is rewritten or replaced; nothing if it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return ()
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def current_bundle() -> Bundle | None:
    """The first candidate that holds an ``index.html``, with its generation; or ``None``.

    Every SPA document asks for both, so ``index.html`` is looked up once
    for the two: a ``stat`` per candidate and one for the route table, where
    resolving a path in the bundle takes dozens.
    """
    for candidate, index, routes in _candidate_files(settings.STATIC_ROOT, settings.BASE_DIR):
        try:
            info = os.stat(index)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            return Bundle(candidate, (info.st_ino, info.st_mtime_ns, info.st_size, *_marks(routes)))
    return None


def find_bundle_dir() -> Path | None:
    """The first candidate that holds an ``index.html``, or ``None``."""
    found = current_bundle()
    return found.dir if found else None


def file_in_bundle(bundle: Path, relative: str) -> Path | None:
    """The regular file ``relative`` names inside ``bundle``, or ``None``.

    Nothing outside the bundle is ever returned: not through ``..``, absolute
    paths or symlinks (the resolved path must stay inside), and not hidden
    files such as the build stamp.
    """
    parts = relative.split("/")
    if "\x00" in relative or "\\" in relative or any(p.startswith(".") for p in parts):
        return None
    try:
        root = bundle.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
    except OSError:  # a name too long for the filesystem, say: not a file of ours
        return None
    return candidate


def spa_document(bundle: Path, path: str) -> Path:
    """The HTML document that boots the SPA at ``path``.

    A page React Router prerendered (``about.html`` or ``about/index.html``)
    hydrates without a flash; any other path gets the SPA fallback shell,
    whose client router renders the matching route, dynamic ones included.
    """
    route = path.strip("/")
    names = [f"{route}.html", f"{route}/index.html"] if route else ["index.html"]
    for name in [*names, SPA_FALLBACK]:
        if document := file_in_bundle(bundle, name):
            return document
    return bundle / "index.html"


# Route tables keyed by file, valid while the file's mtime and size hold.
_routes_cache: dict[Path, tuple[tuple[int, int], tuple[str, ...]]] = {}


def bundle_routes(bundle: Path) -> tuple[str, ...] | None:
    """The routes the bundle was built with, or ``None`` when it does not say.

    Only a staged bundle says; a bundle from ``reflex export`` alone does not,
    and every path it is asked for is then taken for a route.
    """
    source = bundle / ROUTES_FILE
    try:
        stat = source.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _routes_cache.get(source)
        if cached is None or cached[0] != key:
            cached = (key, tuple(json.loads(source.read_text("utf-8"))))
            _routes_cache[source] = cached
    except (OSError, ValueError):
        return None
    return cached[1]
