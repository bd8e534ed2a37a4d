"""The fast labeling path gives exactly what the plain computation gives.

Each fast step (term counting, cue pre-filter, cue selection, document level, worker processes) is
compared with the straightforward computation it replaces, recomputed here with the shipped model
on the sample corpus and a slice of the training corpus: nothing is hard-coded, so retraining the
model keeps these tests meaningful.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

import forumminer
from forumminer.io.readers import read_corpus
from forumminer.stance import LABELS, STANCES
from forumminer.stance.features import feature_text, fold_letters
from forumminer.stance.labeling import OTHER_LANGUAGE, PROBABILITY_COLUMNS, iter_label
from forumminer.stance.linear import _display_name, _is_readable, load_linear_model
from forumminer.stance.model import StanceClassifier, load_model
from forumminer.stance.training import read_labeled
from forumminer.text._resources import without_markup
from forumminer.text.normalize import normalize
from forumminer.text.passages import passage_spans, passages

from .conftest import SAMPLE, STANCE_CORPUS


@pytest.fixture(scope="module")
def model() -> StanceClassifier:
    return load_model()


def test_term_counts_equal_scikit_learns(model: StanceClassifier, corpus_texts: list[str]) -> None:
    prepared = [feature_text(t) for t in corpus_texts]
    for name, vectorizer in model.features_.transformer_list[:2]:
        fast = sparse.csr_matrix(vectorizer.transform(prepared))
        plain = sparse.csr_matrix(TfidfVectorizer.transform(vectorizer, prepared))
        assert fast.shape == plain.shape, name
        for attribute in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(fast, attribute), getattr(plain, attribute)), (name, attribute)


def _plain_predict_with_cues(model: StanceClassifier, texts: list[str], n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
    """Probabilities and cues computed row by row, every feature name checked on every row."""
    from scipy.special import softmax

    from forumminer.stance.features import surface_forms

    normalized = [normalize(without_markup(t)) for t in texts]
    matrix = model.features_.transform([fold_letters(n) for n in normalized])
    proba = softmax(model.classifier_.decision_function(matrix) / model.temperature_ + model.class_bias_, axis=1)
    names = model.features_.get_feature_names_out()
    readable = np.array([_is_readable(name) for name in names])
    coef = model.classifier_.coef_
    weights = coef - (coef.sum(axis=0, keepdims=True) - coef) / (len(coef) - 1)
    cues = []
    for text, row, predicted in zip(normalized, sparse.csr_matrix(matrix), np.argmax(proba, axis=1)):
        contribution = row.data * weights[predicted, row.indices]
        positive = [i for i in np.argsort(-contribution, kind="stable") if contribution[i] > 0]
        chosen = [i for i in positive if readable[row.indices[i]]][:n_cues] or positive[:n_cues]
        spelled = surface_forms(text)
        cues.append([_display_name(names[row.indices[i]], spelled) for i in chosen])
    return proba, cues


def test_probabilities_and_cues_equal_the_row_by_row_computation(model: StanceClassifier, corpus_texts: list[str]) -> None:
    fast_proba, fast_cues = model.predict_with_cues(corpus_texts)
    plain_proba, plain_cues = _plain_predict_with_cues(model, corpus_texts)
    assert np.array_equal(fast_proba, plain_proba)
    assert fast_cues == plain_cues


def test_a_freshly_fitted_model_shows_the_cues_of_the_row_by_row_computation(corpus_texts: list[str]) -> None:
    # scikit-learn's vocabulary lists terms in the order it met them, not in column order
    training = read_labeled(STANCE_CORPUS).iloc[::5]
    fitted = StanceClassifier(calibrate=False).fit(training["text"].tolist(), training["label"].tolist())
    vocabulary = fitted.features_.transformer_list[0][1].vocabulary_
    assert list(vocabulary.values()) != sorted(vocabulary.values())
    proba, cues = fitted.predict_with_cues(corpus_texts)
    plain_proba, plain_cues = _plain_predict_with_cues(fitted, corpus_texts)
    assert np.array_equal(proba, plain_proba)
    assert cues == plain_cues


def test_the_model_file_labels_without_scikit_learn_exactly_as_the_classifier(model: StanceClassifier,
                                                                             corpus_texts: list[str]) -> None:
    linear = load_linear_model()
    assert np.array_equal(linear.predict_proba(corpus_texts), model.predict_proba(corpus_texts))
    proba, cues = linear.predict_with_cues(corpus_texts)
    plain_proba, plain_cues = _plain_predict_with_cues(model, corpus_texts)
    assert np.array_equal(proba, plain_proba)
    assert cues == plain_cues


def test_labeling_imports_neither_scikit_learn_nor_its_model_code() -> None:
    """Importing scikit-learn took about a second of every run's start (one-line inputs included)."""
    import subprocess
    import sys

    code = ("import sys, forumminer; forumminer.label(['العميل ليس دائما على حق', 'مشتری همیشه حق ندارد']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn' or m in "
            "('forumminer.stance.model', 'forumminer.stance.vectorizers')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _plain_document_row(group: pd.DataFrame) -> dict[str, Any]:
    """A document's label from its passages with pandas operations on the group (missing: None)."""
    base = {"doc_id": group["doc_id"].iloc[0], "n_passages": int((group["skip_reason"] != "empty document").sum()),
            "lang": group["lang"].mode().iloc[0]}
    if (group["skip_reason"] == "empty document").all():
        return {**base, "stance": None, "confidence": np.nan, **{c: np.nan for c in PROBABILITY_COLUMNS},
                "cues": None, "skip_reason": "empty document"}
    labeled = group[group["stance"].notna()]
    mean = labeled[PROBABILITY_COLUMNS].mean()
    bearing = labeled[labeled["stance"].isin(STANCES)]
    if bearing.empty:
        stance, confidence, cues = "none", float(mean["p_none"]), labeled["cues"]
    else:
        sums = bearing[PROBABILITY_COLUMNS[:3]].sum()
        stance = STANCES[int(np.argmax(sums.to_numpy()))]
        confidence = float(sums.max() / sums.sum())
        cues = bearing.loc[bearing["stance"] == stance, "cues"]
    other_only = (labeled["skip_reason"] == OTHER_LANGUAGE).all()
    return {**base, "stance": stance, "confidence": confidence, **mean.to_dict(),
            "cues": "; ".join(list(dict.fromkeys(c for cell in cues.dropna() for c in cell.split("; ") if c))[:8])
            or None,
            "skip_reason": OTHER_LANGUAGE if other_only else None}


def _documents() -> pd.DataFrame:
    """The sample corpus, documents of the training corpus, an empty and an English document."""
    sample = read_corpus(SAMPLE)[["doc_id", "text"]]
    training = read_labeled(STANCE_CORPUS)["text"].tolist()[3::11]
    threads = ["\n".join(training[i:i + 9]) for i in range(0, len(training), 9)]
    extra = pd.DataFrame({"doc_id": [f"t{i}" for i in range(len(threads))] + ["empty", "english"],
                          "text": threads + ["", "Nothing here is in Arabic or Persian."]})
    return pd.concat([sample, extra], ignore_index=True)


def test_document_level_equals_the_pandas_group_computation(model: StanceClassifier) -> None:
    documents = _documents()
    by_passage = forumminer.label(documents, id_col="doc_id", model=model)
    plain = pd.DataFrame([_plain_document_row(g) for _, g in by_passage.groupby("doc_id", sort=False)])
    fast = forumminer.label(documents, id_col="doc_id", model=model, level="document")
    pd.testing.assert_frame_equal(fast[plain.columns].reset_index(drop=True), plain, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("level", ["passage", "document"])
def test_two_workers_give_the_rows_of_one(model: StanceClassifier, level: str) -> None:
    documents = _documents()
    one = forumminer.label(documents, id_col="doc_id", model=model, level=level, workers=1)
    parts = list(iter_label(documents, id_col="doc_id", model=model, level=level, workers=2, chunk_documents=4))
    assert len(parts) > 2  # several chunks went to the workers
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), one, check_exact=True)


def test_passages_with_two_workers_are_those_of_one() -> None:
    texts = read_labeled(STANCE_CORPUS)["text"].tolist()
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(1200)],
                              "text": ["\n".join(texts[i:i + 3]) for i in range(0, 3600, 3)]})
    pd.testing.assert_frame_equal(passages(documents, workers=2), passages(documents, workers=1))


WORDS = st.lists(st.text(alphabet="ابپتثجچ", min_size=1, max_size=6), min_size=1, max_size=400)


@settings(max_examples=40, deadline=None)
@given(WORDS, st.integers(min_value=1, max_value=50), st.sampled_from([" ", "  ", " \u200f"]))
def test_text_without_sentence_boundaries_is_cut_at_the_word_limit(words: list[str], max_words: int, space: str) -> None:
    text = space.join(words)
    spans = list(passage_spans(text, max_words=max_words))
    assert all(len(text[s:e].split()) <= max_words for s, e in spans)
    assert [w for s, e in spans for w in text[s:e].split()] == text.split()


def test_no_texts_give_no_rows() -> None:
    proba, cues = load_linear_model().predict_with_cues([])
    assert proba.shape == (0, len(LABELS)) and cues == []
