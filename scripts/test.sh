#!/usr/bin/env bash
# Quick start, command 2: the whole test suite. It bakes the template and
# checks every combination of its options, then installs two bakes (the
# default one, and one on PostgreSQL and Redis) in virtualenvs of their own
# and runs their own suites, browser tests included. The PostgreSQL and
# Redis servers are the tests' own, on loopback; they need the programs:
# `apt-get install postgresql redis-server`.
# The generated suites' output goes to log files; the summary at the end says
# what each one said. Extra arguments go to pytest, e.g.
# `bash scripts/test.sh -k "not passes_its_own_suite and not mutant"` (the fast part).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

exec "$VENV/bin/python" -m pytest tests "$@"
