"""Light stemming of the folded tokens of :func:`~forumminer.stance.features.feature_tokens`, so
that two Arabic sentences making one point match despite their clitics and endings.

Arabic goes through NLTK's ARLSTem (Abainia et al. 2017), a rule-based light stemmer that strips
articles, conjunctions, prepositions and pronoun and plural endings; NLTK comes with hazm. Persian
words stay as they are: hazm's ``Stemmer`` strips the longest known ending once, verb endings
included, so it splits the forms of one noun (کارمندان → کارمند, but کارمند → کارم). On our key-point
gold standard (corpora/keypoints, scripts/keypoint_thresholds.py) stemming Arabic alone raised the
matching F1 from 0.788 to 0.839; stemming Persian too lowered it to 0.811.
"""

from __future__ import annotations

import functools
from typing import Any

# feature_tokens fold Arabic yeh and kaf into the Persian letters; ARLSTem's rules are written
# with the Arabic ones, and its stems are folded back
_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})
_FOLDED_LETTERS = str.maketrans({"ي": "ی", "ك": "ک"})


@functools.lru_cache(maxsize=1 << 16)
def stem(token: str, lang: str) -> str:
    """The stem of a folded token of ``lang``: Arabic tokens lose their clitics and endings, the
    tokens of other languages stay as they are.

    >>> stem("بالعملاء", "ar") == stem("للعملاء", "ar") == "عملاء"
    True
    >>> stem("کارمندان", "fa")
    'کارمندان'
    """
    if lang != "ar":
        return token
    return str(_arabic_stemmer().stem(token.translate(_ARABIC_LETTERS))).translate(_FOLDED_LETTERS) or token


@functools.lru_cache(maxsize=1)
def _arabic_stemmer() -> Any:
    from nltk.stem.arlstem import ARLSTem

    return ARLSTem()
