"""Decide the text encoding of an input file with evidence, and open it for reading.

* A byte-order mark decides: UTF-8 with BOM, or UTF-16.
* Otherwise the whole file must be valid UTF-8 (checked as a stream, so large files cost no
  memory). A file that is not is read as Windows-1256 (the code page of Arabic exports from older
  Windows software) only when it holds no valid UTF-8 beyond ASCII and then reads as Arabic script;
  anything else is an error naming the line and byte offset of the first bad byte.
* ``encoding=`` forces a codec and ``errors="replace"`` replaces undecodable bytes by U+FFFD,
  with a warning that says how many characters were replaced.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import ForumminerWarning, InputError, ParameterError
from ..text._resources import ARABIC_LETTER_RE

SNIFF_BYTES = 1 << 20
SUPPORTED = "UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1256"
ERRORS = ("strict", "replace")
RESAVE = "Re-save it as UTF-8 (in Excel: Save As > CSV UTF-8), or pass --encoding or --errors replace"
_LEGACY = "cp1256"
_COUNTING_HANDLER = "forumminer-count-replace"
_replaced = [0]


def _count_and_replace(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    _replaced[0] += error.end - error.start
    return "\ufffd", error.end


codecs.register_error(_COUNTING_HANDLER, _count_and_replace)


def detect_encoding(path: Path, *, name: object = None, lenient: bool = False) -> str:
    """Return the Python codec name to read ``path`` with (``name`` is what messages call it).

    Raises InputError for binary files and for text in none of the supported encodings (unless
    ``lenient``: then such text is UTF-8, to be read with replacements).
    """
    name = path if name is None else name
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        problem = _first_utf8_problem(handle, name)
        if problem is None:
            return "utf-8"
        handle.seek(0)
        return _legacy_or_error(handle, name, problem, lenient=lenient)


def detect_encoding_of_bytes(raw: bytes, *, path: object = None, truncated: bool = False) -> str:
    """Like :func:`detect_encoding` for bytes already in memory (``truncated``: more bytes follow,
    so a character cut at the end is no error).

    >>> detect_encoding_of_bytes("سلام".encode("utf-8"))
    'utf-8'
    >>> detect_encoding_of_bytes("سلام".encode("cp1256"))
    'cp1256'
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    problem = _first_utf8_problem(io.BytesIO(raw), path, final=not truncated)
    return "utf-8" if problem is None else _legacy_or_error(io.BytesIO(raw), path, problem)


@contextlib.contextmanager
def open_text(path: Path, *, name: object = None, encoding: str | None = None,
              errors: str = "strict") -> Iterator[IO[str]]:
    """Open ``path`` as text (newlines untranslated) in its detected encoding or ``encoding``.

    With ``errors="replace"`` undecodable bytes become U+FFFD and a warning says how many.

    >>> with open_text(Path("posts.csv")) as handle:  # doctest: +SKIP
    ...     header = handle.readline()
    """
    name = path if name is None else name
    check_encoding_options(encoding, errors)
    chosen = encoding or detect_encoding(path, name=name, lenient=errors == "replace")
    report_encoding(name, chosen, explicit=encoding is not None)
    _replaced[0] = 0
    with open(path, "rb") as raw:
        handle = io.TextIOWrapper(raw, encoding=chosen, newline="",
                                  errors=_COUNTING_HANDLER if errors == "replace" else "strict")
        try:
            yield handle
        except UnicodeDecodeError as error:
            raise InputError(f"{name}: cannot decode the file as {chosen} ({error.reason}). {RESAVE}.",
                             path=name) from error
    if _replaced[0]:
        count = _replaced[0]
        warnings.warn(ForumminerWarning(f"{name}: {count} byte{'s' if count != 1 else ''} could not be decoded as "
                                        f"{chosen} and {'were' if count != 1 else 'was'} replaced by U+FFFD."),
                      stacklevel=3)


def check_encoding_options(encoding: str | None, errors: str) -> None:
    """Raise ParameterError for an unknown codec or errors mode."""
    if errors not in ERRORS:
        raise ParameterError(f"errors must be one of {', '.join(ERRORS)}; got {errors!r}.", name="errors", value=errors)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise ParameterError(f"unknown encoding {encoding!r}; give a Python codec name such as utf-8, "
                                 "cp1256 or utf-16-le.", name="encoding", value=encoding) from error


