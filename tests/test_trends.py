from __future__ import annotations

import datetime as dt
import io
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumminer.errors import ForumminerWarning, InputError, ParameterError
from forumminer.stance import LABELS
from forumminer.summary.plots import plot_trends
from forumminer.summary.trends import date_report, period_label, trends

from .conftest import DATA

COLUMNS = ["period", "stance", "count", "share", "n", "low", "high", "small_n"]


@pytest.fixture
def labeled() -> pd.DataFrame:
    # read as the CLI's output would be read back: empty cells become NaN
    return pd.read_csv(DATA / "labeled_dates.csv")


def quiet_trends(labeled: pd.DataFrame, **options: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForumminerWarning)
        return trends(labeled, **options)  # type: ignore[arg-type]


def test_monthly_counts_shares_and_gap_month(labeled: pd.DataFrame) -> None:
    table = quiet_trends(labeled)
    assert list(table.columns) == COLUMNS
    counts = table.pivot(index="period", columns="stance", values="count")
    # January: two Arabic passages of 2024-01-10 and one Persian dated ۱۴۰۲/۱۰/۲۰ (= 2024-01-10);
    # the skipped Persian greeting does not count
    assert counts.loc["2024-01"].to_dict() == {
        "customer_always_right": 2, "balanced": 0, "boundary_setting": 1, "none": 0
    }
    # March: ١٥/٠٣/٢٠٢٤ and two passages of Nowruz 1403 (= 2024-03-20)
    assert counts.loc["2024-03"].to_dict() == {
        "customer_always_right": 0, "balanced": 1, "boundary_setting": 1, "none": 1
    }
    # February has no data but is in the table, with n = 0 and no share
    february = table[table["period"] == "2024-02"]
    assert list(february["stance"]) == list(LABELS)
    assert february["count"].tolist() == [0, 0, 0, 0]
    assert february["n"].tolist() == [0, 0, 0, 0]
    assert february["share"].isna().all()
    january = table[table["period"] == "2024-01"].set_index("stance")
    assert january["share"].sum() == pytest.approx(1)
    assert january.loc["customer_always_right", "share"] == pytest.approx(2 / 3)


def test_undated_rows_are_reported_not_dropped(labeled: pd.DataFrame) -> None:
    with pytest.warns(ForumminerWarning, match=r"^2 of 8 labeled passages have no usable 'date'"):
        table = trends(labeled)
    assert table.attrs["undated"] == 2
    assert table.attrs["undated_examples"] == [None, "قبل يومين"]


def test_date_report_counts(labeled: pd.DataFrame) -> None:
    assert date_report(labeled) == {
        "rows": 9,
        "parsed": 7,
        "missing": 1,
        "unparseable": 1,
        "unparseable_examples": ["قبل يومين"],
        "first": "2024-01-10",
        "last": "2024-03-20",
    }


def test_by_source_gives_every_period_for_every_group(labeled: pd.DataFrame) -> None:
    table = quiet_trends(labeled, by="source")
    assert list(table.columns) == ["period", "source", "stance", "count", "share", "n", "low", "high", "small_n"]
    assert len(table) == 3 * 2 * 4  # months x sources x stances
    n = table.groupby(["period", "source"])["n"].first().to_dict()
    assert n == {
        ("2024-01", "blog.example"): 0, ("2024-01", "forum.example"): 3,
        ("2024-02", "blog.example"): 0, ("2024-02", "forum.example"): 0,
        ("2024-03", "blog.example"): 3, ("2024-03", "forum.example"): 0,
    }


def test_missing_group_value_is_its_own_group(labeled: pd.DataFrame) -> None:
    labeled.loc[0, "source"] = None
    table = quiet_trends(labeled, by="source")
    assert "(missing)" in set(table["source"])


@pytest.mark.parametrize(
    ("freq", "periods"),
    [
        # ISO weeks: 2024-01-10 is in week 2, 2024-03-15 in week 11, 2024-03-20 in week 12
        ("W", ["2024-W02", "2024-W11", "2024-W12"]),
        ("Q", ["2024Q1"]),
        ("Y", ["2024"]),
    ],
)
def test_period_labels_by_freq(labeled: pd.DataFrame, freq: str, periods: list[str]) -> None:
    table = quiet_trends(labeled, freq=freq)
    present = table.loc[table["n"] > 0, "period"].unique().tolist()
    assert present == periods
    assert table["period"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("period", "label"),
    [
        # 30 December 2024 is a Monday in ISO week 1 of 2025
        (pd.Period("2024-12-30", "W"), "2025-W01"),
        # 1 January 2021 is a Friday in ISO week 53 of 2020
        (pd.Period("2021-01-01", "W"), "2020-W53"),
        (pd.Period("2024-03", "M"), "2024-03"),
        (pd.Period("2024-11", "Q"), "2024Q4"),
        (pd.Period("2024", "Y"), "2024"),
    ],
)
def test_period_label_table(period: pd.Period, label: str) -> None:
    assert period_label(period) == label


