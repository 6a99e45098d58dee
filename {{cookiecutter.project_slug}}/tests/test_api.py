"""The JSON API under /api/: catalogue, cart, orders, CSRF, and bad input.

Every body is parsed with ``body()``, which fails on any JSON float: money
must always travel as a string like "39.00".
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NoReturn

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client

from shop import carts
from shop.models import MAX_QUANTITY, Cart, CartItem, Order, Product
from shop.orders import checkout

pytestmark = pytest.mark.django_db

JSON = "application/json"
WRITES = [
    ("post", "/api/cart/items", {"product": "teapot", "quantity": 1}),
    ("patch", "/api/cart/items/teapot", {"quantity": 2}),
    ("delete", "/api/cart/items/teapot", None),
]


def no_floats(text: str) -> NoReturn:
    raise AssertionError(f"A float in the JSON: {text}")


def body(response: HttpResponse) -> Any:
    assert response["Content-Type"].startswith(JSON), response.content
    return json.loads(response.content, parse_float=no_floats)


def send(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> HttpResponse:
    if data is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, json.dumps(data), content_type=JSON, **extra)


def slugs(response: HttpResponse) -> list[str]:
    return [product["slug"] for product in body(response)["items"]]


def stock(slug: str) -> int:
    return Product.objects.get(slug=slug).stock


@pytest.fixture(autouse=True)
def catalogue() -> None:
    call_command("seed_shop", verbosity=0)


def make_user(name: str) -> AbstractBaseUser:
    return get_user_model().objects.create_user(name, password="unused")


def logged_in(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def alice() -> AbstractBaseUser:
    return make_user("alice")


@pytest.fixture
def alice_client(alice: AbstractBaseUser) -> Client:
    return logged_in(alice)


def fill_cart(user: AbstractBaseUser, **quantities: int) -> None:
    """``fill_cart(alice, teapot=2, jasmine_pearls=1)``: slugs, with _ for -."""
    cart = Cart.objects.get_or_create(user=user)[0]
    for slug, quantity in quantities.items():
        carts.add(cart, Product.objects.get(slug=slug.replace("_", "-")), quantity)


# The catalogue


def test_products_come_a_page_at_a_time_with_money_as_strings(client: Client) -> None:
    page = body(client.get("/api/products/"))
    assert page["count"] == 9 and len(page["items"]) == 9
    teapot = next(item for item in page["items"] if item["slug"] == "teapot")
    assert teapot == {
        "slug": "teapot",
        "name": "Cast-iron teapot",
        "description": "Keeps a pot of tea hot for an hour.",
        "price": "39.00",
        "stock": 12,
        "category": "teapots",
        "image": None,
    }
    second = body(client.get("/api/products/?page=2&page_size=4"))
    assert second["count"] == 9
    assert [item["slug"] for item in second["items"]] == slugs(client.get("/api/products/"))[4:8]


def test_twenty_products_a_page_by_default(client: Client) -> None:
    category = Product.objects.first().category
    Product.objects.bulk_create(
        Product(category=category, slug=f"extra-{n}", name=f"Extra {n}", price=1) for n in range(20)
    )
    page = body(client.get("/api/products/"))
    assert page["count"] == 29 and len(page["items"]) == 20


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=teapots", {"teapot", "glass-teapot"}),
        ("category=nothing-here", set()),
        ("q=IRON", {"teapot"}),  # in the name, whatever the case
        ("q=grassy", {"sencha"}),  # in the description
        ("q=tea&category=teapots", {"teapot", "glass-teapot"}),  # both
    ],
)
def test_products_filter_by_category_and_search(client: Client, query: str, expected: set) -> None:
    assert set(slugs(client.get(f"/api/products/?{query}"))) == expected


def test_products_off_sale_are_hidden_everywhere(client: Client) -> None:
    Product.objects.filter(slug="mug").update(is_active=False)
    assert "mug" not in slugs(client.get("/api/products/"))
    assert client.get("/api/products/mug").status_code == 404
    assert send(client, "post", "/api/cart/items", {"product": "mug"}).status_code == 404


def test_one_product_with_its_image_url(client: Client) -> None:
    Product.objects.filter(slug="kettle").update(image="products/kettle.jpg")
    assert body(client.get("/api/products/kettle")) == {
        "slug": "kettle",
        "name": "Gooseneck kettle",
        "description": "Pours slowly, exactly where you aim.",
        "price": "59.00",
        "stock": 8,
        "category": "kettles",
        "image": "/media/products/kettle.jpg",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=100001", "page"),  # the SQL offset would overflow long before 10**18
        ("page=1000000000000000000000", "page"),
        ("page=two", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        (f"q={'x' * 101}", "q"),
        ("q=tea%00pot", "q"),  # PostgreSQL refuses NUL bytes in a query
        ("category=a%00b", "category"),
    ],
)
def test_bad_paging_and_search_are_422_naming_the_field(
    client: Client, query: str, field: str
) -> None:
    response = client.get(f"/api/products/?{query}")
    assert response.status_code == 422
    assert body(response)["detail"][0]["loc"] == ["query", field]


def test_the_last_allowed_page_is_just_empty(client: Client) -> None:
    assert body(client.get("/api/products/?page=100000"))["items"] == []


# The cart


def test_an_anonymous_cart_lives_in_a_new_session(client: Client) -> None:
    assert body(client.get("/api/cart/")) == {"items": [], "total": "0.00", "count": 0}
    assert "sessionid" not in client.cookies  # reading the cart starts nothing
    response = send(client, "post", "/api/cart/items", {"product": "teapot", "quantity": 2})
    assert response.status_code == 200
    assert response.cookies["sessionid"].value
    expected = {
        "items": [
            {
                "product": "teapot",
                "name": "Cast-iron teapot",
                "unit_price": "39.00",
                "quantity": 2,
                "line_total": "78.00",
            }
        ],
        "total": "78.00",
        "count": 2,
    }
    assert body(response) == expected
    assert body(client.get("/api/cart/")) == expected
    assert body(Client().get("/api/cart/"))["items"] == []  # another browser, another cart


def test_reading_an_empty_cart_creates_no_cart_and_no_session(client: Client) -> None:
    response = client.get("/api/cart/")
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert not Cart.objects.exists()


def test_adding_again_adds_to_the_line_and_totals_add_up(client: Client) -> None:
    send(client, "post", "/api/cart/items", {"product": "mug"})  # one, by default
    send(client, "post", "/api/cart/items", {"product": "mug", "quantity": 2})
    cart = body(send(client, "post", "/api/cart/items", {"product": "sencha", "quantity": 3}))
    assert [(line["product"], line["quantity"], line["line_total"]) for line in cart["items"]] == [
        ("sencha", 3, "28.50"),
        ("mug", 3, "43.50"),
    ]
    assert cart["total"] == "72.00" and cart["count"] == 6


def test_a_logged_in_users_cart_is_their_own(alice: AbstractBaseUser, alice_client: Client) -> None:
    send(alice_client, "post", "/api/cart/items", {"product": "kettle", "quantity": 4})
    assert CartItem.objects.get(cart__user=alice).quantity == 4
    assert "sessionid" in alice_client.cookies and not Cart.objects.filter(user=None).exists()


def test_patch_sets_the_quantity(client: Client) -> None:
    send(client, "post", "/api/cart/items", {"product": "teapot", "quantity": 5})
    cart = body(send(client, "patch", "/api/cart/items/teapot", {"quantity": 2}))
    assert cart["items"][0]["quantity"] == 2 and cart["total"] == "78.00"


def test_delete_removes_the_line(client: Client) -> None:
    send(client, "post", "/api/cart/items", {"product": "teapot"})
    send(client, "post", "/api/cart/items", {"product": "mug"})
    response = client.delete("/api/cart/items/teapot")
    assert response.status_code == 200
    assert [line["product"] for line in body(response)["items"]] == ["mug"]
    assert client.delete("/api/cart/items/teapot").status_code == 404


@pytest.mark.parametrize(("method", "url", "data"), WRITES[1:])
def test_a_line_not_in_the_cart_is_404(client: Client, method: str, url: str, data: Any) -> None:
    send(client, "post", "/api/cart/items", {"product": "mug"})
    response = send(client, method, url, data)
    assert response.status_code == 404
    assert body(response) == {"detail": "That product is not in the cart."}
    assert send(Client(), method, url, data).status_code == 404  # no cart at all


@pytest.mark.parametrize(
    ("method", "url", "data", "where"),
    [
        ("get", "/api/products/tea%00pot", None, ["path", "slug"]),
        ("post", "/api/cart/items", {"product": "tea\u0000pot"}, ["body", "line", "product"]),
        ("delete", "/api/cart/items/tea.pot", None, ["path", "slug"]),
    ],
)
def test_a_slug_that_cannot_be_one_is_422(client, method, url, data, where) -> None:
    response = send(client, method, url, data)
    assert response.status_code == 422
    assert body(response)["detail"][0]["loc"] == where


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/api/products/no-such-thing", None),
        ("post", "/api/cart/items", {"product": "no-such-thing"}),
        ("patch", "/api/cart/items/no-such-thing", {"quantity": 1}),
        ("delete", "/api/cart/items/no-such-thing", None),
    ],
)
def test_an_unknown_product_is_404(client: Client, method: str, url: str, data: Any) -> None:
    response = send(client, method, url, data)
    assert response.status_code == 404
    assert body(response) == {"detail": "No product with that slug is on sale."}
    assert not Cart.objects.exists()


BAD_QUANTITIES = [0, -1, 100, 10**9, 99.5, "two", "3", True, None, [1]]


@pytest.mark.parametrize("quantity", BAD_QUANTITIES)
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "/api/cart/items", {"product": "teapot"}),
        ("patch", "/api/cart/items/teapot", {}),
    ],
)
def test_a_bad_quantity_is_422_naming_the_field(
    client: Client, method: str, url: str, data: dict, quantity: Any
) -> None:
    send(client, "post", "/api/cart/items", {"product": "teapot", "quantity": 3})
    response = send(client, method, url, {**data, "quantity": quantity})
    assert response.status_code == 422
    assert body(response)["detail"][0]["loc"][-1] == "quantity"
    assert body(client.get("/api/cart/"))["count"] == 3


def test_a_quantity_is_a_json_integer_as_the_schema_says(client: Client) -> None:
    """JSON Schema's integer includes 2.0, so the schemathesis test sends it."""
    response = send(client, "post", "/api/cart/items", {"product": "teapot", "quantity": 2.0})
    assert response.status_code == 200 and body(response)["count"] == 2


