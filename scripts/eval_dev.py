"""Score the shipped stance model (default and accurate modes) and the language identifier on the
two dev sets: web_passages.csv (the main one: 325 passages from 285 pages) and seed_passages.csv.

The dev sets are for measuring only: never train on them. The shipped models carry a few scalars
fitted on web_passages (scripts/calibrate.py), so on that set the honest figure is the grouped
cross-validated one printed under "5-fold CV grouped by page" (scalars fitted on four folds of
pages, scored on the fifth); the "shipped" figures there saw the passages they score. Targets are
checked on the CV figures. Run from the repository root:

    .venv/bin/python scripts/eval_dev.py [--web PATH] [--seed PATH] [--no-accurate] [--fold-seed K]
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd
from calibrate import (accurate_fold, cross_validated_default, encoder_evidence, gold_codes, label_confidence,
                       predicted_codes, unbiased_log_proba)

from forumminer import detect_language, evaluate, read_labeled
from forumminer.stance import LABELS
from forumminer.stance.calibration import apply_biases, cross_validated_confidence, cross_validated_predictions
from forumminer.stance.encoder import encoder_available, load_accurate_model, two_decision_labels
from forumminer.stance.model import load_model
from forumminer.stance.training import Evaluation, score_predictions

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "stance"
DEV = Path(__file__).resolve().parents[2] / "shared" / "dev"
TARGETS = {"stance macro-F1 (all)": 0.60, "stance macro-F1 (ar)": 0.55, "stance macro-F1 (fa)": 0.55,
           "none-F1 (all)": 0.65, "precision at 70% coverage": 0.75}


def language_id(dev: pd.DataFrame) -> None:
    long_enough = dev[dev["text"].str.split().str.len() >= 3]
    correct = (long_enough["text"].map(detect_language) == long_enough["lang"]).sum()
    print(f"language id, lines of >= 3 words: {correct}/{len(long_enough)} = {correct / len(long_enough):.4f}")
    print(f"language id, all lines: {(dev['text'].map(detect_language) == dev['lang']).mean():.4f}")


def print_scores(title: str, evaluation: Evaluation, *, full: bool = True) -> None:
    print(f"== {title}")
    print(evaluation if full else "\n".join(str(evaluation).splitlines()[:4]))
    print()


def scored(frame: pd.DataFrame, proba: np.ndarray, confidence: np.ndarray, *, accurate: bool) -> Evaluation:
    codes = predicted_codes(proba, accurate=accurate)
    return score_predictions(frame["label"].to_numpy(dtype=object), np.array(LABELS, dtype=object)[codes],
                             frame["lang"].to_numpy(dtype=object), confidence=confidence)


def shipped_figures(name: str, dev: pd.DataFrame, modes: list[str]) -> None:
    for mode in modes:
        started = time.perf_counter()
        evaluation = evaluate(dev, model=mode)
        speed = len(dev) / (time.perf_counter() - started)
        print_scores(f"{name}, {mode} mode as shipped, all rows (n={len(dev)}; {speed:.0f} passages/s "
                     "incl. loading)", evaluation)
        clear = dev[dev["ambiguous"] == 0]
        print_scores(f"{name}, {mode} mode as shipped, ambiguous=0 rows (n={len(clear)})",
                     evaluate(clear, model=mode), full=False)


def cross_validated_figures(web: pd.DataFrame, accurate: bool, seed: int) -> dict[str, Evaluation]:
    """Web figures of each calibration choice, every fitted scalar fitted on other pages only (``seed``:
    which split of the pages into folds); the shipped choices (calibrate.py keeps biases only where
    this CV says they help) under their mode's name."""
    texts, gold, pages = web["text"].tolist(), gold_codes(web), web["page"].to_numpy(dtype=str)
    model = load_model()
    base_log = unbiased_log_proba(model, texts)
    probabilities = {"default, no calibration": apply_biases(base_log, np.zeros(len(LABELS))),
                     "default, class biases": cross_validated_default(base_log, gold, pages, seed=seed)}
    confidences = {name: label_confidence(proba, accurate=False) for name, proba in probabilities.items()}
    shipped = {"default": "default, class biases" if model.class_bias_.any() else "default, no calibration"}
    evidence = encoder_evidence(base_log, texts) if accurate else None
    if evidence is not None:
        stance_log, gate = evidence
        shipped_model = load_accurate_model()
        for default_weight, gate_bias in itertools.product((False, True), repeat=2):
            name = ", ".join(["accurate", "the stance evidence's none log-odds" if default_weight else "gate alone",
                              "gate bias" if gate_bias else "no gate bias"])
            fold = accurate_fold(stance_log, gate, gold, default_weight=default_weight,
                                 gate_bias=gate_bias)
            probabilities[name] = cross_validated_predictions(fold, gold, pages, seed=seed)
            confidences[name] = label_confidence(probabilities[name], accurate=True)
            if (default_weight, gate_bias) == (bool(shipped_model.default_weight), bool(shipped_model.gate_bias)):
                shipped["accurate"] = name
                if shipped_model.confidence_calibration is not None:
                    plain = confidences[name]
                    name = shipped["accurate"] = f"{name}, calibrated confidence"
                    probabilities[name], confidences[name] = cross_validated_confidence(fold, two_decision_labels,
                                                                                        gold, pages, seed=seed)
                    right = two_decision_labels(probabilities[name]) == gold
                    print_reliability(right, {"calibrated confidence": (confidences[name], (0.4, 0.6, 0.8)),
                                              "the label's probability": (plain, (0.5, 0.7, 0.9))})
    clear = (web["ambiguous"] == 0).to_numpy()
    results = {}
    for name, proba in probabilities.items():
        accurate_mode, confidence = name.startswith("accurate"), confidences[name]
        results[name] = scored(web, proba, confidence, accurate=accurate_mode)
        print_scores(f"web_passages, {name}: 5-fold CV grouped by page (n={len(web)})", results[name])
        print_scores(f"web_passages, {name}: 5-fold CV grouped by page, ambiguous=0 rows (n={clear.sum()})",
                     scored(web[clear], proba[clear], confidence[clear], accurate=accurate_mode), full=False)
    return {mode: results[name] for mode, name in shipped.items()}


