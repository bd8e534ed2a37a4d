"""The fitted stance model as NumPy arrays: what labeling runs, with no scikit-learn or SciPy.

A model file holds the vocabularies, idf weights and coefficients of a
:class:`~forumminer.stance.model.StanceClassifier` (arrays and JSON in a NumPy ``.npz`` archive read
with ``allow_pickle=False``: loading one never runs code from the file, and a file with pickled
objects in it is refused). :class:`LinearModel` computes from them what the classifier's
scikit-learn pipeline computes (tf-idf rows scaled to unit length, cue counts, one linear score per
class, temperature-scaled probabilities) with every sum taken in the same order, so the
probabilities are the same to the last bit (tests/test_fast_path.py compares them). Importing
scikit-learn and SciPy took about a second of every labeling run's start.
"""

from __future__ import annotations

import functools
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import ModelError
from ..text._resources import without_markup
from ..text.normalize import normalize
from . import LABELS
from .features import (
    CUE_STOPWORDS,
    CharTerms,
    WordTerms,
    count_terms,
    cue_count_matrix,
    cue_feature_names,
    feature_text,
    fold_letters,
    surface_forms,
)

DEFAULT_MODEL = "stance-default.npz"
MODEL_FORMAT = "forumminer-stance-model/1"
WORD_NGRAM_RANGE = (1, 2)
CHAR_NGRAM_RANGE = (3, 5)
# What a model file may hold, checked before anything is decompressed (a file someone sends you
# must be safe to open, in memory too): the shipped model uses about 10 MB.
MAX_ARRAY_BYTES = 256 << 20
MAX_MODEL_BYTES = 512 << 20
MAX_HEADER_BYTES = 1 << 20
REQUIRED_ARRAYS = ("header", "coef", "intercept", "classes", "words_terms", "words_idf", "chars_terms", "chars_idf")
_PICKLE_REFUSAL = ("refusing to load a model file that contains pickled Python objects (they could run code). "
                   "Only load models you trained with forumminer.")
_CHAR_CACHE_WORDS = 200_000


class StanceModel(Protocol):
    """What labeling and evaluation need from a model: :class:`LinearModel`, a
    :class:`~forumminer.stance.model.StanceClassifier`, or accurate mode's."""

    classes_: np.ndarray

    def predict(self, X: Sequence[str]) -> np.ndarray: ...

    def decide(self, proba: np.ndarray) -> np.ndarray: ...

    def confidence(self, proba: np.ndarray) -> np.ndarray: ...

    def predict_proba(self, X: Sequence[str]) -> np.ndarray: ...

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]: ...


@dataclass(frozen=True)
class Vocabulary:
    """One tf-idf block of the features: term → column, each column's idf, the n-gram sizes."""

    terms: dict[str, int]
    idf: np.ndarray
    ngram_range: tuple[int, int]


