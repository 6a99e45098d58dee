"""The legacy two-port layout (``REFLEX_DJANGO_URL_ROUTING = "reflex_led"``) in a browser.

``run_reflex`` runs ``reflex run`` there: the SPA on the frontend port
(Vite), and Reflex's backend, with Django under its prefixes, on the other.
With ``--prod`` it runs Reflex's production mode, which serves the compiled
SPA from the backend's port; ``config.asgi:application`` is the backend
port's app alone, as deployed. Each runs in a copy of the project: both compile
into the project's ``.web/``, and development mode watches its files.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import E2E_DIR, Server, project_copy, serve, wait_until_healthy
from .machine import free_port, interrupt, port_is_free

pytestmark = pytest.mark.e2e

#: The first start runs ``npm install`` and Vite's first transform.
FRONTEND_START_TIMEOUT = 600
#: Seconds run_reflex may take to stop everything after Ctrl+C.
STOP_BOUND = 30
#: Vite compiles a page's modules on its first request, on a loaded machine.
FIRST_PAGE_TIMEOUT = 120_000


@dataclass
class TwoPorts:
    process: subprocess.Popen
    backend_port: int
    frontend_port: int
    log: Path

    @property
    def backend(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}"

    @property
    def frontend(self) -> str:
        return f"http://127.0.0.1:{self.frontend_port}"


def wait_for_frontend(server: TwoPorts) -> None:
    """Wait until Vite answers the SPA's root; fail early if the server died."""
    deadline = time.monotonic() + FRONTEND_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"run_reflex exited:\n{server.log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(server.frontend + "/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"No frontend after {FRONTEND_START_TIMEOUT}s:\n{server.log.read_text()[-4000:]}")


def run_reflex(
    tmp_path_factory, name: str, args: list[str], server: Callable[[subprocess.Popen, Path], Any]
) -> Iterator[Any]:
    """``run_reflex ARGS`` with ``reflex_led`` routing in a copy of the project, DEBUG on.

    ``server`` wraps the process; it must be up when it returns. Ctrl+C at the end.
    """
    project, env = project_copy(tmp_path_factory.mktemp(name), "tests.e2e.reflex_led_settings")
    command = [sys.executable, str(project / "manage.py"), "run_reflex", *args]
    E2E_DIR.mkdir(exist_ok=True)
    log = E2E_DIR / f"{name}-server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield server(process, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=STOP_BOUND)
    assert "Traceback" not in log.read_text(), log.read_text()


@pytest.fixture(scope="module")
def two_ports(tmp_path_factory) -> Iterator[TwoPorts]:
    """``run_reflex`` as a user runs it while developing: the SPA and the backend apart."""
    backend_port, frontend_port = free_port(), free_port()

    def started(process: subprocess.Popen, log: Path) -> TwoPorts:
        server = TwoPorts(process, backend_port, frontend_port, log)
        wait_until_healthy(server.backend, process, log)
        wait_for_frontend(server)
        return server

    args = ["--port", str(backend_port), "--frontend-port", str(frontend_port)]
    yield from run_reflex(tmp_path_factory, "reflex-led", args, started)


@pytest.fixture(scope="module")
def one_port(tmp_path_factory) -> Iterator[str]:
    """``run_reflex --prod``: Reflex's production mode, the SPA on the backend's port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def started(process: subprocess.Popen, log: Path) -> str:
        wait_until_healthy(url, process, log)
        return url

    args = ["--prod", "--port", str(port)]
    yield from run_reflex(tmp_path_factory, "reflex-led-prod", args, started)


@pytest.fixture(scope="module")
def backend_only(server_env) -> Iterator[str]:
    """``uvicorn config.asgi:application`` with ``reflex_led`` routing: no SPA, no compile."""
    env = {**server_env, "DJANGO_SETTINGS_MODULE": "tests.e2e.reflex_led_settings"}
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    for server in serve(Server(command, port, env, E2E_DIR / "reflex-led-asgi.log")):
        yield server.url


def test_the_spa_page_talks_to_the_backend_port_over_a_live_event_socket(
    page: Page, two_ports: TwoPorts
):
    with page.expect_websocket(lambda ws: "/_event" in ws.url) as event_socket:
        page.goto(two_ports.frontend + "/", timeout=FIRST_PAGE_TIMEOUT)
    assert f":{two_ports.backend_port}/_event" in event_socket.value.url
    # on_load's event was answered, then a typed query is.
    expect(page.locator("#matches")).to_have_text("9 products", timeout=FIRST_PAGE_TIMEOUT)
    page.fill("#search", "kettle")
    expect(page.locator("#matches")).not_to_have_text("9 products")
    page.click("#nav-about")
    expect(page.locator("#page-title")).to_have_text("About")


def test_django_answers_under_its_prefixes_on_the_backend_port(page: Page, two_ports: TwoPorts):
    page.goto(two_ports.backend + "/admin/")
    expect(page).to_have_title(re.compile("Log in"))
    # The admin's CSS (STATIC_URL) is Django's too, or the admin would be unstyled.
    css = page.request.get(two_ports.backend + "/static/admin/css/base.css")
    assert css.ok and css.headers["content-type"].startswith("text/css")
    api = page.request.get(two_ports.backend + "/api/products/")
    assert api.ok and "teapot" in [product["slug"] for product in api.json()["items"]]


@pytest.mark.parametrize("path", ["/", "/about", "/adminx", "/apix/products/"])
def test_other_paths_on_the_backend_port_are_reflexs_not_djangos(
    page: Page, two_ports: TwoPorts, path: str
):
    response = page.request.get(two_ports.backend + path)
    # Reflex's backend: Starlette's plain 404, not Django's page nor the SPA.
    assert response.status == 404
    assert response.text() == "Not Found"


def test_ctrl_c_stops_both_servers_and_frees_both_ports(two_ports: TwoPorts):
    children, left = interrupt(two_ports.process, STOP_BOUND)
    assert children, "expected reflex run's processes"
    assert not left, "processes left behind"
    assert port_is_free(two_ports.backend_port) and port_is_free(two_ports.frontend_port)


def test_prod_serves_the_spa_django_and_live_events_on_one_port(page: Page, one_port: str):
    page.goto(one_port + "/about")
    expect(page.locator("#page-title")).to_have_text("About")
    page.goto(one_port + "/")
    expect(page.locator("#matches")).to_have_text("9 products")
    page.fill("#search", "kettle")
    expect(page.locator("#matches")).not_to_have_text("9 products")
    assert page.request.get(one_port + "/api/products/").ok
    page.goto(one_port + "/admin/")
    expect(page).to_have_title(re.compile("Log in"))


def test_the_asgi_application_is_reflexs_backend_with_django_inside(page: Page, backend_only: str):
    page.goto(backend_only + "/admin/")
    expect(page).to_have_title(re.compile("Log in"))
    assert page.request.get(backend_only + "/ping").json() == "pong"
    about = page.request.get(backend_only + "/about")
    assert about.status == 404 and about.text() == "Not Found"
