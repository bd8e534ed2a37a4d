"""Distinctive terms of each stance: weighted log-odds ratios with an informative Dirichlet prior.

The method is that of Monroe, Colaresi & Quinn (2008), "Fightin' Words": for each stance and
language, the words of its passages are compared with the words of the other labeled passages of
the same language, and each word gets the z-score of its log-odds ratio. The prior is the pooled
word counts of both sides, so rare words are pulled towards zero instead of topping the list.
Words are counted as :func:`~forumminer.stance.features.feature_tokens` of
:func:`~forumminer.stance.features.feature_text` (normalized, letters folded), and each term is shown
in its most common normalized spelling (Arabic ي ك ة, not the folded ی ک ه).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from ..stance import STANCES
from ..stance.features import feature_text, feature_tokens, fold_letters
from ..text.normalize import normalize

#: How many terms :func:`distinctive_terms` returns per stance and language by default.
TOP_TERMS = 10
#: Tokens shorter than this (one letter, ``؟``, ``!``) are never terms.
MIN_TERM_LENGTH = 2
#: A word is listed as a term of a stance only if its passages use it at least this often.
MIN_TERM_COUNT = 3
#: What the score of a term means, in the words the reports use.
SCORE_MEANING = ("z: how many standard errors more often the stance uses the word than the other labels of the "
                 "same language (weighted log-odds, Monroe et al. 2008); above 1.96 is unlikely by chance (5% level)")


@functools.cache
def stopwords() -> frozenset[str]:
    """Arabic and Persian function words, in the folded spelling of :func:`feature_tokens`: never
    terms or key point words. Persian is hazm's list (MIT), Arabic that of stopwords-iso (MIT,
    the ``stopwordsiso`` package); both are read once, on first use.

    >>> "از" in stopwords() and "الذی" in stopwords() and "مشتری" not in stopwords()
    True
    """
    import stopwordsiso

    from ..text.normalize import import_hazm

    words = [*import_hazm().stopwords_list(), *stopwordsiso.stopwords("ar")]
    return frozenset(token for word in words for token in feature_tokens(feature_text(word)))


def is_stopword(token: str) -> bool:
    """Whether a folded token is a stop word, also with the Arabic conjunction و or ف attached.

    >>> is_stopword("ولو"), is_stopword("الزبون")
    (True, False)
    """
    stop = stopwords()
    return token in stop or (token[:1] in ("و", "ف") and token[1:] in stop)


@dataclass(frozen=True)
class Term:
    """A word that one stance uses more than the others, in its most common spelling: ``z`` is its
    log-odds z-score and ``count`` how often it occurs in that stance's passages."""

    term: str
    z: float
    count: int


def content_tokens(text: str) -> list[str]:
    """:func:`feature_tokens` of a prepared text, without stopwords, punctuation and one-letter words.

    >>> from forumminer.stance.features import feature_text
    >>> content_tokens(feature_text("العميل دائما على حق؟"))
    ['العمیل', 'دایما', 'حق']
    """
    return [t for t in feature_tokens(text) if len(t) >= MIN_TERM_LENGTH and not is_stopword(t)]


def log_odds_z(target: Counter[str], rest: Counter[str]) -> dict[str, float]:
    """z-scores of the weighted log-odds ratio of each word of ``target`` against ``rest``,
    with the pooled counts of both as the Dirichlet prior (Monroe et al. 2008, eq. 16 and 18).

    Positive scores mark words of ``target``; with fewer than two distinct words there is nothing
    to compare and the result is empty.

    >>> scores = log_odds_z(Counter(a=3, b=1), Counter(a=1, b=3))
    >>> round(scores["a"], 3), round(scores["b"], 3)
    (1.149, -1.149)
    """
    prior = target + rest
    if len(prior) < 2:
        return {}
    prior_total = prior.total()
    n_target, n_rest = target.total(), rest.total()
    scores = {}
    for word, alpha in prior.items():
        y_target, y_rest = target[word], rest[word]
        delta = (math.log((y_target + alpha) / (n_target + prior_total - y_target - alpha))
                 - math.log((y_rest + alpha) / (n_rest + prior_total - y_rest - alpha)))
        variance = 1 / (y_target + alpha) + 1 / (y_rest + alpha)
        scores[word] = delta / math.sqrt(variance)
    return scores


def distinctive_terms(labeled: pd.DataFrame, *, top: int = TOP_TERMS) -> dict[str, dict[str, list[Term]]]:
    """The ``top`` most distinctive terms of each stance against the other labels, per language.

    ``labeled`` holds labeled passages (columns text, lang, stance); every label, ``none``
    included, is part of the comparison, and terms are listed for the three stances. Only terms
    with a positive z-score (see :data:`SCORE_MEANING`) that the stance uses at least
    :data:`MIN_TERM_COUNT` times are listed, highest first (ties by term), for the languages in
    which the stance has passages.

    >>> terms = distinctive_terms(table)  # doctest: +SKIP
    >>> terms["boundary_setting"]["fa"][0]  # doctest: +SKIP
    Term(term='توهین', z=1.83, count=4)
    """
    counts: dict[str, dict[str, Counter[str]]] = {}
    spellings: dict[str, Counter[str]] = {}
    for text, lang, label in zip(labeled["text"].fillna(""), labeled["lang"].fillna("other").astype(str),
                                 labeled["stance"]):
        tokens = _spelled_tokens(text)
        counts.setdefault(lang, {}).setdefault(label, Counter()).update(folded for folded, _ in tokens)
        for folded, written in tokens:
            spellings.setdefault(folded, Counter())[written] += 1
    result: dict[str, dict[str, list[Term]]] = {}
    for stance in STANCES:
        result[stance] = {lang: _top_terms(stance, counts[lang], spellings, top)
                          for lang in sorted(counts) if stance in counts[lang]}
    return result


def _spelled_tokens(text: str) -> list[tuple[str, str]]:
    """(folded, normalized spelling) of each content token of ``text``, normalizing it once."""
    pairs = ((fold_letters(written), written) for written in feature_tokens(normalize(text)))
    return [(f, w) for f, w in pairs if len(f) >= MIN_TERM_LENGTH and not is_stopword(f)]


def _top_terms(stance: str, by_label: dict[str, Counter[str]], spellings: dict[str, Counter[str]],
               top: int) -> list[Term]:
    target = by_label[stance]
    rest: Counter[str] = sum((c for label, c in by_label.items() if label != stance), Counter())
    scores = log_odds_z(target, rest)
    ranked = sorted((word for word, z in scores.items() if z > 0 and target[word] >= MIN_TERM_COUNT),
                    key=lambda w: (-scores[w], w))
    return [Term(term=_most_common(spellings[word]), z=scores[word], count=target[word]) for word in ranked[:top]]


def _most_common(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda written: (-spellings[written], written))
