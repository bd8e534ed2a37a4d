"""Labeling sheets: passages drawn from a labeled table for labeling by hand, and reading them back.

Two strategies, for two uses:

* ``random``: a simple random sample (per value of ``by`` when given). Its hand labels measure the
  model's errors without bias, so ``summarize``/``trends`` can correct shares with it (``gold=``).
* ``uncertain``: the passages the model is least sure of. Good examples to adapt the model with
  (``train(..., base="default")``), but not a random sample: refused for estimation.

A sheet has the columns ``passage_id, doc_id, lang, [by], text, gold, strategy, stratified_by``;
the ``gold`` column is empty, for the labeler to fill with one of the labels of
:data:`LABEL_DEFINITIONS`. Every row records the strategy, so the sheet tells its use even when
its sidecar is lost.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ForumminerWarning, InputError, ParameterError, check_choice
from ..stance import LABELS

STRATEGIES = ("random", "uncertain")
SHEET_COLUMNS = ("passage_id", "doc_id", "lang", "text", "gold", "strategy", "stratified_by")
LABEL_DEFINITIONS = {
    "customer_always_right": "Puts the customer first: satisfy, accommodate, go the extra mile; the customer "
                             "is right or king; customer happiness drives profit.",
    "balanced": "Weighs both sides in the passage itself: serve customers well AND keep limits, or the "
                "customer is right in some cases and not in others.",
    "boundary_setting": "The customer is not always right: limits and policies, refusing unpaid extras, "
                        "dropping abusive clients, protecting the provider; recommending limits counts too.",
    "none": "Takes no position on how to treat customers (off topic, a question, a bare fact, a heading "
            "that only names the topic, thanks, navigation).",
}


def sample(labeled: pd.DataFrame, n: int = 200, *, by: str | None = None, strategy: str = "random",
           seed: int = 0) -> pd.DataFrame:
    """A labeling sheet of ``n`` labeled passages (``n`` per value of ``by`` when given), with an
    empty ``gold`` column to fill by hand. A group with fewer passages gives all of them.

    >>> sheet = sample(forumminer.label(Path("corpora/sample")), n=50, by="lang")  # doctest: +SKIP
    >>> forumminer.write_table(sheet, "sheet.csv", excel=True)  # doctest: +SKIP
    """
    check_choice("strategy", strategy, STRATEGIES)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n must be a whole number of at least 1; got {n!r}.", name="n", value=n)
    if by is not None and by not in labeled.columns:
        raise ParameterError(f"by: no column {by!r}. Columns are: {', '.join(map(str, labeled.columns))}.",
                             name="by", value=by)
    eligible = labeled[_stance_bearing(labeled)]
    rng = np.random.default_rng(seed)
    keys = eligible[by].fillna("").astype(str) if by else pd.Series("", index=eligible.index)
    picked = [_draw(eligible[keys == key], n, strategy, rng, group=key) for key in sorted(keys.unique())]
    rows = pd.concat(picked) if picked else eligible.iloc[:0]
    columns = ["passage_id", "doc_id", "lang", *([by] if by and by not in SHEET_COLUMNS else []), "text"]
    sheet = rows[columns].reset_index(drop=True).astype({"passage_id": str, "doc_id": str})
    return sheet.assign(gold="", strategy=strategy, stratified_by=by or "")


def _stance_bearing(labeled: pd.DataFrame) -> np.ndarray:
    """Rows the model labeled (Arabic or Persian text, not skipped)."""
    for column in ("passage_id", "text", "stance", "skip_reason"):
        if column not in labeled.columns:
            raise InputError(f"labeled passages: no column {column!r}. Label the passages first: forumminer label (forumminer.label in Python).")
    skip = labeled["skip_reason"].fillna("").astype(str)
    return ((skip == "") & labeled["stance"].isin(LABELS)).to_numpy()


def _draw(rows: pd.DataFrame, n: int, strategy: str, rng: np.random.Generator, *, group: str) -> pd.DataFrame:
    if len(rows) < n:
        where = f" with {group!r}" if group else ""
        warnings.warn(ForumminerWarning(f"only {len(rows)} labeled passages{where}; the sheet has all of them."),
                      stacklevel=3)
    if strategy == "random":
        return rows.iloc[rng.permutation(len(rows))[:n]]
    probabilities = np.sort(rows[[f"p_{label}" for label in LABELS]].to_numpy(dtype=float), axis=1)
    margin = probabilities[:, -1] - probabilities[:, -2]  # small: the model hesitates between two labels
    order = np.lexsort((rng.random(len(rows)), margin))  # ties broken at random
    return rows.iloc[order[:n]]


@dataclass(frozen=True)
class GoldSample:
    """Hand labels read from a filled-in sheet: ``labels`` maps passage_id to its label."""

    labels: pd.Series
    strategy: str
    stratified_by: str | None
    source: str


def read_gold(sheet: str | Path | pd.DataFrame, *, for_estimation: bool = True) -> GoldSample:
    """Read the hand labels of a filled-in sheet (a path or a DataFrame). Rows whose ``gold`` is
    empty are left out, with a warning. ``for_estimation`` refuses a sheet that is not a random
    sample.

    >>> gold = read_gold("sheet.csv")  # doctest: +SKIP
    >>> gold.labels.value_counts()  # doctest: +SKIP
    """
    from ..io.readers import read_table

    source = "the gold sheet" if isinstance(sheet, pd.DataFrame) else str(sheet)
    table = sheet if isinstance(sheet, pd.DataFrame) else read_table(Path(sheet))
    missing = [c for c in ("passage_id", "gold", "strategy") if c not in table.columns]
    if missing:
        raise InputError(f"{source}: no column {missing[0]!r}; give a sheet made by 'forumminer sample' "
                         "with its gold column filled in.", path=source)
    strategies = set(table["strategy"].fillna("").astype(str))
    if for_estimation and strategies != {"random"}:
        raise InputError(f"{source}: the sheet was drawn with --strategy {', '.join(sorted(strategies - {'random'}))}, "
                         "which is for training; estimates need a random sample (forumminer sample --strategy random).",
                         path=source)
    gold = table["gold"].fillna("").astype(str).str.strip().str.lstrip("'").str.lower()
    bad = ~gold.isin(("", *LABELS))
    if bad.any():
        row = int(bad.to_numpy().argmax())
        # in a CSV/TSV file, the line a spreadsheet or an editor shows (the header is line 1)
        where = f"line {row + 2}" if Path(source).suffix.lower() in (".csv", ".tsv") else f"row {row + 1}"
        raise InputError(f"{source}, {where} (passage {table['passage_id'].iloc[row]}): gold label "
                         f"{table['gold'].iloc[row]!r} is not one of {', '.join(LABELS)} (or empty).",
                         path=source, row=row + 1)
    if (gold == "").all():
        raise InputError(f"{source}: the gold column is empty; label the passages by hand first.", path=source)
    if (gold == "").any():
        warnings.warn(ForumminerWarning(f"{source}: {int((gold == '').sum())} rows without a gold label are left "
                                        "out; label every row, since skipping hard passages biases the estimate."),
                      stacklevel=2)
    ids = table["passage_id"].astype(str).str.lstrip("'")
    labels = pd.Series(gold.to_numpy(), index=ids.to_numpy(), name="gold")[gold.to_numpy() != ""]
    if not labels.index.is_unique:
        raise InputError(f"{source}: passage {labels.index[labels.index.duplicated()][0]!r} appears twice.", path=source)
    by = str(table["stratified_by"].fillna("").iloc[0]) if "stratified_by" in table.columns else ""
    return GoldSample(labels=labels, strategy=strategies.pop() if len(strategies) == 1 else "mixed",
                      stratified_by=by or None, source=source)