def test_adding_past_the_most_a_line_holds_is_422(client: Client) -> None:
    send(client, "post", "/api/cart/items", {"product": "teapot", "quantity": MAX_QUANTITY - 1})
    response = send(client, "post", "/api/cart/items", {"product": "teapot", "quantity": 2})
    assert response.status_code == 422
    assert body(response) == {
        "detail": [
            {
                "loc": ["body", "line", "quantity"],
                "msg": "The quantity must be between 1 and 99.",
                "type": "value_error",
            }
        ]
    }
    assert body(client.get("/api/cart/"))["count"] == MAX_QUANTITY - 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"{", 400),
        (b"not json", 400),
        (b"\xff\xfe", 400),
        (b"", 422),
        (b"[1, 2]", 422),
        (b'"teapot"', 422),
        (b"{}", 422),
    ],
)
@pytest.mark.parametrize("url", ["/api/cart/items", "/api/cart/items/teapot"])
def test_a_malformed_body_is_a_4xx_json_answer(
    client: Client, url: str, data: bytes, status: int
) -> None:
    send(client, "post", "/api/cart/items", {"product": "teapot"})
    method = client.post if url == "/api/cart/items" else client.patch
    response = method(url, data, content_type=JSON)
    assert response.status_code == status
    assert body(response)["detail"]


