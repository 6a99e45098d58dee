"""The shop's models and services: carts in the database, and the one checkout."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.db.utils import IntegrityError
from django.test import RequestFactory

from reflex_django import visitor_id
from shop import carts
from shop.models import MAX_QUANTITY, Cart, CartItem, Category, Order, Product
from shop.orders import EmptyCart, OutOfStock, checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> dict[str, Product]:
    call_command("seed_shop", stdout=StringIO())
    return {product.slug: product for product in Product.objects.all()}


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.com", "pw")


def anonymous_request(session: SessionStore | None = None):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = session or SessionStore()
    return request


def user_request(user):
    request = anonymous_request()
    request.user = user
    return request


def cart_of(user, **lines: int) -> Cart:
    cart = Cart.objects.get_or_create(user=user)[0]
    for slug, quantity in lines.items():
        carts.set_quantity(cart, Product.objects.get(slug=slug), quantity)
    return cart


# -- The catalogue -------------------------------------------------------------


def test_seed_shop_loads_a_catalogue_and_changes_nothing_the_second_time(catalog):
    assert Category.objects.count() >= 3 and len(catalog) >= 8
    before = list(Product.objects.values())
    Product.objects.filter(slug="mug").update(stock=3, price=Decimal("15.00"))  # an admin's edit
    call_command("seed_shop", stdout=StringIO())
    after = {row["slug"]: row for row in Product.objects.values()}
    assert len(after) == len(before)
    assert (after["mug"]["stock"], after["mug"]["price"]) == (3, Decimal("15.00"))
    assert all(row == after[row["slug"]] for row in before if row["slug"] != "mug")


def test_prices_are_decimals_and_never_negative(catalog):
    assert isinstance(Product.objects.get(slug="teapot").price, Decimal)
    with pytest.raises(IntegrityError):
        Product.objects.filter(slug="teapot").update(price=Decimal("-1"))


def test_on_sale_hides_inactive_products(catalog):
    Product.objects.filter(slug="mug").update(is_active=False)
    assert not Product.objects.on_sale().filter(slug="mug").exists()


# -- Carts ---------------------------------------------------------------------


def test_a_visitor_without_an_id_has_no_cart_and_cannot_start_one_from_an_event():
    request = anonymous_request()
    assert carts.find_cart(request, create=True) is None
    assert Cart.objects.count() == 0
    assert visitor_id(request) is None


def test_an_http_view_may_start_the_visitor_then_the_cart():
    request = anonymous_request()
    visitor = visitor_id(request, create=True)
    assert visitor and len(visitor) == 32  # 24 random bytes
    cart = carts.find_cart(request, create=True)
    assert cart.visitor == visitor and cart.user is None
    assert carts.find_cart(request) == cart  # found again, not made twice
    assert visitor_id(request, create=True) == visitor


def test_a_user_has_one_cart_whatever_the_visitor(alice):
    request = user_request(alice)
    request.session["reflex_django.visitor"] = "v1"
    cart = carts.find_cart(request, create=True)
    assert (cart.user, cart.visitor) == (alice, None)
    assert carts.find_cart(user_request(alice)) == cart


def test_a_cart_has_exactly_one_owner(alice):
    with pytest.raises(IntegrityError):
        Cart.objects.create(user=alice, visitor="v1")


def test_add_grows_one_line_per_product(catalog, alice):
    cart = cart_of(alice)
    assert carts.add(cart, catalog["mug"]) == 1
    assert carts.add(cart, catalog["mug"], 2) == 3
    assert [(line.product.slug, line.quantity, line.total) for line in carts.lines(cart)] == [
        ("mug", 3, Decimal("43.50"))
    ]


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1, 10**9])
def test_quantities_outside_the_range_are_refused(catalog, alice, quantity):
    cart = cart_of(alice)
    with pytest.raises(carts.QuantityError, match=f"between 1 and {MAX_QUANTITY}"):
        carts.set_quantity(cart, catalog["mug"], quantity)
    with pytest.raises(carts.QuantityError):
        carts.add(cart, catalog["mug"], quantity)
    assert not cart.items.exists()


def test_add_refuses_to_push_a_line_past_the_most(catalog, alice):
    cart = cart_of(alice, mug=MAX_QUANTITY)
    with pytest.raises(carts.QuantityError):
        carts.add(cart, catalog["mug"])
    assert cart.items.get().quantity == MAX_QUANTITY


def test_set_quantity_and_remove(catalog, alice):
    cart = cart_of(alice, mug=2, teapot=1)
    carts.set_quantity(cart, catalog["mug"], 5)
    assert carts.remove(cart, catalog["teapot"]) is True
    assert carts.remove(cart, catalog["teapot"]) is False
    assert [(line.product.slug, line.quantity) for line in carts.lines(cart)] == [("mug", 5)]


def test_lines_leave_out_products_taken_off_sale(catalog, alice):
    cart = cart_of(alice, mug=2, teapot=1)
    Product.objects.filter(slug="mug").update(is_active=False)
    assert [line.product.slug for line in carts.lines(cart)] == ["teapot"]
    assert carts.lines(None) == []


def test_logging_in_merges_the_visitors_cart_into_the_users(client, catalog, alice):
    session = client.session
    session["reflex_django.visitor"] = "visitor-1"
    session.save()
    visitor_cart = Cart.objects.create(visitor="visitor-1")
    carts.set_quantity(visitor_cart, catalog["mug"], 2)
    carts.set_quantity(visitor_cart, catalog["teapot"], 1)
    cart_of(alice, mug=3, kettle=1)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    merged = {line.product.slug: line.quantity for line in carts.lines(alice.cart)}
    # A product in both keeps the larger quantity: one wish, not two.
    assert merged == {"mug": 3, "teapot": 1, "kettle": 1}
    assert not Cart.objects.filter(visitor="visitor-1").exists()


def test_a_first_login_turns_the_visitors_cart_into_a_users_cart(client, catalog, alice):
    session = client.session
    session["reflex_django.visitor"] = "visitor-2"
    session.save()
    carts.set_quantity(Cart.objects.create(visitor="visitor-2"), catalog["mug"], 2)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert [(line.product.slug, line.quantity) for line in carts.lines(alice.cart)] == [("mug", 2)]


def test_a_login_with_nothing_to_merge_makes_no_cart(client, alice):
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert not Cart.objects.exists()


# -- Checkout ------------------------------------------------------------------


def test_checkout_orders_the_cart_takes_the_stock_and_empties_the_cart(catalog, alice):
    cart_of(alice, mug=2, teapot=1)
    order = checkout(alice)
    assert order.total == Decimal("68.00")
    assert [(i.product.slug, i.quantity, i.unit_price) for i in order.items.all()] == [
        ("teapot", 1, Decimal("39.00")),
        ("mug", 2, Decimal("14.50")),
    ]
    stock = dict(Product.objects.values_list("slug", "stock"))
    assert stock["mug"] == catalog["mug"].stock - 2
    assert stock["teapot"] == catalog["teapot"].stock - 1
    assert not CartItem.objects.exists()


def test_an_order_keeps_the_price_it_was_placed_at(catalog, alice):
    cart_of(alice, mug=2)
    order = checkout(alice)
    Product.objects.filter(slug="mug").update(price=Decimal("99.00"))
    line = Order.objects.get(pk=order.pk).items.get()
    assert (line.unit_price, line.line_total) == (Decimal("14.50"), Decimal("29.00"))


def test_a_shortage_orders_nothing_and_keeps_cart_and_stock(catalog, alice):
    Product.objects.filter(slug="kettle").update(stock=1)
    cart_of(alice, mug=2, kettle=2)  # the mug's stock would be taken first
    with pytest.raises(OutOfStock) as raised:
        checkout(alice)
    assert [product.slug for product in raised.value.products] == ["kettle"]
    assert "Gooseneck kettle" in str(raised.value)
    stock = dict(Product.objects.values_list("slug", "stock"))
    assert (stock["mug"], stock["kettle"]) == (catalog["mug"].stock, 1)
    assert not Order.objects.exists()
    assert alice.cart.items.count() == 2


def test_a_product_taken_off_sale_cannot_be_ordered(catalog, alice):
    cart_of(alice, mug=1)
    Product.objects.filter(slug="mug").update(is_active=False)
    with pytest.raises(OutOfStock):
        checkout(alice)


@pytest.mark.parametrize("lines", [{}, None])
def test_an_empty_cart_is_not_an_order(alice, lines):
    if lines is not None:
        cart_of(alice, **lines)
    with pytest.raises(EmptyCart, match="empty"):
        checkout(alice)


@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_never_oversell():
    """N customers race for K < N items: exactly K orders, and none left."""
    call_command("seed_shop", stdout=StringIO())
    customers, stock = 12, 5
    Product.objects.filter(slug="kettle").update(stock=stock)
    users = [
        get_user_model().objects.create_user(f"customer{n}", password="pw")
        for n in range(customers)
    ]
    for user in users:
        cart_of(user, kettle=1)

    def attempt(user) -> str:
        try:
            checkout(user)
            return "ordered"
        except OutOfStock:
            return "short"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=customers) as pool:
        outcomes = list(pool.map(attempt, users))
    assert outcomes.count("ordered") == stock
    assert outcomes.count("short") == customers - stock
    assert Product.objects.get(slug="kettle").stock == 0
    assert Order.objects.count() == stock
