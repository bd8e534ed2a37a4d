"""The scikit-learn side of the stance model's features, for training: vectorizers that fit a
vocabulary and the feature union of :class:`~forumminer.stance.model.StanceClassifier`.

Labeling never imports this module (:mod:`forumminer.stance.linear` computes the same features
with NumPy); the n-grams, cues and term counts both use live in :mod:`forumminer.stance.features`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from .features import CharTerms, WordTerms, count_terms, cue_count_matrix, cue_feature_names, feature_tokens


class CueCounter(TransformerMixin, BaseEstimator):
    """Counts the stance cue groups of :mod:`forumminer.stance._cues` and simple form cues
    (question, list item, short heading-like line, length) in prepared texts."""

    def fit(self, texts: Iterable[str], y: Any = None) -> "CueCounter":
        self.n_features_out_ = len(cue_feature_names())
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(cue_count_matrix(list(texts)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array(cue_feature_names(), dtype=object)


class FastTfidfVectorizer(TfidfVectorizer):
    """scikit-learn's TfidfVectorizer (fitted the same way) whose ``transform`` counts terms
    faster and gives the same matrix: character n-grams of a word are looked up in the vocabulary
    once per distinct word (a bounded cache), word n-grams are found from their tokens' numbers,
    and the counts of a batch are gathered with NumPy instead of one dictionary per text.
    :meth:`reference_transform` is scikit-learn's own."""

    _CACHE_WORDS = 200_000

    def transform(self, raw_documents: Iterable[str]) -> Any:
        check_is_fitted(self, msg="The TF-IDF vectorizer is not fitted")
        if self.analyzer not in ("char_wb", "word") or self.binary or self.stop_words is not None:
            return self.reference_transform(raw_documents)
        documents = list(raw_documents)
        indptr, indices, counts = count_terms(self._terms()(documents), len(self.vocabulary_))
        matrix = sparse.csr_matrix((counts.astype(self.dtype), indices, indptr), shape=(len(documents), len(self.vocabulary_)))
        return self._tfidf.transform(matrix, copy=False)

    def _terms(self) -> "CharTerms | WordTerms":
        """What finds the vocabulary's terms in texts, built once for each vocabulary (it is
        replaced when a model is loaded or adapted)."""
        vocabulary, terms = self.__dict__.get("_term_finder", (None, None))
        if vocabulary is not self.vocabulary_:
            terms = (CharTerms(self.vocabulary_, self.ngram_range, self._CACHE_WORDS) if self.analyzer == "char_wb"
                     else WordTerms(self.vocabulary_, self.ngram_range))
            self.__dict__["_term_finder"] = (self.vocabulary_, terms)
        return terms

    def _limit_features(self, X: Any, vocabulary: dict[str, int], high: Any = None, low: Any = None,
                        limit: int | None = None) -> Any:
        """scikit-learn's pruning, with the ``limit`` most frequent terms chosen by a stable sort: terms
        of equal frequency at the cut keep their alphabetical order, so the vocabulary (and the model)
        is the same on every machine. (scikit-learn's default sort orders such ties differently on
        processors with and without AVX-512.)"""
        pruned = super()._limit_features(X, vocabulary, high, low, None)
        matrix = pruned[0] if isinstance(pruned, tuple) else pruned  # scikit-learn < 1.7 also returns the removed terms
        if limit is None or matrix.shape[1] <= limit:
            return pruned
        kept = np.sort(np.argsort(-np.asarray(matrix.sum(axis=0)).ravel(), kind="stable")[:limit])
        new_index = np.full(matrix.shape[1], -1)
        new_index[kept] = np.arange(len(kept))
        removed = set()
        for term, old in list(vocabulary.items()):
            if new_index[old] < 0:
                del vocabulary[term]
                removed.add(term)
            else:
                vocabulary[term] = int(new_index[old])
        return (matrix[:, kept], pruned[1] | removed) if isinstance(pruned, tuple) else matrix[:, kept]

    def reference_transform(self, raw_documents: Iterable[str]) -> Any:
        """scikit-learn's transform, for comparison."""
        return super().transform(raw_documents)

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        return {k: v for k, v in state.items() if k != "_term_finder"}


def build_features(*, word_ngram_range: tuple[int, int], char_ngram_range: tuple[int, int],
                   max_char_features: int) -> FeatureUnion:
    """The feature union of word n-grams, character n-grams and cue counts (unfitted)."""
    words = FastTfidfVectorizer(tokenizer=feature_tokens, token_pattern=None, lowercase=False,
                                ngram_range=word_ngram_range, sublinear_tf=True, min_df=2)
    chars = FastTfidfVectorizer(analyzer="char_wb", lowercase=False, ngram_range=char_ngram_range,
                                sublinear_tf=True, min_df=2, max_features=max_char_features)
    return FeatureUnion([("words", words), ("chars", chars), ("cues", CueCounter())])
