"""Train and evaluate stance models on labeled passages."""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, ParameterError
from . import LABELS, STANCES

if TYPE_CHECKING:
    import pandas as pd

    from .linear import StanceModel
    from .model import StanceClassifier


def read_labeled(data: Any, *, text_col: str = "text", label_col: str = "label") -> "pd.DataFrame":
    """Read labeled passages: a DataFrame, a CSV/TSV/JSONL/Parquet file, or a folder whose tables
    (searched recursively) are read and concatenated in path order.

    Returns a DataFrame with ``text`` and ``label`` columns plus every other input column.
    """
    import pandas as pd

    from ..io.readers import TABLE_SUFFIXES, read_corpus

    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        source = "the labeled table"
    else:
        paths = [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]
        files = [f for p in paths for f in (sorted(x for x in p.rglob("*") if x.suffix.lower() in TABLE_SUFFIXES)
                                            if p.is_dir() else [p])]
        if not files:
            raise InputError(f"{', '.join(map(str, paths))}: no labeled tables (.csv, .tsv, .jsonl, .parquet) found.")
        frame = pd.concat([_without_our_id(read_corpus(f, text_col=text_col)) for f in files], ignore_index=True)
        text_col, source = "text", ", ".join(map(str, paths))
    for column in (text_col, label_col):
        if column not in frame.columns:
            raise InputError(f"{source}: no column {column!r}. Columns are: {', '.join(map(str, frame.columns))}. "
                             f"Use --{'text' if column == text_col else 'label'}-col to name it.")
    frame = frame.rename(columns={text_col: "text", label_col: "label"})
    bad = frame.index[~frame["label"].isin(LABELS)]
    if len(bad):
        raise InputError(f"{source}: row {bad[0] + 1} has label {frame.loc[bad[0], 'label']!r}; "
                         f"labels must be one of {', '.join(LABELS)}.")
    return frame


def _without_our_id(documents: "pd.DataFrame") -> "pd.DataFrame":
    """The rows of a labeled table without the row-number id read_corpus gives them (input columns kept)."""
    return documents.drop(columns="fm_doc_id" if "fm_doc_id" in documents.columns else "doc_id")


