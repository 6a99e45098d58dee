"""The real server and a real browser, for the end-to-end tests.

The server is ``manage.py run_reflex`` in a subprocess, as a user runs it,
on a free port, with a throw-away database. It builds the SPA only when the
copy kept in ``.e2e/`` is stale; the port it was built for is reused when
free, because the port is baked into the bundle.

``site_url`` is that server, and then the production layout: the production
server command (uvicorn, two workers when Reflex's states are in Redis)
behind nginx, then behind Caddy, each run from the file in ``deploy/``. That
layout has its own bundle, built for the proxies' origin, in
``.e2e/proxied/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from reflex_django.urls import find_mount

from .machine import (
    BROWSER_ENV_VAR,
    CHROMIUM_ARGS,
    browser_executable,
    free_port,
    port_is_free,
    terminate,
)
from .proxies import PROXIES, caddy_command, caddy_environment, nginx_command

PROJECT_DIR = Path(__file__).resolve().parents[2]
E2E_DIR = PROJECT_DIR / ".e2e"
STATIC_ROOT = E2E_DIR / "staticfiles"
STAMP = E2E_DIR / ".staticfiles.reflex-build.json"  # reflex_django.build.stamp_path()
#: Where the e2e server's Reflex keeps tab states (REFLEX_STATES_WORKDIR).
STATES_DIR = E2E_DIR / "states"

#: The production layout's files: its bundle, states, logs and proxy prefixes.
PROXIED_DIR = E2E_DIR / "proxied"
PROXIED_STATIC_ROOT = PROXIED_DIR / "staticfiles"
PROXIED_STAMP = PROXIED_DIR / ".staticfiles.reflex-build.json"
#: The address the proxies reach the app from, the one uvicorn trusts.
PROXY_ADDRESS = "127.0.0.1"
#: Several processes share tab states only through Redis.
APP_WORKERS = 2 if find_mount().rx_config.get("redis_url") else 1
#: uvicorn's log lines, each with the pid of the worker that wrote it.
WORKER_LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"pid": {"format": "%(process)d %(levelname)s %(message)s"}},
    "handlers": {"out": {"class": "logging.StreamHandler", "formatter": "pid"}},
    "loggers": {"uvicorn": {"handlers": ["out"], "level": "INFO", "propagate": False}},
}

NO_BROWSER = f"""No browser for the end-to-end tests. Get one of:
  * Playwright's Chromium:  python -m playwright install chromium
  * a system Chromium:      sudo apt-get install chromium   (Debian/Ubuntu)
  * any Chromium-based browser, named explicitly:  {BROWSER_ENV_VAR}=/path/to/chrome pytest
Run only the fast tests with:  pytest -m "not e2e\""""


#: First start includes `npm install` and the production build.
SERVER_START_TIMEOUT = 600

# Playwright waits 5 s for a page to match by default. The production
# layout runs two workers and a proxy beside the browser on the same cores;
# on a loaded two-core machine an event round trip can take longer. A
# correct page matches at once; only a wrong one waits the full time.
expect.set_options(timeout=15_000)


#: What a copy of the project leaves out: build output, working files, other runs' state.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".web",
    ".e2e",
    ".states",
    ".*.reflex-web",
    "node_modules",
    "staticfiles",
    "media",
    "mutants",
    "test-results",
    "__pycache__",
    "*.egg-info",
    "*.sqlite3",
    "reflex.lock",
)


def copy_project(destination: Path) -> Path:
    """A copy of the project's code, for a server that must not share its files.

    Development mode compiles into the project's ``.web/`` and watches its
    Python files; a copy keeps a developer's own server, and the real
    project, out of the tests' way.
    """
    shutil.copytree(PROJECT_DIR, destination, ignore=NOT_COPIED)
    return destination


