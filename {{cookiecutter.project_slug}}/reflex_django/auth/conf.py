"""``REFLEX_DJANGO_AUTH``: the built-in auth pages' settings, validated.

A project sets only the keys it changes::

    REFLEX_DJANGO_AUTH = {"LOGIN_FIELD": "email", "BRAND": "My Shop"}

A misspelt key or a value of the wrong kind raises ``ImproperlyConfigured``
when Django starts (``ReflexDjangoConfig.ready``), not on the first login.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from ..conf import setting

LOGIN_FIELDS = ("username", "email")

#: How the error messages name each kind of value.
KIND_NAMES = {str: "a string", bool: "True or False", int: "an integer"}


@dataclasses.dataclass(frozen=True)
class AuthSettings:
    """Each field is a ``REFLEX_DJANGO_AUTH`` key, upper-cased, with its default."""

    # SPA routes of the four pages that add_auth_pages() registers.
    login_route: str = "/login"
    register_route: str = "/register"
    password_reset_route: str = "/password_reset"
    password_reset_confirm_route: str = "/password_reset_confirm"
    # Where each action lands, unless a safe ?next= path says otherwise.
    login_redirect: str = "/"
    logout_redirect: str = "/"
    register_redirect: str = "/"
    # Turn whole pages off: their routes are then not registered at all.
    signup_enabled: bool = True
    password_reset_enabled: bool = True
    # What people type to log in: "username" or "email".
    login_field: str = "username"
    # The heading above every auth form; empty means no heading.
    brand: str = ""
    # Login throttling, counted in Django's cache for every authenticate()
    # call (the admin's login included) by ThrottleBackend. Per account and
    # client pair: past the first threshold each Reflex login waits 1, 2, then
    # 4 seconds; past the second, that pair is refused until LOCKOUT_SECONDS
    # have passed. Per client, whatever the account: refused past
    # CLIENT_FAILURES_BEFORE_LOCKOUT. A correct login takes its attempt back.
    # Nobody can lock an account out from elsewhere: other clients keep
    # their own counts.
    login_failures_before_delay: int = 3
    login_failures_before_lockout: int = 10
    client_failures_before_lockout: int = 50
    lockout_seconds: int = 900
    # Reset emails one address or client may request per LOCKOUT_SECONDS.
    password_resets_before_lockout: int = 5
    # Registration attempts (valid or not) one client may make per LOCKOUT_SECONDS.
    registrations_before_lockout: int = 10

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, type(field.default)) or (
                isinstance(value, bool) and field.type != "bool"
            ):
                raise invalid(field.name, value, f"must be {KIND_NAMES[type(field.default)]}")
            if field.name.endswith(("_route", "_redirect")) and not value.startswith("/"):
                raise invalid(field.name, value, "must be a path starting with '/'")
            if field.type == "int" and value < 1:
                raise invalid(field.name, value, "must be at least 1")
        if self.login_field not in LOGIN_FIELDS:
            raise invalid("login_field", self.login_field, f"must be one of {LOGIN_FIELDS}")
        if self.login_failures_before_delay >= self.login_failures_before_lockout:
            raise invalid(
                "login_failures_before_delay",
                self.login_failures_before_delay,
                "must be below LOGIN_FAILURES_BEFORE_LOCKOUT",
            )
        if self.client_failures_before_lockout < self.login_failures_before_lockout:
            raise invalid(
                "client_failures_before_lockout",
                self.client_failures_before_lockout,
                "must be at least LOGIN_FAILURES_BEFORE_LOCKOUT",
            )


def invalid(name: str, value: Any, reason: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"REFLEX_DJANGO_AUTH[{name.upper()!r}] = {value!r} {reason}.")


@functools.cache
def auth_settings() -> AuthSettings:
    """The project's ``REFLEX_DJANGO_AUTH`` over the defaults; errors name the key.

    Parsed once, and again after ``override_settings`` changes it (as
    ``django.contrib.auth.hashers`` caches its hashers).
    """
    overrides = setting("AUTH")
    if not isinstance(overrides, dict):
        raise ImproperlyConfigured(f"REFLEX_DJANGO_AUTH must be a dict, not {overrides!r}.")
    known = {field.name.upper() for field in dataclasses.fields(AuthSettings)}
    for key in overrides:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            suggestion = f" Did you mean {close[0]!r}?" if close else ""
            raise ImproperlyConfigured(
                f"REFLEX_DJANGO_AUTH has an unknown key {key!r}.{suggestion} "
                f"Known keys: {', '.join(sorted(known))}."
            )
    return AuthSettings(**{key.lower(): value for key, value in overrides.items()})


@receiver(setting_changed)
def reset_auth_settings(*, setting: str, **kwargs: Any) -> None:
    if setting == "REFLEX_DJANGO_AUTH":
        auth_settings.cache_clear()