@dataclass(frozen=True)
class _Rows:
    """Feature rows in CSR form: row ``i`` has ``data[indptr[i]:indptr[i + 1]]`` at those ``indices``."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @functools.cached_property
    def row_of(self) -> np.ndarray:
        """The row of each stored entry."""
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))


class LinearModel:
    """The stance model for labeling: word and character tf-idf, cue counts and a linear score
    per class, as :class:`~forumminer.stance.model.StanceClassifier` computes them.

    >>> model = load_linear_model()  # doctest: +SKIP
    >>> model.predict(["العميل ليس دائما على حق"])  # doctest: +SKIP
    array(['boundary_setting'], dtype=object)
    """

    def __init__(self, *, words: Vocabulary, chars: Vocabulary, coef: np.ndarray, intercept: np.ndarray,
                 classes: np.ndarray, temperature: float, class_bias: np.ndarray,
                 metadata: dict[str, Any] | None = None) -> None:
        self.words, self.chars = words, chars
        self.coef, self.intercept = coef, intercept
        self.classes_ = np.asarray(classes, dtype=object)
        self.temperature, self.class_bias = temperature, class_bias
        self.metadata_ = metadata or {}
        self._shown_names: dict[int, str | list[str]] = {}

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Probabilities (columns in ``classes_`` order) of texts normalized by :func:`feature_text`."""
        return self._proba(self._scores(self._features([feature_text(t) for t in _as_texts(X)])))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Labels of probabilities in ``classes_`` order: the most probable one."""
        return self.classes_[np.argmax(proba, axis=1)]

    def confidence(self, proba: np.ndarray) -> np.ndarray:
        """How sure each label of :meth:`decide` is: its probability."""
        return proba.max(axis=1)

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        """Probabilities (columns in ``classes_`` order) and, per text, the features that pushed
        most towards its predicted label: cue groups and words first, character n-grams only when
        nothing readable contributed. ``langs`` (``"ar"``/``"fa"`` per text, as :func:`passages`
        gives them) spares detecting each text's language again."""
        texts = _as_texts(X)
        languages: Sequence[str | None] = langs if langs is not None else [None] * len(texts)
        normalized = [normalize(without_markup(t), lang=lang) for t, lang in zip(texts, languages)]
        prepared = [fold_letters(n) for n in normalized]
        rows = self._features(prepared)
        proba = self._proba(self._scores(rows))
        cues: list[list[str]] = [[] for _ in texts]
        # a text the fold leaves as it is spells every word as its feature does
        spelled = [_LazySurfaceForms(text) if folded != text else _AS_FOLDED for text, folded in zip(normalized, prepared)]
        for row, column in zip(*self._strongest_features(rows, np.argmax(proba, axis=1), n_cues)):
            name = self._shown_names.get(column) or self._shown_name(column)
            cues[row].append(name if isinstance(name, str) else " ".join(spelled[row].get(word, word) for word in name))
        return proba, cues

    def _shown_name(self, column: int) -> str | list[str]:
        """Feature ``column`` as a cue shows it (:func:`_display_name`), worked out once: the words
        of a word feature, to be spelled as each text writes them, or the name any text shows."""
        name = self._feature_names[column]
        shown = name.partition("__")[2].split() if name.startswith("words__") else _display_name(name, _AS_FOLDED)
        self._shown_names[column] = shown
        return shown

    def _strongest_features(self, rows: _Rows, predicted: np.ndarray, n: int) -> tuple[list[int], list[int]]:
        """``(row, column)`` of the features that pushed each row most towards its predicted
        class, row by row, largest contribution first (ties in column order): its ``n`` largest
        readable ones, or its ``n`` largest of any kind when none is readable."""
        row_of = rows.row_of
        contribution = rows.data * self._margin_weights[predicted[row_of], rows.indices]
        positive = contribution > 0
        readable = self._readable_features[rows.indices]
        # only a row without a readable feature shows others: the rest need no sorting
        candidates = np.flatnonzero(positive & (readable | ~np.bincount(row_of[positive & readable], minlength=len(predicted)).astype(bool)[row_of]))
        # by row, then by contribution, largest first; lexsort is stable, so ties keep column order
        ordered = candidates[np.lexsort((-contribution[candidates], row_of[candidates]))]
        row, column, readable = row_of[ordered], rows.indices[ordered], readable[ordered]
        row_starts = np.searchsorted(row, np.arange(len(predicted)))
        readable_before = np.concatenate([[0], np.cumsum(readable)])
        readable_rank = readable_before[1:] - readable_before[row_starts][row] - 1
        rank = np.arange(len(row)) - row_starts[row]
        readable_in_row = np.bincount(row[readable], minlength=len(predicted))
        chosen = np.where(readable_in_row[row] > 0, readable & (readable_rank < n), rank < n)
        return row[chosen].tolist(), column[chosen].tolist()

    def _features(self, prepared: list[str]) -> _Rows:
        """The feature rows of prepared texts: word tf-idf, character tf-idf, then cue counts."""
        words = _tfidf(count_terms(self._word_terms(prepared), len(self.words.terms)), self.words.idf)
        chars = _tfidf(count_terms(self._char_terms(prepared), len(self.chars.terms)), self.chars.idf)
        counts = cue_count_matrix(prepared)
        cue_rows, cue_columns = np.nonzero(counts)
        cues = _Rows(np.searchsorted(cue_rows, np.arange(len(prepared) + 1)), cue_columns, counts[cue_rows, cue_columns])
        return _side_by_side([words, chars, cues], [0, len(self.words.terms), len(self.words.terms) + len(self.chars.terms)])

    def _scores(self, rows: _Rows) -> np.ndarray:
        """``rows @ coef.T + intercept``, each row's sum taken over its columns in order from 0.0,
        as SciPy's sparse product does."""
        # a bincount per class adds each row's entries in column order (NumPy's sum adds pairwise)
        sums = [np.bincount(rows.row_of, weights=rows.data * weights[rows.indices], minlength=len(rows.indptr) - 1)
                for weights in self.coef]
        return np.stack(sums, axis=1) + self.intercept

    def _proba(self, scores: np.ndarray) -> np.ndarray:
        """Temperature-scaled probabilities, moved by the class biases fitted on real text
        (:mod:`forumminer.stance.calibration`; zero until fitted)."""
        return softmax(scores / self.temperature + self.class_bias)

    @functools.cached_property
    def _word_terms(self) -> WordTerms:
        """The word n-grams' indices (an index of the vocabulary's tokens, built once)."""
        return WordTerms(self.words.terms, self.words.ngram_range)

    @functools.cached_property
    def _char_terms(self) -> CharTerms:
        """The character n-grams' indices, with the indices of up to :data:`_CHAR_CACHE_WORDS` words kept."""
        return CharTerms(self.chars.terms, self.chars.ngram_range, _CHAR_CACHE_WORDS)

    @functools.cached_property
    def _feature_names(self) -> np.ndarray:
        """Each feature's name, in column order (a vocabulary scikit-learn fitted is not in it)."""
        return np.array([*(f"words__{t}" for t in _in_column_order(self.words.terms)),
                         *(f"chars__{t}" for t in _in_column_order(self.chars.terms)),
                         *(f"cues__{name}" for name in cue_feature_names())], dtype=object)

    @functools.cached_property
    def _readable_features(self) -> np.ndarray:
        """:func:`_is_readable` of each feature: worked out for words; cue groups all are, character
        n-grams none."""
        words = len(self.words.terms)
        readable = np.ones(len(self._feature_names), dtype=bool)
        readable[:words] = [_is_readable(name) for name in self._feature_names[:words]]
        readable[words:words + len(self.chars.terms)] = False
        return readable

    @functools.cached_property
    def _margin_weights(self) -> np.ndarray:
        """Weights of each class against the mean of the others (what moves it above them)."""
        return self.coef - (self.coef.sum(axis=0, keepdims=True) - self.coef) / (len(self.coef) - 1)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled for worker processes with the two tables that take longest to build from the
        model alone and are small to send (each worker would build them again at its start), not
        the other caches: what the texts labeled so far held, or tables built faster than sent."""
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        return {**state, "_shown_names": {}, "_word_terms": self._word_terms,
                "_readable_features": self._readable_features}


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, computed as ``scipy.special.softmax(scores, axis=1)`` computes it.

    >>> softmax(np.array([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """
    shifted = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    return shifted / np.sum(shifted, axis=1, keepdims=True)


