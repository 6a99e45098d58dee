"""Development mode, as a user lives in it: edit a page, see it, press Ctrl+C.

``run_reflex`` runs with ``DEBUG`` on in a copy of the project, so that the
test can edit ``shop/views.py`` without touching the real one (and without
restarting the session's other servers, which watch nothing but could be
rebuilt by an edit of the real project).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import E2E_DIR, free_port, port_is_free, project_copy, wait_until_healthy
from .machine import interrupt

pytestmark = pytest.mark.e2e

#: A saved page reaches the open browser within this many seconds: a backend
#: restart and Reflex's compile, then Vite's update, on a loaded two-core
#: machine. On a developer's laptop it takes a few seconds.
HOT_UPDATE_BOUND = 60_000
#: Seconds run_reflex may take to stop everything after Ctrl+C.
STOP_BOUND = 30

ORIGINAL_TEXT = "A shop built with Django and Reflex, served on one port."
EDITED_TEXT = "Edited while the development server runs."


@dataclass
class DevServer:
    project: Path
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory) -> Iterator[DevServer]:
    """``run_reflex`` in development mode, in a copy of the project."""
    project, env = project_copy(tmp_path_factory.mktemp("dev-loop"), "config.settings.local")
    manage = [sys.executable, str(project / "manage.py")]
    port = free_port()
    E2E_DIR.mkdir(exist_ok=True)
    log = E2E_DIR / "dev-server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*manage, "run_reflex", "--port", str(port)],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = DevServer(project, process, port, log)
    try:
        wait_until_healthy(server.url, process, log)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=STOP_BOUND)
    assert "Traceback" not in log.read_text(), log.read_text()


def test_a_saved_page_shows_up_in_the_open_browser_without_a_reload(
    page: Page, dev_server: DevServer
):
    page.goto(dev_server.url + "/")
    expect(page.get_by_text(ORIGINAL_TEXT)).to_be_visible(timeout=HOT_UPDATE_BOUND)
    # The page's socket works through the one port: on_load's event answered.
    expect(page.locator("#matches")).to_have_text("9 products")
    page.evaluate("window.__still_the_same_page = true")

    views = dev_server.project / "shop" / "views.py"
    views.write_text(views.read_text().replace(ORIGINAL_TEXT, EDITED_TEXT))

    expect(page.get_by_text(EDITED_TEXT)).to_be_visible(timeout=HOT_UPDATE_BOUND)
    assert page.evaluate("window.__still_the_same_page") is True, "the page was reloaded"
    # The restarted backend answers the same tab's events.
    page.fill("#search", "kettle")
    expect(page.locator("#matches")).not_to_have_text("9 products")


def test_ctrl_c_stops_every_child_and_frees_the_port(dev_server: DevServer):
    children, left = interrupt(dev_server.process, STOP_BOUND)
    assert len(children) >= 3, "expected Vite's and the backend's processes"
    assert not left, "processes left behind"
    assert port_is_free(dev_server.port)


def test_the_terminal_shows_each_child_s_lines_labelled_and_no_private_port(
    dev_server: DevServer,
):
    lines = dev_server.log.read_text().splitlines()
    assert any(line.startswith("frontend | ") for line in lines)
    assert any(line.startswith("backend  | ") for line in lines)
    # The only address given is the public one.
    served = [line for line in lines if "http://127.0.0.1:" in line or "localhost:" in line]
    assert served and all(f":{dev_server.port}/" in line for line in served), served
