"""System checks of the auth pages and the login throttle.

Registered by ``ReflexDjangoConfig.ready``, beside the routing checks in
:mod:`reflex_django.checks`; the ids continue that series.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import NoReverseMatch, reverse

from ..conf import setting
from ..pages import autodiscover, registered_pages
from .urls import SESSION_URL

#: The backend that throttles every authenticate() call; it must be asked first.
THROTTLE_BACKEND = "reflex_django.auth.backends.ThrottleBackend"

PROCESS_LOCAL_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.security)
def check_session_cookie(**kwargs: Any) -> list[CheckMessage]:
    """E010: a session cookie that JavaScript can read."""
    if settings.SESSION_COOKIE_HTTPONLY:
        return []
    return [
        Error(
            "SESSION_COOKIE_HTTPONLY is False, so any script on the page can read "
            "(and an XSS bug can steal) the session cookie.",
            hint="Remove the setting. Reflex events already see the HttpOnly cookie, "
            "and the auth pages log in through a Django view.",
            id="reflex_django.E010",
        )
    ]


@register(Tags.security)
def check_throttle_backend(**kwargs: Any) -> list[CheckMessage]:
    """E011: logins (the admin's included) that no throttle counts."""
    if settings.AUTHENTICATION_BACKENDS[:1] == [THROTTLE_BACKEND]:
        return []
    return [
        Error(
            f"{THROTTLE_BACKEND} is not first in AUTHENTICATION_BACKENDS, so some "
            "logins (the admin's, or any authenticate() call) are not throttled: "
            "anyone can guess passwords there without limit.",
            hint=f'Put "{THROTTLE_BACKEND}" first in AUTHENTICATION_BACKENDS.',
            id="reflex_django.E011",
        )
    ]


@register(Tags.urls)
def check_auth_urls(**kwargs: Any) -> list[CheckMessage]:
    """E009: auth pages whose login hand-off view is not routed."""
    autodiscover()
    from .pages import AUTH_PAGES  # after autodiscover, which imports Reflex anyway

    if not any(page.component in AUTH_PAGES for page in registered_pages()):
        return []
    try:
        reverse(SESSION_URL)
    except NoReverseMatch:
        return [
            Error(
                "add_auth_pages() is called, but reflex_django.auth.urls is not in the "
                "URLconf: logging in would fail after the password check.",
                hint='Add path("accounts/", include("reflex_django.auth.urls")) above '
                'reflex_mount(), and "/accounts" to its django_prefix.',
                id="reflex_django.E009",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(**kwargs: Any) -> list[CheckMessage]:
    """W004 (with --deploy): a per-process cache, which login tickets cannot cross."""
    alias = setting("CACHE_ALIAS")
    if settings.CACHES.get(alias, {}).get("BACKEND") != PROCESS_LOCAL_CACHE:
        return []
    return [
        Warning(
            f"CACHES[{alias!r}] is LocMemCache, which each server process keeps to "
            "itself: with more than one process, a login ticket issued in one is "
            "unknown to the next, and throttling counts per process.",
            hint="Use a shared cache, such as Django's RedisCache "
            "(REFLEX_DJANGO_CACHE_ALIAS names the one to use).",
            id="reflex_django.W004",
        )
    ]
