"""Stance cues: phrases that commonly carry (or rule out) a position on "is the customer always
right?", in Arabic (MSA and dialects) and Persian. Written from general knowledge of how these
debates are worded; each group becomes one feature, and a passage's matched groups are shown to
the user as the cues behind its label. Patterns are written in natural spelling and folded at
import like the text they are matched against.
"""

from __future__ import annotations

# Word edges, for patterns that would otherwise fire inside longer, unrelated words (each use says
# which). A word starts where no letter or half-space comes before it; an Arabic word may still
# carry its clitics و/ف (and), ب/ل/ك (with, for, as), ال (the) and their combinations (والعقد,
# بالتوازن, للعقد). A word ends where no letter follows; a half-space may, before a Persian suffix.
_WORD = r"(?<![\w\u200c])"
_AR_WORD = _WORD + r"(?:[وف]?(?:لل|[بلك]?(?:ال)?))"
_END = r"(?!\w)"
# a number after حدود makes it "about" (حدود ۲۰ درصد, حدود سه سال), not "limits"
_QUANTITY = (r"(0|(یک|یه|دو|سه|چهار|پنج|شش|هفت|هشت|نه|ده|بیست|سی|چهل|پنجاه|صد|هزار|میلیون|نیم|واحد|اثنين|ثلاث|ثلاثة"
             r"|اربع|اربعة|خمس|خمسة|عشر|عشرة|عشرين|مئة|مائة|الف|مليون|نصف)" + _END + ")")

