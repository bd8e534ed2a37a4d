"""The stance classifier (a scikit-learn estimator) and its safe storage.

Model files hold only numbers, strings and JSON (a NumPy ``.npz`` archive read with
``allow_pickle=False``): loading one never runs code from the file, so a model a user was sent is
safe to open. A file with pickled Python objects in it is refused.
"""

from __future__ import annotations

import functools
import json
import zipfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.utils.validation import check_is_fitted

from ..errors import ModelError, ParameterError
from . import LABELS
from ..text.normalize import normalize
from .features import CUE_STOPWORDS, build_features, feature_text, fold_letters, surface_forms

DEFAULT_MODEL = "stance-default.npz"
MODEL_FORMAT = "forumminer-stance-model/1"
# What a model file may hold, checked before anything is decompressed (a file someone sends you
# must be safe to open, in memory too): the shipped model uses about 10 MB.
MAX_ARRAY_BYTES = 256 << 20
MAX_MODEL_BYTES = 512 << 20
MAX_HEADER_BYTES = 1 << 20
REQUIRED_ARRAYS = ("header", "coef", "intercept", "classes")
_PICKLE_REFUSAL = ("refusing to load a model file that contains pickled Python objects (they could run code). "
                   "Only load models you trained with forumminer.")
_CALIBRATION_FOLDS = 5


class StanceModel(Protocol):
    """What labeling and evaluation need from a model: :class:`StanceClassifier`, or accurate mode's."""

    classes_: np.ndarray

    def predict(self, X: Sequence[str]) -> np.ndarray: ...

    def predict_proba(self, X: Sequence[str]) -> np.ndarray: ...

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]: ...


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
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (3, 5),
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
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        """Probabilities (columns in ``classes_`` order) and, per text, the features that pushed
        most towards its predicted label: cue groups and words first, character n-grams only when
        nothing readable contributed. ``langs`` (``"ar"``/``"fa"`` per text, as :func:`passages`
        gives them) spares detecting each text's language again."""
        check_is_fitted(self)
        texts = _as_texts(X)
        languages: Sequence[str | None] = langs if langs is not None else [None] * len(texts)
        normalized = [normalize(t, lang=lang) for t, lang in zip(texts, languages)]
        matrix = sparse.csr_matrix(self.features_.transform([fold_letters(n) for n in normalized]))
        scores = self.classifier_.decision_function(matrix)
        proba = self._proba(scores)
        names, readable = self._feature_names, self._readable_features
        weights = self._margin_weights
        cues = []
        for text, start, end, predicted in zip(normalized, matrix.indptr[:-1], matrix.indptr[1:], np.argmax(proba, axis=1)):
            columns = matrix.indices[start:end]
            contribution = matrix.data[start:end] * weights[predicted, columns]
            positive = np.flatnonzero(contribution > 0)
            # by contribution, largest first; ties keep column order (a stable sort)
            ordered = columns[positive[np.argsort(-contribution[positive], kind="stable")]]
            chosen = ordered[readable[ordered]][:n_cues]
            if not len(chosen):
                chosen = ordered[:n_cues]
            spelled = _LazySurfaceForms(text)
            cues.append([_display_name(names[column], spelled) for column in chosen])
        return proba, cues

    def _proba(self, scores: np.ndarray) -> np.ndarray:
        """Temperature-scaled probabilities, moved by the class biases fitted on real text
        (:mod:`forumminer.stance.calibration`; zero until fitted)."""
        return softmax(scores / self.temperature_ + self.class_bias_, axis=1)

    def _transform(self, X: Sequence[str]) -> Any:
        return self.features_.transform([feature_text(t) for t in _as_texts(X)])

    @functools.cached_property
    def _feature_names(self) -> np.ndarray:
        return self.features_.get_feature_names_out()

    @functools.cached_property
    def _readable_features(self) -> np.ndarray:
        return np.array([_is_readable(name) for name in self._feature_names], dtype=bool)

    @functools.cached_property
    def _margin_weights(self) -> np.ndarray:
        """Weights of each class against the mean of the others (what moves it above them)."""
        coef = self.classifier_.coef_
        return coef - (coef.sum(axis=0, keepdims=True) - coef) / (len(coef) - 1)

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


