"""Carts in the database, shared by the Reflex pages and the JSON API.

A logged-in user has one cart; an anonymous visitor has one too, keyed by
``reflex_django.visitor_id``. Both the pages (over the event WebSocket) and
the API (over HTTP) find the same cart from the same Django session, so a
hard refresh, a second tab or a server restart shows the same cart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from reflex_django import visitor_id

from .models import MAX_QUANTITY, Cart, CartItem, Product


class QuantityError(ValueError):
    """A quantity outside 1..MAX_QUANTITY, for one line of a cart."""


@dataclass(frozen=True)
class Line:
    product: Product
    quantity: int

    @property
    def total(self) -> Decimal:
        return self.product.price * self.quantity


def find_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The cart of ``request``'s user or visitor; ``None`` if there is none.

    ``create`` makes a missing cart, but never a visitor id: an anonymous
    request without one gets ``None`` even then. An HTTP view may start one
    first with ``visitor_id(request, create=True)``; an event handler cannot
    (``reflex_django.visitors`` says why), and needs none, because the SPA
    document that opened the page gave the browser its id.
    """
    user = request.user
    if user.is_authenticated:
        owner = {"user": user}
    elif visitor := visitor_id(request):
        owner = {"visitor": visitor}
    else:
        return None
    if create:
        return Cart.objects.get_or_create(**owner)[0]
    return Cart.objects.filter(**owner).first()


def check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise QuantityError(
            _("The quantity must be between 1 and %(most)s.") % {"most": MAX_QUANTITY}
        )


def lines(cart: Cart | None) -> list[Line]:
    if cart is None:
        return []
    items = cart.items.select_related("product").filter(product__is_active=True)
    return [Line(item.product, item.quantity) for item in items]


def total(cart_lines: list[Line]) -> Decimal:
    return sum((line.total for line in cart_lines), Decimal(0))


def count(cart_lines: list[Line]) -> int:
    """How many items, all lines together: what the cart badge shows."""
    return sum(line.quantity for line in cart_lines)


def add(cart: Cart, product: Product, quantity: int = 1) -> int:
    """Add ``quantity`` of ``product``; answer the line's new quantity."""
    check_quantity(quantity)
    with transaction.atomic():
        item, created = CartItem.objects.select_for_update().get_or_create(
            cart=cart, product=product, defaults={"quantity": quantity}
        )
        if not created:
            check_quantity(item.quantity + quantity)
            item.quantity += quantity
            item.save(update_fields=["quantity"])
    return item.quantity


def set_quantity(cart: Cart, product: Product, quantity: int) -> None:
    """Make the line hold exactly ``quantity``, adding it if it is missing."""
    check_quantity(quantity)
    CartItem.objects.update_or_create(cart=cart, product=product, defaults={"quantity": quantity})


def remove(cart: Cart, product: Product) -> bool:
    """Drop the line; answer whether there was one."""
    deleted, _per_model = cart.items.filter(product=product).delete()
    return bool(deleted)


def merge_visitor_cart(visitor: str, user: AbstractBaseUser) -> None:
    """Move an anonymous visitor's lines into ``user``'s cart, then drop it.

    A product in both carts keeps the larger quantity, not the sum: the
    same item added before and after logging in is one wish, not two.
    """
    with transaction.atomic():
        anonymous = Cart.objects.select_for_update().filter(visitor=visitor).first()
        if anonymous is None:
            return
        into = Cart.objects.get_or_create(user=user)[0]
        for item in anonymous.items.all():
            line, created = CartItem.objects.get_or_create(
                cart=into, product_id=item.product_id, defaults={"quantity": item.quantity}
            )
            if not created and line.quantity < item.quantity:
                line.quantity = item.quantity
                line.save(update_fields=["quantity"])
        anonymous.delete()
