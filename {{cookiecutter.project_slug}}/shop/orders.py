"""Checkout: the one function that turns a cart into an order.

The SPA's /checkout page and ``POST /api/orders/`` both call ``checkout``,
so the rules live in one place: one transaction, stock taken with a
conditional ``UPDATE`` that can never go below zero, and a shortage that
undoes everything and leaves the cart as it was.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Cart, Order, OrderItem, Product


class CheckoutError(Exception):
    """Why a cart could not become an order; the message is for the user."""


class EmptyCart(CheckoutError):
    def __init__(self) -> None:
        super().__init__(_("Your cart is empty."))


class OutOfStock(CheckoutError):
    """Some lines ask for more than is left; nothing was ordered."""

    def __init__(self, products: list[Product]) -> None:
        self.products = products
        names = ", ".join(product.name for product in products)
        super().__init__(_("Not enough stock left for: %(names)s.") % {"names": names})


def checkout(user: AbstractBaseUser) -> Order:
    """Order everything in ``user``'s cart, or raise ``CheckoutError``.

    Each line's stock is taken by ``UPDATE ... SET stock = stock - n WHERE
    stock >= n``: the database checks and takes in one statement, so two
    checkouts racing for the last item cannot both get it, on SQLite or on
    PostgreSQL. Lines go in product order, so that concurrent checkouts
    lock rows in the same order and cannot deadlock.
    """
    with transaction.atomic():
        cart = Cart.objects.filter(user=user).first()
        items = list(cart.items.select_related("product").order_by("product_id")) if cart else []
        if not items:
            raise EmptyCart
        short = [
            item.product
            for item in items
            if not Product.objects.on_sale()
            .filter(pk=item.product_id, stock__gte=item.quantity)
            .update(stock=F("stock") - item.quantity)
        ]
        if short:
            raise OutOfStock(short)  # leaving the block undoes the stock already taken
        order = Order.objects.create(
            user=user, total=sum(item.product.price * item.quantity for item in items)
        )
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product=item.product,
                quantity=item.quantity,
                unit_price=item.product.price,
            )
            for item in items
        )
        cart.items.all().delete()
    return order
