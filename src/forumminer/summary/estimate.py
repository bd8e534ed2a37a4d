"""Stance shares corrected with hand labels: prediction-powered inference (PPI++).

A share counted from the model's labels is precise but biased by the model's errors. A small
random sample of passages labeled by hand (a *gold* sample, see :mod:`.sampling`) measures that
bias. The prediction-powered estimate of the share of stance k among N passages is

    share_k = λ · mean over all N passages of p_k  +  mean over the n gold passages of (y_k − λ · p_k)

where p_k is the model's probability of k and y_k is 1 when the hand label is k (Angelopoulos et
al., Science 2023). Its variance is λ²·Var(p_k)/N + Var(y_k − λ·p_k)/n, so the 95% interval holds
the model's error as well as the sampling error. λ is tuned on the gold sample to minimise the
summed variance of the four shares (PPI++, Angelopoulos, Duchi & Zrnic 2023) and kept in [0, 1]:
λ = 0 is the estimate from the hand labels alone, λ = 1 plain PPI; one λ for the four shares keeps
them summing to 1. The formulas are those of the authors' ``ppi-python`` (``ppi_mean_ci`` with
``lam_optim_mode="overall"``), written out here because that package pulls numba, statsmodels and
gdown into the install, with one small-sample correction: variances divide by n − 1 and the
interval takes Student's t with n − 1 degrees of freedom (with 25 gold passages this lifts the
coverage of a rare stance's interval by about two points, scripts/eval_shares.py).

A gold sample drawn per stratum (``forumminer sample --by lang``) is estimated per stratum and the
strata are weighted by their number of passages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import InputError
from ..stance import LABELS

if TYPE_CHECKING:
    from .sampling import GoldSample

PROBABILITY_COLUMNS = tuple(f"p_{label}" for label in LABELS)
#: Fewest gold passages a stratum needs for a variance.
MIN_GOLD = 2


@dataclass(frozen=True)
class PPIResult:
    """Prediction-powered shares of the four stances (in ``LABELS`` order) with standard errors."""

    share: np.ndarray
    se: np.ndarray
    lam: float
    n_gold: int
    n: int

    def interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the two-sided interval (95% by default), within [0, 1]."""
        from scipy.stats import t

        half = t.ppf(0.5 + level / 2, max(self.n_gold - 1, 1)) * self.se
        return np.clip(self.share - half, 0, 1), np.clip(self.share + half, 0, 1)


def ppi_mean(gold: np.ndarray, gold_predicted: np.ndarray, predicted: np.ndarray,
             lam: float | None = None) -> PPIResult:
    """PPI++ estimate of the mean of ``gold`` (n×K one-hot hand labels) from the model's
    ``gold_predicted`` (n×K) on the same passages and ``predicted`` (N×K) on all passages.

    >>> gold = np.array([[1, 0], [0, 1], [1, 0]])
    >>> seen = np.array([[.8, .2], [.4, .6], [.6, .4]])
    >>> result = ppi_mean(gold, seen, np.array([[.8, .2], [.4, .6], [.6, .4], [.9, .1]]), lam=1.0)
    >>> [round(float(v), 4) for v in result.share]
    [0.7417, 0.2583]
    """
    gold, gold_predicted, predicted = (np.asarray(a, dtype=float) for a in (gold, gold_predicted, predicted))
    n, big_n = len(gold), len(predicted)
    if lam is None:
        lam = power_tuned_lambda(gold, gold_predicted, predicted)
    share = lam * predicted.mean(axis=0) + (gold - lam * gold_predicted).mean(axis=0)
    variance = (lam * predicted).var(axis=0, ddof=1) / big_n + (gold - lam * gold_predicted).var(axis=0, ddof=1) / n
    return PPIResult(share=share, se=np.sqrt(variance), lam=float(lam), n_gold=n, n=big_n)