def training_hash(texts: Iterable[str], labels: Iterable[str]) -> str:
    """sha256 of the (text, label) pairs in order: identifies a model's training data."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def train(data: Any, *, text_col: str = "text", label_col: str = "label", cv: int | None = 5,
          group_col: str | None = None, base: "StanceClassifier | str | Path | None" = None,
          weight: float | None = None, holdout: float = 0.0, seed: int = 0, **params: Any) -> "StanceClassifier":
    """Fit a stance model on labeled passages; ``params`` go to :class:`StanceClassifier`.

    With ``base`` ("default" for the shipped model, or a model file) the base model is adapted to
    the hand labels instead (a labeling sheet's ``gold`` column is found by itself; see
    :mod:`.adapt` for the weighting, ``weight``). ``holdout`` keeps that share of the labeled
    documents out of the adaptation and records both models' scores on them in
    ``metadata_["holdout"]``.

    The model's ``metadata_`` records the training-data hash, row counts, library versions, labels
    and (unless ``cv`` is None) its ``cv``-fold cross-validation scores, with folds grouped by
    ``group_col`` if given (see :func:`evaluate`).

    >>> model = train("corpora/stance")  # doctest: +SKIP
    >>> model.metadata_["cv"]["stance_macro_f1"]  # doctest: +SKIP
    0.81
    """
    from .model import _CALIBRATION_FOLDS, StanceClassifier

    if base is not None:
        return _adapted(data, base=base, text_col=text_col, label_col=label_col, weight=weight, holdout=holdout,
                        seed=seed)
    frame = read_labeled(data, text_col=text_col, label_col=label_col)
    _check_enough_examples(frame["label"], folds=max(_CALIBRATION_FOLDS if params.get("calibrate", True) else 1, cv or 1))
    model = StanceClassifier(**params).fit(frame["text"].tolist(), frame["label"].tolist())
    model.metadata_ = {
        "training_hash": training_hash(frame["text"], frame["label"]),
        "training_rows": {label: int((frame["label"] == label).sum()) for label in LABELS},
        "labels": list(LABELS),
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in model.get_params().items()},
        "versions": _library_versions(),
    }
    if cv:
        scores = evaluate(frame, cv=cv, group_col=group_col, model=model).scores()
        model.metadata_["cv"] = {"folds": cv, "grouped_by": group_col, **scores}
    return model


def _adapted(data: Any, *, base: "StanceClassifier | str | Path", text_col: str, label_col: str,
             weight: float | None, holdout: float, seed: int) -> "StanceClassifier":
    from .adapt import DEFAULT_WEIGHT, adapt, read_hand_labels
    from .model import load_model

    if not 0 <= holdout < 1:
        raise ParameterError(f"holdout must be a share from 0 up to 1; got {holdout!r}.", name="holdout", value=holdout)
    frame = read_hand_labels(data, text_col=text_col, label_col=label_col)
    held = _held_out(frame, holdout, seed)
    weight = DEFAULT_WEIGHT if weight is None else weight
    base_model = load_model(base) if isinstance(base, (str, Path)) else base
    kept = frame[~held]
    model = adapt(base_model, kept["text"].tolist(), kept["label"].tolist(), weight=weight)
    adapted_hash = training_hash(kept["text"], kept["label"])
    model.metadata_ = {**base_model.metadata_,
                       "training_hash": hashlib.sha256(f"{base_model.metadata_.get('training_hash')}+{adapted_hash}".encode()).hexdigest(),
                       "adapted": {"base_training_hash": base_model.metadata_.get("training_hash"),
                                   "hand_labels_hash": adapted_hash, "rows": len(kept), "weight": weight,
                                   "training_rows": {label: int((kept["label"] == label).sum()) for label in LABELS}}}
    model.metadata_.pop("cv", None)
    if held.any():
        test = frame[held]
        langs = test["lang"].astype(str).to_numpy() if "lang" in test else None
        model.metadata_["holdout"] = {
            "rows": int(held.sum()),
            **{name: score_predictions(test["label"].to_numpy(dtype=object), m.predict(test["text"].tolist()), langs).scores()
               for name, m in (("base", base_model), ("adapted", model))}}
    return model


def _held_out(frame: "pd.DataFrame", holdout: float, seed: int) -> np.ndarray:
    """Rows kept out of adaptation: ``holdout`` of the documents (of the rows, without doc_id)."""
    held = np.zeros(len(frame), dtype=bool)
    if holdout == 0:
        return held
    groups = frame["doc_id"].astype(str).to_numpy() if "doc_id" in frame else np.arange(len(frame)).astype(str)
    unique = np.unique(groups)
    chosen = np.random.default_rng(seed).permutation(unique)[:max(1, int(round(holdout * len(unique))))]
    return np.isin(groups, chosen)
def _check_enough_examples(labels: "pd.Series[Any]", *, folds: int) -> None:
    """Refuse, before fitting, labels with fewer examples than the folds calibration and CV cut."""
    counts = labels.value_counts()
    fewest = min(LABELS, key=lambda label: int(counts.get(label, 0)))
    if int(counts.get(fewest, 0)) < folds:
        raise InputError(f"too few examples to train: {fewest!r} has {int(counts.get(fewest, 0))}; each label needs "
                         f"at least {folds} (the folds of calibration and cross-validation). Add examples, or "
                         "lower --cv.")


@dataclass
class Evaluation:
    """Scores of 4-way predictions against gold labels, overall and per language.

    ``stance_macro_f1`` is the mean F1 of the three stance labels; ``interval`` its bootstrap
    95% interval. ``report`` has precision, recall, F1 and support per scope and label.
    """

    report: "pd.DataFrame"
    confusion: "pd.DataFrame"
    interval: tuple[float, float]
    n: int
    details: dict[str, Any] = field(default_factory=dict)
    curve: "pd.DataFrame | None" = None

    def scores(self) -> dict[str, Any]:
        """Stance macro-F1 and none-F1 per scope (all, each language), and the interval."""
        result: dict[str, Any] = {}
        for scope, rows in self.report.groupby("scope", sort=False):
            f1 = rows.set_index("label")["f1"]
            result[scope] = {"stance_macro_f1": round(float(f1[list(STANCES)].mean()), 4),
                             "none_f1": round(float(f1["none"]), 4), "n": int(rows["support"].sum())}
        result["stance_macro_f1"] = result["all"]["stance_macro_f1"]
        result["stance_macro_f1_95ci"] = [round(v, 4) for v in self.interval]
        return result

    def to_dict(self) -> dict[str, Any]:
        curve = {} if self.curve is None else {"coverage_curve": self.curve.round(4).to_dict(orient="records")}
        return {**self.scores(), **self.details, **curve,
                "per_label": self.report.round(4).to_dict(orient="records"),
                "confusion": {"labels": list(LABELS), "matrix": self.confusion.values.tolist()}}

    def to_frame(self) -> "pd.DataFrame":
        """Precision, recall, F1 and support per scope (all, each language) and label."""
        return self.report.copy()

    def to_markdown(self) -> str:
        """The scores as Markdown: one line per scope, the per-label table and the confusion matrix."""
        lines = [f"- **{scope}**: stance macro-F1 {values['stance_macro_f1']:.3f}, none-F1 {values['none_f1']:.3f} "
                 f"(n={values['n']})" for scope, values in self.scores().items() if isinstance(values, dict)]
        low, high = self.interval
        lines += [f"- stance macro-F1 95% bootstrap interval (all): {low:.3f}–{high:.3f}", ""]
        lines += _markdown_table(self.report.round(3)) + ["", "Confusion (rows: gold, columns: predicted):", ""]
        lines += _markdown_table(self.confusion.rename_axis("gold").reset_index())
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """The scores as an HTML fragment: the per-label table and the confusion matrix."""
        low, high = self.interval
        return (f"<p>Stance macro-F1 {self.scores()['stance_macro_f1']:.3f} (95% bootstrap interval "
                f"{low:.3f}–{high:.3f}), n={self.n}.</p>\n" + self.report.to_html(index=False, float_format="%.3f")
                + "\n<p>Confusion (rows: gold, columns: predicted):</p>\n" + self.confusion.to_html())

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        lines = []
        for scope, values in self.scores().items():
            if isinstance(values, dict):
                lines.append(f"{scope:>5}: stance macro-F1 {values['stance_macro_f1']:.3f}  none-F1 {values['none_f1']:.3f}  (n={values['n']})")
        low, high = self.interval
        lines.append(f"stance macro-F1 95% bootstrap interval (all): {low:.3f}–{high:.3f}")
        lines.append("")
        lines.append(self.report[self.report["scope"] == "all"].drop(columns="scope").to_string(index=False, float_format="%.3f"))
        lines.append("")
        lines.append("confusion (rows: gold, columns: predicted)")
        lines.append(self.confusion.to_string())
        if self.curve is not None:
            lines += ["", "coverage/precision (keeping only the most confident passages)",
                      self.curve.to_string(index=False, float_format="%.3f")]
        return "\n".join(lines)


def _markdown_table(frame: "pd.DataFrame") -> list[str]:
    header = [str(c) for c in frame.columns]
    rows = [[str(v) for v in row] for row in frame.itertuples(index=False)]
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(row) + " |" for row in rows)]


def evaluate(data: Any, *, model: "StanceModel | str | Path | None" = None, cv: int | None = None,
             group_col: str | None = None, text_col: str = "text", label_col: str = "label",
             n_bootstrap: int = 1000, seed: int = 0) -> Evaluation:
    """Score a model on labeled passages, or (with ``cv``) cross-validate fresh models with the
    model's parameters on them. Languages come from a ``lang`` column or are detected.

    ``group_col`` (with ``cv``) keeps the rows sharing a value of that column (the lines of one page,
    say) in the same fold, so a page is never scored by a model trained on its other lines; rows
    with no value there are groups of their own. ``model="accurate"`` scores accurate mode. The
    result's ``curve`` gives precision when only the most confident passages are kept.

    >>> print(evaluate("../shared/dev/seed_passages.csv"))  # doctest: +SKIP
    """
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    from ..text.langid import detect_language
    from .linear import LinearModel, resolve_model
    from .model import StanceClassifier, load_model

    frame = read_labeled(data, text_col=text_col, label_col=label_col)
    fitted = resolve_model(model)
    texts, gold = frame["text"].tolist(), frame["label"].to_numpy(dtype=object)
    if cv:
        if cv < 2:
            raise ParameterError(f"cv must be at least 2 folds; got {cv}.", name="cv", value=cv)
        if isinstance(fitted, LinearModel):  # a model file: its estimator gives the settings to train with
            fitted = load_model(model)  # type: ignore[arg-type]
        if not isinstance(fitted, StanceClassifier):
            raise ParameterError("cv trains fresh models with a model's settings: give a model file or the "
                                 "default model, not accurate mode.", name="model", value=str(model))
        # Temperature scaling never changes the predicted label: skip it in the folds.
        fresh = clone(fitted).set_params(calibrate=False)
        if group_col is None:
            splits = StratifiedKFold(cv, shuffle=True, random_state=0).split(texts, gold)
        else:
            splits = StratifiedGroupKFold(cv, shuffle=True, random_state=0).split(texts, gold, _groups(frame, group_col))
        proba = _cross_validated_proba(fresh, texts, gold, splits)
        predicted, confidence = np.array(LABELS, dtype=object)[np.argmax(proba, axis=1)], proba.max(axis=1)
    else:
        proba = fitted.predict_proba(texts)
        predicted, confidence = fitted.decide(proba), fitted.confidence(proba)
    langs = frame["lang"].astype(str) if "lang" in frame else frame["text"].map(detect_language)
    return score_predictions(gold, predicted, langs.to_numpy(), confidence=confidence, n_bootstrap=n_bootstrap,
                             seed=seed)


def _cross_validated_proba(model: "StanceClassifier", texts: list[str], gold: np.ndarray,
                           splits: Iterable[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Probabilities (:data:`LABELS` order) of each text from a copy of ``model`` fitted on the other folds."""
    from sklearn.base import clone

    proba = np.zeros((len(texts), len(LABELS)))
    for train_rows, test_rows in splits:
        fold = clone(model).fit([texts[i] for i in train_rows], gold[train_rows])
        order = [list(fold.classes_).index(label) for label in LABELS]
        proba[test_rows] = fold.predict_proba([texts[i] for i in test_rows])[:, order]
    return proba


