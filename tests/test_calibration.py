from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import f1_score

from forumminer.stance.calibration import (BIAS_GRID, WEIGHT_GRID, ConfidenceCalibration, apply_biases,
                                           cross_validated_confidence, cross_validated_predictions, fit_class_biases,
                                           fit_confidence_calibration, fit_default_weight, fit_gate_bias, mean_f1)
from forumminer.stance.encoder import none_log_odds, two_decision_labels, two_decisions

RNG = np.random.default_rng(0)


def test_mean_f1_is_the_macro_f1_of_the_four_labels() -> None:
    gold, predicted = RNG.integers(0, 4, 200), RNG.integers(0, 4, 200)
    assert mean_f1(gold, predicted)[0] == f1_score(gold, predicted, average="macro", labels=[0, 1, 2, 3])


def test_biases_undo_a_shift_towards_one_label() -> None:
    # A model that over-predicts label 1 by a constant margin: the fitted bias takes it back.
    gold = np.repeat(np.arange(4), 50)
    log_proba = np.log(np.full((200, 4), 0.1)) + 1.5 * np.eye(4)[gold] + RNG.normal(0, 0.3, (200, 4))
    log_proba[:, 1] += 2.0
    before = mean_f1(gold, log_proba.argmax(axis=1))[0]
    biases = fit_class_biases(log_proba, gold)
    assert biases[3] == 0.0 and set(biases) <= set(BIAS_GRID)
    assert biases[1] <= -1.25
    assert mean_f1(gold, (log_proba + biases).argmax(axis=1))[0] > before + 0.3


@given(arrays(np.float64, (5, 4), elements=st.floats(-20, 0)), arrays(np.float64, 4, elements=st.floats(-2, 2)))
def test_biased_probabilities_are_probabilities(log_proba: np.ndarray, biases: np.ndarray) -> None:
    proba = apply_biases(log_proba, biases)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba >= 0).all()


def test_gate_bias_undoes_a_gate_that_says_none_too_often() -> None:
    # The default model knows the stances; the gate's log-odds of none are right but 1.5 too high.
    gold = np.repeat(np.arange(4), 50)
    base = np.full((200, 4), 0.1) + 0.6 * np.eye(4)[gold]
    log_odds = np.where(gold == 3, 1.0, -1.0) + RNG.normal(0, 0.3, 200) + 1.5
    assert mean_f1(gold, two_decision_labels(two_decisions(base, log_odds)))[0] < 0.5
    bias = fit_gate_bias(base, log_odds, gold)
    assert bias in set(BIAS_GRID) and -2.0 <= bias <= -1.0
    assert mean_f1(gold, two_decision_labels(two_decisions(base, log_odds + bias)))[0] > 0.95


def test_default_weight_joins_the_default_model_s_evidence_of_none_where_the_gate_misses_it() -> None:
    # The gate sees none in half the none passages only; the default model's log-odds see all of them.
    gold = np.repeat(np.arange(4), 50)
    base = np.full((200, 4), 0.1) + 0.6 * np.eye(4)[gold]
    is_none = gold == 3
    gate = np.where(is_none & (np.arange(200) % 2 == 0), 1.0, -1.0)
    default = np.where(is_none, 1.5, -1.5) + RNG.normal(0, 0.3, 200)
    weight = fit_default_weight(base, gate, default, gold)
    assert weight in WEIGHT_GRID and weight > 0
    assert (mean_f1(gold, two_decision_labels(two_decisions(base, gate + weight * default))))[0] > (
        mean_f1(gold, two_decision_labels(two_decisions(base, gate)))[0] + 0.1)
    assert fit_default_weight(base, np.where(is_none, 2.0, -2.0), RNG.normal(0, 3, 200), gold) == 0.0


@given(arrays(np.float64, (5, 4), elements=st.floats(-20, 0)))
def test_the_log_odds_of_none_are_those_of_none_against_the_three_stances_together(log_proba: np.ndarray) -> None:
    proba = apply_biases(log_proba, np.zeros(4))
    none = proba[:, 3]
    np.testing.assert_allclose(none_log_odds(proba), np.log(none) - np.log(1 - none), atol=1e-6)


@given(arrays(np.float64, (5, 4), elements=st.floats(0.001, 1)), arrays(np.float64, 5, elements=st.floats(-30, 30)))
def test_two_decisions_give_probabilities_with_the_gate_s_none(base: np.ndarray, log_odds: np.ndarray) -> None:
    proba = two_decisions(base, log_odds)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba[:, 3], 1 / (1 + np.exp(-log_odds)))
    stance_order = np.argsort(base[:, :3], axis=1, kind="stable")
    np.testing.assert_array_equal(np.argsort(proba[:, :3], axis=1, kind="stable")[proba[:, 3] < 1], stance_order[proba[:, 3] < 1])


@given(arrays(np.float64, (5, 4), elements=st.floats(0.001, 1)), arrays(np.float64, 5, elements=st.floats(-30, 30)))
def test_two_decisions_label_none_only_when_the_gate_gives_it_half_or_more(base: np.ndarray,
                                                                             log_odds: np.ndarray) -> None:
    proba = two_decisions(base, log_odds)
    codes = two_decision_labels(proba)
    np.testing.assert_array_equal(codes == 3, proba[:, 3] >= 0.5)
    argues = codes != 3
    np.testing.assert_array_equal(codes[argues], np.argmax(base[argues, :3], axis=1))