def print_reliability(right: np.ndarray, confidences: dict[str, tuple[np.ndarray, tuple[float, ...]]]) -> None:
    """How often accurate mode's labels are right at each level of each confidence (and its Brier score)."""
    print("== web_passages, accurate mode as shipped: labels right by confidence, 5-fold CV grouped by page")
    for name, (confidence, edges) in confidences.items():
        bins = np.digitize(confidence, edges)
        bounds = [f"below {edges[0]}", *(f"{low}-{high}" for low, high in zip(edges, edges[1:])),
                  f"{edges[-1]} and more"]
        cells = [f"{bound}: {right[bins == i].sum()}/{(bins == i).sum()} = {right[bins == i].mean():.0%}"
                 for i, bound in enumerate(bounds) if (bins == i).any()]
        print(f"{name}: " + "; ".join(cells) + f" (Brier score {np.mean((confidence - right) ** 2):.3f})")
    print()


def print_targets(results: dict[str, Evaluation]) -> None:
    print("== targets on web_passages (shipped calibration choices, 5-fold CV grouped by page)")
    for name, evaluation in results.items():
        scores, curve = evaluation.scores(), evaluation.curve
        assert curve is not None
        values = {"stance macro-F1 (all)": scores["all"]["stance_macro_f1"],
                  "stance macro-F1 (ar)": scores["ar"]["stance_macro_f1"],
                  "stance macro-F1 (fa)": scores["fa"]["stance_macro_f1"], "none-F1 (all)": scores["all"]["none_f1"],
                  "precision at 70% coverage": float(curve.loc[curve["coverage"] == 0.7, "precision"].iloc[0])}
        for target, value in values.items():
            verdict = "met" if value >= TARGETS[target] else "not met"
            print(f"{name:>8}: {target:<27} {value:.3f} (target >= {TARGETS[target]:.2f}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", default=str(DEV / "web_passages.csv"), help="main dev set")
    parser.add_argument("--seed", default=str(DEV / "seed_passages.csv"), help="second dev set")
    parser.add_argument("--no-accurate", action="store_true", help="skip accurate mode (slow)")
    parser.add_argument("--fold-seed", type=int, default=0,
                        help="split of the pages into the 5 folds of the grouped CV (the README quotes 0, 1 and 2)")
    args = parser.parse_args()
    web = pd.read_csv(args.web, keep_default_na=False)
    seed = pd.read_csv(args.seed, keep_default_na=False)
    accurate = encoder_available() and not args.no_accurate
    modes = ["default", "accurate"] if accurate else ["default"]
    if not accurate:
        print("accurate mode skipped (pip install 'forumminer[encoder]' to score it)\n")

    for name, dev in [("web_passages", web), ("seed_passages", seed)]:
        print(f"### {name}")
        language_id(dev)
        print()
        shipped_figures(name, dev, modes)
    ours = read_labeled(CORPUS)
    correct = (ours["text"].map(detect_language) == ours["lang"]).sum()
    print(f"language id, our corpus (corpora/stance): {correct}/{len(ours)} = {correct / len(ours):.4f}\n")
    print("### web_passages, honest figures for the calibrated scalars")
    print_targets(cross_validated_figures(web, accurate, args.fold_seed))


if __name__ == "__main__":
    main()
