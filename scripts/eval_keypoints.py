"""Key-point figures: stance precision on both dev sets, recall and precision on our gold standard.

Stance precision is the share of key points whose own line carries the key point's stance by the
dev set's gold labels (target >= 0.80); each default summary should show key points in both
languages. The dev sets (../shared/dev/) are for measuring only. ``--model accurate`` labels and
scores key points in accurate mode (needs the encoder extra; a few minutes). Run from the
repository root:

    .venv/bin/python scripts/eval_keypoints.py [--model accurate]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import forumminer
from forumminer.summary.keypoints import score_key_points

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev"
GOLD = ROOT / "corpora" / "keypoints" / "passages.csv"


def stance_precision(name: str, model: str) -> None:
    dev = pd.read_csv(DEV / f"{name}.csv", keep_default_na=False)
    labeled = forumminer.label(dev[["id", "text"]], id_col="id", progress=False, model=model)
    summary = forumminer.summarize(labeled, model=model)
    gold = dev.set_index("id")["label"]
    line = labeled.set_index("passage_id")["doc_id"]
    points = [p for listed in summary.groups[0].key_points.values() for p in listed]
    correct = sum(gold[line[p.passage_id]] == p.stance for p in points)
    langs = sorted({p.lang for p in points})
    singletons = sum(p.singleton for p in points)
    print(f"{name}: key-point stance precision {correct}/{len(points)} = {correct / max(len(points), 1):.3f}; "
          f"languages {', '.join(langs)}; singletons {singletons}")
    for stance, by_lang in summary.groups[0].coverage.items():
        print("  " + stance + ": " + "; ".join(
            f"{c.lang} coverage {c.n_matched}/{c.n_distinct} = {c.share:.2f} ({c.duplicates} duplicates folded)"
            for c in by_lang.values()))


def main() -> None:
    model = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv[:-1] else "default"
    print(f"model: {model}")
    for name in ("web_passages", "seed_passages"):
        if (DEV / f"{name}.csv").is_file():
            stance_precision(name, model)
        else:
            print(f"{name}: not found under {DEV}, skipped")
    scores = score_key_points(pd.read_csv(GOLD, keep_default_na=False))
    print(f"gold standard (corpora/keypoints): recall {scores.recall:.3f} (target >= 0.70), precision "
          f"{scores.precision:.3f} (target >= 0.80), {scores.n_points} key points for {scores.n_arguments} arguments")


if __name__ == "__main__":
    main()