def _as_texts(X: Sequence[str]) -> list[str]:
    return ["" if t is None or t != t else str(t) for t in X]


def _is_readable(feature: str) -> bool:
    """Cue groups and words that are not function words; character n-grams are not readable."""
    kind, _, name = feature.partition("__")
    if kind == "cues":
        return True
    return kind == "words" and not all(word in CUE_STOPWORDS or len(word) < 2 for word in name.split())


class _LazySurfaceForms:
    """:func:`surface_forms` of a text, worked out only when a word cue asks for it."""

    def __init__(self, normalized: str) -> None:
        self._normalized = normalized

    @functools.cached_property
    def _forms(self) -> dict[str, str]:
        return surface_forms(self._normalized)

    def get(self, word: str, default: str) -> str:
        return self._forms.get(word, default)


def _display_name(feature: str, spelled: "_LazySurfaceForms | dict[str, str]") -> str:
    kind, _, name = feature.partition("__")
    if kind == "words":
        return " ".join(spelled.get(word, word) for word in name.split())
    return name if kind == "cues" else f"…{name.strip()}…"


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


def resolve_model(model: "StanceModel | str | Path | None") -> StanceModel:
    """A model ready to label: a fitted model as given, a mode name (``"default"``, ``"accurate"``;
    see :data:`forumminer.stance.MODE_HELP`), or a model file; None is the default model."""
    if str(model) == "accurate":
        from .encoder import load_accurate_model

        return load_accurate_model()
    if model is None or isinstance(model, (str, Path)):
        return load_model(model)
    return model


@functools.lru_cache(maxsize=1)
def _default_model() -> StanceClassifier:
    return _load(default_model_path())


def default_model_path() -> Path:
    """Where the shipped default model lives."""
    return Path(str(resources.files("forumminer") / "models" / DEFAULT_MODEL))


def model_info(path: str | Path | None = None) -> dict[str, Any]:
    """What identifies a model file in output sidecars: its name, SHA-256 and training-data hash."""
    from ..export import sha256_of

    if str(path) == "accurate":
        from .encoder import encoder_head_path

        return {**model_info(), "mode": "accurate", "encoder_head_sha256": sha256_of(encoder_head_path())}
    path = default_model_path() if path is None or str(path) == "default" else Path(path)
    header, _ = _read(path, arrays=False)
    return {"id": path.stem, "sha256": sha256_of(path), "training_hash": header["metadata"].get("training_hash")}


def _load(path: Path) -> StanceClassifier:
    header, arrays = _read(path)
    try:
        model = _rebuilt(header, arrays)
        n_features = len(model._feature_names)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelError(f"{path}: not a usable forumminer model file ({type(error).__name__}: {error}).",
                         path=path) from error
    if n_features != model.classifier_.coef_.shape[1]:
        raise ModelError(f"{path}: not a usable forumminer model file ({model.classifier_.coef_.shape[1]} weights "
                         f"per class for {n_features} features).", path=path)
    return model


