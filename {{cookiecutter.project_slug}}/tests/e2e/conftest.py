"""The real server and a real browser, for the end-to-end tests.

The server is ``manage.py run_reflex`` in a subprocess, as a user runs it,
on a free port, with a throw-away database. It builds the SPA only when the
copy kept in ``.e2e/`` is stale; the port it was built for is reused when
free, because the port is baked into the bundle.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

PROJECT_DIR = Path(__file__).resolve().parents[2]
E2E_DIR = PROJECT_DIR / ".e2e"
STATIC_ROOT = E2E_DIR / "staticfiles"
STAMP = E2E_DIR / ".staticfiles.reflex-build.json"  # reflex_django.build.stamp_path()
#: Where the e2e server's Reflex keeps tab states (REFLEX_STATES_WORKDIR).
STATES_DIR = E2E_DIR / "states"

#: Name a Chromium-family executable explicitly with this variable.
BROWSER_ENV_VAR = "E2E_BROWSER"
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_BROWSER = f"""No browser for the end-to-end tests. Get one of:
  * Playwright's Chromium:  python -m playwright install chromium
  * a system Chromium:      sudo apt-get install chromium   (Debian/Ubuntu)
  * any Chromium-based browser, named explicitly:  {BROWSER_ENV_VAR}=/path/to/chrome pytest
Run only the fast tests with:  pytest -m "not e2e\""""

#: First start includes `npm install` and the production build.
SERVER_START_TIMEOUT = 600


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As uvicorn does: a port left in TIME_WAIT by the last run is usable.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port() -> int:
    """The port the kept bundle was built for, if free; else any free port."""
    try:
        previous = urlsplit(json.loads(STAMP.read_text())["api_url"]).port
    except (OSError, ValueError, KeyError):
        previous = None
    return previous if previous and port_is_free(previous) else free_port()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"The server exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(
        f"The server was not healthy after {SERVER_START_TIMEOUT}s:\n{log.read_text()[-4000:]}"
    )


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    """Test settings, a throw-away database and the e2e copy of the SPA."""
    database = tmp_path_factory.mktemp("e2e-db") / "db.sqlite3"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.e2e.settings",
        # Development mode, as run_reflex is used: Django serves MEDIA_ROOT, say.
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "E2E_MAIL_DIR": str(tmp_path_factory.mktemp("e2e-mail")),
        "DJANGO_MEDIA_ROOT": str(tmp_path_factory.mktemp("e2e-media")),
        "REFLEX_STATES_WORKDIR": str(STATES_DIR),
    }


@pytest.fixture(scope="session")
def manage(server_env) -> Callable[..., str]:
    """Run a management command against the e2e server's database.

    The ORM stays in that subprocess: Django refuses synchronous queries
    from a test while Playwright's event loop runs in its thread.
    """

    def run(*args: str) -> str:
        command = [sys.executable, str(PROJECT_DIR / "manage.py"), *args]
        result = subprocess.run(command, env=server_env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


@pytest.fixture(scope="session")
def e2e_server(server_env, manage) -> Iterator[Server]:
    """``run_reflex`` on a free port, for the whole session; tests may restart it."""
    # The e2e URLconf breaks a routing rule on purpose (tests/e2e/urls.py), so
    # the system checks, rightly, object: skip them for this server only.
    manage("migrate", "--noinput", "-v0", "--skip-checks")
    manage("seed_shop", "--skip-checks")
    port = choose_port()
    command = [sys.executable, str(PROJECT_DIR / "manage.py"), "run_reflex", "--skip-checks"]
    command += ["--port", str(port), "--log-level", "warning"]
    yield from serve(Server(command, port, server_env, E2E_DIR / "server.log"))


@pytest.fixture(scope="session")
def live_server_url(e2e_server) -> str:
    return e2e_server.url


@pytest.fixture(scope="session")
def no_bundle_server_url(server_env, tmp_path_factory) -> Iterator[str]:
    """The ASGI app served as is, from a project directory with no SPA bundle."""
    empty = tmp_path_factory.mktemp("no-bundle")
    env = {**server_env, "DJANGO_STATIC_ROOT": str(empty), "E2E_EMPTY_BASE_DIR": str(empty)}
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    for server in serve(Server(command, port, env, E2E_DIR / "no-bundle-server.log")):
        yield server.url


class Server:
    """A server subprocess that a test can stop, kill and start again on its port."""

    def __init__(self, command: list[str], port: int, env: dict[str, str], log: Path) -> None:
        self.command, self.port, self.env, self.log = command, port, env, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        E2E_DIR.mkdir(exist_ok=True)
        log.write_text("")

    def start(self) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                self.command, cwd=PROJECT_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        wait_until_healthy(self.url, self.process, self.log)

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM), so that it shuts down cleanly."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """Kill it outright (SIGKILL): no shutdown code runs."""
        self.process.kill()
        self.process.wait()


def serve(server: Server) -> Iterator[Server]:
    """Run ``server`` until the session ends; its log must show no traceback."""
    server.start()
    try:
        yield server
    finally:
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log, f"the server logged an error:\n{log}"


def find_browser(playwright_chromium: str) -> str:
    """An explicitly named browser, else Playwright's own, else the system's."""
    if named := os.environ.get(BROWSER_ENV_VAR):
        if not Path(named).is_file():
            pytest.fail(f"{BROWSER_ENV_VAR}={named} is not a file.\n\n{NO_BROWSER}", pytrace=False)
        return named
    if Path(playwright_chromium).is_file():
        return playwright_chromium
    for name in SYSTEM_BROWSERS:
        if found := shutil.which(name):
            return found
    pytest.fail(NO_BROWSER, pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_type):
    """pytest-playwright's launch options, with a browser that really exists."""
    return {
        **browser_type_launch_args,
        "executable_path": find_browser(browser_type.executable_path),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


PASSWORD = "correct horse battery"


@pytest.fixture
def user(manage) -> dict[str, str]:
    """A fresh staff account, created in the server's database."""
    name = f"user{uuid.uuid4().hex[:8]}"
    email = f"{name}@example.com"
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user({name!r}, {email!r}, {PASSWORD!r}, is_staff=True)",
    )
    return {"username": name, "email": email}


def log_in(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(url)
    page.fill("#field-login", username)
    page.fill("#field-password", password)
    page.click("#auth-submit")
