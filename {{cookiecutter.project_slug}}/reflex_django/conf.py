"""The ``REFLEX_DJANGO_*`` settings, with their defaults in one place.

Every setting is read through :func:`setting`, so a project only declares the
ones it changes, and tests can override them with ``override_settings``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Extra path prefixes that Reflex owns, on top of the ones Reflex itself
    # serves (see reflex_django.prefixes.REFLEX_PREFIXES).
    "RESERVED_REFLEX_PREFIXES": (),
    # Render the SPA's HTML through Django's template engine, so that
    # {{ request.user }}, {% csrf_token %} and context processors work in it.
    "RENDER_SPA_VIA_TEMPLATE_ENGINE": True,
    # "auto" means "django_outer": Django and Reflex behind one dispatcher.
    # "reflex_led" is the legacy two-port layout (reflex_django.reflex_outer).
    "URL_ROUTING": "auto",
    # Reflex's /_upload endpoint. Off: an upload event acts as the user of the
    # tab whose token it names, not of the upload request's own cookies.
    "ALLOW_UPLOADS": False,
    # WebSockets one client address may hold open to Reflex at once, per
    # server process. Each one is a browser tab with state on the server.
    "MAX_SOCKETS_PER_CLIENT": 20,
    # Threads that run Django's synchronous code (ORM, password hashing) for
    # Reflex event handlers (reflex_django.threads.run_sync).
    "SYNC_THREADS": 16,
    # Threads that handle Django's HTTP requests, each request in one of them
    # from the first middleware to the end of the response
    # (reflex_django.django_handler).
    "REQUEST_THREADS": 16,
    # The cache that holds login tickets and throttle counts, and the prefix
    # of their keys (reflex_django.auth.cache).
    "CACHE_ALIAS": "default",
    "CACHE_KEY_PREFIX": "reflex_django",
    # The built-in auth pages; every key and its default is in
    # reflex_django.auth.conf.AuthSettings.
    "AUTH": {},
}


#: REFLEX_DJANGO_URL_ROUTING values and the architecture each one means.
ROUTING_MODES = {
    "auto": "django_outer",
    "django_outer": "django_outer",
    "reflex_led": "reflex_led",
}


def setting(name: str) -> Any:
    """Return ``settings.REFLEX_DJANGO_<name>``, or its documented default."""
    return getattr(settings, f"REFLEX_DJANGO_{name}", DEFAULTS[name])
