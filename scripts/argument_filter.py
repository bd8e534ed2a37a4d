"""Fit the argument filter of key points on our own labeled sentences, never on the dev sets.

The sentences are those of corpora/keypoints/candidates.csv that the candidate filters let through
(``candidate_problem`` is None): the filter decides among them which are arguments. Every choice is
made by stratified 5-fold cross-validation on them, repeated with 5 shuffles (out-of-fold
probabilities averaged), and scored on the *stanced* ones: those whose own label by the stance
model is a stance (not none) with the margin a key point needs (``MIN_MARGIN``). Only such
sentences can become key points, and among them a non-argument is harder to tell (a review that
praises a seller for pleasing customers reads like a stance); scored on all the sentences, the
stance model's probability of none alone would tell most non-arguments apart:

- the features: the word features alone, the stance model's probabilities alone, or both
  (``VARIANTS``), and the regularization ``C``: the pair with the best average precision on the
  stanced sentences;
- the threshold: the smallest probability on ``THRESHOLDS`` at which the held-out stanced
  sentences taken as arguments are arguments for at least ``TARGET_PRECISION`` of them.

It then prints, for each kind of non-argument left out of training in turn, the share of that
kind's sentences the filter rejects (how it does on a kind it never saw), fits the chosen filter on
all the sentences, checks it on the claims of our key-point gold standard (corpora/keypoints/
passages.csv, never used to fit: the share of claims it keeps) and writes
src/forumminer/models/argument-filter.json. Run from the repository
root (a minute):

    .venv/bin/python scripts/argument_filter.py [--dry-run]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from forumminer.stance import LABELS
from forumminer.stance.linear import model_info
from forumminer.summary.arguments import FEATURES, WORD_FEATURES, argument_features
from forumminer.summary.candidates import candidate_problem
from forumminer.summary.keypoints import MIN_MARGIN

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = ROOT / "corpora" / "keypoints" / "candidates.csv"
GOLD = ROOT / "corpora" / "keypoints" / "passages.csv"
OUTPUT = ROOT / "src" / "forumminer" / "models" / "argument-filter.json"
N_WORDS = len(WORD_FEATURES)
VARIANTS = {"words": slice(0, N_WORDS), "stance model": slice(N_WORDS, len(FEATURES)),
            "words + stance model": slice(0, len(FEATURES))}
CS = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.3, 0.91, 0.05))
TARGET_PRECISION = 0.90
REPEATS = 5


def out_of_fold(X: np.ndarray, y: np.ndarray, C: float) -> np.ndarray:
    """Out-of-fold probabilities of stratified 5-fold CV, averaged over REPEATS shuffles."""
    return np.mean([cross_val_predict(LogisticRegression(C=C, max_iter=5000), X, y, method="predict_proba",
                                      cv=StratifiedKFold(5, shuffle=True, random_state=seed))[:, 1]
                    for seed in range(REPEATS)], axis=0)


def stanced_rows(X: np.ndarray) -> np.ndarray:
    """Which rows of argument features (:data:`FEATURES`) are of sentences whose own label by the
    stance model is a stance, ahead of the runner-up by ``MIN_MARGIN``: those that can be key points."""
    proba = X[:, [FEATURES.index(f"p_{label}") for label in LABELS]]
    return (proba.argmax(axis=1) != LABELS.index("none")) & (X[:, FEATURES.index("margin")] >= MIN_MARGIN)


def main() -> None:
    table = pd.read_csv(CANDIDATES, keep_default_na=False)
    table = table[[candidate_problem(sentence) is None for sentence in table["sentence"]]].reset_index(drop=True)
    X, y = argument_features(table["sentence"].tolist(), table["lang"].tolist()), (table["kind"] == "argument").to_numpy()
    stanced = stanced_rows(X)
    print(f"{len(table)} sentences of {CANDIDATES.relative_to(ROOT)} pass the candidate filters: {int(y.sum())} arguments; "
          f"stanced (own label a stance, margin >= {MIN_MARGIN}): {int(stanced.sum())}, {int(y[stanced].sum())} arguments")
    print("features              C  ROC_AUC  avg_precision (stanced sentences)")
    best = (-1.0, "", 0.0)
    for name, columns in VARIANTS.items():
        for C in CS:
            proba = out_of_fold(X[:, columns], y, C)[stanced]
            score = average_precision_score(y[stanced], proba)
            print(f"{name:20} {C:4} {roc_auc_score(y[stanced], proba):8.3f} {score:14.3f}")
            best = max(best, (round(score, 6), name, C), key=lambda item: item[0])
    _, name, C = best
    columns = VARIANTS[name]
    proba = out_of_fold(X[:, columns], y, C)
    print(f"chosen: {name}, C={C}; held-out sentences taken as arguments, by threshold (precision of all sentences "
          "for comparison):")
    print("threshold  precision  recall  ar_recall  fa_recall  all_precision")
    threshold = None
    langs = table["lang"].to_numpy()
    for candidate in THRESHOLDS:
        taken = proba >= candidate
        precision = float(y[taken & stanced].mean()) if (taken & stanced).any() else 0.0
        recalls = [float(taken[y & stanced & (langs == lang)].mean()) for lang in ("ar", "fa")]
        print(f"{candidate:9.2f}  {precision:9.3f}  {taken[y & stanced].mean():6.3f}  {recalls[0]:9.3f}  "
              f"{recalls[1]:9.3f}  {y[taken].mean():13.3f}")
        if threshold is None and precision >= TARGET_PRECISION:
            threshold = candidate
    if threshold is None:
        sys.exit(f"no threshold reaches precision {TARGET_PRECISION}")
    print(f"threshold: {threshold} (smallest with held-out precision >= {TARGET_PRECISION} on stanced sentences)")
    print("each non-argument kind left out of training: share of its sentences rejected (of them stanced)")
    for kind in sorted(set(table["kind"]) - {"argument"}):
        train = (table["kind"] != kind).to_numpy()
        model = LogisticRegression(C=C, max_iter=5000).fit(X[train][:, columns], y[train])
        rejected = model.predict_proba(X[~train][:, columns])[:, 1] < threshold
        held_stanced = stanced[~train]
        print(f"  {kind:32} {rejected.mean():.2f} of {int((~train).sum())} "
              f"({rejected[held_stanced].mean() if held_stanced.any() else float('nan'):.2f} of {int(held_stanced.sum())})")
    model = LogisticRegression(C=C, max_iter=5000).fit(X[:, columns], y)
    coef = np.zeros(len(FEATURES))
    coef[columns] = model.coef_[0]
    fitted = {"features": list(FEATURES), "coef": [round(float(c), 6) for c in coef],
              "intercept": round(float(model.intercept_[0]), 6), "threshold": threshold, "C": C, "variant": name,
              "corpus_sha256": hashlib.sha256(CANDIDATES.read_bytes()).hexdigest(),
              "stance_model_sha256": model_info()["sha256"]}
    gold = pd.read_csv(GOLD, keep_default_na=False).drop_duplicates("claim")
    gold = gold[gold["claim"] != ""]
    kept = model.predict_proba(argument_features(gold["claim"].tolist(), gold["lang"].tolist())[:, columns])[:, 1]
    print(f"claims of {GOLD.relative_to(ROOT)} kept as arguments: {int((kept >= threshold).sum())}/{len(gold)}")
    print("weights: " + ", ".join(f"{feature} {c:+.2f}" for feature, c in zip(FEATURES, coef) if c))
    if "--dry-run" not in sys.argv[1:]:
        OUTPUT.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
