"""Shared fixtures: paths to the bundled corpora and the dev set (skipped when ../shared is absent)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed: a rare counterexample found by chance then shows up
# on a developer's machine (which explores anew each run) instead of failing an unrelated change.
# No per-example deadline: these tests check behaviour, not speed, and a loaded machine (other jobs on
# its cores) made a 200 ms deadline fail examples that are right.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
DEV_SET = ROOT.parent / "shared" / "dev" / "seed_passages.csv"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def dev_rows() -> list[dict[str, str]]:
    """Rows of the labeled dev set; tests using it skip cleanly on a machine without ../shared."""
    if not DEV_SET.exists():
        pytest.skip(f"dev set not found at {DEV_SET}")
    with open(DEV_SET, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


STANCE_CORPUS = ROOT / "corpora" / "stance"


@pytest.fixture(scope="session")
def quick_model():
    """A stance model trained on our corpus without calibration (a few seconds), for tests that
    need any fitted model rather than the shipped one."""
    from forumminer.stance.model import StanceClassifier
    from forumminer.stance.training import read_labeled

    frame = read_labeled(STANCE_CORPUS)
    return StanceClassifier(calibrate=False).fit(frame["text"].tolist(), frame["label"].tolist())


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    """Passages of the sample corpus and every 7th passage of the training corpus: the texts on
    which fast code paths are compared with their plain computation."""
    from forumminer.io.readers import read_corpus
    from forumminer.stance.training import read_labeled
    from forumminer.text.passages import passages

    return passages(read_corpus(SAMPLE))["text"].tolist() + read_labeled(STANCE_CORPUS)["text"].tolist()[::7]


class SureModel:
    """A stance model sure of every text: it argues boundary_setting where it contains
    ``limit_word``, else customer_always_right. Key points then depend on everything but the stance
    model."""

    def __init__(self, limit_word: str | None = None) -> None:
        from forumminer.stance import LABELS

        self.classes_ = np.array(LABELS, dtype=object)
        self.limit_word = limit_word

    def predict_proba(self, X: list[str]) -> np.ndarray:
        limits = [self.limit_word is not None and self.limit_word in text for text in X]
        return np.array([[0.03, 0.03, 0.9, 0.04] if limit else [0.9, 0.03, 0.03, 0.04] for limit in limits])

    def decide(self, proba: np.ndarray) -> np.ndarray:
        return self.classes_[proba.argmax(axis=1)]


@pytest.fixture
def clear_model() -> SureModel:
    """A stance model sure that every text argues customer_always_right."""
    return SureModel()
