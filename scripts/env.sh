#!/usr/bin/env bash
# Shared by setup.sh and test.sh: find a Python 3.12/3.13 and make .venv with forumminer installed.
# Source it; it defines ensure_venv. Set PYTHON=/path/to/python3.12 to choose the interpreter.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

_is_supported_python() {
    "$1" -c 'import sys; sys.exit(0 if (3, 12) <= sys.version_info[:2] < (3, 14) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.12 python3.13)
    if command -v pyenv >/dev/null 2>&1; then
        local root
        root="$(pyenv root)"
        for v in "$root"/versions/3.12* "$root"/versions/3.13*; do
            [ -x "$v/bin/python3" ] && candidates+=("$v/bin/python3")
        done
    fi
    candidates+=(/usr/local/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.13 python3)
    for c in "${candidates[@]}"; do
        local path
        path="$(command -v "$c" 2>/dev/null)" || continue
        if _is_supported_python "$path"; then
            echo "$path"
            return 0
        fi
    done
    echo "error: forumminer needs Python 3.12 or 3.13 (hazm 0.12 requires it) and none was found." >&2
    echo "       Install one (e.g. 'pyenv install 3.12') or point PYTHON=/path/to/python3.12 at it." >&2
    return 1
}

ensure_venv() {
    local stamp="$VENV/.installed"
    if [ -x "$VENV/bin/python" ] && _is_supported_python "$VENV/bin/python" \
        && [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/pyproject.toml" ]; then
        return 0
    fi
    local py
    py="$(find_python)"
    echo "Creating $VENV with $py ($("$py" --version 2>&1))" >&2
    "$py" -m venv "$VENV"
    # uv resolves and installs in seconds and honours an overrides file, which is how camel-tools'
    # unused torch/transformers dependencies are left out (scripts/light-overrides.txt).
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --progress-bar off "uv>=0.5" >&2
    # --compile-bytecode: as pip does; without .pyc files every run compiles ~1800 modules (a cold
    # start of 6.6 s instead of 2.9 s). PYTHONDONTWRITEBYTECODE, set on some machines, would stop it.
    env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/uv" pip install --quiet --compile-bytecode --python "$VENV/bin/python" \
        --overrides "$ROOT/scripts/light-overrides.txt" -e "$ROOT[test]" >&2
    touch "$stamp"
}