def test_two_decisions_label_a_stance_where_the_stances_split_the_larger_half() -> None:
    # P(none) 0.4 is the largest single probability, but the passage argues: 0.6 against 0.4.
    proba = two_decisions(np.array([[0.3, 0.2, 0.1, 0.4]]), np.log(np.array([0.4 / 0.6])))
    assert proba.argmax() == 3
    assert two_decision_labels(proba).tolist() == [0]


def test_cross_validation_never_fits_on_a_group_it_scores() -> None:
    gold = np.tile(np.arange(4), 25)
    groups = np.repeat(np.arange(20), 5)
    seen: list[tuple[set[int], set[int]]] = []

    def fit_and_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        seen.append((set(groups[train]), set(groups[test])))
        return np.full((len(test), 4), 0.25)

    proba = cross_validated_predictions(fit_and_predict, gold, groups)
    assert len(seen) == 5 and all(not (train & test) for train, test in seen)
    assert set().union(*(test for _, test in seen)) == set(range(20))
    np.testing.assert_allclose(proba, 0.25)


def over_trusted_balanced(n: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probabilities whose labels are right as often as their probability says, except ``balanced``
    (code 1), whose odds of being right are a fifth of what it says: label codes, probabilities, gold codes."""
    from scipy.special import expit, logit

    codes = RNG.integers(0, 4, n)
    chosen = RNG.uniform(0.3, 0.99, n)
    proba = np.tile(((1 - chosen) / 3)[:, None], (1, 4))
    proba[np.arange(n), codes] = chosen
    right = RNG.uniform(size=n) < expit(logit(chosen) - np.where(codes == 1, np.log(5), 0.0))
    gold = np.where(right, codes, (codes + 1) % 4)
    return codes, proba, gold


def test_confidence_calibration_finds_the_label_the_model_over_trusts() -> None:
    codes, proba, gold = over_trusted_balanced()
    calibration = fit_confidence_calibration(proba, codes, gold)
    assert 0.7 < calibration.slope < 1.3
    assert calibration.offsets[1] < min(calibration.offsets[[0, 2, 3]]) - 1.0
    confidence = calibration.apply(proba, codes)
    # calibrated: among the passages it calls 60-80% sure of, about that share is right, in every label
    for code in range(4):
        band = (codes == code) & (confidence > 0.6) & (confidence < 0.8)
        assert abs((gold[band] == code).mean() - confidence[band].mean()) < 0.1
    # and the most confident 70% are right more often than by the label's probability alone
    def precision_of_top(scores: np.ndarray) -> float:
        top = np.argsort(-scores)[:int(0.7 * len(scores))]
        return float((gold[top] == codes[top]).mean())
    assert precision_of_top(confidence) > precision_of_top(proba[np.arange(len(codes)), codes]) + 0.02


@given(arrays(np.float64, 6, elements=st.floats(0.01, 0.99)), st.floats(0.05, 3.0),
       arrays(np.float64, 4, elements=st.floats(-3, 3)))
def test_calibrated_confidence_is_a_probability_that_grows_with_the_label_s(chosen: np.ndarray, slope: float,
                                                                          offsets: np.ndarray) -> None:
    proba = np.column_stack([chosen, (1 - chosen) / 3, (1 - chosen) / 3, (1 - chosen) / 3])
    codes = np.zeros(len(chosen), dtype=int)
    confidence = ConfidenceCalibration(slope, offsets).apply(proba, codes)
    assert ((confidence >= 0) & (confidence <= 1)).all()
    order = np.argsort(chosen, kind="stable")
    assert (np.diff(confidence[order]) >= -1e-12).all()
    stored = ConfidenceCalibration.from_dict(ConfidenceCalibration(slope, offsets).to_dict())
    np.testing.assert_array_equal(stored.apply(proba, codes), confidence)


def test_cross_validated_confidence_never_calibrates_on_a_group_it_scores() -> None:
    codes, proba, gold = over_trusted_balanced(400)
    groups = np.repeat(np.arange(80), 5)
    fits: list[set[int]] = []

    def fit_and_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        fits.append(set(groups[train]))
        return proba[test]

    outer, confidence = cross_validated_confidence(fit_and_predict, lambda p: p.argmax(axis=1), gold, groups)
    np.testing.assert_array_equal(outer, cross_validated_predictions(fit_and_predict, gold, groups))
    # each outer fold: 5 inner fits on its training groups, then one on all of them
    assert len(fits) == 5 * 6 + 5
    scored = [set(groups[test]) for _, test in zip(range(5), _outer_tests(gold, groups))]
    for fold, test_groups in enumerate(scored):
        assert all(not (fit & test_groups) for fit in fits[fold * 6:(fold + 1) * 6])
    assert ((confidence > 0) & (confidence < 1)).all()


def _outer_tests(gold: np.ndarray, groups: np.ndarray) -> list[np.ndarray]:
    from sklearn.model_selection import StratifiedGroupKFold

    return [test for _, test in StratifiedGroupKFold(5, shuffle=True, random_state=0).split(gold, gold, groups)]
