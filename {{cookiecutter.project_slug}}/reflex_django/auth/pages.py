"""The four auth pages: Reflex components, registered as SPA routes.

Their text is translated when the SPA is built, into ``LANGUAGE_CODE``.

Element ids (``#field-<name>``, ``#error-<name>``, ``#form-error``,
``#auth-submit``) are stable, for your own browser tests as for ours.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import reflex as rx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reflex.vars import Var

from ..pages import Page, template
from .conf import auth_settings
from .state import (
    AuthState,
    LoginState,
    PasswordResetConfirmState,
    PasswordResetState,
    RegisterState,
)


def auth_card(title: str, state: type[rx.State], *children: rx.Component) -> rx.Component:
    """The frame of every auth page: brand, title, the state's form error."""
    brand = auth_settings().brand
    return rx.center(
        rx.card(
            rx.vstack(
                *(
                    [rx.text(brand, size="2", color_scheme="gray", id="auth-brand")]
                    if brand
                    else []
                ),
                rx.heading(title, size="6", id="page-title"),
                rx.cond(
                    state.error != "",
                    rx.callout(state.error, color_scheme="red", id="form-error", width="100%"),
                ),
                *children,
                width="100%",
            ),
            width="100%",
            max_width="26em",
        ),
        padding="10vh 1em",
    )


def field(
    label: str,
    name: str,
    errors: Var | None = None,
    input_type: str = "text",
    autocomplete: str = "",
) -> rx.Component:
    """A labelled input, with its own error below it when ``errors`` has one.

    ``input_type`` is the HTML ``type`` (``"password"``, ``"email"``).
    """
    error = errors.get(name, "") if errors is not None else None
    return rx.vstack(
        rx.el.label(label, html_for=f"field-{name}"),
        rx.input(
            name=name,
            id=f"field-{name}",
            type=input_type,
            required=True,
            auto_complete=autocomplete,
            width="100%",
        ),
        rx.cond(error != "", rx.text(error, color_scheme="red", size="1", id=f"error-{name}"))
        if error is not None
        else rx.fragment(),
        spacing="1",
        width="100%",
    )


def new_password_fields(
    labels: tuple[str, str], names: tuple[str, str], errors: Var
) -> list[rx.Component]:
    """A new password and its confirmation."""
    return [
        field(label, name, errors, input_type="password", autocomplete="new-password")
        for label, name in zip(labels, names, strict=True)
    ]


def form(on_submit: rx.EventHandler, submit_label: str, *fields: rx.Component) -> rx.Component:
    return rx.form(
        rx.vstack(*fields, rx.button(submit_label, type="submit", id="auth-submit", width="100%")),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def login_page() -> rx.Component:
    conf = auth_settings()
    by_email = conf.login_field == "email"
    links = []
    if conf.signup_enabled:
        links.append(rx.link(_("Create an account"), href=conf.register_route, id="link-register"))
    if conf.password_reset_enabled:
        links.append(
            rx.link(_("Forgot your password?"), href=conf.password_reset_route, id="link-reset")
        )
    return auth_card(
        _("Log in"),
        LoginState,
        form(
            LoginState.submit,
            _("Log in"),
            field(
                _("Email address") if by_email else _("Username"),
                "login",
                input_type="email" if by_email else "text",
                autocomplete="email" if by_email else "username",
            ),
            field(
                _("Password"), "password", input_type="password", autocomplete="current-password"
            ),
        ),
        rx.hstack(*links, justify="between", width="100%"),
    )


def register_page() -> rx.Component:
    errors = RegisterState.errors
    return auth_card(
        _("Create an account"),
        RegisterState,
        form(
            RegisterState.submit,
            _("Create account"),
            field(_("Username"), "username", errors, autocomplete="username"),
            field(_("Email address"), "email", errors, input_type="email", autocomplete="email"),
            *new_password_fields(
                (_("Password"), _("Password again")), ("password1", "password2"), errors
            ),
        ),
        rx.link(_("I already have an account"), href=auth_settings().login_route, id="link-login"),
    )


def password_reset_page() -> rx.Component:
    return auth_card(
        _("Reset your password"),
        PasswordResetState,
        rx.cond(
            PasswordResetState.sent,
            rx.callout(
                _(
                    "If an account uses that email address, we have sent it a link to "
                    "choose a new password."
                ),
                id="form-done",
            ),
            form(
                PasswordResetState.submit,
                _("Email me a link"),
                field(_("Email address"), "email", PasswordResetState.errors, input_type="email"),
            ),
        ),
        rx.link(_("Back to log in"), href=auth_settings().login_route, id="link-login"),
    )


def password_reset_confirm_page() -> rx.Component:
    state = PasswordResetConfirmState
    return auth_card(
        _("Choose a new password"),
        state,
        rx.cond(
            state.done,
            rx.callout(
                _("Your password has been changed. You can log in with it now."), id="form-done"
            ),
            rx.cond(
                state.link_valid,
                form(
                    state.submit,
                    _("Change my password"),
                    *new_password_fields(
                        (_("New password"), _("New password again")),
                        ("new_password1", "new_password2"),
                        state.errors,
                    ),
                ),
            ),
        ),
        rx.link(_("Log in"), href=auth_settings().login_route, id="link-login"),
    )


def guarded(page: Page) -> Page:
    """``page`` behind the login check, which runs the page's own ``on_load``
    only once it has found a user; until then the page shows a spinner."""

    @functools.wraps(page.component)
    def component() -> Any:
        return rx.cond(AuthState.is_authenticated, page.component(), rx.center(rx.spinner()))

    return dataclasses.replace(page, component=component, on_load=AuthState.require_login)


#: The page functions register_auth_pages() adds (check E009 looks for them).
AUTH_PAGES = (login_page, register_page, password_reset_page, password_reset_confirm_page)


def register_auth_pages() -> None:
    """Register the auth pages at the routes ``REFLEX_DJANGO_AUTH`` names.

    Call it in an app's ``views.py``; pages turned off in the settings are
    not registered at all.
    """
    conf = auth_settings()
    template(conf.login_route, title=gettext_lazy("Log in"), on_load=LoginState.clear)(login_page)
    if conf.signup_enabled:
        template(
            conf.register_route,
            title=gettext_lazy("Create an account"),
            on_load=RegisterState.clear,
        )(register_page)
    if conf.password_reset_enabled:
        template(
            conf.password_reset_route,
            title=gettext_lazy("Reset your password"),
            on_load=PasswordResetState.clear,
        )(password_reset_page)
        template(
            conf.password_reset_confirm_route,
            title=gettext_lazy("Choose a new password"),
            on_load=PasswordResetConfirmState.check_link,
        )(password_reset_confirm_page)
