"""Results are notebook-native, and "no value" is NA in memory and after any file round trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import forumminer
from forumminer.export import write_table
from forumminer.io.readers import read_table
from forumminer.stance import LABELS
from forumminer.summary.report import summarize

from .conftest import DATA

DOCUMENTS = pd.DataFrame({
    "text": ["العميل ليس دائما على حق، ولازم يدفع مقابل أي تعديل إضافي", "", "Hello world, nothing to see.",
             "مشتری همیشه حق دارد چون پول می‌دهد"],
    "source": ["NA", None, "None", "forum"],  # text that pandas would take for a missing value, and a real one
})


@pytest.fixture(scope="module")
def labeled(quick_model) -> pd.DataFrame:
    return forumminer.label(DOCUMENTS, model=quick_model)


def test_no_value_is_na_in_memory(labeled: pd.DataFrame) -> None:
    assert labeled["skip_reason"].isna().tolist() == [True, False, False, True]
    assert labeled["stance"].isna().tolist() == [False, True, False, False]
    assert labeled["source"].isna().tolist() == [False, True, False, False]
    assert labeled["text"].tolist()[1] == ""  # text is never missing: an empty document has empty text


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_no_value_reads_back_as_na(labeled: pd.DataFrame, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"labeled{suffix}"
    write_table(labeled, path)
    back = read_table(path)
    for column in ("skip_reason", "stance", "cues", "source", "confidence"):
        assert back[column].isna().tolist() == labeled[column].isna().tolist(), column
    assert back["source"].tolist()[::2] == ["NA", "None"]
    assert back["text"].tolist() == labeled["text"].tolist()
    # the filter a notebook uses works the same on the table read back
    unskipped = labeled.loc[labeled["skip_reason"].isna(), "passage_id"].tolist()
    assert back.loc[back["skip_reason"].isna(), "passage_id"].tolist() == unskipped


@pytest.fixture(scope="module")
def summary() -> forumminer.summary.report.Summary:
    return summarize(read_table(DATA / "labeled_small.csv"), by="lang")


def test_summary_to_frame_has_a_row_per_group_and_stance(summary) -> None:
    frame = summary.to_frame()
    assert list(frame.columns) == ["lang", "stance", "count", "n_labeled", "share", "low", "high"]
    assert frame["lang"].tolist() == [g.group for g in summary.groups for _ in LABELS]
    assert frame["stance"].tolist() == list(LABELS) * len(summary.groups)
    assert frame.groupby("lang")["count"].sum().tolist() == [g.n_labeled for g in summary.groups]
    assert ((frame["low"] <= frame["share"]) & (frame["share"] <= frame["high"])).all()


def test_summary_without_groups_has_no_group_column() -> None:
    frame = summarize(read_table(DATA / "labeled_small.csv")).to_frame()
    assert list(frame.columns) == ["stance", "count", "n_labeled", "share", "low", "high"]


def test_summary_renders_itself(summary) -> None:
    from forumminer.summary.report import to_html, to_markdown

    assert summary.to_markdown() == to_markdown(summary)
    assert summary.to_html() == to_html(summary)
    assert summary.to_markdown().startswith("# Stance summary\n")


def test_summary_shows_in_a_notebook_without_page_styles(summary) -> None:
    shown = summary._repr_html_()
    assert shown.startswith('<div class="forumminer-summary">') and shown.endswith("</div>")
    assert "<style" not in shown and "<body" not in shown  # a notebook page keeps its own look
    assert ">lang: ar</h2>" in shown and ">lang: fa</h2>" in shown
    assert shown.count("<th>95% interval</th>") == len(summary.groups)
    assert 'dir="rtl" lang="ar"' in shown


def test_evaluation_gives_a_frame_markdown_and_html(quick_model) -> None:
    from forumminer.stance.training import evaluate

    table = read_table(DATA / "labeled_small.csv").dropna(subset=["stance"]).rename(columns={"stance": "label"})
    result = evaluate(table, model=quick_model, n_bootstrap=50)
    frame = result.to_frame()
    assert set(frame["label"]) == set(LABELS) and "f1" in frame.columns
    markdown = result.to_markdown()
    assert f"- **all**: stance macro-F1 {result.scores()['stance_macro_f1']:.3f}" in markdown
    assert markdown.count("| gold |") == 1
    assert result._repr_html_().count("<table") == 2


@pytest.mark.filterwarnings("ignore:.*no usable 'date'")  # the fixture has an undated passage on purpose
def test_demo_result_shows_its_files_chart_and_summary(tmp_path: Path, summary) -> None:
    from forumminer.pipeline import DemoResult
    from forumminer.summary.plots import plot_trends
    from forumminer.summary.trends import trends

    labeled = read_table(DATA / "labeled_dates.csv")
    chart = tmp_path / "trends.png"
    table = trends(labeled)
    plot_trends(table).savefig(chart)
    result = DemoResult(labeled=labeled, summary=summary, trends=table, files={"trends.png": chart})
    shown = result._repr_html_()
    assert f"<li><code>{chart}</code></li>" in shown
    assert shown.count('src="data:image/png;base64,iVBORw0KGgo') == 1  # the chart, inline
    assert shown.endswith(summary._repr_html_())
