"""Letter sets, word lists and regexes shared by the text functions, built once at import."""

from __future__ import annotations

import re

# Letters only Persian uses (پ چ ژ گ, Persian yeh and keheh) and letters only Arabic uses.
PERSIAN_ONLY_LETTERS = frozenset("پچژگیک")
ARABIC_ONLY_LETTERS = frozenset("ةى")
# Arabic yeh/kaf, which Persian writers often type from an Arabic keyboard layout.
ARABIC_YEH_KAF = frozenset("يك")

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

# Arabic-script letters (digits and punctuation of the block excluded).
ARABIC_LETTER_RE = re.compile(
    r"[\u0621-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"
)
# Invisible characters that only change how a word breaks or joins: zero-width space, word joiner,
# byte-order mark (zero-width no-break space), soft hyphen, and a zero-width joiner next to a letter
# (between emoji it builds one emoji, and stays). The zero-width non-joiner (the Persian half-space)
# is spelling and stays.
_INVISIBLE_RE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_ZWJ_AT_LETTER_RE = re.compile(r"\u200d+(?=[^\W\d_])|(?<=[^\W\d_])\u200d+")


def remove_invisible(text: str) -> str:
    """``text`` without the invisible characters above.

    >>> remove_invisible("مش\u200bتر\u00adی")
    'مشتری'
    """
    text = _INVISIBLE_RE.sub("", text)
    # the joiner pattern's look-arounds make it slow to scan: run it only where a joiner is
    return _ZWJ_AT_LETTER_RE.sub("", text) if "\u200d" in text else text
LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")

# Web addresses, e-mail addresses, HTML tags and entities: Latin characters that say nothing about
# a passage's language or stance (a one-line Arabic comment with a link is still Arabic).
_MARKUP_RE = re.compile(r"[ \t]*(?:(?:(?:https?://|www\.)[^\s<>\"']+|[\w.+-]+@[\w-]+\.[\w.]+|</?[A-Za-z][^<>]{0,300}>"
                        r"|&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});)[ \t]*)+")
_MARKUP_SIGNS = ("http", "www.", "@", "<", "&")


def without_markup(text: str) -> str:
    """``text`` with web addresses, e-mail addresses, HTML tags and entities (and the spaces around
    them) replaced by one space.

    >>> without_markup("العميل <b>على حق</b> https://example.com/a?b=1")
    'العميل على حق '
    """
    return _MARKUP_RE.sub(" ", text) if any(sign in text for sign in _MARKUP_SIGNS) else text
# Words for language evidence: runs of letters; the half-space separates words for this purpose.
EVIDENCE_WORD_RE = re.compile(r"[^\W\d_]+")

# Function words that are frequent in one language and rare in the other, written with the
# letters of both keyboards (ی/ي, ک/ك are folded before lookup). Ambiguous words (و، من، ما، یا،
# که/كه) are left out on purpose.
PERSIAN_FUNCTION_WORDS = frozenset(
    """
    است هست نیست بود نبود شد شود نشد میشود می نمی را از به با برای این آن اینکه آنکه چون اما ولی
    اگر خیلی چه چرا کجا هم تا یک ها های هایی ای کرد کند کنند کنم کنیم کنید کرده کردن باید نباید
    دارد دارند داره نداره ندارد داشت بیشتر همه همیشه هیچ هر دیگه دیگر شما او ایشان آنها اینها
    مشتری مشتریان کارفرما بدون خود خودش خودم شان مان تان یعنی وقتی چیزی کسی کار پول نه بله آره
    میکنم میکنه میکنند میشه نمیشه نمیکنم هستم هستند هستیم بودم بودند برای چطور چگونه خب بابا
    """.split()
)
ARABIC_FUNCTION_WORDS = frozenset(
    """
    في على إلى الى عن أن ان إن هذا هذه ذلك تلك التي الذي الذين كان كانت يكون تكون لا لم لن قد
    هو هي هم نحن أنا انا أنت انت كل بعض عند ثم أو او بل لكن حتى إذا اذا لو هل ليس ليست مع بين
    أي اي فقط أيضا ايضا جدا منذ عندما كما مثل يعني مش ده دي اللي عشان علشان بس هيك ليش شو كيف
    ازاي إزاي ايش وش بدي بده كتير مو مب زي لازم بزاف ديال واش علاش حنا العميل العملاء الزبون
    الزبائن عميل زبون التاجر البائع العمل الخدمة والله يا
    """.split()
)
