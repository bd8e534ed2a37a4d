"""Share estimates with and without a hand-labeled sample, as a researcher would get them.

Simulates a researcher on ../shared/dev/web_passages.csv (real text, never trained on): per
language, draw a random gold sample of n passages, estimate the four stance shares of all passages
of that language, repeat. Prints the mean absolute share error of the uncorrected model counts,
of the gold labels alone and of the prediction-powered estimate (forumminer's --gold), and how
often the 95% intervals cover each true share (and all four at once); then the same under prior
shift (web_passages resampled so that one stance is 60%), and for trends on a synthetic time series
built from corpora/stance (cross-validated predictions, a known drift, gold sampled per period).

    .venv/bin/python scripts/eval_shares.py [--repeats 500] [--constants] [--model accurate]

--constants prints the mode's share errors on web_passages in the form stored in
src/forumminer/summary/estimate.py (MEASURED_SHARE_ERRORS), which uncorrected reports show.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from forumminer.stance import LABELS
from forumminer.stance.linear import model_info, resolve_model
from forumminer.summary.estimate import ppi_mean
from forumminer.summary.report import Z_95, wilson_interval

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT.parent / "shared" / "dev" / "web_passages.csv"
CORPUS = ROOT / "corpora" / "stance"
SIZES = (25, 50, 100)
ONE_HOT = np.eye(len(LABELS))


def model_labels(texts: list[str], langs: list[str], mode: str) -> tuple[np.ndarray, np.ndarray]:
    """The mode's probabilities (LABELS order) and label codes of the texts."""
    model = resolve_model(mode)
    proba, _ = model.predict_with_cues(texts, langs=langs)
    codes = np.array([LABELS.index(label) for label in model.decide(proba)], dtype=int)
    return proba[:, [list(model.classes_).index(label) for label in LABELS]], codes


def simulate(proba: np.ndarray, codes: np.ndarray, labels: np.ndarray, n: int, repeats: int,
             rng: np.random.Generator) -> dict[str, float]:
    """One population (proba N×4, the model's label codes N, gold labels N): errors and coverage of
    the three estimates."""
    truth = ONE_HOT[labels].mean(axis=0)
    counted = ONE_HOT[codes].mean(axis=0)
    n_population = len(labels)
    counted_low, counted_high = np.array([wilson_interval(int(round(c * n_population)), n_population) for c in counted]).T
    errors, alone, covered, lams = [], [], [], []
    for _ in range(repeats):
        picked = rng.choice(len(labels), size=min(n, len(labels)), replace=False)
        result = ppi_mean(ONE_HOT[labels[picked]], proba[picked], proba)
        low, high = result.interval()
        errors.append(np.abs(np.clip(result.share, 0, 1) - truth).mean())
        alone.append(np.abs(ONE_HOT[labels[picked]].mean(axis=0) - truth).mean())
        covered.append((low <= truth + 1e-12) & (truth - 1e-12 <= high))
        lams.append(result.lam)
    covered_array = np.array(covered)
    return {"uncorrected": float(np.abs(counted - truth).mean()),
            "uncorrected_covers": float(((counted_low <= truth) & (truth <= counted_high)).mean()),
            "labels_alone": float(np.mean(alone)), "corrected": float(np.mean(errors)),
            "covers_min": float(covered_array.mean(axis=0).min()), "covers_all4": float(covered_array.all(axis=1).mean()),
            "lambda": float(np.mean(lams))}


