"""Adapt a fitted stance model to a user's hand labels, without its training corpus.

The adapted model keeps the base model's features (vocabulary, idf) and temperature; its weights
W and biases b minimise

    C · weight · Σᵢ cᵢ · −log p(yᵢ | xᵢ; W, b)  +  ½‖W − W₀‖²  +  ½‖b − b₀‖²

over the user's labeled passages, where W₀, b₀ are the base model's weights, C its regularisation
(5 for the shipped model) and cᵢ the balanced class weight of yᵢ (n / (4 · n_y), as in the base
model's training). This is the base model's own logistic-regression objective with its L2 penalty
centred on the base weights instead of zero: each hand label counts ``weight`` times as much as one
training passage, and the base weights are the prior the labels pull away from. ``weight`` = 1 by default (``scripts/learning_curve.py`` compares values on real text).
"""

from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ForumminerWarning, InputError, ParameterError
from . import LABELS

if TYPE_CHECKING:
    import pandas as pd

    from .model import StanceClassifier

DEFAULT_WEIGHT = 1.0


def adapt(base: "StanceClassifier | str | Path | None", texts: list[str], labels: list[str], *,
          weight: float = DEFAULT_WEIGHT) -> "StanceClassifier":
    """A copy of ``base`` (a model, a model file, or None / "default" for the shipped model) whose
    weights are refitted to ``texts`` and their ``labels`` as the module docstring says.

    >>> adapted = adapt("default", sheet["text"].tolist(), sheet["gold"].tolist())  # doctest: +SKIP
    """
    from .features import feature_text
    from .model import StanceClassifier, load_model

    if not weight > 0:
        raise ParameterError(f"weight must be above 0; got {weight!r}.", name="weight", value=weight)
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise ParameterError(f"unknown label {unknown[0]!r}; labels must be one of {', '.join(LABELS)}.",
                             name="labels", value=unknown[0])
    model = base if isinstance(base, StanceClassifier) else load_model(base)
    return adapt_features(model, model.features_.transform([feature_text(t) for t in texts]), labels, weight=weight)


def adapt_features(model: "StanceClassifier", features: Any, labels: list[str], *,
                   weight: float = DEFAULT_WEIGHT) -> "StanceClassifier":
    """:func:`adapt` on passages already turned into ``model``'s features (a sparse matrix)."""
    from scipy.optimize import minimize
    from scipy.special import softmax

    features = features.tocsc()
    # Weights of features absent from the labeled passages stay at the base weights (their gradient
    # is zero there): optimise only the columns present.
    active = np.flatnonzero(np.diff(features.indptr))
    features = features[:, active].tocsr()
    target = np.eye(len(model.classes_))[[list(model.classes_).index(label) for label in labels]]
    counts = target.sum(axis=0)
    balance = (len(target) / (len(counts) * np.where(counts > 0, counts, 1)))[target.argmax(axis=1)][:, None]
    w0, b0 = model.classifier_.coef_[:, active], model.classifier_.intercept_
    scale = model.C * weight

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:w0.size].reshape(w0.shape), theta[w0.size:]
        scores = np.asarray(features @ w.T) + b
        proba = softmax(scores, axis=1)
        log_likelihood = float((balance * target * np.log(np.clip(proba, 1e-300, None))).sum())
        loss = -scale * log_likelihood + 0.5 * float(((w - w0) ** 2).sum() + ((b - b0) ** 2).sum())
        residual = scale * balance * (proba - target)
        gradient = np.concatenate([(np.asarray((features.T @ residual).T) + (w - w0)).ravel(),
                                   residual.sum(axis=0) + (b - b0)])
        return loss, gradient

    start = np.concatenate([w0.ravel(), b0])
    result = minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    adapted = copy.deepcopy(model)
    coef = model.classifier_.coef_.copy()
    coef[:, active] = result.x[:w0.size].reshape(w0.shape)
    adapted.classifier_.coef_ = coef
    adapted.classifier_.intercept_ = result.x[w0.size:]
    return adapted


def read_hand_labels(data: Any, *, text_col: str = "text", label_col: str = "label") -> "pd.DataFrame":
    """Hand-labeled passages from a labeling sheet (its ``gold`` column) or any labeled table;
    rows without a label are left out with a warning."""
    import pandas as pd

    from ..io.readers import read_table

    frame = data.copy() if isinstance(data, pd.DataFrame) else read_table(Path(data))
    if label_col not in frame.columns and "gold" in frame.columns:
        label_col = "gold"
    for column in (text_col, label_col):
        if column not in frame.columns:
            raise InputError(f"{data if not isinstance(data, pd.DataFrame) else 'the labeled table'}: no column "
                             f"{column!r}. Columns are: {', '.join(map(str, frame.columns))}.")
    frame = frame.rename(columns={text_col: "text", label_col: "label"})
    frame["label"] = frame["label"].fillna("").astype(str).str.strip().str.lower()
    empty = frame["label"] == ""
    if empty.any():
        warnings.warn(ForumminerWarning(f"{int(empty.sum())} rows without a label are left out."), stacklevel=2)
    frame = frame[~empty].reset_index(drop=True)
    bad = ~frame["label"].isin(LABELS)
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise InputError(f"labeled row {row + 1}: label {frame['label'].iloc[row]!r} is not one of {', '.join(LABELS)}.",
                         row=row + 1)
    if frame.empty:
        raise InputError("no hand-labeled rows: fill in the gold column of the sheet first.")
    return frame
