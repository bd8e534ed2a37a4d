"""Corpus readers: a folder of .txt files, a .txt file, CSV/TSV, JSONL and Parquet.

Every reader yields documents as dicts with ``doc_id``, ``text`` and the metadata columns of the
input. :func:`iter_documents` streams them (for inputs larger than memory); :func:`read_corpus`
collects them into a DataFrame.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..columns import protect
from ..errors import ForumminerWarning, InputError
from .encoding import check_encoding_options, open_text

if TYPE_CHECKING:
    import pandas as pd

Document = dict[str, Any]
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
TEXT_SUFFIXES = (".txt",)
METADATA_FILE = "metadata.csv"
METADATA_KEYS = ("file", "filename", "path", "doc_id")
STDIN = "-"
STDIN_NAME = "<stdin>"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    text_col: str = "text",
    id_col: str | None = None,
    encoding: str | None = None,
    errors: str = "strict",
) -> "pd.DataFrame":
    """Read one or more corpus inputs into a DataFrame with one row per document.

    Columns: ``doc_id``, ``text`` and every metadata column of the inputs. Text files and folders
    of them give ``doc_id`` = path relative to the folder; tables give the ``id_col`` value, or
    the 1-based row number (prefixed with the file name when several inputs are read). ``-`` reads
    a CSV table from standard input. Encodings are detected (see :mod:`forumminer.io.encoding`)
    unless ``encoding`` is given; ``errors="replace"`` replaces undecodable bytes. An input column
    named like one of forumminer's (``doc_id``, ``lang``, ...) is kept (see
    :func:`forumminer.columns.restore_input_columns`). A text cell that is not a string (a
    JSONL/Parquet null, number or list) is kept as it is: :func:`passages` skips it with a reason.

    >>> docs = read_corpus("corpora/sample")  # doctest: +SKIP
    >>> docs.columns[:2].tolist()  # doctest: +SKIP
    ['doc_id', 'text']
    """
    import pandas as pd

    from ..columns import restore_input_columns

    documents = list(iter_documents(paths, text_col=text_col, id_col=id_col, encoding=encoding, errors=errors))
    return restore_input_columns(pd.DataFrame(documents, columns=_columns_of(documents)))


def iter_documents(
    paths: str | Path | Iterable[str | Path],
    *,
    text_col: str = "text",
    id_col: str | None = None,
    encoding: str | None = None,
    errors: str = "strict",
) -> Iterator[Document]:
    """Stream the documents of one or more inputs, in order; see :func:`read_corpus`. Input
    columns named like forumminer's travel under a marked name (:func:`forumminer.columns.protect`)."""
    check_encoding_options(encoding, errors)
    path_list = [_as_path(paths)] if isinstance(paths, (str, Path)) else [_as_path(p) for p in paths]
    if not path_list:
        raise InputError("no input given: name at least one file or folder.")
    prefix_ids = len(path_list) > 1
    seen: set[str] = set()
    for path in path_list:
        for document in _iter_one_input(path, text_col=text_col, id_col=id_col, prefix_ids=prefix_ids,
                                        encoding=encoding, errors=errors):
            if document["doc_id"] in seen:
                raise InputError(
                    f"{path}: duplicate document id {document['doc_id']!r}"
                    f"{f' in column {id_col!r}' if id_col else ''}. Ids must be unique: "
                    "choose another --id-col or leave it out to number the rows.",
                    path=path,
                )
            seen.add(document["doc_id"])
            yield document


def _as_path(path: str | Path) -> Path:
    if str(path) == "":
        raise InputError("an empty path was given as input: name a file or folder ('.' for the current folder).")
    return Path(path)


def _iter_one_input(path: Path, *, text_col: str, id_col: str | None, prefix_ids: bool, encoding: str | None,
                    errors: str) -> Iterator[Document]:
    if str(path) == STDIN:
        with _stdin_copy() as copy:
            for row_number, (line_number, row) in enumerate(
                    _iter_table_rows(copy, name=STDIN_NAME, suffix=".csv", encoding=encoding, errors=errors), start=1):
                yield _document_from_row(row, Path(STDIN_NAME), row_number, line_number, text_col=text_col,
                                         id_col=id_col, prefix_id=prefix_ids)
        return
    _check_exists(path)
    if path.is_dir():
        yield from _iter_text_folder(path, encoding=encoding, errors=errors)
        return
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield from _iter_text_files([path], root=path.parent, metadata={}, encoding=encoding, errors=errors)
        return
    if suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(none)'!r}. "
            f"Give a folder of .txt files, a .txt, .csv, .tsv, .jsonl or .parquet file.",
            path=path,
        )
    for row_number, (line_number, row) in enumerate(_iter_table_rows(path, encoding=encoding, errors=errors), start=1):
        yield _document_from_row(
            row, path, row_number, line_number, text_col=text_col, id_col=id_col, prefix_id=prefix_ids
        )


