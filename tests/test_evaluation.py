from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from forumminer.cli import main
from forumminer.errors import InputError
from forumminer.stance.training import bootstrap_interval, confusion_matrix, evaluate, score_predictions

C, B, S, N = "customer_always_right", "balanced", "boundary_setting", "none"


def test_scores_match_a_hand_computed_confusion_matrix() -> None:
    gold = [C, C, C, B, B, S, S, S, S, N, N, N]
    pred = [C, C, B, B, N, S, S, S, C, N, N, S]
    # rows gold, columns predicted, order C B S N
    assert confusion_matrix(np.array(gold), np.array(pred)).tolist() == [
        [2, 1, 0, 0],
        [0, 1, 0, 1],
        [1, 0, 3, 0],
        [0, 0, 1, 2],
    ]
    result = score_predictions(np.array(gold), np.array(pred), n_bootstrap=200)
    f1 = result.report.set_index("label")["f1"]
    # C: P=2/3 R=2/3 -> 2/3; B: P=1/2 R=1/2 -> 1/2; S: P=3/4 R=3/4 -> 3/4; N: P=2/3 R=2/3 -> 2/3
    assert f1[C] == pytest.approx(2 / 3)
    assert f1[B] == pytest.approx(1 / 2)
    assert f1[S] == pytest.approx(3 / 4)
    assert f1[N] == pytest.approx(2 / 3)
    scores = result.scores()
    assert scores["stance_macro_f1"] == pytest.approx(round((2 / 3 + 1 / 2 + 3 / 4) / 3, 4))
    assert scores["all"]["none_f1"] == pytest.approx(round(2 / 3, 4))


def test_label_never_predicted_scores_zero_not_an_error() -> None:
    gold = np.array([C, B, S, N])
    pred = np.array([N, N, N, N])
    scores = score_predictions(gold, pred, n_bootstrap=50).scores()
    assert scores["stance_macro_f1"] == 0.0
    assert scores["all"]["none_f1"] == pytest.approx(2 * 0.25 * 1 / 1.25)


def test_per_language_scopes() -> None:
    gold = np.array([C, C, S, S])
    pred = np.array([C, C, C, S])
    langs = np.array(["ar", "ar", "fa", "fa"])
    scores = score_predictions(gold, pred, langs, n_bootstrap=50).scores()
    assert set(scores) >= {"all", "ar", "fa"}
    assert scores["ar"]["n"] == 2 and scores["fa"]["n"] == 2


def test_bootstrap_interval_is_deterministic_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(1)
    labels = np.array([C, B, S, N])
    gold = labels[rng.integers(0, 4, 300)]
    pred = np.where(rng.random(300) < 0.7, gold, labels[rng.integers(0, 4, 300)])
    low, high = bootstrap_interval(gold, pred, seed=3)
    point = score_predictions(gold, pred, n_bootstrap=10).scores()["stance_macro_f1"]
    assert low < point < high
    assert (low, high) == bootstrap_interval(gold, pred, seed=3)


