"""The layout every shop page shares."""

import reflex as rx

from .state import CartState


def nav_link(label: str, href: str) -> rx.Component:
    """A client-routed link: the SPA changes page without a document request."""
    return rx.link(label, href=href, id=f"nav-{label.lower()}")


def layout(title: str | rx.Var, *children: rx.Component) -> rx.Component:
    return rx.container(
        rx.hstack(
            nav_link("Home", "/"),
            nav_link("About", "/about"),
            nav_link("Cart", "/cart"),
            # Django's admin is not an SPA route: a plain <a> loads it from the server.
            rx.el.a("Admin", href="/admin/", id="nav-admin"),
            rx.spacer(),
            rx.badge(CartState.count, " in cart", id="cart-badge"),
            width="100%",
            padding_y="1em",
        ),
        rx.heading(title, size="8", id="page-title"),
        *children,
        padding="1em",
    )