def read_table(path: str | Path, *, encoding: str | None = None, errors: str = "strict") -> "pd.DataFrame":
    """Read a table forumminer wrote (a labeled or passages table: .csv, .tsv, .jsonl, .parquet;
    ``-``: CSV on standard input).

    Missing values read back as they were in memory: an empty cell (CSV, TSV) or null (JSONL,
    Parquet) is NA, and only those (text such as ``NA`` or ``None`` stays text); a missing
    ``text`` is the empty string.

    >>> labeled = read_table("out/labeled.csv")  # doctest: +SKIP
    >>> labeled[labeled["skip_reason"].isna()]  # doctest: +SKIP
    """
    check_encoding_options(encoding, errors)
    if str(path) == STDIN:
        with _stdin_copy() as copy:
            return _read_table_file(copy, name=STDIN_NAME, suffix=".csv", encoding=encoding, errors=errors)
    path = _as_path(path)
    _check_exists(path)
    if not path.is_file():
        raise InputError(f"{path}: is a folder; give a .csv, .tsv, .jsonl or .parquet file.", path=path)
    return _read_table_file(path, name=path, suffix=path.suffix.lower(), encoding=encoding, errors=errors)


def _read_table_file(path: Path, *, name: object, suffix: str, encoding: str | None, errors: str) -> "pd.DataFrame":
    import pandas as pd

    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"{name}: unsupported table type {suffix or '(none)'!r}; "
                         "give a .csv, .tsv, .jsonl or .parquet file.", path=name)
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix in (".jsonl", ".ndjson"):
            with open_text(path, name=name, encoding=encoding, errors=errors) as handle:
                frame = pd.read_json(handle, lines=True, dtype=False)
        else:
            with open_text(path, name=name, encoding=encoding, errors=errors) as handle:
                header = next(csv.reader(handle, delimiter="\t" if suffix == ".tsv" else ","), [])
                _check_header([h.strip() for h in header], name)
                handle.seek(0)
                frame = pd.read_csv(handle, sep="\t" if suffix == ".tsv" else ",", keep_default_na=False, na_values=[""],
                                    dtype={"doc_id": str, "passage_id": str})
    except (ValueError, OSError, csv.Error) as error:
        raise InputError(f"{name}: cannot read the table ({str(error).splitlines()[0] if str(error) else error!r}).",
                         path=name) from error
    if "text" in frame.columns:
        frame["text"] = frame["text"].fillna("")
    return frame


# --- folders and .txt files ---------------------------------------------------------------------


def _iter_text_folder(folder: Path, *, encoding: str | None, errors: str) -> Iterator[Document]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    metadata = _read_folder_metadata(folder, files, encoding=encoding, errors=errors)
    if not files:
        warnings.warn(ForumminerWarning(f"{folder}: no .txt files in this folder."), stacklevel=3)
    yield from _iter_text_files(files, root=folder, metadata=metadata, encoding=encoding, errors=errors)


def _iter_text_files(files: list[Path], *, root: Path, metadata: dict[str, dict[str, Any]], encoding: str | None,
                     errors: str) -> Iterator[Document]:
    # every document gets every metadata column (missing when its file has no metadata row)
    blank = dict.fromkeys((column for row in metadata.values() for column in row), None)
    for file in files:
        text = read_text_file(file, encoding=encoding, errors=errors)
        if not text.strip():
            warnings.warn(ForumminerWarning(f"{file}: empty file, no documents read from it."), stacklevel=3)
            continue
        doc_id = file.relative_to(root).as_posix()
        yield {"doc_id": doc_id, "text": text, **blank, **metadata.get(doc_id, {})}


