"""Where the auth pages keep login tickets and throttle counts.

In the cache named by ``REFLEX_DJANGO_CACHE_ALIAS`` (``"default"``), under
keys that start with ``REFLEX_DJANGO_CACHE_KEY_PREFIX`` (``"reflex_django"``),
as ``django.contrib.sessions.backends.cache`` lets you choose both. With more
than one server process it must be a shared cache (check ``W004``).
"""

from __future__ import annotations

import hashlib

from django.core.cache import BaseCache, caches

from ..conf import setting


def auth_cache() -> BaseCache:
    return caches[setting("CACHE_ALIAS")]


def cache_key(kind: str, value: str) -> str:
    """A short key for ``value``: hashed, so the cache never holds it in clear
    (a ticket is a secret) and any text fits memcached's key rules."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{setting('CACHE_KEY_PREFIX')}.{kind}.{digest}"
