"""Detect the text encoding of an input file: UTF-8 (with or without BOM), UTF-16 with BOM, or
Windows-1256 (the usual code page of Arabic exports from older Windows software)."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..text._resources import ARABIC_LETTER_RE

SNIFF_BYTES = 1 << 20
SUPPORTED = "UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1256"


def detect_encoding(path: Path) -> str:
    """Return the Python codec name to read ``path`` with.

    Raises InputError for binary files and for text in none of the supported encodings.
    """
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
        truncated = bool(handle.read(1))
    return detect_encoding_of_bytes(head, path=path, truncated=truncated)


def detect_encoding_of_bytes(raw: bytes, *, path: object = None, truncated: bool = False) -> str:
    """Like :func:`detect_encoding` for bytes already read (``truncated``: more bytes follow).

    >>> detect_encoding_of_bytes("سلام".encode("utf-8"))
    'utf-8'
    >>> detect_encoding_of_bytes("سلام".encode("cp1256"))
    'cp1256'
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in raw:
        raise InputError(
            f"{path}: looks like a binary file (it contains NUL bytes), not text. "
            f"Give a .txt, .csv, .tsv, .jsonl or .parquet file in {SUPPORTED}.",
            path=path,
        )
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed block is still UTF-8.
        if truncated and error.start >= len(raw) - 3:
            return "utf-8"
    text = raw.decode("cp1256", errors="replace")
    if ARABIC_LETTER_RE.search(text) and _looks_like_text(text):
        return "cp1256"
    raise InputError(
        f"{path}: cannot decode the file as {SUPPORTED}. Re-save it as UTF-8.", path=path
    )


def _looks_like_text(text: str) -> bool:
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.97 * len(text)
