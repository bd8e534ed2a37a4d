"""Key points of each stance and language, in the manner of Key Point Analysis (Bar-Haim et al. 2020).

A key point is a real, short sentence of the corpus that gives one reason for its stance; its count
says how many passages make that argument. Offline and deterministic, over TF-IDF vectors of
:func:`matching_text` (content words, Arabic ones stemmed), separately for each stance and language:

1. identical and near-identical passages (cosine ``DUPLICATE_THRESHOLD``) are folded into the
   first one and counted once (page furniture, reposts);
2. candidates are the sentences of ``MIN_WORDS``–``MAX_WORDS`` words, list markers stripped,
   that :func:`~forumminer.summary.candidates.candidate_problem` lets through: no questions,
   headings, lead-ins or list announcements, greetings, reported speech, narrations (anecdotes in
   the past tense), definitions, sentences about a saying or that lean on the previous one;
3. each candidate must be an argument on the question: the argument filter
   (:func:`~forumminer.summary.arguments.argument_probabilities`, fitted on our own labeled
   sentences) rejects reviews of one shop, metaphors and proverbs, truisms, dialogue lines, story
   lead-ins, fragments and civic demands that the candidate filters let through;
4. each candidate is scored on its own by the stance model (``predict_proba``) and kept only if
   its own label is the stance with a margin of ``MIN_MARGIN`` or more over the runner-up label,
   and if its passage's label is as clear (the passage's probabilities, ``p_<stance>`` columns of
   the labeled table, else the model's); where the passage is that one sentence, both need
   ``ONE_SENTENCE_MARGIN`` (one piece of evidence, not two); a stance and language with no such
   sentence has no key point, and the summary says so. In accurate mode the margins are the
   default model's (the model ``MIN_MARGIN`` was chosen for, and the one that decides accurate
   mode's stance) and the none-gate must let the sentence through: accurate mode never quotes as
   an argument a sentence it would label ``none`` (on the held-out argument sentences of
   corpora/keypoints/candidates.csv that clear the margin, it keeps 154 of 157, labeled right 0.92
   against 0.91 for all 157: scripts/keypoint_thresholds.py --evidence). The stance cue groups are
   no evidence either: requiring one of the stance keeps 44 of the 157 and lowers that share to 0.89;
5. candidates that give a reason (:func:`gives_reason`: because, so, must, لأن، يجب، چون، باید
   ...) come first, then by centrality (mean similarity to the *other* passages); they are taken
   greedily up to ``POOL_SIZE``, skipping one too similar to a chosen one
   (``REDUNDANCY_THRESHOLD``) or from a passage that a chosen one matches already;
6. each passage goes to the pooled key point its most similar sentence matches best, if the
   similarity reaches ``MATCH_THRESHOLD`` (chosen on corpora/keypoints, see
   scripts/keypoint_thresholds.py); of the key points that ``min_count`` distinct passages or more
   make (``MIN_COUNT``), the ``top`` with most passages are returned. As matching runs over the
   whole pool, counts are the same for any ``top`` up to ``POOL_SIZE``. A sentence that fewer
   passages make is no key point but a rare argument, counted in :attr:`Coverage.n_rare`;
7. a language with passages of a stance but no key point in any stance is never dropped: it gets
   one *tentative* key point (``KeyPoint.tentative``) if one of its candidates has its passage's
   stance as its own label (else its coverage lines say it has none): its rare argument (step 6)
   that ranks first, else the candidate of any stance that ranks first (steps 3 and 4 relaxed into
   a ranking, among the candidates whose own label is the stance); both rankings are by the
   sentence's probability of being an argument times the stance model's probability of the stance
   for the sentence alone times its passage's margin (see :func:`_candidates`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..stance import STANCES
from ..stance.features import feature_text
from ..text.segment import sentences
from ..text.stem import stem
from .arguments import argument_probabilities, shipped_filter
from .candidates import asserted_text, candidate_problem, candidate_text, gives_reason
from .terms import content_tokens

if TYPE_CHECKING:
    from ..stance.encoder import AccurateModel
    from ..stance.linear import StanceModel

#: How many key points :func:`key_points` returns per stance and language by default.
TOP_KEY_POINTS = 5
#: Passages of a stance and language this similar (cosine of TF-IDF vectors) count as one.
DUPLICATE_THRESHOLD = 0.9
#: A key point's sentence, and its passage, have the key point's stance as their label with at least
#: this margin of probability over the runner-up label. Chosen on corpora/stance (grouped 5-fold
#: CV, scripts/keypoint_thresholds.py --margins): the smallest margin at which held-out labels are
#: right for at least 90% of the passages of every stance. A key point is quoted as what a stance
#: argues, so it asks for more than the 80% that counting passages would. On the waves most like
#: web text (12, 13, 13b), held-out passages whose sentence and themselves clear 0.5 have the
#: stance for 96% of them; they reach 90% for every stance from 0.1 on, so they ask for no more.
#: The figures move with the stance model: rerun the script after retraining it.
MIN_MARGIN = 0.5
#: The margin instead of ``MIN_MARGIN`` where a passage is one sentence: the sentence and its
#: passage are then one piece of evidence, not two. Chosen by the same rule (held-out labels right
#: for at least 90% of every stance, from this margin on) on the held-out single sentences we have
#: (scripts/keypoint_thresholds.py --margins): the one-sentence passages of corpora/stance (grouped
#: 5-fold CV; its candidate sentences that the argument filter keeps) together with the argument
#: sentences of corpora/keypoints/candidates.csv (no stance model is trained on them). At 0.5 they
#: are right for 0.90 of all, 0.885 of customer_always_right; from 0.65 on for 0.92, every stance
#: 0.91 or more (the model before corpus wave 15 met the rule at 0.5, the one before wave 14c at
#: 0.75).
ONE_SENTENCE_MARGIN = 0.65
#: Two key points of a stance and language are always less similar than this.
REDUNDANCY_THRESHOLD = 0.5
#: A passage matches a key point from this similarity on.
MATCH_THRESHOLD = 0.15
#: Key points considered per stance and language before the ``top`` are kept.
POOL_SIZE = 50
#: A key point is made by at least this many distinct passages, its own included: what one passage
#: says is an argument of that passage, not yet a key point. Key Point Analysis keeps only key points
#: that enough arguments match (IBM's key point service drops those with fewer than 5 matching
#: sentences by default), and the count is what a reader takes from a key point. On real text the
#: arguments of one passage were also the wrong ones: on the dev sets (scripts/eval_keypoints.py
#: --min-count 1), 2 of 5 key points of one passage had their stance by the gold labels, 6 of 7 of
#: those made by two or more. On held-out folds of our own corpus, where every passage is a clean
#: argument, it makes no such difference (scripts/keypoint_thresholds.py --counts: corpora/stance,
#: grouped 5-fold CV, every pooled key point: 0.946 of 112 of one passage, 0.929 of 1,109 of two or
#: more).
MIN_COUNT = 2

@dataclass(frozen=True)
class KeyPoint:
    """A sentence of passage ``passage_id`` that ``count`` distinct passages of ``stance`` in
    ``lang`` make too (``share`` of that stance's distinct passages in ``lang``); ``passage_ids``
    and ``passages`` are those passages and their texts, ``probability`` the stance model's
    probability of ``stance`` for the sentence alone. A count of 1 is a singleton: only its own
    passage makes the point. A tentative key point is below the bar of a key point; it is shown
    because its language has no other (see :func:`key_points`)."""

    stance: str
    text: str
    passage_id: str
    lang: str
    count: int
    share: float
    probability: float
    passage_ids: tuple[str, ...]
    passages: tuple[str, ...]
    tentative: bool = False

    @property
    def singleton(self) -> bool:
        return self.count == 1


@dataclass(frozen=True)
class Coverage:
    """How the key points of a stance in one language cover its passages: ``n_passages`` labeled
    with it (of ``n_language`` labeled passages in the language), ``duplicates`` folded into an
    earlier identical or near-identical one, and ``n_matched`` of the ``n_distinct`` others matched
    by a key point shown. ``n_rare`` sentences clear the bar of key points but too few passages
    make them (fewer than ``min_count`` of :func:`key_points`): not shown, unless as a tentative
    key point."""

    stance: str
    lang: str
    n_passages: int
    duplicates: int
    n_matched: int
    n_language: int
    n_rare: int = 0

    @property
    def n_distinct(self) -> int:
        return self.n_passages - self.duplicates

    @property
    def share(self) -> float:
        return self.n_matched / self.n_distinct if self.n_distinct else 0.0

    @property
    def language_share(self) -> float:
        """The stance's share of the language's labeled passages."""
        return self.n_passages / self.n_language if self.n_language else 0.0


@dataclass(frozen=True)
class KeyPoints:
    """What :func:`key_points` found: per stance, its key points (language by language, most
    passages first) and per stance and language, their :class:`Coverage`."""

    points: dict[str, list[KeyPoint]]
    coverage: dict[str, dict[str, Coverage]]


@dataclass(frozen=True)
class _Sentence:
    row: int  # the passage's position among the distinct passages
    text: str
    prepared: str  # the text's feature_text, computed once for every use


def matching_text(prepared: str, lang: str) -> str:
    """The stems of the content words of a prepared text (see :func:`feature_text`) in ``lang``,
    joined by spaces: what key points are compared by.

    >>> matching_text(feature_text("للعملاء حقوق"), "ar") == matching_text(feature_text("العملاء وحقوق"), "ar")
    True
    """
    return " ".join(stem(token, lang) for token in content_tokens(prepared))


def vectorizer(texts: Sequence[str]) -> TfidfVectorizer:
    """The TF-IDF vectorizer of key points, fitted on matching texts (see :func:`matching_text`).

    >>> vectors = vectorizer([matching_text(feature_text("مشتری همیشه حق دارد"), "fa")]).transform(["مشتری حق"])
    """
    model = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=True)
    return model.fit(texts)


def key_points(labeled: pd.DataFrame, *, top: int = TOP_KEY_POINTS, model: StanceModel | None = None,
               match_threshold: float = MATCH_THRESHOLD, min_count: int = MIN_COUNT) -> KeyPoints:
    """Up to ``top`` key points of each stance in each language, most passages first, each made by
    ``min_count`` distinct passages or more (1 shows the arguments of single passages too).

    ``labeled`` holds labeled passages (columns passage_id, text, lang, stance, and the labeling
    model's ``p_<label>`` probabilities if at hand); passages of every label weigh the words
    (inverse document frequency), those of a stance give its key points. ``model`` scores each
    candidate sentence on its own (default: the shipped model; give the model that labeled the
    table; accurate mode's asks both of its models, see step 4 above); a passage matches a key
    point from similarity ``match_threshold`` on. Every language of the table has a
    :class:`Coverage` for every stance, with or without key points, and a language with passages
    of a stance has at least one key point, tentative where none clears the bar (unless no candidate
    sentence of the language has its passage's stance as its own label).

    >>> found = key_points(table, top=3)  # doctest: +SKIP
    >>> found.points["customer_always_right"][0]  # doctest: +SKIP
    KeyPoint(stance='customer_always_right', text='العميل دائما على حق مهما حصل.', passage_id='d3#1',
             lang='ar', count=4, share=0.4, probability=0.81, passage_ids=('d1#1', ...), passages=(...))
    >>> found.coverage["customer_always_right"]["ar"].share  # doctest: +SKIP
    0.6
    """
    table = pd.DataFrame({"passage_id": labeled["passage_id"].astype(str), "text": labeled["text"].fillna(""),
                          "lang": labeled["lang"].fillna("other").astype(str), "stance": labeled["stance"]})
    prepared = [feature_text(text) for text in table["text"]]
    points: dict[str, list[KeyPoint]] = {stance: [] for stance in STANCES}
    coverage: dict[str, dict[str, Coverage]] = {stance: {} for stance in STANCES}
    if not any(content_tokens(text) for text in prepared):
        return KeyPoints(points, coverage)
    matching = [matching_text(text, lang) for text, lang in zip(prepared, table["lang"])]
    tfidf = vectorizer(matching)
    vectors = tfidf.transform(matching)
    if model is None:
        from ..stance.linear import resolve_model

        model = resolve_model(None)
    passage_margins = _passage_margins(labeled, table, model)
    for lang in sorted(set(table["lang"][table["stance"].isin(STANCES)])):
        in_lang = {stance: np.flatnonzero((table["stance"] == stance).to_numpy() & (table["lang"] == lang).to_numpy())
                   for stance in STANCES}
        found = {stance: _language_key_points(table.iloc[rows], vectors[rows], passage_margins[rows], tfidf, model,
                                              stance, lang, top, match_threshold, min_count)
                 for stance, rows in in_lang.items()}
        if not any(language.points for language in found.values()):
            best = max(found, key=lambda stance: found[stance].tentative_score)
            tentative = found[best].tentative
            if tentative is not None:
                found[best] = dataclasses.replace(found[best], points=[tentative])
        for stance, language in found.items():
            points[stance] += language.points
            coverage[stance][lang] = Coverage(stance, lang, n_passages=len(in_lang[stance]),
                                              duplicates=language.duplicates,
                                              n_matched=sum(point.count for point in language.points),
                                              n_language=int((table["lang"] == lang).sum()),
                                              n_rare=language.rare_not_shown)
    return KeyPoints(points, coverage)


def _passage_margins(labeled: pd.DataFrame, table: pd.DataFrame, model: StanceModel) -> np.ndarray:
    """Each passage's margin of probability of its label over the runner-up label: from the
    labeled table's ``p_<label>`` columns, else from ``model`` (only for the passages of a stance);
    in accurate mode, from its default model (see :func:`_sentence_scores`)."""
    columns = [f"p_{label}" for label in model.classes_]
    margins = np.full(len(table), -1.0)
    rows = np.flatnonzero(table["stance"].isin(STANCES).to_numpy())
    if not len(rows):
        return margins
    accurate = _accurate_parts(model)
    if accurate is not None:  # the default model's margin: the one MIN_MARGIN was chosen for
        proba = accurate.in_label_order(accurate.base.predict_proba(table["text"].iloc[rows].tolist()))
    elif all(column in labeled.columns for column in columns):
        proba = labeled[columns].iloc[rows].to_numpy(dtype=float)
    else:
        proba = model.predict_proba(table["text"].iloc[rows].tolist())
    labels = table["stance"].iloc[rows].tolist()
    margins[rows] = _margins(proba, [list(model.classes_).index(label) for label in labels])
    return margins


def _margins(proba: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Per row, the probability in ``columns`` minus the highest other probability."""
    rows = np.arange(len(proba))
    own = proba[rows, columns]
    others = proba.copy()
    others[rows, columns] = -np.inf
    return own - others.max(axis=1)


@dataclass(frozen=True)
class _Language:
    """The key points of a stance in one language, how many passages were folded as duplicates,
    its rare arguments (sentences that clear the bar, made by too few passages) and the
    tentative key point it would show if its language had no key point at all (with the score that
    ranks it against those of the other stances: a rare argument ranks above any other sentence)."""

    points: list[KeyPoint]
    duplicates: int
    rare: tuple[KeyPoint, ...] = ()
    tentative: KeyPoint | None = None
    tentative_score: float = -1.0

    @property
    def rare_not_shown(self) -> int:
        """How many rare arguments are not shown (one may be the tentative key point)."""
        shown = {(point.text, point.passage_id) for point in self.points}
        return sum((point.text, point.passage_id) not in shown for point in self.rare)


def _language_key_points(passages: pd.DataFrame, vectors: sparse.csr_matrix, passage_margins: np.ndarray,
                         tfidf: TfidfVectorizer, model: StanceModel, stance: str, lang: str, top: int,
                         threshold: float, min_count: int) -> _Language:
    """The key points shown of ``stance`` in ``lang``, and its tentative key point."""
    n_passages = len(passages)
    if not n_passages:
        return _Language([], 0)
    distinct = _distinct_rows(passages["text"].tolist(), vectors)
    passages, vectors = passages.iloc[distinct], vectors[distinct]
    found = _candidates(passages["text"].tolist(), passage_margins[distinct], tfidf, model, stance, lang)
    units, unit_vectors, scores = found.units, found.vectors, found.scores
    centrality = _centrality(units, unit_vectors, vectors)
    reasons = np.array([gives_reason(unit.text, unit.prepared) for unit in units], dtype=bool)
    chosen = _select(units, unit_vectors, centrality, found.confident, reasons, max(top, POOL_SIZE), threshold)
    ids, texts = passages["passage_id"].tolist(), passages["text"].tolist()

    def point(rank: int, i: int, matches: np.ndarray, tentative: bool = False) -> KeyPoint:
        rows = np.flatnonzero(matches == rank)
        return KeyPoint(stance=stance, text=units[i].text, passage_id=ids[units[i].row], lang=lang, count=len(rows),
                        share=len(rows) / len(passages), probability=float(scores.probability[i]),
                        passage_ids=tuple(ids[row] for row in rows), passages=tuple(texts[row] for row in rows),
                        tentative=tentative)

    matches = _match(units, unit_vectors, chosen, len(passages), threshold)
    points = [point(rank, i, matches) for rank, i in enumerate(chosen)]
    shown = sorted((p for p in points if p.count >= min_count), key=lambda p: -p.count)[:top]  # stable sort
    duplicates = n_passages - len(passages)
    rare = [(i, p) for i, p in zip(chosen, points) if p.count < min_count]
    language = _Language(shown, duplicates, tuple(p for _, p in rare))
    if shown or not len(units):
        return language
    ranking = found.ranking
    if rare:  # a sentence that clears the bar, made by too few passages: above any that does not
        best, tentative = max(rare, key=lambda pair: ranking[pair[0]])
        return dataclasses.replace(language, tentative=dataclasses.replace(tentative, tentative=True),
                                   tentative_score=2.0 + float(ranking[best]))
    if ranking.max() < 0:
        return language
    best = int(ranking.argmax())
    return dataclasses.replace(
        language, tentative=point(0, best, _match(units, unit_vectors, [best], len(passages), threshold), True),
        tentative_score=float(ranking[best]))


@dataclass(frozen=True)
class _Candidates:
    """The sentences of a stance's passages in one language (``units``, with their TF-IDF
    ``vectors`` and :class:`_Scores`); which are ``confident`` (clear the bar of a key point: steps 3
    and 4 of the module's description) and their ``ranking`` where none is (step 7)."""

    units: list[_Sentence]
    vectors: sparse.csr_matrix
    scores: _Scores
    confident: np.ndarray
    ranking: np.ndarray


def _candidates(texts: list[str], passage_margins: np.ndarray, tfidf: TfidfVectorizer, model: StanceModel,
                stance: str, lang: str) -> _Candidates:
    """The :class:`_Candidates` of passages ``texts`` of ``stance`` in ``lang``, whose margins of
    their label over the runner-up label are ``passage_margins``.

    The ranking relaxes the bar into one score: the sentence's probability of being an argument,
    times the stance's probability for the sentence alone, times its passage's margin (the two
    pieces of evidence the bar asks for; -1 where the sentence's own label is another). Held out
    on corpora/stance (grouped 5-fold CV), the sentence that ranks first among those below the bar
    has its passage's stance by the gold labels in 0.94 of 3,000 random corpora of 20 passages,
    against 0.82 without the passage's margin (scripts/keypoint_thresholds.py --tentative).
    """
    split = [list(map(candidate_text, sentences(text))) for text in texts]
    units = [_Sentence(row, candidate, feature_text(candidate)) for row, candidates in enumerate(split)
             for candidate in candidates]
    unit_vectors = tfidf.transform([matching_text(unit.prepared, lang) for unit in units])
    scores = _sentence_scores(units, unit_vectors, model, stance, lang)
    needed = np.array([ONE_SENTENCE_MARGIN if len(candidates) == 1 else MIN_MARGIN for candidates in split])
    rows = [unit.row for unit in units]
    confident = ((passage_margins >= needed)[rows] & (scores.margin >= needed[rows])
                 & (scores.argument >= shipped_filter().threshold))
    evidence = scores.argument * scores.probability * np.clip(passage_margins[rows], 0.0, None)
    return _Candidates(units, unit_vectors, scores, confident, np.where(scores.own_label, evidence, -1.0))


@dataclass(frozen=True)
class _Scores:
    """Per sentence: the argument filter's probability that it is an argument, the stance model's
    probability of the stance for it alone and the margin of the stance over the runner-up label
    (see :func:`_stance_evidence`), -1 for each where the sentence cannot be a key point (see
    :func:`candidate_problem`); and whether the stance is the model's label for it alone."""

    argument: np.ndarray
    probability: np.ndarray
    margin: np.ndarray
    own_label: np.ndarray


def _sentence_scores(units: list[_Sentence], unit_vectors: sparse.csr_matrix, model: StanceModel, stance: str,
                     lang: str) -> _Scores:
    """The :class:`_Scores` of the sentences (in ``lang``) for ``stance``."""
    unscored = np.full(len(units), -1.0)
    scores = _Scores(unscored.copy(), unscored.copy(), unscored.copy(), np.zeros(len(units), dtype=bool))
    candidates = [i for i, unit in enumerate(units)
                  if unit_vectors[i].nnz and candidate_problem(unit.text, unit.prepared) is None]
    if candidates:
        scores.argument[candidates] = argument_probabilities([units[i].text for i in candidates],
                                                             [lang] * len(candidates),
                                                             [units[i].prepared for i in candidates])
        column = list(model.classes_).index(stance)
        proba, margin = _stance_evidence(model, [asserted_text(units[i].text, units[i].prepared) for i in candidates],
                                         column)
        scores.probability[candidates] = proba[:, column]
        scores.margin[candidates] = margin
        scores.own_label[candidates] = model.decide(proba) == stance
    return scores


def _stance_evidence(model: StanceModel, texts: list[str], column: int) -> tuple[np.ndarray, np.ndarray]:
    """The probabilities ``model`` gives ``texts`` and each text's margin for the label in
    ``column`` over the runner-up label. In accurate mode both of its decisions must hold on their
    own: the margin is the default model's (the one ``MIN_MARGIN`` was chosen for), and -1 where
    the none-gate alone says the text is no argument (scripts/keypoint_thresholds.py --evidence)."""
    accurate = _accurate_parts(model)
    if accurate is None:
        proba = model.predict_proba(texts)
        return proba, _margins(proba, [column] * len(texts))
    from ..stance.encoder import embed

    base = accurate.in_label_order(accurate.base.predict_proba(texts))
    proba = accurate.combine(base, embed(texts))
    argues = accurate.decide(proba) != "none"
    return proba, np.where(argues, _margins(base, [column] * len(texts)), -1.0)


def _accurate_parts(model: StanceModel) -> AccurateModel | None:
    """``model`` if it is accurate mode's (the default model and a none-gate), else None."""
    import sys

    encoder = sys.modules.get("forumminer.stance.encoder")  # an accurate model has loaded it; else skip the import
    return model if encoder is not None and isinstance(model, encoder.AccurateModel) else None


def _centrality(units: list[_Sentence], unit_vectors: sparse.csr_matrix, vectors: sparse.csr_matrix) -> np.ndarray:
    """Mean similarity of each sentence to the other passages (0 with none)."""
    others = vectors.shape[0] - 1
    if not others:
        return np.zeros(len(units))
    own = np.asarray(unit_vectors.multiply(vectors[[unit.row for unit in units]]).sum(axis=1)).ravel()
    total = np.asarray(vectors.sum(axis=0)).ravel()
    return (unit_vectors @ total - own) / others


def _select(units: list[_Sentence], unit_vectors: sparse.csr_matrix, centrality: np.ndarray, confident: np.ndarray,
            reasons: np.ndarray, size: int, threshold: float) -> list[int]:
    """Indices of up to ``size`` chosen sentences, best first: ``confident`` ones (clearly of the
    stance, and arguments), giving a reason before not, central, not redundant, and from a passage
    that no chosen key point matches already."""
    order = sorted(np.flatnonzero(confident), key=lambda i: (not reasons[i], -round(float(centrality[i]), 9), i))
    rows = np.array([unit.row for unit in units])
    chosen: list[int] = []
    covered: set[int] = set()
    for i in order:
        if len(chosen) == size:
            break
        if units[i].row in covered:
            continue
        if chosen and (unit_vectors[chosen] @ unit_vectors[i].T).max() >= REDUNDANCY_THRESHOLD:
            continue
        chosen.append(int(i))
        similarity = (unit_vectors @ unit_vectors[i].T).toarray().ravel()
        covered.update(rows[similarity >= threshold].tolist())
        covered.add(units[i].row)
    return chosen


def _match(units: list[_Sentence], unit_vectors: sparse.csr_matrix, chosen: list[int], n_rows: int,
           threshold: float) -> np.ndarray:
    """For each passage, the rank of the key point it matches, or -1: the key point taken from it,
    else the most similar key point, by the passage's most similar sentence, if that reaches
    ``threshold``."""
    if not chosen:
        return np.full(n_rows, -1)
    similarity = np.full((n_rows, len(chosen)), -1.0)
    np.maximum.at(similarity, [unit.row for unit in units], (unit_vectors @ unit_vectors[chosen].T).toarray())
    similarity = similarity.round(9)  # a tie within rounding error goes to the best ranked key point
    similarity[[units[i].row for i in chosen], np.arange(len(chosen))] = 2.0
    best = similarity.argmax(axis=1)
    best_similarity = similarity[np.arange(n_rows), best]
    return np.where(best_similarity >= threshold, best, -1)


def _distinct_rows(texts: list[str], vectors: sparse.csr_matrix) -> list[int]:
    """Positions of the passages that are no duplicate of an earlier one: neither the same words
    nor a cosine similarity of DUPLICATE_THRESHOLD or more to an earlier passage (compared in
    blocks of ``_BLOCK`` rows, so memory stays bounded)."""
    seen: set[str] = set()
    kept: list[int] = []
    for start in range(0, len(texts), _BLOCK):
        block = (vectors[start:start + _BLOCK] @ vectors[:start + _BLOCK].T).tocoo()
        earlier = (block.col < block.row + start) & (block.data >= DUPLICATE_THRESHOLD)
        near_duplicates = set((block.row[earlier] + start).tolist())
        for row in range(start, min(start + _BLOCK, len(texts))):
            key = " ".join(content_tokens(feature_text(texts[row]))) or texts[row]
            if key not in seen and row not in near_duplicates:
                kept.append(row)
            seen.add(key)
    return kept


_BLOCK = 2000


@dataclass(frozen=True)
class GoldScores:
    """Key points against a gold standard (see :func:`score_key_points`)."""

    recall: float  # share of the gold arguments that some key point states
    precision: float  # share of the key points that state their passage's gold argument
    match_precision: float  # share of matched passages that make their key point's argument
    match_recall: float  # share of distinct argument passages matched to a key point stating their argument
    n_points: int
    n_arguments: int


def score_key_points(gold: pd.DataFrame, *, top: int = TOP_KEY_POINTS, model: StanceModel | None = None,
                     match_threshold: float = MATCH_THRESHOLD, min_count: int = MIN_COUNT) -> GoldScores:
    """Score :func:`key_points` on passages with gold arguments, such as corpora/keypoints.

    ``gold`` has the columns of labeled passages (passage_id, text, lang, stance) and
    ``argument`` (the argument a passage makes, empty for none) and ``claim`` (the sentence
    that makes it). A key point states an argument when it is the claim of its own passage.

    >>> scores = score_key_points(pd.read_csv("corpora/keypoints/passages.csv", keep_default_na=False))  # doctest: +SKIP
    >>> scores.recall, scores.precision  # doctest: +SKIP
    (1.0, 1.0)
    """
    found = key_points(gold, top=top, model=model, match_threshold=match_threshold, min_count=min_count)
    rows = gold.set_index(gold["passage_id"].astype(str))
    points = [point for listed in found.points.values() for point in listed]
    stated = [str(rows.loc[p.passage_id, "argument"]) for p in points if p.text == rows.loc[p.passage_id, "claim"]]
    arguments = set(gold["argument"][gold["argument"] != ""])
    pairs = [(str(rows.loc[pid, "argument"]), str(rows.loc[p.passage_id, "argument"]))
             for p in points if p.text == rows.loc[p.passage_id, "claim"] for pid in p.passage_ids]
    folded = sum(c.duplicates for by_lang in found.coverage.values() for c in by_lang.values())
    n_argument_passages = int((gold["argument"] != "").sum()) - folded
    return GoldScores(recall=len(set(stated) & arguments) / len(arguments) if arguments else 0.0,
                      precision=len(stated) / len(points) if points else 0.0,
                      match_precision=sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0,
                      match_recall=sum(a == b for a, b in pairs) / n_argument_passages if n_argument_passages else 0.0,
                      n_points=len(points), n_arguments=len(arguments))
