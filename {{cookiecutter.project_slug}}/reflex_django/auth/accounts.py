"""The account operations behind the auth pages, as plain synchronous Django.

Each takes the request built for a Reflex event (``request.py``) and returns
an :class:`Outcome` for the page to show. They use Django's own machinery:
``authenticate()``, ``logout()``, the user-creation and password forms (so
``AUTH_PASSWORD_VALIDATORS`` apply), the reset-token generator and the email
backend. Reflex's states call them through ``sync_to_async``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm, UserCreationForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from ..threads import run_in_background
from . import tickets
from .backends import LOCKED_OUT_ATTRIBUTE, client_of, count_attempt, forgive_login, login_verdict
from .conf import AuthSettings, auth_settings
from .request import csrf_secret
from .throttle import Limit, Throttle

LOCKED_OUT = gettext_lazy("Too many attempts. Please wait a while before trying again.")
INVALID_RESET_LINK = gettext_lazy(
    "This password reset link is invalid or has expired. Please request a new one."
)
RESET_EMAIL_TEMPLATE = "reflex_django/auth/password_reset_email.txt"
RESET_SUBJECT_TEMPLATE = "reflex_django/auth/password_reset_subject.txt"


@dataclass(frozen=True)
class Outcome:
    """What an operation tells the page: an error, field errors, or success."""

    error: str = ""
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    #: After a login or a registration: the ticket for Django's session view.
    ticket: str = ""

    def __post_init__(self) -> None:
        # Translated messages are lazy; Reflex state needs plain strings.
        object.__setattr__(self, "error", str(self.error))

    @property
    def ok(self) -> bool:
        return not self.error and not self.field_errors

    @classmethod
    def from_form(cls, form: forms.Form) -> Outcome:
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return cls(error=" ".join(errors.pop("__all__", [])), field_errors=errors)


def safe_next_path(value: str | None, default: str) -> str:
    """``value`` if it is a path on this site, else ``default``: no open redirects.

    Only paths count (``/cart?x=1``); absolute and scheme-relative URLs
    (``https://evil.example``, ``//evil.example``, ``/\\evil.example``) never do.
    """
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(value, None):
        return value
    return default


# -- Login -------------------------------------------------------------------


def login_delay(request: HttpRequest, login: str) -> float:
    """Seconds the page must wait before :func:`log_in` may try this login.

    Looked up under the same name the attempt will be counted under, so an
    address with an account is slowed down exactly like one without.
    """
    username = account_username(auth_settings(), login)
    return login_verdict(request, login if username is None else username).delay


def account_username(conf: AuthSettings, login: str) -> str | None:
    """The username ``login`` names: itself, or that of the one account with
    that email address (``None`` when none or several have it)."""
    if conf.login_field != "email":
        return login
    user_model = get_user_model()
    lookup = {f"{user_model.get_email_field_name()}__iexact": login.strip()}
    # Mutation testing: any slice beyond one row tells "one" from "several".
    matches = list(user_model._default_manager.filter(**lookup)[:2])  # pragma: no mutate
    return matches[0].get_username() if len(matches) == 1 else None


@sensitive_variables("password")
def log_in(request: HttpRequest, login: str, password: str, next_path: str | None) -> Outcome:
    """Check a password; on success, a ticket that Django's session view redeems.

    A wrong password, an unknown account and an inactive one all get the
    same message, and all count towards the throttle (``ThrottleBackend``).
    """
    conf = auth_settings()
    user = authenticate_login(request, conf, login, password)
    if getattr(request, LOCKED_OUT_ATTRIBUTE, False):
        return Outcome(error=LOCKED_OUT)
    if user is None:
        if conf.login_field == "email":
            return Outcome(error=_("Please enter a correct email address and password."))
        return Outcome(error=_("Please enter a correct username and password."))
    forgive_login(request, user)
    next_path = safe_next_path(next_path, conf.login_redirect)
    return Outcome(ticket=tickets.issue(user, next_path, csrf_secret(request)))


@sensitive_variables("password")
def authenticate_login(
    request: HttpRequest, conf: AuthSettings, login: str, password: str
) -> AbstractBaseUser | None:
    """``authenticate()`` with what was typed: a username, or an email address."""
    username = account_username(conf, login)
    if username is None:
        # Counted and hashed all the same, as ModelBackend does for an
        # unknown user: a faster answer would reveal that none matched.
        if count_attempt(request, login):
            get_user_model()().set_password(password)
        return None
    return authenticate(request, username=username, password=password)


def log_out(request: HttpRequest) -> None:
    """Django's ``logout()``: the session is deleted from the store, everywhere.

    Every tab of the browser keeps sending the old cookie, and from now on it
    names no session, so each tab's next event sees an anonymous user.
    """
    logout(request)


# -- Registration --------------------------------------------------------------


class RegistrationForm(UserCreationForm):
    """Django's user-creation form (password validators included), plus a unique email."""

    email = forms.EmailField()

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = (model.USERNAME_FIELD, "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        user_model = self._meta.model
        lookup = {f"{user_model.get_email_field_name()}__iexact": email}
        if user_model._default_manager.filter(**lookup).exists():
            raise ValidationError(_("A user with that email address already exists."))
        return email


@sensitive_variables("data")
def register(request: HttpRequest, data: dict[str, str], next_path: str | None) -> Outcome:
    """Create the account, then log it in like :func:`log_in` does.

    Every attempt counts against the client, valid or not: each one hashes
    a password, and a failed one tells whether a name or address is taken.
    """
    conf = auth_settings()
    limit = Limit(f"client:{client_of(request)}", lockout_after=conf.registrations_before_lockout)
    if Throttle("register", window=conf.lockout_seconds).hit(limit).refused:
        return Outcome(error=LOCKED_OUT)
    form = RegistrationForm(data)
    if not form.is_valid():
        return Outcome.from_form(form)
    user = form.save()
    # authenticate() names the backend that login() must record.
    user = authenticate(request, username=user.get_username(), password=data["password1"])
    if user is None:  # no backend accepts passwords (AUTHENTICATION_BACKENDS)
        return Outcome(error=_("Your account was created, but you could not be logged in."))
    forgive_login(request, user)
    next_path = safe_next_path(next_path, conf.register_redirect)
    return Outcome(ticket=tickets.issue(user, next_path, csrf_secret(request)))


# -- Password reset ---------------------------------------------------------------


class BackgroundPasswordResetForm(PasswordResetForm):
    """Django's reset form, which sends its email off the request path.

    The page answers as fast for an address with an account as for one
    without, so its timing tells nobody which addresses have accounts.
    """

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        run_in_background(super().send_mail, *args, **kwargs)


def request_password_reset(request: HttpRequest, email: str) -> Outcome:
    """Email a reset link if an active account has ``email``; say nothing either way.

    The link opens the SPA's confirm page with ``?uid=...&token=...``.
    """
    conf = auth_settings()
    form = BackgroundPasswordResetForm({"email": email})
    if not form.is_valid():
        return Outcome.from_form(form)
    limits = [
        Limit(identity, lockout_after=conf.password_resets_before_lockout)
        for identity in (f"email:{email}", f"client:{client_of(request)}")
    ]
    # Mutation testing: the scope name only has to differ from the other throttles'.
    throttle = Throttle("password_reset", window=conf.lockout_seconds)  # pragma: no mutate
    if throttle.hit(*limits).refused:
        return Outcome(error=LOCKED_OUT)
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name=RESET_SUBJECT_TEMPLATE,
        email_template_name=RESET_EMAIL_TEMPLATE,
        extra_email_context={
            "confirm_path": conf.password_reset_confirm_route,
            "brand": conf.brand,
        },
    )
    return Outcome()


def reset_link_user(uidb64: str, token: str) -> AbstractBaseUser | None:
    """The user a reset link is for, if the link is still valid."""
    user_model = get_user_model()
    try:
        user = user_model._default_manager.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, ValidationError, user_model.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


@sensitive_variables("token", "data")
def reset_password(uidb64: str, token: str, data: dict[str, str]) -> Outcome:
    """Set a new password through a reset link.

    The token is checked again here, not only when the page opened. Changing
    the password invalidates the user's other sessions (Django stores a hash
    of the password in each), so a stolen session dies with the old password.
    """
    user = reset_link_user(uidb64, token)
    if user is None:
        return Outcome(error=INVALID_RESET_LINK)
    form = SetPasswordForm(user, data)
    if not form.is_valid():
        return Outcome.from_form(form)
    form.save()
    return Outcome()
