"""One login throttle for every ``authenticate()`` call in the project.

``ThrottleBackend`` goes first in ``AUTHENTICATION_BACKENDS``. Django asks
it before any backend that checks a password, so the admin's login, the
Reflex login page and any view a project adds later all share the same
counts, as django-axes does it. It counts the attempt first (so parallel
attempts cannot slip under the limit), then either steps aside, letting the
next backend check the password, or raises ``PermissionDenied``, which makes
``authenticate()`` return ``None`` without checking anything.

A correct password takes its attempt back (:func:`forgive_login`): the
auth pages do it when they check one, and any other ``login()`` (the
admin's) through the ``user_logged_in`` signal.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .conf import AuthSettings, auth_settings
from .throttle import Limit, Throttle, Verdict

IPV6 = 6
#: The IPv6 prefix one client is counted by.
IPV6_CLIENT_PREFIX = 64

#: Set on the request whose attempt the throttle refused, as django-axes
#: sets ``axes_locked_out``: the caller can then say why, not just "wrong".
LOCKED_OUT_ATTRIBUTE = "reflex_django_locked_out"

#: Set by the session view on a login that redeems a ticket: its password
#: check was forgiven already, and must not be forgiven twice.
TICKET_LOGIN_ATTRIBUTE = "reflex_django_ticket_login"


def login_throttle(conf: AuthSettings) -> Throttle:
    return Throttle("login", window=conf.lockout_seconds)


def client_of(request: HttpRequest) -> str:
    """The client's address as the ASGI server saw it (see run_reflex's proxy options).

    An IPv6 client counts as its /64 network: one subscriber usually holds a
    whole /64, and could otherwise take a fresh address for every guess.
    """
    address = request.META.get("REMOTE_ADDR", "")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == IPV6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return address


def login_limits(conf: AuthSettings, request: HttpRequest, username: str) -> tuple[Limit, Limit]:
    """An account and client pair, slowed then locked; the client alone, capped.

    Counting the pair, not the account, means nobody can lock an account
    out for its owner by failing on purpose from somewhere else.
    """
    client = client_of(request)
    return (
        Limit(
            f"pair:{username}|{client}",
            lockout_after=conf.login_failures_before_lockout,
            delay_after=conf.login_failures_before_delay,
        ),
        Limit(f"client:{client}", lockout_after=conf.client_failures_before_lockout),
    )


def login_verdict(request: HttpRequest, username: str) -> Verdict:
    """The verdict on the next attempt, without counting it."""
    conf = auth_settings()
    return login_throttle(conf).verdict(*login_limits(conf, request, username))


def forgive_login(request: HttpRequest, user: AbstractBaseUser) -> None:
    """A correct password is not a failure: take its attempt back."""
    conf = auth_settings()
    pair, client = login_limits(conf, request, user.get_username())
    throttle = login_throttle(conf)
    throttle.clear(pair.identity)
    throttle.forgive(client.identity)


def forgive_logged_in(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """``user_logged_in`` receiver, for logins other than ticket redemptions."""
    if request is not None and not getattr(request, TICKET_LOGIN_ATTRIBUTE, False):
        forgive_login(request, user)


def count_attempt(request: HttpRequest, username: str) -> bool:
    """Count a login attempt; whether it may go on to the password check."""
    conf = auth_settings()
    if login_throttle(conf).hit(*login_limits(conf, request, username)).refused:
        setattr(request, LOCKED_OUT_ATTRIBUTE, True)
        return False
    return True


class ThrottleBackend(BaseBackend):
    """Counts every authentication attempt; refuses those over the limits."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **credentials: Any
    ) -> None:
        if request is None:  # no client to count against: nothing to decide
            return None
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD, "")
        if not count_attempt(request, str(username)):
            raise PermissionDenied("Too many failed login attempts.")
        return None
