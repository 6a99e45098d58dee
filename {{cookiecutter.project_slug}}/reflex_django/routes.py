"""Which paths are SPA routes, so that any other path can answer 404.

The client router draws its not-found page for a path no route matches, but
the document around it came from the server with whatever status the server
chose. Crawlers and uptime monitors only see that status. So ``stage()``
writes the app's routes beside the bundle, and the mount view matches each
path against them, in Reflex's route syntax:

* ``/about``: that path;
* ``/products/[slug]``: one segment in place of ``[slug]``;
* ``/docs/[...path]``: one or more segments; ``[[...path]]``: zero or more.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


def route_regex(route: str) -> str:
    """The regular expression for the paths ``route`` matches."""
    pattern = ""
    for segment in route.strip("/").split("/"):
        if segment.startswith("[[...") and segment.endswith("]]"):
            pattern += "(?:/.*)?"
        elif segment.startswith("[...") and segment.endswith("]"):
            pattern += "/.+"
        elif segment.startswith("[") and segment.endswith("]"):
            pattern += "/[^/]+"
        elif segment:
            pattern += "/" + re.escape(segment)
    return f"{pattern}/?"


@functools.lru_cache(maxsize=8)
def compile_routes(routes: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all of ``routes``, compiled once per route table."""
    return re.compile("|".join(f"(?:{route_regex(route)})" for route in routes) or "(?!)")


def matches_route(path: str, routes: Iterable[str]) -> bool:
    """Whether ``path`` is one of ``routes`` (``/`` always is)."""
    return path == "/" or compile_routes(tuple(routes)).fullmatch(path) is not None
