# Sourced by demo.sh and test.sh: make ./.venv (Python 3.11+) with the
# template's own tools in it. Set PYTHON to choose the interpreter.
PYTHON="${PYTHON:-python3}"
VENV="$PWD/.venv"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11." >&2
    exit 1
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet -r requirements-dev.txt
