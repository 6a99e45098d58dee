"""Development mode's terminal: the children's lines, labelled, in one stream,
and word of a long start."""

import io
import subprocess
import sys

import pytest

from reflex_django.dev_output import label_line, relay
from reflex_django.dev_server import Child, free_port, wait_for_http


@pytest.mark.parametrize(
    "line",
    [
        "Success: Initialized shop. Run `uv run reflex run` to start the app.",
        "Success: Initialized shop. Run `reflex run` to start the app.",
        "App running at: http://localhost:44829/ (Frontend-only mode)",
        "INFO:     Uvicorn running on http://127.0.0.1:55829 (Press CTRL+C to quit)",
    ],
)
def test_lines_about_private_ports_and_reflex_run_are_dropped(line):
    assert label_line("backend", line + "\n") is None


@pytest.mark.parametrize(
    "line",
    [
        "INFO:     Started server process [16763]",
        "Compiling: ━━━━━━━━━━ 100% 33/32 0:00:01",
        'INFO:     127.0.0.1:5000 - "GET /api/products/ HTTP/1.1" 200 OK',
        "Traceback (most recent call last):",
        "",
    ],
)
def test_every_other_line_is_kept_with_its_label_in_one_column(line):
    assert label_line("frontend", line + "\n") == f"frontend | {line}\n"
    assert label_line("backend", line) == f"backend  | {line}\n"


def test_a_child_s_output_arrives_labelled_in_order_and_complete():
    script = (
        "import sys\n"
        "print('one')\n"
        "print('App running at: http://localhost:1/ (Frontend-only mode)')\n"
        "print('two', file=sys.stderr)\n"
        "print('three')\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-u", "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = io.StringIO()
    thread = relay(child.stdout, "backend", out)
    child.wait()
    thread.join(10)
    assert not thread.is_alive()
    assert out.getvalue() == "backend  | one\nbackend  | two\nbackend  | three\n"


def python_child(tmp_path, code: str, out) -> Child:
    command = [sys.executable, "-c", code]
    return Child("frontend dev server", command, tmp_path, {}, label="frontend", out=out)


def test_a_long_start_says_it_goes_on_until_the_timeout(tmp_path):
    out = io.StringIO()
    child = python_child(tmp_path, "import time; time.sleep(60)", out)
    try:
        with pytest.raises(RuntimeError, match="did not answer at .* within 2s"):
            url = f"http://127.0.0.1:{free_port()}/"
            wait_for_http(url, child, timeout=2.0, out=out, notice_every=0.5)
    finally:
        child.stop()
    notices = [line for line in out.getvalue().splitlines() if line.startswith("Still starting")]
    assert 2 <= len(notices) <= 4, out.getvalue()  # one each half second, none at once
    assert "npm packages" in notices[0]


def test_a_child_that_dies_is_reported_with_its_last_words_labelled(tmp_path):
    out = io.StringIO()
    child = python_child(tmp_path, "print('no package.json'); raise SystemExit(3)", out)
    with pytest.raises(RuntimeError, match="exited with code 3; its output above says why"):
        wait_for_http(f"http://127.0.0.1:{free_port()}/", child, timeout=30, out=out)
    child.stop()
    assert "frontend | no package.json\n" in out.getvalue()
