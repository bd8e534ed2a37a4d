"""Which sentences can be key points: a key point is a short, self-contained sentence that gives
a reason for its stance (Key Point Analysis). :func:`candidate_problem` says why a sentence cannot
be one: a question, a heading or lead-in, a list announcement, reported speech, a greeting, a
narration (an anecdote told in the past tense), a definition, or a sentence that leans on the one
before it. The markers are Arabic (MSA and common dialect forms) and Persian words in the folded
spelling of :func:`~forumminer.stance.features.feature_tokens` (ی ک ه, bare alef), written from
general knowledge of both languages; corpora/keypoints/candidates.csv (our own labeled sentences)
measures them.
"""

from __future__ import annotations

import re

from ..stance.features import feature_text, feature_tokens

#: Key points are sentences of this many words (list markers not counted).
MIN_WORDS, MAX_WORDS = 6, 35

_LIST_MARKER_RE = re.compile(r"^(?:[-–—•*▪●◦]+|\(?[0-9٠-٩۰-۹]{1,3}\s*[-.)،:/]|\(?[a-zA-Zأ-ي]\))\s*")
_QUESTION_MARKS = ("?", "؟")
_LEAD_IN_ENDINGS = (":", "：", "...", "…")
_FRAGMENT_ENDINGS = ("،", "؛", ",", ";")
# a sentence that ends inside a quotation («...». "...!") reports what someone said
_REPORTED_SPEECH_RE = re.compile(r"""[»"”']\s*[.!؟?…]*$""")
# a verb of saying before a colon or an opening quote ("... گفت: ...", "يقول الغرب: «...»") reports speech
# too, and so does one of the first two words ("ويقول الغرب ...", "تقول الكاتبة إن ...")
_SAYING_WORDS = frozenset(
    "قال قالت یقول تقول یقولون قالوا وقال وقالت ویقول وتقول ویقولون وقالوا فقال فقالت یضیف ویضیف تضیف وتضیف "
    "اضاف واضاف گفت گفته گفتند "
    "می\u200cگوید می\u200cگویند said says".split())
_QUOTE_OPENINGS = (":", "«", '"', "“")
_TERMINAL_MARKS = (".", "!", "؛", "…", "»", '"', "”", ")")
# first words of sentences that are no argument on their own
_OPENINGS = {
    "question": "هل ایا چرا چطور چگونه لماذا کیف ماذا متی کجا",  # أين folds to این: see below
    "greeting": "سلام درود مرحبا اهلا السلام تحیه مرسی ممنون متشکرم سپاس شکرا تشکر",
    "anecdote": "روزی دیروز پارسال یادم اذکر اتذکر حدث حصل ذات مره قبل منذ یه بعد بعدها وبعدها بعدش ثم سپس",
    "leans on the previous sentence": (
        "این ان اینها انها همین همان او وی بنابراین پس لذا اما ولی البته زیرا چون هذا هذه ذلک تلک هولاء "
        "لذلک لهذا ولذلک ولهذا وهذا وهذه وذلک لکن ولکن بل اذن وبالتالی بالتالی لان لانه هو هی هم فهو فهی "
        "المهم نتیجه خلاصه یعنی هنا وهنا هکذا وهکذا اینجا مثل مانند همچون کما مثلا"
    ),
}
_OPENING_WORDS = {reason: frozenset(words.split()) for reason, words in _OPENINGS.items()}
# two-word openings that tell an anecdote or point back ("یک روز", "في يوم", "به همین", "برای همین")
_OPENING_PAIRS = frozenset({("یک", "روز"), ("یک", "بار"), ("فی", "یوم"), ("به", "همین"), ("از", "این"),
                            ("با", "این"), ("علی", "هذا"), ("من", "هنا"), ("در", "این"), ("به", "این"),
                            ("از", "طرف"), ("ومع", "ذلک"), ("مع", "ذلک"), ("من", "ناحیه"), ("فی", "المقابل"),
                            ("در", "اینجا"), ("فی", "هذا"), ("فی", "هذه"), ("افزون", "بر"), ("علاوه", "بر"),
                            ("بالاضافه", "الی"), ("اضافه", "الی"), ("برای", "همین"), ("از", "همین"),
                            ("من", "ثم"), ("ومن", "ثم")})
