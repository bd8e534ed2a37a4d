from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from forumminer.errors import ModelError, ParameterError
from forumminer.stance import LABELS
from forumminer.stance.features import feature_text, feature_tokens
from forumminer.stance.vectorizers import CueCounter, FastTfidfVectorizer
from forumminer.stance.model import StanceClassifier, default_model_path, load_model, save_model
from forumminer.stance.training import read_labeled, training_hash

from .conftest import SAMPLE, STANCE_CORPUS


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("العَمِيلُ دائماً على حقّ", "العمیل"),  # diacritics go, the word stays whole
        ("من می‌خواهم بروم", "می\u200cخواهم"),  # a half-space compound is one token
        ("من میخواهم بروم", "می\u200cخواهم"),  # ...also when typed without the half-space
        ("مشتري هميشه حق دارد", "مشتری"),  # Arabic yeh folded to Persian yeh
    ],
)
def test_feature_tokens_keep_words_scikit_learn_would_break(text: str, token: str) -> None:
    assert token in feature_tokens(feature_text(text))
    default = TfidfVectorizer().build_analyzer()
    assert token not in default(feature_text(text)) or "\u200c" not in token


def test_cue_counter_names_every_feature() -> None:
    counter = CueCounter().fit(["x"])
    matrix = counter.transform([feature_text("العميل ليس دائما على حق، لازم عقد واضح")])
    names = counter.get_feature_names_out()
    assert matrix.shape == (1, len(names))
    fired = {names[i] for i in matrix.nonzero()[1]}
    assert {"[not always right]", "[contract and scope]"} <= fired


def _fired_cues(text: str) -> set[str]:
    counter = CueCounter().fit(["x"])
    names = counter.get_feature_names_out()
    return {names[i] for i in counter.transform([feature_text(text)]).nonzero()[1]}


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("سلام دوستان، یه سوال داشتم", True),
        ("والسلام عليكم ورحمة الله", True),
        ("نظام سلامت باید به بیمار پاسخگو باشد", False),  # سلامت (health) holds سلام
        ("در بانکداری اسلامی مشتری حق دارد", False),  # اسلامی (Islamic) too
        ("معايير السلامة المهنية في المطعم", False),  # السلامة (safety)
    ],
)
def test_greeting_cue_needs_the_word_itself(text: str, greets: bool) -> None:
    assert ("[thanks or greeting]" in _fired_cues(text)) is greets


def test_cue_repeat_counts_survive_the_letter_fold() -> None:
    # "هم ... هم" (both ... and ...) once folded to ".{0,00}" and never matched
    assert "[middle way]" in _fired_cues("هم حق مشتری مهم است هم وقت فروشنده")


@pytest.mark.parametrize(
    ("text", "both_and"),
    [
        ("باید هم به مشتری احترام گذاشت و هم به کارمند", True),
        ("هم مشتری هم فروشنده", True),
        ("این خیلی مهم است که همیشه پاسخگو باشیم", False),  # مهم (important) ends in هم, همیشه (always) starts with it
        ("فهم نیازهای مشتری با همه کارکنان است", False),  # فهم (understanding), همه (all)
        # هم‌کلاسی (classmate) is one word: the half-space escape once folded to \u000c
        ("هم مشتری آمد و هم‌کلاسی‌اش", False),
        ("مشتری هم زنگ زد. فروشنده هم رفت", False),  # هم (too) in two sentences
    ],
)
def test_both_and_cue_needs_the_word_itself(text: str, both_and: bool) -> None:
    assert ("[middle way]" in _fired_cues(text)) is both_and