def _groups(frame: "pd.DataFrame", group_col: str) -> np.ndarray:
    """Group of each row for grouped cross-validation: its ``group_col`` value, or the row itself
    (by position: a DataFrame's index may repeat)."""
    if group_col not in frame.columns:
        raise InputError(f"no column {group_col!r} to group cross-validation folds by. "
                         f"Columns are: {', '.join(map(str, frame.columns))}.")
    values = frame[group_col].astype("string").fillna("").str.strip().to_numpy(dtype=str)
    rows = np.char.add("row:", np.arange(len(frame)).astype(str))
    return np.where(values != "", np.char.add("group:", values), rows)

def score_predictions(gold: np.ndarray, predicted: np.ndarray, langs: np.ndarray | None = None, *,
                      confidence: np.ndarray | None = None, n_bootstrap: int = 1000, seed: int = 0) -> Evaluation:
    """Evaluation of ``predicted`` against ``gold`` labels (overall, and per language given), with
    the coverage/precision curve when each prediction's ``confidence`` is given."""
    import pandas as pd

    gold, predicted = np.asarray(gold, dtype=object), np.asarray(predicted, dtype=object)
    scopes = {"all": np.ones(len(gold), dtype=bool)}
    if langs is not None:
        langs = np.asarray(langs, dtype=object)
        scopes.update({lang: langs == lang for lang in ("ar", "fa") if (langs == lang).any()})
    rows = [{"scope": scope, "label": label, **_label_scores(confusion_matrix(gold[mask], predicted[mask]), i)}
            for scope, mask in scopes.items() for i, label in enumerate(LABELS)]
    confusion = pd.DataFrame(confusion_matrix(gold, predicted), index=list(LABELS), columns=list(LABELS))
    interval = bootstrap_interval(gold, predicted, n_bootstrap=n_bootstrap, seed=seed)
    curve = None if confidence is None else coverage_curve(gold, predicted, confidence)
    return Evaluation(report=pd.DataFrame(rows), confusion=confusion, interval=interval, n=len(gold), curve=curve)