def test_evaluate_a_model_on_a_labeled_file_and_from_the_cli(tmp_path: Path, quick_model) -> None:
    data = tmp_path / "gold.csv"
    pd.DataFrame({
        "body": ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا على الموضوع", "بستگی داره، نسبیه"],
        "stance": [C, S, N, B],
    }).to_csv(data, index=False)
    result = evaluate(data, model=quick_model, text_col="body", label_col="stance", n_bootstrap=50)
    assert result.n == 4
    assert result.confusion.values.sum() == 4
    model_path = tmp_path / "m.npz"
    from forumminer.stance.model import save_model

    save_model(quick_model, model_path)
    out = CliRunner().invoke(main, ["evaluate", str(data), "--model", str(model_path), "--text-col", "body",
                                    "--label-col", "stance", "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["all"]["n"] == 4
    assert len(payload["confusion"]["matrix"]) == 4


def test_bad_label_names_its_row(tmp_path: Path) -> None:
    data = tmp_path / "gold.csv"
    pd.DataFrame({"text": ["a", "b"], "label": [N, "neutral"]}).to_csv(data, index=False)
    out = CliRunner().invoke(main, ["evaluate", str(data)])
    assert out.exit_code == 1
    assert out.stderr == (f"Error: {data}: row 2 has label 'neutral'; labels must be one of "
                          "customer_always_right, balanced, boundary_setting, none.\n")


def _pages_of_repeated_lines(n_pages: int = 32, lines_per_page: int = 4) -> pd.DataFrame:
    """Pages whose lines repeat one page-specific made-up sentence, one label per page: a model can
    only score above chance on a page by having seen its other lines."""
    rng = np.random.default_rng(0)
    letters = np.array(list("بتثجحخدذرزسشصضطظعغفقكلمنهوي"))
    labels = [C, B, S, N]
    rows = []
    for page in range(n_pages):
        sentence = " ".join("".join(rng.choice(letters, 6)) for _ in range(8))
        rows += [{"doc": f"page{page}", "text": sentence, "label": labels[page % 4]}] * lines_per_page
    return pd.DataFrame(rows)


def test_cross_validation_grouped_by_page_keeps_a_page_out_of_its_own_training(tmp_path: Path) -> None:
    from forumminer.stance.model import StanceClassifier

    pages = _pages_of_repeated_lines()
    model = StanceClassifier(calibrate=False)
    leaky = evaluate(pages, model=model, cv=4, n_bootstrap=20).scores()["stance_macro_f1"]
    grouped = evaluate(pages, model=model, cv=4, group_col="doc", n_bootstrap=20).scores()["stance_macro_f1"]
    assert leaky > 0.95  # each line's copies were in the training folds
    assert grouped < 0.5  # no page was: made-up sentences carry no stance
    data = tmp_path / "pages.csv"
    pages.to_csv(data, index=False)
    out = CliRunner().invoke(main, ["evaluate", str(data), "--cv", "4", "--group-col", "doc", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["stance_macro_f1"] == pytest.approx(grouped)


def test_grouping_by_a_missing_column_names_the_columns() -> None:
    with pytest.raises(InputError, match="no column 'page' to group cross-validation folds by. Columns are: "):
        evaluate(_pages_of_repeated_lines(8), cv=2, group_col="page")


def test_group_col_without_cv_is_a_usage_error(tmp_path: Path) -> None:
    data = tmp_path / "pages.csv"
    _pages_of_repeated_lines(8).to_csv(data, index=False)
    out = CliRunner().invoke(main, ["evaluate", str(data), "--group-col", "doc"])
    assert out.exit_code == 2
    assert "--group-col only applies with --cv." in out.output


def test_rows_without_a_group_are_groups_of_their_own_even_with_a_repeated_index() -> None:
    from forumminer.stance.training import _groups

    frame = pd.DataFrame({"doc": ["a", None, "a", " ", "b"]}, index=[0, 5, 0, 5, 1])
    groups = _groups(frame, "doc")
    assert groups[0] == groups[2]
    assert len(set(groups)) == 4  # a, b, and the two rows with no page


def test_coverage_curve_keeps_the_most_confident_passages() -> None:
    from forumminer.stance.training import coverage_curve

    gold = np.array([C, C, S, N, B, N, S, C, B, N], dtype=object)
    predicted = np.array([C, C, S, N, B, C, B, N, C, N], dtype=object)  # the four least confident are wrong
    confidence = np.array([0.9, 0.95, 0.8, 0.85, 0.7, 0.3, 0.4, 0.35, 0.45, 0.75])
    curve = coverage_curve(gold, predicted, confidence, coverages=(1.0, 0.6))
    assert curve["kept"].tolist() == [10, 6]
    assert curve["precision"].tolist() == [0.6, 1.0]
    assert curve["min_confidence"].tolist() == [0.3, 0.7]
    assert curve["stance_precision"].tolist() == [4 / 7, 1.0]


def test_evaluate_prints_the_coverage_precision_curve(tmp_path: Path) -> None:
    data = tmp_path / "gold.csv"
    pd.DataFrame({"text": ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه",
                           "شكرا على الموضوع", "بستگی داره، نسبیه"], "label": [C, S, N, B]}).to_csv(data, index=False)
    out = CliRunner().invoke(main, ["evaluate", str(data)])
    assert out.exit_code == 0, out.output
    assert "coverage/precision (keeping only the most confident passages)" in out.output
    payload = json.loads(CliRunner().invoke(main, ["evaluate", str(data), "--json"]).output)
    assert [row["kept"] for row in payload["coverage_curve"]] == [4, 4, 3, 3, 2, 2]
