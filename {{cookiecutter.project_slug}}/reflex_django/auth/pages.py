"""The four auth pages: Reflex components, registered as SPA routes.

Element ids (``#field-<name>``, ``#error-<name>``, ``#form-error``,
``#auth-submit``) are stable, for your own browser tests as for ours.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from ..pages import template
from .conf import AuthSettings, auth_settings
from .state import LoginState, PasswordResetConfirmState, PasswordResetState, RegisterState


def auth_card(conf: AuthSettings, title: str, *children: rx.Component) -> rx.Component:
    brand = [rx.text(conf.brand, size="2", color_scheme="gray", id="auth-brand")] if conf.brand else []
    return rx.center(
        rx.card(
            rx.vstack(*brand, rx.heading(title, size="6", id="page-title"), *children, width="100%"),
            width="100%",
            max_width="26em",
        ),
        padding="10vh 1em",
    )


def message(text: Var, color: str, id: str) -> rx.Component:
    """A callout that shows only while ``text`` is not empty."""
    return rx.cond(text != "", rx.callout(text, color_scheme=color, id=id, width="100%"))


def field(
    label: str, name: str, errors: Var | None = None, type: str = "text", autocomplete: str = ""
) -> rx.Component:
    error = errors.get(name, "") if errors is not None else None
    return rx.vstack(
        rx.el.label(label, html_for=f"field-{name}"),
        rx.input(
            name=name, id=f"field-{name}", type=type, required=True, auto_complete=autocomplete, width="100%"
        ),
        rx.cond(error != "", rx.text(error, color_scheme="red", size="1", id=f"error-{name}"))
        if error is not None
        else rx.fragment(),
        spacing="1",
        width="100%",
    )


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
        links.append(rx.link("Create an account", href=conf.register_route, id="link-register"))
    if conf.password_reset_enabled:
        links.append(rx.link("Forgot your password?", href=conf.password_reset_route, id="link-reset"))
    return auth_card(
        conf,
        "Log in",
        message(LoginState.error, "red", "form-error"),
        form(
            LoginState.submit,
            "Log in",
            field(
                "Email address" if by_email else "Username",
                "login",
                type="email" if by_email else "text",
                autocomplete="email" if by_email else "username",
            ),
            field("Password", "password", type="password", autocomplete="current-password"),
        ),
        rx.hstack(*links, justify="between", width="100%"),
    )


def register_page() -> rx.Component:
    conf = auth_settings()
    errors = RegisterState.errors
    return auth_card(
        conf,
        "Create an account",
        message(RegisterState.error, "red", "form-error"),
        form(
            RegisterState.submit,
            "Create account",
            field("Username", "username", errors, autocomplete="username"),
            field("Email address", "email", errors, type="email", autocomplete="email"),
            field("Password", "password1", errors, type="password", autocomplete="new-password"),
            field("Password again", "password2", errors, type="password", autocomplete="new-password"),
        ),
        rx.link("I already have an account", href=conf.login_route, id="link-login"),
    )


def password_reset_page() -> rx.Component:
    conf = auth_settings()
    return auth_card(
        conf,
        "Reset your password",
        rx.cond(
            PasswordResetState.sent,
            rx.callout(
                "If an account uses that email address, we have sent it a link to choose "
                "a new password.",
                id="form-done",
            ),
            rx.fragment(
                message(PasswordResetState.error, "red", "form-error"),
                form(
                    PasswordResetState.submit,
                    "Email me a link",
                    field("Email address", "email", PasswordResetState.errors, type="email"),
                ),
            ),
        ),
        rx.link("Back to log in", href=conf.login_route, id="link-login"),
    )


def password_reset_confirm_page() -> rx.Component:
    conf = auth_settings()
    errors = PasswordResetConfirmState.errors
    return auth_card(
        conf,
        "Choose a new password",
        message(PasswordResetConfirmState.error, "red", "form-error"),
        rx.cond(
            PasswordResetConfirmState.done,
            rx.callout("Your password has been changed. You can log in with it now.", id="form-done"),
            rx.cond(
                PasswordResetConfirmState.link_valid,
                form(
                    PasswordResetConfirmState.submit,
                    "Change my password",
                    field("New password", "new_password1", errors, type="password", autocomplete="new-password"),
                    field("New password again", "new_password2", errors, type="password", autocomplete="new-password"),
                ),
            ),
        ),
        rx.link("Log in", href=conf.login_route, id="link-login"),
    )


def register_auth_pages() -> None:
    """Register the auth pages at the routes ``REFLEX_DJANGO_AUTH`` names.

    Call it in an app's ``views.py``; pages turned off in the settings are
    not registered at all.
    """
    conf = auth_settings()
    template(conf.login_route, title="Log in")(login_page)
    if conf.signup_enabled:
        template(conf.register_route, title="Create an account")(register_page)
    if conf.password_reset_enabled:
        template(conf.password_reset_route, title="Reset your password")(password_reset_page)
        template(
            conf.password_reset_confirm_route,
            title="Choose a new password",
            on_load=PasswordResetConfirmState.check_link,
        )(password_reset_confirm_page)
