"""The suite's table: one row per target, each a ratio from one run."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table."""

    target: str
    what: str
    measured: str
    goal: str
    met: bool | None  # None: reported, no target; or not run

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "-"
        return "met" if self.met else "NOT MET"


def ratio_row(target: str, what: str, value: float, *, at_least: float | None = None,
              at_most: float | None = None) -> Row:  # fmt: skip
    """A ratio and its bound; a NaN (nothing measured) never meets one."""
    if at_least is not None:
        goal, met = f">= {at_least:g}", value >= at_least
    elif at_most is not None:
        goal, met = f"<= {at_most:g}", value <= at_most
    else:
        goal, met = "report", None
    if math.isnan(value):
        met = False if met is not None else None
    return Row(target, what, f"{value:.2f}", goal, met)


def skipped_row(target: str, what: str, why: str) -> Row:
    return Row(target, what, f"skipped ({why})", "", None)


def render(rows: list[Row]) -> str:
    """A Markdown table, so it can be pasted into the README as it is."""
    header = ("#", "What (ratio: this server / the baseline, same run)", "Measured", "Target", "")
    lines = [header, *((r.target, r.what, r.measured, r.goal, r.verdict) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([fmt(header), fmt(tuple("-" * w for w in widths)), *map(fmt, lines[1:])])
