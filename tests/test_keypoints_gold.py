"""Key points against our written gold standard (corpora/keypoints)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forumminer.summary.keypoints import MATCH_THRESHOLD, MIN_COUNT, key_points, score_key_points

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "keypoints"


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return pd.read_csv(GOLD / "passages.csv", keep_default_na=False)


def test_gold_arguments_and_passages_agree(gold: pd.DataFrame) -> None:
    arguments = pd.read_csv(GOLD / "arguments.csv", keep_default_na=False).set_index("argument")
    made = gold[gold["argument"] != ""]
    assert set(made["argument"]) == set(arguments.index)
    assert (made["stance"] == arguments.loc[made["argument"], "stance"].to_numpy()).all()
    assert all(claim in text for claim, text in zip(made["claim"], made["text"]))
    assert set(arguments["lang"]) == {"ar", "fa"}
    # a key point is made by MIN_COUNT distinct passages or more: each written argument can be one
    assert (made.drop_duplicates("text").groupby("argument").size() >= MIN_COUNT).all()


def test_key_points_find_the_written_arguments(gold: pd.DataFrame) -> None:
    scores = score_key_points(gold)
    assert scores.recall >= 0.70
    assert scores.precision >= 0.80
    assert scores.match_precision >= 0.80


def test_reposts_are_folded_and_never_counted(gold: pd.DataFrame) -> None:
    found = key_points(gold)
    repeated = gold[gold.duplicated("text", keep=False) & (gold["argument"] != "")]
    for (stance, lang), rows in repeated.groupby(["stance", "lang"]):
        coverage = found.coverage[stance][lang]
        copies = len(rows) - rows["text"].nunique()
        assert coverage.duplicates == copies and coverage.n_distinct == coverage.n_passages - copies
        matched = {pid for p in found.points[stance] for pid in p.passage_ids}
        copies_ids = set(rows["passage_id"][rows.duplicated("text")])
        assert not matched & copies_ids, "a folded copy never counts toward a key point"
        assert len(matched & set(rows["passage_id"])) <= rows["text"].nunique()


def test_every_stance_has_key_points_in_both_languages(gold: pd.DataFrame) -> None:
    found = key_points(gold)
    assert all({p.lang for p in points} == {"ar", "fa"} for points in found.points.values())


def test_the_matching_threshold_matches_passages_at_least_as_well_as_its_neighbours(gold: pd.DataFrame) -> None:
    """MATCH_THRESHOLD is chosen by matching F1 on the gold standard (scripts/keypoint_thresholds.py):
    a change to the filters that moves the best threshold must move the shipped one too."""

    def matching_f1(threshold: float) -> float:
        scores = score_key_points(gold, match_threshold=threshold)
        return 2 * scores.match_precision * scores.match_recall / (scores.match_precision + scores.match_recall)

    shipped = matching_f1(MATCH_THRESHOLD)
    assert all(shipped >= matching_f1(MATCH_THRESHOLD + step) for step in (-0.05, 0.05))
