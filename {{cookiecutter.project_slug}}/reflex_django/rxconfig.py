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

#: The module Reflex imports to find ``app``.
APP_MODULE = "reflex_django.reflex_app"


def default_options() -> dict[str, Any]:
    """What we change from Reflex's defaults, each overridable in ``rx_config``.

    Telemetry is off (it would phone home from every build and server start),
    the Radix theme plugin is explicit (Reflex deprecates the implicit one),
    and the sitemap plugin is off (it needs a public ``deploy_url``).
    """
    return {
        "telemetry_enabled": False,
        "plugins": [rx.plugins.RadixThemesPlugin()],
        "disable_plugins": [rx.plugins.SitemapPlugin],
    }


def config_from_urlconf() -> rx.Config:
    """The ``rx.Config`` for the project; sets Django up first if needed."""
    if not apps.ready:
        django.setup()
    mount = find_mount()
    options = {**default_options(), **mount.rx_config}
    return rx.Config(app_name=mount.app_name, app_module_import=APP_MODULE, **options)