COVERAGES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)


def coverage_curve(gold: np.ndarray, predicted: np.ndarray, confidence: np.ndarray,
                   coverages: tuple[float, ...] = COVERAGES) -> "pd.DataFrame":
    """What keeping only the most confident passages buys: for each share of passages kept
    (``coverage``), the confidence a passage needs (``min_confidence``), how many are kept,
    ``precision`` (share of kept passages labeled right) and ``stance_precision`` (the same among
    kept passages labeled with a stance, not none).

    >>> curve = coverage_curve(np.array(["none", "balanced"]), np.array(["none", "none"]), np.array([0.9, 0.4]),
    ...                        coverages=(1.0, 0.5))
    >>> curve["kept"].tolist(), curve["precision"].tolist()
    ([2, 1], [0.5, 1.0])
    """
    import pandas as pd

    order = np.argsort(-np.asarray(confidence, dtype=float), kind="stable")
    rows = []
    for coverage in coverages:
        kept = order[:max(1, int(round(coverage * len(order))))] if len(order) else order
        right = gold[kept] == predicted[kept]
        stance = np.isin(predicted[kept], STANCES)
        rows.append({"coverage": coverage, "min_confidence": float(confidence[kept].min()) if len(kept) else np.nan,
                     "kept": len(kept), "precision": float(right.mean()) if len(kept) else np.nan,
                     "stance_precision": float(right[stance].mean()) if stance.any() else np.nan})
    return pd.DataFrame(rows)