def _tfidf(counts: tuple[np.ndarray, np.ndarray, np.ndarray], idf: np.ndarray) -> _Rows:
    """scikit-learn's sublinear tf-idf of count rows: ``(1 + log count) × idf``, each row scaled to
    unit length (its sum of squares taken in column order, as scikit-learn's loop does)."""
    indptr, indices, counted = counts
    rows = _Rows(indptr, indices, (np.log(counted) + 1.0) * idf[indices])
    norms = np.sqrt(_row_sums(rows, rows.data * rows.data))
    norms[norms == 0.0] = 1.0
    return _Rows(indptr, indices, rows.data / norms[rows.row_of])


def _row_sums(rows: _Rows, values: np.ndarray) -> np.ndarray:
    """The sum of ``values`` (one per stored entry of ``rows``) in each row, added one at a time
    from 0.0 in column order, as scikit-learn's and SciPy's loops add them (NumPy's ``sum`` adds
    pairwise, which can differ in the last bit; ``bincount`` adds in input order)."""
    return np.bincount(rows.row_of, weights=values, minlength=len(rows.indptr) - 1)


def _side_by_side(blocks: list[_Rows], offsets: list[int]) -> _Rows:
    """Feature blocks of the same rows joined column-wise (each block's columns moved by its offset)."""
    lengths = np.sum([np.diff(block.indptr) for block in blocks], axis=0)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    row_of = np.concatenate([block.row_of for block in blocks])
    order = np.argsort(row_of, kind="stable")  # within a row: the blocks in order, each block's columns in order
    indices = np.concatenate([block.indices.astype(np.int64) + offset for block, offset in zip(blocks, offsets)])
    data = np.concatenate([block.data for block in blocks])
    return _Rows(indptr, indices[order], data[order])


def _as_texts(X: Sequence[str]) -> list[str]:
    return ["" if t is None or t != t else str(t) for t in X]


def _in_column_order(terms: dict[str, int]) -> list[str]:
    """The terms of a vocabulary (term -> column) listed by column."""
    order = np.argsort(np.fromiter(terms.values(), dtype=np.int64, count=len(terms)), kind="stable")
    return np.array(list(terms), dtype=object)[order].tolist()


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


_AS_FOLDED: dict[str, str] = {}  # no surface forms: each word is shown as its feature spells it


