"""Reflex's route syntax, matched against request paths (reflex_django.routes)."""

import pytest

from reflex_django.routes import matches_route, route_regex


@pytest.mark.parametrize(
    ("route", "regex"),
    [
        ("/", "/?"),
        ("/about", "/about/?"),
        ("/shop/cart", "/shop/cart/?"),  # every segment, not only the last
        ("/orders/[id]/receipt", "/orders/[^/]+/receipt/?"),
        ("/a.b", r"/a\.b/?"),
        ("/products/[slug]", "/products/[^/]+/?"),
        ("/docs/[...page]", "/docs/.+/?"),
        ("/help/[[...topic]]", "/help(?:/.*)?/?"),
    ],
)
def test_route_regex(route, regex):
    assert route_regex(route) == regex


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", True),
        ("/about", True),
        ("/about/", True),
        ("/aboutx", False),
        ("/a.b", True),
        ("/axb", False),
        ("/products/mug", True),
        ("/products/", False),
        ("/products/mug/x", False),
    ],
)
def test_matches_route(path, expected):
    assert matches_route(path, ("/about", "/a.b", "/products/[slug]")) is expected


def test_the_root_always_matches_and_an_empty_table_matches_nothing_else():
    assert matches_route("/", ())
    assert not matches_route("/about", ())