# an Arabic sentence opened by the conjunction ف ("so", "then") before one of these words, or before
# the article (فالـ), goes on from the previous one
_AFTER_FA = frozenset("ان اذا عندما لما قد لا لم لن لیس لیست من ما کان کانت هذا هذه ذلک هو هی هم نحن انت".split())
# the Arabic particle هل only ever asks, so a clause it opens is a question, with or without a question
# mark ("... فهل يرضى الزبون"); Persian آیا asks too, but folds to the spelling of Arabic أيا
# ("whichever"), so only its opening is a question (_OPENINGS)
_INTERROGATIVES = frozenset("هل فهل وهل".split())
# Arabic أيًا opening a sentence ("أيا كان السبب، ..."): written with hamza or Arabic yeh, it is no آیا
_ARABIC_WHICHEVER_RE = re.compile(r"^(?:أ|إ|ا(?=ي))[يی][\u064b-\u0652]*ا[\u064b-\u0652]*(?!\S)")
# a demonstrative before a word for a saying or a text ("this phrase", "این جمله") points back
_DEMONSTRATIVES = frozenset("این همین ان هذه هذا تلک ذلک".split())
_TEXT_NOUNS = frozenset("جمله شعار عبارت حرف سخن مقاله متن پست نوشته العباره الجمله الشعار المقوله الکلام المقال "
                        "المقاله المنشور".split())
# a sentence about a saying ("the phrase «the customer is always right» ...") mentions its words
# rather than using them: its stance cannot be read from them
_SAYING_NOUNS = frozenset("جمله الجمله وجمله عبارت عباره العباره شعار الشعار شعاری مقوله المقوله کلیشه".split())
# a number or "some, several" before a word for reasons, ways, steps or tips announces a list
_QUANTIFIERS = frozenset("بعض عده العدید اهم ثلاث ثلاثه اربع اربعه خمس خمسه چند سه چهار پنج برخی تعدادی".split())
_LIST_NOUNS = frozenset(
    "مراحل المراحل اسباب الاسباب نصایح النصایح طرق الطرق خطوات الخطوات نقاط النقاط اسالیب الاسالیب قواعد "
    "القواعد امور الامور نکته نکات روش روش\u200cها راه راهکار راهکارها دلیل دلایل علت مرحله قدم توصیه "
    "توصیه\u200cها".split())
_FOLLOWING = frozenset({("موارد", "زیر"), ("نکات", "زیر"), ("به", "شرح"), ("کما", "یلی"), ("فیما", "یلی"),
                        ("وفیما", "یلی")})
_FOLLOWING_WORDS = frozenset("التالیه التالی الاتیه".split())
# narration: Arabic verbs in the first person past (with و or ف before them), a verb of telling with
# "me" ("قال لي", "أخبرني"); Persian verbs in the first person past or the past progressive, told
# speech (گفت، پرسید); time anchors in the past ("yesterday", "last year", "one day")
_ARABIC_FIRST_PERSON_PAST = frozenset(
    "کنت کنا قلت قلنا ذهبت ذهبنا رایت راینا سالت سالنا دخلت دخلنا طلبت طلبنا اشتریت اشترینا وجدت وجدنا "
    "اتصلت اتصلنا رجعت رجعنا شعرت قررت قررنا حاولت حاولنا تعاملت اکتشفت شرحت اصررت اصریت اخبرت کتبت ارسلت "
    "ارسلنا انتظرت انتظرنا دفعت دفعنا استلمت جلست جلسنا خرجت خرجنا وصلت وصلنا زرت تذکرت سمعت فوجیت ختمت "
    "بدات بدانا عملت اشتغلت".split())
_TOLD_ME = frozenset("اخبرنی سالنی ابلغنی اجابنی نصحنی اخبرنا".split())
_TELLING_VERBS = frozenset("قال قالت بین شرح اکد گفت پرسید".split())
_PERSIAN_TOLD = frozenset("گفت گفتند پرسید پرسیدند".split())
_PERSIAN_PAST_STEMS = (
    "رفت گفت دید خرید بود کرد شد امد اومد داشت خواست نوشت پرسید فهمید رسید گرفت زد داد کشید برد اورد "
    "گذاشت ماند موند نشست شنید دانست توانست تونست فرستاد خورد شناخت پرداخت")
