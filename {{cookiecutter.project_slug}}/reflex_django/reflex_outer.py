"""Layer 1 of the legacy ``reflex_led`` layout: Reflex in front, Django under its prefixes.

With ``REFLEX_DJANGO_URL_ROUTING = "reflex_led"`` the ASGI application is
Reflex's own backend, as ``reflex run`` serves it, and Django lives inside
it: :func:`django_under_reflex` is the ``api_transformer`` that
:mod:`reflex_django.reflex_app` gives ``rx.App``, Reflex's documented hook
for putting another ASGI app under its backend. Reflex's outer layer
(lifespan, CORS, its context middleware) sees every scope first; then:

* Reflex's reserved prefixes (``/_event``, ``/ping``, ...) get the same
  guards as in the default layout, from
  :class:`~reflex_django.django_outer_dispatcher.DjangoOuterDispatcher`:
  same-site Origins only, cookies kept out of the state store, uploads off,
  a limit on sockets per client. Any other WebSocket is refused.
* An HTTP request under Django's prefixes (``reflex_mount(django_prefix=...)``,
  plus ``STATIC_URL`` and ``MEDIA_URL``) goes to Django.
* Everything else stays with Reflex: a 404 from the backend, or the compiled
  frontend when Reflex serves it (``reflex run --env prod``). The SPA's
  documents never pass through Django.

The SPA itself is served by Reflex's frontend server on a port of its own
(``run_reflex`` runs ``reflex run``), so its pages' Origin names that port:
:class:`FrontendOriginPolicy` counts it as the site's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from starlette.types import ASGIApp, Receive, Scope, Send

from .conf import ROUTING_MODES, setting
from .django_outer_dispatcher import DjangoOuterDispatcher
from .origins import OriginPolicy, scope_headers
from .prefixes import normalize_prefixes, owning_prefix

#: The value of ``ROUTING_MODES`` that means this layout.
REFLEX_LED = "reflex_led"


def is_reflex_led() -> bool:
    """Whether ``REFLEX_DJANGO_URL_ROUTING`` selects the legacy layout."""
    return ROUTING_MODES.get(setting("URL_ROUTING")) == REFLEX_LED


class ReflexOuterDispatcher:
    """Send HTTP under Django's prefixes to Django, and every other scope to Reflex."""

    def __init__(
        self, django_app: ASGIApp, reflex_app: ASGIApp, django_prefixes: Iterable[str]
    ) -> None:
        self.django_app = django_app
        self.reflex_app = reflex_app
        self.django_prefixes = normalize_prefixes(django_prefixes)

    def is_django(self, path: str) -> bool:
        """Whether one of Django's prefixes owns ``path`` (whole segments: not ``/adminx``)."""
        return owning_prefix(path, self.django_prefixes) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.is_django(scope["path"]):
            await self.django_app(scope, receive, send)
        else:
            await self.reflex_app(scope, receive, send)


@dataclass(frozen=True)
class FrontendOriginPolicy:
    """The site's own origins (:class:`OriginPolicy`), plus its frontend's port.

    In the two-port layout the SPA's pages come from ``frontend_port`` on the
    same host as the backend, so their ``Origin`` differs from the backend's
    own only in the port. Any other origin must be listed in
    ``CSRF_TRUSTED_ORIGINS``, as in the default layout.
    """

    policy: OriginPolicy
    frontend_port: int

    def allows(self, scope: Mapping[str, Any]) -> bool:
        if self.policy.allows(scope):
            return True
        headers = scope_headers(scope)
        own = self.policy.own_origin(scope, headers)
        if own is None:
            return False
        try:
            origin, backend = urlsplit(headers["origin"]), urlsplit(own)
            port = origin.port
        except ValueError:
            return False
        return (origin.scheme, origin.hostname, port) == (
            backend.scheme,
            backend.hostname,
            self.frontend_port,
        )


def django_prefixes() -> tuple[str, ...]:
    """``reflex_mount(django_prefix=...)``, plus ``STATIC_URL`` and ``MEDIA_URL``.

    The admin's CSS and uploaded files are Django's too: without them the
    admin would render unstyled.
    """
    from .urls import find_mount  # needs the URLconf, so not at import time
    from .views import non_spa_prefixes

    prefixes = find_mount().django_prefixes
    return non_spa_prefixes(prefixes, settings.STATIC_URL, settings.MEDIA_URL)


def frontend_port() -> int:
    """The port Reflex's frontend runs on: ``reflex run --frontend-port``, else rx_config's."""
    from reflex.config import get_config

    from .urls import find_mount

    return get_config().frontend_port or find_mount().frontend_port


def django_under_reflex(reflex_api: ASGIApp) -> ASGIApp:
    """The ``api_transformer``: Reflex's backend, guarded, with Django under its prefixes.

    Reflex calls it once, when the app is built (``app()``); settings and
    the URLconf are read then, once, as the default layout's dispatcher does.
    """
    from .django_handler import get_django_asgi_application
    from .server_logs import install_log_filters

    install_log_filters()
    routed = ReflexOuterDispatcher(get_django_asgi_application(), reflex_api, django_prefixes())
    policy = FrontendOriginPolicy(OriginPolicy.from_settings(), frontend_port())
    # The guard's "not reserved" branch leads to `routed`: Django for its
    # prefixes, Reflex's backend for the rest.
    return DjangoOuterDispatcher(routed, reflex_api, origin_policy=policy)


def api_transformer() -> Callable[[ASGIApp], ASGIApp] | None:
    """What ``rx.App(api_transformer=...)`` gets: ``None`` unless in ``reflex_led`` mode."""
    return django_under_reflex if is_reflex_led() else None


def reflex_led_application() -> ASGIApp:
    """``config.asgi:application`` in ``reflex_led`` mode: the backend port's app.

    The frontend is built and served apart from it (``reflex export``, or
    ``run_reflex``), so the backend must not compile it when it starts.
    """
    import django

    from .reflex_compat import skip_frontend_compile

    django.setup(set_prefix=False)
    from .reflex_app import app  # needs Django set up: imports every views.py

    skip_frontend_compile()
    return app()