def power_tuned_lambda(gold: np.ndarray, gold_predicted: np.ndarray, predicted: np.ndarray) -> float:
    """The λ in [0, 1] that minimises the summed variance of the shares (PPI++).

    >>> power_tuned_lambda(np.eye(2)[[0, 1, 0, 1]], np.eye(2)[[0, 1, 0, 1]], np.eye(2)[[0, 1] * 50])
    0.952292899408284
    """
    n, big_n = len(gold), len(predicted)
    covariance = ((gold - gold.mean(axis=0)) * (gold_predicted - gold_predicted.mean(axis=0))).sum() / n
    pooled = np.concatenate([gold_predicted, predicted])
    variance = pooled.var(axis=0, ddof=1).sum()
    if variance <= 0:
        return 0.0
    return float(np.clip(covariance / ((1 + n / big_n) * variance), 0.0, 1.0))


def stratified_ppi(probabilities: np.ndarray, gold_labels: np.ndarray, strata: np.ndarray) -> PPIResult | None:
    """PPI++ shares of a set of passages: ``probabilities`` (N×K), ``gold_labels`` (N, the
    ``LABELS`` index of the hand label, -1 where none) and ``strata`` (N, the stratum each passage
    was sampled from). Strata are estimated apart and weighted by their size; None when a stratum
    has fewer than :data:`MIN_GOLD` gold passages.
    """
    shares, variances, lams, n_gold = np.zeros(len(LABELS)), np.zeros(len(LABELS)), [], 0
    for stratum in pd.unique(strata):
        rows = strata == stratum
        labeled = rows & (gold_labels >= 0)
        if labeled.sum() < MIN_GOLD:
            return None
        result = ppi_mean(np.eye(len(LABELS))[gold_labels[labeled]], probabilities[labeled], probabilities[rows])
        weight = rows.sum() / len(strata)
        shares += weight * result.share
        variances += weight ** 2 * result.se ** 2
        lams.append(result.lam)
        n_gold += result.n_gold
    return PPIResult(share=shares, se=np.sqrt(variances), lam=float(np.mean(lams)), n_gold=n_gold, n=len(strata))


def model_probabilities(labeled: pd.DataFrame) -> np.ndarray:
    """The model's probabilities (N×4, ``LABELS`` order) of labeled passages."""
    missing = [c for c in PROBABILITY_COLUMNS if c not in labeled.columns]
    if missing:
        raise InputError(f"labeled passages: no column {missing[0]!r}; corrected shares need the model's "
                         "probabilities. Label the passages with forumminer.label (or 'forumminer label').")
    return labeled[list(PROBABILITY_COLUMNS)].to_numpy(dtype=float)


@dataclass(frozen=True)
class CorrectedShare:
    """A stance's share corrected with hand labels, and its 95% interval (model and sampling error)."""

    stance: str
    share: float
    low: float
    high: float


@dataclass(frozen=True)
class GoldRows:
    """The gold sample laid over a labeled table: per row, whether the model labeled it
    (``eligible``), the ``LABELS`` index of its hand label (-1: none) and its sampling stratum."""

    eligible: np.ndarray
    labels: np.ndarray
    strata: np.ndarray
    probabilities: np.ndarray


def gold_rows(labeled: pd.DataFrame, gold: "GoldSample") -> GoldRows:
    """Match the sheet's passages to the rows of ``labeled`` by passage_id."""
    skip = labeled["skip_reason"].fillna("").astype(str) if "skip_reason" in labeled else pd.Series("", labeled.index)
    eligible = ((skip == "") & labeled["stance"].isin(LABELS)).to_numpy()
    ids = labeled["passage_id"].astype(str)
    position = pd.Series(np.arange(len(labeled)), index=ids.to_numpy())
    unknown = ~gold.labels.index.isin(ids[eligible])
    if unknown.any():
        raise InputError(f"{gold.source}: passage {gold.labels.index[unknown][0]!r} is not a labeled passage of this "
                         "table; use the sheet drawn from this labeled table.", path=gold.source)
    labels = np.full(len(labeled), -1)
    labels[position[gold.labels.index].to_numpy()] = [LABELS.index(label) for label in gold.labels]
    if gold.stratified_by is None:
        strata = np.zeros(len(labeled), dtype=object)
    elif gold.stratified_by in labeled.columns:
        strata = labeled[gold.stratified_by].fillna("").astype(str).to_numpy(dtype=object)
    else:
        raise InputError(f"{gold.source}: the sheet was drawn per {gold.stratified_by!r}, a column this labeled table "
                         "lacks; use the labeled table the sheet was drawn from.", path=gold.source)
    probabilities = np.where(eligible[:, None], np.nan_to_num(model_probabilities(labeled)), 0.0)
    return GoldRows(eligible=eligible, labels=labels, strata=strata, probabilities=probabilities)


