"""``python -m benchmarks``: run the suite and print its table.

``--smoke`` runs every HTTP and socket row for a second or a handful of
events, against a stand-in bundle if none was built: it proves the suite
still works (the test suite runs it), not how fast anything is.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from .report import render
from .suite import ORDER, Options, run


def parse_options(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="Tiny and quick: does it run?")
    parser.add_argument("--seconds", type=float, default=5.0, help="Each wrk run (default 5).")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds (default 3).")
    parser.add_argument("--no-browser", action="store_true", help="Skip target 4.")
    parser.add_argument("--no-first-page", action="store_true", help="Skip target 7.")
    parser.add_argument(
        "--only",
        action="append",
        choices=ORDER,
        metavar="TARGET",
        help=f"Only this target's rows; repeat for several ({', '.join(ORDER)}).",
    )
    args = parser.parse_args(argv)
    only = frozenset(args.only or ORDER)
    if args.smoke:
        return Options.smoke_test(only)
    return Options(
        seconds=args.seconds,
        rounds=args.rounds,
        browser=not args.no_browser,
        first_page=not args.no_first_page,
        only=only,
    )


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()  # the socket rows name Reflex states by their full path
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = run(options)
    print(
        f"\n{started}, {platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"python -m benchmarks {' '.join(argv)}".rstrip() + "\n")
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
