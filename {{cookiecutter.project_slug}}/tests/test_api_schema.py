"""The API fuzzed against its own OpenAPI schema, with schemathesis.

Every operation in /api/openapi.json gets generated requests, valid and
invalid, sent in-process to the real Django app (WSGI) over a test database
holding the demo catalogue. No response may be a 5xx, and each must match
what the schema promises: status code, content type, headers, body; and
the orders must refuse requests without the session cookie.

The requests come from a logged-in customer with a cart, and carry a CSRF
token: without them every write would stop at the CSRF check's 403, and
every order at the login's 401.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from shop import carts
from shop.models import Cart, Product

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

#: The session key of the current test's customer, for CustomerSession.
customer_session: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class CustomerSession:
    """Sends the customer's session cookie as the credentials the schema asks for.

    As auth rather than a plain cookie, so that schemathesis can also try
    each operation without it, and expect the 401.
    """

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str | None:
        return customer_session.get("key")

    def set(self, case: schemathesis.Case, key: str, context: schemathesis.AuthContext) -> None:
        case.cookies = {**(case.cookies or {}), django_settings.SESSION_COOKIE_NAME: key}


@pytest.fixture
def customer(client: Client) -> Iterator[dict[str, dict[str, str]]]:
    """The demo catalogue and a logged-in customer with two lines in the cart.

    Yields the CSRF cookie and header that every request carries.
    """
    call_command("seed_shop", verbosity=0)
    user = get_user_model().objects.create_user("fuzzer", password="unused")
    cart = Cart.objects.create(user=user)
    for slug in ("teapot", "mug"):
        carts.add(cart, Product.objects.get(slug=slug), 2)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    customer_session["key"] = client.session.session_key
    token = client.get("/api/csrf/").json()["csrftoken"]
    yield {
        "headers": {"X-CSRFToken": token},
        "cookies": {"csrftoken": client.cookies["csrftoken"].value},
    }
    customer_session.clear()


# Transactional: Django's WSGI handler closes the database connection after
# each request, as in production, which would end a test's open transaction.
# The fixture is set up once per operation, not per example, on purpose: the
# examples share one customer, whose cart and orders change as they go.
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_api_matches_its_schema(
    case: schemathesis.Case, customer: dict[str, dict[str, str]]
) -> None:
    # Not negative_data_rejection: it counts a repeated query parameter
    # (?q=a&q=b), which Django reads as its last value, as invalid data that
    # must be refused. test_api.py covers the invalid input that matters.
    case.call_and_validate(excluded_checks=[negative_data_rejection], **customer)