def read_text_file(path: Path, *, encoding: str | None = None, errors: str = "strict") -> str:
    """Read a whole text file in its detected encoding (or ``encoding``), with ``\\n`` line ends."""
    with open_text(path, encoding=encoding, errors=errors) as handle:
        text = handle.read()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_folder_metadata(folder: Path, files: list[Path], *, encoding: str | None,
                          errors: str) -> dict[str, dict[str, Any]]:
    """Metadata rows of ``folder/metadata.csv`` keyed by the doc_id (relative path) they describe."""
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    rows = list(_iter_table_rows(path, encoding=encoding, errors=errors))
    if not rows:
        return {}
    columns = list(rows[0][1])
    key = next((c for c in METADATA_KEYS if c in columns), None)
    if key is None:
        raise InputError(
            f"{path}: no column naming the files. Name one column {' or '.join(METADATA_KEYS[:2])!s} "
            f"(the file name or its path relative to the folder); columns are: {', '.join(columns)}.",
            path=path,
        )
    doc_ids = [f.relative_to(folder).as_posix() for f in files]
    by_name: dict[str, list[str]] = {}
    for doc_id in doc_ids:
        by_name.setdefault(doc_id.rsplit("/", 1)[-1], []).append(doc_id)
    metadata: dict[str, dict[str, Any]] = {}
    for line_number, row in rows:
        name = str(row[key]).replace("\\", "/")
        matches = [name] if name in doc_ids else by_name.get(name, [])
        if len(matches) != 1:
            problem = "matches no .txt file" if not matches else f"matches {len(matches)} files"
            warnings.warn(
                ForumminerWarning(f"{path}, line {line_number}: {key} {name!r} {problem}; row ignored."),
                stacklevel=4,
            )
            continue
        metadata[matches[0]] = _missing_as_none({protect(c): v for c, v in row.items() if c != key})
    return metadata


# --- tables ----------------------------------------------------------------------------------------


