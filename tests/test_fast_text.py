"""The fast text and feature steps of labeling give exactly what the plain computations give.

Each fast step (language evidence, the lazily worked-out document language, the letter fold, surface
forms, cue counting with one literal pass, word counting, the stray half-space pattern, cached
character n-grams) is compared with the straightforward computation it replaces, written out here,
on the sample corpus, a slice of the training corpus and generated text.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from forumminer.io.readers import read_corpus
from forumminer.stance import features
from forumminer.stance.features import CharTerms, WordTerms, cue_counts, fold_letters, surface_forms
from forumminer.text import langid
from forumminer.text._resources import (ARABIC_INDIC_DIGITS, ARABIC_LETTER_RE, ARABIC_ONLY_LETTERS, ARABIC_YEH_KAF,
                                        EVIDENCE_WORD_RE, LATIN_RE, PERSIAN_DIGITS, PERSIAN_ONLY_LETTERS)
from forumminer.text.normalize import _drop_stray_marks
from forumminer.text.passages import _DOCUMENT_LANG_CHARS, _word_count, passages

from .conftest import SAMPLE

# letters, marks, digits and signs the text functions treat specially, and a few ordinary ones
ALPHABET = ("ابتسمنلهوییككکىةأإآٱؤئپچژگ" "٠١٢۳۴5" "\u064b\u0650\u0670\u0640\u200c\u200d\u200b"
            " \n.؟?!،-" "aZΣσςİ")
arabic_script_text = st.text(alphabet=ALPHABET, max_size=60)


_PLAIN_ARTICLE_RE = re.compile(r"(?<![^\W\d_])(?:ال[^\W\d_]{2,}|[وب]ال[^\W\d_]+)")


def _plain_language_scores(text: str) -> tuple[float, float]:
    """Language evidence with the text's letters rewritten for each word list."""
    view = langid._normalized_view(text)
    persian = 0.5 * sum(view.count(d) for d in PERSIAN_DIGITS) + sum(view.count(c) for c in PERSIAN_ONLY_LETTERS)
    arabic = (0.5 * sum(view.count(d) for d in ARABIC_INDIC_DIGITS) + sum(view.count(c) for c in ARABIC_ONLY_LETTERS)
              + 0.25 * sum(view.count(c) for c in ARABIC_YEH_KAF) + 0.75 * len(_PLAIN_ARTICLE_RE.findall(view)))
    persian_view = langid._replace_all(view, langid._TO_PERSIAN_LETTERS)
    arabic_view = langid._replace_all(view, langid._TO_ARABIC_LETTERS)
    persian += 2.0 * sum(word in langid._PERSIAN_WORDS for word in EVIDENCE_WORD_RE.findall(persian_view))
    arabic += 2.0 * sum(word in langid._ARABIC_WORDS for word in EVIDENCE_WORD_RE.findall(arabic_view))
    return arabic, persian


def _plain_detect(text: str, fallback: str = "ar") -> str:
    arabic_letters, latin_letters = len(ARABIC_LETTER_RE.findall(text)), len(LATIN_RE.findall(text))
    if arabic_letters < 2 or latin_letters > 2 * arabic_letters:
        return "other"
    arabic, persian = _plain_language_scores(text)
    if arabic == persian:
        return fallback if fallback != "other" else "ar"
    return "fa" if persian > arabic else "ar"


def test_language_evidence_and_detection_equal_the_plain_computation(corpus_texts: list[str]) -> None:
    assert [langid.language_scores(t) for t in corpus_texts] == [_plain_language_scores(t) for t in corpus_texts]
    assert [langid.detect_language(t) for t in corpus_texts] == [_plain_detect(t) for t in corpus_texts]


@given(arabic_script_text)
@example("كی مي")  # function words typed on an Arabic keyboard
@example("والبيت بالعمل الكتاب xالقلم")  # the article after و and ب, and after a letter
@example("Latin words, two ابج")
def test_language_evidence_equals_the_plain_computation_on_any_text(text: str) -> None:
    assert langid.language_scores(text) == _plain_language_scores(text)
    assert langid.detect_language(text) == _plain_detect(text)
    assert langid.detect_language(text, fallback="fa") == _plain_detect(text, fallback="fa")


