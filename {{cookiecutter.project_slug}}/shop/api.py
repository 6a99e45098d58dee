"""The JSON API under /api/, on django-ninja: typed, with its OpenAPI schema.

It shares the Django session with the Reflex pages, so a visitor's cart is
the same here and there. Because that session lives in a cookie, every
request that changes data must carry Django's CSRF token as ``X-CSRFToken``,
matching the ``csrftoken`` cookie (set by the SPA document, or by
``GET /api/csrf/``). ninja's ``django_auth`` checks it for the orders;
``csrf_checked`` does for the cart, which anonymous visitors use too.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth
from ninja.utils import check_csrf
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from reflex_django import visitor_id

from . import carts
from .models import MAX_QUANTITY, Cart, Order, OrderItem, Product
from .orders import EmptyCart, OutOfStock, checkout

api = NinjaAPI(title="{{ cookiecutter.project_name }} API", urls_namespace="api")

#: Money leaves as a string with two decimals ("39.00"): a JSON number would
#: be read as a float by most clients, and floats cannot hold 0.10 exactly.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["39.00"]}),
]


def json_integer(value: object) -> object:
    """What JSON Schema calls an integer: 3 or 3.0; not true or "3", which pydantic takes."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON integer")
    return value


#: Field first: after a validator, pydantic would put its bounds in the schema
#: as "ge" and "le", which JSON Schema does not know, instead of min/maximum.
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY), BeforeValidator(json_integer)]

#: Django's slugs; anything else (a NUL byte, say, which PostgreSQL refuses
#: in a query) is a 422 before it reaches the database.
SLUG_PATTERN = r"^[-\w]+$"

#: A product's slug in a path; the example lets the docs' "Try it out" (and
#: the schemathesis test) hit a product that exists in the demo catalogue.
Slug = Annotated[
    str, Path(..., description="A product's slug.", example="teapot", pattern=SLUG_PATTERN)
]


