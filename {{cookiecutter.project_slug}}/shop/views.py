"""SPA pages. Each @template route is client-routed by Reflex: do not add a
Django path() for it (a hard refresh reaches the SPA through reflex_mount)."""

import reflex as rx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reflex_django import AuthState, add_auth_pages, template

from .catalog import PRODUCTS
from .components import layout
from .state import AccountState, CartState, ProductState

# /login, /register, /password_reset and /password_reset_confirm; see
# REFLEX_DJANGO_AUTH in config/settings/base.py.
add_auth_pages()


def product_card(slug: str, name: str, price: str) -> rx.Component:
    return rx.card(
        rx.link(name, href=f"/products/{slug}", id=f"product-{slug}"),
        rx.text(f"{price} EUR"),
        rx.button(_("Add to cart"), on_click=CartState.add(slug), id=f"add-{slug}"),
    )


@template(route="/", title="{{ cookiecutter.project_name }}")
def index() -> rx.Component:
    return layout(
        "{{ cookiecutter.project_name }}",
        rx.text("{{ cookiecutter.description }}"),
        rx.hstack(*(product_card(p.slug, p.name, p.price) for p in PRODUCTS), wrap="wrap"),
    )


@template(route="/about", title=gettext_lazy("About"))
def about() -> rx.Component:
    return layout(
        _("About"),
        rx.text(
            _(
                "Django serves /admin/ and /api/; Reflex serves this page and its "
                "events, on the same port, with the same session."
            )
        ),
    )


@template(route="/cart", title=gettext_lazy("Cart"))
def cart() -> rx.Component:
    return layout(
        _("Cart"),
        rx.cond(
            CartState.count > 0,
            rx.vstack(
                rx.foreach(CartState.lines, lambda line: rx.text(line)),
                rx.button(_("Empty the cart"), on_click=CartState.clear, id="clear-cart"),
            ),
            rx.text(_("Your cart is empty."), id="cart-empty"),
        ),
    )


@template(route="/products/[slug]", title=gettext_lazy("Product"))
def product() -> rx.Component:
    return layout(ProductState.name, rx.link(_("All products"), href="/"))


@template(
    route="/account",
    title=gettext_lazy("Your account"),
    on_load=AccountState.load,
    login_required=True,
)
def account() -> rx.Component:
    return layout(
        _("Your account"),
        rx.text(
            _("You are logged in as "),
            rx.text.strong(AuthState.username, id="account-username"),
            ".",
        ),
        rx.text(
            _("Member since "), rx.text.span(AccountState.member_since, id="account-since"), "."
        ),
        rx.button(_("Log out"), on_click=AuthState.logout, id="account-logout"),
    )