def test_a_passage_without_evidence_takes_its_documents_language_worked_out_only_then() -> None:
    documents = read_corpus(SAMPLE)
    table = passages(documents)
    expected = []
    for doc_id, text in zip(documents["doc_id"].astype(str), documents["text"]):
        document_lang = _plain_detect(text[:_DOCUMENT_LANG_CHARS])
        for passage in table.loc[table["doc_id"] == doc_id, "text"]:
            expected.append(_plain_detect(passage, fallback=document_lang))
    assert table["lang"].tolist() == expected
    calls: list[str] = []

    def document_language() -> langid.Language:
        calls.append("asked")
        return "fa"

    assert langid.detect_language("العميل ليس دائما على حق", fallback=document_language) == "ar"
    assert calls == []
    assert langid.detect_language("سلام", fallback=document_language) == "fa"
    assert calls == ["asked"]


_FOLD_TABLE = str.maketrans({"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
                             "ؤ": "و", **{d: "0" for d in "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}})


@given(arabic_script_text)
def test_the_letter_fold_equals_its_translation_table(text: str) -> None:
    assert fold_letters(text) == text.translate(_FOLD_TABLE).lower()


@given(arabic_script_text)
@example("ΣΑΣ'Σ İstanbul")  # lower() of a capital sigma depends on its neighbours; İ lowers to two characters
def test_surface_forms_equal_folding_each_token_alone(text: str) -> None:
    tokens = features.feature_tokens(text)
    assert surface_forms(text) == {fold_letters(token): token for token in tokens}


def test_surface_forms_equal_folding_each_token_alone_on_the_corpora(corpus_texts: list[str]) -> None:
    for text in corpus_texts:
        assert surface_forms(text) == {fold_letters(token): token for token in features.feature_tokens(text)}


_PLAIN_STRAY_ZWNJ_RE = re.compile(r"(?<![^\W\d_])\u200c|\u200c(?![^\W\d_])")


@given(st.text(alphabet="\u200cاب1 _\u064bـ۱!a", max_size=30))
def test_stray_half_spaces_are_those_of_the_plain_pattern(text: str) -> None:
    plain = _PLAIN_STRAY_ZWNJ_RE.sub("", re.sub("\u200c{2,}", "\u200c", text.replace("\u0640", "")))
    assert _drop_stray_marks(text) == plain


@given(st.text(alphabet=" \t\n\u00a0\u2003\u200cاب.", max_size=80), st.integers(1, 10))
def test_word_count_equals_counting_words_one_by_one(text: str, stop_after: int) -> None:
    plain = 0
    for plain, _ in enumerate(re.finditer(r"\S+", text), start=1):
        if plain > stop_after:
            break
    assert _word_count(text, 0, len(text), stop_after=stop_after) == plain


def _plain_cue_counts(text: str) -> list[int]:
    return [len(pattern.findall(text)) for _, pattern in features._CUE_GROUPS]


# pieces of cue phrases (their required literals), so that generated texts hold several, overlapping
cue_text = st.lists(st.sampled_from([*features._ANCHORS, " ", "و", "ها", "ال", "ی "]), max_size=12).map("".join)


@given(cue_text)
def test_cue_counts_equal_each_group_pattern_run_on_the_whole_text(text: str) -> None:
    assert cue_counts(text)[:len(features._CUE_GROUPS)] == _plain_cue_counts(text)


def test_cue_counts_equal_each_group_pattern_on_the_corpora(corpus_texts: list[str]) -> None:
    prepared = [features.feature_text(t) for t in corpus_texts]
    counts = [cue_counts(t)[:len(features._CUE_GROUPS)] for t in prepared]
    assert counts == [_plain_cue_counts(t) for t in prepared]
    assert sum(map(any, counts)) > len(prepared) // 3  # most texts do match a cue
    assert sum(map(any, zip(*counts))) > len(features._CUE_GROUPS) // 2  # and most groups are exercised


@settings(max_examples=50, deadline=None)
@given(st.lists(arabic_script_text, max_size=6), st.integers(1, 5))
def test_character_terms_are_the_same_whatever_the_cache_holds(documents: list[str], cache_words: int) -> None:
    vocabulary = {gram: index for index, gram in enumerate(sorted({g for d in documents for w in d.split()
                                                                   for g in features.char_wb_ngrams(w, (2, 3))}))}
    vocabulary = {gram: index for gram, index in vocabulary.items() if index % 3}  # some n-grams unknown
    plain = [[vocabulary[g] for w in d.split() for g in features.char_wb_ngrams(w, (2, 3)) if g in vocabulary]
             for d in documents]
    terms = CharTerms(vocabulary, (2, 3), cache_words)
    for _ in range(2):  # a cold cache, then a warm one (or one cleared for holding too many words)
        indices, lengths = terms(documents)
        assert lengths.tolist() == [len(p) for p in plain]
        assert indices.tolist() == [i for p in plain for i in p]


# words as str.split() gives them: any characters but whitespace (an emoji is one character, two in UTF-16;
# a lone surrogate is a character too)
word_text = st.text(alphabet=ALPHABET.replace(" ", "").replace("\n", "") + "\U0001f600\ud800", min_size=1, max_size=9)


@settings(max_examples=100, deadline=None)
@given(st.lists(word_text, max_size=8), st.lists(word_text, max_size=4),
       st.sampled_from([(1, 1), (2, 3), (3, 5), (4, 6), (1, 4), (5, 5)]))
def test_character_ngrams_found_by_number_are_those_found_by_name(words: list[str], known: list[str],
                                                                 ngram_range: tuple[int, int]) -> None:
    # the vocabulary: n-grams of other words (so some characters of `words` are not in its alphabet)
    # and every other n-gram of `words`
    grams = [g for w in known for g in features.char_wb_ngrams(w, ngram_range)]
    grams += [g for w in words for g in features.char_wb_ngrams(w, ngram_range)][::2]
    vocabulary = {gram: index for index, gram in enumerate(dict.fromkeys(grams))}
    plain = [vocabulary.get(g, -1) for w in words for g in features.char_wb_ngrams(w, ngram_range)]
    found, per_word = CharTerms(vocabulary, ngram_range)._grams(words)
    assert found.tolist() == plain
    assert per_word.tolist() == [len(features.char_wb_ngrams(w, ngram_range)) for w in words]


def test_a_vocabulary_of_too_many_characters_for_numbers_is_looked_up_by_name() -> None:
    # 7000 characters: five-character n-grams would need more than 63 bits as numbers
    vocabulary = {chr(0x4E00 + i) * 3: i for i in range(7000)} | {" ابت": 7000, "ابت ": 7001}
    assert features._GramKeys.of(vocabulary, 5) is None
    found, per_word = CharTerms(vocabulary, (3, 5))._grams(["ابت", chr(0x4E00) * 3])
    assert found.tolist() == [-1, -1, -1, 7000, 7001, -1, -1, 0, -1, -1, -1, -1]
    assert per_word.tolist() == [6, 6]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="ابت ؟\n", max_size=20), max_size=6), st.sampled_from([(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)]))
