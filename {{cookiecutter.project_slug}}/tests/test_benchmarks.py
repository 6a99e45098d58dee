"""The benchmark suite's smoke mode: every row still comes out.

The real run (``python -m benchmarks``) takes minutes and is not part of
``pytest``; this one takes about half a minute and proves the suite has not
rotted: the servers start, wrk and the Socket.IO clients reach them, and
every target has its row. It asserts no speed at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGETS = ["1", "2", "3", "4", "5", "6", "7", "#14"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smoke_table(tmp_path_factory) -> str:
    if shutil.which("wrk") is None:
        pytest.fail("The benchmarks need wrk: apt-get install wrk")
    env = {**os.environ, "BENCH_DIR": str(tmp_path_factory.mktemp("bench"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the suite picks its own
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def table_rows(table: str) -> list[list[str]]:
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_every_target_has_a_row(smoke_table):
    assert [row[0] for row in table_rows(smoke_table)] == [
        "1", "1", "2", "2", "2", "3", "3", "4", "5", "5", "6", "6", "7", "#14",
    ]  # fmt: skip
    assert {row[0] for row in table_rows(smoke_table)} == set(TARGETS)


def test_every_measured_row_has_a_figure_and_a_verdict(smoke_table):
    for target, what, measured, goal, verdict in table_rows(smoke_table):
        if measured.startswith("skipped"):
            assert target in ("4", "7"), what  # only the slow ones, in smoke mode
            continue
        assert re.match(r"^\d", measured), (what, measured)
        assert verdict in ("met", "NOT MET", "-"), what
        assert (goal == "report") == (verdict == "-"), what


def test_the_socket_rows_lost_nothing(smoke_table):
    crowd = next(row for row in table_rows(smoke_table) if row[0] == "6")
    assert crowd[2] == "0, 0"


def test_the_header_says_when_where_and_how(smoke_table):
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC, .+: \d+ CPUs", smoke_table, re.MULTILINE)
    assert "python -m benchmarks --smoke" in smoke_table


def test_only_runs_the_targets_it_names():
    from benchmarks.__main__ import parse_options

    assert parse_options(["--only", "2", "--only", "#14"]).only == {"2", "#14"}
    assert parse_options(["--smoke", "--only", "3"]).only == {"3"}
    assert parse_options([]).only == set(TARGETS)


def test_only_refuses_a_target_that_does_not_exist(capsys):
    from benchmarks.__main__ import parse_options

    with pytest.raises(SystemExit):
        parse_options(["--only", "8"])
    assert "invalid choice: '8'" in capsys.readouterr().err


def test_the_shell_is_compared_with_the_very_document_it_serves(tmp_path):
    from benchmarks.suite import same_document

    for name in ("index.html", "about.html", "__spa-fallback.html"):
        (tmp_path / name).write_text("<html></html>", "utf-8")
    base = "http://127.0.0.1:1"
    assert same_document(base, "/", tmp_path) == f"{base}/static/_reflex/index.html"
    assert same_document(base, "/about", tmp_path) == f"{base}/static/_reflex/about.html"
    assert (
        same_document(base, "/products/assam", tmp_path)
        == f"{base}/static/_reflex/__spa-fallback.html"
    )


def test_a_run_of_one_target_has_only_its_rows(tmp_path):
    env = {**os.environ, "BENCH_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--only", "2"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    assert [row[0] for row in table_rows(result.stdout)] == ["2", "2", "2"]
