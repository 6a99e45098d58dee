"""Target 7: from a fresh copy of the project to the first 200 on ``/``.

A freshly baked project is its sources and a ``.env``: no ``.web``, no
bundle, no database. The copy is timed from the start of the copy through
``migrate`` and ``run_reflex`` (which runs ``reflex init``, ``npm install``
and the production build) until ``/`` answers 200. Package caches (npm's,
pip's) stay warm: that is what "warm" means in the issue.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .servers import PROJECT_DIR, free_port

#: What a bake does not produce: build output, caches, databases, checkouts.
NOT_BAKED = shutil.ignore_patterns(
    ".git", ".web", ".bench", ".e2e", ".states", ".venv", "staticfiles", "media", "mutants",
    "test-results", "__pycache__", "*.sqlite3", ".staticfiles.reflex-build.json",
    "node_modules", "reflex.lock", ".hypothesis", ".pytest_cache", ".ruff_cache", "*.egg-info",
)  # fmt: skip

FIRST_PAGE_TIMEOUT = 900

#: Environment variables the suite sets for its own servers.
OWN_VARIABLES = ("DJANGO_", "REFLEX_", "DATABASE_URL")


def time_to_first_page() -> float:
    """Seconds from a fresh copy to the first 200 on ``/``."""
    with tempfile.TemporaryDirectory(prefix="first-page-") as scratch:
        started = time.perf_counter()
        project = Path(scratch) / "project"
        shutil.copytree(PROJECT_DIR, project, ignore=NOT_BAKED)
        # As a user's shell would be: none of the suite's own settings.
        env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_VARIABLES)}
        env |= {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{project / 'db.sqlite3'}",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=project, env=env, check=True)
        port = free_port()
        log = (project / "server.log").open("wb")
        server = subprocess.Popen(
            [*manage, "run_reflex", "--port", str(port)],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            return started_to_200(f"http://127.0.0.1:{port}/", started, server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def started_to_200(url: str, started: float, server: subprocess.Popen) -> float:
    deadline = started + FIRST_PAGE_TIMEOUT
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"run_reflex exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"no 200 on {url} within {FIRST_PAGE_TIMEOUT}s")
