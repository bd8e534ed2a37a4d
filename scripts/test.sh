#!/usr/bin/env bash
# The test command: make .venv if needed, then run the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_venv
cd "$ROOT"
"$VENV/bin/python" -m mypy          # type-check src/forumminer (settings in pyproject.toml)
"$VENV/bin/python" -m pytest "$@"
