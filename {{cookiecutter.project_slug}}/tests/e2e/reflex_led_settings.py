"""The project's development settings in the legacy two-port layout
(``REFLEX_DJANGO_URL_ROUTING = "reflex_led"``), for test_reflex_led.py."""

from config.settings.local import *  # noqa: F403

REFLEX_DJANGO_URL_ROUTING = "reflex_led"