def _read(path: Path, *, arrays: bool = True) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON header and (unless ``arrays`` is False) the arrays of a model file, checked."""
    if not path.is_file():
        raise ModelError(f"{path}: no such model file. Train one with 'forumminer train'.", path=path)
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a forumminer model file (not an .npz archive).", path=path)
    _check_archive(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = archive.files if arrays else ["header"]
            contents = {name: archive[name] for name in names}
        header = json.loads(str(contents.pop("header")))
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise ModelError(f"{path}: {_PICKLE_REFUSAL}", path=path) from error
        raise ModelError(f"{path}: not a forumminer model file ({error}).", path=path) from error
    except (OSError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise ModelError(f"{path}: not a forumminer model file ({type(error).__name__}: {error}).", path=path) from error
    except RecursionError as error:
        raise ModelError(f"{path}: not a forumminer model file (its header nests too deeply).", path=path) from error
    if not isinstance(header, dict) or header.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: not a forumminer model file (format {header.get('format') if isinstance(header, dict) else None!r}, "
                         f"expected {MODEL_FORMAT!r}).", path=path)
    if arrays:
        _check_contents(path, header, contents)
    return header, contents


def _check_archive(path: Path) -> None:
    """Refuse, before decompressing anything, an archive whose arrays are missing, too large, or
    not plain numbers and text (sizes come from the zip directory and each array's .npy header)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename.removesuffix(".npy"): info for info in archive.infolist()}
            missing = [name for name in REQUIRED_ARRAYS if name not in members]
            if missing:
                raise ModelError(f"{path}: not a forumminer model file (no {missing[0]!r} array).", path=path)
            total = sum(info.file_size for info in members.values())
            if total > MAX_MODEL_BYTES:
                raise ModelError(f"{path}: refusing to load a model of {total >> 20} MiB uncompressed "
                                 f"(the limit is {MAX_MODEL_BYTES >> 20} MiB).", path=path)
            for name, info in members.items():
                with archive.open(info) as member:
                    shape, dtype = _npy_header(member)
                nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
                limit = MAX_HEADER_BYTES if name == "header" else MAX_ARRAY_BYTES
                if dtype.hasobject:
                    raise ModelError(f"{path}: {_PICKLE_REFUSAL}", path=path)
                if nbytes > min(limit, info.file_size):
                    raise ModelError(f"{path}: refusing to load array {name!r} (shape {shape}, {dtype}): "
                                     "larger than its stored data or the limit.", path=path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ModelError(f"{path}: not a forumminer model file ({type(error).__name__}: {error}).", path=path) from error


def _npy_header(member: Any) -> tuple[tuple[int, ...], np.dtype[Any]]:
    version = np.lib.format.read_magic(member)
    reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, _, dtype = reader(member, max_header_size=10_000)
    return shape, dtype


def _check_contents(path: Path, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Refuse a model whose parts do not fit together (it would fail later, mid-run)."""
    coef, intercept, classes = arrays["coef"], arrays["intercept"], arrays["classes"]
    problems = [
        not isinstance(header.get("params"), dict) and "params is not an object",
        not isinstance(header.get("metadata", {}), dict) and "metadata is not an object",
        not isinstance(header.get("temperature"), (int, float)) and "temperature is not a number",
        coef.ndim != 2 and f"coef has {coef.ndim} dimensions",
        classes.ndim != 1 and "classes is not a list",
        coef.ndim == 2 and coef.shape[0] != len(classes) and "coef rows do not match the classes",
        intercept.shape != (len(classes),) and "intercept does not match the classes",
        set(classes.tolist()) != set(LABELS) and f"classes are not {', '.join(LABELS)}",
        *(len(arrays[f"{name}_terms"]) != len(arrays.get(f"{name}_idf", ())) and f"{name} terms and weights differ"
          for name in ("words", "chars") if f"{name}_terms" in arrays),
    ]
    problem = next((p for p in problems if p), None)
    if problem:
        raise ModelError(f"{path}: not a usable forumminer model file ({problem}).", path=path)


def _rebuilt(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> StanceClassifier:
    """A fitted StanceClassifier from the contents of a model file."""
    params: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in header["params"].items()}
    model = StanceClassifier(**params)
    model.features_ = build_features(word_ngram_range=model.word_ngram_range, char_ngram_range=model.char_ngram_range,
                                     max_char_features=model.max_char_features)
    for name, vectorizer in model.features_.transformer_list:
        if f"{name}_terms" in arrays:
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