@pytest.mark.parametrize(
    ("cue", "text", "fires"),
    [
        # words with their clitics fire; longer, unrelated words that hold them do not
        ("respect and dignity of the provider", "بالإهانة لا نكسب أحدا", True),
        ("respect and dignity of the provider", "اشتراک ماهانه گران شد", False),  # ماهانه (monthly)
        ("respect and dignity of the provider", "آگاهانه این قیمت را گذاشتیم", False),  # آگاهانه (knowingly)
        ("respect and dignity of the provider", "این کار در شأن من نیست", True),
        ("respect and dignity of the provider", "عشان كده الزبون زعلان", False),  # عشان (because)
        ("respect and dignity of the provider", "این نشان می‌دهد مشتریان‌شان راضی‌اند", False),  # نشان, ـشان (their)
        ("respect and dignity of the provider", "باج‌خواهی مشتری را نپذیر", True),
        ("respect and dignity of the provider", "باجه بلیت شلوغ بود", False),  # باجه (kiosk)
        ("respect and dignity of the provider", "وقتك له قيمة يا صديقي", True),
        ("respect and dignity of the provider", "وقتی مشتری زنگ زد گوشی را برداشتم", False),  # Persian وقتی (when)
        ("respect and dignity of the provider", "دلوقتي الزبون زعلان", False),  # دلوقتي (now)
        ("limits, refusal and bad clients", "لازم تحط حدود واضحة وللعميل حدوده", True),
        ("limits, refusal and bad clients", "كل واحد له رأي", False),  # واحد له (one has)
        ("limits, refusal and bad clients", "حدود ۲۰ مشتری برگشتند", False),  # حدود (about) before a number
        ("limits, refusal and bad clients", "باید یاد بگیری نه بگویی", True),
        ("limits, refusal and bad clients", "کد تخفیف را وارد کنید", False),  # وارد کنید (enter)
        ("limits, refusal and bad clients", "چگونه بگوییم دیر شد", False),  # چگونه بگو (how to say)
        ("limits, refusal and bad clients", "مشتری بدقول را کنار بگذار", True),
        ("limits, refusal and bad clients", "مشتری بدون رسید آمد", False),  # بدون (without)
        ("limits, refusal and bad clients", "لازم تتعلم تقول لا للعميل", True),
        ("limits, refusal and bad clients", "بقول لازم نتكلم", False),  # قول لازم (say: must)
        ("contract and scope", "بالاتفاق مع العميل وفي العقد", True),
        ("contract and scope", "الموضوع معقد جدا", False),  # معقد (complicated)
        ("contract and scope", "این اتفاق افتاد و مشتری رفت", False),  # Persian اتفاق (event)
        ("contract and scope", "اتفاقا مشتری راست می‌گفت", False),  # اتفاقا (by chance)
        ("it depends", "وبحسب العميل نقرر", True),
        ("it depends", "النظام يحسب الضريبة تلقائيا", False),  # يحسب (calculates)
        ("it depends", "ليس المال فحسب", False),  # فحسب (only)
        ("it depends", "وابستگی به یک مشتری خطرناک است", False),  # وابستگی (dependence)
        ("middle way", "بالتوازن والحل الوسط نرضي الطرفين", True),
        ("middle way", "المتوسط الحسابي للطلبات", False),  # متوسط (average)
        ("middle way", "این پیام توسط مدیر ارسال شد", False),  # توسط (by)
        ("middle way", "با زبان عامیانه نوشتم", False),  # عامیانه (colloquial)
        ("pay for extras", "این خدمت مفت نیست", True),
        ("pay for extras", "الباب مفتوح للجميع", False),  # مفتوح (open)
        ("pay for extras", "پرسپولیس برد", False),
        ("loyalty and reputation", "والسمعة أهم من الربح", True),
        ("loyalty and reputation", "نسمعه كل يوم", False),  # نسمعه (we hear it)
        ("site boilerplate", "شارك المقال مع أصدقائك", True),
        ("site boilerplate", "المشاركة في الحوار مهمة", False),  # المشاركة (taking part)
        ("other sense of the words", "سیاره مشتری در آسمان پیداست", True),
        ("other sense of the words", "اشترى سيارة جديدة", False),  # Arabic سيارة (car)
    ],
)
def test_cues_need_the_words_themselves(cue: str, text: str, fires: bool) -> None:
    assert (f"[{cue}]" in _fired_cues(text)) is fires


def test_estimator_contract(quick_model: StanceClassifier) -> None:
    unfitted = StanceClassifier(C=2.0)
    assert unfitted.get_params()["C"] == 2.0
    assert clone(unfitted).get_params() == unfitted.get_params()
    with pytest.raises(NotFittedError):
        unfitted.predict(["العميل"])
    assert set(quick_model.classes_) == set(LABELS)
    proba = quick_model.predict_proba(["العميل ليس دائما على حق", "همیشه حق با مشتری است"])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(quick_model.predict(["شكرا على الموضوع المفيد"])) == ["none"]


def test_fit_validates_labels() -> None:
    with pytest.raises(ParameterError, match="unknown label 'neutral'"):
        StanceClassifier().fit(["a", "b"], ["none", "neutral"])
    with pytest.raises(ParameterError, match="no training example labeled 'customer_always_right'"):
        StanceClassifier().fit(["a", "b", "c"], ["none", "balanced", "boundary_setting"])
    with pytest.raises(ParameterError, match="got 2 texts but 1 labels"):
        StanceClassifier().fit(["a", "b"], ["none"])


def test_cues_explain_the_prediction(quick_model: StanceClassifier) -> None:
    proba, cues = quick_model.predict_with_cues(["العميل ليس دائما على حق، ولازم يدفع مقابل أي تعديل إضافي"])
    assert quick_model.classes_[proba.argmax()] == "boundary_setting"
    assert 0 < len(cues[0]) <= 4
    assert all(cue for cue in cues[0])


