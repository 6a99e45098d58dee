"""One-time tickets that carry a verified login from Reflex to Django.

Reflex checks the password over its WebSocket, but a WebSocket message cannot
set an HttpOnly cookie. So a successful check issues a ticket: a random
secret, kept in Django's cache for a minute, that the browser POSTs to
Django's session view (with its CSRF token). That view redeems it, calls
``django.contrib.auth.login()`` and answers with the session cookie. The
session key itself never passes through JavaScript.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import load_backend
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.crypto import constant_time_compare
from django.views.decorators.debug import sensitive_variables

from .cache import auth_cache, cache_key

#: Seconds between the password check and the browser's POST.
TICKET_MAX_AGE = 60


@dataclass(frozen=True)
class Grant:
    """What a redeemed ticket proves: this user, via this backend, going there."""

    user: AbstractBaseUser
    backend: str
    next_path: str


def browser_hash(browser: str) -> str:
    return hashlib.sha256(browser.encode()).hexdigest()


@sensitive_variables("ticket", "browser")
def issue(user: AbstractBaseUser, next_path: str, browser: str = "") -> str:
    """A fresh ticket for ``user``, who ``authenticate()`` has just returned.

    It is bound to the user's password as it is now (the HMAC Django keeps in
    every session for the same purpose), so a password reset kills it; and
    to ``browser``, the CSRF secret of the browser that logged in, so that a
    ticket seen by anyone else (say, through a stolen tab token) is useless.
    """
    ticket = secrets.token_urlsafe(32)
    grant = {
        "user_id": str(user.pk),
        "backend": user.backend,
        "next": next_path,
        "auth_hash": user.get_session_auth_hash(),
        "browser": browser_hash(browser),
    }
    auth_cache().set(cache_key("ticket", ticket), grant, TICKET_MAX_AGE)
    return ticket


@sensitive_variables("ticket", "browser")
def redeem(ticket: str, browser: str = "") -> Grant | None:
    """The grant behind ``ticket``, once: a second redemption gets ``None``.

    ``cache.delete()`` reports whether it removed the key, so of two
    concurrent redemptions only one wins. The user is loaded again, so an
    account deactivated, or a password changed, in the meantime is refused.
    """
    cache, key = auth_cache(), cache_key("ticket", ticket)
    grant = cache.get(key)
    if grant is None or not cache.delete(key):
        return None
    if not constant_time_compare(grant["browser"], browser_hash(browser)):
        return None
    user = load_backend(grant["backend"]).get_user(grant["user_id"])
    if user is None or not constant_time_compare(user.get_session_auth_hash(), grant["auth_hash"]):
        return None
    return Grant(user=user, backend=grant["backend"], next_path=grant["next"])
