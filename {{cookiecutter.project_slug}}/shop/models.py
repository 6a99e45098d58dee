"""The store's data: a catalogue, carts that live in the database, and orders.

Money is ``Decimal`` everywhere, from these fields to the JSON API and the
pages, so that no total is ever off by a rounding error.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The most of one product a cart line or an order line may hold.
MAX_QUANTITY = 99

QUANTITY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]


def money_field(**options) -> models.DecimalField:
    """Up to 99,999,999.99, never negative."""
    return models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))], **options
    )


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class ProductQuerySet(models.QuerySet):
    def on_sale(self) -> ProductQuerySet:
        """What visitors may see and buy: active products only."""
        return self.filter(is_active=True)


class Product(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    price = money_field(verbose_name=_("price"))
    stock = models.PositiveIntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)
    image = models.ImageField(_("image"), upload_to="products/", blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative")
        ]

    def __str__(self) -> str:
        return self.name


class Cart(models.Model):
    """A user's cart, or an anonymous visitor's (``reflex_django.visitor_id``).

    At login the visitor's cart is merged into the user's (``shop.carts``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True
    )
    visitor = models.CharField(max_length=64, unique=True, null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, visitor__isnull=True)
                | Q(user__isnull=True, visitor__isnull=False),
                name="cart_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else _("Visitor cart %(pk)s") % {"pk": self.pk}


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, verbose_name=_("product"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=QUANTITY_VALIDATORS)

    class Meta:
        ordering = ["product__name"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="one_line_per_product"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cart_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"


class Order(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    created = models.DateTimeField(_("placed"), auto_now_add=True)
    total = money_field(verbose_name=_("total"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return _("Order %(number)s") % {"number": self.pk}


class OrderItem(models.Model):
    """One line of an order, at the price the product had when it was placed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=QUANTITY_VALIDATORS)
    unit_price = money_field(verbose_name=_("unit price"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity
