"""Reflex states of the auth pages: thin adapters over ``accounts.py``.

Every handler builds the Django request for its event (``django_request``)
and resolves the user from the session at that moment, so no handler acts
on a user that has since logged out. ORM work runs in ``sync_to_async``.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import reflex as rx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.middleware.csrf import CSRF_SESSION_KEY
from django.urls import reverse
from reflex.event import EventSpec

from ..origins import asgi_header_name
from . import accounts
from .conf import auth_settings
from .request import EventRequest, django_request

NO_CSRF_COOKIE = (
    "Your browser did not send the site's cookies. "
    "Enable cookies for this site, reload the page and try again."
)

#: Runs in the browser after a successful password check: POST the ticket to
#: Django's session view (which sets the HttpOnly cookie), then load ``next``
#: as a new page, so that the WebSocket reconnects with the new cookie.
#: Resolves to an error message for the page, or to "" when leaving it.
HAND_OFF_JS = """async (url, ticket, csrfHeader, csrfToken) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {[csrfHeader]: csrfToken},
      body: new URLSearchParams({ticket}),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      window.location.assign(body.next);
      return "";
    }
    return body.error || `The login failed (HTTP ${response.status}). Reload the page and try again.`;
  } catch (error) {
    return "The server could not be reached. Check your connection and try again.";
  }
}"""


def csrf_secret(request: EventRequest) -> str:
    """The browser's CSRF secret, which Django accepts as the token itself."""
    if settings.CSRF_USE_SESSIONS:
        return request.session.get(CSRF_SESSION_KEY, "")
    return request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")


def hand_off(ticket: str, csrf_token: str, on_error: rx.EventHandler) -> EventSpec:
    """The browser side of a login: redeem ``ticket`` at Django's session view."""
    args = (reverse("reflex_django_auth:session"), ticket, asgi_header_name(settings.CSRF_HEADER_NAME), csrf_token)
    call = f"({HAND_OFF_JS})({', '.join(json.dumps(arg) for arg in args)})"
    return rx.call_script(call, callback=on_error)


def joined_errors(field_errors: dict[str, list[str]]) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in field_errors.items()}


class AuthState(rx.State):
    """Who is logged in, for components; logout and the login guard."""

    username: str = ""
    is_authenticated: bool = False

    async def _resolve_user(self, request: EventRequest) -> None:
        """Load the user from the session now, and show it."""
        user = await request.auser()
        self.is_authenticated = user.is_authenticated
        self.username = user.get_username() if user.is_authenticated else ""

    @rx.event
    async def refresh(self) -> None:
        """Re-read the user: put it on a page's ``on_mount`` to show who is in."""
        await self._resolve_user(django_request(self))

    @rx.event
    async def logout(self) -> EventSpec:
        await sync_to_async(accounts.log_out)(django_request(self))
        self.is_authenticated, self.username = False, ""
        return rx.redirect(auth_settings().logout_redirect)

    @rx.event
    async def require_login(self) -> EventSpec | None:
        """``on_load`` of ``login_required`` pages: anonymous visitors go to the login page."""
        await self._resolve_user(django_request(self))
        if self.is_authenticated:
            return None
        url = self.router.url
        here = url.path + (f"?{url.query}" if url.query else "")
        query = urlencode({"next": here})
        return rx.redirect(f"{auth_settings().login_route}?{query}", replace=True)


class LoginState(rx.State):
    error: str = ""

    @rx.event
    async def submit(self, form: dict[str, str]) -> EventSpec | None:
        request = django_request(self)
        login, password = form.get("login", ""), form.get("password", "")
        csrf_token = await sync_to_async(csrf_secret)(request)
        if not csrf_token:
            self.error = NO_CSRF_COOKIE
            return None
        await asyncio.sleep(await sync_to_async(accounts.login_delay)(request, login))
        next_path = self.router.url.query_parameters.get("next")
        outcome = await sync_to_async(accounts.log_in)(request, login, password, next_path)
        self.error = outcome.error
        return hand_off(outcome.ticket, csrf_token, LoginState.show_error) if outcome.ok else None

    @rx.event
    def show_error(self, error: str) -> None:
        self.error = error


class RegisterState(rx.State):
    error: str = ""
    errors: dict[str, str] = {}

    @rx.event
    async def submit(self, form: dict[str, str]) -> EventSpec | None:
        request = django_request(self)
        csrf_token = await sync_to_async(csrf_secret)(request)
        if not csrf_token:
            self.error = NO_CSRF_COOKIE
            return None
        next_path = self.router.url.query_parameters.get("next")
        outcome = await sync_to_async(accounts.register)(request, form, next_path)
        self.error, self.errors = outcome.error, joined_errors(outcome.field_errors)
        return hand_off(outcome.ticket, csrf_token, RegisterState.show_error) if outcome.ok else None

    @rx.event
    def show_error(self, error: str) -> None:
        self.error = error


class PasswordResetState(rx.State):
    sent: bool = False
    error: str = ""
    errors: dict[str, str] = {}

    @rx.event
    async def submit(self, form: dict[str, str]) -> None:
        request = django_request(self)
        outcome = await sync_to_async(accounts.request_password_reset)(request, form.get("email", ""))
        self.error, self.errors = outcome.error, joined_errors(outcome.field_errors)
        self.sent = outcome.ok


class PasswordResetConfirmState(rx.State):
    """The page the emailed link opens: ``?uid=...&token=...``."""

    link_valid: bool = False
    done: bool = False
    error: str = ""
    errors: dict[str, str] = {}

    def _link(self) -> tuple[str, str]:
        params = self.router.url.query_parameters
        return params.get("uid", ""), params.get("token", "")

    @rx.event
    async def check_link(self) -> None:
        user = await sync_to_async(accounts.reset_link_user)(*self._link())
        self.link_valid, self.done, self.errors = user is not None, False, {}
        self.error = "" if self.link_valid else accounts.INVALID_RESET_LINK

    @rx.event
    async def submit(self, form: dict[str, str]) -> None:
        outcome = await sync_to_async(accounts.reset_password)(*self._link(), form)
        self.error, self.errors = outcome.error, joined_errors(outcome.field_errors)
        self.done = outcome.ok
