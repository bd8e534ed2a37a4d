"""Language identification for Arabic-script text: Arabic, Persian, or other.

Both languages share one script, so the decision rests on the letters only one of them uses
(پ چ ژ گ and Persian ی/ک against ة/ى), the digits, the Arabic article and frequent function words
(a half-space splits words, so "می‌خواهم" shows the prefix "می"). The half-space itself is no
evidence: hazm removes some, and a passage's language must not change when it is normalized. It needs no model, holds on 2-5 word passages and on Persian typed with an Arabic
keyboard (ي/ك) or without half-spaces.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from ._resources import (
    ARABIC_FUNCTION_WORDS,
    ARABIC_INDIC_DIGITS,
    ARABIC_ONLY_LETTERS,
    ARABIC_LETTER_RE,
    ARABIC_YEH_KAF,
    EVIDENCE_WORD_RE,
    LATIN_RE,
    PERSIAN_DIGITS,
    PERSIAN_FUNCTION_WORDS,
    PERSIAN_ONLY_LETTERS,
)

Language = Literal["ar", "fa", "other"]
LANGUAGES: tuple[str, ...] = ("ar", "fa", "other")

# Scoring sees text as normalization would leave it: no diacritics or tatweel, one alef.
_AS_NORMALIZED = str.maketrans(
    {**dict.fromkeys(map(ord, "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640")),
     **{ord(alef): "ا" for alef in "أإآٱ"}}
)
_FOLD_TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه"})
_FOLD_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})


def _as_normalized(words: frozenset[str]) -> frozenset[str]:
    return frozenset(word.translate(_AS_NORMALIZED) for word in words)


# Words that look the same in both languages once alefs are unified (آن / أن) tell nothing.
_PERSIAN_WORDS = _as_normalized(PERSIAN_FUNCTION_WORDS)
_ARABIC_WORDS = _as_normalized(ARABIC_FUNCTION_WORDS)
_SHARED = {w for w in _PERSIAN_WORDS if w.translate(_FOLD_TO_ARABIC) in _ARABIC_WORDS}
_PERSIAN_WORDS -= _SHARED
_ARABIC_WORDS -= {w.translate(_FOLD_TO_ARABIC) for w in _SHARED}


def language_scores(text: str) -> tuple[float, float]:
    """Return the evidence ``(arabic, persian)`` found in ``text``; larger means more likely.

    >>> ar, fa = language_scores("همیشه حق با مشتری نیست")
    >>> fa > ar
    True
    """
    # Score the text as normalization would leave it (compatibility forms composed, no diacritics
    # or tatweel), so that normalizing a passage never changes its detected language.
    text = unicodedata.normalize("NFKC", text).translate(_AS_NORMALIZED)
    arabic = persian = 0.0
    persian += 0.5 * sum(text.count(d) for d in PERSIAN_DIGITS)
    arabic += 0.5 * sum(text.count(d) for d in ARABIC_INDIC_DIGITS)
    # Letters count one by one, so that joining or splitting words changes nothing.
    persian += sum(text.count(letter) for letter in PERSIAN_ONLY_LETTERS)
    arabic += sum(text.count(letter) for letter in ARABIC_ONLY_LETTERS)
    arabic += 0.25 * sum(text.count(letter) for letter in ARABIC_YEH_KAF)
    for word in EVIDENCE_WORD_RE.findall(text):
        if len(word) > 3 and word.startswith(("ال", "وال", "بال")):
            arabic += 0.75
        if word.translate(_FOLD_TO_PERSIAN) in _PERSIAN_WORDS:
            persian += 2.0
        if word.translate(_FOLD_TO_ARABIC) in _ARABIC_WORDS:
            arabic += 2.0
    return arabic, persian


def detect_language(text: str, *, fallback: Language = "ar") -> Language:
    """Return ``"ar"``, ``"fa"`` or ``"other"`` for one passage.

    ``fallback`` is the answer for Arabic-script text with no evidence either way (a greeting
    like "سلام"); passages pass their document's language.

    "other" covers text that is mostly Latin script (over two Latin letters for each Arabic-script
    one), digits only, punctuation only, or empty.

    >>> detect_language("العميل ليس دائما على حق")
    'ar'
    >>> detect_language("همیشه حق با مشتری نیست")
    'fa'
    >>> detect_language("Cookies help us deliver our services.")
    'other'
    """
    arabic_letters = len(ARABIC_LETTER_RE.findall(text))
    latin_letters = len(LATIN_RE.findall(text))
    if arabic_letters < 2 or latin_letters > 2 * arabic_letters:
        return "other"
    arabic, persian = language_scores(text)
    if arabic == persian:
        return fallback if fallback != "other" else "ar"
    return "fa" if persian > arabic else "ar"