_PERSIAN_FIRST_PERSON_PAST_RE = re.compile(
    rf"^(?:ن?می\u200c?|ن)?(?:{_PERSIAN_PAST_STEMS.replace(' ', '|')})(?:م|یم)$")
# the past progressive ("می‌رفت", "می‌خریدند"), but not of the verbs it makes modal ("می‌شد", "می‌توانست"),
# nor where it reads as a present too: "می‌برد" (takes), and "می‌خرید" (you buy) without an ending
_PERSIAN_PAST_PROGRESSIVE_RE = re.compile(
    r"^ن?می\u200c?(?:(?:رفت|گفت|دید|کرد|امد|اومد|داشت|نوشت|گرفت|زد|داد|گذاشت|نشست|شنید|دانست|فرستاد|شناخت|پرداخت)"
    r"(?:م|ی|یم|ید|ند)?|(?:خرید|پرسید|فهمید|رسید|کشید)(?:م|ی|یم|ند))$")
# the Persian past perfect: a participle before بود ("زده بود", "رفته بودیم")
_PLUPERFECT_AUXILIARIES = frozenset("بود بودم بودی بودیم بودید بودند".split())
_PAST_TIME_WORDS = frozenset("دیروز پریروز پارسال امس البارحه".split())
_PAST_TIME_PAIRS = frozenset({(unit, ago) for unit in "هفته ماه سال روز چند".split() for ago in ("پیش", "گذشته")}
                             | {(unit, "الماضی") for unit in "الاسبوع الشهر العام الیوم".split()}
                             | {("السنه", "الماضیه"), ("ذات", "یوم"), ("ذات", "مره"), ("احد", "الایام"),
                                ("منذ", "سنوات"), ("منذ", "ایام"), ("منذ", "سنه"), ("یک", "روز"), ("یه", "روز")})
# definitions: a sentence that says what a word means
_DEFINITION_OPENINGS = frozenset("معنی مفهوم تعریف منظور".split())
_DEFINITION_PAIRS = frozenset({("یقصد", "به"), ("یقصد", "بها"), ("یطلق", "علی"), ("به", "معنای"), ("به", "معنی"),
                               ("عبارت", "است"), ("عبارتند", "از"), ("تعریف", "می\u200cشود"), ("گفته", "می\u200cشود"),
                               ("هو", "مصطلح")})
# "X means someone who / something that" (یعنی کسی که، يعني الشخص الذي) defines X
_MEANS = "یعنی"
_DEFINED_AS = frozenset("کسی کسانی چیزی جایی الشخص الذی التی الذین من".split())
# a concession ("true, ... but", "although ...,") grants one side and argues for the other: what it
# asserts follows the rebuttal word, else the first comma
_CONCESSION_RE = re.compile(r"^(?:صحیح|درست است که|درسته که|رغم|برغم|بالرغم|علی الرغم|مع ان|با اینکه|با این\u200cکه|"
                            r"با وجود|هرچند|هر چند|اگرچه|اگر چه|گرچه)(?=\W)")
_REBUTTAL_RE = re.compile(r"(?:^|\W)(?:لکن|ولکن|لکنه|لکنها|لکننا|الا ان|اما|ولی|لیکن|فان)(?=\W)")
_COMMA_RE = re.compile(r"[،,]")
# words that give a reason or draw a conclusion: an argument rather than a description
_REASON_WORDS = frozenset((
    "because since so therefore thus must should "
    "لان لانه لانها لانهم ولان بسبب لذلک لهذا فلذلک ولذلک یجب ویجب فیجب ینبغی لابد فلابد علینا عشان علشان لانو "
    "چون چونکه زیرا باید نباید بنابراین وگرنه"
).split())
_REASON_PAIRS = frozenset({("لا", "بد"), ("من", "اجل"), ("به", "خاطر"), ("برای", "اینکه"), ("چرا", "که"),
                           ("به", "دلیل"), ("از", "انجا")})


