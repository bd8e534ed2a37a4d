#!/usr/bin/env bash
# Measure a fresh set-up: clone this repository into a temporary folder, build its .venv, print the
# .venv size and the set-up time. One untimed set-up first warms the package cache, so the timed one
# measures what a developer with a warm cache waits for.
#
#   bash scripts/bench_install.sh          # the README's set-up (uv + scripts/light-overrides.txt)
#   bash scripts/bench_install.sh pip      # the old set-up, for comparison: pip install -e .[test]
#                                          # (pulls torch, transformers and several GB of CUDA wheels)
# Example output:
#   method=light venv_mb=753 setup_s=12.3
set -euo pipefail

METHOD="${1:-light}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/forumminer-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

set_up() {  # $1: a fresh clone
    case "$METHOD" in
        light)
            (source "$1/scripts/env.sh" && ensure_venv) ;;
        pip)
            local py
            py="$(source "$1/scripts/env.sh" && find_python)"
            "$py" -m venv "$1/.venv"
            "$1/.venv/bin/python" -m pip install --quiet --upgrade pip >&2
            "$1/.venv/bin/python" -m pip install --quiet --progress-bar off -e "$1[test]" >&2 ;;
        *)
            echo "error: unknown method '$METHOD'; use 'light' or 'pip'." >&2
            exit 1 ;;
    esac
}

fresh_clone() {  # $1: target folder; the committed state of this repository
    git clone --quiet --no-hardlinks "$ROOT" "$1"
}

fresh_clone "$WORK/warmup"
echo "Warming the package cache ($METHOD) ..." >&2
set_up "$WORK/warmup" >/dev/null
rm -rf "$WORK/warmup"

fresh_clone "$WORK/timed"
start=$(date +%s.%N)
set_up "$WORK/timed" >/dev/null
end=$(date +%s.%N)
venv_mb=$(du -sm "$WORK/timed/.venv" | cut -f1)
printf 'method=%s venv_mb=%s setup_s=%.1f\n' "$METHOD" "$venv_mb" "$(echo "$end - $start" | bc)"
