"""The generated project's own suite, in a virtualenv of its own, as a user runs it.

Two bakes: the default one (SQLite, Reflex states on disk), and one with
PostgreSQL and Redis, served by throw-away servers on loopback. Their output
goes to log files; the terminal summary gives each run's result (conftest.py).
Then the default bake's mutation run.
"""

from __future__ import annotations

import re

import pytest
from bakery import VARIANTS
from runs import SUITE_TIMEOUT, Run, pytest_summary_line, run_logged

#: Browser tests of process layouts, which keep no data of their own:
#: development mode (Vite behind the front) and the legacy reflex_led layout.
#: The default run covers them; the postgresql-redis run, which is there for
#: the database and the state store, leaves them out to keep CI short.
LAYOUTS_ONLY = "test_dev_loop or test_reflex_led or development-chromium"


@pytest.mark.full_run
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_generated_project_passes_its_own_suite(request, installs, variant):
    """Unit tests and the browser tests, exactly as a user runs them."""
    context = VARIANTS[variant]
    variables, servers = {}, {}
    # The servers first: a missing one fails the test before a long install.
    if context.get("database") == "postgresql":
        servers["PostgreSQL"] = server = request.getfixturevalue("postgresql")
        variables["DATABASE_URL"] = server.create_database("shop")
    if context.get("reflex_state") == "redis":
        servers["Redis"] = server = request.getfixturevalue("redis")
        variables["REDIS_URL"] = server.url()
    installed = installs.get(variant)
    redis_before = servers["Redis"].commands_processed() if "Redis" in servers else 0

    run = run_logged(
        request.config,
        Run(f"generated project [{variant}]", installed.logs / "pytest.log"),
        [installed.python, "-m", "pytest", "-v"]
        + ([] if variant == "default" else ["-k", f"not ({LAYOUTS_ONLY})"]),
        cwd=installed.project,
        # Wide lines: the short test summary at the end keeps its messages.
        env=installed.env(COLUMNS="200", **variables),
        timeout=SUITE_TIMEOUT,
    )
    run.summary = pytest_summary_line(run.output)

    # The servers were used: the variables reached the suite.
    unused = []
    if "PostgreSQL" in servers:
        connections = {
            database: count
            for database, count in servers["PostgreSQL"].connections().items()
            if database not in ("postgres", "template1")
        }
        run.summary += "; PostgreSQL: " + (
            ", ".join(f"{count} connections to {name}" for name, count in connections.items())
            or "unused"
        )
        unused += [] if connections else ["PostgreSQL"]
    if "Redis" in servers:
        commands = servers["Redis"].commands_processed() - redis_before - 1
        run.summary += f"; Redis: {commands} commands"
        unused += [] if commands > 0 else ["Redis"]
    passed = run.passed
    assert passed, (
        f"the generated project's test suite failed: {run.summary or run.returncode}"
        f" (full output: {run.log})"
    )
    assert not unused, f"the suite passed without using {' or '.join(unused)}: {run.summary}"


@pytest.mark.mutation
def test_every_mutant_of_the_core_is_killed(request, installs):
    """The generated project's mutation run, as its README documents it.

    A mutant that survives needs a test that kills it, or a
    ``# pragma: no mutate`` with the reason it changes nothing.
    """
    installed = installs.get("default")
    mutmut = [installed.python, "-m", "mutmut"]
    run = run_logged(
        request.config,
        Run("mutation testing [default]", installed.logs / "mutmut.log"),
        [*mutmut, "run"],
        cwd=installed.project,
        env=installed.env(),
        timeout=SUITE_TIMEOUT,
    )
    run.summary = mutmut_status(run.output)
    passed = run.passed
    assert passed, f"mutmut run failed (output: {run.log})"
    results = run_logged(
        request.config,
        Run("surviving mutants [default]", installed.logs / "mutmut-results.log"),
        [*mutmut, "results"],
        cwd=installed.project,
        env=installed.env(),
        timeout=300,
    )
    listed = [line.strip() for line in results.output.splitlines() if line.strip()]
    # A mutant whose tests ran out of time did not pass them: it was detected,
    # as Stryker and PIT count it. On a loaded machine a mutant that the
    # tests kill at once can still time out now and then, so it is named in
    # the summary but fails nothing.
    timed_out = [line for line in listed if line.endswith(": timeout")]
    survivors = [line for line in listed if line not in timed_out]
    results.verdict = results.returncode == 0 and not survivors
    results.summary = f"{len(survivors)}: {', '.join(survivors)}" if survivors else "none"
    if timed_out:
        results.summary += f" (timed out, counted as detected: {', '.join(timed_out)})"
    killed_all = results.verdict
    assert killed_all, f"mutants survive (mutmut results):\n{results.output}"


#: mutmut's status line, emoji by emoji.
MUTMUT_COUNTS = {
    "🎉": "killed",
    "🫥": "not covered",
    "⏰": "timed out",
    "🤔": "suspicious",
    "🙁": "survived",
    "🔇": "skipped",
    "🧙": "caught by the type checker",
}


def mutmut_status(output: str) -> str:
    """mutmut's last status line in words: ``990 mutants: 990 killed``."""
    statuses = [line for line in re.split(r"[\r\n]", output) if "🎉" in line]
    if not statuses:
        return ""
    status = statuses[-1]
    total = re.search(r"(\d+)/(\d+)", status)
    counts = [
        f"{match.group(1)} {MUTMUT_COUNTS[emoji]}"
        for emoji in MUTMUT_COUNTS
        if (match := re.search(re.escape(emoji) + r"\s*(\d+)", status)) and match.group(1) != "0"
    ]
    head = f"{total.group(2)} mutants" if total else "mutants"
    return f"{head}: {', '.join(counts) or 'none run'}"
