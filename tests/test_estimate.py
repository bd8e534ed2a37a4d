"""Labeling sheets and shares corrected with hand labels (prediction-powered inference)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from forumminer.cli import main
from forumminer.errors import ForumminerWarning, InputError
from forumminer.stance import LABELS
from forumminer.summary.estimate import (MEASURED_SHARE_ERRORS, power_tuned_lambda, ppi_mean, stratified_ppi,
                                        uncorrected_note)
from forumminer.summary.report import summarize, to_markdown
from forumminer.summary.sampling import read_gold, sample
from forumminer.summary.trends import trends

ONE_HOT = np.eye(len(LABELS))
TEXTS = ("العميل دائما على حق في المتجر", "للبائع حدود أيضا ولا يقبل الإهانة", "همیشه حق با مشتری نیست",
         "خدمات خوب و قیمت مناسب می‌خواهیم")


def labeled_table(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """A labeled table whose model over-predicts balanced: ``truth`` holds the real stance."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(len(LABELS), size=n, p=[0.3, 0.1, 0.3, 0.3])
    scores = 2.0 * ONE_HOT[truth] + rng.normal(0, 1, (n, len(LABELS)))
    scores[:, 1] += 1.0  # the model's bias towards balanced
    proba = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    table = pd.DataFrame({"doc_id": [f"d{i // 4}" for i in range(n)], "passage_id": [f"d{i // 4}#{i % 4}" for i in range(n)],
                          "text": [TEXTS[i % len(TEXTS)] for i in range(n)], "lang": np.where(np.arange(n) % 2, "ar", "fa"),
                          "stance": np.array(LABELS, dtype=object)[proba.argmax(axis=1)], "skip_reason": "",
                          "date": [f"202{i % 2 + 3}-0{i % 3 + 1}-15" for i in range(n)], "truth": np.array(LABELS)[truth]})
    for i, label in enumerate(LABELS):
        table[f"p_{label}"] = proba[:, i]
    return table


