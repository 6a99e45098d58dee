#!/usr/bin/env bash
# Quick start, command 1: bake the default project into ./my_shop, install it
# into ./.venv, migrate, load the demo catalogue, and serve it on
# http://127.0.0.1:8000.
# Re-running it keeps ./my_shop (and your changes to it) and serves it again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

[ -d my_shop ] || "$VENV/bin/cookiecutter" --no-input .
cd my_shop
"$VENV/bin/python" -m pip install --quiet -e ".[dev]"
"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py seed_shop
exec "$VENV/bin/python" manage.py run_reflex
