"""The stance classifier (a scikit-learn estimator, for training and evaluation) and its safe storage.

Model files hold only numbers, strings and JSON (a NumPy ``.npz`` archive read with
``allow_pickle=False``, see :mod:`forumminer.stance.linear`, which also labels with a model's arrays
without scikit-learn): loading one never runs code from the file, so a model a user was sent is
safe to open. A file with pickled Python objects in it is refused.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.utils.validation import check_is_fitted

from ..errors import ModelError, ParameterError
from . import LABELS
from .features import feature_text
from .linear import (
    CHAR_NGRAM_RANGE,
    MODEL_FORMAT,
    WORD_NGRAM_RANGE,
    LinearModel,
    Vocabulary,
    _as_texts,
    default_model_path,
    read_model_file,
    softmax,
)
from .vectorizers import build_features

_CALIBRATION_FOLDS = 5


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over word n-grams, character n-grams and stance cues of normalized
    text, with probabilities calibrated by temperature scaling on cross-validated scores.

    >>> model = StanceClassifier().fit(texts, labels)  # doctest: +SKIP
    >>> model.predict(["العميل ليس دائما على حق"])  # doctest: +SKIP
    array(['boundary_setting'], dtype=object)
    """

    def __init__(
        self,
        C: float = 5.0,
        word_ngram_range: tuple[int, int] = WORD_NGRAM_RANGE,
        char_ngram_range: tuple[int, int] = CHAR_NGRAM_RANGE,
        max_char_features: int = 40_000,
        calibrate: bool = True,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.max_char_features = max_char_features
        self.calibrate = calibrate
        self.random_state = random_state

    def fit(self, X: Sequence[str], y: Sequence[str]) -> "StanceClassifier":
        texts, labels = self._validated(X, y)
        prepared = [feature_text(t) for t in texts]
        self.features_ = build_features(word_ngram_range=self.word_ngram_range, char_ngram_range=self.char_ngram_range,
                                        max_char_features=self.max_char_features)
        self.classifier_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000)
        self.classifier_.fit(self.features_.fit_transform(prepared), labels)
        for _, vectorizer in self.features_.transformer_list:
            # the terms cut by min_df/max_features: only kept for introspection, and large
            vectorizer.__dict__.pop("stop_words_", None)
        self.classes_ = self.classifier_.classes_
        self.temperature_ = self._fit_temperature(prepared, labels) if self.calibrate else 1.0
        self.class_bias_ = np.zeros(len(self.classes_))
        return self

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self)
        return self.classifier_.decision_function(self._transform(X))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self)
        return self._proba(self.decision_function(X))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self)
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Labels of probabilities in ``classes_`` order: the most probable one."""
        return self.classes_[np.argmax(proba, axis=1)]

    def confidence(self, proba: np.ndarray) -> np.ndarray:
        """How sure each label of :meth:`decide` is: its probability."""
        return proba.max(axis=1)

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        """Probabilities and cues, as :meth:`LinearModel.predict_with_cues` gives them."""
        check_is_fitted(self)
        return self.linear().predict_with_cues(X, langs=langs, n_cues=n_cues)

    def linear(self) -> LinearModel:
        """This fitted model as the NumPy-only :class:`LinearModel` that labeling runs (built once,
        and again when the model's weights or vocabularies are replaced, as adaptation does)."""
        check_is_fitted(self)
        key = (id(self.features_), id(self.classifier_.coef_), id(self.classifier_.intercept_), self.temperature_,
               self.class_bias_.tobytes())
        cached = self.__dict__.get("_linear")
        if cached is None or cached[0] != key:
            cached = self.__dict__["_linear"] = (key, self._as_linear())
        return cached[1]

    def _as_linear(self) -> LinearModel:
        words, chars = (vectorizer for _, vectorizer in self.features_.transformer_list[:2])
        return LinearModel(words=Vocabulary(words.vocabulary_, words.idf_, words.ngram_range),
                           chars=Vocabulary(chars.vocabulary_, chars.idf_, chars.ngram_range),
                           coef=self.classifier_.coef_, intercept=self.classifier_.intercept_, classes=self.classes_,
                           temperature=self.temperature_, class_bias=self.class_bias_,
                           metadata=getattr(self, "metadata_", {}))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for worker processes) and copied without its :meth:`linear` twin, rebuilt on use."""
        return {k: v for k, v in super().__getstate__().items() if k != "_linear"}

    def _proba(self, scores: np.ndarray) -> np.ndarray:
        """Temperature-scaled probabilities, moved by the class biases fitted on real text
        (:mod:`forumminer.stance.calibration`; zero until fitted)."""
        return softmax(scores / self.temperature_ + self.class_bias_)

    def _transform(self, X: Sequence[str]) -> Any:
        return self.features_.transform([feature_text(t) for t in _as_texts(X)])

    def _fit_temperature(self, prepared: list[str], labels: np.ndarray) -> float:
        folds = StratifiedKFold(_CALIBRATION_FOLDS, shuffle=True, random_state=self.random_state)
        pipeline = make_pipeline(clone(self.features_), clone(self.classifier_))
        scores = cross_val_predict(pipeline, prepared, labels, cv=folds, method="decision_function")
        target = np.searchsorted(self.classes_, labels)

        def negative_log_likelihood(temperature: float) -> float:
            return -float(log_softmax(scores / temperature, axis=1)[np.arange(len(target)), target].mean())

        return float(minimize_scalar(negative_log_likelihood, bounds=(0.05, 20.0), method="bounded").x)

    @staticmethod
    def _validated(X: Sequence[str], y: Sequence[str]) -> tuple[list[str], np.ndarray]:
        texts = _as_texts(X)
        labels = np.asarray(y, dtype=object)
        if len(texts) != len(labels):
            raise ParameterError(f"got {len(texts)} texts but {len(labels)} labels.", name="y", value=len(labels))
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise ParameterError(f"unknown label {unknown[0]!r}; labels must be one of {', '.join(LABELS)}.",
                                 name="y", value=unknown[0])
        missing = [label for label in LABELS if label not in set(labels)]
        if missing:
            raise ParameterError(f"no training example labeled {missing[0]!r}; every label needs examples.",
                                 name="y", value=missing[0])
        return texts, labels


# --- storage ---------------------------------------------------------------------------------------

def save_model(model: StanceClassifier, path: str | Path) -> Path:
    """Write a fitted model to ``path``: arrays and JSON in a NumPy ``.npz`` archive, no pickle."""
    from ..atomic import atomic_path

    check_is_fitted(model)
    path = Path(path)
    arrays: dict[str, Any] = {
        "coef": model.classifier_.coef_, "intercept": model.classifier_.intercept_,
        "classes": np.asarray(model.classes_, dtype=str),
    }
    for name, vectorizer in model.features_.transformer_list:
        if hasattr(vectorizer, "vocabulary_"):
            vocabulary = vectorizer.vocabulary_
            arrays[f"{name}_terms"] = np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)
            arrays[f"{name}_idf"] = vectorizer.idf_
    header = {"format": MODEL_FORMAT, "params": _json_params(model.get_params()),
              "temperature": model.temperature_,
              "class_bias": dict(zip(map(str, model.classes_), map(float, model.class_bias_))),
              "metadata": getattr(model, "metadata_", {})}
    with atomic_path(path) as temp, open(temp, "wb") as handle:
        np.savez_compressed(handle, header=np.array(json.dumps(header, ensure_ascii=False)), **arrays)
    return path


def load_model(path: str | Path | None = None) -> StanceClassifier:
    """Load a model file, or the default model shipped with forumminer when ``path`` is None or
    ``"default"``.

    Only forumminer model files are accepted; one holding pickled objects is refused unread.
    """
    if path is None or str(path) == "default":
        return _default_model()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _default_model() -> StanceClassifier:
    return _load(default_model_path())


def _load(path: Path) -> StanceClassifier:
    header, arrays = read_model_file(path)
    try:
        return _rebuilt(header, arrays)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelError(f"{path}: not a usable forumminer model file ({type(error).__name__}: {error}).",
                         path=path) from error


def _rebuilt(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> StanceClassifier:
    """A fitted StanceClassifier from the contents of a model file."""
    params: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in header["params"].items()}
    model = StanceClassifier(**params)
    model.features_ = build_features(word_ngram_range=model.word_ngram_range, char_ngram_range=model.char_ngram_range,
                                     max_char_features=model.max_char_features)
    for name, vectorizer in model.features_.transformer_list:
        if name != "cues":
            vectorizer.vocabulary_ = {term: i for i, term in enumerate(arrays[f"{name}_terms"].tolist())}
            vectorizer.idf_ = arrays[f"{name}_idf"]
            vectorizer._tfidf.n_features_in_ = len(vectorizer.vocabulary_)
        else:
            vectorizer.fit([""])
    classifier = LogisticRegression(C=model.C, class_weight="balanced", max_iter=5000)
    classifier.coef_, classifier.intercept_ = arrays["coef"], arrays["intercept"]
    classifier.classes_ = arrays["classes"].astype(object)
    classifier.n_features_in_ = arrays["coef"].shape[1]
    model.classifier_, model.classes_ = classifier, classifier.classes_
    model.temperature_ = float(header["temperature"])
    bias = header.get("class_bias", {})
    model.class_bias_ = np.array([float(bias.get(label, 0.0)) for label in model.classes_])
    model.metadata_ = header["metadata"]
    return model


def _json_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
