"""The auth pages in a real browser: one HttpOnly Django session for Django
views and Reflex events."""

import re
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def django_sees(page: Page, base_url: str) -> dict:
    return page.request.get(base_url + "/api/me/").json()


def assert_session_cookie_is_httponly(context: BrowserContext, page: Page) -> None:
    (session,) = [c for c in context.cookies() if c["name"] == "sessionid"]
    assert session["httpOnly"]
    assert "sessionid" not in page.evaluate("document.cookie")


def test_register_then_reflex_and_django_see_the_new_user(page: Page, context, live_server_url):
    name = f"new{uuid.uuid4().hex[:8]}"
    page.goto(live_server_url + "/register")
    page.fill("#field-username", name)
    page.fill("#field-email", f"{name}@example.com")
    page.fill("#field-password1", PASSWORD)
    page.fill("#field-password2", PASSWORD)
    page.click("#auth-submit")
    page.wait_for_url(live_server_url + "/")
    expect(page.locator("#nav-user")).to_have_text(name)
    assert django_sees(page, live_server_url) == {"is_authenticated": True, "username": name}
    assert_session_cookie_is_httponly(context, page)


def test_registration_errors_show_beside_their_fields(page: Page, live_server_url, user):
    page.goto(live_server_url + "/register")
    page.fill("#field-username", user["username"])
    page.fill("#field-email", "someone.else@example.com")
    page.fill("#field-password1", "12345")
    page.fill("#field-password2", "12345")
    page.click("#auth-submit")
    expect(page.locator("#error-username")).to_have_text(
        "A user with that username already exists."
    )
    expect(page.locator("#error-password2")).to_contain_text("too short")
    assert page.url == live_server_url + "/register"


def test_a_wrong_password_is_an_error_then_the_right_one_opens_the_admin(
    page: Page, context, live_server_url, user
):
    log_in(page, live_server_url + "/login", user["username"], "not the password")
    expect(page.locator("#form-error")).to_have_text(
        "Please enter a correct username and password."
    )
    page.fill("#field-password", PASSWORD)
    page.click("#auth-submit")
    page.wait_for_url(live_server_url + "/")
    expect(page.locator("#nav-user")).to_have_text(user["username"])
    # A Django view sees the same session at once: the admin opens for staff.
    page.goto(live_server_url + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text(user["username"])
    assert_session_cookie_is_httponly(context, page)


def test_logout_makes_every_tab_anonymous(page: Page, context, live_server_url, user):
    log_in(page, live_server_url + "/login", user["username"])
    page.wait_for_url(live_server_url + "/")
    other_tab = context.new_page()
    other_tab.goto(live_server_url + "/about")
    expect(other_tab.locator("#nav-user")).to_have_text(user["username"])

    page.click("#logout")
    expect(page.locator("#nav-login")).to_be_visible()
    assert django_sees(page, live_server_url)["is_authenticated"] is False

    # The other tab's next event reads the session again, and finds none.
    other_tab.click("#nav-cart")
    expect(other_tab.locator("#page-title")).to_have_text("Cart")
    expect(other_tab.locator("#nav-login")).to_be_visible()


def test_a_protected_page_sends_to_login_and_back(page: Page, live_server_url, user):
    page.goto(live_server_url + "/account")
    page.wait_for_url(re.compile(r"/login\?next=%2Faccount$"))
    page.fill("#field-login", user["username"])
    page.fill("#field-password", PASSWORD)
    page.click("#auth-submit")
    page.wait_for_url(live_server_url + "/account")
    expect(page.locator("#account-username")).to_have_text(user["username"])
    # The page's own on_load ran once the login check had found the user.
    expect(page.locator("#account-since")).to_have_text(re.compile(r"\d{2} \w+ \d{4}"))


def test_a_login_in_one_tab_reaches_the_others(page: Page, context, live_server_url, user):
    other_tab = context.new_page()
    other_tab.goto(live_server_url + "/about")
    expect(other_tab.locator("#nav-login")).to_be_visible()
    log_in(page, live_server_url + "/login", user["username"])
    page.wait_for_url(live_server_url + "/")
    # The other tab reloads, so its socket reconnects with the new cookie.
    expect(other_tab.locator("#nav-user")).to_have_text(user["username"])
    other_tab.click("#nav-user")
    expect(other_tab.locator("#account-username")).to_have_text(user["username"])


def test_next_never_leaves_the_site(page: Page, live_server_url, user):
    log_in(page, live_server_url + "/login?next=https://evil.example/", user["username"])
    page.wait_for_url(live_server_url + "/")


def reset_link(mail_dir: Path, email: str) -> str:
    """The link in the reset email to ``email``, which is sent off the request path."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        newest_first = sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
        for message in newest_first:
            text = message.read_text()
            if f"To: {email}" in text:
                return re.search(r"http://\S+password_reset_confirm\?\S+", text).group(0)
        time.sleep(0.1)
    raise AssertionError(f"No reset email to {email} in {mail_dir}")


def test_password_reset_round_trip(page: Page, live_server_url, user, server_env):
    page.goto(live_server_url + "/login")
    page.click("#link-reset")
    expect(page.locator("#page-title")).to_have_text("Reset your password")
    page.fill("#field-email", user["email"])
    page.click("#auth-submit")
    expect(page.locator("#form-done")).to_contain_text("we have sent it a link")

    link = reset_link(Path(server_env["E2E_MAIL_DIR"]), user["email"])
    page.goto(link)
    page.fill("#field-new_password1", "a brand new secret")
    page.fill("#field-new_password2", "a brand new secret")
    page.click("#auth-submit")
    expect(page.locator("#form-done")).to_contain_text("Your password has been changed")

    page.goto(link)  # a used link is dead
    expect(page.locator("#form-error")).to_contain_text("invalid or has expired")
    log_in(page, live_server_url + "/login", user["username"], "a brand new secret")
    page.wait_for_url(live_server_url + "/")
    expect(page.locator("#nav-user")).to_have_text(user["username"])


OPEN_SOCKET = """url => new Promise(resolve => {
    const socket = new WebSocket(url);
    socket.onopen = () => { socket.close(); resolve("opened"); };
    socket.onerror = () => resolve("refused");
})"""


class ForeignPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<h1>Another site</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def foreign_site_url() -> Iterator[str]:
    """Another origin, served from this machine: Chromium blocks public pages
    from reaching local addresses on its own, which would prove nothing."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ForeignPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_a_foreign_origin_cannot_open_the_event_socket(
    page: Page, live_server_url, foreign_site_url
):
    socket_url = live_server_url.replace("http", "ws") + "/_event/?EIO=4&transport=websocket"
    page.goto(live_server_url + "/about")
    assert page.evaluate(OPEN_SOCKET, socket_url) == "opened"

    page.goto(foreign_site_url)
    assert page.evaluate(OPEN_SOCKET, socket_url) == "refused"
