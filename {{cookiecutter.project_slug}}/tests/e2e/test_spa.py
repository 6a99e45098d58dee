"""One port, three layers, in a real browser against the real server."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "My Shop"),
        ("/about", "About"),
        ("/cart", "Cart"),
        ("/products/mug", "Stoneware mug"),
    ],
)
def test_every_spa_route_survives_a_hard_refresh(page: Page, live_server_url, path, title):
    page.goto(live_server_url + path)
    page.reload()
    expect(page.locator("#page-title")).to_have_text(title if path != "/" else re.compile(".+"))


def test_link_clicks_change_page_without_a_document_request(page: Page, live_server_url):
    page.goto(live_server_url + "/")
    expect(page.locator("#cart-badge")).to_be_visible()
    documents = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    page.click("#nav-about")
    expect(page.locator("#page-title")).to_have_text("About")
    page.click("#nav-cart")
    expect(page.locator("#page-title")).to_have_text("Cart")
    assert page.url == live_server_url + "/cart"
    assert documents == []


def test_a_click_updates_state_over_the_event_websocket(page: Page, live_server_url):
    with page.expect_websocket(lambda ws: "/_event" in ws.url):
        page.goto(live_server_url + "/")
    expect(page.locator("#cart-badge")).to_have_text("0 in cart")
    page.click("#add-teapot")
    expect(page.locator("#cart-badge")).to_have_text("1 in cart")
    page.click("#nav-cart")
    expect(page.get_by_text("Cast-iron teapot")).to_be_visible()


def test_an_unknown_path_gets_the_spa_and_its_not_found_page(page: Page, live_server_url):
    response = page.goto(live_server_url + "/no/such/page")
    assert response.status == 200
    expect(page.get_by_text("404")).to_be_visible()


def test_django_and_reflex_answer_their_own_paths(page: Page, live_server_url):
    page.goto(live_server_url + "/admin/")
    expect(page).to_have_title(re.compile("Log in"))
    api = page.request.get(live_server_url + "/api/products/")
    assert api.ok and api.json()["products"][0]["slug"] == "teapot"
    assert page.request.get(live_server_url + "/ping").json() == "pong"
    assert page.request.get(live_server_url + "/_health").ok