def csrf_checked(request: HttpRequest) -> bool:
    """Admit everyone, anonymous visitors too, but only with a valid CSRF token.

    django-ninja marks its views csrf_exempt and checks CSRF only inside
    cookie auth classes. The cart is open to anonymous visitors, so it has no
    auth to require; this runs ninja's own check at the same point instead,
    before the body is parsed. Not being an auth class, it adds no security
    requirement to the OpenAPI schema, which would claim a login is needed.
    """
    if check_csrf(request):
        raise HttpError(403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.")
    return True


class Pages(PageNumberPagination):
    """20 items a page. ``page`` has a cap: 10**18 would overflow the SQL offset (a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=20, max_page_size=100, **kwargs)


class Detail(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    """ninja's answer to input that fails validation: ``loc`` names the field."""

    detail: list[FieldError]


class Me(Schema):
    is_authenticated: bool
    username: str


class CsrfToken(Schema):
    csrftoken: str


class ProductOut(Schema):
    slug: str
    name: str
    description: str
    price: Money
    stock: int
    category: str
    image: str | None

    @staticmethod
    def resolve_category(product: Product) -> str:
        return product.category.slug

    @staticmethod
    def resolve_image(product: Product) -> str | None:
        return product.image.url if product.image else None


class NewLine(Schema):
    product: str = Field(
        description="The product's slug.", examples=["teapot"], pattern=SLUG_PATTERN
    )
    quantity: Quantity = 1


class QuantityChange(Schema):
    quantity: Quantity


class CartLine(Schema):
    product: str
    name: str
    unit_price: Money
    quantity: int
    line_total: Money


class CartOut(Schema):
    items: list[CartLine]
    total: Money
    count: int = Field(description="How many items, all lines together.")


class OrderLine(Schema):
    product: str
    name: str
    quantity: int
    unit_price: Money
    line_total: Money

    @staticmethod
    def resolve_product(line: OrderItem) -> str:
        return line.product.slug

    @staticmethod
    def resolve_name(line: OrderItem) -> str:
        return line.product.name


class OrderOut(Schema):
    id: int
    created: datetime
    total: Money
    items: list[OrderLine]


class CheckoutRefused(Schema):
    detail: str
    code: Literal["empty_cart", "out_of_stock"]
    products: list[str] = Field(description="Slugs of the products short of stock.")


NOT_IN_CART = "That product is not in the cart."


@api.exception_handler(Exception)
def let_django_answer(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Errors the API does not handle go to Django, as any view's do.

    ninja's default answers them itself with a traceback when DEBUG is on,
    past Django's middleware: a database outage would be a 500, not the
    503 of ``DatabaseUnavailableMiddleware``.
    """
    raise exc


@api.exception_handler(Product.DoesNotExist)
def unknown_product(request: HttpRequest, exc: Product.DoesNotExist) -> HttpResponse:
    return api.create_response(
        request, {"detail": "No product with that slug is on sale."}, status=404
    )


def cart_out(cart: Cart | None) -> CartOut:
    lines = carts.lines(cart)
    return CartOut(
        items=[
            CartLine(
                product=line.product.slug,
                name=line.product.name,
                unit_price=line.product.price,
                quantity=line.quantity,
                line_total=line.total,
            )
            for line in lines
        ],
        total=carts.total(lines),
        count=carts.count(lines),
    )


@api.get("/me/", response=Me)
def me(request: HttpRequest) -> Me:
    """Who Django thinks is logged in: the same session the Reflex pages use."""
    user = request.user
    return Me(is_authenticated=user.is_authenticated, username=user.get_username())


@api.get("/csrf/", response=CsrfToken)
def csrf(request: HttpRequest) -> CsrfToken:
    """Sets the csrftoken cookie, for a client that never loads the SPA document."""
    return CsrfToken(csrftoken=get_token(request))


@api.get("/products/", response={200: list[ProductOut], 422: Invalid})
@paginate(Pages)
async def products(
    request: HttpRequest,
    category: str | None = Query(None, description="A category's slug.", pattern=SLUG_PATTERN),
    q: str | None = Query(
        None, max_length=100, pattern=r"^[^\x00]*$", description="Words in the name or description."
    ),
) -> QuerySet[Product]:
    """Async, as is one product's: the catalogue reads no session and no user."""
    found = Product.objects.on_sale().select_related("category")
    if category:
        found = found.filter(category__slug=category)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return found


@api.get("/products/{slug}", response={200: ProductOut, 404: Detail, 422: Invalid})
async def product(request: HttpRequest, slug: Slug) -> Product:
    return await Product.objects.on_sale().select_related("category").aget(slug=slug)


# The cart and orders are sync: they read request.user and the session, and
# write through shop.carts and shop.orders, which the Reflex pages share.


@api.get("/cart/", response=CartOut)
def cart(request: HttpRequest) -> CartOut:
    """Never creates the cart, nor the visitor's session: reading changes nothing."""
    return cart_out(carts.find_cart(request))


@api.post(
    "/cart/items",
    auth=csrf_checked,
    response={200: CartOut, 400: Detail, 403: Detail, 404: Detail, 422: Invalid},
)
def add_to_cart(request: HttpRequest, line: NewLine) -> CartOut:
    """Adds to the line if there is one already; answers the whole cart."""
    product = Product.objects.on_sale().get(slug=line.product)
    if not request.user.is_authenticated:
        visitor_id(request, create=True)  # starts the session; the response sets its cookie
    cart = carts.find_cart(request, create=True)
    try:
        carts.add(cart, product, line.quantity)
    except carts.QuantityError as exc:  # the sum with the line already there is too big
        raise ValidationError(
            [{"loc": ["body", "line", "quantity"], "msg": str(exc), "type": "value_error"}]
        ) from exc
    return cart_out(cart)


@api.patch(
    "/cart/items/{slug}",
    auth=csrf_checked,
    response={200: CartOut, 400: Detail, 403: Detail, 404: Detail, 422: Invalid},
)
def change_quantity(request: HttpRequest, slug: Slug, change: QuantityChange) -> CartOut:
    """Only for a line already in the cart: adding is the POST's job."""
    product = Product.objects.on_sale().get(slug=slug)
    cart = carts.find_cart(request)
    if cart is None or not cart.items.filter(product=product).exists():
        raise HttpError(404, NOT_IN_CART)
    carts.set_quantity(cart, product, change.quantity)
    return cart_out(cart)


@api.delete(
    "/cart/items/{slug}",
    auth=csrf_checked,
    response={200: CartOut, 403: Detail, 404: Detail, 422: Invalid},
)
def remove_from_cart(request: HttpRequest, slug: Slug) -> CartOut:
    product = Product.objects.on_sale().get(slug=slug)
    cart = carts.find_cart(request)
    if cart is None or not carts.remove(cart, product):
        raise HttpError(404, NOT_IN_CART)
    return cart_out(cart)


@api.get("/orders/", auth=django_auth, response={200: list[OrderOut], 401: Detail, 422: Invalid})
@paginate(Pages)
def orders(request: HttpRequest) -> QuerySet[Order]:
    return Order.objects.filter(user=request.user).prefetch_related("items__product")


@api.post(
    "/orders/",
    auth=django_auth,
    response={201: OrderOut, 401: Detail, 403: Detail, 409: CheckoutRefused},
)
def place_order(request: HttpRequest) -> Status:
    """Both refusals are 409: the request is fine, the cart's state is not."""
    try:
        order = checkout(request.user)
    except EmptyCart as exc:
        return Status(409, CheckoutRefused(detail=str(exc), code="empty_cart", products=[]))
    except OutOfStock as exc:
        short = [product.slug for product in exc.products]
        return Status(409, CheckoutRefused(detail=str(exc), code="out_of_stock", products=short))
    return Status(201, order)
