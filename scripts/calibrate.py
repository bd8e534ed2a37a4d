"""Refit the calibration scalars on real text and store them in the shipped model files.

The scalars (10 in all, at most ten allowed): three class biases of the default model (the none bias
is fixed at 0; accurate mode takes them out: its stance evidence, the default model averaged with the
neighbour vote, has none), two for accurate mode's none decision (the weight of the stance evidence's
own log-odds of none added to the gate's, and a bias), and five
for accurate mode's confidence (a slope for the logit of the label's probability and an offset per
label: forumminer.stance.calibration.ConfidenceCalibration). They are fitted on
../shared/dev/web_passages.csv; no dev text enters the repository, only the numbers. Each is kept
only where 5-fold cross-validation grouped by `page` (fitted on four folds of pages, scored on the
fifth) says fitting it helps; otherwise it stays 0 (the confidence calibration: unfitted, the
label's probability). Every figure that depends on the scalars is reported with that
cross-validation: see scripts/eval_dev.py.

Run from the repository root:  .venv/bin/python scripts/calibrate.py [--dev PATH]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from forumminer.stance import LABELS
from forumminer.stance.calibration import (apply_biases, cross_validated_confidence, cross_validated_predictions,
                                           fit_class_biases, fit_confidence_calibration, fit_default_weight,
                                           fit_gate_bias, mean_f1)
from forumminer.stance.encoder import (embed, encoder_available, mixed_log_proba, none_gate_path, none_log_odds,
                                       read_accurate_parts, save_none_gate, two_decision_labels, two_decisions)
from forumminer.stance.model import StanceClassifier, default_model_path, load_model, save_model
from forumminer.stance.training import coverage_curve
WEB_PASSAGES = Path(__file__).resolve().parents[2] / "shared" / "dev" / "web_passages.csv"


def gold_codes(frame: pd.DataFrame) -> np.ndarray:
    return frame["label"].map({label: i for i, label in enumerate(LABELS)}).to_numpy()


def unbiased_log_proba(model: StanceClassifier, texts: list[str]) -> np.ndarray:
    """The model's log-probabilities in LABELS order, without its class biases."""
    scores = model.decision_function(texts) / model.temperature_
    order = [list(model.classes_).index(label) for label in LABELS]
    return scores[:, order] - np.logaddexp.reduce(scores, axis=1, keepdims=True)


