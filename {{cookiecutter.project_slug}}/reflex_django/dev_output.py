"""Development mode's terminal: every child's lines in one stream, each with its source.

``run_reflex`` runs Vite (through ``reflex run --frontend-only``) and a
reloading uvicorn as children. Left to write to the terminal themselves,
their lines interleave with the front's, and two uvicorns print the same
start-up lines with nothing to tell them apart. So each child's output is
piped through :func:`relay`, which labels every line with its source, the
way Honcho and ``docker compose`` do, and drops the lines that would only
mislead in this layout: Reflex's advice to start the app with
``reflex run``, and the private ports, which only the front reaches.
"""

from __future__ import annotations

import re
import threading
from typing import IO, TextIO

#: Lines that are true of plain ``reflex run`` and wrong here.
MISLEADING = re.compile(
    r"Run `.*reflex run` to start the app"  # the app is running already
    r"|App running at: \S+ \(Frontend-only mode\)"  # Vite's private port
    r"|Uvicorn running on http://127\.0\.0\.1:\d+ "  # the backend's private port
)

#: Wide enough for the longest label, so that the lines' text starts in one column.
LABEL_WIDTH = 8

#: One writer at a time: a line is never cut by another child's.
_write_lock = threading.Lock()


def label_line(label: str, line: str) -> str | None:
    """``line`` as the terminal shows it, or None if it would mislead."""
    line = line.rstrip("\r\n")
    if MISLEADING.search(line):
        return None
    return f"{label:<{LABEL_WIDTH}} | {line}\n"


def relay(stream: IO[str], label: str, out: TextIO) -> threading.Thread:
    """Copy ``stream`` to ``out`` line by line, labelled, until it ends.

    The thread ends when every process holding the pipe's write end has
    exited, so joining it after stopping a child flushes its last lines.
    """

    def copy() -> None:
        with stream:
            for line in stream:
                text = label_line(label, line)
                if text is not None:
                    with _write_lock:
                        out.write(text)
                        out.flush()

    thread = threading.Thread(target=copy, name=f"relay-{label}", daemon=True)
    thread.start()
    return thread
