"""What an attacker on the same machine tries, against the real server."""

import asyncio
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
import websockets
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from .conftest import E2E_DIR, PASSWORD, STATES_DIR, log_in

pytestmark = pytest.mark.e2e


def log_in_and_open_account(page: Page, url: str, username: str) -> str:
    """Log in, open /account, and return what it shows as "member since"."""
    log_in(page, url + "/login?next=%2Faccount", username)
    page.wait_for_url(url + "/account")
    since = page.locator("#account-since")
    expect(since).to_have_text(re.compile(r"\d{2} \w+ \d{4}"))
    return since.inner_text()


def stored_states_containing(text: str) -> list[str]:
    """Where Reflex's state store holds ``text``: files on disk, or Redis keys."""
    if redis_url := getattr(settings, "REDIS_URL", None):
        import redis

        store = redis.Redis.from_url(redis_url)
        # Django's cache shares the Redis: its keys start with ":1:".
        return [
            key.decode()
            for key in store.scan_iter()
            if not key.startswith(b":") and store.type(key) == b"string"
            if text.encode() in (store.get(key) or b"")
        ]
    return [
        str(path)
        for path in STATES_DIR.rglob("*")
        if path.is_file() and text.encode() in path.read_bytes()
    ]


def test_no_session_key_or_csrf_secret_reaches_the_state_store(
    page: Page, context, live_server_url, user
):
    log_in_and_open_account(page, live_server_url, user["username"])
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    # The tab's state is stored (its username is there): the store is written.
    deadline = time.monotonic() + 15
    while not stored_states_containing(user["username"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored_states_containing(user["username"]), "no tab state was stored"
    assert stored_states_containing(cookies["sessionid"]) == []
    assert stored_states_containing(cookies["csrftoken"]) == []


def test_a_stolen_tab_token_yields_no_private_state(
    page: Page, browser: Browser, live_server_url, user
):
    since = log_in_and_open_account(page, live_server_url, user["username"])
    token = page.evaluate("window.sessionStorage.getItem('token')")
    page.click("#account-logout")
    page.wait_for_url(live_server_url + "/")
    page.close()

    # Someone else's browser presents the token, without the victim's cookies.
    attacker = browser.new_context()
    attacker.add_init_script(f"window.sessionStorage.setItem('token', {token!r})")
    frames: list[str] = []
    thief = attacker.new_page()
    thief.on(
        "websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(str(frame)))
    )
    thief.goto(live_server_url + "/account")
    thief.wait_for_url(re.compile(r"/login\?next=%2Faccount$"))
    expect(thief.locator("#field-login")).to_be_visible()
    assert (
        thief.evaluate("window.sessionStorage.getItem('token')") == token
    )  # the real token was used
    assert frames, "no state frames were received"
    received = "\n".join(frames)
    assert since not in received and user["username"] not in received
    attacker.close()


def test_tab_tokens_stay_out_of_the_server_log(no_bundle_server_url):
    """The no-bundle server runs plain uvicorn at its default (info) log level."""
    token = "0123456789abcdef-token-under-test"
    url = (
        no_bundle_server_url.replace("http", "ws")
        + f"/_event/?EIO=4&transport=websocket&token={token}"
    )

    async def connect() -> None:
        async with websockets.connect(url) as socket:
            await socket.recv()  # Engine.IO's open packet: the handshake was accepted

    with ThreadPoolExecutor(max_workers=1) as worker:  # Playwright holds this thread's loop
        worker.submit(asyncio.run, connect()).result()
    urllib.request.urlopen(f"{no_bundle_server_url}/ping?token={token}").read()
    time.sleep(0.5)
    log = (E2E_DIR / "no-bundle-server.log").read_text()
    assert "token=[redacted]" in log  # the lines are there...
    assert token not in log  # ...without the token


def admin_login(base_url: str, username: str, password: str, forwarded_for: str) -> int:
    """POST the admin's login form as a script would, with a forged X-Forwarded-For."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    form = opener.open(f"{base_url}/admin/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/admin/login/",
        data=data,
        headers={"X-Forwarded-For": forwarded_for, "Referer": f"{base_url}/admin/login/"},
    )
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_admin_login_is_throttled_and_forged_forwarding_changes_nothing(live_server_url, user):
    """Ten wrong passwords, each from a "new" address, then the right one.

    The server sees one client throughout (its proxy headers are believed
    from no one), so the pair is locked, the admin login included.
    """
    statuses = [
        admin_login(live_server_url, user["username"], "wrong", f"203.0.113.{i}") for i in range(10)
    ]
    statuses.append(admin_login(live_server_url, user["username"], PASSWORD, "198.51.100.1"))
    assert statuses == [200] * 11  # the form again each time, never the 302 into the admin
