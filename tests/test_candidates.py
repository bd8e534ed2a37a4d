"""Which sentences can be key points: the filters of forumminer.summary.candidates, scored on our own
labeled sentences (corpora/keypoints/candidates.csv) and checked one by one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forumminer.stance.features import feature_text, feature_tokens
from forumminer.summary import candidates
from forumminer.summary.candidates import candidate_problem, candidate_text, is_narration

CANDIDATES = Path(__file__).resolve().parents[1] / "corpora" / "keypoints" / "candidates.csv"
ARABIC_WORDS = st.lists(st.sampled_from("العميل الزبون الموظف المتجر حق دائما على يجب احترام الخدمة السعر".split()),
                        min_size=1, max_size=12)
PERSIAN_WORDS = st.lists(st.sampled_from("مشتری فروشنده کارمند مغازه حق همیشه باید احترام خدمت قیمت".split()),
                         min_size=1, max_size=12)


@pytest.fixture(scope="module")
def labeled() -> pd.DataFrame:
    table = pd.read_csv(CANDIDATES, keep_default_na=False)
    return table.assign(problem=[candidate_problem(sentence) for sentence in table["sentence"]])


# the kinds of non-argument the candidate filters are for; the others are the argument filter's
# (tests/test_arguments.py)
FILTERED_KINDS = {"narration", "definition", "lead-in", "leans on the previous sentence", "reported speech",
                  "talks about a saying", "heading", "question"}


def test_the_labeled_sentences_cover_both_languages_and_every_kind_of_non_argument(labeled: pd.DataFrame) -> None:
    kinds = FILTERED_KINDS | {"argument", "metaphor", "proverb", "review of one shop", "truism", "dialogue line",
                              "story lead-in", "fragment", "off-topic", "announcement", "forum chat", "description",
                              "statistic"}
    assert set(labeled["kind"]) == kinds
    assert all(set(rows["lang"]) == {"ar", "fa"} for _, rows in labeled.groupby("kind"))
    arguments = labeled[labeled["kind"] == "argument"]
    assert set(arguments["stance"]) == {"customer_always_right", "balanced", "boundary_setting"}
    assert (labeled["stance"][labeled["kind"] != "argument"] == "").all()


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_the_filters_keep_arguments_and_drop_what_is_no_argument(labeled: pd.DataFrame, lang: str) -> None:
    rows = labeled[labeled["lang"] == lang]
    argument, dropped = rows["kind"] == "argument", rows["problem"].notna()
    assert (argument & ~dropped).sum() / argument.sum() >= 0.95  # arguments kept
    assert (~argument & dropped).sum() / dropped.sum() >= 0.95  # precision of what is dropped
    # recall of the kinds they are for: the harder ones (third-person narration, a sentence that
    # opens with "and") are left to the argument filter, as are the other kinds
    ours = ~argument & rows["kind"].isin(FILTERED_KINDS)
    assert (ours & dropped).sum() / ours.sum() >= 0.7


@pytest.mark.parametrize(("sentence", "reason"), [
    ("اتصلت بالشركة مرتين ولم يرد علي أي موظف طوال اليوم.", "narration"),
    ("وذهبنا إلى الفرع الآخر فوجدناه مغلقا رغم أن الموعد لم ينته.", "narration"),
    ("أخبرني البائع أن الضمان لا يشمل الشاشة ولا البطارية.", "narration"),
    ("في العام الماضي تغيرت سياسة الاسترجاع في معظم المتاجر الكبيرة.", "narration"),
    ("برای تعویض گوشی سه بار به نمایندگی رفتیم و هر بار معطل شدیم.", "narration"),
    ("فروشنده هر روز صبح مغازه را جارو می‌کرد و به همه لبخند می‌زد.", "narration"),
    ("مشتری قبلاً دو بار همین جنس را پس آورده بود و باز هم ناراضی بود.", "narration"),
    ("ماه گذشته قیمت‌ها در بیشتر فروشگاه‌های شهر بالا رفت.", "narration"),
    ("معنى الخدمة الممتازة عند التجار هو سرعة الرد على الزبون.", "definition"),
    ("مشتری وفادار یعنی کسی که بارها از یک فروشگاه خرید می‌کند.", "definition"),
    ("مشتری‌مداری در مدیریت عبارت است از توجه به نیاز خریدار.", "definition"),
    ("إليك خمس خطوات تساعدك على التعامل مع العميل المتطلب بهدوء.", "lead-in"),
    ("در این بخش چند نکته درباره رفتار با کارفرمای عجول می‌گوییم.", "anecdote or reference"),
    ("تقول الكاتبة إن الزبون الغاضب أصعب من أي مدير في العمل.", "reported speech"),
    ("فالبائع في النهاية يبحث عن رزقه مثل أي شخص آخر في السوق.", "leans on the previous sentence"),
    ("فليس كل زبون يرفع صوته في المحل صاحب حق في ما يطلبه.", "leans on the previous sentence"),
    ("یعنی فروشنده هم باید گاهی به خواسته مشتری نه بگوید.", "leans on the previous sentence"),
    ("كثيرا ما نسمع هذا الشعار في المحلات الكبيرة والصغيرة معا.", "leans on the previous sentence"),
    ("عبارة الزبون دائما على حق معلقة على جدران كثير من المحلات.", "talks about a saying"),
    ("آیا مشتری همیشه حق دارد که سر فروشنده فریاد بزند", "question"),
    ("هل يحق للعميل أن يصرخ في وجه الموظف دائما؟", "question"),
    # هل only asks: a clause it opens is a question without its mark too
    ("يتعب البائع طوال النهار لإرضاء الناس فهل يشكره أحد منهم في آخر اليوم.", "question"),
    ("أنت تعمل بجد من أجل زبائنك وهل يقدّر أحد منهم هذا التعب", "question"),
    ("سلام به همه دوستان عزیز این انجمن خوب.", "greeting"),
    ("مرحبا بكم جميعا في هذا المنتدى الجميل اليوم.", "greeting"),
    ("یک روز مشتری عصبانی وارد مغازه‌ی ما شد.", "anecdote or reference"),
    ("ذات يوم دخل زبون غاضب إلى المحل الصغير.", "anecdote"),
    ("این یعنی کارمند نباید توهین مشتری را تحمل کند.", "leans on the previous sentence"),
    ("لذلك يجب على الموظف أن يرفض الإهانة دائما.", "leans on the previous sentence"),
    ("از طرف دیگر، شکایت مشتری نشان می‌دهد کجا باید بهتر شویم.", "anecdote or reference"),
    ("ومع ذلك، ليس كل عميل يستحق أن نقبل مشروعه.", "anecdote or reference"),
    ("برای همین فروشنده باید کوتاه بیاید و مشتری را راضی نگه دارد.", "anecdote or reference"),
    ("ومن ثم يجب على الموظف أن يحترم الزبون مهما قال.", "anecdote or reference"),
    ("چند دلیل برای احترام به کارمندان وجود دارد:", "lead-in"),
    ("همیشه حق با مشتری نیست در فروشگاه", "heading"),
    ("مشتری حق دارد.", "length"),
    ("يرى كثير من التجار أن الزبون الغاضب فرصة وليس تهديدا؛", "fragment"),
    ("فروشنده به من گفت: «اگر نمی‌خری وقت مرا نگیر».", "reported speech"),
    ('قال لي المدير بصوت عال "الزبون دائما على حق!"', "reported speech"),
])
def test_sentences_that_are_no_argument_say_why(sentence: str, reason: str) -> None:
    assert candidate_problem(sentence) == reason


@pytest.mark.parametrize("sentence", [
    "إذا طلب العميل تعديلا إضافيا فعليه أن يدفع ثمنه كما اتفقنا.",
    "احترام العميل لا يعني أن يقبل الموظف الإهانة منه.",
    # أيًا ("whichever") folds to the spelling of Persian آیا: inside a sentence it asks nothing
    "من حق الموظف أن يرفض الإهانة من الزبون أيا كان السبب.",
    "أيًا كان المبلغ، من حق الموظف أن يرفض الإهانة من الزبون.",
    "أيا كانت الفاتورة فالاحترام بين الموظف والعميل واجب على الطرفين.",
    "احترام به مشتری یعنی شنیدن حرف او، نه اجرای هر خواسته‌اش.",
    "فروشنده‌ای که به مشتری دروغ نمی‌گوید اعتماد او را به دست می‌آورد.",
    "کارمندی که همیشه کوتاه می‌آید در نهایت احترام خودش را از دست می‌دهد.",
])
def test_arguments_with_words_close_to_the_markers_stay_candidates(sentence: str) -> None:
    assert candidate_problem(sentence) is None


@given(ARABIC_WORDS, st.integers(0, 12), st.sampled_from(["كنت", "وذهبت", "فقلت", "طلبنا", "أخبرني"]))
def test_an_arabic_first_person_past_verb_anywhere_tells_a_story(words: list[str], at: int, verb: str) -> None:
    assert not is_narration(feature_tokens(feature_text(" ".join(words))))
    words.insert(min(at, len(words)), verb)
    assert is_narration(feature_tokens(feature_text(" ".join(words))))


@given(PERSIAN_WORDS, st.integers(0, 12), st.sampled_from(["رفتم", "نخریدیم", "می‌گفت", "دیروز", "گفته بود"]))
def test_a_persian_past_narrative_form_anywhere_tells_a_story(words: list[str], at: int, verb: str) -> None:
    assert not is_narration(feature_tokens(feature_text(" ".join(words))))
    words.insert(min(at, len(words)), verb)
    assert is_narration(feature_tokens(feature_text(" ".join(words))))


@given(st.text(max_size=200), st.sampled_from(["4- ", "۲. ", "• ", "(b) ", ""]))
def test_any_text_gets_a_reason_or_none_and_a_list_marker_never_changes_it(text: str, marker: str) -> None:
    problem = candidate_problem(candidate_text(text))
    assert problem is None or isinstance(problem, str)
    if text.strip() and candidate_text(text) == text.strip():
        assert candidate_problem(candidate_text(marker + text)) == problem


def test_every_marker_word_is_spelled_as_the_tokens_it_is_compared_with() -> None:
    # a word in another spelling (ي for ی, أ for ا, ة for ه) would never match
    words = [word for name, value in vars(candidates).items() if name.isupper() or name.startswith("_")
             if isinstance(value, frozenset) for item in value for word in (item if isinstance(item, tuple) else (item,))]
    words += [word for words in candidates._OPENING_WORDS.values() for word in words]
    assert len(words) > 300
    assert [w for w in words if not w.isascii() and feature_tokens(feature_text(w)) != [w]] == []


@pytest.mark.parametrize(("sentence", "stripped"), [
    ("4- الزبون ليس دائما على حق في كل شيء.", "الزبون ليس دائما على حق في كل شيء."),
    ("۲. کارمند حق دارد به مشتری بی‌ادب نه بگوید.", "کارمند حق دارد به مشتری بی‌ادب نه بگوید."),
    ("• احترام العميل لا يعني قبول الإهانة منه.", "احترام العميل لا يعني قبول الإهانة منه."),
    ("الزبون 4 مرات اشتكى من الخدمة نفسها.", "الزبون 4 مرات اشتكى من الخدمة نفسها."),
])
def test_list_markers_are_stripped_from_candidates(sentence: str, stripped: str) -> None:
    assert candidate_text(sentence) == stripped and candidate_problem(stripped) is None
