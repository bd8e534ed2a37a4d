from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumminer import sentences, tokenize
from forumminer.text.segment import sentence_spans

TOKEN_CASES = [
    # punctuation split from Arabic words, diacritized word kept whole
    ("العميل، دائماً على حق!", "ar", ["العميل", "،", "دائماً", "على", "حق", "!"]),
    # Arabic question mark
    ("هل العميل على حق؟", "ar", ["هل", "العميل", "على", "حق", "؟"]),
    # Persian half-space compound stays one token
    ("من می‌خواهم بروم.", "fa", ["من", "می\u200cخواهم", "بروم", "."]),
    # Persian plural with half-space stays one token
    ("کتاب‌ها را آوردم", "fa", ["کتاب\u200cها", "را", "آوردم"]),
    # detection picks the tokenizer
    ("مشتری‌ها همیشه حق ندارند", None, ["مشتری\u200cها", "همیشه", "حق", "ندارند"]),
]


@pytest.mark.parametrize(("text", "lang", "expected"), TOKEN_CASES)
def test_tokenize_table(text: str, lang: str | None, expected: list[str]) -> None:
    assert tokenize(text, lang=lang) == expected


def test_persian_tokens_equal_hazm_word_tokenize(dev_rows: list[dict[str, str]]) -> None:
    import hazm

    persian = [row["text"] for row in dev_rows if row["lang"] == "fa"]
    # hazm.word_tokenize itself rebuilds its tokenizer per call (~0.7 s): check a few lines with it
    for text in persian[:3]:
        assert tokenize(text, lang="fa") == hazm.word_tokenize(text)
    reference = hazm.WordTokenizer()
    for text in persian:
        assert tokenize(text, lang="fa") == reference.tokenize(text)


def test_arabic_tokens_equal_camel_tools(dev_rows: list[dict[str, str]]) -> None:
    from camel_tools.tokenizers.word import simple_word_tokenize

    for row in dev_rows:
        if row["lang"] == "ar":
            assert tokenize(row["text"], lang="ar") == simple_word_tokenize(row["text"])


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("العميل مشتری‌ها، .؟!٣۴5\n")), max_size=40))
def test_tokens_are_never_empty_and_never_contain_spaces(text: str) -> None:
    for token in tokenize(text):
        assert token
        assert not any(ch.isspace() for ch in token)


SENTENCE_CASES = [
    # ؟ ! and . end sentences
    ("هل العميل على حق؟ لا! ربما.", ["هل العميل على حق؟", "لا!", "ربما."]),
    # a decimal with Arabic-Indic digits does not end a sentence
    ("النسبة ٣.٥٪ فقط. هذا قليل", ["النسبة ٣.٥٪ فقط.", "هذا قليل"]),
    # a one-letter abbreviation (د. = doctor) does not end a sentence
    ("قال د. أحمد إن العميل مهم. ونحن نوافق", ["قال د. أحمد إن العميل مهم.", "ونحن نوافق"]),
    # the Arabic semicolon and the ellipsis character end sentences
    ("نقبل التعديل؛ لكن بمقابل… هذا عدل", ["نقبل التعديل؛", "لكن بمقابل…", "هذا عدل"]),
    # three dots and a closing guillemet stay with their sentence
    ("گفت «نه!» و رفت... تمام", ["گفت «نه!»", "و رفت...", "تمام"]),
    # a line break ends a sentence
    ("سطر اول\nسطر دوم", ["سطر اول", "سطر دوم"]),
    # nothing to split
    ("   ", []),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_CASES)
def test_sentences_table(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab جد.؟!؛…\n ٣۴»")), max_size=60))
def test_sentence_spans_map_back_in_order_and_keep_every_word(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end
        piece = text[start:end]
        assert piece == piece.strip()
        previous_end = end
    assert [word for s, e in spans for word in text[s:e].split()] == text.split()