def filled(sheet: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The sheet with its gold column filled in with the true stances (a perfect labeler)."""
    return sheet.assign(gold=table.set_index("passage_id").loc[sheet["passage_id"], "truth"].to_numpy())


# --- the estimator, against hand-computed values ------------------------------------------------

def test_ppi_mean_matches_hand_computed_shares_and_standard_errors() -> None:
    gold = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    seen = np.array([[.9, .1], [.2, .8], [.6, .4], [.5, .5]])
    everything = np.vstack([seen, [[.7, .3], [.3, .7]]])
    result = ppi_mean(gold, seen, everything, lam=0.5)
    # share = 0.5 * mean(.9 .2 .6 .5 .7 .3) + mean(1-.45, 0-.1, 1-.3, 0-.25) = 0.5 * 3.2/6 + 0.9/4
    assert result.share[0] == pytest.approx(0.5 * 3.2 / 6 + 0.9 / 4)
    # variance = var(.45 .1 .3 .25 .35 .15; n-1) / 6 + var(.55 -.1 .7 -.25; n-1) / 4
    #          = (0.083333 / 5) / 6 + (0.6625 / 3) / 4
    assert result.se[0] == pytest.approx(np.sqrt(0.0833333 / 5 / 6 + 0.6625 / 3 / 4), rel=1e-5)
    assert result.share.sum() == pytest.approx(1.0)


def test_lambda_zero_is_the_estimate_from_hand_labels_alone() -> None:
    gold = ONE_HOT[[0, 2, 2, 3, 1]]
    result = ppi_mean(gold, np.full((5, 4), 0.25), np.random.default_rng(0).dirichlet(np.ones(4), 50), lam=0.0)
    assert result.share.tolist() == pytest.approx([0.2, 0.2, 0.4, 0.2])
    assert result.se[2] == pytest.approx(np.sqrt(0.4 * 0.6 * 5 / 4 / 5))


def test_power_tuned_lambda_follows_the_ppi_plus_plus_formula() -> None:
    gold = ONE_HOT[[0, 1, 0, 1]][:, :2]
    # covariance summed over columns: 4 * 0.25 * 2 / 4 = 0.5; pooled variance: 2 * 0.25 * 104/103; 1 + n/N = 1.04
    assert power_tuned_lambda(gold, gold, np.eye(2)[[0, 1] * 50]) == pytest.approx(0.5 / (1.04 * 0.5 * 104 / 103))


def test_predictions_unrelated_to_the_labels_fall_back_to_the_labels() -> None:
    rng = np.random.default_rng(1)
    gold, noise = ONE_HOT[rng.integers(0, 4, 400)], rng.dirichlet(np.ones(4), 1400)
    tuned = ppi_mean(gold, noise[:400], noise)
    assert tuned.lam < 0.2
    assert (tuned.se ** 2).sum() <= (ppi_mean(gold, noise[:400], noise, lam=1.0).se ** 2).sum()


def test_strata_are_weighted_by_their_size_and_need_two_gold_passages() -> None:
    proba = np.full((10, 4), 0.25)
    labels = np.array([0, 0, -1, -1, -1, -1, -1, -1, 2, 2])
    strata = np.array(["a"] * 2 + ["b"] * 8)
    result = stratified_ppi(proba, labels, strata)
    # constant predictions carry no information: lambda 0, each stratum's share is its gold labels' share
    assert result is not None and result.lam == 0
    assert result.share.tolist() == pytest.approx([0.2 * 1 + 0.8 * 0, 0, 0.2 * 0 + 0.8 * 1, 0])
    assert stratified_ppi(proba, np.array([0] + [-1] * 7 + [2, 2]), strata) is None


def test_corrected_shares_beat_the_model_counts_on_a_biased_model() -> None:
    table = labeled_table()
    truth = table["truth"].value_counts(normalize=True).reindex(LABELS).to_numpy()
    counted = table["stance"].value_counts(normalize=True).reindex(LABELS, fill_value=0).to_numpy()
    summary = summarize(table, gold=filled(sample(table, 100, seed=3), table))
    corrected = np.array([c.share for c in summary.groups[0].corrected])
    assert np.abs(corrected - truth).mean() < np.abs(counted - truth).mean() / 2
    assert all(c.low <= t <= c.high for c, t in zip(summary.groups[0].corrected, truth))
    assert summary.groups[0].n_gold == 100


# --- sheets ---------------------------------------------------------------------------------------

def test_sample_draws_n_per_group_reproducibly_and_records_its_strategy() -> None:
    table = labeled_table()
    sheet = sample(table, 30, by="lang", seed=5)
    assert sheet["lang"].value_counts().to_dict() == {"ar": 30, "fa": 30}
    assert sheet.equals(sample(table, 30, by="lang", seed=5))
    assert not sheet.equals(sample(table, 30, by="lang", seed=6))
    assert set(sheet["gold"]) == {""} and set(sheet["strategy"]) == {"random"} and set(sheet["stratified_by"]) == {"lang"}


def test_uncertain_sample_takes_the_passages_the_model_hesitates_on() -> None:
    table = labeled_table()
    sheet = sample(table, 20, strategy="uncertain")
    top2 = np.sort(table[[f"p_{label}" for label in LABELS]].to_numpy(), axis=1)[:, -2:]
    margin = pd.Series(top2[:, 1] - top2[:, 0], index=table["passage_id"])
    assert margin[sheet["passage_id"]].max() <= margin.drop(sheet["passage_id"]).min()


def test_skipped_passages_are_never_drawn() -> None:
    table = labeled_table(40)
    table.loc[:29, "skip_reason"] = "not Arabic or Persian text"
    with pytest.warns(ForumminerWarning, match="only 10 labeled passages; the sheet has all of them"):
        sheet = sample(table, 20)
    assert sorted(sheet["passage_id"]) == sorted(table["passage_id"][30:])


def test_uncertain_sheet_is_refused_for_estimation() -> None:
    table = labeled_table()
    sheet = filled(sample(table, 20, strategy="uncertain"), table)
    with pytest.raises(InputError, match="^the gold sheet: the sheet was drawn with --strategy uncertain, which is "
                                         r"for training; estimates need a random sample \(forumminer sample "
                                         r"--strategy random\).$"):
        summarize(table, gold=sheet)
    assert len(read_gold(sheet, for_estimation=False).labels) == 20


def test_a_wrong_gold_label_names_its_row() -> None:
    table = labeled_table()
    sheet = filled(sample(table, 5), table)
    sheet.loc[3, "gold"] = "agree"
    passage = re.escape(str(sheet.loc[3, "passage_id"]))
    with pytest.raises(InputError, match=f"^the gold sheet, row 4 \\(passage {passage}\\): gold label 'agree' is not one of"):
        read_gold(sheet)


def test_a_wrong_gold_label_in_a_csv_sheet_names_the_line_a_spreadsheet_shows(tmp_path: Path) -> None:
    table = labeled_table()
    sheet = filled(sample(table, 5), table)
    sheet.loc[3, "gold"] = "agree"
    path = tmp_path / "sheet.csv"
    sheet.to_csv(path, index=False)
    passage = re.escape(str(sheet.loc[3, "passage_id"]))
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}, line 5 \\(passage {passage}\\): gold label 'agree' is not one of"):
        read_gold(path)


def test_unlabeled_rows_are_left_out_with_a_warning() -> None:
    table = labeled_table()
    sheet = filled(sample(table, 10), table)
    sheet.loc[[2, 7], "gold"] = ""
    with pytest.warns(ForumminerWarning, match="2 rows without a gold label are left out"):
        assert len(read_gold(sheet).labels) == 8


# --- reports and trends ---------------------------------------------------------------------------

def test_report_without_gold_says_shares_are_uncorrected_with_measured_errors() -> None:
    text = to_markdown(summarize(labeled_table(40)))
    assert "These shares are uncorrected counts of the model's labels" in text
    assert "percentage points on average" in text and "Corrected share" not in text
    assert uncorrected_note("default") in text


@pytest.mark.parametrize("mode", ["default", "accurate"])
def test_the_uncorrected_note_quotes_the_share_errors_measured_for_its_mode(mode: str) -> None:
    errors = MEASURED_SHARE_ERRORS[mode]
    note = uncorrected_note(mode)
    for lang, name in (("ar", "Arabic"), ("fa", "Persian")):
        mean = 100 * np.mean([abs(model - hand) for model, hand in errors[lang].values()])
        assert f"off by {mean:.0f} ({name})" in note or f"and {mean:.0f} ({name})" in note
        label, (model, hand) = max(errors[lang].items(), key=lambda item: abs(item[1][0] - item[1][1]))
        assert f"{name} {label} {model:.0%} by the model, {hand:.0%} by hand" in note
    assert ("accurate mode's shares" in note) == (mode == "accurate")


def test_report_with_gold_has_corrected_columns_per_group() -> None:
    table = labeled_table()
    text = to_markdown(summarize(table, by="lang", gold=filled(sample(table, 40, by="lang"), table)))
    assert "| Stance | Passages | Share | 95% interval | Corrected share | 95% interval (with model error) |" in text
    assert text.count("40 labeled by hand.") == 2


def test_trends_carry_intervals_and_corrections_per_period() -> None:
    table = labeled_table()
    plain = trends(table, freq="Y")
    assert {"low", "high", "small_n"} <= set(plain.columns)
    assert ((plain["low"] <= plain["share"]) & (plain["share"] <= plain["high"])).all()
    gold = filled(sample(table, 60, seed=2), table)
    corrected = trends(table, freq="Y", gold=gold)
    assert corrected.groupby("period")["n_gold"].first().sum() == 60
    assert corrected.groupby("period")["corrected_share"].sum().to_numpy() == pytest.approx([1.0, 1.0], abs=1e-9)
    few = trends(table, freq="Y", gold=gold.iloc[:14])
    assert few["small_n"].any()


# --- command line -----------------------------------------------------------------------------------

def test_cli_sample_then_summarize_with_gold(tmp_path: Path) -> None:
    table = labeled_table()
    table.to_csv(tmp_path / "labeled.csv", index=False)
    runner = CliRunner()
    result = runner.invoke(main, ["sample", str(tmp_path / "labeled.csv"), "-n", "25", "--by", "lang",
                                  "-o", str(tmp_path / "sheet.csv")])
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "sheet.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfpassage_id,doc_id,lang,text,gold,strategy,stratified_by\n")
    assert "boundary_setting" in (tmp_path / "sheet.labels.csv").read_text(encoding="utf-8-sig")
    sheet = pd.read_csv(tmp_path / "sheet.csv", encoding="utf-8-sig", keep_default_na=False)
    filled(sheet, table).to_csv(tmp_path / "sheet.csv", index=False, encoding="utf-8-sig")
    result = runner.invoke(main, ["summarize", str(tmp_path / "labeled.csv"), "--gold", str(tmp_path / "sheet.csv"),
                                  "-o", str(tmp_path / "summary.md")])
    assert result.exit_code == 0, result.output
    assert "Corrected share" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    result = runner.invoke(main, ["trends", str(tmp_path / "labeled.csv"), "--freq", "Y", "--gold",
                                  str(tmp_path / "sheet.csv"), "-o", str(tmp_path / "trends.csv")])
    assert result.exit_code == 0, result.output
    assert "corrected_low" in pd.read_csv(tmp_path / "trends.csv").columns


def test_cli_refuses_an_uncertain_sheet_with_one_line(tmp_path: Path) -> None:
    table = labeled_table()
    table.to_csv(tmp_path / "labeled.csv", index=False)
    filled(sample(table, 10, strategy="uncertain"), table).to_csv(tmp_path / "sheet.csv", index=False)
    result = CliRunner().invoke(main, ["summarize", str(tmp_path / "labeled.csv"), "--gold", str(tmp_path / "sheet.csv"),
                                       "-o", str(tmp_path / "s.md")])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'sheet.csv'}: the sheet was drawn with --strategy uncertain, which is "
                             "for training; estimates need a random sample (forumminer sample --strategy random).\n")


def test_json_and_html_carry_the_corrected_shares() -> None:
    import json

    from forumminer.summary.report import to_html, to_json

    table = labeled_table()
    summary = summarize(table, gold=filled(sample(table, 50, seed=4), table))
    group = json.loads(to_json(summary))["groups"][0]
    assert [c["stance"] for c in group["corrected"]] == list(LABELS) and group["n_gold"] == 50
    assert "<th>95% interval (with model error)</th>" in to_html(summary)


def test_chart_draws_an_error_bar_per_stance_and_pales_small_periods() -> None:
    from matplotlib.container import ErrorbarContainer

    from forumminer.summary.plots import plot_trends

    table = labeled_table()
    figure = plot_trends(trends(table, freq="Y", gold=filled(sample(table, 12, seed=1), table)))
    shares_axes = figure.axes[0]
    assert sum(isinstance(c, ErrorbarContainer) for c in shares_axes.containers) == len(LABELS)
    assert shares_axes.get_ylabel() == "Corrected share"
    assert {round(p.get_alpha(), 2) for p in shares_axes.patches} == {0.35}  # about 6 hand labels a year: small n
