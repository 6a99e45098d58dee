"""One port, three layers, in a real browser against the real server.

Each test runs against ``run_reflex --prod``, against ``run_reflex`` in
development mode (Vite behind the same port), then against the production
server command behind nginx and behind Caddy (``site_url`` in conftest.py).
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", None),  # the project's name, which is also the auth pages' BRAND
        ("/about", "About"),
        ("/cart", "Cart"),
        ("/products/mug", "Stoneware mug"),
        ("/login", "Log in"),
        ("/register", "Create an account"),
        ("/password_reset", "Reset your password"),
        ("/password_reset_confirm?uid=x&token=y", "Choose a new password"),
    ],
)
def test_every_spa_route_survives_a_hard_refresh(page: Page, site_url, path, title):
    page.goto(site_url + path)
    page.reload()
    expect(page.locator("#page-title")).to_have_text(title or settings.REFLEX_DJANGO_AUTH["BRAND"])


#: Whether React has hydrated an element: it then holds React's props.
HYDRATED = """id => Object.keys(document.getElementById(id) || {})
    .some(key => key.startsWith("__reactProps"))"""


def open_live_catalogue(page: Page, site_url: str) -> None:
    """Open ``/`` and wait until React has attached the page's handlers.

    In development mode Vite renders documents on the server, so buttons and
    links show, with the right text, before the page's scripts have run. A
    click then is lost, or a link loads a new document.
    """
    page.goto(site_url + "/")
    for element in ("add-teapot", "nav-about"):
        page.wait_for_function(HYDRATED, arg=element)


def test_link_clicks_change_page_without_a_document_request(page: Page, site_url):
    open_live_catalogue(page, site_url)
    documents = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    page.click("#nav-about")
    expect(page.locator("#page-title")).to_have_text("About")
    page.click("#nav-cart")
    expect(page.locator("#page-title")).to_have_text("Cart")
    assert page.url == site_url + "/cart"
    assert documents == []


def test_a_click_updates_state_over_the_event_websocket(page: Page, site_url):
    with page.expect_websocket(lambda ws: "/_event" in ws.url):
        open_live_catalogue(page, site_url)
    expect(page.locator("#cart-badge")).to_have_text("0 in cart")
    page.click("#add-teapot")
    expect(page.locator("#cart-badge")).to_have_text("1 in cart")
    page.click("#nav-cart")
    expect(page.get_by_text("Cast-iron teapot")).to_be_visible()


def test_an_unknown_path_is_a_404_that_still_shows_the_spas_not_found_page(page: Page, site_url):
    response = page.goto(site_url + "/no/such/page")
    assert response.status == 404
    expect(page.get_by_text("404")).to_be_visible()
    # A real dynamic route answers 200, whatever the slug: the page decides.
    assert page.goto(site_url + "/products/no-such-thing").status == 200
    expect(page.locator("#not-found")).to_be_visible()


def test_django_and_reflex_answer_their_own_paths(page: Page, site_url):
    page.goto(site_url + "/admin/")
    expect(page).to_have_title(re.compile("Log in"))
    api = page.request.get(site_url + "/api/products/")
    assert api.ok and "teapot" in [product["slug"] for product in api.json()["items"]]
    assert page.request.get(site_url + "/ping").json() == "pong"
    assert page.request.get(site_url + "/_health").ok


def test_a_reserved_prefix_wins_over_a_django_route_under_it(page: Page, site_url):
    # tests/e2e/urls.py routes /ping and /_health to a Django view, first.
    for path in ("/ping", "/_health"):
        response = page.request.get(site_url + path)
        assert response.ok and "hijacked" not in response.text()


def test_the_event_websocket_connects_and_other_websockets_are_closed(page: Page, site_url):
    page.goto(site_url + "/")
    outcome = page.evaluate(
        """url => new Promise(resolve => {
            const socket = new WebSocket(url);
            socket.onopen = () => resolve("opened");
            socket.onclose = event => resolve(`closed ${event.code}`);
        })""",
        site_url.replace("http", "ws") + "/not-a-socket",
    )
    assert outcome == "closed 1006"  # the handshake was refused
    with page.expect_websocket(lambda ws: "/_event" in ws.url) as event_socket:
        page.reload()
    assert not event_socket.value.is_closed()


def test_static_files_and_the_staged_spa_are_served(page: Page, site_url, request):
    admin_css = page.request.get(site_url + "/static/admin/css/base.css")
    assert admin_css.ok and admin_css.headers["content-type"].startswith("text/css")
    staged = page.request.get(site_url + "/static/_reflex/index.html")
    if request.node.callspec.params["site_url"] == "development":
        # Vite serves the SPA; there is no exported bundle to serve stale.
        assert staged.status == 404
    else:
        assert staged.ok and "<html" in staged.text()
    # The document as sent, not as React leaves it after hydration.
    modules = ModuleLinks()
    modules.feed(page.request.get(site_url + "/").text())
    assert modules.found
    for module in modules.found:
        assert page.request.get(site_url + module).ok, module


class ModuleLinks(HTMLParser):
    """The module scripts and module preloads of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("type") == "module" and values.get("src"):
            self.found.append(values["src"])
        elif tag == "link" and values.get("rel") == "modulepreload" and values.get("href"):
            self.found.append(values["href"])


def test_without_a_bundle_the_root_is_a_404_with_the_export_hint(page: Page, no_bundle_server_url):
    response = page.goto(no_bundle_server_url + "/")
    assert response.status == 404
    expect(page.locator("body")).to_contain_text(
        "python manage.py export_reflex --frontend-only --no-zip --stage-to-static-root"
    )
    assert page.request.get(no_bundle_server_url + "/ping").json() == "pong"
