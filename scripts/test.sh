#!/usr/bin/env bash
# Quick start, command 2: the whole test suite. It bakes the template, checks
# the result, installs it and runs its own suite, browser tests included.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k bake`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

exec "$VENV/bin/python" -m pytest tests "$@"
