"""SPA pages. Each @template route is client-routed by Reflex: do not add a
Django path() for it (a hard refresh reaches the SPA through reflex_mount)."""

import reflex as rx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reflex_django import AuthState, add_auth_pages, template

from .components import add_to_cart_button, layout
from .state import (
    AccountState,
    CartState,
    CatalogState,
    CheckoutState,
    OrdersState,
    ProductState,
)

# /login, /register, /password_reset and /password_reset_confirm; see
# REFLEX_DJANGO_AUTH in config/settings/base.py.
add_auth_pages()


def product_card(product) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.link(product.name, href=f"/products/{product.slug}", id=f"product-{product.slug}"),
            rx.text(product.price),
            add_to_cart_button(product.slug, product.stock),
        ),
    )


@template(route="/", title="{{ cookiecutter.project_name }}", on_load=CatalogState.load)
def index() -> rx.Component:
    return layout(
        "{{ cookiecutter.project_name }}",
        rx.text("{{ cookiecutter.description }}"),
        rx.hstack(
            rx.input(
                placeholder=_("Search"),
                value=CatalogState.query,
                on_change=CatalogState.search.debounce(300),
                id="search",
            ),
            rx.select.root(
                rx.select.trigger(placeholder=_("All categories"), id="category"),
                rx.select.content(
                    rx.select.item(_("All categories"), value="all"),
                    rx.foreach(
                        CatalogState.categories,
                        lambda c: rx.select.item(c.name, value=c.slug, id=f"category-{c.slug}"),
                    ),
                ),
                on_change=CatalogState.choose_category,
            ),
            rx.text(CatalogState.matches, " ", _("products"), id="matches"),
            align="center",
            padding_y="1em",
        ),
        rx.flex(rx.foreach(CatalogState.products, product_card), wrap="wrap", gap="1em"),
    )


@template(route="/products/[slug]", title=gettext_lazy("Product"), on_load=ProductState.load)
def product() -> rx.Component:
    return layout(
        ProductState.name,
        rx.cond(
            ProductState.found,
            rx.vstack(
                rx.text(ProductState.category, color_scheme="gray"),
                rx.cond(
                    ProductState.image != "",
                    rx.image(src=ProductState.image, alt=ProductState.name, max_width="20em"),
                ),
                rx.text(ProductState.description),
                rx.text(ProductState.price, weight="bold", id="product-price"),
                rx.text(ProductState.stock, " ", _("in stock"), id="product-stock"),
                add_to_cart_button(ProductState.product_slug, ProductState.stock),
            ),
            rx.text(_("This product does not exist, or is no longer sold."), id="not-found"),
        ),
        rx.link(_("All products"), href="/"),
    )


def cart_line(line) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(line.name, href=f"/products/{line.slug}")),
        rx.table.cell(line.unit_price),
        rx.table.cell(
            rx.input(
                type="number",
                min=1,
                value=line.quantity.to_string(),
                on_change=CartState.set_quantity(line.slug).debounce(500),
                width="5em",
                id=f"quantity-{line.slug}",
            )
        ),
        rx.table.cell(line.total, id=f"line-total-{line.slug}"),
        rx.table.cell(
            rx.button(
                _("Remove"),
                on_click=CartState.remove(line.slug),
                variant="soft",
                id=f"remove-{line.slug}",
            )
        ),
        id=f"line-{line.slug}",
    )


@template(route="/cart", title=gettext_lazy("Cart"))
def cart() -> rx.Component:
    return layout(
        _("Cart"),
        rx.cond(
            CartState.count > 0,
            rx.vstack(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(_("Product")),
                            rx.table.column_header_cell(_("Price")),
                            rx.table.column_header_cell(_("Quantity")),
                            rx.table.column_header_cell(_("Total")),
                            rx.table.column_header_cell(""),
                        )
                    ),
                    rx.table.body(rx.foreach(CartState.lines, cart_line)),
                ),
                rx.text(_("Total"), ": ", CartState.total, weight="bold", id="cart-total"),
                rx.text(CartState.error, color_scheme="red", id="cart-error"),
                rx.link(rx.button(_("Check out"), id="to-checkout"), href="/checkout"),
            ),
            rx.text(_("Your cart is empty."), id="cart-empty"),
        ),
    )


@template(route="/checkout", title=gettext_lazy("Checkout"), login_required=True)
def checkout() -> rx.Component:
    return layout(
        _("Checkout"),
        rx.foreach(
            CartState.lines,
            lambda line: rx.text(line.quantity, " × ", line.name, ": ", line.total),
        ),
        rx.text(_("Total"), ": ", CartState.total, weight="bold", id="checkout-total"),
        rx.text(CheckoutState.error, color_scheme="red", id="checkout-error"),
        rx.button(
            _("Place the order"),
            on_click=CheckoutState.place_order,
            disabled=CartState.count == 0,
            id="place-order",
        ),
    )


@template(
    route="/orders",
    title=gettext_lazy("Your orders"),
    on_load=OrdersState.load,
    login_required=True,
)
def orders() -> rx.Component:
    return layout(
        _("Your orders"),
        rx.cond(
            OrdersState.orders.length() > 0,
            rx.vstack(
                rx.foreach(
                    OrdersState.orders,
                    lambda order: rx.card(
                        rx.heading(_("Order"), " ", order.number, size="4"),
                        rx.text(order.placed, " · ", order.total),
                        rx.foreach(order.lines, rx.text),
                        id=f"order-{order.number}",
                        class_name="order",
                    ),
                ),
            ),
            rx.text(_("You have no orders yet."), id="no-orders"),
        ),
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
