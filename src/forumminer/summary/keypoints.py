"""Key points of each stance, in the manner of Key Point Analysis (Bar-Haim et al. 2020).

A key point is a real, short sentence of the corpus that many passages of its stance also make.
Offline and deterministic, over TF-IDF vectors of :func:`~forumminer.summary.terms.content_tokens`:

1. candidates are the sentences of the stance's passages, those of ``MIN_WORDS``–``MAX_WORDS``
   words where a language has any (all sentences otherwise);
2. each is ranked by centrality, its mean cosine similarity to the *other* passages of the stance
   in its language (its own passage would favour one-sentence posts), ties in table order;
3. candidates are taken greedily, skipping one whose similarity to a chosen key point reaches
   ``REDUNDANCY_THRESHOLD`` or whose passage already gave one;
4. each passage goes to its most similar key point of its own language if the similarity reaches
   ``MATCH_THRESHOLD``; key points that no passage matches are dropped, the rest are ordered by
   how many passages they match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..stance import STANCES
from ..stance.features import feature_text
from ..text.segment import sentences
from .terms import content_tokens

#: How many key points :func:`key_points` returns per stance by default.
TOP_KEY_POINTS = 5
#: Sentences of this many words are preferred as key points.
MIN_WORDS, MAX_WORDS = 5, 25
#: Two key points of a stance are always less similar than this (cosine of TF-IDF vectors).
REDUNDANCY_THRESHOLD = 0.5
#: A passage matches a key point from this similarity on.
MATCH_THRESHOLD = 0.2


@dataclass(frozen=True)
class KeyPoint:
    """A sentence of passage ``passage_id`` that ``count`` passages of ``stance`` make too
    (``share`` of the stance's passages, all languages); ``passage_ids`` are those passages."""

    stance: str
    text: str
    passage_id: str
    lang: str
    count: int
    share: float
    passage_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Sentence:
    row: int  # the passage's position among the stance's passages
    position: int  # the sentence's position in its passage
    text: str
    lang: str


def vectorizer(texts: Sequence[str]) -> TfidfVectorizer:
    """The TF-IDF vectorizer of key points, fitted on prepared texts (see :func:`feature_text`).

    >>> vectors = vectorizer([feature_text("مشتری همیشه حق دارد")]).transform(["مشتری حق"])
    """
    model = TfidfVectorizer(tokenizer=content_tokens, token_pattern=None, lowercase=False, sublinear_tf=True)
    return model.fit(texts)


def key_points(labeled: pd.DataFrame, *, top: int = TOP_KEY_POINTS) -> dict[str, list[KeyPoint]]:
    """Up to ``top`` key points of each of the three stances, most prevalent first.

    ``labeled`` holds labeled passages (columns passage_id, text, lang, stance); passages of
    every label weigh the words (inverse document frequency), those of a stance give its key points.

    >>> points = key_points(table, top=3)  # doctest: +SKIP
    >>> points["customer_always_right"][0]  # doctest: +SKIP
    KeyPoint(stance='customer_always_right', text='العميل دائما على حق مهما حصل.', passage_id='d3#1',
             lang='ar', count=4, share=0.4, passage_ids=('d1#1', 'd3#1', 'd4#2', 'd9#1'))
    """
    table = pd.DataFrame({"passage_id": labeled["passage_id"].astype(str), "text": labeled["text"].fillna(""),
                          "lang": labeled["lang"].fillna("other").astype(str), "stance": labeled["stance"]})
    prepared = [feature_text(text) for text in table["text"]]
    if not any(content_tokens(text) for text in prepared):
        return {stance: [] for stance in STANCES}
    model = vectorizer(prepared)
    vectors = model.transform(prepared)
    result = {}
    for stance in STANCES:
        rows = np.flatnonzero(table["stance"].to_numpy() == stance)
        result[stance] = _stance_key_points(table.iloc[rows], vectors[rows], model, top)
    return result


def _stance_key_points(passages: pd.DataFrame, vectors: sparse.csr_matrix, model: TfidfVectorizer,
                       top: int) -> list[KeyPoint]:
    units = _sentences(passages)
    if not units:
        return []
    unit_vectors = model.transform([feature_text(unit.text) for unit in units])
    langs = passages["lang"].to_numpy()
    centrality = _centrality(units, unit_vectors, vectors, langs)
    chosen = _select(units, unit_vectors, centrality, top)
    if not chosen:
        return []
    matches = _match(units, unit_vectors, chosen, langs)
    ids = passages["passage_id"].tolist()
    points = []
    for rank, i in enumerate(chosen):
        matched = tuple(ids[row] for row in np.flatnonzero(matches == rank))
        if matched:
            points.append(KeyPoint(stance=passages["stance"].iloc[0], text=units[i].text,
                                   passage_id=ids[units[i].row], lang=units[i].lang, count=len(matched),
                                   share=len(matched) / len(passages), passage_ids=matched))
    return sorted(points, key=lambda point: -point.count)  # stable: ties keep the selection order


def _sentences(passages: pd.DataFrame) -> list[_Sentence]:
    return [_Sentence(row, position, sentence, lang)
            for row, (text, lang) in enumerate(zip(passages["text"], passages["lang"]))
            for position, sentence in enumerate(sentences(text))]


def _candidates(units: list[_Sentence]) -> list[int]:
    """Indices of the sentences that may become key points: those of a preferred length, except
    in a language that has none."""
    preferred = [MIN_WORDS <= len(unit.text.split()) <= MAX_WORDS for unit in units]
    langs_with_preferred = {unit.lang for unit, ok in zip(units, preferred) if ok}
    return [i for i, unit in enumerate(units) if preferred[i] or unit.lang not in langs_with_preferred]


def _centrality(units: list[_Sentence], unit_vectors: sparse.csr_matrix, vectors: sparse.csr_matrix,
                langs: np.ndarray) -> np.ndarray:
    """Mean similarity of each sentence to the other passages of its language (0 with none)."""
    own = np.asarray(unit_vectors.multiply(vectors[[unit.row for unit in units]]).sum(axis=1)).ravel()
    unit_langs = np.array([unit.lang for unit in units], dtype=object)
    centrality = np.zeros(len(units))
    for lang in sorted(set(unit_langs)):
        others = int((langs == lang).sum()) - 1
        if others:
            which = unit_langs == lang
            total = np.asarray(vectors[langs == lang].sum(axis=0)).ravel()
            centrality[which] = (unit_vectors[which] @ total - own[which]) / others
    return centrality


def _select(units: list[_Sentence], unit_vectors: sparse.csr_matrix, centrality: np.ndarray, top: int) -> list[int]:
    """Indices of the chosen sentences, best first: central, not redundant, one per passage."""
    order = sorted(_candidates(units), key=lambda i: (-round(float(centrality[i]), 9), units[i].row, units[i].position))
    chosen: list[int] = []
    used_rows: set[int] = set()
    for i in order:
        if len(chosen) == top:
            break
        if units[i].row in used_rows or unit_vectors[i].nnz == 0:
            continue
        if chosen and (unit_vectors[chosen] @ unit_vectors[i].T).max() >= REDUNDANCY_THRESHOLD:
            continue
        chosen.append(i)
        used_rows.add(units[i].row)
    return chosen


def _match(units: list[_Sentence], unit_vectors: sparse.csr_matrix, chosen: list[int], langs: np.ndarray) -> np.ndarray:
    """For each passage, the rank of the key point it matches, or -1: the most similar key point
    of its language, by the passage's most similar sentence, if that reaches MATCH_THRESHOLD."""
    similarity = np.full((len(langs), len(chosen)), -1.0)
    np.maximum.at(similarity, [unit.row for unit in units], (unit_vectors @ unit_vectors[chosen].T).toarray())
    point_langs = np.array([units[i].lang for i in chosen], dtype=object)
    similarity[langs[:, None] != point_langs[None, :]] = -1.0
    similarity = similarity.round(9)  # a tie within rounding error goes to the best ranked key point
    best = similarity.argmax(axis=1)
    best_similarity = similarity[np.arange(len(langs)), best]
    return np.where(best_similarity >= MATCH_THRESHOLD, best, -1)