# CSRF: the session is a cookie, so every write needs the token, anonymous or not.


def csrf_header(client: Client) -> dict[str, str]:
    """Django's recipe for scripts: the csrftoken cookie's value, sent back as a header."""
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


@pytest.fixture
def shopper() -> Client:
    """A client that enforces CSRF as a browser would, with an item in its cart."""
    shopper = Client(enforce_csrf_checks=True)
    shopper.get("/api/csrf/")
    send(shopper, "post", "/api/cart/items", {"product": "teapot"}, headers=csrf_header(shopper))
    return shopper


def test_the_csrf_endpoint_sets_the_cookie_and_answers_a_token_for_it() -> None:
    shopper = Client(enforce_csrf_checks=True)
    token = body(shopper.get("/api/csrf/"))["csrftoken"]
    assert shopper.cookies["csrftoken"].value and token != shopper.cookies["csrftoken"].value
    response = send(
        shopper, "post", "/api/cart/items", {"product": "mug"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_a_write_without_the_csrf_token_is_403(
    shopper: Client, method: str, url: str, data: Any
) -> None:
    response = send(shopper, method, url, data)
    assert response.status_code == 403
    assert "CSRF" in body(response)["detail"]
    wrong = send(shopper, method, url, data, headers={"X-CSRFToken": "x" * 32})
    assert wrong.status_code == 403
    assert body(shopper.get("/api/cart/"))["items"][0]["quantity"] == 1


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_a_write_with_the_csrf_token_goes_through(
    shopper: Client, method: str, url: str, data: Any
) -> None:
    response = send(shopper, method, url, data, headers=csrf_header(shopper))
    assert response.status_code == 200


def test_the_first_anonymous_write_needs_the_token_too() -> None:
    newcomer = Client(enforce_csrf_checks=True)
    response = send(newcomer, "post", "/api/cart/items", {"product": "teapot"})
    assert response.status_code == 403 and "sessionid" not in response.cookies
    assert not Cart.objects.exists()


def test_a_bad_body_without_the_token_is_still_403(shopper: Client) -> None:
    """CSRF is checked first: a forged request learns nothing from validation."""
    assert shopper.post("/api/cart/items", b"{", content_type=JSON).status_code == 403


def test_placing_an_order_needs_the_csrf_token(alice: AbstractBaseUser) -> None:
    fill_cart(alice, teapot=1)
    shopper = Client(enforce_csrf_checks=True)
    shopper.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert shopper.post("/api/orders/").status_code == 403
    shopper.get("/api/csrf/")
    assert shopper.post("/api/orders/", headers=csrf_header(shopper)).status_code == 201


# Orders


@pytest.mark.parametrize("method", ["get", "post"])
def test_orders_need_a_login(client: Client, method: str) -> None:
    response = getattr(client, method)("/api/orders/")
    assert response.status_code == 401
    assert body(response) == {"detail": "Unauthorized"}


def test_checkout_takes_the_stock_and_empties_the_cart(
    alice: AbstractBaseUser, alice_client: Client
) -> None:
    fill_cart(alice, teapot=2, mug=3)
    response = alice_client.post("/api/orders/")
    assert response.status_code == 201
    order = body(response)
    assert order["total"] == "121.50"
    assert order["items"] == [
        {
            "product": "teapot",
            "name": "Cast-iron teapot",
            "quantity": 2,
            "unit_price": "39.00",
            "line_total": "78.00",
        },
        {
            "product": "mug",
            "name": "Stoneware mug",
            "quantity": 3,
            "unit_price": "14.50",
            "line_total": "43.50",
        },
    ]
    saved = Order.objects.get(pk=order["id"])
    assert saved.user == alice and saved.total == Decimal("121.50")
    assert order["created"].startswith(saved.created.date().isoformat())
    assert (stock("teapot"), stock("mug")) == (10, 37)
    assert body(alice_client.get("/api/cart/"))["items"] == []


def test_short_stock_is_409_and_changes_nothing(
    alice: AbstractBaseUser, alice_client: Client
) -> None:
    fill_cart(alice, mug=2, teapot=13, jasmine_pearls=1)
    response = alice_client.post("/api/orders/")
    assert response.status_code == 409
    refusal = body(response)
    assert refusal["code"] == "out_of_stock"
    assert sorted(refusal["products"]) == ["jasmine-pearls", "teapot"]
    assert "Cast-iron teapot" in refusal["detail"]
    assert (stock("mug"), stock("teapot"), stock("jasmine-pearls")) == (40, 12, 0)
    assert body(alice_client.get("/api/cart/"))["count"] == 16
    assert not Order.objects.exists()


def test_an_empty_cart_is_409(alice_client: Client) -> None:
    response = alice_client.post("/api/orders/")
    assert response.status_code == 409
    assert body(response) == {
        "detail": "Your cart is empty.",
        "code": "empty_cart",
        "products": [],
    }


def test_users_see_only_their_own_orders(alice: AbstractBaseUser, alice_client: Client) -> None:
    bob = make_user("bob")
    fill_cart(bob, kettle=1)
    bobs = checkout(bob)
    fill_cart(alice, sencha=2)
    first = checkout(alice)
    fill_cart(alice, assam=1)
    second = checkout(alice)
    page = body(alice_client.get("/api/orders/"))
    assert page["count"] == 2
    assert [order["id"] for order in page["items"]] == [second.pk, first.pk]  # newest first
    assert page["items"][1]["items"][0]["line_total"] == "19.00"
    assert [order["id"] for order in body(logged_in(bob).get("/api/orders/"))["items"]] == [bobs.pk]


# Who, and the schema


def test_me_answers_who_is_logged_in(client: Client, alice_client: Client) -> None:
    assert body(client.get("/api/me/")) == {"is_authenticated": False, "username": ""}
    assert body(alice_client.get("/api/me/")) == {"is_authenticated": True, "username": "alice"}


def test_the_openapi_schema_lists_every_path_and_documents_the_rules(client: Client) -> None:
    schema = body(client.get("/api/openapi.json"))
    assert set(schema["paths"]) == {
        "/api/me/",
        "/api/csrf/",
        "/api/products/",
        "/api/products/{slug}",
        "/api/cart/",
        "/api/cart/items",
        "/api/cart/items/{slug}",
        "/api/orders/",
    }
    for body_schema in ("NewLine", "QuantityChange"):
        quantity = schema["components"]["schemas"][body_schema]["properties"]["quantity"]
        assert (quantity["minimum"], quantity["maximum"]) == (1, MAX_QUANTITY)
    assert schema["components"]["schemas"]["ProductOut"]["properties"]["price"]["type"] == "string"
    assert "security" not in schema["paths"]["/api/cart/items"]["post"]  # open to visitors
    assert schema["paths"]["/api/orders/"]["post"]["security"] == [{"SessionAuth": []}]


def test_the_docs_page_answers(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200 and b"swagger" in response.content.lower()


@pytest.mark.django_db
def test_a_database_outage_is_djangos_503_even_with_debug_on(client, settings, monkeypatch):
    from django.db import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    settings.DEBUG = True  # ninja would answer with its own traceback page
    monkeypatch.setattr(carts, "find_cart", locked)
    response = client.get("/api/cart/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
