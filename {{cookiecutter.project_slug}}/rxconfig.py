"""Reflex's configuration, read by the `reflex` CLI and by the server.

Its values come from reflex_mount(app_name=..., rx_config=...) in config/urls.py.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from reflex_django import config_from_urlconf  # noqa: E402

config = config_from_urlconf()