def candidate_text(sentence: str) -> str:
    """The sentence without a leading list marker (``4-``, ``١.``, ``•``, ``(b)``).

    >>> candidate_text("4- الزبون ليس دائما على حق")
    'الزبون ليس دائما على حق'
    """
    return _LIST_MARKER_RE.sub("", sentence.strip(), count=1)


def candidate_problem(sentence: str, prepared: str | None = None) -> str | None:
    """Why a sentence (list marker stripped) cannot be a key point, or None if it can: too short
    or long, a question, a heading or lead-in, a fragment (cut at ``،`` or ``؛``), reported
    speech, a greeting, an anecdote or narration, a definition, or one that leans on the previous
    sentence. ``prepared``: the sentence's :func:`feature_text`, when the caller has it already.

    >>> candidate_problem("آیا مشتری همیشه حق دارد که سر کارمند داد بزند؟")
    'question'
    >>> candidate_problem("هذا يعني أن الموظف لا يستحق الإهانة من أي زبون.")
    'leans on the previous sentence'
    >>> candidate_problem("مدیر فروشگاه گفت: مشتری باید همیشه راضی از اینجا برود.")
    'reported speech'
    >>> candidate_problem("برای تعمیر گوشی به همان مغازه رفتم و پولم را پس ندادند.")
    'narration'
    >>> candidate_problem("من حق الموظف أن يرفض إهانة الزبون مهما كان المبلغ.") is None
    True
    """
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return "length"
    if any(mark in sentence for mark in _QUESTION_MARKS):
        return "question"
    if sentence.endswith(_LEAD_IN_ENDINGS):
        return "lead-in"
    if sentence.endswith(_FRAGMENT_ENDINGS):
        return "fragment"
    if _REPORTED_SPEECH_RE.search(sentence):
        return "reported speech"
    tokens = feature_tokens(_prepared(sentence, prepared))
    if _SAYING_WORDS.intersection(tokens[:2]) or (
            _SAYING_WORDS.intersection(tokens) and any(mark in sentence[:-1] for mark in _QUOTE_OPENINGS)):
        return "reported speech"
    whichever = bool(_ARABIC_WHICHEVER_RE.match(sentence))
    problem = _opening_problem(tokens, whichever=whichever) or _content_problem(tokens)
    if problem:
        return problem
    if not sentence.endswith(_TERMINAL_MARKS) and len(words) <= 12:
        return "heading"
    return None


def _opening_problem(tokens: list[str], *, whichever: bool = False) -> str | None:
    """What the first words of a sentence tell: a question, greeting or anecdote, or that it leans
    on the previous sentence (``whichever``: it opens with Arabic أيًا, not Persian آیا)."""
    for reason, openings in _OPENING_WORDS.items():
        if tokens and tokens[0] in openings and not whichever:
            return reason
    if tuple(tokens[:2]) in _OPENING_PAIRS:
        return "anecdote or reference"
    if tokens and tokens[0].startswith("ف") and (tokens[0][1:] in _AFTER_FA or tokens[0].startswith("فال")):
        return "leans on the previous sentence"
    return None


def _content_problem(tokens: list[str]) -> str | None:
    """What the words of a sentence tell wherever they stand: a question without its mark, a list
    announcement, a narration, a definition, or a pointer to a phrase said before."""
    if _INTERROGATIVES.intersection(tokens):
        return "question"
    pairs = list(zip(tokens, tokens[1:]))
    if _announces_list(tokens, pairs):
        return "lead-in"
    if is_narration(tokens, pairs):
        return "narration"
    if _defines(tokens, pairs):
        return "definition"
    if any(first in _DEMONSTRATIVES and second in _TEXT_NOUNS for first, second in pairs):
        return "leans on the previous sentence"
    if _SAYING_NOUNS.intersection(tokens):
        return "talks about a saying"
    return None


def _announces_list(tokens: list[str], pairs: list[tuple[str, str]]) -> bool:
    after_quantifier = {word for i, token in enumerate(tokens) if token in _QUANTIFIERS for word in tokens[i + 1:i + 3]}
    return (bool(after_quantifier & _LIST_NOUNS) or bool(_FOLLOWING_WORDS.intersection(tokens))
            or any(pair in _FOLLOWING for pair in pairs))