def encoder_evidence(base_log: np.ndarray, texts: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """Accurate mode's stance evidence (``base_log``, the default model's log-probabilities without
    class biases, averaged with the shipped neighbour vote's) and the shipped none-gate's log-odds of
    none (without its bias); None without the encoder extra."""
    if not encoder_available() or not none_gate_path().is_file():
        return None
    gate, neighbours, _ = read_accurate_parts()
    embeddings = embed(texts)
    evidence = base_log if neighbours is None else mixed_log_proba(base_log, neighbours.log_proba(embeddings))
    return evidence, gate.log_odds(embeddings)


def cross_validated_default(base_log: np.ndarray, gold: np.ndarray, pages: np.ndarray, *,
                            seed: int = 0) -> np.ndarray:
    """Probabilities of the default mode with biases fitted on the other folds of pages (``seed``:
    which split of the pages into folds)."""
    def fold(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        return apply_biases(base_log[test], fit_class_biases(base_log[train], gold[train]))

    return cross_validated_predictions(fold, gold, pages, seed=seed)


def accurate_none_log_odds(stance_log: np.ndarray, gate: np.ndarray, gold: np.ndarray, rows: np.ndarray, *,
                           default_weight: bool, gate_bias: bool) -> tuple[np.ndarray, dict[str, float]]:
    """Accurate mode's log-odds of none for every row, with the weight of the stance evidence's
    log-odds of none and the gate's bias (each where asked, else 0) fitted on ``rows``; and those scalars."""
    stance = np.exp(stance_log)
    evidence = none_log_odds(stance)
    weight = fit_default_weight(stance[rows], gate[rows], evidence[rows], gold[rows]) if default_weight else 0.0
    none = gate + weight * evidence
    shift = fit_gate_bias(stance[rows], none[rows], gold[rows]) if gate_bias else 0.0
    return none + shift, {"default_weight": weight, "gate_bias": shift}


def accurate_fold(stance_log: np.ndarray, gate: np.ndarray, gold: np.ndarray, *, default_weight: bool,
                  gate_bias: bool) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``fold(train, test)``: accurate mode's probabilities for the ``test`` rows from its stance
    evidence (log-probabilities, no class biases) and the gate, with the weight of the evidence's
    log-odds of none and the gate's bias (each where asked, else 0) fitted on the ``train`` rows."""
    def fold(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        none, _ = accurate_none_log_odds(stance_log, gate, gold, train, default_weight=default_weight,
                                         gate_bias=gate_bias)
        return two_decisions(np.exp(stance_log[test]), none[test])

    return fold


def cross_validated_accurate(stance_log: np.ndarray, gate: np.ndarray, gold: np.ndarray, pages: np.ndarray, *,
                             default_weight: bool, gate_bias: bool) -> np.ndarray:
    """Probabilities of accurate mode with the scalars of :func:`accurate_fold` fitted on the other folds of pages."""
    return cross_validated_predictions(accurate_fold(stance_log, gate, gold, default_weight=default_weight,
                                                     gate_bias=gate_bias), gold, pages)


def label_confidence(proba: np.ndarray, *, accurate: bool) -> np.ndarray:
    """Each row's probability of its label, by the mode's own rule."""
    return proba[np.arange(len(proba)), predicted_codes(proba, accurate=accurate)]


def precision_at_70(gold: np.ndarray, proba: np.ndarray, confidence: np.ndarray, *, accurate: bool) -> float:
    """Share of right labels among the 70% of rows with the highest ``confidence``."""
    labels = np.array(LABELS, dtype=object)
    curve = coverage_curve(labels[gold], labels[predicted_codes(proba, accurate=accurate)], confidence)
    return float(curve.loc[curve["coverage"] == 0.7, "precision"].iloc[0])


def predicted_codes(proba: np.ndarray, *, accurate: bool) -> np.ndarray:
    """Label codes of probabilities in LABELS order, by the mode's own rule."""
    return two_decision_labels(proba) if accurate else np.argmax(proba, axis=1)


def cross_validated_score(proba: np.ndarray, gold: np.ndarray, *, accurate: bool = False) -> float:
    return float(mean_f1(gold, predicted_codes(proba, accurate=accurate))[0])


def refit(dev: Path) -> dict[str, object]:
    """Fit the scalars on ``dev`` and write them into the shipped model files; returns them."""
    web = pd.read_csv(dev, keep_default_na=False)
    texts, gold, pages = web["text"].tolist(), gold_codes(web), web["page"].to_numpy(dtype=str)
    model = load_model(default_model_path())
    base_log = unbiased_log_proba(model, texts)
    with_biases = cross_validated_score(cross_validated_default(base_log, gold, pages), gold)
    without = cross_validated_score(base_log, gold)
    print(f"default mode, mean F1 of the 4 labels, 5-fold CV grouped by page: with class biases {with_biases:.3f}, "
          f"without {without:.3f}")
    biases = fit_class_biases(base_log, gold) if with_biases > without else np.zeros(len(LABELS))
    model.class_bias_ = biases[[LABELS.index(label) for label in model.classes_]]
    save_model(model, default_model_path())
    fitted: dict[str, object] = {"default": {"class_bias": dict(zip(LABELS, biases.tolist()))}}
    evidence = encoder_evidence(base_log, texts)
    if evidence is None:
        print("encoder extra not installed (or no none-gate): accurate mode's gate bias left as it was")
        return fitted
    stance_log, gate = evidence
    kept = {"default_weight": False, "gate_bias": False}
    for scalar, what in (("default_weight", "the stance evidence's log-odds of none"), ("gate_bias", "a gate bias")):
        scores = {}
        for choice in (False, True):
            proba = cross_validated_accurate(stance_log, gate, gold, pages, **{**kept, scalar: choice})
            scores[choice] = cross_validated_score(proba, gold, accurate=True)
        print(f"accurate mode, mean F1 of the 4 labels, 5-fold CV grouped by page: with {what} {scores[True]:.3f}, "
              f"without {scores[False]:.3f}")
        kept[scalar] = scores[True] > scores[False]
    _, scalars = accurate_none_log_odds(stance_log, gate, gold, np.arange(len(gold)), **kept)
    confidence = fit_accurate_confidence(stance_log, gate, gold, pages, **kept)
    stored, neighbours, header = read_accurate_parts()
    save_none_gate(stored, none_gate_path(), metadata=header["metadata"], confidence=confidence, neighbours=neighbours,
                   **scalars)
    fitted["accurate"] = {**scalars, "confidence": confidence}
    return fitted


def fit_accurate_confidence(base_log: np.ndarray, gate: np.ndarray, gold: np.ndarray, pages: np.ndarray,
                            **choices: bool) -> dict[str, object] | None:
    """Accurate mode's confidence calibration (5 scalars), fitted on its held-out probabilities of
    every page; None where the grouped CV of the calibration itself (fitted on four folds of pages,
    from a CV inside them) gives no higher precision at 70% coverage than the probabilities."""
    proba, calibrated = cross_validated_confidence(accurate_fold(base_log, gate, gold, **choices), two_decision_labels,
                                                   gold, pages)
    calibrated_score = precision_at_70(gold, proba, calibrated, accurate=True)
    plain_score = precision_at_70(gold, proba, label_confidence(proba, accurate=True), accurate=True)
    print(f"accurate mode, precision at 70% coverage, 5-fold CV grouped by page: with a calibrated confidence "
          f"{calibrated_score:.3f}, with the label's probability {plain_score:.3f}")
    if calibrated_score <= plain_score:
        return None
    return fit_confidence_calibration(proba, two_decision_labels(proba), gold).to_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", default=str(WEB_PASSAGES), help="labeled real passages (web_passages.csv)")
    print(json.dumps(refit(Path(parser.parse_args().dev)), indent=2))


if __name__ == "__main__":
    main()