def project_copy(parent: Path, settings_module: str) -> tuple[Path, dict[str, str]]:
    """A migrated and seeded copy of the project in ``parent``, and its environment.

    For servers that must run from a project of their own: development mode
    compiles into the project's ``.web/`` and watches its files, which the
    session's other servers must not share.
    """
    project = copy_project(parent / "project")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{parent / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(project / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(project / "media"),
    }
    env.pop("REFLEX_STATES_WORKDIR", None)
    env.pop("REFLEX_WEB_WORKDIR", None)
    manage = [sys.executable, str(project / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"], ["seed_shop"]):
        subprocess.run([*manage, *args], cwd=project, env=env, check=True, capture_output=True)
    return project, env


def choose_port(stamp: Path = STAMP) -> int:
    """The port the kept bundle was built for, if free; else any free port."""
    try:
        previous = urlsplit(json.loads(stamp.read_text())["api_url"]).port
    except (OSError, ValueError, KeyError):
        previous = None
    return previous if previous and port_is_free(previous) else free_port()


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
        "E2E_SLOW_DIR": str(tmp_path_factory.mktemp("e2e-slow")),
        "DJANGO_MEDIA_ROOT": str(tmp_path_factory.mktemp("e2e-media")),
        "REFLEX_STATES_WORKDIR": str(STATES_DIR),
    }


def run_manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, str(PROJECT_DIR / "manage.py"), *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def manage(server_env) -> Callable[..., str]:
    """Run a management command against the e2e server's database.

    The ORM stays in that subprocess: Django refuses synchronous queries
    from a test while Playwright's event loop runs in its thread.
    """
    return lambda *args: run_manage(server_env, *args)


@pytest.fixture(scope="session")
def e2e_server(server_env, manage) -> Iterator[Server]:
    """``run_reflex --prod`` on a free port, for the whole session; tests may restart it.

    ``--prod``: the exported bundle, with DEBUG still on. Development mode
    (Vite behind the same port) has its own server in test_dev_loop.py.
    """
    # The e2e URLconf breaks a routing rule on purpose (tests/e2e/urls.py), so
    # the system checks, rightly, object: skip them for this server only.
    manage("migrate", "--noinput", "-v0", "--skip-checks")
    manage("seed_shop", "--skip-checks")
    port = choose_port()
    command = [sys.executable, str(PROJECT_DIR / "manage.py"), "run_reflex", "--prod"]
    command += ["--skip-checks"]
    command += ["--port", str(port), "--log-level", "warning"]
    yield from serve(Server(command, port, server_env, E2E_DIR / "server.log"))


@pytest.fixture(scope="session")
def live_server_url(e2e_server) -> str:
    return e2e_server.url


def asgi_server(env: dict[str, str], log_name: str) -> Iterator[Server]:
    """``config.asgi:application`` served as is by uvicorn, until the session ends."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    yield from serve(Server(command, port, env, E2E_DIR / log_name))


@pytest.fixture(scope="session")
def no_bundle_server_url(server_env, tmp_path_factory) -> Iterator[str]:
    """The ASGI app served as is, from a project directory with no SPA bundle."""
    empty = tmp_path_factory.mktemp("no-bundle")
    env = {**server_env, "DJANGO_STATIC_ROOT": str(empty), "E2E_EMPTY_BASE_DIR": str(empty)}
    for server in asgi_server(env, "no-bundle-server.log"):
        yield server.url


@pytest.fixture(scope="session")
def development_server(e2e_server, server_env, tmp_path_factory) -> Iterator[Server]:
    """``run_reflex`` in development mode: Vite and a reloading backend behind one port.

    On the e2e settings and database (``e2e_server`` migrated it), in a
    copy of the project with a static root and tab states of its own.
    """
    project = copy_project(tmp_path_factory.mktemp("development") / "project")
    env = {
        **server_env,
        "DJANGO_STATIC_ROOT": str(project / "staticfiles"),
        "REFLEX_STATES_WORKDIR": str(project / ".states"),
    }
    port = free_port()
    command = [sys.executable, str(project / "manage.py"), "run_reflex", "--skip-checks"]
    command += ["--port", str(port), "--log-level", "warning"]
    yield from serve(Server(command, port, env, E2E_DIR / "development-server.log", project))


@dataclass
class ProxiedApp:
    """The production server command, on a port of its own, waiting for a proxy."""

    server: Server
    proxy_port: int
    static_root: Path
    media_root: Path

    def workers(self) -> list[str]:
        """The pid of the worker that accepted each ``/_event`` socket so far, in order."""
        sockets = re.compile(r'^(\d+) INFO .*"WebSocket /_event', re.MULTILINE)
        return sockets.findall(self.server.log.read_text())


@pytest.fixture(scope="session")
def proxied_app(e2e_server, server_env) -> Iterator[ProxiedApp]:
    """``uvicorn config.asgi:application --workers N``, as deployed, with production's DEBUG.

    Its bundle is built for the proxies' origin, so that the browser's
    socket goes through them: the origin is what the SPA connects back to.
    """
    proxy_port = choose_port(PROXIED_STAMP)
    env = {
        **server_env,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_ROOT": str(PROXIED_STATIC_ROOT),
        "REFLEX_API_URL": f"http://127.0.0.1:{proxy_port}",
        "REFLEX_STATES_WORKDIR": str(PROXIED_DIR / "states"),
        "FORWARDED_ALLOW_IPS": PROXY_ADDRESS,
    }
    staleness = "from reflex_django import build; print(build.staleness(build.api_url_for()) or '')"
    if run_manage(env, "shell", "-v0", "-c", staleness).strip():
        run_manage(env, "collectstatic", "--noinput", "-v0", "--skip-checks")
        run_manage(
            env,
            "export_reflex",
            "--frontend-only",
            "--no-zip",
            "--stage-to-static-root",
            "--skip-checks",
        )
    log_config = PROXIED_DIR / "uvicorn-logging.json"
    log_config.write_text(json.dumps(WORKER_LOG_CONFIG))
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(APP_WORKERS), "--log-config", str(log_config)]
    server = Server(command, port, env, PROXIED_DIR / "app.log")
    for started in serve(server):
        media_root = Path(server_env["DJANGO_MEDIA_ROOT"])
        yield ProxiedApp(started, proxy_port, PROXIED_STATIC_ROOT, media_root)


def proxy_server(kind: str, app: ProxiedApp) -> Server:
    """nginx or Caddy on the bundle's port, in front of ``app``, from deploy/'s file."""
    prefix = PROXIED_DIR / kind
    log = PROXIED_DIR / f"{kind}.log"
    if kind == "nginx":
        values = {
            "PROXY_LISTEN": f"127.0.0.1:{app.proxy_port}",
            "APP_SERVER": f"127.0.0.1:{app.server.port}",
            "STATIC_ROOT": str(app.static_root),
            "MEDIA_ROOT": str(app.media_root),
        }
        return Server(nginx_command(prefix, values), app.proxy_port, dict(os.environ), log)
    values = {
        "SITE_ADDRESS": f"http://127.0.0.1:{app.proxy_port}",
        "APP_SERVER": f"127.0.0.1:{app.server.port}",
        "STATIC_ROOT": str(app.static_root),
        "MEDIA_ROOT": str(app.media_root),
    }
    env = {**os.environ, **caddy_environment(prefix, values)}
    return Server(caddy_command(), app.proxy_port, env, log)


@pytest.fixture(scope="session", params=["run_reflex", "development", *PROXIES])
def site_url(request) -> Iterator[str]:
    """``run_reflex --prod``, development mode, then the production layout behind each proxy.

    Session-scoped, so pytest runs every test of one layout before it stops
    that layout and starts the next (both proxies take the same port).
    """
    if request.param == "run_reflex":
        yield request.getfixturevalue("live_server_url")
        return
    if request.param == "development":
        yield request.getfixturevalue("development_server").url
        return
    app = request.getfixturevalue("proxied_app")
    for proxy in serve(proxy_server(request.param, app)):
        yield proxy.url


class Server:
    """A server subprocess that a test can stop, kill and start again on its port."""

    def __init__(
        self, command: list[str], port: int, env: dict[str, str], log: Path, cwd: Path = PROJECT_DIR
    ) -> None:
        self.command, self.port, self.env, self.log, self.cwd = command, port, env, log, cwd
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        E2E_DIR.mkdir(exist_ok=True)
        log.write_text("")

    def start(self) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        wait_until_healthy(self.url, self.process, self.log)

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM), so that it shuts down cleanly."""
        terminate(self.process)

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
    found = browser_executable(playwright_chromium)
    if found is None:
        pytest.fail(NO_BROWSER, pytrace=False)
    if not Path(found).is_file():
        pytest.fail(f"{BROWSER_ENV_VAR}={found} is not a file.\n\n{NO_BROWSER}", pytrace=False)
    return found


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
