from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forumminer import detect_language

CASES = [
    # Persian, standard letters
    ("همیشه حق با مشتری نیست", "fa"),
    # Persian typed on an Arabic keyboard (ي and ك) and without half-spaces
    ("مشتري هميشه حق نداره، ميخوام بگم اينو", "fa"),
    ("كارفرما بايد پول ريويژن رو بده", "fa"),
    # Persian, two words
    ("مرسی دوستان", "fa"),
    ("خیلی ممنون", "fa"),
    # Arabic MSA and dialects, short
    ("العميل ليس دائما على حق", "ar"),
    ("الزبون ملك", "ar"),
    ("شكرا على الموضوع", "ar"),
    ("ازاي تتعامل مع العميل ده", "ar"),
    ("شو رأيكم بهيك زبون؟", "ar"),
    ("واش الكليان ديما عندو الحق", "ar"),
    # Gulf Arabic with چ and گ must stay Arabic when the Arabic evidence is stronger
    ("والله العميل اللي يگول كذا ما يستاهل", "ar"),
    # other: Latin script, digits, punctuation, empty
    ("Cookies help us deliver our services.", "other"),
    ("12345 678", "other"),
    ("!!! ...", "other"),
    ("", "other"),
    # an Arabic heading with its English gloss stays Arabic
    ("الولاء – Loyalty", "ar"),
    # a short comment with a link, an e-mail address or HTML keeps its language
    ("العميل دائما على حق https://example.com/blog/customer-service-is-everything?utm_source=forum", "ar"),
    ("مشتری همیشه حق دارد <a href=\"https://example.com/post/123\">read the whole post here</a>", "fa"),
    ("راسلونا على support.team@example-shop.com", "ar"),
    # but English prose around an Arabic word is still other
    ("Our customer service team replies within one day: شكرا", "other"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detect_language_table(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_fallback_decides_only_when_there_is_no_evidence() -> None:
    assert detect_language("سلام", fallback="fa") == "fa"
    assert detect_language("سلام", fallback="ar") == "ar"
    assert detect_language("همیشه حق با مشتری نیست", fallback="ar") == "fa"


def test_accuracy_on_dev_set_lines_of_three_words_or_more(dev_rows: list[dict[str, str]]) -> None:
    rows = [r for r in dev_rows if len(r["text"].split()) >= 3]
    correct = sum(detect_language(r["text"]) == r["lang"] for r in rows)
    assert correct / len(rows) >= 0.99


@given(st.text())
def test_always_answers_one_of_three_languages(text: str) -> None:
    assert detect_language(text) in ("ar", "fa", "other")


URLS = st.builds(lambda host, path: f"https://{host}.com/{path}",
                 st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=20),
                 st.text("abcdefghijklmnopqrstuvwxyz0123456789/-_?=&", max_size=80))


@given(url=URLS, arabic=st.sampled_from([text for text, lang in CASES if lang == "ar" and len(text.split()) >= 3]))
def test_a_link_never_changes_the_language(url: str, arabic: str) -> None:
    assert detect_language(f"{arabic} {url}") == "ar"
