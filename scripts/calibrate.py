"""Refit the calibration scalars on real text and store them in the shipped model files.

The scalars (7 in all, at most ten allowed): three class biases of the default model (the none
bias is fixed at 0), and for accurate mode a mixing weight and three class biases. They are
fitted on ../shared/dev/web_passages.csv; no dev text enters the repository, only the numbers.
Each is kept only where 5-fold cross-validation grouped by `page` (fitted on four folds of pages,
scored on the fifth) says fitting it helps; otherwise biases stay 0 and the weight 0.5. Every figure that depends on
the scalars is reported with that cross-validation: see scripts/eval_dev.py.

Run from the repository root:  .venv/bin/python scripts/calibrate.py [--dev PATH]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from forumminer.stance import LABELS
from forumminer.stance.calibration import (apply_biases, cross_validated_predictions, fit_class_biases,
                                           fit_mixture, mean_f1, mixed_log_proba)
from forumminer.stance.encoder import (EncoderHead, embed, encoder_available, encoder_head_path,
                                       save_encoder_head)
from forumminer.stance.model import StanceClassifier, default_model_path, load_model, save_model

# Accurate mode's mixing weight when fitting it does not help in cross-validation: an even mixture.
PRIOR_WEIGHT = 0.5
WEB_PASSAGES = Path(__file__).resolve().parents[2] / "shared" / "dev" / "web_passages.csv"


def gold_codes(frame: pd.DataFrame) -> np.ndarray:
    return frame["label"].map({label: i for i, label in enumerate(LABELS)}).to_numpy()


def unbiased_log_proba(model: StanceClassifier, texts: list[str]) -> np.ndarray:
    """The model's log-probabilities in LABELS order, without its class biases."""
    scores = model.decision_function(texts) / model.temperature_
    order = [list(model.classes_).index(label) for label in LABELS]
    return scores[:, order] - np.logaddexp.reduce(scores, axis=1, keepdims=True)


def head_log_proba(texts: list[str]) -> np.ndarray | None:
    """The shipped encoder head's log-probabilities, or None without the encoder extra."""
    if not encoder_available() or not encoder_head_path().is_file():
        return None
    with np.load(encoder_head_path(), allow_pickle=False) as archive:
        head = EncoderHead(archive["coef"], archive["intercept"])
    return head.log_proba(embed(texts))


def cross_validated_default(base_log: np.ndarray, gold: np.ndarray, pages: np.ndarray) -> np.ndarray:
    """Probabilities of the default mode with biases fitted on the other folds of pages."""
    def fold(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        return apply_biases(base_log[test], fit_class_biases(base_log[train], gold[train]))

    return cross_validated_predictions(fold, gold, pages)


def cross_validated_accurate(base_log: np.ndarray, head: np.ndarray, gold: np.ndarray, pages: np.ndarray, *,
                             with_biases: bool) -> np.ndarray:
    """Probabilities of accurate mode with weight (and biases) fitted on the other folds of pages."""
    def fold(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        weight, biases = fit_mixture(base_log[train], head[train], gold[train], with_biases=with_biases)
        return apply_biases(mixed_log_proba(base_log[test], head[test], weight), biases)

    return cross_validated_predictions(fold, gold, pages)


def cross_validated_score(proba: np.ndarray, gold: np.ndarray) -> float:
    return float(mean_f1(gold, np.argmax(proba, axis=1))[0])


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
    head = head_log_proba(texts)
    if head is None:
        print("encoder extra not installed (or no encoder head): accurate mode's scalars left as they were")
        return fitted
    choices = {"none": cross_validated_score(apply_biases(mixed_log_proba(base_log, head, PRIOR_WEIGHT), 0.0), gold),
               "weight": cross_validated_score(cross_validated_accurate(base_log, head, gold, pages,
                                                                        with_biases=False), gold),
               "weight and biases": cross_validated_score(cross_validated_accurate(base_log, head, gold, pages,
                                                                                   with_biases=True), gold)}
    print("accurate mode, mean F1 of the 4 labels, 5-fold CV grouped by page, fitting "
          + ", ".join(f"{name}: {score:.3f}" for name, score in choices.items()))
    choice = max(choices, key=lambda name: choices[name])
    if choice == "none":
        weight, accurate_biases = PRIOR_WEIGHT, np.zeros(len(LABELS))
    else:
        weight, accurate_biases = fit_mixture(base_log, head, gold, with_biases=choice == "weight and biases")
    with np.load(encoder_head_path(), allow_pickle=False) as archive:
        metadata = json.loads(str(archive["header"]))["metadata"]
        stored = EncoderHead(archive["coef"], archive["intercept"])
    save_encoder_head(stored, encoder_head_path(), weight=weight, class_bias=accurate_biases,
                      metadata={**metadata, "calibration_fitted": choice})
    fitted["accurate"] = {"fitted": choice, "weight": weight, "class_bias": dict(zip(LABELS, accurate_biases.tolist()))}
    return fitted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", default=str(WEB_PASSAGES), help="labeled real passages (web_passages.csv)")
    print(json.dumps(refit(Path(parser.parse_args().dev)), indent=2))


if __name__ == "__main__":
    main()
