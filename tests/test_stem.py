"""Light stemming of Arabic for matching key points (forumminer.text.stem)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from forumminer.stance.features import feature_text
from forumminer.summary.keypoints import matching_text
from forumminer.text.stem import stem

FOLDED_LETTERS = "ابتثجحخدذرزسشصضطظعغفقکلمنهویةءپچژگ"


@given(st.text(FOLDED_LETTERS, min_size=1, max_size=14))
def test_an_arabic_stem_is_one_word_in_the_folded_spelling(token: str) -> None:
    stemmed = stem(token, "ar")
    assert stemmed and not any(character.isspace() for character in stemmed)
    assert not set(stemmed) & set("يك")  # Arabic yeh and kaf stay folded, as feature_tokens write them
    assert len(stemmed) <= len(token)


@given(st.text(FOLDED_LETTERS, min_size=1, max_size=14), st.sampled_from(["fa", "other"]))
def test_words_of_other_languages_are_kept(token: str, lang: str) -> None:
    assert stem(token, lang) == token


def test_words_with_other_clitics_and_endings_share_a_stem() -> None:
    assert (matching_text(feature_text("للعملاء والموظفين"), "ar")
            == matching_text(feature_text("بالعملاء الموظفون"), "ar"))
    assert matching_text(feature_text("يكسب العملاء"), "ar") == matching_text(feature_text("وتكسب عملاء"), "ar")
