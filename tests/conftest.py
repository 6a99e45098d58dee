"""Fixtures for the template's tests: installed bakes, servers, and the closing report.

The slow tests install a bake into a virtualenv of its own and run the
generated project's own suite there. Its output goes to a log file, and the
terminal summary says, for each such run, what the generated suite said.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from bakery import VARIANTS, bake, clean_env, tail
from runs import RUNS, failure_excerpt
from services import PostgreSQL, Redis, ServiceMissing

#: Test order: the fast checks first, then the full runs, the mutation run last.
ORDER = ("full_run", "mutation")

PIP_TIMEOUT = 20 * 60


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "full_run: installs a bake and runs its own suite")
    config.addinivalue_line("markers", "mutation: the generated project's mutation run")
    config.stash[RUNS] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        for position, marker in enumerate(ORDER, start=1):
            if item.get_closest_marker(marker) is not None:
                return position
        return 0

    items.sort(key=rank)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    runs = config.stash.get(RUNS, [])
    if not runs:
        return
    terminalreporter.section("generated projects")
    for run in runs:
        if run.returncode is None:
            outcome = "did not finish"
        else:
            outcome = run.summary or f"exit status {run.returncode} after {run.seconds:.0f}s"
        terminalreporter.write_line(
            f"{run.title}: {outcome} (log: {run.log})",
            green=run.passed,
            red=not run.passed,
        )
    for run in runs:
        if run.returncode is not None and not run.passed:
            terminalreporter.section(f"{run.title}: the end of its output", sep="-")
            terminalreporter.write_line(failure_excerpt(run.output))


# -- Bakes installed in virtualenvs of their own ------------------------------


@dataclass
class Installed:
    """A bake with its own virtualenv, where ``pip install -e .[dev]`` has run."""

    name: str
    context: dict[str, str]
    project: Path
    venv: Path
    logs: Path

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def env(self, **variables: str) -> dict[str, str]:
        return clean_env(self.venv, **variables)


class Installs:
    """Bakes each variant once per session, and installs it, on first request.

    ``bake`` alone must run on the main thread (cookiecutter changes the
    working directory); ``get`` may then run on any.
    """

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._baked: dict[str, Installed] = {}
        self._installed: dict[str, Installed] = {}
        self._failed: dict[str, str] = {}
        self._lock = threading.Lock()

    def bake(self, name: str) -> Installed:
        if name not in self._baked:
            context = VARIANTS[name]
            root = self._tmp.mktemp(f"installed-{name}")
            project = bake(root, **context)
            (root / "logs").mkdir()
            self._baked[name] = Installed(name, context, project, root / "venv", root / "logs")
        return self._baked[name]

    def get(self, name: str) -> Installed:
        installed = self.bake(name)
        with self._lock:
            if name in self._failed:
                pytest.fail(self._failed[name], pytrace=False)
            if name not in self._installed:
                try:
                    self._install(installed)
                except _InstallFailed as failure:
                    self._failed[name] = str(failure)
                    pytest.fail(str(failure), pytrace=False)
                self._installed[name] = installed
            return installed

    def remove_virtualenvs(self) -> None:
        for installed in self._baked.values():
            shutil.rmtree(installed.venv, ignore_errors=True)

    def _install(self, installed: Installed) -> None:
        subprocess.run([sys.executable, "-m", "venv", str(installed.venv)], check=True, timeout=300)
        log = installed.logs / "pip-install.log"
        with log.open("w") as output:
            result = subprocess.run(
                [
                    installed.python, "-m", "pip", "install", "--quiet",
                    "-e", f"{installed.project}[dev]",
                ],
                cwd=installed.venv.parent,
                env=installed.env(),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=PIP_TIMEOUT,
            )  # fmt: skip
        if result.returncode != 0:
            raise _InstallFailed(
                f'pip install -e "{installed.project}[dev]" failed for [{installed.name}]'
                f" (log: {log}):\n" + tail(log.read_text(errors="replace"))
            )


class _InstallFailed(Exception):
    pass


@pytest.fixture(scope="session")
def installs(request, tmp_path_factory):
    installs = Installs(tmp_path_factory)
    yield installs
    # About 700 MB each: kept only to look into a failure. Logs and bakes stay.
    if request.session.testsfailed == 0:
        installs.remove_virtualenvs()


# -- Servers -------------------------------------------------------------------


def _service(kind):
    try:
        server = kind().start()
    except ServiceMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    return server


@pytest.fixture(scope="session")
def postgresql():
    """A PostgreSQL cluster of the session's own, on a free port of 127.0.0.1."""
    server = _service(PostgreSQL)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis():
    """A redis-server of the session's own, on a free port of 127.0.0.1."""
    server = _service(Redis)
    yield server
    server.stop()
