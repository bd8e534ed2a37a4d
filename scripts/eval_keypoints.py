"""Key-point figures: stance precision on both dev sets, recall and precision on our gold standard,
and how the candidate filters and the argument filter do on our labeled sentences
(corpora/keypoints/candidates.csv).

Stance precision is the share of key points whose own line carries the key point's stance by the
dev set's gold labels (target >= 0.80), tentative key points included; each default summary should
show key points in both languages. The dev sets (../shared/dev/) are for measuring only. ``--model accurate`` labels and
scores key points in accurate mode (needs the encoder extra; a few minutes). ``--min-count N``
asks N distinct passages of a key point instead of the shipped MIN_COUNT (1: every argument that
clears the bar, as a singleton too). Run from the repository root:

    .venv/bin/python scripts/eval_keypoints.py [--model accurate] [--min-count N]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import forumminer
from forumminer.summary.arguments import argument_probabilities, shipped_filter
from forumminer.summary.candidates import candidate_problem
from forumminer.summary.keypoints import MIN_COUNT, score_key_points

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev"
GOLD = ROOT / "corpora" / "keypoints" / "passages.csv"
CANDIDATES = ROOT / "corpora" / "keypoints" / "candidates.csv"


def stance_precision(name: str, model: str, min_count: int) -> None:
    dev = pd.read_csv(DEV / f"{name}.csv", keep_default_na=False)
    labeled = forumminer.label(dev[["id", "text"]], id_col="id", progress=False, model=model)
    summary = forumminer.summarize(labeled, model=model, min_count=min_count)
    gold = dev.set_index("id")["label"]
    line = labeled.set_index("passage_id")["doc_id"]
    points = [p for listed in summary.groups[0].key_points.values() for p in listed]
    correct = sum(gold[line[p.passage_id]] == p.stance for p in points)
    langs = sorted({p.lang for p in points})
    singletons, tentative = sum(p.singleton for p in points), sum(p.tentative for p in points)
    print(f"{name}: key-point stance precision {correct}/{len(points)} = {correct / max(len(points), 1):.3f}; "
          f"languages {', '.join(langs)}; singletons {singletons}; tentative {tentative}")
    for stance, by_lang in summary.groups[0].coverage.items():
        print("  " + stance + ": " + "; ".join(
            f"{c.lang} coverage {c.n_matched}/{c.n_distinct} = {c.share:.2f} ({c.duplicates} duplicates folded, "
            f"{c.n_rare} rare arguments)"
            for c in by_lang.values()))


def candidate_filters() -> None:
    table = pd.read_csv(CANDIDATES, keep_default_na=False)
    for lang, rows in table.groupby("lang"):
        argument = (rows["kind"] == "argument").to_numpy()
        dropped = rows["sentence"].map(candidate_problem).notna().to_numpy()
        caught = int((~argument & dropped).sum())
        print(f"candidate filters, {lang} (corpora/keypoints/candidates.csv): arguments kept "
              f"{int((argument & ~dropped).sum())}/{int(argument.sum())}; of the sentences dropped, no argument "
              f"{caught}/{int(dropped.sum())}; of the non-arguments, dropped {caught}/{int((~argument).sum())}")
        probability = argument_probabilities(rows["sentence"].tolist(), [str(lang)] * len(rows))
        dropped = dropped | (probability < shipped_filter().threshold)
        print(f"  and the argument filter (fitted on these sentences: scripts/argument_filter.py gives its CV "
              f"figures): arguments kept {int((argument & ~dropped).sum())}/{int(argument.sum())}; "
              f"of the non-arguments, dropped {int((~argument & dropped).sum())}/{int((~argument).sum())}")


def main() -> None:
    model = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv[:-1] else "default"
    min_count = int(sys.argv[sys.argv.index("--min-count") + 1]) if "--min-count" in sys.argv[:-1] else MIN_COUNT
    print(f"model: {model}; a key point is made by {min_count} passages or more")
    for name in ("web_passages", "seed_passages"):
        if (DEV / f"{name}.csv").is_file():
            stance_precision(name, model, min_count)
        else:
            print(f"{name}: not found under {DEV}, skipped")
    scores = score_key_points(pd.read_csv(GOLD, keep_default_na=False), min_count=min_count)
    print(f"gold standard (corpora/keypoints): recall {scores.recall:.3f} (target >= 0.70), precision "
          f"{scores.precision:.3f} (target >= 0.80), {scores.n_points} key points for {scores.n_arguments} arguments")
    candidate_filters()


if __name__ == "__main__":
    main()