def is_narration(tokens: list[str], pairs: list[tuple[str, str]] | None = None) -> bool:
    """Whether the feature tokens of a sentence tell a story: a verb in the first person past
    (Arabic, with و or ف before it; Persian), the Persian past progressive or past perfect, told
    speech ("قال لي", "أخبرني", "گفت"), or a time anchor in the past ("دیروز", "الأسبوع الماضي",
    "ذات يوم").

    >>> is_narration(feature_tokens(feature_text("ذهبت إلى المحل واشتريت هاتفا جديدا")))
    True
    >>> is_narration(feature_tokens(feature_text("يجب أن يحترم الزبون وقت الموظف وجهده")))
    False
    """
    if pairs is None:
        pairs = list(zip(tokens, tokens[1:]))
    for token in tokens:
        bare = token[1:] if token[:1] in ("و", "ف") else token
        if (token in _ARABIC_FIRST_PERSON_PAST or bare in _ARABIC_FIRST_PERSON_PAST or token in _TOLD_ME
                or token in _PAST_TIME_WORDS or token in _PERSIAN_TOLD
                or _PERSIAN_FIRST_PERSON_PAST_RE.match(token) or _PERSIAN_PAST_PROGRESSIVE_RE.match(token)):
            return True
    return any(pair in _PAST_TIME_PAIRS or (pair[0].lstrip("وف") in _TELLING_VERBS and pair[1] in ("لی", "لنا"))
               or (pair[0].endswith("ه") and pair[1] in _PLUPERFECT_AUXILIARIES) for pair in pairs)


def _defines(tokens: list[str], pairs: list[tuple[str, str]]) -> bool:
    """Whether a sentence says what a word means: opened by "the meaning / definition of", or
    "is called", "يقصد به", "به معنای", or "X means someone who" (یعنی کسی که، يعني الشخص الذي)."""
    if tokens and tokens[0] in _DEFINITION_OPENINGS:
        return True
    return any(pair in _DEFINITION_PAIRS or (pair[0] == "یقصد" and pair[1].startswith("ب"))
               or (pair[0] == _MEANS and pair[1] in _DEFINED_AS) for pair in pairs)


def asserted_text(sentence: str, prepared: str | None = None) -> str:
    """What a sentence asserts: of a concession ("صحيح أن ... لكن ...", "درست است که ... اما ...",
    "هرچند ...، ..."), the part after the rebuttal, which carries the writer's stance (in the
    spelling of :func:`feature_text`); else the sentence itself, as labeling scores it (an encoder
    reads the words as written).

    >>> asserted_text("صحيح أن العميل مهم، لكن وقت الموظف له قيمة أيضا.")
    ' وقت الموظف له قیمه ایضا.'
    >>> asserted_text("الموظف يستحق الاحترام.")
    'الموظف يستحق الاحترام.'
    """
    text = _prepared(sentence, prepared).strip()
    opening = _CONCESSION_RE.match(text)
    rebuttal = (_REBUTTAL_RE.search(text, opening.end()) or _COMMA_RE.search(text, opening.end())) if opening else None
    return text[rebuttal.end():] if rebuttal and text[rebuttal.end():].strip() else sentence


def gives_reason(sentence: str, prepared: str | None = None) -> bool:
    """Whether a sentence gives a reason or draws a conclusion (because, so, must, should; لأن،
    لذلك، يجب، ينبغي; چون، زیرا، باید، بنابراین ...), as an argument does.

    >>> gives_reason("يجب احترام الموظف لأنه إنسان قبل كل شيء.")
    True
    >>> gives_reason("ذهبت إلى المتجر في الصباح واشتريت الخبز.")
    False
    """
    tokens = feature_tokens(_prepared(sentence, prepared))
    return bool(_REASON_WORDS.intersection(tokens)) or any(pair in _REASON_PAIRS for pair in zip(tokens, tokens[1:]))


def _prepared(sentence: str, prepared: str | None) -> str:
    return feature_text(sentence) if prepared is None else prepared
