"""Stance trends over time: counts and shares of each stance per period (and per group).

Period labels sort as text and read as their period:

====  ====================  =====================================================
freq  label                 meaning
====  ====================  =====================================================
W     ``2024-W11``          ISO week (Monday to Sunday) with its ISO week-year
M     ``2024-03``           calendar month
Q     ``2024Q1``            calendar quarter
Y     ``2024``              calendar year
====  ====================  =====================================================

Every share has a 95% interval (``low``, ``high``: Wilson score, sampling error only) and
``small_n`` flags periods with too few passages to read much into. With ``gold=`` (a random sample
labeled by hand, :mod:`.sampling`), ``corrected_share``, ``corrected_low`` and ``corrected_high``
give each period's shares corrected for the model's errors from the gold passages of that period
(:mod:`.estimate`), and ``n_gold`` their number; ``small_n`` then also flags periods with fewer
than ``MIN_GOLD_PER_PERIOD`` gold passages.

Only labeled passages (no ``skip_reason``) count. Labeled passages whose date is missing,
unparseable or outside the plausible ``years`` (by default 1900 to next year) are left out of the
table but never silently: their number and a few raw values are
in ``table.attrs["undated"]`` and ``table.attrs["undated_examples"]``, and a ForumminerWarning says
so. :func:`date_report` describes the whole date column.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..columns import prefer_ours
from ..errors import ForumminerWarning, InputError, ParameterError, check_choice
from ..stance import LABELS
from .dates import is_blank, parse_dates

if TYPE_CHECKING:
    from .sampling import GoldSample

FREQS = ("W", "M", "Q", "Y")
MISSING_GROUP = "(missing)"
#: Periods with fewer labeled passages (or, with gold, hand-labeled ones) are flagged ``small_n``.
SMALL_N = 20
MIN_GOLD_PER_PERIOD = 10
INTERVAL_COLUMNS = ("low", "high", "small_n")
CORRECTED_COLUMNS = ("n_gold", "corrected_share", "corrected_low", "corrected_high")
_EXAMPLES = 5


def plausible_years() -> tuple[int, int]:
    """The default range of plausible years: 1900 to next year."""
    import datetime as dt

    return 1900, dt.date.today().year + 1


def trends(
    labeled: pd.DataFrame, *, date_col: str = "date", freq: str = "M", by: str | None = None,
    gold: "str | Path | pd.DataFrame | GoldSample | None" = None, years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Count labeled passages per period and stance (and per value of ``by``).

    Returns columns ``period``, [``by``], ``stance``, ``count``, ``share`` and ``n``: ``n`` is the
    number of labeled passages in that period (and group), ``share`` is ``count / n`` (NaN when
    ``n`` is 0), then the interval columns of the module docstring (and, with ``gold``, the
    corrected ones). Every period from the first to the last dated passage appears, with zero counts
    where there is no data; every stance appears in every period. Rows with a missing ``by`` value
    form the group ``"(missing)"``. Dates outside ``years`` (first and last year, inclusive;
    default :func:`plausible_years`) count as unusable, so one mistyped year cannot stretch the
    table over centuries.

    >>> table = pd.DataFrame({"date": ["2024-01-05", "2024-03-02"], "skip_reason": ["", ""],
    ...                       "stance": ["balanced", "none"]})
    >>> trends(table).query("stance == 'balanced'")[["period", "count", "n"]].to_string(index=False)
    ' period  count  n\\n2024-01      1  1\\n2024-02      0  0\\n2024-03      0  1'
    """
    check_choice("freq", freq, FREQS)
    labeled = prefer_ours(labeled)
    first, last = years or plausible_years()
    _check_column(labeled, date_col, "date_col")
    if by is not None:
        _check_column(labeled, by, "by")
    rows = _labeled_rows(labeled)
    dates = parse_dates(rows[date_col])
    dates = dates.where((dates.dt.year >= first) & (dates.dt.year <= last))
    undated = rows[dates.isna()]
    table = _count(rows[dates.notna()], dates.dropna(), freq=freq, by=by)
    table = _with_intervals(table)
    if gold is not None:
        table = _with_corrections(table, rows, dates, freq=freq, by=by, gold=gold)
    table.attrs["undated"] = len(undated)
    table.attrs["undated_examples"] = _examples(undated[date_col])
    if len(undated):
        warnings.warn(
            f"{len(undated)} of {len(rows)} labeled passages have no usable {date_col!r} (missing, "
            f"unparseable or outside {first}-{last}) "
            f"(e.g. {', '.join(map(repr, table.attrs['undated_examples']))}); "
            "they are left out of the trend table.",
            ForumminerWarning,
            stacklevel=2,
        )
    return table


def date_report(labeled: pd.DataFrame, date_col: str = "date") -> dict[str, Any]:
    """Describe the date column of a table (all rows, labeled or not).

    Returns ``rows``, ``parsed``, ``missing`` (empty cells), ``unparseable`` (text that is not a
    valid date), ``unparseable_examples`` (up to 5 distinct raw values), ``first`` and ``last``
    (ISO dates, or None).

    >>> date_report(pd.DataFrame({"date": ["2024-01-05", "", "yesterday"]}))["unparseable"]
    1
    """
    _check_column(labeled, date_col, "date_col")
    raw = labeled[date_col]
    dates = parse_dates(raw)
    missing = raw.map(is_blank).astype(bool)
    unparseable = dates.isna() & ~missing
    return {
        "rows": len(raw),
        "parsed": int(dates.notna().sum()),
        "missing": int(missing.sum()),
        "unparseable": int(unparseable.sum()),
        "unparseable_examples": _examples(raw[unparseable]),
        "first": dates.min().date().isoformat() if dates.notna().any() else None,
        "last": dates.max().date().isoformat() if dates.notna().any() else None,
    }


