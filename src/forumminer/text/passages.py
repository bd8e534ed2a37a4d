"""Cut documents into passages that keep their provenance (document id, offsets, metadata)."""

from __future__ import annotations

import functools
import itertools
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..columns import protect, restore_input_columns
from ..errors import ForumminerWarning, ParameterError, check_choice
from .langid import detect_language
from .segment import sentence_spans

if TYPE_CHECKING:
    import pandas as pd

PASSAGE_COLUMNS = ("doc_id", "passage_id", "text", "start", "end", "lang", "skip_reason")
UNITS = ("auto", "line", "paragraph")

_LINE_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"\S+")
_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n[ \t\u200f\u200e]*[^\s][^\n]*)*")
_DOCUMENT_LANG_CHARS = 5000  # enough text to tell a document's language
_BATCH_DOCUMENTS = 500  # per worker task
_SPLIT_CHARACTERS = 20_000  # spans up to this long are split to count their words
_SENTENCE_FINAL = tuple(".!?؟…:؛»\"'”)")


def passages(
    documents: "pd.DataFrame | Iterable[dict[str, Any]]",
    *,
    max_words: int = 120,
    unit: str = "auto",
    workers: int | None = 1,
) -> "pd.DataFrame":
    """Cut each document into passages; one row per passage, documents in order.

    ``unit="line"`` makes each non-empty line a passage (forum exports: one post per line),
    ``"paragraph"`` each block between blank lines (hard-wrapped articles), and ``"auto"`` picks
    paragraphs only when a document's lines are hard-wrapped. A passage longer than ``max_words``
    is split at sentence boundaries (a sentence longer than that every ``max_words`` words). Columns: doc_id, passage_id (``{doc_id}#{n}``), text, start,
    end (``document_text[start:end] == text``), lang, skip_reason, then the document's metadata.
    A document without text keeps one row with an empty text and a skip_reason, and so does one
    whose text is not a string (a number, list or bytes that are not UTF-8): it is never labeled
    as the text ``"nan"``; other passages have no skip_reason (NA). Unpaired surrogate code points
    (not valid Unicode) are replaced by U+FFFD, with a warning naming the document. Metadata
    columns named like passage columns keep their names; the passage column is then written as
    ``fm_NAME`` (with a warning). ``workers`` processes (None: one per core) cut batches of
    documents side by side, with the same result.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["t1"], "text": ["سلام\\nهمیشه حق با مشتری نیست"]})
    >>> passages(docs)[["passage_id", "text", "lang"]].values.tolist()
    [['t1#1', 'سلام', 'fa'], ['t1#2', 'همیشه حق با مشتری نیست', 'fa']]
    """
    return restore_input_columns(passage_frame(documents, max_words=max_words, unit=unit, workers=workers))


def passage_frame(
    documents: "pd.DataFrame | Iterable[dict[str, Any]]",
    *,
    max_words: int = 120,
    unit: str = "auto",
    workers: int | None = 1,
) -> "pd.DataFrame":
    """Like :func:`passages`, with input columns named like ours still marked
    (:func:`forumminer.columns.protect`), for code that adds its own columns before
    :func:`forumminer.columns.restore_input_columns`."""
    import pandas as pd

    rows = list(iter_passages(documents, max_words=max_words, unit=unit, workers=workers))
    columns = list(PASSAGE_COLUMNS)
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    return with_text_dtype(pd.DataFrame(rows, columns=columns))


def with_text_dtype(frame: "pd.DataFrame") -> "pd.DataFrame":
    """``frame`` with its columns of text and missing values typed ``str`` (missing: NaN), as
    pandas reads them from a file, whatever part of a corpus they come from (even one where a
    column is all missing).

    >>> import pandas as pd
    >>> with_text_dtype(pd.DataFrame({"source": [None, None], "n": [1, None]})).dtypes.astype(str).tolist()
    ['str', 'float64']
    """
    text_columns = [column for column in frame.columns if frame[column].dtype == object
                    and all(isinstance(value, str) for value in frame[column].dropna())]
    return frame.astype(dict.fromkeys(text_columns, "str"))


def iter_passages(
    documents: "pd.DataFrame | Iterable[dict[str, Any]]",
    *,
    max_words: int = 120,
    unit: str = "auto",
    workers: int | None = 1,
) -> Iterator[dict[str, Any]]:
    """Stream the passages of ``documents`` (a DataFrame or dicts with doc_id and text), in
    order, cut in ``workers`` processes (None: one per core)."""
    from .._parallel import check_workers, ordered_map

    check_choice("unit", unit, UNITS)
    if not isinstance(max_words, int) or max_words < 1:
        raise ParameterError(f"max_words must be a positive integer; got {max_words!r}.", name="max_words", value=max_words)
    n_workers = check_workers(workers)
    records = documents.to_dict("records") if hasattr(documents, "to_dict") else documents
    if n_workers == 1:
        for document in records:
            yield from _document_passages(document, max_words=max_words, unit=unit)
        return
    stream = iter(records)
    batches = iter(lambda: list(itertools.islice(stream, _BATCH_DOCUMENTS)), [])
    cut = functools.partial(_batch_passages, max_words=max_words, unit=unit)
    for rows in ordered_map(cut, batches, workers=n_workers):
        yield from rows