def print_rows(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n== {title}")
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def web_tables(web: pd.DataFrame, proba: np.ndarray, codes: np.ndarray, repeats: int) -> None:
    labels = web["label"].map(LABELS.index).to_numpy()
    rows = []
    for lang in ("ar", "fa"):
        mask = (web["lang"] == lang).to_numpy()
        for n in SIZES:
            result = simulate(proba[mask], codes[mask], labels[mask], n, repeats, np.random.default_rng(n))
            rows.append({"lang": lang, "N": int(mask.sum()), "n gold": n, **result})
    print_rows(f"web_passages: mean absolute error of the four shares, {repeats} repeats; coverage of the 95% "
               "intervals (covers_min: the least-covered share; covers_all4: all four at once)", rows)

    rows = []
    for lang in ("ar", "fa"):
        mask = (web["lang"] == lang).to_numpy()
        for stance in LABELS:
            population = shifted_population(labels[mask], LABELS.index(stance), np.random.default_rng(7))
            result = simulate(proba[mask][population], codes[mask][population], labels[mask][population], 50, repeats,
                              np.random.default_rng(50))
            rows.append({"lang": lang, "60% stance": stance, "n gold": 50, **result})
    print_rows("prior shift: web_passages resampled (with replacement, same size) so that one stance is 60%", rows)


def shifted_population(labels: np.ndarray, stance: int, rng: np.random.Generator, share: float = 0.6) -> np.ndarray:
    """Row indices of a resampled population of the same size in which ``stance`` has ``share``."""
    size = len(labels)
    inside, outside = np.flatnonzero(labels == stance), np.flatnonzero(labels != stance)
    n_inside = int(round(share * size))
    return np.concatenate([rng.choice(inside, n_inside), rng.choice(outside, size - n_inside)])


def corpus_cv_probabilities() -> tuple[pd.DataFrame, np.ndarray]:
    """Our corpus with 5-fold cross-validated probabilities (folds grouped by scenario/document)."""
    from sklearn.model_selection import StratifiedGroupKFold

    from forumminer import read_labeled
    from forumminer.stance.model import StanceClassifier

    frame = read_labeled(CORPUS)
    groups = frame["doc"].fillna(frame["id"]).astype(str) if "doc" in frame else frame["id"].astype(str)
    texts, labels = frame["text"].to_numpy(dtype=object), frame["label"].to_numpy(dtype=object)
    proba = np.zeros((len(frame), len(LABELS)))
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(texts, labels, groups=(frame["lang"] + groups).to_numpy()):
        model = StanceClassifier(calibrate=False).fit(texts[train].tolist(), labels[train].tolist())
        proba[test] = model.predict_proba(texts[test].tolist())[:, [list(model.classes_).index(k) for k in LABELS]]
    return frame, proba


def drifting_shares(periods: int) -> np.ndarray:
    """Known drift: boundary_setting rises from 15% to 45%, customer_always_right falls from 40% to 15%."""
    t = np.linspace(0, 1, periods)
    car, bal, bnd = 0.40 - 0.25 * t, np.full(periods, 0.15), 0.15 + 0.30 * t
    return np.stack([car, bal, bnd, 1 - car - bal - bnd], axis=1)


def trend_tables(repeats: int, periods: int = 8, per_period: int = 300) -> None:
    frame, proba = corpus_cv_probabilities()
    labels = frame["label"].map(LABELS.index).to_numpy()
    targets = drifting_shares(periods)
    rows = []
    for lang in ("ar", "fa"):
        pool = {k: np.flatnonzero((labels == k) & (frame["lang"] == lang).to_numpy()) for k in range(len(LABELS))}
        for n in SIZES:
            rng = np.random.default_rng(1000 + n)
            uncorrected, corrected, covered = [], [], []
            for _ in range(repeats // 10):  # each repeat estimates every period
                for target in targets:
                    counts = rng.multinomial(per_period, target)
                    rows_t = np.concatenate([rng.choice(pool[k], c) for k, c in enumerate(counts)])
                    truth = ONE_HOT[labels[rows_t]].mean(axis=0)
                    picked = rng.choice(per_period, size=n, replace=False)
                    result = ppi_mean(ONE_HOT[labels[rows_t][picked]], proba[rows_t][picked], proba[rows_t])
                    low, high = result.interval()
                    uncorrected.append(np.abs(ONE_HOT[proba[rows_t].argmax(axis=1)].mean(axis=0) - truth).mean())
                    corrected.append(np.abs(np.clip(result.share, 0, 1) - truth).mean())
                    covered.append((low <= truth + 1e-12) & (truth - 1e-12 <= high))
            covered_array = np.array(covered)
            rows.append({"lang": lang, "n gold per period": n, "uncorrected": np.mean(uncorrected),
                         "corrected": np.mean(corrected), "covers_min": covered_array.mean(axis=0).min(),
                         "covers_all4": covered_array.all(axis=1).mean()})
    print_rows(f"trends: synthetic series from corpora/stance ({periods} periods of {per_period} passages, "
               "boundary_setting 15%->45%, customer_always_right 40%->15%; cross-validated predictions; "
               f"{repeats // 10} series x {periods} periods)", rows)


def print_constants(web: pd.DataFrame, codes: np.ndarray, mode: str) -> None:
    print(f"\n# {mode} mode, model {model_info()['sha256'][:12]}, measured by scripts/eval_shares.py --constants")
    print(f'MEASURED_SHARE_ERRORS["{mode}"] = {{')
    for lang in ("ar", "fa"):
        mask = (web["lang"] == lang).to_numpy()
        truth = web.loc[mask, "label"].value_counts(normalize=True).reindex(LABELS, fill_value=0).to_numpy()
        counted = ONE_HOT[codes[mask]].mean(axis=0)
        pairs = ", ".join(f'"{label}": ({c:.2f}, {t:.2f})' for label, c, t in zip(LABELS, counted, truth))
        print(f'    "{lang}": {{{pairs}}},')
    print("}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=500)
    parser.add_argument("--constants", action="store_true", help="only print the measured share errors")
    parser.add_argument("--model", choices=("default", "accurate"), default="default",
                        help="the mode whose labels are scored (accurate needs the encoder extra)")
    parser.add_argument("--no-trends", action="store_true", help="skip the synthetic trend series (trains 5 models)")
    args = parser.parse_args()
    if not WEB.exists():
        raise SystemExit(f"{WEB}: not found (the dev sets live in ../shared/dev).")
    web = pd.read_csv(WEB, keep_default_na=False)
    proba, codes = model_labels(web["text"].tolist(), web["lang"].tolist(), args.model)
    print(f"z = {Z_95:.3f}; {args.model} mode, model {model_info()['sha256'][:12]}; web_passages: {len(web)} passages")
    print_constants(web, codes, args.model)
    if args.constants:
        return
    web_tables(web, proba, codes, args.repeats)
    if not args.no_trends:
        trend_tables(args.repeats)


if __name__ == "__main__":
    main()
