"""Sentence splitting with character offsets, for Arabic and Persian.

camel-tools has no sentence splitter and hazm's splits only on ``. ! ?`` followed by a space; this
one also ends sentences at ``؟ ؛ …`` and line breaks, keeps decimals (``٣.٥``) and one-letter
abbreviations (``د.`` ``أ.`` ``م.`` ``e.g.``) inside the sentence, and reports offsets so that
passages can point back into their document.
"""

from __future__ import annotations

import re

from ..errors import check_choice

# A sentence ends after a run of terminal punctuation (closing quotes/brackets may follow),
# before whitespace or the end of the text; a line break always ends one.
_SENTENCE_END_RE = re.compile(r"""(?:[.!?؟؛…]+[»"'”’)\]]*)(?=\s|$)|\n""")
# A lone letter followed by a dot ("د." "م." "e.") is an abbreviation, not a sentence end.
_ABBREVIATION_RE = re.compile(r"(?:^|[\s(«\".])\w\.$")
_SPACE = frozenset(" \t\r\n\u200c\u200f\u200e\xa0")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``, whitespace trimmed.

    >>> text = "قال د. أحمد إن النسبة ٣.٥٪ فقط. هل هذا كثير؟ لا أظن"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['قال د. أحمد إن النسبة ٣.٥٪ فقط.', 'هل هذا كثير؟', 'لا أظن']
    """
    spans = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end()
        if match.group() == "." and _ABBREVIATION_RE.search(text, max(start, end - 3), end):
            continue
        spans.append(_trimmed(text, start, end))
        start = end
    spans.append(_trimmed(text, start, len(text)))
    return [(s, e) for s, e in spans if s < e]


def sentences(text: str, lang: str | None = None) -> list[str]:
    """Split ``text`` into sentences (see :func:`sentence_spans` for the rules).

    ``lang`` is accepted for symmetry with the other text functions: the rules are the same for
    Arabic and Persian.

    >>> sentences("همیشه حق با مشتری نیست! ولی احترامش واجب است.")
    ['همیشه حق با مشتری نیست!', 'ولی احترامش واجب است.']
    """
    check_choice("lang", lang or "auto", ("ar", "fa", "auto"))
    return [text[start:end] for start, end in sentence_spans(text)]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end