def confusion_matrix(gold: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """4×4 counts, rows gold and columns predicted, in :data:`LABELS` order."""
    index = {label: i for i, label in enumerate(LABELS)}
    matrix = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    for g, p in zip(gold, predicted):
        matrix[index[g], index[p]] += 1
    return matrix


def _label_scores(matrix: np.ndarray, i: int) -> dict[str, float]:
    true_positive = matrix[i, i]
    predicted, support = matrix[:, i].sum(), matrix[i, :].sum()
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": float(precision), "recall": float(recall), "f1": float(f1), "support": int(support)}


def stance_macro_f1(matrix: np.ndarray) -> float:
    """Mean F1 of the three stance labels from a 4-way confusion matrix."""
    return float(np.mean([_label_scores(matrix, i)["f1"] for i in range(len(STANCES))]))


def bootstrap_interval(gold: np.ndarray, predicted: np.ndarray, *, n_bootstrap: int = 1000, seed: int = 0,
                       level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the stance macro-F1 (passages resampled with replacement)."""
    if len(gold) == 0:
        return (0.0, 0.0)
    index = {label: i for i, label in enumerate(LABELS)}
    cells = np.array([index[g] * len(LABELS) + index[p] for g, p in zip(gold, predicted)])
    rng = np.random.default_rng(seed)
    values = [stance_macro_f1(np.bincount(cells[rng.integers(0, len(cells), len(cells))],
                                          minlength=len(LABELS) ** 2).reshape(len(LABELS), -1))
              for _ in range(n_bootstrap)]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def _library_versions() -> dict[str, str]:
    from importlib.metadata import version

    import forumminer

    packages = ("scikit-learn", "numpy", "scipy", "camel-tools", "hazm")
    return {"forumminer": forumminer.__version__, "python": platform.python_version(),
            **{name: version(name) for name in packages}}
