"""Choose the key points' matching threshold on our gold standard (corpora/keypoints).

For each candidate threshold, prints key-point recall and precision and how well passages are
matched to the key point stating their argument; the shipped MATCH_THRESHOLD is the one with the
best matching F1 (ties: the higher threshold). Our corpus only, never the dev sets. Run from the
repository root:

    .venv/bin/python scripts/keypoint_thresholds.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from forumminer.summary.keypoints import MATCH_THRESHOLD, score_key_points

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "keypoints" / "passages.csv"
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def main() -> None:
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


if __name__ == "__main__":
    main()
