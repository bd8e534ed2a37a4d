"""Calibration on real text: a few scalars (class biases; in accurate mode, the weight of the default
model's log-odds of none, the gate's bias and the calibration of its confidence) fitted on labeled
real passages, and the grouped cross-validation that scores them honestly.

A model trained on our own writing over-predicts some labels on real pages (``balanced``, mostly).
Adding one bias per label to its log-probabilities moves the decision towards the label balance of
real text without touching anything else. Biases are fitted by grid search for the best mean F1 of
the four labels; ``cross_validated_predictions`` fits them on four folds of pages and scores the
fifth, which is the only fair figure for scalars fitted on the set they are scored on (and the
figure scripts/calibrate.py uses to decide whether biases are worth keeping at all).

>>> import numpy as np
>>> log_proba = np.log([[0.5, 0.3, 0.1, 0.1], [0.4, 0.1, 0.1, 0.4], [0.1, 0.2, 0.6, 0.1]])
>>> fit_class_biases(log_proba, np.array([0, 3, 2])).tolist()  # the tie in row 2 goes to none
[-0.25, 0.0, 0.0, 0.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit, softmax

from . import LABELS

BIAS_GRID = np.round(np.arange(-2.0, 2.001, 0.25), 2)
_BIAS_CANDIDATES = np.array([[*b, 0.0] for b in itertools.product(BIAS_GRID, repeat=len(LABELS) - 1)])
# Among equally good settings prefer the smallest biases: they move predictions least.
_BIAS_CANDIDATES = _BIAS_CANDIDATES[np.argsort(np.abs(_BIAS_CANDIDATES).sum(axis=1), kind="stable")]


def apply_biases(log_proba: np.ndarray, biases: np.ndarray) -> np.ndarray:
    """Probabilities after adding ``biases`` (one per label, :data:`LABELS` order) to log-probabilities."""
    return softmax(log_proba + biases, axis=1)


def mean_f1(gold: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Mean F1 of the four labels for each row of ``predicted`` (label codes, shape (k, n) or (n,))."""
    predicted = np.atleast_2d(predicted)
    scores = np.zeros(len(predicted))
    for code in range(len(LABELS)):
        is_gold, is_predicted = gold == code, predicted == code
        true_positive = (is_predicted & is_gold).sum(axis=1)
        denominator = is_predicted.sum(axis=1) + is_gold.sum()
        scores += np.divide(2 * true_positive, denominator, out=np.zeros(len(predicted)), where=denominator > 0)
    return scores / len(LABELS)


def fit_class_biases(log_proba: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """The biases (last label's fixed at 0) from :data:`BIAS_GRID` with the best mean F1 of the four
    labels on ``gold`` (label codes in :data:`LABELS` order)."""
    predicted = np.argmax(log_proba[None, :, :] + _BIAS_CANDIDATES[:, None, :], axis=2)
    return _BIAS_CANDIDATES[int(np.argmax(mean_f1(gold, predicted)))]


#: Weights of the default model's log-odds of none in accurate mode's none decision.
WEIGHT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)


def fit_default_weight(base_proba: np.ndarray, gate_log_odds: np.ndarray, default_log_odds: np.ndarray,
                       gold: np.ndarray) -> float:
    """The weight (from :data:`WEIGHT_GRID`, the smallest among equally good ones) of the default
    model's log-odds of none added to the gate's, with the best mean F1 of the four labels on
    ``gold``; ``base_proba`` as for :func:`fit_gate_bias`."""
    from .encoder import two_decision_labels, two_decisions

    labels = [two_decision_labels(two_decisions(base_proba, gate_log_odds + weight * default_log_odds))
              for weight in WEIGHT_GRID]
    scores = [mean_f1(gold, predicted)[0] for predicted in labels]
    return float(WEIGHT_GRID[int(np.argmax(scores))])


def fit_gate_bias(base_proba: np.ndarray, none_log_odds: np.ndarray, gold: np.ndarray) -> float:
    """The bias of accurate mode's none-gate (from :data:`BIAS_GRID`, the smallest among equally
    good ones) with the best mean F1 of the four labels on ``gold``; ``base_proba`` are the default
    model's probabilities in :data:`LABELS` order (see :func:`~forumminer.stance.encoder.two_decisions`)."""
    from .encoder import two_decision_labels, two_decisions

    candidates = sorted(BIAS_GRID, key=abs)
    scores = [mean_f1(gold, two_decision_labels(two_decisions(base_proba, none_log_odds + bias)))[0]
              for bias in candidates]
    return float(candidates[int(np.argmax(scores))])