def test_word_terms_are_the_vocabulary_indices_of_the_word_ngrams(documents: list[str], ngram_range: tuple[int, int]) -> None:
    grams = sorted({g for d in documents for g in features.word_ngrams(d, ngram_range)})
    vocabulary = {gram: index for index, gram in enumerate(grams) if index % 3}  # some n-grams unknown
    plain = [[vocabulary[g] for g in features.word_ngrams(d, ngram_range) if g in vocabulary] for d in documents]
    indices, lengths = WordTerms(vocabulary, ngram_range)(documents)
    assert lengths.tolist() == [len(p) for p in plain]
    assert indices.tolist() == [i for p in plain for i in p]


@pytest.fixture(scope="module")
def hazm_normalizer():  # type: ignore[no-untyped-def]
    import hazm

    return hazm.Normalizer()


persian_text = st.text(alphabet="میمنیکسلاممم ۱2%٣ها.\u200c\n«»…" "يك", max_size=40)


@settings(max_examples=300, deadline=None)  # the first example builds the normalizer
@given(persian_text)
@example("ســلاممممم 50% نمیدانم می‌روم")
def test_the_persian_normalizer_skips_only_steps_that_change_nothing(hazm_normalizer, text: str) -> None:  # type: ignore[no-untyped-def]
    from forumminer.text.normalize import PROFILES, _persian_normalizer

    assert _persian_normalizer(**PROFILES["fa-default"]).normalize(text) == hazm_normalizer.normalize(text)


def test_hazms_translation_tables_translate_every_character_as_hazms_own() -> None:
    import hazm.constants
    import hazm.utils

    from forumminer.text.normalize import _translation_table

    characters = "".join(map(chr, range(0x30000)))
    for source, target in ((hazm.constants.TRANSLATION_SRC, hazm.constants.TRANSLATION_DST),
                           (hazm.constants.NUMBERS_SRC, hazm.constants.NUMBERS_DST)):
        translated = characters.translate(_translation_table(source, target))
        assert translated == characters.translate(hazm.utils.maketrans(source, target))
        assert translated != characters


