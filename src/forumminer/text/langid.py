"""Language identification for Arabic-script text: Arabic, Persian, or other.

Both languages share one script, so the decision rests on the letters only one of them uses
(پ چ ژ گ and Persian ی/ک against ة/ى), the digits, the Arabic article and frequent function words
(a half-space splits words, so "می‌خواهم" shows the prefix "می"). The half-space itself is no
evidence: hazm removes some, and a passage's language must not change when it is normalized. It needs no model, holds on 2-5 word passages and on Persian typed with an Arabic
keyboard (ي/ك) or without half-spaces.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
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
    remove_invisible,
    without_markup,
)

Language = Literal["ar", "fa", "other"]
LANGUAGES: tuple[str, ...] = ("ar", "fa", "other")

# Pieces of _normalized_view. (str.replace and re.sub run in C; str.translate with a dict is several
# times slower here, so it only runs on text that has one of the rarer letters.)
_MARKS_RE = re.compile("[\u064b-\u0652\u0670\u0640]")
_REPEATED_LETTER_RE = re.compile(r"([^\W\d_])\1+")


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _normalized_view(text: str) -> str:
    """The text as either normalization would leave it, for scoring: without the marks and signs
    hazm removes (ﷺ among them, before NFKC would spell it out), compatibility forms composed, the
    rarer letters as hazm writes them, no diacritics or tatweel, one alef, and a letter repeated
    counted once (hazm shortens "ممممنون" to one or two, by its lexicon)."""
    specials, variants, table = _hazm_tables()
    text = unicodedata.normalize("NFKC", specials.sub("", remove_invisible(text)))
    if variants.search(text):
        text = text.translate(table)
    return _REPEATED_LETTER_RE.sub(r"\1", _replace_all(_MARKS_RE.sub("", text), _UNIFY_ALEF))


@functools.cache
def _hazm_tables() -> tuple[re.Pattern[str], re.Pattern[str], dict[int, str]]:
    """hazm's pattern of the special marks and signs its normalizer removes, and its table from the
    rarer Arabic-script letters (Urdu, Pashto, Sindhi and other forms) to the Persian letters it
    writes (with a pattern that finds them), so that a passage normalized as Persian scores as it did
    before. Letters the scores count themselves and presentation forms (NFKC composes those) are
    left out of the table. Read from hazm's constants module alone: importing the hazm package
    loads nltk."""
    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("hazm is not installed: pip install hazm")
    location = Path(next(iter(spec.submodule_search_locations))) / "constants.py"
    module_spec = importlib.util.spec_from_file_location("_hazm_constants", location)
    assert module_spec is not None and module_spec.loader is not None
    constants = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(constants)
    pairs = {src: dst for src, dst in zip(constants.TRANSLATION_SRC, constants.TRANSLATION_DST)
             if src != dst and ARABIC_LETTER_RE.fullmatch(src) and unicodedata.normalize("NFKC", src) == src
             and src not in ARABIC_YEH_KAF | ARABIC_ONLY_LETTERS}
    (specials, _), = constants.SPECIAL_CHARS_PATTERNS
    return re.compile(specials), re.compile(f"[{''.join(sorted(pairs))}]"), str.maketrans(pairs)


_UNIFY_ALEF = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"))
_TO_PERSIAN_LETTERS = (("ي", "ی"), ("ك", "ک"), ("ى", "ی"), ("ة", "ه"))
_TO_ARABIC_LETTERS = (("ی", "ي"), ("ک", "ك"))
# A word with the Arabic article: ال and at least two more letters, or وال/بال and one more. (Each
# alternative starts with its letter and looks back past it, so that the regex engine can skip
# to the positions holding one of the three letters.)
_ARABIC_ARTICLE_RE = re.compile(r"ال(?<![^\W\d_]ال)[^\W\d_]{2,}|و(?<![^\W\d_]و)ال[^\W\d_]+|ب(?<![^\W\d_]ب)ال[^\W\d_]+")


def _as_normalized(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_normalized_view(word) for word in words)


# Words that look the same in both languages once alefs are unified (آن / أن) tell nothing.
_PERSIAN_WORDS = _as_normalized(PERSIAN_FUNCTION_WORDS)
_ARABIC_WORDS = _as_normalized(ARABIC_FUNCTION_WORDS)
_SHARED = {w for w in _PERSIAN_WORDS if _replace_all(w, _TO_ARABIC_LETTERS) in _ARABIC_WORDS}
_PERSIAN_WORDS -= _SHARED
_ARABIC_WORDS -= {_replace_all(w, _TO_ARABIC_LETTERS) for w in _SHARED}


def _spellings(words: frozenset[str], pairs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """Every word that ``_replace_all(word, pairs)`` turns into one of ``words`` (each pair swaps
    one letter for another), so that a text's words are looked up without rewriting the text.

    >>> sorted(_spellings(frozenset(["کی"]), _TO_PERSIAN_LETTERS))
    ['كى', 'كي', 'كی', 'کى', 'کي', 'کی']
    """
    replaced = dict(pairs)
    letters = set(replaced) | set(replaced.values())
    sources = {c: [x for x in sorted(letters | {c}) if replaced.get(x, x) == c] for w in words for c in w}
    return frozenset("".join(spelling) for w in words for spelling in itertools.product(*(sources[c] for c in w)))


_PERSIAN_SPELLINGS = _spellings(_PERSIAN_WORDS, _TO_PERSIAN_LETTERS)
_ARABIC_SPELLINGS = _spellings(_ARABIC_WORDS, _TO_ARABIC_LETTERS)
# each character of a set, counted in one scan (a count per character took 30 scans of each passage)
_PERSIAN_DIGIT_RE, _ARABIC_DIGIT_RE, _PERSIAN_ONLY_RE, _ARABIC_ONLY_RE, _ARABIC_YEH_KAF_RE = (
    re.compile(f"[{re.escape(''.join(sorted(characters)))}]")
    for characters in (PERSIAN_DIGITS, ARABIC_INDIC_DIGITS, PERSIAN_ONLY_LETTERS, ARABIC_ONLY_LETTERS, ARABIC_YEH_KAF))


def language_scores(text: str) -> tuple[float, float]:
    """Return the evidence ``(arabic, persian)`` found in ``text``; larger means more likely.

    >>> ar, fa = language_scores("همیشه حق با مشتری نیست")
    >>> fa > ar
    True
    """
    # Score the text as normalization would leave it, so that normalizing a passage never changes
    # its detected language.
    text = _normalized_view(text)
    arabic = persian = 0.0
    persian += 0.5 * len(_PERSIAN_DIGIT_RE.findall(text))
    arabic += 0.5 * len(_ARABIC_DIGIT_RE.findall(text))
    # Letters count one by one, so that joining or splitting words changes nothing.
    persian += len(_PERSIAN_ONLY_RE.findall(text))
    arabic += len(_ARABIC_ONLY_RE.findall(text))
    arabic += 0.25 * len(_ARABIC_YEH_KAF_RE.findall(text))
    arabic += 0.75 * len(_ARABIC_ARTICLE_RE.findall(text))
    # function words, whichever keyboard's yeh and kaf they are typed with
    words = EVIDENCE_WORD_RE.findall(text)
    persian += 2.0 * sum(map(_PERSIAN_SPELLINGS.__contains__, words))
    arabic += 2.0 * sum(map(_ARABIC_SPELLINGS.__contains__, words))
    return arabic, persian


#: Evidence :func:`confident_language` needs: this much for the winner, and the other language
#: below an eighth of it (and below one Persian-only letter).
STRONG_EVIDENCE = 3.0


def confident_language(text: str) -> Language | None:
    """The language of ``text`` when the evidence is clear, else None: too little (a short line
    like "آمدند" or "مشتري جديد") or mixed (a Persian line quoting Arabic). Normalization by
    detection leaves the letters of such lines alone.

    >>> confident_language("همیشه حق با مشتری نیست"), confident_language("مشتري جديد")
    ('fa', None)
    """
    lang = detect_language(text)
    if lang == "other":
        return lang
    arabic, persian = language_scores(text)
    winner, loser = max(arabic, persian), min(arabic, persian)
    return lang if winner >= STRONG_EVIDENCE and loser < max(1.0, winner / 8) else None


def detect_language(text: str, *, fallback: Language | Callable[[], Language] = "ar") -> Language:
    """Return ``"ar"``, ``"fa"`` or ``"other"`` for one passage.

    ``fallback`` is the answer for Arabic-script text with no evidence either way (a greeting
    like "سلام"), or a function giving it, called only then; passages pass their document's
    language that way (most passages never need it).

    "other" covers text that is mostly Latin script (over two Latin letters for each Arabic-script
    one, not counting web and e-mail addresses or HTML tags), digits only, punctuation only, or empty.

    >>> detect_language("العميل ليس دائما على حق")
    'ar'
    >>> detect_language("همیشه حق با مشتری نیست")
    'fa'
    >>> detect_language("Cookies help us deliver our services.")
    'other'
    """
    latin_letters = len(LATIN_RE.findall(text))
    if latin_letters > 2:  # links, e-mail addresses and HTML are no Latin-script text
        latin_letters = len(LATIN_RE.findall(without_markup(text)))
    # Arabic-script letters are counted only as far as the test needs (most texts: two)
    needed = max(2, (latin_letters + 1) // 2)
    if sum(1 for _ in itertools.islice(ARABIC_LETTER_RE.finditer(text), needed)) < needed:
        return "other"
    arabic, persian = language_scores(text)
    if arabic == persian:
        answer = fallback() if callable(fallback) else fallback
        return answer if answer != "other" else "ar"
    return "fa" if persian > arabic else "ar"
