"""The argument filter of key points (forumminer.summary.arguments): fitted on our own labeled
sentences (corpora/keypoints/candidates.csv), checked on held-out sentences of ours."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from forumminer.stance.linear import model_info
from forumminer.stance.features import feature_text, feature_tokens
from forumminer.summary import arguments, keypoints
from forumminer.summary.arguments import (FEATURES, WORD_FEATURES, ArgumentFilter, argument_features,
                                          argument_probabilities, sentence_features, shipped_filter)
from forumminer.summary.candidates import candidate_problem
from forumminer.summary.keypoints import key_points

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = ROOT / "corpora" / "keypoints" / "candidates.csv"
FITTED = ROOT / "src" / "forumminer" / "models" / "argument-filter.json"


@pytest.fixture(scope="module")
def passing() -> pd.DataFrame:
    """Our labeled sentences that the candidate filters let through, with their features."""
    table = pd.read_csv(CANDIDATES, keep_default_na=False)
    table = table[[candidate_problem(sentence) is None for sentence in table["sentence"]]].reset_index(drop=True)
    return table.assign(row=list(argument_features(table["sentence"].tolist(), table["lang"].tolist())))


def test_the_shipped_filter_was_fitted_on_the_current_sentences_and_stance_model() -> None:
    fitted = json.loads(FITTED.read_text("utf-8"))
    assert fitted["corpus_sha256"] == hashlib.sha256(CANDIDATES.read_bytes()).hexdigest(), \
        "corpora/keypoints/candidates.csv changed: run scripts/argument_filter.py"
    assert tuple(fitted["features"]) == FEATURES and len(fitted["coef"]) == len(FEATURES)
    assert fitted["stance_model_sha256"] == model_info()["sha256"], \
        "the shipped stance model changed (its probabilities are features): run scripts/argument_filter.py"


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_held_out_sentences_taken_as_arguments_are_arguments(passing: pd.DataFrame, lang: str) -> None:
    # the filter's recipe (C, threshold) on folds of our sentences: what it takes is mostly arguments
    # and it keeps most arguments, in each language
    X, y = np.stack(passing["row"].to_numpy()), (passing["kind"] == "argument").to_numpy()
    C, threshold = json.loads(FITTED.read_text("utf-8"))["C"], shipped_filter().threshold
    held_out = cross_val_predict(LogisticRegression(C=C, max_iter=5000), X, y, method="predict_proba",
                                 cv=StratifiedKFold(5, shuffle=True, random_state=0))[:, 1]
    ours, taken = (passing["lang"] == lang).to_numpy(), held_out >= threshold
    assert y[ours & taken].mean() >= 0.85
    assert taken[ours & y].mean() >= 0.6


@pytest.mark.parametrize(("lang", "sentence"), [
    ("ar", "البائع الذي يعترف بخطئه أمام الزبون يكسب ثقته أكثر من أي خصم."),
    ("ar", "لا يجوز أن يتحمل العامل إهانات الزبائن لمجرد أن المتجر يريد الربح."),
    ("ar", "حق الزبون في الاسترجاع يقابله واجبه في احترام شروط البيع المعلنة."),
    ("fa", "کارمند حق دارد با مشتری‌ای که فحاشی می‌کند خداحافظی کند و گفت‌وگو را تمام کند."),
    ("fa", "مغازه‌ای که به شکایت مشتری گوش می‌دهد زودتر از رقیبانش ایرادهایش را برطرف می‌کند."),
    ("fa", "هم مشتری باید قانون مغازه را رعایت کند و هم فروشنده باید با او منصف باشد."),
])
def test_arguments_for_each_stance_pass(lang: str, sentence: str) -> None:
    assert argument_probabilities([sentence], [lang])[0] >= shipped_filter().threshold


@pytest.mark.parametrize(("lang", "sentence"), [
    ("ar", "مقهى النخلة بجوار المحطة يقدم شايا طيبا وصاحبه يعرف زبائنه بالاسم."),  # review of one shop
    ("ar", "الزبون: أريد الفاتورة باسم الشركة وليس باسمي من فضلك."),  # dialogue line
    ("ar", "يجب أن توفر البلدية إنارة كافية في الشوارع الفرعية ليلا."),  # civic demand
    ("ar", "من صبر ظفر، والعجلة من الشيطان كما يقول الأجداد."),  # proverb
    ("ar", "المتاجر الكبيرة تفتح أبوابها عادة من الصباح حتى المساء."),  # truism
    ("fa", "کافه‌ی کنار ایستگاه چای خوبی دارد و صاحبش مشتری‌هایش را به اسم می‌شناسد."),
    ("fa", "مشتری: فاکتور را به اسم شرکت بنویسید نه به اسم خودم لطفاً."),
    ("fa", "شهرداری باید خیابان‌های فرعی را شب‌ها به اندازه‌ی کافی روشن کند."),
    ("fa", "جوینده یابنده است و کار امروز را نباید به فردا انداخت."),
    ("fa", "فروشگاه‌های بزرگ معمولاً از صبح تا شب باز هستند."),
])
def test_sentences_that_are_no_argument_are_rejected(lang: str, sentence: str) -> None:
    assert candidate_problem(sentence) is None  # the candidate filters let them through
    assert argument_probabilities([sentence], [lang])[0] < shipped_filter().threshold


@pytest.mark.parametrize(("lang", "argument", "others"), [
    ("ar", "الزبون الذي يشعر أن شكواه مسموعة يعود إلى المتجر ويوصي به أصدقاءه.",
     ["الزبون: لن أغادر المحل حتى تعيدوا لي ثمن الجهاز كاملا اليوم.",
      "مخبز الريحان في آخر الشارع يبيع خبزا ساخنا طوال النهار.",
      "على الحكومة أن تبني مكتبات عامة في كل حي من أحياء المدينة."]),
    ("fa", "مشتری‌ای که حس کند شکایتش شنیده شده دوباره برمی‌گردد و مغازه را به دوستانش معرفی می‌کند.",
     ["مشتری: تا پولم را کامل پس ندهید از این مغازه بیرون نمی‌روم.",
      "نانوایی ریحان ته خیابان تمام روز نان داغ می‌فروشد.",
      "دولت باید در هر محله‌ی شهر کتابخانه‌ی عمومی بسازد."]),
])
def test_key_points_are_arguments_even_where_the_stance_is_clear(lang: str, argument: str, others: list[str],
                                                                 clear_model,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    table = pd.DataFrame({"passage_id": [f"p{i}" for i in range(4)], "text": [argument, *others], "lang": lang,
                          "stance": "customer_always_right"})
    found = key_points(table, model=clear_model, min_count=1)
    assert [point.text for point in found.points["customer_always_right"]] == [argument]
    # without the filter, each of them would be a key point: the filter is what drops them
    monkeypatch.setattr(keypoints, "shipped_filter",
                        lambda: ArgumentFilter(coef=(0.0,) * len(FEATURES), intercept=0.0, threshold=0.0))
    found = key_points(table, model=clear_model, min_count=1)
    assert {point.text for point in found.points["customer_always_right"]} == {argument, *others}


def test_a_filter_fitted_on_other_features_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fitted = json.loads(FITTED.read_text("utf-8"))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "argument-filter.json").write_text(json.dumps({**fitted, "features": ["party"]}))
    monkeypatch.setattr(arguments.resources, "files", lambda package: tmp_path)
    shipped_filter.cache_clear()
    try:
        with pytest.raises(arguments.ModelError, match="run scripts/argument_filter.py"):
            shipped_filter()
    finally:
        shipped_filter.cache_clear()


# words that name no party of a sale
ARABIC_WORDS = st.lists(st.sampled_from("دائما على احترام الخدمة السعر في من جيد كبير".split()), min_size=3,
                        max_size=15)
PERSIAN_WORDS = st.lists(st.sampled_from("همیشه احترام خدمت قیمت در از با خوب بزرگ".split()), min_size=3,
                         max_size=15)


@given(st.one_of(ARABIC_WORDS.map(lambda words: ("ar", words, "الزبون")),
                 PERSIAN_WORDS.map(lambda words: ("fa", words, "مشتری"))), st.integers(0, 15))
def test_naming_a_party_anywhere_turns_on_its_feature_and_no_other(case: tuple[str, list[str], str], at: int) -> None:
    lang, words, party = case
    without = sentence_features(" ".join(words) + ".", lang)
    words.insert(min(at, len(words)), party)
    with_party = sentence_features(" ".join(words) + ".", lang)
    assert without[WORD_FEATURES.index("party")] == 0 and with_party[WORD_FEATURES.index("party")] == 1
    changed = {WORD_FEATURES[i] for i in np.flatnonzero(without != with_party)}
    assert changed <= {"party", "short"}


@given(st.text(max_size=200), st.sampled_from(["ar", "fa", "en"]))
def test_any_text_gets_binary_word_features(text: str, lang: str) -> None:
    features = sentence_features(text, lang)
    assert features.shape == (len(WORD_FEATURES),) and set(features) <= {0.0, 1.0}


def test_every_lexicon_word_is_spelled_as_the_tokens_it_is_compared_with() -> None:
    words = [word for by_lang in arguments._LEXICON_WORDS.values() for lexicon in by_lang.values() for word in lexicon]
    words += list(arguments._ARABIC_RELATIVES) + list(arguments._PERSIAN_CONTINUING)
    assert len(words) > 250
    assert [w for w in words if feature_tokens(feature_text(w)) != [w]] == []
