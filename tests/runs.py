"""Runs of a generated project's tools, logged, and kept for the terminal summary."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SUITE_TIMEOUT = 25 * 60


@dataclass
class Run:
    """One run of a generated project's tool, kept for the terminal summary."""

    title: str
    log: Path
    returncode: int | None = None
    output: str = field(default="", repr=False)
    summary: str = ""
    seconds: float = 0.0
    #: Set when success is more than the exit status (mutants that survive).
    verdict: bool | None = None

    @property
    def passed(self) -> bool:
        return self.verdict if self.verdict is not None else self.returncode == 0


RUNS = pytest.StashKey[list[Run]]()
PYTEST_SUMMARY = re.compile(r"^=+ (.*\bin [\d.]+s\b.*?) =+$")


def pytest_summary_line(output: str) -> str:
    """pytest's last line, e.g. ``612 passed, 3 warnings in 170.12s (0:02:50)``."""
    for line in reversed(output.splitlines()):
        match = PYTEST_SUMMARY.match(line.strip())
        if match:
            return match.group(1)
    return ""


def run_logged(
    config: pytest.Config,
    run: Run,
    command: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
) -> Run:
    """Run ``command``, its output to ``run.log`` (and to the terminal under ``-s``)."""
    config.stash[RUNS].append(run)
    echo = config.getoption("capture") == "no"
    run.log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with run.log.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # a timeout ends its browsers and servers too
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            _kill_group(process)

        timer = threading.Timer(timeout, kill)
        timer.start()
        lines = []
        try:
            for line in process.stdout:
                lines.append(line)
                log.write(line)
                log.flush()
                if echo:
                    sys.stdout.write(line)
                    sys.stdout.flush()
            process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                _kill_group(process)
                process.wait()
    run.seconds = time.monotonic() - started
    run.returncode = process.returncode
    run.output = "".join(lines)
    if killed.is_set():
        run.output += f"\n(killed: still running after {timeout:.0f}s)\n"
    return run


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 9)
    except ProcessLookupError:
        pass


SEPARATOR = re.compile(r"^[=_-]{3,} (.*?) [=_-]{3,}$")


def failure_excerpt(output: str, limit: int = 80) -> str:
    """The inner pytest's short summary when it has one, else the output's tail."""
    lines = [SEPARATOR.sub(r"== \1 ==", line) for line in output.rstrip().splitlines()]
    for index in range(len(lines) - 1, -1, -1):
        if "short test summary info" in lines[index]:
            excerpt = lines[index:]
            if len(excerpt) > limit:
                excerpt = [*excerpt[: limit - 1], f"... ({len(excerpt) - limit + 1} more lines)"]
            return "\n".join(excerpt)
    return "\n".join(lines[-limit:])
