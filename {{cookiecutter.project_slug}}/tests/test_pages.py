"""Layer 3: @template pages and their discovery."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from reflex_django import pages
from reflex_django.auth import add_auth_pages
from reflex_django.auth.pages import guarded
from reflex_django.auth.state import AuthState
from reflex_django.pages import (
    Page,
    add_pages,
    autodiscover,
    page_for_route,
    registered_pages,
    template,
)


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(pages, "_pages", {})


def test_the_shop_pages_are_discovered_from_views_py():
    autodiscover()
    routes = {page.route for page in registered_pages()}
    assert {"/", "/about", "/cart", "/products/[slug]", "/account", "/login"} <= routes


def test_template_registers_the_page_with_its_options(clean_registry):
    @template(route="about/", title="About", on_load="handler")
    def about():
        return None

    assert registered_pages() == [Page("/about", about, "About", "handler")]


def test_two_functions_on_one_route_are_an_error(clean_registry):
    template(route="/dup")(lambda: None)

    def other():
        return None

    with pytest.raises(ImproperlyConfigured, match="'/dup' is declared twice"):
        template(route="/dup")(other)


def test_re_registering_the_same_function_is_allowed(clean_registry):
    def page():
        return None

    template(route="/same")(page)
    template(route="/same", title="New")(page)
    assert registered_pages()[0].title == "New"


class FakeRxApp:
    """Stands in for rx.App: remembers what add_page was given."""

    def __init__(self) -> None:
        self.pages: dict[str, dict] = {}

    def add_page(self, component, route, **options) -> None:
        self.pages[route] = {"component": component, **options}


def test_a_login_required_page_runs_only_the_login_check_on_load(clean_registry):
    @template(route="/orders/[id]", on_load="load_orders", login_required=True)
    def orders():
        return None

    app = FakeRxApp()
    add_pages(app, guard=guarded)
    assert app.pages["/orders/[id]"]["on_load"] is AuthState.require_login
    assert app.pages["/orders/[id]"]["component"].__name__ == "orders"
    # The check finds the page's own on_load by the route Reflex reports.
    assert page_for_route("orders/[id]").on_load == "load_orders"


def test_a_guarded_page_shows_a_spinner_until_a_user_is_found(clean_registry):
    import reflex as rx

    @template(route="/orders", login_required=True)
    def orders():
        return rx.text("Your orders", id="orders")

    app = FakeRxApp()
    add_pages(app, guard=guarded)
    rendered = str(app.pages["/orders"]["component"]())
    assert "is_authenticated" in rendered  # the condition
    assert "Your orders" in rendered and "RadixThemesSpinner" in rendered  # its two sides
    assert "RadixThemesSpinner" not in str(orders())


def test_auth_pages_follow_the_settings(clean_registry, settings):
    settings.REFLEX_DJANGO_AUTH = {"LOGIN_ROUTE": "/signin", "SIGNUP_ENABLED": False}
    add_auth_pages()
    assert {page.route for page in registered_pages()} == {
        "/signin",
        "/password_reset",
        "/password_reset_confirm",
    }


def test_every_auth_page_is_on_by_default(clean_registry):
    add_auth_pages()
    assert [page.route for page in registered_pages()] == [
        "/login",
        "/register",
        "/password_reset",
        "/password_reset_confirm",
    ]


def test_the_pages_layer_imports_nothing_of_auth():
    """One direction only: auth builds on pages, never the other way round."""
    source = Path(pages.__file__).read_text()
    assert "auth" not in "".join(line for line in source.splitlines() if "import" in line)
