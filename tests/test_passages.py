from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumminer import passages, read_corpus
from forumminer.errors import ForumminerWarning, ParameterError
from forumminer.text.passages import passage_spans

from .conftest import SAMPLE

FORUM = "هل العميل دائما على حق؟\nلا طبعا، للعميل حدود\nبالعكس، الزبون ملك\n"
ARTICLE = "عنوان المقال\n\nالفقرة الأولى عن العملاء.\n\nالفقرة الثانية: همیشه حق با مشتری نیست.\n"
WRAPPED = "the first paragraph is wrapped\nover two lines\n\nand the second one\nas well"


def docs(*texts: str | None, **metadata: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(1, len(texts) + 1)], "text": list(texts), **metadata})


def test_forum_export_gives_one_passage_per_post() -> None:
    table = passages(docs(FORUM))
    assert table["text"].tolist() == ["هل العميل دائما على حق؟", "لا طبعا، للعميل حدود", "بالعكس، الزبون ملك"]
    assert table["passage_id"].tolist() == ["d1#1", "d1#2", "d1#3"]


def test_article_gives_one_passage_per_paragraph_with_its_language() -> None:
    table = passages(docs(ARTICLE))
    assert table["text"].tolist() == ["عنوان المقال", "الفقرة الأولى عن العملاء.", "الفقرة الثانية: همیشه حق با مشتری نیست."]
    assert table["lang"].tolist()[1] == "ar"


def test_hard_wrapped_paragraphs_are_joined() -> None:
    table = passages(docs(WRAPPED))
    assert table["text"].tolist() == ["the first paragraph is wrapped\nover two lines", "and the second one\nas well"]
    assert passages(docs(WRAPPED), unit="line")["text"].tolist() == WRAPPED.replace("\n\n", "\n").split("\n")


def test_long_paragraph_is_split_at_sentence_boundaries() -> None:
    sentence = "العميل مهم جدا لكن وقتي مهم أيضا."
    paragraph = " ".join([sentence] * 10)  # 70 words
    table = passages(docs(paragraph), max_words=20)
    assert table["text"].tolist() == [" ".join([sentence] * 2)] * 5
    assert all(len(t.split()) <= 20 for t in table["text"])


def test_offsets_point_into_the_document_and_metadata_is_kept() -> None:
    frame = docs(ARTICLE, FORUM, date=["2024-01-01", "1402/05/12"], lang=["x", "y"])
    with pytest.warns(ForumminerWarning, match="input columns lang keep their names; forumminer's own are written as fm_lang"):
        table = passages(frame)
    for row in table.itertuples():
        document = frame.set_index("doc_id").loc[row.doc_id, "text"]
        assert document[row.start:row.end] == row.text
    assert set(table["date"]) == {"2024-01-01", "1402/05/12"}
    # a metadata column that clashes with a passage column keeps its name; ours moves aside
    assert set(table["lang"]) == {"x", "y"}
    assert set(table["fm_lang"]) == {"ar", "fa"}


def test_document_without_text_keeps_a_row_with_a_reason() -> None:
    table = passages(docs(FORUM, None, "  \n "))
    empty = table[table["doc_id"] != "d1"]
    assert empty["skip_reason"].tolist() == ["empty document", "empty document"]
    assert empty["text"].tolist() == ["", ""]
    assert table["doc_id"].unique().tolist() == ["d1", "d2", "d3"]


def test_passage_ids_are_stable_across_runs() -> None:
    docs_ = read_corpus(SAMPLE)
    assert passages(docs_)["passage_id"].tolist() == passages(docs_)["passage_id"].tolist()


def test_sample_corpus_passages_cover_both_languages() -> None:
    table = passages(read_corpus(SAMPLE))
    counts = table["lang"].value_counts()
    assert counts["ar"] > 100 and counts["fa"] > 60
    assert table["passage_id"].is_unique


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ParameterError, match="unit must be one of auto, line, paragraph; got 'page'."):
        passages(docs(FORUM), unit="page")
    with pytest.raises(ParameterError, match="max_words must be a positive integer; got 0."):
        passages(docs(FORUM), max_words=0)


DOCUMENT_TEXT = st.text(alphabet=st.sampled_from(list("ab جد مشتری.؟!\n\n  ٣")), max_size=200)


@settings(max_examples=200, deadline=None)
@given(DOCUMENT_TEXT, st.integers(min_value=1, max_value=8), st.sampled_from(["auto", "line", "paragraph"]))
def test_passages_map_back_and_lose_no_word(text: str, max_words: int, unit: str) -> None:
    spans = list(passage_spans(text, max_words=max_words, unit=unit))
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    assert [w for s, e in spans for w in text[s:e].split()] == text.split()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), DOCUMENT_TEXT), min_size=1, max_size=5))
def test_every_document_appears_in_the_passages(texts: list[str | None]) -> None:
    table = passages(docs(*texts))
    assert table["doc_id"].unique().tolist() == [f"d{i}" for i in range(1, len(texts) + 1)]