def _iter_table_rows(path: Path, *, name: Any = None, suffix: str | None = None, encoding: str | None = None,
                     errors: str = "strict") -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(position, row)`` of a CSV/TSV/JSONL/Parquet file: the position is the line number
    where the row starts in text formats (what an editor shows) and the 1-based row in Parquet."""
    name = path if name is None else name
    suffix = suffix or path.suffix.lower()
    if suffix == ".parquet":
        yield from _iter_parquet(path)
        return
    if path.stat().st_size == 0:
        warnings.warn(ForumminerWarning(f"{name}: empty file, no documents read from it."), stacklevel=4)
        return
    with open_text(path, name=name, encoding=encoding, errors=errors) as handle:
        if suffix in (".jsonl", ".ndjson"):
            yield from _iter_jsonl(handle, name)
        else:
            yield from _iter_csv(handle, name, delimiter="\t" if suffix == ".tsv" else ",")


def _semicolon_if_header_says_so(header: str, path: Any, delimiter: str) -> str:
    """``;`` for a .csv whose header line has semicolons and no comma (spreadsheets in many
    locales save CSV that way), with a warning; ``delimiter`` otherwise."""
    if delimiter == "," and ";" in header and "," not in header:
        warnings.warn(ForumminerWarning(f"{path}: the header line has semicolons and no comma; "
                                        "read as semicolon-separated."), stacklevel=6)
        return ";"
    return delimiter


def _iter_csv(handle: IO[str], path: Any, *, delimiter: str) -> Iterator[tuple[int, dict[str, Any]]]:
    header_line = handle.readline()
    delimiter = _semicolon_if_header_says_so(header_line, path, delimiter)
    reader = csv.reader(itertools.chain([header_line], handle), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            warnings.warn(ForumminerWarning(f"{path}: empty file, no documents read from it."), stacklevel=5)
            return
        header = [h.strip() for h in header]
        _check_header(header, path)
        line = reader.line_num
        for fields in reader:
            first_line, line = line + 1, reader.line_num
            if not fields:
                continue
            if len(fields) != len(header):
                raise InputError(
                    f"{path}, line {first_line}: expected {len(header)} fields ({', '.join(header)}), "
                    f"found {len(fields)}. Quote fields that contain {'tabs' if delimiter == chr(9) else 'commas'} "
                    f"or line breaks, or fix the row.",
                    path=path,
                    row=first_line,
                )
            yield first_line, dict(zip(header, fields))
    except csv.Error as error:
        raise InputError(
            f"{path}, line {reader.line_num}: malformed CSV ({error}). Check the quotes on that row.",
            path=path,
            row=reader.line_num,
        ) from error


def _iter_jsonl(handle: IO[str], path: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(
                f"{path}, line {line_number}: not valid JSON ({error.msg}). Each line must hold one JSON object.",
                path=path,
                row=line_number,
            ) from error
        if not isinstance(record, dict):
            raise InputError(
                f"{path}, line {line_number}: expected a JSON object, found {type(record).__name__}.",
                path=path,
                row=line_number,
            )
        yield line_number, record


def _iter_parquet(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow.parquet as pq
    from pyarrow import ArrowException

    try:
        parquet = pq.ParquetFile(path)
    except (ArrowException, OSError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error}).", path=path) from error
    row_number = 0
    for batch in parquet.iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            row_number += 1
            yield row_number, row
    if row_number == 0:
        warnings.warn(ForumminerWarning(f"{path}: empty file, no documents read from it."), stacklevel=4)


def _document_from_row(
    row: dict[str, Any],
    path: Path,
    row_number: int,
    line_number: int,
    *,
    text_col: str,
    id_col: str | None,
    prefix_id: bool,
) -> Document:
    if row_number == 1:
        check_columns(path, list(row), text_col=text_col, id_col=id_col, row=line_number)
    elif text_col not in row:  # only JSON Lines records can lack a key the first row has
        raise InputError(
            f"{path}, line {line_number}: no key {text_col!r} in this record (its keys: {', '.join(map(str, row))}). "
            f"Give every record a {text_col!r} key (null or \"\" where it has no text).",
            path=path,
            row=line_number,
        )
    elif id_col is not None and id_col not in row:
        raise InputError(
            f"{path}, line {line_number}: no key {id_col!r} (--id-col) in this record (its keys: {', '.join(map(str, row))}).",
            path=path,
            row=line_number,
        )
    doc_id = str(row[id_col]) if id_col is not None else str(row_number)
    if prefix_id:
        doc_id = f"{path.name}:{doc_id}"
    metadata = _missing_as_none({protect(c): v for c, v in row.items() if c != text_col and not (c == id_col == "doc_id")})
    return {"doc_id": doc_id, "text": row[text_col], **metadata}


def check_columns(path: Any, columns: list[str], *, text_col: str, id_col: str | None, row: int | None = None) -> None:
    """Raise the error of a table at ``path`` whose ``columns`` lack ``text_col`` (or ``id_col``).

    >>> check_columns("posts.csv", ["body"], text_col="text", id_col=None)
    Traceback (most recent call last):
    forumminer.errors.InputError: posts.csv: no column 'text'. Columns are: body. Use --text-col to name the text column.
    """
    if text_col not in columns:
        raise InputError(f"{path}: no column {text_col!r}. Columns are: {', '.join(map(str, columns))}. "
                         "Use --text-col to name the text column.", path=path, row=row)
    if id_col is not None and id_col not in columns:
        raise InputError(f"{path}: no column {id_col!r} for --id-col. Columns are: {', '.join(map(str, columns))}.",
                         path=path, row=row)


def _missing_as_none(row: dict[str, Any]) -> dict[str, Any]:
    """An empty cell is a missing value: None in memory, as it is NA after any file round trip."""
    return {column: None if isinstance(value, str) and value == "" else value for column, value in row.items()}


# --- helpers -------------------------------------------------------------------------------------


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder.", path=path)
    if not path.is_dir() and not path.is_file():
        raise InputError(f"{path}: not a regular file (a pipe or device). Save the data to a file, "
                         "or pipe a CSV table to - (standard input).", path=path)


def _check_header(header: list[str], path: Any) -> None:
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InputError(f"{path}, line 1: duplicate column name {duplicates[0]!r}; "
                         "rename one of the columns so every name is unique.", path=path, row=1)


@contextlib.contextmanager
def _stdin_copy() -> Iterator[Path]:
    """A temporary copy of standard input (its encoding is checked over the whole text before reading)."""
    with tempfile.TemporaryDirectory(prefix="forumminer-stdin-") as folder:
        copy = Path(folder) / "stdin.csv"
        with open(copy, "wb") as handle:
            shutil.copyfileobj(sys.stdin.buffer, handle)
        yield copy


def _columns_of(documents: list[Document]) -> list[str]:
    columns = {"doc_id": None, "text": None}
    for document in documents:
        columns.update(dict.fromkeys(document))
    return list(columns)
