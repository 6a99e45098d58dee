"""What the production layout adds: the proxies' own work, client addresses, workers.

Each test runs behind nginx, then behind Caddy, started from the files in
deploy/ (conftest.py's ``site_url``). The routing tests in test_spa.py run
through both as well.
"""

from __future__ import annotations

import re
import socket
import sqlite3
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from reflex_django import auth_settings

from .conftest import APP_WORKERS, PASSWORD, ProxiedApp, log_in
from .proxies import PROXIES

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("site_url", PROXIES, indirect=True)]

#: The proxies' limit on a request body to /_upload (deploy/): 10 MB.
UPLOAD_LIMIT = 10 * 1024 * 1024
#: Loopback addresses other than the proxies' own: clients the app must tell apart.
CLIENT_A, CLIENT_B, FORGER = "127.0.0.4", "127.0.0.5", "127.0.0.6"
#: How many times a test reloads or logs in again to land on another worker.
TRIES = 12


def test_the_proxy_serves_static_and_media_files_itself(site_url, proxied_app: ProxiedApp):
    name = f"probe-{uuid.uuid4().hex}.txt"
    # Written after the app started: WhiteNoise, which indexes STATIC_ROOT at
    # start-up, does not know them, and the app serves no /media/ in
    # production. Only the proxy can answer.
    for root, prefix in ((proxied_app.static_root, "static"), (proxied_app.media_root, "media")):
        (root / name).write_text(f"from {prefix}")
        try:
            assert httpx.get(f"{site_url}/{prefix}/{name}").text == f"from {prefix}"
            assert httpx.get(f"{proxied_app.server.url}/{prefix}/{name}").status_code == 404
        finally:
            (root / name).unlink()


def test_the_bundle_built_for_the_public_origin_talks_to_it(
    page: Page, site_url, proxied_app: ProxiedApp
):
    """REFLEX_API_URL names the proxy's origin: the SPA's socket goes there, not to the app."""
    event_url = f"ws://127.0.0.1:{proxied_app.proxy_port}/_event"
    assets = (proxied_app.static_root / "_reflex" / "assets").glob("*.js")
    assert any(event_url in asset.read_text() for asset in assets)
    with page.expect_websocket(lambda ws: "/_event" in ws.url) as event_socket:
        page.goto(site_url + "/")
    assert event_socket.value.url.startswith(event_url)


def post_status(url: str, path: str, length: int) -> int:
    """POST ``length`` bytes to ``path``; the status, even if the server stops reading early."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b"x" * 65536
        try:
            for start in range(0, length, len(chunk)):
                sock.sendall(chunk[: length - start])
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused mid-body: the answer is already waiting
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_the_proxy_refuses_a_large_upload(site_url):
    assert post_status(site_url, "/_upload", UPLOAD_LIMIT + 1024 * 1024) == 413
    # A small one reaches the app, which has uploads turned off.
    assert post_status(site_url, "/_upload", 1024) == 403


def admin_login(url: str, username: str, password: str, source: str, **headers: str) -> bool:
    """Log in to the admin from ``source``; whether the password was accepted."""
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(base_url=url, transport=transport, headers=headers) as client:
        client.get("/admin/login/")
        form = {"username": username, "password": password, "next": "/admin/"}
        form["csrfmiddlewaretoken"] = client.cookies["csrftoken"]
        response = client.post("/admin/login/", data=form)
    return response.status_code == 302


def locked_out(server_env: dict[str, str], username: str) -> set[str]:
    """The throttle's lockout records for ``username``, read from the servers' database."""
    database = server_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT identity FROM reflex_django_lockout WHERE identity LIKE ?",
            (f"pair:{username}|%",),
        ).fetchall()
    return {identity for (identity,) in rows}


def fail_until_locked(url: str, username: str, source: str, forge: bool = False) -> None:
    """One more wrong password than the limit; a forger claims a new address each time."""
    for attempt in range(auth_settings().login_failures_before_lockout + 1):
        headers = {"X-Forwarded-For": f"203.0.113.{attempt + 1}"} if forge else {}
        assert not admin_login(url, username, "wrong", source, **headers)


def test_clients_behind_the_proxy_are_counted_apart(site_url, user, server_env):
    name = user["username"]
    fail_until_locked(site_url, name, CLIENT_A)
    assert not admin_login(site_url, name, PASSWORD, CLIENT_A)
    # The proxy's address is not the client: another client still logs in.
    assert admin_login(site_url, name, PASSWORD, CLIENT_B)
    assert locked_out(server_env, name) == {f"pair:{name}|{CLIENT_A}"}


@pytest.mark.parametrize("route", ["through the proxy", "straight to the app"])
def test_a_forged_x_forwarded_for_gains_nothing(
    site_url, proxied_app: ProxiedApp, user, server_env, route
):
    url = site_url if route == "through the proxy" else proxied_app.server.url
    name = user["username"]
    fail_until_locked(url, name, FORGER, forge=True)
    assert not admin_login(url, name, PASSWORD, FORGER, **{"X-Forwarded-For": "203.0.113.99"})
    assert locked_out(server_env, name) == {f"pair:{name}|{FORGER}"}


def pid_before(log: str, line: re.Pattern[str]) -> tuple[str, str]:
    """The pids of the last line matching ``line``, and of the last socket accepted before it."""
    matches = list(line.finditer(log))
    assert matches, f"no {line.pattern!r} in the app's log"
    last = matches[-1]
    sockets = re.findall(r'^(\d+) INFO .*"WebSocket /_event', log[: last.start()], re.MULTILINE)
    assert sockets, "no socket before it"
    return sockets[-1], last.group(1)


def test_a_login_ticket_is_redeemed_by_whichever_worker(
    browser: Browser, site_url, proxied_app: ProxiedApp, user
):
    """The socket's worker issues the ticket; the session POST may land on another."""
    redeemed = re.compile(r'^(\d+) INFO .*"POST /accounts/session/ HTTP', re.MULTILINE)
    pairs = set()
    for _ in range(TRIES):
        context = browser.new_context()
        page = context.new_page()
        log_in(page, site_url + "/login", user["username"])
        page.wait_for_url(site_url + "/")
        expect(page.locator("#nav-user")).to_have_text(user["username"])
        context.close()
        issuer, redeemer = pid_before(proxied_app.server.log.read_text(), redeemed)
        pairs.add(issuer == redeemer)
        if False in pairs or APP_WORKERS == 1:
            break
    assert (False in pairs) == (APP_WORKERS > 1), f"{APP_WORKERS} workers, {TRIES} logins"


def test_a_hard_refresh_keeps_cart_and_login_on_whichever_worker(
    page: Page, site_url, proxied_app: ProxiedApp, user
):
    log_in(page, site_url + "/login", user["username"])
    page.wait_for_url(site_url + "/")
    page.click("#add-mug")
    expect(page.locator("#cart-badge")).to_have_text("1 in cart")
    workers = {proxied_app.workers()[-1]}
    for _ in range(TRIES):
        page.reload()
        expect(page.locator("#nav-user")).to_have_text(user["username"])
        expect(page.locator("#cart-badge")).to_have_text("1 in cart")
        workers.add(proxied_app.workers()[-1])
        if len(workers) == APP_WORKERS:
            break
    assert len(workers) == APP_WORKERS, f"{TRIES} reloads all reached one of {APP_WORKERS} workers"