def period_label(period: pd.Period) -> str:
    """Label of a pandas Period as used in the ``period`` column (see the module table).

    >>> period_label(pd.Period("2024-03-13", "W"))
    '2024-W11'
    """
    if period.freqstr.startswith("W"):
        year, week, _ = period.start_time.isocalendar()
        return f"{year}-W{week:02d}"
    return str(period)


def _check_column(frame: pd.DataFrame, column: str, name: str) -> None:
    if column not in frame.columns:
        raise ParameterError(
            f"{name}: no column {column!r}. Columns are: {', '.join(map(str, frame.columns))}.",
            name=name,
            value=column,
        )


def _labeled_rows(labeled: pd.DataFrame) -> pd.DataFrame:
    for column in ("skip_reason", "stance"):
        if column not in labeled.columns:
            raise InputError(
                f"labeled table: no column {column!r}. Columns are: {', '.join(map(str, labeled.columns))}. "
                "Trends need passages labeled by the stance model."
            )
    is_labeled = (labeled["skip_reason"].fillna("").astype(str) == "").to_numpy()
    unknown = is_labeled & ~labeled["stance"].isin(LABELS).to_numpy()
    if unknown.any():
        row = int(unknown.argmax())
        raise InputError(
            f"labeled table, row {row + 1}: stance must be one of {', '.join(LABELS)}; "
            f"got {labeled['stance'].iloc[row]!r}. Rows without a stance need a skip_reason.",
            row=row + 1,
        )
    return labeled[is_labeled].reset_index(drop=True)


def _count(rows: pd.DataFrame, dates: pd.Series, *, freq: str, by: str | None) -> pd.DataFrame:
    keys = ["period"] if by is None else ["period", by]
    columns = [*keys, "stance", "count", "share", "n"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    periods = dates.dt.to_period(freq)
    data = pd.DataFrame({"period": periods.map(period_label), "stance": rows["stance"]})
    if by is not None:
        data[by] = rows[by].astype(object).where(rows[by].notna(), MISSING_GROUP)
    span = pd.period_range(periods.min(), periods.max(), freq=freq)
    levels = [[period_label(p) for p in span]]
    if by is not None:
        levels.append(sorted(data[by].unique(), key=str))
    grid = pd.MultiIndex.from_product([*levels, list(LABELS)], names=[*keys, "stance"])
    counts = data.groupby([*keys, "stance"]).size().reindex(grid, fill_value=0).rename("count")
    table = counts.reset_index()
    table["n"] = table.groupby(keys)["count"].transform("sum")
    table["share"] = table["count"] / table["n"].where(table["n"] > 0)
    return table[columns]


def _with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    from .report import wilson_interval

    bounds = [wilson_interval(int(c), int(n)) if n else (np.nan, np.nan) for c, n in zip(table["count"], table["n"])]
    low, high = (np.array(b, dtype=float) for b in zip(*bounds)) if bounds else (np.array([]), np.array([]))
    return table.assign(low=low, high=high, small_n=(table["n"] < SMALL_N).to_numpy())


def _with_corrections(table: pd.DataFrame, rows: pd.DataFrame, dates: pd.Series, *, freq: str, by: str | None,
                      gold: "str | Path | pd.DataFrame | GoldSample") -> pd.DataFrame:
    """Corrected shares of each period (and group) from the gold passages of that period."""
    from .estimate import corrected_shares, gold_rows
    from .sampling import GoldSample, read_gold

    sample = gold if isinstance(gold, GoldSample) else read_gold(gold)
    found = gold_rows(rows, sample)
    periods = np.array([period_label(p) if p is not pd.NaT else "" for p in dates.dt.to_period(freq)], dtype=object)
    groups = rows[by].astype(object).where(rows[by].notna(), MISSING_GROUP).to_numpy() if by else None
    keys = ["period"] if by is None else ["period", by]
    cells = []
    for key, part in table.groupby(keys, sort=False):
        values = key if isinstance(key, tuple) else (key,)
        mask = (periods == values[0]) & (True if groups is None else groups == values[1])
        corrected, n_gold = corrected_shares(found, mask)
        shares = {c.stance: c for c in corrected}
        for index, stance in zip(part.index, part["stance"]):
            c = shares.get(stance)
            cells.append((index, n_gold, *((c.share, c.low, c.high) if c else (np.nan,) * 3)))
    extra = pd.DataFrame(cells, columns=["index", *CORRECTED_COLUMNS]).set_index("index")
    table = table.join(extra)
    table["small_n"] = table["small_n"] | (table["n_gold"] < MIN_GOLD_PER_PERIOD)
    return table


def _examples(raw: pd.Series) -> list[Any]:
    values = raw.astype(object).where(raw.notna(), None)
    return list(dict.fromkeys(values.tolist()))[:_EXAMPLES]