def test_model_round_trip(tmp_path: Path, quick_model: StanceClassifier) -> None:
    path = save_model(quick_model, tmp_path / "m.npz")
    texts = ["الزبون ملك ولازم نرضيه", "بستگی به مشتری دارد", "سلام"]
    np.testing.assert_allclose(load_model(path).predict_proba(texts), quick_model.predict_proba(texts))


class Payload:  # a Python object: pickling it into a model file could run code on loading
    def __reduce__(self):
        return (print, ("this ran while loading a model",))


def test_refuses_a_model_file_with_pickled_objects(tmp_path: Path, quick_model: StanceClassifier, capsys) -> None:
    path = save_model(quick_model, tmp_path / "evil.npz")
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    np.savez(path, **arrays, payload=np.array([Payload()], dtype=object))  # needs pickle to read
    with pytest.raises(ModelError) as raised:
        load_model(path)
    assert str(raised.value) == (
        f"{path}: refusing to load a model file that contains pickled Python objects (they could run code). "
        "Only load models you trained with forumminer."
    )
    assert "this ran" not in capsys.readouterr().out


def test_refuses_files_that_are_not_models(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a forumminer model file"):
        load_model(path)
    np.savez(path, weights=np.zeros(3))
    with pytest.raises(ModelError, match="not a forumminer model file"):
        load_model(path)
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "missing.npz")


def test_default_model_is_trained_on_the_current_corpus() -> None:
    model = load_model()
    frame = read_labeled(STANCE_CORPUS)
    assert model.metadata_["training_hash"] == training_hash(frame["text"], frame["label"])
    assert model.metadata_["labels"] == list(LABELS)
    assert {"scikit-learn", "hazm", "camel-tools"} <= set(model.metadata_["versions"])
    assert 0 < model.metadata_["cv"]["stance_macro_f1"] <= 1


def test_retraining_reproduces_the_default_model() -> None:
    from forumminer import passages, read_corpus

    shipped = load_model()
    params = shipped.get_params()
    retrained = StanceClassifier(**params).fit(*_corpus_columns())
    retrained.class_bias_ = shipped.class_bias_  # fitted on real text afterwards (scripts/calibrate.py)
    texts = passages(read_corpus(SAMPLE))["text"].tolist()
    np.testing.assert_allclose(retrained.predict_proba(texts), shipped.predict_proba(texts), atol=1e-6)


def test_the_most_frequent_terms_are_chosen_the_same_way_on_every_machine() -> None:
    # 200 words with 1-4 occurrences each: the cut at 90 terms falls inside a group of equal counts,
    # where an unstable sort (scikit-learn's default) picks terms by the processor's sorting routine
    rng = np.random.default_rng(3)
    words = [f"w{i:03d}" for i in range(200)]
    counts = rng.integers(1, 5, len(words))
    documents = [" ".join(w for w, n in zip(words, counts) if n > k) for k in range(4)]
    vectorizer = FastTfidfVectorizer(max_features=90).fit(documents)
    expected = sorted(words, key=lambda w: (-counts[words.index(w)], w))[:90]
    assert sorted(vectorizer.vocabulary_) == sorted(expected)
    reference = TfidfVectorizer(vocabulary=sorted(expected)).fit(documents)
    np.testing.assert_allclose(vectorizer.transform(documents).toarray(), reference.transform(documents).toarray())


def _corpus_columns() -> tuple[list[str], list[str]]:
    frame = read_labeled(STANCE_CORPUS)
    return frame["text"].tolist(), frame["label"].tolist()


MARKUP = ["https://example.com/thread/42?page=2&sort=new", "<br/>", "<img src=\"https://example.com/a.png\"/>",
          "&nbsp;", "www.example-shop.com/returns", "support@example.com"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_links_and_html_do_not_change_labels_or_cues(data: st.DataObject, corpus_texts: list[str]) -> None:
    from forumminer import label

    text = data.draw(st.sampled_from(corpus_texts))
    words = text.split(" ")
    at = data.draw(st.integers(0, len(words)))
    marked = " ".join(words[:at] + [data.draw(st.sampled_from(MARKUP))] + words[at:])
    plain, with_markup = label([text]), label([marked])
    assert with_markup["lang"].tolist() == plain["lang"].tolist()
    assert with_markup["stance"].tolist() == plain["stance"].tolist()
    np.testing.assert_allclose(with_markup["confidence"], plain["confidence"], rtol=1e-9)
    assert with_markup["cues"].tolist() == plain["cues"].tolist()
