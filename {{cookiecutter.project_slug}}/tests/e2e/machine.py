"""Free loopback ports, a Chromium and the process tree on this machine.

The browser tests (conftest.py) and the benchmark suite (benchmarks/) both
start servers on free ports and drive a Chromium; this is what they share.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As uvicorn does: a port left in TIME_WAIT by the last run is usable.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def browser_executable(playwright_chromium: str) -> str | None:
    """``$E2E_BROWSER``, else Playwright's own Chromium, else the system's; ``None`` if none."""
    if named := os.environ.get(BROWSER_ENV_VAR):
        return named
    if Path(playwright_chromium).is_file():
        return playwright_chromium
    return next((found for name in SYSTEM_BROWSERS if (found := shutil.which(name))), None)


def descendants(pid: int) -> set[int]:
    """Every process started, directly or not, by ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def interrupt(process: subprocess.Popen, timeout: float) -> tuple[set[int], list[int]]:
    """Ctrl+C ``process`` and wait for it: the processes it had started, and those left.

    Its children get five seconds more to go after it has exited.
    """
    children = descendants(process.pid)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=timeout)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.1)
    return children, [pid for pid in children if alive(pid)]


def terminate(process: subprocess.Popen, grace: float = 15) -> None:
    """Stop ``process`` as an operator would (SIGTERM), so that it shuts down
    cleanly; SIGKILL if it is still running after ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