def _display_name(feature: str, spelled: "_LazySurfaceForms | dict[str, str]") -> str:
    kind, _, name = feature.partition("__")
    if kind == "words":
        return " ".join(spelled.get(word, word) for word in name.split())
    return name if kind == "cues" else f"…{name.strip()}…"


# --- model files -----------------------------------------------------------------------------------

def load_linear_model(path: str | Path | None = None) -> LinearModel:
    """The model of a model file for labeling, or the shipped default model when ``path`` is None
    or ``"default"``. Only forumminer model files are accepted; one holding pickled objects is
    refused unread."""
    if path is None or str(path) == "default":
        return _default_linear_model()
    return _load_linear(Path(path))


def resolve_model(model: "StanceModel | str | Path | None") -> StanceModel:
    """A model ready to label: a fitted model as given, a mode name (``"default"``, ``"accurate"``;
    see :data:`forumminer.stance.MODE_HELP`), or a model file; None is the default model."""
    if str(model) == "accurate":
        from .encoder import load_accurate_model

        return load_accurate_model()
    if model is None or isinstance(model, (str, Path)):
        return load_linear_model(model)
    return model


@functools.lru_cache(maxsize=1)
def _default_linear_model() -> LinearModel:
    return _load_linear(default_model_path())


def default_model_path() -> Path:
    """Where the shipped default model lives."""
    return Path(str(resources.files("forumminer") / "models" / DEFAULT_MODEL))


def model_info(path: str | Path | None = None) -> dict[str, Any]:
    """What identifies a model file in output sidecars: its name, SHA-256 and training-data hash."""
    from ..export import sha256_of

    if str(path) == "accurate":
        from .encoder import none_gate_path

        return {**model_info(), "mode": "accurate", "none_gate_sha256": sha256_of(none_gate_path())}
    path = default_model_path() if path is None or str(path) == "default" else Path(path)
    header, _ = read_model_file(path, arrays=False)
    return {"id": path.stem, "sha256": sha256_of(path), "training_hash": header["metadata"].get("training_hash")}


def _load_linear(path: Path) -> LinearModel:
    header, arrays = read_model_file(path)
    try:
        return _linear_model(header, arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"{path}: not a usable forumminer model file ({type(error).__name__}: {error}).",
                         path=path) from error


def _linear_model(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearModel:
    params = header["params"]
    vocabularies = [Vocabulary({term: i for i, term in enumerate(arrays[f"{name}_terms"].tolist())}, arrays[f"{name}_idf"],
                               _ngram_range(params.get(f"{kind}_ngram_range", default)))
                    for name, kind, default in (("words", "word", WORD_NGRAM_RANGE), ("chars", "char", CHAR_NGRAM_RANGE))]
    bias = header.get("class_bias", {})
    return LinearModel(words=vocabularies[0], chars=vocabularies[1], coef=arrays["coef"], intercept=arrays["intercept"],
                       classes=arrays["classes"], temperature=float(header["temperature"]),
                       class_bias=np.array([float(bias.get(label, 0.0)) for label in arrays["classes"].tolist()]),
                       metadata=header.get("metadata", {}))


def _ngram_range(value: Any) -> tuple[int, int]:
    low, high = value
    return int(low), int(high)


def read_model_file(path: Path, *, arrays: bool = True) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
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
    n_features = len(arrays["words_terms"]) + len(arrays["chars_terms"]) + len(cue_feature_names())
    problems = [
        not isinstance(header.get("params"), dict) and "params is not an object",
        not isinstance(header.get("metadata", {}), dict) and "metadata is not an object",
        not isinstance(header.get("temperature"), (int, float)) and "temperature is not a number",
        coef.ndim != 2 and f"coef has {coef.ndim} dimensions",
        classes.ndim != 1 and "classes is not a list",
        coef.ndim == 2 and coef.shape[0] != len(classes) and "coef rows do not match the classes",
        intercept.shape != (len(classes),) and "intercept does not match the classes",
        set(classes.tolist()) != set(LABELS) and f"classes are not {', '.join(LABELS)}",
        *(len(arrays[f"{name}_terms"]) != len(arrays[f"{name}_idf"]) and f"{name} terms and weights differ"
          for name in ("words", "chars")),
        coef.ndim == 2 and coef.shape[1] != n_features and f"{coef.shape[1]} weights per class for {n_features} features",
    ]
    problem = next((p for p in problems if p), None)
    if problem:
        raise ModelError(f"{path}: not a usable forumminer model file ({problem}).", path=path)
