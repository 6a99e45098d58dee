"""The servers under test: uvicorn subprocesses on free ports, one setup.

Every server gets the same uvicorn options (one process, no access log),
the benchmark settings (``benchmarks.settings``) and one throw-away
database and bundle under ``.bench/``, so a ratio compares code, not
configuration.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.machine import free_port, port_is_free, terminate

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: The suite's database, bundle and logs (the smoke test points it elsewhere).
BENCH_DIR = Path(os.environ.get("BENCH_DIR", PROJECT_DIR / ".bench"))
STATIC_ROOT = BENCH_DIR / "staticfiles"
STAMP = BENCH_DIR / ".staticfiles.reflex-build.json"  # reflex_django.build.stamp_path()

#: The same options for every server: the comparison is of the apps.
UVICORN_OPTIONS = ["--no-access-log", "--log-level", "warning", "--host", "127.0.0.1"]

#: The apps compared, as uvicorn names them.
FULL_STACK = "config.asgi:application"
BARE_DJANGO = "benchmarks.bare_django:application"
BARE_SAME_HANDLER = "benchmarks.bare_django:same_handler"
PLAIN_REFLEX = "benchmarks.plain_reflex:application"

START_TIMEOUT = 120

#: The account target 5's tab is logged in as.
BENCH_USER, BENCH_PASSWORD = "bench", "a bench password, not a secret"


def bench_env(bench_dir: Path = BENCH_DIR) -> dict[str, str]:
    """The environment of every server and management command of the suite."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": f"sqlite:///{bench_dir / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(bench_dir / "staticfiles"),
        "REFLEX_STATES_WORKDIR": str(bench_dir / "states"),
    }


def manage(*args: str, env: dict[str, str] | None = None, cwd: Path = PROJECT_DIR) -> None:
    """Run a management command; fail with its output."""
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=cwd, env=env or bench_env(), capture_output=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr.decode()[-3000:]}")


def is_stale(api_url: str) -> bool:
    """Whether the staged bundle must be rebuilt (``run_reflex``'s own test)."""
    check = f"from reflex_django.build import staleness; exit(bool(staleness({api_url!r})))"
    command = [sys.executable, "manage.py", "shell", "-c", check]
    return subprocess.run(command, cwd=PROJECT_DIR, env=bench_env()).returncode != 0


def bundle_port() -> int | None:
    """The port the staged bundle was built for (Reflex bakes it in)."""
    try:
        return urlsplit(json.loads(STAMP.read_text())["api_url"]).port
    except (OSError, ValueError, KeyError):
        return None


def prepare(*, build: bool) -> int:
    """A migrated, seeded database and a staged bundle; the port to serve on.

    ``build`` makes a real bundle when none is staged (``npm install`` and a
    production build: minutes the first time). Without it (smoke mode) a
    tiny stand-in bundle is written: enough for the HTTP rows.
    """
    BENCH_DIR.mkdir(exist_ok=True)
    (BENCH_DIR / "db.sqlite3").unlink(missing_ok=True)
    shutil.rmtree(BENCH_DIR / "states", ignore_errors=True)
    manage("migrate", "--noinput", "-v0")
    manage("seed_shop")
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; get_user_model().objects"
        f".create_user({BENCH_USER!r}, password={BENCH_PASSWORD!r}, is_staff=True)",
    )
    port = bundle_port()
    if port is None or not port_is_free(port):
        port = free_port()
    api_url = f"http://localhost:{port}"
    if build and is_stale(api_url):
        manage("export_reflex", "--frontend-only", "--no-zip", "--stage-to-static-root",
               "--api-url", api_url)  # fmt: skip
    elif not (STATIC_ROOT / "_reflex" / "index.html").is_file():
        write_stand_in_bundle(STATIC_ROOT / "_reflex")
    return port


def has_real_bundle() -> bool:
    """Whether the staged bundle came from a build (it has a stamp)."""
    return STAMP.is_file() and (STATIC_ROOT / "_reflex" / "index.html").is_file()


STAND_IN_INDEX = (
    "<!DOCTYPE html><html><head><title>stand-in</title>"
    '<script type="module">import("/assets/entry.client-StandIn0.js")</script>'
    "</head><body><div id=root></div></body></html>"
)


def write_stand_in_bundle(target: Path) -> None:
    """A two-file bundle with its twins, for smoke runs with no build."""
    from reflex_django.build import compress_bundle

    (target / "assets").mkdir(parents=True, exist_ok=True)
    (target / "index.html").write_text(STAND_IN_INDEX, "utf-8")
    (target / "assets" / "entry.client-StandIn0.js").write_text(
        "export const x = 'a stand-in script';\n" * 400, "utf-8"
    )
    compress_bundle(target)


@dataclass
class Server:
    """One uvicorn process serving ``app`` on ``port``."""

    app: str
    port: int
    env: dict[str, str] = field(default_factory=bench_env)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        log = (BENCH_DIR / f"{self.app.replace(':', '.')}.log").open("ab")
        command = [sys.executable, "-m", "uvicorn", self.app, "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, *UVICORN_OPTIONS], cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} exited with {self.process.returncode}")
            try:
                # Reflex's liveness probe; bare Django answers it with a 404.
                with urllib.request.urlopen(f"{self.url}/ping", timeout=2):
                    return self
            except urllib.error.HTTPError:
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.app} did not answer within {START_TIMEOUT}s")

    def stop(self) -> None:
        if self.process is None:
            return
        terminate(self.process)
        self.process = None

    def rss_kib(self) -> int:
        """The server's resident memory, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1])

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