def report_encoding(name: object, encoding: str, *, explicit: bool = False) -> None:
    """Warn when a file is read in another encoding than UTF-8 without being asked to."""
    if not explicit and encoding not in ("utf-8", "utf-8-sig"):
        label = {"cp1256": "Windows-1256", "utf-16": "UTF-16"}.get(encoding, encoding)
        warnings.warn(ForumminerWarning(f"{name}: read as {label} (detected)."), stacklevel=4)


def _first_utf8_problem(handle: IO[bytes], name: object, *, final: bool = True) -> tuple[int, int] | None:
    """``(line, byte offset)`` of the first byte that is not valid UTF-8, or None; raises InputError
    for NUL bytes (binary files, UTF-16 without a byte-order mark)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    while chunk := handle.read(SNIFF_BYTES):
        if b"\x00" in chunk:
            _refuse_nul(chunk, name, offset=offset, lines=lines)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            position = max(offset + error.start - pending, offset)
            return lines + chunk.count(b"\n", 0, position - offset) + 1, position
        offset += len(chunk)
        lines += chunk.count(b"\n")
    if final:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines + 1, offset - len(decoder.getstate()[0])
    return None


def _refuse_nul(chunk: bytes, name: object, *, offset: int, lines: int) -> None:
    even, odd = chunk[0::2].count(0), chunk[1::2].count(0)
    order = "le" if odd > even else "be"
    as_utf16 = chunk[:len(chunk) // 2 * 2].decode(f"utf-16-{order}", errors="replace")
    if max(even, odd) >= max(2, 0.05 * len(chunk) / 2) and min(even, odd) <= 0.01 * max(even, odd) \
            and _printable_share(as_utf16) >= 0.97:
        raise InputError(f"{name}: looks like UTF-16 text without a byte-order mark. Re-save it as UTF-8, "
                         f"or pass --encoding utf-16-{order}.", path=name)
    position = chunk.index(b"\x00")
    if chunk.count(0) <= max(2, len(chunk) // 1000) and _printable_share(chunk.replace(b"\x00", b"")) >= 0.97:
        line = lines + chunk.count(b"\n", 0, position) + 1
        raise InputError(f"{name}, line {line} (byte offset {offset + position}): a NUL character in the text. "
                         "Remove it, or re-save the file as plain UTF-8 text.", path=name, row=line)
    raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not text. "
                     f"Give a .txt, .csv, .tsv, .jsonl or .parquet file in {SUPPORTED}.", path=name)


def _printable_share(raw: bytes | str) -> float:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / max(len(text), 1)


def _legacy_or_error(handle: IO[bytes], name: object, problem: tuple[int, int], *, lenient: bool = False) -> str:
    """Windows-1256 when the file holds (next to) no valid UTF-8 beyond ASCII and reads as Arabic script
    in that code page; otherwise InputError naming the first bad byte."""
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    legacy = codecs.getincrementaldecoder(_LEGACY)(errors="replace")
    valid_non_ascii = invalid = letters = arabic = unprintable = total = 0
    while chunk := handle.read(SNIFF_BYTES):
        decoded = utf8.decode(chunk)
        invalid += decoded.count("\ufffd")
        valid_non_ascii += sum(1 for ch in decoded if ord(ch) > 127) - decoded.count("\ufffd")
        text = legacy.decode(chunk)
        letters += sum(ch.isalpha() for ch in text)
        arabic += len(ARABIC_LETTER_RE.findall(text))
        unprintable += sum(not (ch.isprintable() or ch in "\r\n\t") for ch in text)
        total += len(text)
    if valid_non_ascii < 0.1 * invalid and arabic > 0 and arabic >= 0.5 * letters and unprintable <= 0.03 * total:
        return _LEGACY
    if lenient:
        return "utf-8"
    line, offset = problem
    raise InputError(f"{name}, line {line} (byte offset {offset}): not valid UTF-8, and the file is not "
                     f"Windows-1256 Arabic either. {RESAVE}.", path=name, row=line)