def test_hazms_normalizer_runs_its_own_patterns_compiled() -> None:
    import hazm.constants
    import hazm.normalizer

    from forumminer.text.normalize import HAZM_PATTERN_LISTS, PROFILES, _persian_normalizer

    _persian_normalizer(**PROFILES["fa-default"])
    for name in HAZM_PATTERN_LISTS:
        patterns = getattr(hazm.normalizer, name)
        assert all(isinstance(pattern, re.Pattern) and not pattern.flags & ~re.UNICODE for pattern, _ in patterns)
        assert [(pattern.pattern, replacement) for pattern, replacement in patterns] == list(getattr(hazm.constants, name))


def test_camel_tools_unicode_normalization_is_nfkc_but_for_the_ligatures_it_spells_out() -> None:
    """Arabic normalization sends text without those ligatures to NFKC directly."""
    import sys

    from camel_tools.utils.normalize import normalize_unicode

    from forumminer.text.normalize import _CAMEL_SPELLED_OUT_RE

    characters = "".join(map(chr, range(sys.maxunicode + 1)))
    characters = characters.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    differing = {c for c in characters if normalize_unicode(c) != unicodedata.normalize("NFKC", c)}
    assert differing == set(_CAMEL_SPELLED_OUT_RE.pattern.strip("[]"))


def test_the_arabic_diacritics_are_camel_tools_set() -> None:
    from camel_tools.utils.charsets import AR_DIAC_CHARSET

    from forumminer.text.normalize import ARABIC_DIACRITICS

    assert set(ARABIC_DIACRITICS) == AR_DIAC_CHARSET and len(ARABIC_DIACRITICS) == len(AR_DIAC_CHARSET)


@settings(max_examples=300, deadline=None)  # the first example imports camel-tools
@given(st.text(alphabet=ALPHABET + "\u064b\u064c\u064d\u064e\u064f\u0651\u0652\u0653\u0654\u0655ء", max_size=60))
@example("العَمِيلُ دائماً على حقّ")
def test_arabic_normalization_removes_the_marks_camel_tools_dediac_removes(text: str) -> None:
    """Arabic normalization without camel-tools' dediac module gives what it would give with it."""
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import normalize_unicode

    from forumminer.text._resources import remove_invisible
    from forumminer.text.normalize import normalize

    with_camel_tools = unicodedata.normalize("NFKC", dediac_ar(normalize_unicode(remove_invisible(text))))
    assert normalize(text, lang="ar", unify_alef=False) == with_camel_tools.replace("\u0640", "")


def test_arabic_normalization_is_camel_tools_on_the_corpora(corpus_texts: list[str]) -> None:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import normalize_alef_ar, normalize_unicode

    from forumminer.text._resources import remove_invisible
    from forumminer.text.normalize import normalize

    for text in corpus_texts:
        plain = unicodedata.normalize("NFKC", dediac_ar(normalize_unicode(remove_invisible(text))))
        assert normalize(text, lang="ar") == normalize_alef_ar(plain.replace("\u0640", ""))


def test_character_terms_of_a_numpy_vocabulary_raise_no_warning() -> None:
    # scikit-learn's vocabulary_ holds NumPy integers; comparing them with (-1).__ne__ gave
    # NotImplemented, a truth value Python deprecates (one warning per word, 1.4 million in the suite)
    vocabulary = {" حق": np.int64(0), "حق ": np.int64(1)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        indices, lengths = CharTerms(vocabulary, (3, 3))(["حق حق", "لا"])
    assert indices.tolist() == [0, 1, 0, 1] and lengths.tolist() == [4, 0]


def test_hazm_s_word_list_reads_the_same_through_our_reader() -> None:
    from forumminer.text.normalize import import_hazm, read_hazm_words

    import_hazm()
    import hazm.utils

    assert read_hazm_words() == hazm.utils.words_list()


@given(st.lists(st.lists(st.text(alphabet="آبپ, \r\x0b\u2028x1", max_size=6), min_size=1, max_size=4), max_size=8),
       st.sampled_from(["\n", "\r\n"]))
def test_our_word_list_reader_splits_lines_and_fields_as_hazm_does(rows: list[list[str]], newline: str) -> None:
    import tempfile
    from pathlib import Path

    from forumminer.text.normalize import import_hazm, read_hazm_words

    import_hazm()
    import hazm.utils

    lines = ["\t".join(row[:1] + ["7"] + row[1:2]) if len(row) > 1 else row[0] for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "words.dat"
        path.write_bytes(newline.join(lines).encode("utf-8"))
        assert read_hazm_words(path) == hazm.utils.words_list(path)
