"""Which paths belong to whom: pure functions, shared by every layer.

A prefix owns a path when it matches whole path segments: ``/_event`` owns
``/_event`` and ``/_event/x`` but not ``/_eventual``. Keeping that rule in one
place means the dispatcher, the SPA catch-all and the system checks can never
disagree about it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

from .conf import setting

#: The paths Reflex's backend serves (reflex_base.constants.event.Endpoint).
#: A test compares this tuple with Reflex's own list, so an upgrade that adds
#: an endpoint fails loudly instead of silently sending it to Django.
REFLEX_PREFIXES: tuple[str, ...] = (
    "/_event",
    "/_upload",
    "/_health",
    "/ping",
    "/_all_routes",
    "/auth-codespace",
)


def normalize_prefix(prefix: str) -> str:
    """Return ``prefix`` as ``/segment[/segment...]``, without a trailing slash.

    ``"api"``, ``"/api"`` and ``"/api/"`` all mean the same thing to a user, so
    they all become ``"/api"``. A prefix that would own every path is refused.
    """
    if not isinstance(prefix, str):
        raise ImproperlyConfigured(f"A path prefix must be a string, not {prefix!r}.")
    normalized = "/" + prefix.strip().strip("/")
    if normalized == "/" or "//" in normalized:
        raise ImproperlyConfigured(
            f"{prefix!r} is not a usable path prefix: use one or more path "
            "segments, such as '/api' or '/api/v1'."
        )
    return normalized


def normalize_prefixes(prefixes: Iterable[str] | str) -> tuple[str, ...]:
    """Normalize each prefix; a lone string is one prefix, not a character list."""
    if isinstance(prefixes, str):
        prefixes = (prefixes,)
    return tuple(dict.fromkeys(normalize_prefix(p) for p in prefixes))


def path_has_prefix(path: str, prefix: str) -> bool:
    """Whether ``prefix`` (normalized) owns ``path``, segment by segment."""
    return path == prefix or path.startswith(prefix + "/")


def owning_prefix(path: str, prefixes: Iterable[str]) -> str | None:
    """The first of ``prefixes`` that owns ``path``, or ``None``."""
    return next((p for p in prefixes if path_has_prefix(path, p)), None)


def reserved_reflex_prefixes() -> tuple[str, ...]:
    """Reflex's own prefixes plus ``REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES``."""
    extra = setting("RESERVED_REFLEX_PREFIXES")
    return normalize_prefixes((*REFLEX_PREFIXES, *normalize_prefixes(extra)))
