from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from forumminer import normalize
from forumminer.errors import ParameterError

ARABIC_CASES = [
    # diacritics and shadda removed
    ("العَمِيلُ دائماً على حقّ", {}, "العميل دائما على حق"),
    # tatweel (kashida) removed
    ("العـــميل", {}, "العميل"),
    # alef variants unified
    ("أن إلى آخر ٱلحق", {}, "ان الى اخر الحق"),
    # optional folds leave the default text alone...
    ("على حقيقة", {}, "على حقيقة"),
    # ...and apply when asked
    ("على حقيقة", {"fold_alef_maksura": True, "fold_teh_marbuta": True}, "علي حقيقه"),
    # Arabic-Indic digits to ASCII only when asked
    ("٣.٥ مليون", {}, "٣.٥ مليون"),
    ("٣.٥ مليون", {"ascii_digits": True}, "3.5 مليون"),
    # presentation forms (lam-alef ligature) decomposed by unicode normalization
    ("\ufefb بد", {}, "لا بد"),
]


@pytest.mark.parametrize(("text", "options", "expected"), ARABIC_CASES)
def test_arabic_normalization_table(text: str, options: dict[str, bool], expected: str) -> None:
    assert normalize(text, lang="ar", **options) == expected


PERSIAN_CASES = [
    # Arabic yeh and kaf become Persian letters
    ("مشتري هميشه حق دارد", "مشتری همیشه حق دارد"),
    # the verb prefix می gets its half-space
    ("نمیدانم چه میگفت", "نمی‌دانم چه می‌گفت"),
    # ASCII digits become Persian digits (hazm's default)
    ("5 درصد", "۵ درصد"),
]


@pytest.mark.parametrize(("text", "expected"), PERSIAN_CASES)
def test_persian_normalization_table(text: str, expected: str) -> None:
    assert normalize(text, lang="fa") == expected


def test_persian_default_equals_hazm_on_every_persian_seed_line(dev_rows: list[dict[str, str]]) -> None:
    import hazm

    reference = hazm.Normalizer()
    persian = [r["text"] for r in dev_rows if r["lang"] == "fa"]
    assert persian
    for text in persian:
        assert normalize(text, lang="fa") == reference.normalize(text)


def test_persian_normalizer_is_built_in_the_state_of_hazms_constructor() -> None:
    import hazm

    from forumminer.stance.training import read_labeled
    from forumminer.text.langid import detect_language
    from forumminer.text.normalize import PROFILES, _persian_normalizer

    from .conftest import STANCE_CORPUS

    ours, reference = _persian_normalizer(**PROFILES["fa-default"]), hazm.Normalizer()
    assert vars(ours).keys() == vars(reference).keys()
    assert all(value == vars(reference)[name] for name, value in vars(ours).items() if name != "_tokenizer")
    assert vars(ours._tokenizer) == vars(reference._tokenizer)
    persian = [t for t in read_labeled(STANCE_CORPUS)["text"] if detect_language(t) == "fa"]
    assert len(persian) > 1000
    assert [ours.normalize(t) for t in persian] == [reference.normalize(t) for t in persian]


def test_importing_hazm_leaves_scikit_learn_importable() -> None:
    import subprocess
    import sys

    code = ("import sys; from forumminer.text.normalize import import_hazm; import_hazm(); "
            "print('sklearn' in sys.modules); import sklearn.base, scipy.special; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "ok"]


def test_persian_options_reach_hazm() -> None:
    assert normalize("5 درصد", lang="fa", persian_numbers=False) == "5 درصد"


def test_detection_keeps_persian_rules_off_arabic_text() -> None:
    # hazm alone would write "العمیل دائما علی حق"
    assert normalize("العميل دائما على حق") == "العميل دائما على حق"


def test_each_line_is_normalized_in_its_own_language() -> None:
    text = "العميل دائما على حق\nمشتري هميشه حق دارد"
    assert normalize(text) == "العميل دائما على حق\nمشتری همیشه حق دارد"


def test_other_language_lines_are_left_alone() -> None:
    assert normalize("Terms  of use  ") == "Terms  of use  "


def test_unknown_option_is_named_with_the_allowed_ones() -> None:
    with pytest.raises(ParameterError, match="unknown ar normalization option 'fold_yeh'; the options are: "):
        normalize("العميل", lang="ar", fold_yeh=True)


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ParameterError, match="lang must be one of ar, fa, other, auto; got 'en'."):
        normalize("hello", lang="en")


ARABIC_LETTERS = st.characters(min_codepoint=0x0621, max_codepoint=0x0652)
PERSIAN_LETTERS = st.sampled_from(list("آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكئؤة\u200c"))
TEXT_PIECES = st.one_of(
    st.text(ARABIC_LETTERS, max_size=12),
    st.text(PERSIAN_LETTERS, max_size=12),
    st.sampled_from([" ", "  ", "\n", "،", ".", "؟", "!", "«", "»", "ـ", "5", "٣", "۴", "می ", "ها", "\u064b"]),
)
MIXED_TEXT = st.lists(TEXT_PIECES, max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(MIXED_TEXT)
@example("آ۴زؽ")  # a rare yeh hazm writes as ی: the line's language must not change on a second pass
@example("ءء۰\u0610")  # a mark hazm removes only after its spacing step
@example(". ..ءػ")  # hazm's "..." -> " … " after its spacing step
@example("5.5.5 می")  # hazm's decimal pattern misses the second point on the first pass
@example("آ\u200c\u200cهآ")  # a run of half-spaces
@example("ءةآيیی")  # hazm shortens repeated letters: the evidence for Persian must not shrink
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=100, deadline=None)
@given(st.text(ARABIC_LETTERS, max_size=30))
def test_arabic_normalization_is_idempotent(text: str) -> None:
    once = normalize(text, lang="ar")
    assert normalize(once, lang="ar") == once