def test_weekly_periods_fill_gaps() -> None:
    frame = pd.DataFrame({"date": ["2024-01-01", "2024-01-22"], "skip_reason": ["", ""], "stance": ["none", "none"]})
    table = trends(frame, freq="W")
    assert table["period"].unique().tolist() == ["2024-W01", "2024-W02", "2024-W03", "2024-W04"]


def test_bad_freq_message(labeled: pd.DataFrame) -> None:
    with pytest.raises(ParameterError) as info:
        trends(labeled, freq="D")
    assert str(info.value) == "freq must be one of W, M, Q, Y; got 'D'."
    assert (info.value.name, info.value.value) == ("freq", "D")


def test_missing_date_column_message(labeled: pd.DataFrame) -> None:
    with pytest.raises(ParameterError) as info:
        trends(labeled, date_col="fecha")
    assert str(info.value) == (
        "date_col: no column 'fecha'. Columns are: doc_id, passage_id, text, lang, skip_reason, date, source, "
        "stance, confidence, p_customer_always_right, p_balanced, p_boundary_setting, p_none, cues."
    )
    assert info.value.value == "fecha"


def test_missing_by_column(labeled: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"^by: no column 'forum'\. Columns are: doc_id"):
        trends(labeled, by="forum")


def test_labeled_row_without_stance_is_an_input_error(labeled: pd.DataFrame) -> None:
    labeled.loc[2, "stance"] = "maybe"
    message = r"^labeled table, row 3: stance must be one of customer_always_right, .*; got 'maybe'\."
    with pytest.raises(InputError, match=message):
        trends(labeled)


def test_table_without_dated_rows_is_empty_with_report() -> None:
    frame = pd.DataFrame({"date": ["", "soon"], "skip_reason": ["", ""], "stance": ["none", "balanced"]})
    with pytest.warns(ForumminerWarning):
        table = trends(frame)
    assert table.empty and list(table.columns) == COLUMNS
    assert table.attrs == {"undated": 2, "undated_examples": ["", "soon"]}


DATES = st.one_of(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 12, 31)).map(str),
    st.sampled_from(["", "soon", "1402/13/01"]),
)
ROWS = st.lists(st.tuples(DATES, st.sampled_from(LABELS), st.booleans()), max_size=30)


@settings(max_examples=50, deadline=None)
@given(ROWS, st.sampled_from(["W", "M", "Q", "Y"]))
def test_no_labeled_passage_is_lost(rows: list[tuple[str, str, bool]], freq: str) -> None:
    frame = pd.DataFrame(rows, columns=["date", "stance", "skipped"])
    frame["skip_reason"] = frame.pop("skipped").map({True: "too_short", False: ""})
    frame.loc[frame["skip_reason"] != "", "stance"] = ""
    table = quiet_trends(frame, freq=freq)
    labeled = int((frame["skip_reason"] == "").sum())
    assert table["count"].sum() + table.attrs["undated"] == labeled
    per_period = table.groupby("period")
    assert (per_period["count"].sum() == per_period["n"].first()).all()


# ----- plots -----


def png_bytes(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60)  # type: ignore[attr-defined]
    return buffer.getvalue()


def test_plot_renders_png_with_shares_and_n_strip(labeled: pd.DataFrame) -> None:
    figure = plot_trends(quiet_trends(labeled), title="Stance by month")
    assert png_bytes(figure).startswith(b"\x89PNG\r\n\x1a\n")
    shares, counts = figure.axes
    assert [text.get_text() for text in figure.legends[0].get_texts()] == [
        "Customer always right", "Balanced", "Boundary setting", "No stance"
    ]
    assert shares.get_ylabel() == "Share of labeled passages"
    assert shares.get_ylim() == (0, 1)
    assert shares.yaxis.get_major_formatter()(0.5, 0) == "50%"
    assert counts.get_xlabel() == "Month"
    assert [label.get_text() for label in counts.get_xticklabels()] == ["2024-01", "2024-02", "2024-03"]
    # n above each bar of the strip, the empty month included
    assert [text.get_text() for text in counts.texts] == ["3*", "0*", "3*"]  # fewer than SMALL_N passages: flagged
    assert figure.get_suptitle() == "Stance by month"


def test_plot_by_group_has_a_pair_of_axes_per_group(labeled: pd.DataFrame) -> None:
    figure = plot_trends(quiet_trends(labeled, by="source", freq="W"))
    assert png_bytes(figure).startswith(b"\x89PNG")
    assert len(figure.axes) == 4
    assert [figure.axes[i].get_title(loc="left") for i in (0, 2)] == ["source = blog.example", "source = forum.example"]
    assert len(figure.legends) == 1 and len(figure.legends[0].get_texts()) == 4
    assert figure.axes[-1].get_xlabel() == "ISO week"


def test_plot_rejects_an_empty_table() -> None:
    with pytest.raises(ParameterError, match=r"^trend_table must be a non-empty table from trends\(\)"):
        plot_trends(pd.DataFrame(columns=COLUMNS))
