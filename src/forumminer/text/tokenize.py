"""Word tokenization: camel-tools for Arabic, hazm's WordTokenizer (built once) for Persian."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ..errors import check_choice
from .langid import LANGUAGES, detect_language

if TYPE_CHECKING:
    import hazm


def tokenize(text: str, lang: str | None = None) -> list[str]:
    """Split ``text`` into words and punctuation.

    Arabic (and ``"other"`` text) goes through camel-tools' ``simple_word_tokenize``; Persian through
    hazm's ``WordTokenizer`` with its defaults (the same tokens as ``hazm.word_tokenize``, but the
    tokenizer is built once instead of on every call). Half-space compounds stay one token.

    >>> tokenize("العميل، دائماً على حق!", lang="ar")
    ['العميل', '،', 'دائماً', 'على', 'حق', '!']
    >>> tokenize("من می‌خواهم بروم.", lang="fa")
    ['من', 'می\u200cخواهم', 'بروم', '.']
    """
    check_choice("lang", lang or "auto", (*LANGUAGES, "auto"))
    if lang in (None, "auto"):
        lang = detect_language(text)
    if lang == "fa":
        return _persian_word_tokenizer().tokenize(text)
    from camel_tools.tokenizers.word import simple_word_tokenize

    return simple_word_tokenize(text)


@functools.lru_cache(maxsize=1)
def _persian_word_tokenizer() -> "hazm.WordTokenizer":
    from .normalize import import_hazm

    return import_hazm().WordTokenizer()
