"""Is a sentence an argument on the question? A key point must give a reason for a stance, yet many
sentences that pass :func:`~forumminer.summary.candidates.candidate_problem` do not: a review of one
shop, a metaphor or proverb, a truism about trade, a dialogue line, a story lead-in, a fragment,
a civic demand that names no party of a sale. :func:`argument_probability` weighs a few readable
features of the sentence (:func:`argument_features`) with a logistic regression fitted on our own
labeled sentences (corpora/keypoints/candidates.csv) by scripts/argument_filter.py, which chose
the features and ``threshold`` by cross-validation on that corpus and wrote
``models/argument-filter.json``.

The word lists are Arabic (MSA and common dialect forms) and Persian (written and colloquial), in the folded spelling of
:func:`~forumminer.stance.features.feature_tokens`, written from general knowledge of both languages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ..errors import ModelError
from ..stance import LABELS
from ..stance.features import feature_text, feature_tokens
from .candidates import asserted_text, gives_reason

# Arabic clitics before a word: و/ف, then ب/ل/ک, then the article (ال, or ل after ل: للعميل)
_ARABIC_PREFIX_RE = re.compile(r"^(?:[وف])?(?:[بلک])?(?:ال|ل)?")
_LEXICONS: dict[str, dict[str, str]] = {
    # the parties of a sale or a job: who the question is about (matched as word starts)
    "party": {
        "ar": "عمیل عملا زبون زبای موظف بایع باعه تاجر تجار متجر متاجر محل مستقل مستهلک عامل عمال مدیر شرکه شرکات "
              "صاحب مشتری مشترین",
        "fa": "مشتری فروشنده فروشگاه مغازه کارمند کارکن کارفرما فریلنسر کسب\u200cوکار شرکت خریدار مصرف\u200cکننده "
              "پرسنل مدیر کاسب مغازه\u200cدار صاحب\u200cکار کارگر",
    },
    # what ought to be: duty, right, fairness, better and worse
    "normative": {
        "ar": "یجب ینبغی لابد یستحق یستحقون حق الحق حقه حقها حقوق یحق واجب ضروری لازم الافضل افضل عدل العدل ظلم "
              "یظلم انصاف علیه علیها علینا علیهم یصح یجوز یستاهل عیب العیب احسن",
        "fa": "باید نباید حق حقش حقوق سزاوار شایسته منصفانه انصاف عدالت ظلم بهتر بهترین لازم ضروری درست "
              "نادرست وظیفه واجب واجبه لیاقت عیب",
    },
    # what an act brings about: gains, losses, harm, protection
    "consequence": {
        "ar": "یکسب تکسب یخسر تخسر یخسرهم یحمی تحمی یشجع تشجع یضمن تضمن یجلب یودی تودی یوفر یکلف یضر تضر یفقد "
              "یدفعهم یعلمهم خساره ارخص اغلی ربح",
        "fa": "باعث موجب منجر حفظ دست نشان تشویق ضرر سود هزینه ارزان‌تر گران‌تر",
    },
    # contrast and concession: "but", "rather", "not ... but"
    "contrast": {"ar": "لکن ولکن لکنه لکنها بل اما وانما انما بس", "fa": "اما ولی ولیکن بلکه"},
    # a condition or a rule for every case
    "general": {
        "ar": "اذا لو عندما حین کلما کل ای دایما ابدا غالبا احیانا بعض معظم کثیرا",
        "fa": "اگر اگه وقتی هرگاه هر همیشه هرگز هیچ معمولا گاهی بعضی بیشتر اغلب",
    },
    "negation": {"ar": "لا لیس لیست لم لن غیر مش مو",
                 "fa": "نه نیست نیستند نمی\u200cشود نمی\u200cتواند ندارد ندارند نمیشه نمی\u200cشه نداره نیس"},
    # the writer's own view ("I think")
    "opinion": {"ar": "اری اعتقد اظن رایی نظری بنظری اعتبر شایف", "fa": "من به\u200cنظرم نظرم معتقدم فکر"},
    # words that point at something said before
    "pointer": {"ar": "هذا هذه ذلک تلک هولاء هو هی هم", "fa": "این اینها اینا ان\u200cها انها او همین همان اونا"},
    # praise and advice of the kind a review gives
    "review": {
        "ar": "ممتاز ممتازه رایع رایعه انصح انصحکم نجوم نجمه لذیذ شهیه نظیف نظیفه لطفا لطیف",
        "fa": "عالی عالیه خوشمزه تمیز پیشنهاد ستاره خوش\u200cبرخورد مهربان فوق\u200cالعاده ممنون",
    },
    # state and civic life: another question than the customer's
    "civic": {
        "ar": "دوله الدوله حکومه الحکومه بلدیه البلدیه مواطن المواطن مواطنین شعب الشعب انتخابات وزیر برلمان وطن "
              "مدرسه مستشفی",
        "fa": "دولت حکومت شهرداری شهروند شهروندان مردم ملت مملکت کشور انتخابات نماینده مجلس وزیر انقلاب مدرسه "
              "بیمارستان",
    },
    # likeness and the sacred: metaphors and proverbs
    "figure": {"ar": "مثل کان کانه کما الله رب", "fa": "مثل مانند همچون گویی انگار خدا"},
}
_LEXICON_WORDS = {name: {lang: frozenset(words.split()) for lang, words in by_lang.items()}
                  for name, by_lang in _LEXICONS.items()}
_PREFIX_MATCHED = ("party",)  # matched at a word's start (plurals, suffixes), the others whole
# a generic subject with a relative clause: "the seller who ...", "مشتری‌ای که ...", "کسی که ..."
_ARABIC_RELATIVES = frozenset("الذی التی الذین اللذین اللی".split())
_PERSIAN_THAT = "که"
# an opening "and" before a verb or "that" goes on from the previous sentence: "ويريد ...", "و بعد ...", "که ..."
_ARABIC_AND_VERB_RE = re.compile(r"^و[یتن]")
_PERSIAN_CONTINUING = frozenset("و که".split())
_FINAL_MARKS = (".", "!", "؛", "…", "»", '"', "”", ")", "؟", "?")
_DIALOGUE_RE = re.compile(r"^\s*\S+(?:\s+\S+)?\s*:\s*\S")  # "العميل: ..." / "خانم مشتری: ..."

#: The word features of :func:`sentence_features`, in order.
WORD_FEATURES = ("party", "normative", "consequence", "relative", "reason", "contrast", "general", "negation",
                 "opinion", "pointer", "review", "civic", "figure", "dialogue", "continues", "trailing", "short")
#: All features of :func:`argument_features`: the word features, then the shipped stance model's
#: probability of each label for the sentence alone and its margin over the runner-up label.
FEATURES = WORD_FEATURES + tuple(f"p_{label}" for label in LABELS) + ("margin",)


def sentence_features(sentence: str, lang: str, prepared: str | None = None) -> np.ndarray:
    """The word features of one sentence in ``lang`` ("ar" or "fa"; another language has no word
    features), named by :data:`WORD_FEATURES`: whether it names a party of a sale, has words of
    duty or right, says what an act brings about, has a generic subject with a relative clause
    ("the seller who ..."), gives a reason, contrasts, states a condition or rule, negates, gives
    the writer's view, points back, praises like a review, speaks of the state, draws a likeness;
    opens with a speaker's name and a colon; goes on from the previous sentence ("and" before a
    verb, "that"); trails off (``..``, no final mark); is short (under 10 words). ``prepared``: the
    sentence's :func:`feature_text`, when the caller has it already.

    >>> features = sentence_features("يجب أن يحترم الزبون الموظف لأنه إنسان.", "ar")
    >>> [name for name, value in zip(WORD_FEATURES, features) if value]
    ['party', 'normative', 'reason', 'short']
    """
    prepared = feature_text(sentence) if prepared is None else prepared
    tokens = feature_tokens(prepared)
    found = {name: _has_word(tokens, name, lang) for name in _LEXICONS}
    found["pointer"] = _has_word(tokens[1:], "pointer", lang)  # the first word is candidate_problem's
    values = {**found, "relative": _generic_relative(tokens, lang), "reason": gives_reason(sentence, prepared),
              "dialogue": bool(_DIALOGUE_RE.match(sentence)), "continues": _continues(tokens, lang),
              "trailing": sentence.rstrip().endswith("..") or not sentence.rstrip().endswith(_FINAL_MARKS),
              "short": len(sentence.split()) < 10}
    return np.array([float(values[name]) for name in WORD_FEATURES])


def argument_features(sentences: Sequence[str], langs: Sequence[str],
                      prepared: Sequence[str] | None = None) -> np.ndarray:
    """One row of :data:`FEATURES` per sentence (each in its language of ``langs``): its
    :func:`sentence_features` and the shipped stance model's probabilities for what it asserts
    (:func:`~forumminer.summary.candidates.asserted_text`), whatever model labeled the passages,
    as the filter was fitted on them.

    >>> argument_features(["الزبون يستحق الاحترام لأنه يدفع ثمن الخدمة."], ["ar"]).shape
    (1, 22)
    """
    from ..stance.linear import load_linear_model

    prepared = [feature_text(sentence) for sentence in sentences] if prepared is None else prepared
    words = np.array([sentence_features(*row) for row in zip(sentences, langs, prepared)]).reshape(-1, len(WORD_FEATURES))
    if not len(sentences):
        return np.zeros((0, len(FEATURES)))
    model = load_linear_model()
    proba = model.predict_proba([asserted_text(*row) for row in zip(sentences, prepared)])
    proba = proba[:, [list(model.classes_).index(label) for label in LABELS]]
    ordered = np.sort(proba, axis=1)
    return np.hstack([words, proba, (ordered[:, -1] - ordered[:, -2])[:, None]])


def _continues(tokens: list[str], lang: str) -> bool:
    if not tokens:
        return False
    return bool(_ARABIC_AND_VERB_RE.match(tokens[0])) if lang == "ar" else tokens[0] in _PERSIAN_CONTINUING


def _generic_relative(tokens: list[str], lang: str) -> bool:
    """Whether a noun is followed by a relative clause ("المتجر الذي ...", "فروشنده‌ای که ...")."""
    if lang == "ar":
        return any(token in _ARABIC_RELATIVES for token in tokens[1:4])
    return any(second == _PERSIAN_THAT and first.endswith("ی") for first, second in zip(tokens[:3], tokens[1:4]))


def _has_word(tokens: list[str], lexicon: str, lang: str) -> bool:
    words = _LEXICON_WORDS[lexicon].get(lang, frozenset())
    if lexicon not in _PREFIX_MATCHED:
        return any(token in words for token in tokens)
    if lang == "ar":
        tokens = tokens + [_ARABIC_PREFIX_RE.sub("", token, count=1) for token in tokens]
    return any(token.startswith(word) for token in tokens for word in words)


@dataclass(frozen=True)
class ArgumentFilter:
    """A logistic regression over :data:`FEATURES`: ``coef`` per feature, ``intercept``, and the
    probability ``threshold`` from which a sentence counts as an argument."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        """The probability that each row of ``features`` is an argument."""
        return np.asarray(1.0 / (1.0 + np.exp(-(np.atleast_2d(features) @ np.array(self.coef) + self.intercept))))


#: Where scripts/argument_filter.py writes the fitted filter, inside the package.
FILTER_FILE = ("models", "argument-filter.json")


@cache
def shipped_filter() -> ArgumentFilter:
    """The argument filter of ``models/argument-filter.json`` (written by scripts/argument_filter.py)."""
    data = json.loads(resources.files("forumminer").joinpath(*FILTER_FILE).read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ModelError("models/argument-filter.json was fitted on other features: run scripts/argument_filter.py")
    return ArgumentFilter(coef=tuple(data["coef"]), intercept=float(data["intercept"]),
                          threshold=float(data["threshold"]))


def argument_probabilities(sentences: Sequence[str], langs: Sequence[str],
                           prepared: Sequence[str] | None = None) -> np.ndarray:
    """The probability that each sentence (in its language of ``langs``) is an argument on the
    question, by the shipped filter; one is an argument from ``shipped_filter().threshold`` on.

    >>> probabilities = argument_probabilities(["الموظف ليس خادما للزبون، ومن حقه أن يرفض الإهانة.",
    ...                                         "مطعم الورد في شارع النخيل نظيف وأطباقه لذيذة."], ["ar", "ar"])
    >>> (probabilities >= shipped_filter().threshold).tolist()
    [True, False]
    """
    return shipped_filter().probability(argument_features(sentences, langs, prepared))
