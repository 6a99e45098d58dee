"""Reflex states: they live in the server process and change over /_event."""

import reflex as rx
from django.utils.translation import gettext as _

from reflex_django import django_request

from .catalog import PRODUCTS, find_product


class CartState(rx.State):
    """The visitor's cart, kept per browser tab by Reflex's state manager."""

    slugs: list[str] = []

    @rx.event
    def add(self, slug: str) -> None:
        if find_product(slug):
            self.slugs.append(slug)

    @rx.event
    def clear(self) -> None:
        self.slugs = []

    @rx.var
    def count(self) -> int:
        return len(self.slugs)

    @rx.var
    def lines(self) -> list[str]:
        names = {p.slug: p.name for p in PRODUCTS}
        return [names[slug] for slug in self.slugs]


class ProductState(rx.State):
    """The product named by the dynamic route /products/[slug]."""

    @rx.var
    def name(self) -> str:
        slug = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        product = find_product(slug)
        return product.name if product else _("No such product")


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
