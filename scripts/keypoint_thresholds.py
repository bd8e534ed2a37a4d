"""Choose the key points' thresholds on our own corpora, never on the dev sets.

- Matching threshold, on our gold standard (corpora/keypoints): for each candidate threshold,
  key-point recall and precision and how well passages are matched to the key point stating their
  argument; the shipped MATCH_THRESHOLD is the one with the best matching F1 (ties: the higher).
- With ``--margins``: the margin a key point's sentence and passage need over the runner-up label,
  on corpora/stance with grouped 5-fold cross-validation (by ``doc``; a few minutes): for each
  margin, how often held-out labels of each stance that clear it are right; the shipped
  MIN_MARGIN is the smallest margin at which every stance reaches ``TARGET_PRECISION``.

Run from the repository root:

    .venv/bin/python scripts/keypoint_thresholds.py [--margins]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from forumminer.stance import STANCES
from forumminer.summary.keypoints import MATCH_THRESHOLD, MIN_MARGIN, score_key_points

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "keypoints" / "passages.csv"
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
TARGET_PRECISION = 0.90  # a key point is quoted as what a stance argues: 90% held out, not 80%


def match_thresholds() -> None:
    gold = pd.read_csv(GOLD, keep_default_na=False)
    print("threshold  recall  precision  match_precision  match_recall  match_F1  key_points")
    best = (-1.0, 0.0)
    for threshold in THRESHOLDS:
        s = score_key_points(gold, match_threshold=threshold)
        f1 = 2 * s.match_precision * s.match_recall / (s.match_precision + s.match_recall or 1)
        best = max(best, (round(f1, 6), threshold))
        print(f"{threshold:9.2f}  {s.recall:6.3f}  {s.precision:9.3f}  {s.match_precision:15.3f}  "
              f"{s.match_recall:12.3f}  {f1:8.3f}  {s.n_points:10d}")
    print(f"best matching F1 at {best[1]}; shipped MATCH_THRESHOLD = {MATCH_THRESHOLD}")


def margins() -> None:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedGroupKFold

    from forumminer.stance import LABELS
    from forumminer.stance.model import load_model
    from forumminer.stance.training import _cross_validated_proba, _groups, read_labeled

    corpus = read_labeled(ROOT / "corpora" / "stance")
    model = clone(load_model()).set_params(calibrate=False)  # temperature never changes the label
    texts, gold = corpus["text"].tolist(), corpus["label"].to_numpy(dtype=object)
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0).split(texts, gold, _groups(corpus, "doc"))
    proba, classes = _cross_validated_proba(model, texts, gold, folds), np.array(LABELS, dtype=object)
    ordered = np.sort(proba, axis=1)
    predicted, margin = classes[proba.argmax(axis=1)], ordered[:, -1] - ordered[:, -2]
    print(f"{len(corpus)} passages of corpora/stance, grouped 5-fold CV; precision of the held-out labels that "
          "clear each margin")
    print("margin  " + "  ".join(f"{stance:>22}" for stance in STANCES))
    chosen = None
    for threshold in MARGINS:
        kept = margin >= threshold
        scores = [float((gold[kept & (predicted == stance)] == stance).mean()) for stance in STANCES]
        print(f"{threshold:6.2f}  " + "  ".join(f"{score:22.3f}" for score in scores))
        if chosen is None and min(scores) >= TARGET_PRECISION:
            chosen = threshold
    print(f"smallest margin with precision >= {TARGET_PRECISION} for every stance: {chosen}; "
          f"shipped MIN_MARGIN = {MIN_MARGIN}")


def main() -> None:
    match_thresholds()
    if "--margins" in sys.argv[1:]:
        margins()


if __name__ == "__main__":
    main()
