"""HTTP load with wrk, two targets interleaved round by round."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

#: wrk's options for every run: 2 threads (the machine has 2 cores), 16 connections.
WRK_OPTIONS = ["-t2", "-c16", "--latency"]

#: What a browser sends: every asset row is measured as browsers fetch it.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass
class Run:
    """One wrk run's rate, tail latency and failures."""

    rate: float
    p99_ms: float
    failures: int


@dataclass
class Target:
    """A URL and the headers to fetch it with."""

    url: str
    headers: Sequence[str] = ()


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    return found


def parse(output: str) -> Run:
    """The figures of wrk's report (``--latency``)."""
    rate = float(_RATE.search(output).group(1))
    p99 = _P99.search(output)
    p99_ms = float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan")
    failures = int(m.group(1)) if (m := _NON_2XX.search(output)) else 0
    if errors := _ERRORS.search(output):
        failures += sum(int(n) for n in errors.groups())
    return Run(rate, p99_ms, failures)


def wrk(target: Target, seconds: float) -> Run:
    """Load ``target`` for ``seconds``."""
    command = [wrk_path(), *WRK_OPTIONS, f"-d{max(1, round(seconds))}s"]
    for header in target.headers:
        command += ["-H", header]
    output = subprocess.run(
        [*command, target.url], capture_output=True, text=True, check=True
    ).stdout
    return parse(output)


@dataclass
class Pair:
    """Two targets' runs, taken in alternation."""

    a: list[Run]
    b: list[Run]

    @property
    def ratio(self) -> float:
        """Requests/s of ``a`` over ``b``: above 1 means ``a`` is faster."""
        return sum(r.rate for r in self.a) / sum(r.rate for r in self.b)

    @property
    def failures(self) -> int:
        return sum(r.failures for r in self.a + self.b)


def interleaved(a: Target, b: Target, rounds: int, seconds: float) -> Pair:
    """``a`` and ``b`` alternately, the first in turn switching every round."""
    pair = Pair([], [])
    for round_ in range(rounds):
        order = [(a, pair.a), (b, pair.b)]
        for target, runs in order if round_ % 2 == 0 else reversed(order):
            runs.append(wrk(target, seconds))
    return pair
