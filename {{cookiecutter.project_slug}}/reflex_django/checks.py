"""System checks: catch each routing pitfall of the design before a user does.

Each check has a stable id (``reflex_django.E0xx`` for errors, ``W0xx`` for
warnings), a message that says what is wrong, and a hint that says the fix.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from .conf import ROUTING_MODES, setting
from .prefixes import reserved_reflex_prefixes


@register()
def check_settings(**kwargs: Any) -> list[CheckMessage]:
    """E001: an unknown routing mode; E002: an unusable reserved prefix."""
    errors: list[CheckMessage] = []
    routing = setting("URL_ROUTING")
    if routing not in ROUTING_MODES:
        errors.append(
            Error(
                f"REFLEX_DJANGO_URL_ROUTING = {routing!r} is not a supported mode.",
                hint='Remove the setting, or set it to "auto".',
                id="reflex_django.E001",
            )
        )
    try:
        reserved_reflex_prefixes()
    except ImproperlyConfigured as exc:
        errors.append(
            Error(
                f"REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES: {exc}",
                hint="List path prefixes such as '/_my_reflex_api'.",
                id="reflex_django.E002",
            )
        )
    return errors
