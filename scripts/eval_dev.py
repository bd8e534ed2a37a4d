"""Score the shipped stance model and the language identifier on the dev set.

The dev set (../shared/dev/seed_passages.csv, real forum and article text) is for measuring only:
never train or tune on it. Run from the repository root:

    .venv/bin/python scripts/eval_dev.py [--model PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from forumminer import detect_language, evaluate, read_labeled

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "stance"
DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "dev" / "seed_passages.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model file (default: the shipped model)")
    parser.add_argument("--dev", default=str(DEV_SET), help="labeled dev set CSV")
    args = parser.parse_args()
    dev = pd.read_csv(args.dev, keep_default_na=False)

    long_enough = dev[dev["text"].str.split().str.len() >= 3]
    correct = (long_enough["text"].map(detect_language) == long_enough["lang"]).sum()
    print(f"language id, lines of >= 3 words: {correct}/{len(long_enough)} = {correct / len(long_enough):.4f}")
    print(f"language id, all lines: {(dev['text'].map(detect_language) == dev['lang']).mean():.4f}")
    ours = read_labeled(CORPUS)
    correct = (ours["text"].map(detect_language) == ours["lang"]).sum()
    print(f"language id, our corpus (corpora/stance): {correct}/{len(ours)} = {correct / len(ours):.4f}\n")

    for name, rows in [("all rows", dev), ("ambiguous=0 rows", dev[dev["ambiguous"] == 0])]:
        print(f"== stance, {name} (n={len(rows)})")
        print(evaluate(rows, model=args.model))
        print()


if __name__ == "__main__":
    main()