def _batch_passages(documents: list[dict[str, Any]], *, max_words: int, unit: str) -> list[dict[str, Any]]:
    return [row for document in documents for row in _document_passages(document, max_words=max_words, unit=unit)]


def _document_passages(document: dict[str, Any], *, max_words: int, unit: str) -> Iterator[dict[str, Any]]:
    doc_id = str(document["doc_id"])
    text, problem = _as_text(document.get("text"))
    if _SURROGATE_RE.search(text):  # not Unicode text: no file, Parquet or CSV could hold it
        warnings.warn(ForumminerWarning(f"document {doc_id}: its text has unpaired surrogate code points (not valid "
                                        "Unicode, e.g. from text decoded with errors='surrogateescape'); each is "
                                        "replaced by U+FFFD (\ufffd)."), stacklevel=2)
        text = _SURROGATE_RE.sub("\ufffd", text)
    metadata = {protect(k): v for k, v in document.items() if k not in ("doc_id", "text")}
    spans = list(passage_spans(text, max_words=max_words, unit=unit))
    if not spans:
        yield {"doc_id": doc_id, "passage_id": f"{doc_id}#1", "text": "", "start": 0, "end": 0,
               "lang": "other", "skip_reason": problem or "empty document", **metadata}
        return
    document_lang = functools.cache(lambda: detect_language(text[:_DOCUMENT_LANG_CHARS]))
    for number, (start, end) in enumerate(spans, start=1):
        passage = text[start:end]
        lang = detect_language(passage, fallback=document_lang)
        yield {"doc_id": doc_id, "passage_id": f"{doc_id}#{number}", "text": passage, "start": start,
               "end": end, "lang": lang, "skip_reason": None, **metadata}


def passage_spans(text: str, *, max_words: int = 120, unit: str = "auto") -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` offsets of the passages of one document's text.

    >>> text = "first post\\nsecond post"
    >>> [text[s:e] for s, e in passage_spans(text)]
    ['first post', 'second post']
    """
    check_choice("unit", unit, UNITS)
    if unit == "auto":
        unit = "paragraph" if _is_hard_wrapped(text) else "line"
    pattern = _PARAGRAPH_RE if unit == "paragraph" else _LINE_RE
    for match in pattern.finditer(text):
        start, end = _strip_span(text, match.start(), match.end())
        if start == end:
            continue
        if _word_count(text, start, end, stop_after=max_words) <= max_words:
            yield start, end
        else:
            yield from _pack_sentences(text, start, end, max_words)


def _word_count(text: str, start: int, end: int, *, stop_after: int) -> int:
    """Words (as ``str.split`` finds them) in ``text[start:end]``, counting no further than one
    past ``stop_after`` (a 50 MB line is not split into a list to learn it is long)."""
    if end - start <= _SPLIT_CHARACTERS:  # a short span is split in C (str.split and \S+ agree)
        return min(len(text[start:end].split()), stop_after + 1)
    count = 0
    for count, _ in enumerate(_WORD_RE.finditer(text, start, end), start=1):
        if count > stop_after:
            break
    return count


def _pack_sentences(text: str, start: int, end: int, max_words: int) -> Iterator[tuple[int, int]]:
    """Group consecutive sentences of ``text[start:end]`` into spans of at most ``max_words`` words;
    a longer sentence (or text without any sentence boundary) is cut every ``max_words`` words."""
    chunk_start: int | None = None
    chunk_end = start
    words = 0
    for s, e in _sentences_within(text, start, end, max_words):
        n = _word_count(text, s, e, stop_after=max_words)
        if chunk_start is not None and words + n > max_words:
            yield chunk_start, chunk_end
            chunk_start = None
        if chunk_start is None:
            chunk_start, words = s, 0
        chunk_end = e
        words += n
    if chunk_start is not None:
        yield chunk_start, chunk_end


def _sentences_within(text: str, start: int, end: int, max_words: int) -> Iterator[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (offsets in ``text``), each longer one cut into runs of
    ``max_words`` words."""
    for s, e in sentence_spans(text[start:end]):
        s, e = s + start, e + start
        if _word_count(text, s, e, stop_after=max_words) <= max_words:
            yield s, e
            continue
        piece_start, piece_end, count = s, s, 0
        for word in _WORD_RE.finditer(text, s, e):
            if count == max_words:
                yield piece_start, piece_end
                piece_start, count = word.start(), 0
            piece_end, count = word.end(), count + 1
        yield piece_start, piece_end


def _is_hard_wrapped(text: str) -> bool:
    """True when blank lines separate paragraphs whose lines mostly end mid-sentence.

    A forum export with one post per line has no blank lines, so it stays line by line.
    """
    blocks = _PARAGRAPH_RE.findall(text)
    if len(blocks) < 2:
        return False
    inner_lines = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n")]
        inner_lines.extend(lines[:-1])
    if not inner_lines:
        return False
    unfinished = sum(not line.endswith(_SENTENCE_FINAL) for line in inner_lines)
    return unfinished > len(inner_lines) / 2


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _as_text(value: Any) -> tuple[str, str]:
    """A document's text and, when the value is no text at all, why (None and NaN are missing text)."""
    if isinstance(value, str):
        return value, ""
    if value is None or (isinstance(value, float) and value != value):
        return "", ""
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8"), ""
        except UnicodeDecodeError:
            return "", "text is bytes that are not UTF-8"
    return "", f"text is not a string but {type(value).__name__}"
