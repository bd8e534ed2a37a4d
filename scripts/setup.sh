#!/usr/bin/env bash
# One command set-up: install forumminer into .venv, then run the main job on the bundled sample corpus.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_venv
cd "$ROOT"
"$VENV/bin/forumminer" demo -o out/demo
echo "Done. Activate the environment with: source .venv/bin/activate"
