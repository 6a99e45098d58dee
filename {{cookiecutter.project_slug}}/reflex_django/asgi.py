"""The ASGI application: the outer dispatcher in front of Django and Reflex."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from starlette.types import ASGIApp

from .assets import BundleAssets
from .conf import ROUTING_MODES, setting
from .dev_documents import dev_frontend_url
from .django_handler import get_django_asgi_application
from .django_outer_dispatcher import DjangoOuterDispatcher
from .reflex_compat import skip_frontend_compile
from .reflex_outer import is_reflex_led, reflex_led_application
from .server_logs import install_log_filters


def get_asgi_application() -> ASGIApp:
    """Django's ASGI handler and Reflex's backend behind one dispatcher.

    In production the frontend is served from a bundle built by
    ``export_reflex``, so Reflex must not recompile it when the server
    starts: the bundle on disk and the states in this process then come from
    the same code, which ``run_reflex`` checks before it serves, and this
    function too (a server started some other way refuses to start with a
    bundle built from other code). In
    development (``run_reflex``'s backend child, :mod:`reflex_django.dev_server`)
    Reflex compiles its pages into ``.web/`` at every (re)start, which is how
    an edited page reaches Vite and the open browser.

    In the legacy ``"reflex_led"`` layout it is Reflex's backend instead,
    with Django under its prefixes (:mod:`reflex_django.reflex_outer`).
    """
    routing = setting("URL_ROUTING")
    if routing not in ROUTING_MODES:
        raise ImproperlyConfigured(
            f"REFLEX_DJANGO_URL_ROUTING = {routing!r} is not supported. Use "
            '"auto" (the default), which means "django_outer", or "reflex_led".'
        )
    if is_reflex_led():
        return reflex_led_application()
    django_app = get_django_asgi_application()
    if not dev_frontend_url():
        from .build import refuse_skewed_bundle  # needs the app registry: admin, pages

        refuse_skewed_bundle()
        skip_frontend_compile()
        # The bundle's /assets/ files are answered before Django's middleware:
        # they are most of a first visit's requests (reflex_django.assets).
        # In development Vite serves every file, through the mount view.
        django_app = BundleAssets(django_app)
    install_log_filters()
    from .reflex_app import app  # needs Django set up: imports every views.py

    return DjangoOuterDispatcher(django_app, app())
