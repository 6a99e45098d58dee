"""The shop's Django pages: the admin for every model, and the order-placed redirect."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shop.models import Cart, Order, OrderItem, Product

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def order(admin_user):
    call_command("seed_shop", stdout=StringIO())
    mug = Product.objects.get(slug="mug")
    order = Order.objects.create(user=admin_user, total=mug.price * 2)
    OrderItem.objects.create(order=order, product=mug, quantity=2, unit_price=mug.price)
    Cart.objects.create(visitor="v1").items.create(product=mug, quantity=1)
    return order


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("model", ["category", "product", "cart", "order"])
def test_every_model_has_a_searchable_filterable_admin(admin_client, order, model):
    response = admin_client.get(f"/admin/shop/{model}/", {"q": "mug"})
    assert response.status_code == 200
    assert 'id="changelist-search"' in response.content.decode()


def test_the_order_page_lists_its_lines_inline(admin_client, order):
    body = admin_client.get(f"/admin/shop/order/{order.pk}/change/").content.decode()
    assert "Stoneware mug" in body and 'name="items-0-quantity"' in body
    assert 'value="14.50"' in body


def test_stock_is_edited_from_the_product_list(admin_client, order):
    body = admin_client.get("/admin/shop/product/").content.decode()
    assert 'name="form-0-stock"' in body
    assert admin_client.get("/admin/shop/product/", {"is_active__exact": "0"}).status_code == 200


def test_an_order_placed_leaves_a_message_and_goes_to_the_orders_page(admin_client, order):
    response = admin_client.get(f"/shop/orders/{order.pk}/placed/")
    assert (response.status_code, response["Location"]) == (302, "/orders")
    assert [str(m) for m in response.wsgi_request._messages] == [
        f"Order {order.pk} placed. Thank you!"
    ]


def test_nobody_else_learns_of_an_order(client, order):
    assert client.get(f"/shop/orders/{order.pk}/placed/").status_code == 404
    other = get_user_model().objects.create_user("bob", password="pw")
    client.force_login(other, backend=MODEL_BACKEND)
    assert client.get(f"/shop/orders/{order.pk}/placed/").status_code == 404
    assert client.get("/shop/orders/999/placed/").status_code == 404
