"""Reflex states: they live in the server process and change over /_event.

They show the shop's Django models. The catalogue is read with Django's async
ORM, so the event loop never waits on a query. Cart and order changes go
through ``shop.carts`` and ``shop.orders``, the same functions the JSON API
calls, on ``reflex_django.run_sync``'s threads: they are transactions.
"""

from __future__ import annotations

import dataclasses
import json

import reflex as rx
from django.db.models import Q
from django.utils.translation import gettext as _

from reflex_django import django_request, run_sync

from . import carts
from .models import Category, Order, Product
from .orders import CheckoutError, checkout

#: Where the browser goes after an order: a Django view that sets the
#: "Order N placed" message and redirects to /orders (shop/http.py).
ORDER_PLACED_URL = "/shop/orders/{number}/placed/"


def money(amount) -> str:
    """A Decimal amount as the pages show it; never through a float."""
    return f"{amount:.2f} EUR"


@dataclasses.dataclass
class ProductCard:
    slug: str
    name: str
    price: str
    stock: int

    @classmethod
    def of(cls, product: Product) -> ProductCard:
        return cls(product.slug, product.name, money(product.price), product.stock)


@dataclasses.dataclass
class CategoryChoice:
    slug: str
    name: str


@dataclasses.dataclass
class CartLine:
    slug: str
    name: str
    unit_price: str
    quantity: int
    total: str


@dataclasses.dataclass
class OrderSummary:
    number: int
    placed: str
    total: str
    lines: list[str]


class CatalogState(rx.State):
    """The catalogue on /: search text, a category, and what they match."""

    query: str = ""
    category: str = ""
    categories: list[CategoryChoice] = []
    products: list[ProductCard] = []
    matches: int = 0

    @rx.event
    async def load(self) -> None:
        if not self.categories:
            self.categories = [CategoryChoice(c.slug, c.name) async for c in Category.objects.all()]
        found = Product.objects.on_sale()
        if self.query.strip():
            text = self.query.strip()
            found = found.filter(Q(name__icontains=text) | Q(description__icontains=text))
        if self.category:
            found = found.filter(category__slug=self.category)
        self.matches = await found.acount()
        self.products = [ProductCard.of(product) async for product in found[:48]]

    @rx.event
    async def search(self, query: str) -> None:
        self.query = query
        await self.load()

    @rx.event
    async def choose_category(self, slug: str) -> None:
        self.category = "" if slug == "all" else slug
        await self.load()


class ProductState(rx.State):
    """The product named by the dynamic route /products/[slug]."""

    found: bool = True
    product_slug: str = ""
    name: str = ""
    description: str = ""
    price: str = ""
    stock: int = 0
    category: str = ""
    image: str = ""

    @rx.event
    async def load(self) -> None:
        slug = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            product = await Product.objects.on_sale().select_related("category").aget(slug=slug)
        except Product.DoesNotExist:
            self.found, self.name = False, _("No such product")
            return
        self.found, self.product_slug = True, product.slug
        self.name, self.description = product.name, product.description
        self.price, self.stock = money(product.price), product.stock
        self.category = product.category.name
        self.image = product.image.url if product.image else ""


class CartState(rx.State):
    """The visitor's cart, as ``shop.carts`` keeps it in the database.

    The state is only a view of it: every change is written first, then read
    back, so every tab, the API and a restarted server agree.
    """

    lines: list[CartLine] = []
    count: int = 0
    total: str = money(0)
    error: str = ""

    def _show(self, cart_lines: list[carts.Line]) -> None:
        self.lines = [
            CartLine(
                line.product.slug,
                line.product.name,
                money(line.product.price),
                line.quantity,
                money(line.total),
            )
            for line in cart_lines
        ]
        self.count = carts.count(cart_lines)
        self.total = money(carts.total(cart_lines))

    @rx.event
    async def load(self) -> None:
        self._show(await run_sync(read_cart)(django_request(self)))

    async def _change(self, change, slug: str, *args) -> rx.event.EventSpec | None:
        request = django_request(self)
        try:
            self._show(await run_sync(change_cart)(request, change, slug, *args))
        except carts.QuantityError as error:
            self.error = str(error)
            return None
        except NoCart:
            # The session is gone (a logout in another window, say): a fresh
            # document brings a new one, and an event handler cannot.
            return rx.call_script("window.location.reload()")
        self.error = ""
        return None

    @rx.event
    async def add(self, slug: str) -> rx.event.EventSpec | None:
        return await self._change(carts.add, slug, 1)

    @rx.event
    async def set_quantity(self, slug: str, quantity: str) -> rx.event.EventSpec | None:
        try:
            number = int(quantity)
        except ValueError:
            self.error = _("The quantity must be a whole number.")
            return None
        return await self._change(carts.set_quantity, slug, number)

    @rx.event
    async def remove(self, slug: str) -> rx.event.EventSpec | None:
        return await self._change(carts.remove, slug)


class NoCart(Exception):
    """An anonymous event with no visitor id: it cannot start a cart."""


def read_cart(request) -> list[carts.Line]:
    return carts.lines(carts.find_cart(request))


def change_cart(request, change, slug: str, *args) -> list[carts.Line]:
    """Apply ``change(cart, product, *args)`` and answer the cart's lines."""
    cart = carts.find_cart(request, create=True)
    if cart is None:
        raise NoCart
    product = Product.objects.on_sale().filter(slug=slug).first()
    if product is not None:
        change(cart, product, *args)
    return carts.lines(cart)


class CheckoutState(rx.State):
    """/checkout: one button that calls ``shop.orders.checkout``."""

    error: str = ""

    @rx.event
    async def place_order(self) -> rx.event.EventSpec | None:
        user = await django_request(self).auser()
        try:
            order = await run_sync(checkout)(user)
        except CheckoutError as error:
            self.error = str(error)
            return CartState.load
        self.error = ""
        # A document load, not a client-side one: the message comes with it.
        target = json.dumps(ORDER_PLACED_URL.format(number=order.pk))
        return rx.call_script(f"window.location.assign({target})")


class OrdersState(rx.State):
    """/orders: the logged-in user's orders, newest first."""

    orders: list[OrderSummary] = []

    @rx.event
    async def load(self) -> None:
        user = await django_request(self).auser()
        found = Order.objects.filter(user=user).prefetch_related("items__product")
        self.orders = [
            OrderSummary(
                order.pk,
                f"{order.created:%Y-%m-%d %H:%M}",
                money(order.total),
                [f"{item.quantity} × {item.product.name}" for item in order.items.all()],
            )
            async for order in found
        ]


class AccountState(rx.State):
    """The logged-in user's details, for the /account page.

    Like any handler that touches private data, ``load`` asks Django who is
    logged in at this moment, rather than trusting what the page shows.
    """

    member_since: str = ""

    @rx.event
    async def load(self) -> None:
        user = await django_request(self).auser()
        self.member_since = f"{user.date_joined:%d %B %Y}" if user.is_authenticated else ""