def corrected_shares(rows: GoldRows, mask: np.ndarray) -> tuple[tuple[CorrectedShare, ...], int]:
    """Corrected shares of the model-labeled rows under ``mask`` and the number of gold passages
    among them; no shares when a sampling stratum there has fewer than :data:`MIN_GOLD`."""
    selected = mask & rows.eligible
    n_gold = int((rows.labels[selected] >= 0).sum())
    result = stratified_ppi(rows.probabilities[selected], rows.labels[selected], rows.strata[selected])
    if result is None:
        return (), n_gold
    low, high = result.interval()
    share = np.clip(result.share, 0, 1)
    return tuple(CorrectedShare(label, float(s), float(lo), float(hi))
                 for label, s, lo, hi in zip(LABELS, share, low, high)), n_gold


#: The shipped model's stance shares against hand labels on real web text, in each mode: per
#: language and stance, (share of the model's labels, share of the hand labels), on 325 Arabic
#: and Persian passages from 285 public pages (../shared/dev/web_passages.csv, never trained on).
#: Measured by ``scripts/eval_shares.py --constants [--model accurate]`` for the model with SHA-256
#: 690a981aaced...; rerun it after retraining the model.
MEASURED_SHARE_ERRORS = {
    "default": {
        "ar": {"customer_always_right": (0.38, 0.27), "balanced": (0.20, 0.14), "boundary_setting": (0.23, 0.28), "none": (0.19, 0.31)},
        "fa": {"customer_always_right": (0.38, 0.34), "balanced": (0.11, 0.08), "boundary_setting": (0.19, 0.22), "none": (0.32, 0.36)},
    },
    "accurate": {
        "ar": {"customer_always_right": (0.31, 0.27), "balanced": (0.17, 0.14), "boundary_setting": (0.27, 0.28), "none": (0.25, 0.31)},
        "fa": {"customer_always_right": (0.32, 0.34), "balanced": (0.12, 0.08), "boundary_setting": (0.23, 0.22), "none": (0.33, 0.36)},
    },
}
UNCORRECTED_NOTE = (
    "These shares are uncorrected counts of the model's labels: they carry the model's errors, and their "
    "intervals cover sampling error only. On real web text (325 hand-labeled passages from 285 pages) {who} "
    "shares were off by {ar:.0f} (Arabic) and {fa:.0f} (Persian) percentage points on average: {worst}. For shares "
    "whose intervals include the model's error, label a random sample by hand ('forumminer sample') and pass it "
    "with --gold."
)


def uncorrected_note(mode: str = "default") -> str:
    """What a report without hand labels says about its shares, with the error rates measured for
    the ``mode`` ("default" or "accurate") that labeled them."""
    errors = MEASURED_SHARE_ERRORS[mode]

    def mean_error(lang: str) -> float:
        return 100 * float(np.mean([abs(model - hand) for model, hand in errors[lang].values()]))

    def largest(lang: str) -> tuple[str, tuple[float, float]]:
        return max(errors[lang].items(), key=lambda item: abs(item[1][0] - item[1][1]))

    worst = "; ".join(f"{name} {label} {model:.0%} by the model, {hand:.0%} by hand"
                      for lang, name in (("ar", "Arabic"), ("fa", "Persian")) for label, (model, hand) in [largest(lang)])
    who = "accurate mode's" if mode == "accurate" else "the shipped model's"
    return UNCORRECTED_NOTE.format(who=who, ar=mean_error("ar"), fa=mean_error("fa"), worst=worst)
