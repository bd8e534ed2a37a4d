"""Normalization of Arabic (through camel-tools) and Persian (through hazm) text.

One entry point, :func:`normalize`, with a ``lang`` keyword. Each language has a named profile of
defaults (``"ar-default"``, ``"fa-default"``) that keyword options override.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from typing import TYPE_CHECKING, Any

from ..errors import ParameterError, check_choice
from ._resources import ARABIC_INDIC_DIGITS, PERSIAN_DIGITS, remove_invisible
from .langid import LANGUAGES, confident_language

if TYPE_CHECKING:
    import hazm

#: Default options of each language. Persian options are those of ``hazm.Normalizer``; with the
#: defaults the output is exactly ``hazm.Normalizer().normalize(text)``.
PROFILES: dict[str, dict[str, bool]] = {
    "ar-default": {
        "remove_diacritics": True,  # harakat, shadda, sukun, dagger alef
        "remove_tatweel": True,  # ـ kashida used to stretch words
        "unify_alef": True,  # أ إ آ ٱ -> ا
        "fold_alef_maksura": False,  # ى -> ي
        "fold_teh_marbuta": False,  # ة -> ه
        "ascii_digits": False,  # ٠١٢ -> 012
    },
    "fa-default": {
        "correct_spacing": True,
        "remove_diacritics": True,
        "remove_specials_chars": True,
        "decrease_repeated_chars": True,
        "persian_style": True,
        "persian_numbers": True,
        "unicodes_replacement": True,
        "seperate_mi": True,  # hazm's spelling of the option
    },
}

_TATWEEL = "\u0640"
# a half-space with no letter before it, or none after it (the look-behind comes after the
# half-space, so that the pattern starts with a literal, which the regex engine searches fast)
_STRAY_ZWNJ_RE = re.compile(r"\u200c(?:(?<![^\W\d_]\u200c)|(?![^\W\d_]))")
_ZWNJ_RUN_RE = re.compile("\u200c{2,}")
_SECOND_PASS_RE = re.compile(r"\.\.\.|\d\.\d")
_CAMEL_SPELLED_OUT_RE = re.compile("[\ufdfc\ufdfd]")  # ﷼ ﷽, which camel-tools' normalize_unicode spells out
_TO_ASCII_DIGITS = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
# the marks camel-tools' dediac_ar removes (its AR_DIAC_CHARSET): tanween, harakat, shadda, sukun,
# dagger alef. Its module builds every Unicode character class on import (0.7 s of each process's
# start, see scripts/bench_label.py) for these nine; tests/test_fast_text.py checks they are its set.
ARABIC_DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
_ARABIC_DIACRITIC_RE = re.compile(f"[{ARABIC_DIACRITICS}]")


def normalize(text: str, lang: str | None = None, **options: bool) -> str:
    """Normalize ``text`` as Arabic (``"ar"``), Persian (``"fa"``) or by detection (None/"auto");
    ``"other"`` (what :func:`detect_language` says of non-Arabic-script text) leaves it unchanged.

    With detection each line is normalized in its own detected language, so Persian rules never
    touch an Arabic line and the other way round; lines of other languages are left as they are.
    A line whose language evidence is weak or mixed (:func:`confident_language`: "آمدند",
    "مشتري جديد", a Persian line quoting Arabic) keeps its letters and digits: only diacritics,
    tatweel and invisible characters go. Arabic and Persian text always loses the invisible
    characters that only change where a word breaks (zero-width space, a zero-width joiner next to
    a letter, word joiner, byte-order mark, soft hyphen). Options override the language's profile (see :data:`PROFILES`).

    >>> normalize("العَمِيلُ دائماً على حقّ")
    'العميل دائما على حق'
    >>> normalize("مشتري هميشه حق دارد", lang="fa")
    'مشتری همیشه حق دارد'
    >>> normalize("مشتري جديد")
    'مشتري جديد'
    """
    if not isinstance(text, str):
        raise ParameterError(f"text must be a string; got {type(text).__name__}.", name="text", value=text)
    check_choice("lang", lang or "auto", (*LANGUAGES, "auto"))
    if lang in (None, "auto"):
        return "\n".join(_normalize_line(line, confident_language(line), options) for line in text.split("\n"))
    return _normalize_line(text, lang, options)


def _normalize_line(text: str, lang: str | None, options: dict[str, bool]) -> str:
    if lang in ("ar", "fa", None):
        text = remove_invisible(text)
    if lang is None:  # weak evidence: the marks both languages drop, nothing that picks a language
        neutral = {"unify_alef": False, "fold_alef_maksura": False, "fold_teh_marbuta": False, "ascii_digits": False}
        return _normalize_arabic(text, **{**PROFILES["ar-default"], **neutral})
    if lang == "ar":
        return _normalize_arabic(text, **_resolve_options("ar-default", options))
    if lang == "fa":
        resolved = _resolve_options("fa-default", options)
        persian = _persian_normalizer(**resolved)
        # hazm removes marks after its spacing step, which leaves gaps where they stood ("ءء۰\u0610"),
        # and they would hide stray half-spaces from _drop_stray_marks: remove them first
        for step in ("remove_specials_chars", "remove_diacritics"):
            if resolved[step]:
                text = getattr(persian, step)(text)
        text = _drop_stray_marks(text)
        text = _drop_stray_marks(persian.normalize(text))
        if resolved["persian_style"] and _SECOND_PASS_RE.search(text):
            # what hazm's style step (which runs before its spacing step) would still change: a
            # "..." or a decimal "5.5" that spacing made of ".. ." or "5 .5", or the second decimal
            # point of "5.5.5" (its pattern consumes the shared digit)
            text = _drop_stray_marks(persian.normalize(text))
        return text
    return text


def _drop_stray_marks(text: str) -> str:
    """Remove tatweel and half-spaces that do not join two letters (before hazm runs, and after:
    its ``seperate_mi`` can join "می" to a following non-letter).

    hazm drops both anyway, but in an order that is not idempotent: "آپ\u200cـ" becomes
    "آپ\u200c" and only a second pass strips that half-space ("آپ\u200c5" likewise). Text whose
    half-spaces all sit inside words, as in real Persian, gets exactly hazm's output.
    """
    return _STRAY_ZWNJ_RE.sub("", _ZWNJ_RUN_RE.sub("\u200c", text.replace(_TATWEEL, "")))


def _resolve_options(profile: str, options: dict[str, bool]) -> dict[str, bool]:
    defaults = PROFILES[profile]
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise ParameterError(
            f"unknown {profile[:2]} normalization option {unknown[0]!r}; "
            f"the options are: {', '.join(defaults)}.",
            name=unknown[0],
            value=options[unknown[0]],
        )
    return {**defaults, **options}


def _normalize_arabic(
    text: str,
    *,
    remove_diacritics: bool,
    remove_tatweel: bool,
    unify_alef: bool,
    fold_alef_maksura: bool,
    fold_teh_marbuta: bool,
    ascii_digits: bool,
) -> str:
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    # camel-tools spells out two ligatures, looking at each character in Python, before NFKC: text
    # without them goes to NFKC directly
    text = normalize_unicode(text) if _CAMEL_SPELLED_OUT_RE.search(text) else unicodedata.normalize("NFKC", text)
    if remove_diacritics:
        # Compose again: removing a mark can leave a letter next to a hamza sign NFKC composes.
        text = unicodedata.normalize("NFKC", _ARABIC_DIACRITIC_RE.sub("", text))
    if remove_tatweel:
        text = text.replace(_TATWEEL, "")
    if unify_alef:
        text = normalize_alef_ar(text)
    if fold_alef_maksura:
        text = normalize_alef_maksura_ar(text)
    if fold_teh_marbuta:
        text = normalize_teh_marbuta_ar(text)
    if ascii_digits:
        text = text.translate(_TO_ASCII_DIGITS)
    return text


def build_normalizers() -> None:
    """Build what normalizing with the default options needs (hazm's Persian normalizer, about a
    second) now rather than at the first Persian text.

    >>> build_normalizers()
    """
    _persian_normalizer(**PROFILES["fa-default"])


@functools.lru_cache(maxsize=8)
def _persian_normalizer(**options: Any) -> "hazm.Normalizer":
    """hazm's Normalizer with ``options``, built once per set of options.

    hazm's constructor reads its word list twice: once for its tokenizer and once more inside the
    Lemmatizer it builds only for the verb forms (about a third of the constructor's second).
    The normalizer is built without the verb step and given the same verb forms from a Lemmatizer
    that skips the word list, which leaves it in exactly the state hazm's constructor would.
    """
    import_hazm()
    import hazm.normalizer
    import hazm.word_tokenizer

    hazm.word_tokenizer.words_list = read_hazm_words
    _memoize_hazm_translation_tables(hazm.normalizer)
    _compile_hazm_patterns(hazm.normalizer)
    normalizer = _skipping_normalizer_class()(**{**options, "seperate_mi": False})
    if options.get("seperate_mi", True):
        normalizer._seperate_mi = True
        normalizer._verbs = _hazm_verb_forms()
    return normalizer


@functools.cache
def _skipping_normalizer_class() -> type["hazm.Normalizer"]:
    """hazm's Normalizer with three of its steps skipped on text they would leave unchanged:
    Persian digits for a text without a digit (or %) to replace, shorter letter runs for one
    without a letter written three times in a row (its pattern needs one, and scans slowly), and
    the half-space after "می" for one without "می". Each step runs as hazm's on any other text."""
    import hazm.constants
    import hazm.normalizer

    numbers = re.compile(f"[{re.escape(hazm.constants.NUMBERS_SRC)}]")

    class SkippingNormalizer(hazm.normalizer.Normalizer):
        def persian_number(self, text: str) -> str:
            return super().persian_number(text) if numbers.search(text) else text

        def decrease_repeated_chars(self, text: str) -> str:
            repeated = self.more_than_two_repeat_pattern.search(text)
            return super().decrease_repeated_chars(text) if repeated else text

        def seperate_mi(self, text: str) -> str:
            return super().seperate_mi(text) if "می" in text else text

    return SkippingNormalizer


@functools.cache
def _hazm_verb_forms() -> set[str]:
    """Every conjugated form of hazm's verbs, as ``hazm.Normalizer`` collects them."""
    import hazm.lemmatizer

    return set(hazm.lemmatizer.Lemmatizer(words_file=os.devnull, joined_verb_parts=False).verbs.keys())


def import_hazm() -> Any:
    """The hazm package, imported without the optional scikit-learn and SciPy parts of nltk.

    hazm imports nltk, whose package import loads scikit-learn and SciPy when they are installed,
    for nltk's own classifier wrapper and statistics (nltk.classify.scikitlearn, nltk.metrics),
    which hazm never uses: over a second of each process's start. They are hidden while hazm is
    imported, so nltk skips them; both import normally afterwards. (In a process where forumminer
    imported hazm first, those optional parts of nltk stay unavailable.)
    """
    if "hazm" in sys.modules:
        return sys.modules["hazm"]
    hidden = [name for name in ("sklearn", "scipy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None in sys.modules: "import name" fails
    try:
        import hazm
    finally:
        for name in hidden:
            del sys.modules[name]
    return hazm


#: The lists of (pattern, replacement) that hazm's normalizer steps run through ``regex_replace``.
HAZM_PATTERN_LISTS = ("EXTRA_SPACE_PATTERNS", "AFFIX_SPACING_PATTERNS", "PUNCTUATION_SPACING_PATTERNS",
                      "PERSIAN_STYLE_PATTERNS", "DIACRITICS_PATTERNS", "SPECIAL_CHARS_PATTERNS")


def _compile_hazm_patterns(module: Any) -> None:
    """hazm's pattern lists hold strings, which ``re.sub`` looks up in its cache of compiled
    patterns on every call (a tenth of the normalizer's time on Persian passages); its
    ``regex_replace`` takes compiled patterns as well, so each list gets its patterns compiled once."""
    for name in HAZM_PATTERN_LISTS:
        compiled = [(re.compile(pattern) if isinstance(pattern, str) else pattern, replacement)
                    for pattern, replacement in getattr(module, name)]
        setattr(module, name, compiled)


def read_hazm_words(words_file: "str | os.PathLike[str] | None" = None) -> list[tuple[str, int, tuple[str, ...]]]:
    """hazm's ``words_list`` (its word list: word, count, tags), read in one piece with each tag
    tuple built once: the same list in about half the time. hazm's Normalizer reads the list when it
    is built (the largest part of a Persian cold start); it reads it through this."""
    import hazm.utils

    tags: dict[str, tuple[str, ...]] = {}
    items = []
    with open(hazm.utils.default_words if words_file is None else words_file, encoding="utf-8") as handle:
        for line in handle.read().split("\n"):
            fields = line.strip().split("\t")
            if len(fields) == 3:
                tag = tags.get(fields[2]) or tags.setdefault(fields[2], tuple(fields[2].split(",")))
                items.append((fields[0], int(fields[1]), tag))
    return items


def _memoize_hazm_translation_tables(module: Any) -> None:
    """hazm rebuilds its translation tables on every ``normalize`` call (about a quarter of its
    time on a short passage, see scripts/bench_text.py): it gets each one built once, as
    :func:`_translation_table` builds it."""
    module.maketrans = _translation_table


@functools.cache
def _translation_table(source: str, target: str) -> list[str]:
    """hazm's translation table of ``source`` to ``target`` as a list: each character up to the
    last one the table maps, mapped or as it is. ``str.translate`` gives the same text with it as
    with hazm's dict, four times as fast (the dict makes it fail a lookup on every character it
    leaves alone).

    >>> "a1b".translate(_translation_table("1", "۱"))
    'a۱b'
    """
    import hazm.utils

    table = hazm.utils.maketrans(source, target)
    return [table.get(code, chr(code)) for code in range(max(table, default=-1) + 1)]