def cross_validated_predictions(fit_and_predict: Callable[[np.ndarray, np.ndarray], np.ndarray],
                                gold: np.ndarray, groups: np.ndarray, *, folds: int = 5,
                                seed: int = 0) -> np.ndarray:
    """Probabilities for every row from scalars fitted on the other folds, folds grouped by ``groups``
    (rows of one page never on both sides). ``fit_and_predict(train_rows, test_rows)`` fits on the
    first and returns probabilities for the second."""
    proba = np.zeros((len(gold), len(LABELS)))
    for train_rows, test_rows in _grouped_folds(gold, groups, folds, seed):
        proba[test_rows] = fit_and_predict(train_rows, test_rows)
    return proba


def cross_validated_confidence(fit_and_predict: Callable[[np.ndarray, np.ndarray], np.ndarray],
                               decide: Callable[[np.ndarray], np.ndarray], gold: np.ndarray, groups: np.ndarray, *,
                               folds: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`cross_validated_predictions` (the same folds) and, for every row, the confidence of its
    label (``decide`` gives label codes) under a :class:`ConfidenceCalibration` fitted on the other
    folds only: on their own held-out probabilities, from a cross-validation inside those folds."""
    proba, confidence = np.zeros((len(gold), len(LABELS))), np.zeros(len(gold))
    for train_rows, test_rows in _grouped_folds(gold, groups, folds, seed):
        inner = cross_validated_predictions(lambda fit, score: fit_and_predict(train_rows[fit], train_rows[score]),
                                            gold[train_rows], groups[train_rows], folds=folds, seed=seed)
        calibration = fit_confidence_calibration(inner, decide(inner), gold[train_rows])
        proba[test_rows] = fit_and_predict(train_rows, test_rows)
        confidence[test_rows] = calibration.apply(proba[test_rows], decide(proba[test_rows]))
    return proba, confidence


def _grouped_folds(gold: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> Any:
    from sklearn.model_selection import StratifiedGroupKFold

    return StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(gold)), gold, groups)


#: Regularization of :func:`fit_confidence_calibration`: nearly none (5 scalars on hundreds of
#: passages), enough to keep them finite when every passage of a label is right.
CONFIDENCE_C = 100.0


@dataclass(frozen=True, eq=False)  # offsets is an array, which a generated __eq__ could not compare
class ConfidenceCalibration:
    """How likely a label is right, from the probability the model gives it: the logit of that
    probability times ``slope``, plus an offset for the label (``offsets`` in :data:`LABELS` order).
    Fitted on real passages, it says which labels the model over-trusts (on web pages, ``balanced``).

    >>> calibration = ConfidenceCalibration(slope=1.0, offsets=np.array([0.0, -1.0, 0.0, 0.0]))
    >>> calibration.apply(np.array([[0.5, 0.3, 0.1, 0.1], [0.1, 0.5, 0.1, 0.3]]), np.array([0, 1])).round(3).tolist()
    [0.5, 0.269]
    """

    slope: float
    offsets: np.ndarray

    def apply(self, proba: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """The probability that each row's label (``codes``, in :data:`LABELS` order) is right."""
        return expit(self.slope * _label_log_odds(proba, codes) + self.offsets[codes])

    def to_dict(self) -> dict[str, Any]:
        return {"slope": self.slope, "offsets": dict(zip(LABELS, self.offsets.tolist()))}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "ConfidenceCalibration":
        return cls(float(stored["slope"]), np.array([float(stored["offsets"][label]) for label in LABELS]))


def fit_confidence_calibration(proba: np.ndarray, codes: np.ndarray, gold: np.ndarray) -> ConfidenceCalibration:
    """A logistic regression of "the label is right" on the logit of its probability and one
    indicator per label (5 scalars), fitted on ``proba`` (held-out probabilities, :data:`LABELS`
    order), the labels decided from them (``codes``) and the ``gold`` codes."""
    from sklearn.linear_model import LogisticRegression

    features = np.column_stack([_label_log_odds(proba, codes), np.eye(len(LABELS))[codes]])
    fitted = LogisticRegression(C=CONFIDENCE_C, fit_intercept=False, max_iter=1000).fit(features, codes == gold)
    return ConfidenceCalibration(float(fitted.coef_[0, 0]), fitted.coef_[0, 1:].copy())


def _label_log_odds(proba: np.ndarray, codes: np.ndarray) -> np.ndarray:
    chosen = np.clip(proba[np.arange(len(codes)), codes], 1e-12, 1 - 1e-12)
    return np.log(chosen) - np.log1p(-chosen)