CUE_PATTERNS: dict[str, list[str]] = {
    # --- customer_always_right ---
    "customer is king / always right": [
        r"(الزبون|العميل|الزباين|الكليان) (هو )?(الملك|ملك)", r"(الزبون|العميل) (دايما|دائما|دوما|دائما وابدا) (على|علي) حق",
        r"(الزبون|العميل) (على|علي) حق (دايما|دائما|دوما)", r"مشتری (پادشاه|شاه|ولی ?نعمت)", r"حق (همیشه )?با مشتری(ه| است)",
        r"مشتری همیشه (حق داره|حق دارد|درست می ?گه)", r"customer is (always right|king)",
    ],
    "satisfy the customer first": [
        r"(رضا|ارضاء|اسعاد|سعادة) (العميل|الزبون|العملاء|الزباين)", r"رضایت(مندی)? (مشتری|مشتریان|کارفرما)",
        r"(راضی|خوشحال) (نگه ?داشتن|کردن|کنی|نگهش)", r"(فوق|اكثر من|أكثر من) (توقعات|توقع|المتوقع)",
        r"بیشتر از (انتظار|توقع)", r"(الميل|ميل) (الاضافي|اضافي)", r"(قدم|کار) اضافه(ای)? (بردار|انجام)",
    ],
    "apologise / refund without argument": [
        r"(لا|ما|متـ?) ?تجادل", r"(اعتذر|اعتذار|نعتذر)", r"(استرجاع|ارجاع|استرداد) (المبلغ|الفلوس|الفلوس)",
        r"بحث نکن", r"(عذرخواهی|معذرت)", r"پول(ش)? (رو|را) (برگردون|برگردان|پس بده)",
    ],
    "loyalty and reputation": [
        # سمعة (reputation) not inside نسمعه, يسمعه (we/he hear it)
        r"(ولاء|وفاء) (العميل|العملاء|الزبون)", r"(يرجعلك|يرجع لك|يرجع تاني|بيرجعلك|يعود اليك)", _AR_WORD + r"(سمعة|سمعتك)",
        r"(وفادار|وفاداری)", r"دهان به دهان", r"تبلیغ (رایگان|دهان)", r"(الكلمة الطيبة|يجيب معه|يجيبلك)",
    ],
    # --- boundary_setting ---
    "not always right": [
        r"(ليس|مش|مو|ماهو|ما هو|مب|ماشي|موش|لا يكون) (دايما|دائما|دوما|ديما) (على|علي|عندو|عنده) (حق|الحق)",
        r"(ليس|مش|مو) (على|علي) حق (دايما|دائما)", r"همیشه حق (با مشتری|با کارفرما)? ?نیست", r"همیشه حق (ندارد|نداره|نداره)",
        r"حق با مشتری نیست", r"not always right",
    ],
    "pay for extras": [
        r"(مقابل|بمقابل|باجر|بأجر|بسعر) (مادي|اضافي|إضافي)?", r"(مجانا|مجانيا|ببلاش|بلاش|ب ?بلاش|بالمجان)",
        r"(رسوم|تكلفة|تكلفه) (اضافية|اضافيه|إضافية)", r"(هزینه|پول|مبلغ) (اضافه|اضافی|جدا)",
        # not inside المجانين (the insane), مفتوح (open), مفتاح (key), المفترض, پرسپولیس, پولیش
        # (polish) or پولشویی (laundering)
        r"(مجانی(?!ن)|رایگان)", _WORD + r"مفت(ه|کی)?" + _END, _WORD + r"(پولی(?!س|ش)|با پول|پولش(?!وی))",
    ],
    "contract and scope": [
        # عقد not inside معقد (complicated); اتفاق (agreement) not Persian اتفاق (event: اتفاق افتاد,
        # اتفاق‌ها, اتفاقی) or اتفاقا (by chance)
        _AR_WORD + r"(عقد|اتفاق(?!ا(?!ت)|ی(?!ه)|\u200cها| ?(افتاد|می[ \u200c]?افت|میفت|نیفت|بیفت)))",
        r"(المتفق عليه|الشروط|شروط|نطاق العمل|النطاق)", r"(قرارداد|توافق|چارچوب|اسکوپ|محدوده کار|شرح خدمات)",
        r"(scope|contract)",
    ],
    "limits, refusal and bad clients": [
        # حدود (limits) and حد ل as words: not inside واحد ل, nor حدود (about) before a number;
        # محدود (limited), نامحدود (unlimited), محدودیت (restriction) speak of limits too
        _AR_WORD + r"حدود(?! ?" + _QUANTITY + ")", _AR_WORD + r"حد ل", _AR_WORD + r"(نا)?محدود",
        r"(ارفض|رفض|لا اقبل|ما اقبل|مش هقبل)", r"قول لا" + _END,  # قول لا (say no), not قول لازم
        r"(تخلص|التخلص|استغنى|اترك) (من )?(العميل|الزبون|هذا العميل)?", r"(عميل|زبون) (سيء|سيئ|سام|مزعج|متعب|نصاب)",
        # as words: not inside خدابیامرز, وارد کنید (enter), برخورد کند (deal), مودبانه بگو (say
        # politely), اول کن (first do), المشتري (Arabic "the buyer"); بد (bad), not بدون (without),
        # بداند (know), بدید (see) or بده (give)
        _WORD + r"(مرز|نه بگو|نه گفتن|رد کن|قبول نمی ?کنم|قبول نکن)", _WORD + r"(اخراج|خداحافظی|کنار گذاشتن|ول کن) (مشتری|کارفرما)?",
        _WORD + r"(مشتری|کارفرما)(ی)? (بد(?!ون|ان|ید|ه)|سمی|مزاحم|پررو)",
    ],
    "respect and dignity of the provider": [
        # as words: not inside ماهانه (monthly) or آگاهانه (knowingly)
        _AR_WORD + r"(كرامة|كرامتك|كرامتي|اهانة|إهانة|يهين|ابتزاز|يبتز|قلة احترام)", r"(توهین|عزت نفس|تحقیر|بی ?احترامی)",
        # شأن (standing) and باج (extortion) as words: not inside عشان (because), نشان (sign), the
        # suffix ـشان (their), الشأن (the matter), باجه (kiosk) or بأجر (for a fee)
        _WORD + r"و?شأن(ش|ك|ي)?" + _END, _WORD + r"باج(گیر|خواه|" + _END + ")",
        # Arabic وقتي (my time) only before what makes it so: alone it is Persian وقتی (when); not
        # inside دلوقتي (now)
        _AR_WORD + r"(وقتك|جهدي|جهدك|تعبي)" + _END, _AR_WORD + r"وقتي (له|مش|ليس|غالي|ثمين)" + _END,
        _WORD + r"(وقت|زحمت|تخصص) (من|ما|خودت|خودم)" + _END,  # not الوقت ما, اونوقت من
    ],
    "platform metrics against sellers": [
        r"(نسبة|معدل) (الالغاء|الإلغاء|الانجاز|الإنجاز|التسليم)", r"(الغاء|إلغاء) (الطلب|الطلبات|الخدمة)",
        r"(تقييم|التقييم|نجمة|النجوم)", r"(امتیاز|ستاره|لغو سفارش|کنسل|پلتفرم)", r"(المنصة|الموقع) (دايما|دائما|تقف|يقف|تنحاز)",
    ],
    # --- balanced ---
    "it depends": [
        # حسب (according to) as a word: not inside يحسب, تنحسب (is counted), حسبت, فحسب (only);
        # بستگی not inside وابستگی (dependence), همبستگی (solidarity); نسبي is نسبی (relative) folded
        r"(يعتمد|يختلف|نسبي)", _WORD + r"و?(ب|على )?حسب(ه|ها|هم|ما)?" + _END,
        _WORD + r"(بستگی|فرق (داره|دارد|میکنه))",
        r"(it depends)",
    ],
    "middle way": [
        # as words: not inside متوسط (average), توسط (by), البوسطة (the post), وسطاء (brokers),
        # بوسطن, عامیانه (colloquial), بالانسحاب (by withdrawing) or بالانستا (on Instagram)
        _AR_WORD + r"(م?توازن|وسط(?!اء|ن)|حل وسط|موازنة)", r"خير الامور", r"(من ناحية|من جهة|في نفس الوقت|في الوقت نفسه)",
        r"(تعادل|حد وسط|از (یه|یک) طرف|از طرف دیگر|در عین حال)", _WORD + r"میانه", r"بالانس(?!ت|ح)",
        # "both ... and ..." as words, not inside مهم (important), فهم, همیشه (always) or همه (all),
        # and in one sentence: across a full stop the second هم is "too" (... هم رفت. او هم ماند)
        r"(?<![\w\u200c])هم [^.!?؟؛\n]{1,30} هم(?![\w\u200c])",
        r"(بدون افراط|افراط و تفریط|لا افراط)",
    ],
    # --- none ---
    "thanks or greeting": [
        r"(شكرا|مشكور|جزاك|بارك الله|بالتوفيق|السلام عليكم|مرحبا|تحياتي|يعطيك العافية)",
        r"(ممنون|مرسی|سپاس|تشکر|موفق باشید|موفق باشی|خسته نباشید|درود)",
        # "hello" as a word, not inside اسلامی, سلامت, استسلام or السلامة
        r"(?<!\w)(و?ال)?سلام(?![تةهیي])",
    ],
    "site boilerplate": [
        r"(جميع الحقوق|سجل الدخول|تسجيل الدخول|اضف تعليق|ملفات تعريف|النشرة البريدية)",
        _WORD + r"(شارك|مشاركة|اشترك)",  # the buttons, not المشاركة, مشارکت (taking part) or يشارك
        r"(کلیه حقوق|حقوق محفوظ|ارسال (دیدگاه|نظر)|اشتراک ?گذاری|وارد شوید|کوکی|عضویت|خبرنامه)", r"(©|cookie|subscribe|login)",
    ],
    "statistic": [r"(٪|%|درصد|بالمئه|في المئه|بالمائه)"],
    "other sense of the words": [
        r"(عميل|عملاء) (لل|ل)?(موساد|مخابرات|استخبارات|اجنبي|للخارج|مزدوج)", r"(حق|الحق) (التصويت|الرد|الملكيه|الانتخاب|اللجوء)",
        # the planet Jupiter (مشتری), not Arabic سيارة (car) or منظومة (system)
        r"(سیاره(ٔ|\u200cی| ی)? مشتری|مشتری و زحل|منظومه شمسی|ژوپیتر)", r"(حق (رأی|رای|پخش|تالیف|و حقوق))",
    ],
}
