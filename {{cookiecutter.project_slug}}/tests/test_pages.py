"""Layer 3: @template pages and their discovery."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from reflex_django import pages
from reflex_django.pages import Page, autodiscover, registered_pages, template


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(pages, "_pages", {})


def test_the_shop_pages_are_discovered_from_views_py():
    autodiscover()
    routes = {page.route for page in registered_pages()}
    assert {"/", "/about", "/cart", "/products/[slug]"} <= routes


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
