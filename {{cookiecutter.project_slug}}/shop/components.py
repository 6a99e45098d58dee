"""The layout every shop page shares. Its text is translated at build time."""

import reflex as rx
from django.utils.translation import gettext as _

from reflex_django import AuthState, auth_settings, django_messages

from .state import CartState


def nav_link(label: str, href: str, name: str) -> rx.Component:
    """A client-routed link: the SPA changes page without a document request."""
    return rx.link(label, href=href, id=f"nav-{name}")


def account_menu() -> rx.Component:
    return rx.cond(
        AuthState.is_authenticated,
        rx.hstack(
            nav_link(_("Orders"), "/orders", "orders"),
            rx.link(AuthState.username, href="/account", id="nav-user"),
            rx.button(
                _("Log out"), on_click=AuthState.logout, variant="soft", size="1", id="logout"
            ),
            align="center",
        ),
        rx.link(_("Log in"), href=auth_settings().login_route, id="nav-login"),
    )


def layout(title: str | rx.Var, *children: rx.Component) -> rx.Component:
    return rx.container(
        rx.hstack(
            nav_link(_("Home"), "/", "home"),
            nav_link(_("About"), "/about", "about"),
            nav_link(_("Cart"), "/cart", "cart"),
            # Django's admin is not an SPA route: a plain <a> loads it from the server.
            rx.el.a(_("Admin"), href="/admin/", id="nav-admin"),
            rx.spacer(),
            account_menu(),
            rx.badge(CartState.count, " ", _("in cart"), id="cart-badge"),
            width="100%",
            padding_y="1em",
            align="center",
            # Who is logged in, and their cart, are read from the Django session
            # on every page.
            on_mount=[AuthState.refresh, CartState.load],
        ),
        django_messages(),
        rx.heading(title, size="8", id="page-title"),
        *children,
        padding="1em",
    )


def add_to_cart_button(slug: str | rx.Var, stock: int | rx.Var) -> rx.Component:
    return rx.cond(
        stock > 0,
        rx.button(_("Add to cart"), on_click=CartState.add(slug), id=f"add-{slug}"),
        rx.button(_("Sold out"), disabled=True, id=f"add-{slug}"),
    )
