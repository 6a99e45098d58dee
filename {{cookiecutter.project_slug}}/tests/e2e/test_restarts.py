"""The server goes away and comes back: the page says so, then carries on.

These tests stop and start the session's server; it is back, on the same
port, before each test ends.
"""

import signal
import sqlite3
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e

DOWN = "Cannot connect to server"


def test_while_the_backend_is_down_the_page_says_so_and_then_recovers(page: Page, e2e_server, user):
    log_in(page, e2e_server.url + "/login", user["username"])
    page.wait_for_url(e2e_server.url + "/")
    page.click("#add-mug")
    expect(page.locator("#cart-badge")).to_have_text("1 in cart")

    e2e_server.stop()
    expect(page.get_by_text(DOWN).first).to_be_visible(timeout=30_000)
    e2e_server.start()
    expect(page.get_by_text(DOWN)).to_have_count(0, timeout=60_000)

    # The same tab, the same state (kept by Reflex's state manager) and the
    # same login (Django's session), without a reload.
    page.click("#add-mug")
    expect(page.locator("#cart-badge")).to_have_text("2 in cart")
    expect(page.locator("#nav-user")).to_have_text(user["username"])


def test_a_kill_during_a_registration_leaves_a_consistent_database(
    page: Page, e2e_server, server_env
):
    name = f"kill{uuid.uuid4().hex[:8]}"
    page.goto(e2e_server.url + "/register")
    page.fill("#field-username", name)
    page.fill("#field-email", f"{name}@example.com")
    page.fill("#field-password1", PASSWORD)
    page.fill("#field-password2", PASSWORD)
    page.click("#auth-submit")
    e2e_server.kill()  # SIGKILL, with the registration in flight or just done

    database = server_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = connection.execute(
            "SELECT password FROM auth_user WHERE username = ?", (name,)
        ).fetchall()
    e2e_server.start()
    # Either the account was committed whole, and its password works, or it
    # does not exist at all: nothing in between.
    assert len(rows) in (0, 1)
    if rows:
        assert rows[0][0].startswith(("md5$", "pbkdf2_sha256$"))
        log_in(page, e2e_server.url + "/login", name)
        page.wait_for_url(e2e_server.url + "/")
        expect(page.locator("#nav-user")).to_have_text(name)


@pytest.mark.parametrize("layout", ["run_reflex", "uvicorn --workers"])
def test_sigterm_lets_the_requests_in_flight_finish_then_exits(request, server_env, layout):
    """An operator's stop (or a deploy's) drops no answer that was being written."""
    fixture = "e2e_server" if layout == "run_reflex" else "proxied_app"
    server = request.getfixturevalue(fixture)
    server = getattr(server, "server", server)
    started = Path(server_env["E2E_SLOW_DIR"]) / uuid.uuid4().hex
    url = f"{server.url}/e2e/slow/?seconds=3&id={started.name}"
    with ThreadPoolExecutor(max_workers=1) as pool:
        answer = pool.submit(lambda: urllib.request.urlopen(url, timeout=60).read())
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline and not answer.done():
            time.sleep(0.05)
        assert started.exists(), "the slow request never reached the view"
        server.process.terminate()
        assert answer.result() == b"finished"
    # It exits by itself. uvicorn re-raises the signal once it has shut down
    # cleanly, so that the exit status says what stopped it.
    assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
    server.start()
