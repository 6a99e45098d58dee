"""Build Reflex's ``rx.Config`` from the project's ``reflex_mount()``.

The project's ``rxconfig.py`` is a two-liner that calls
:func:`config_from_urlconf`. Taking ``app_name`` and ``rx_config`` from
``urls.py`` keeps one source of truth for the port the frontend is built for.
"""

from __future__ import annotations

from typing import Any

import django
import reflex as rx
from django.apps import apps

from .urls import find_mount

#: How long Reflex keeps a tab's state after its last event.
TAB_STATE_EXPIRY_SECONDS = 60 * 60

#: The module Reflex imports to find ``app``.
APP_MODULE = "reflex_django.reflex_app"


def default_options() -> dict[str, Any]:
    """What we change from Reflex's defaults, each overridable in ``rx_config``.

    Telemetry is off (it would phone home from every build and server start),
    the Radix theme plugin is explicit (Reflex deprecates the implicit one),
    and the sitemap plugin is off (it needs a public ``deploy_url``). A tab's
    state is dropped an hour after its last event, on disk as in Redis, and
    the client IP is the one the ASGI server settled on (``run_reflex``'s
    ``--forwarded-allow-ips``), never one read again from X-Forwarded-For.
    """
    return {
        "telemetry_enabled": False,
        "redis_token_expiration": TAB_STATE_EXPIRY_SECONDS,
        "trusted_proxy_hops": 0,
        "plugins": [rx.plugins.RadixThemesPlugin()],
        "disable_plugins": [rx.plugins.SitemapPlugin],
    }


def config_from_urlconf() -> rx.Config:
    """The ``rx.Config`` for the project; sets Django up first if needed.

    ``rx_config``'s ``backend_port`` is ``run_reflex``'s port, not Reflex's:
    it only becomes the default ``api_url``. Reflex's own ``backend_port``
    would make ``reflex run --frontend-only``, which development mode runs,
    refuse to start.
    """
    if not apps.ready:
        django.setup()
    mount = find_mount()
    options = {**default_options(), **mount.rx_config}
    port = options.pop("backend_port", None)
    if port is not None:
        options.setdefault("api_url", f"http://localhost:{port}")
    return rx.Config(app_name=mount.app_name, app_module_import=APP_MODULE, **options)
