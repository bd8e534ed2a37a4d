"""Figures of stance trends for papers and reports, drawn without pyplot's global state.

Each stance keeps one colour from the Okabe-Ito palette, which stays distinct under the common
colour-vision deficiencies and in greyscale print; ``none`` is light grey.

Arabic and Persian text (titles, group names) is drawn shaped and right-to-left: matplotlib 3.11
lays text out with libraqm, so strings stay in logical order and must not be pre-shaped (with
arabic-reshaper and python-bidi they would come out reversed). Whatever font the user's style
picks, DejaVu Sans, which ships with matplotlib and has the Arabic and Persian letters, draws the
glyphs that font lacks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from math import ceil
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..stance import LABELS
from .trends import CORRECTED_COLUMNS, INTERVAL_COLUMNS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STANCE_COLOURS = {
    "customer_always_right": "#D55E00",  # vermillion
    "balanced": "#009E73",  # bluish green
    "boundary_setting": "#0072B2",  # blue
    "none": "#BBBBBB",  # light grey
}
STANCE_NAMES = {
    "customer_always_right": "Customer always right",
    "balanced": "Balanced",
    "boundary_setting": "Boundary setting",
    "none": "No stance",
}
TREND_COLUMNS = ("period", "stance", "count", "share", "n")
#: Fallback font for Arabic-script glyphs; it ships with matplotlib.
ARABIC_SCRIPT_FONT = "DejaVu Sans"
_MAX_TICK_LABELS = 24
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _with_arabic_script_font(draw: Callable[_P, _R]) -> Callable[_P, _R]:
    """Draw with :data:`ARABIC_SCRIPT_FONT` as the last fallback of the style's font family."""

    @functools.wraps(draw)
    def drawn(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        import matplotlib

        families = list(matplotlib.rcParams["font.family"])
        with matplotlib.rc_context({"font.family": [*families, ARABIC_SCRIPT_FONT]}):
            return draw(*args, **kwargs)

    return drawn


@_with_arabic_script_font
def plot_trends(trend_table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Draw stacked stance shares per period with the passage count n in a strip below.

    Each stance's share carries its 95% interval as an error bar at the top of its segment; the
    bars are the corrected shares when the table has them (``trends(..., gold=)``). Periods
    flagged ``small_n`` are drawn pale, with their n in the strip marked ``*``.

    ``trend_table`` is the output of :func:`forumminer.summary.trends.trends`; when it was made
    with ``by=``, each group gets its own pair of axes (shares above, n below), one above the other
    with the same periods. The figure has one legend with the four stances.

    >>> from forumminer.summary.trends import trends
    >>> table = trends(pd.DataFrame({"date": ["2024-01-05", "2024-03-02"], "skip_reason": ["", ""],
    ...                              "stance": ["balanced", "none"]}))
    >>> figure = plot_trends(table, title="Stance by month")
    >>> figure.savefig("trends.png", dpi=200)  # doctest: +SKIP
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    by = _group_column(trend_table)
    groups = list(pd.unique(trend_table[by])) if by else [None]
    periods = list(pd.unique(trend_table["period"]))
    width = min(16.0, max(6.0, 0.4 * len(periods) + 2))
    figure = Figure(figsize=(width, 0.8 + 3.2 * len(groups)), layout="constrained")
    grid = figure.add_gridspec(2 * len(groups), 1, height_ratios=[3, 1] * len(groups))
    first: Axes | None = None
    for index, group in enumerate(groups):
        rows = trend_table if by is None else trend_table[trend_table[by] == group]
        shares_axes = figure.add_subplot(grid[2 * index], sharex=first)
        first = first or shares_axes
        n_axes = figure.add_subplot(grid[2 * index + 1], sharex=first)
        _draw_shares(shares_axes, rows, periods)
        _draw_counts(n_axes, rows, periods)
        if by is not None:
            shares_axes.set_title(f"{by} = {group}", loc="left")
    n_axes.set_xlabel(_period_axis_label(periods))
    handles = [Patch(facecolor=STANCE_COLOURS[s], edgecolor="white", label=STANCE_NAMES[s]) for s in LABELS]
    figure.legend(handles=handles, loc="outside lower center", ncol=4 if width >= 8 else 2, frameon=False)
    if title:
        figure.suptitle(title)
    return figure


def trend_chart_png(labeled: pd.DataFrame, *, date_col: str = "date", freq: str = "M") -> bytes | None:
    """The trend chart of a labeled table as PNG bytes, for :func:`~forumminer.summary.report.to_html`;
    None when the table has no ``date_col`` or ``skip_reason`` column (it was not made by
    :func:`forumminer.label`) or no dated labeled passage.

    >>> png = trend_chart_png(labeled)  # doctest: +SKIP
    >>> html = to_html(summarize(labeled), plot_png=png)  # doctest: +SKIP
    """
    import io

    from .trends import trends

    if date_col not in labeled.columns or "skip_reason" not in labeled.columns:
        return None
    table = trends(labeled, date_col=date_col, freq=freq)
    if table.empty:
        return None
    buffer = io.BytesIO()
    plot_trends(table, title="Stance shares per period").savefig(buffer, format="png", dpi=110, bbox_inches="tight",
                                                                 metadata={"Software": None})
    return buffer.getvalue()


def _group_column(trend_table: pd.DataFrame) -> str | None:
    missing = [c for c in TREND_COLUMNS if c not in trend_table.columns]
    extra = [c for c in trend_table.columns if c not in (*TREND_COLUMNS, *INTERVAL_COLUMNS, *CORRECTED_COLUMNS)]
    if missing or len(extra) > 1 or trend_table.empty:
        raise ParameterError(
            "trend_table must be a non-empty table from trends(), with columns period, [by], stance, count, "
            f"share, n; got {len(trend_table)} rows with columns {', '.join(map(str, trend_table.columns))}.",
            name="trend_table",
            value=list(trend_table.columns),
        )
    return extra[0] if extra else None


def _draw_shares(axes: Axes, rows: pd.DataFrame, periods: list[str]) -> None:
    from matplotlib.ticker import PercentFormatter

    corrected = "corrected_share" in rows.columns
    share, low, high = ("corrected_share", "corrected_low", "corrected_high") if corrected else ("share", "low", "high")
    def column(name: str) -> pd.DataFrame:
        return rows.pivot(index="period", columns="stance", values=name).reindex(index=periods, columns=list(LABELS))

    shares = column(share)
    small = rows.groupby("period")["small_n"].any().reindex(periods, fill_value=False).to_numpy(dtype=bool) \
        if "small_n" in rows.columns else np.zeros(len(periods), dtype=bool)
    x = np.arange(len(periods))
    bottom = np.zeros(len(periods))
    for stance in LABELS:
        values = shares[stance].fillna(0).to_numpy(dtype=float)
        bars = axes.bar(x, values, bottom=bottom, width=0.8, color=STANCE_COLOURS[stance], edgecolor="white", linewidth=0.5)
        for bar, faint in zip(bars, small):
            bar.set_alpha(0.35 if faint else 1.0)
        if low in rows.columns:
            below = (shares[stance] - column(low)[stance]).to_numpy(dtype=float)
            above = (column(high)[stance] - shares[stance]).to_numpy(dtype=float)
            axes.errorbar(x, bottom + values, yerr=np.nan_to_num([below, above]), fmt="none", ecolor="#222222",
                          elinewidth=0.8, capsize=2)
        bottom += values
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes.set_ylabel("Corrected share" if corrected else "Share of labeled passages")
    axes.tick_params(axis="x", labelbottom=False)
    axes.spines[["top", "right"]].set_visible(False)


def _draw_counts(axes: Axes, rows: pd.DataFrame, periods: list[str]) -> None:
    from matplotlib.ticker import MaxNLocator

    counts = rows.groupby("period")["n"].first().reindex(periods, fill_value=0).to_numpy(dtype=int)
    small = rows.groupby("period")["small_n"].any().reindex(periods, fill_value=False).to_numpy(dtype=bool) \
        if "small_n" in rows.columns else np.zeros(len(periods), dtype=bool)
    x = np.arange(len(periods))
    bars = axes.bar(x, counts, width=0.8, color=["#BBBBBB" if faint else "#555555" for faint in small])
    if len(periods) <= _MAX_TICK_LABELS:
        axes.bar_label(bars, labels=[f"{c}*" if faint else str(c) for c, faint in zip(counts, small)],
                       fontsize="x-small", padding=1)
    axes.set_ylim(0, max(1, counts.max()) * 1.3)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    axes.set_ylabel("n" if not small.any() else "n (* small)")
    step = ceil(len(periods) / _MAX_TICK_LABELS)
    rotation = 90 if len(periods) > 12 else 45 if len(periods) > 6 else 0
    axes.set_xticks(x[::step], periods[::step], rotation=rotation, ha="right" if rotation == 45 else "center")
    axes.spines[["top", "right"]].set_visible(False)


def _period_axis_label(periods: list[str]) -> str:
    sample = str(periods[0])
    if "-W" in sample:
        return "ISO week"
    if "Q" in sample:
        return "Quarter"
    return "Year" if len(sample) == 4 else "Month"


PLOT_FORMATS = (".png", ".pdf", ".svg")


def check_plot_path(path: str | Path) -> None:
    """Raise ParameterError unless ``path`` ends in one of :data:`PLOT_FORMATS` (checked before any work).

    >>> check_plot_path("trends.png")
    """
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise ParameterError(f"plot {str(path)!r}: unsupported chart type {suffix or '(none)'!r}; "
                             f"give a {', '.join(PLOT_FORMATS)} file.", name="plot", value=str(path))


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Save ``figure`` to ``path`` (.png at 150 dpi, .pdf or .svg) atomically, without a timestamp
    or software tag so reruns give the same bytes.

    >>> save_figure(plot_trends(table), "out/trends.png")  # doctest: +SKIP
    """
    from ..atomic import atomic_path

    check_plot_path(path)
    with atomic_path(path) as temp:
        figure.savefig(temp, format=Path(path).suffix.lower()[1:], dpi=150, bbox_inches="tight",
                       metadata={"Software": None})
    return Path(path)
