"""Write result tables reproducibly, and record how they were made in a sidecar file.

* The same table always gives the same bytes (CSV, TSV, JSONL and Parquet alike), so a rerun can
  be checked with a checksum or a plain diff.
* ``excel=True`` makes CSV/TSV safe to open in a spreadsheet: a UTF-8 byte-order mark so Excel
  reads Arabic and Persian correctly, and text cells that start with ``= + - @``, a tab or a
  carriage return get a leading ``'`` so they are never run as formulas.
* Every file is written atomically (:mod:`forumminer.atomic`): a temporary file beside it is
  renamed into place when complete, so an error, a full disk or Ctrl-C never leaves half a table.
* :func:`write_sidecar` writes ``NAME.meta.json`` beside ``NAME`` (``out/labeled.csv`` →
  ``out/labeled.csv.meta.json``) with the versions, options, input and output hashes and row
  counts; only its ``written_at`` time changes between identical reruns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from .atomic import SIDECAR_SUFFIX, atomic_path, output_error_message, write_bytes_atomically
from .errors import ForumminerWarning, InputError, OutputError, ParameterError

TABLE_FORMATS = (".csv", ".tsv", ".jsonl", ".parquet")
_CHART_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_format(path: str | Path) -> str:
    """Return the table format (``.csv``...) that ``path`` asks for, or raise ParameterError.

    >>> table_format("out/labeled.JSONL")
    '.jsonl'
    """
    if str(path) == "-":
        return ".csv"
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise ParameterError(
            f"output {str(path)!r}: unknown table format {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(TABLE_FORMATS)} (or - for CSV on stdout)"
            + ("; a chart is drawn with --plot (trends) or summarize --format html." if suffix in _CHART_SUFFIXES
               else "; for Excel, write .csv with --excel." if suffix in (".xlsx", ".xls") else "."),
            name="output",
            value=str(path),
        )
    return suffix


def write_table(frame: pd.DataFrame, path: str | Path, *, excel: bool = False) -> None:
    """Write ``frame`` in the format of the extension of ``path`` (.csv, .tsv, .jsonl, .parquet);
    ``-`` writes CSV to standard output.

    CSV and TSV are UTF-8 with ``\\n`` line ends and no index; ``excel=True`` adds the byte-order
    mark and defuses formulas (CSV and TSV only). JSONL has one object per line with text kept
    readable, missing values as null and dates as ISO strings.

    >>> write_table(pd.DataFrame({"text": ["=SUM(A1)", "العميل"]}), "out/labeled.csv", excel=True)  # doctest: +SKIP
    """
    with TableWriter(path, excel=excel) as writer:
        writer.write(frame)


class TableWriter:
    """Write a table in parts (for corpora larger than memory). CSV, TSV and JSONL bytes are those
    :func:`write_table` gives for the whole table; Parquet gets one row group per part. Parts
    after the first keep its columns (and, in Parquet, its column types).

    >>> with TableWriter("out/labeled.csv") as writer:  # doctest: +SKIP
    ...     for part in parts:
    ...         writer.write(part)
    """

    def __init__(self, path: str | Path, *, excel: bool = False) -> None:
        self.format = table_format(path)
        if excel and self.format not in (".csv", ".tsv"):
            raise ParameterError(
                f"excel=True applies to .csv and .tsv outputs; got {str(path)!r}. Write a .csv file for spreadsheets.",
                name="excel",
                value=str(path),
            )
        self.path, self.excel = path, excel
        self.columns: list[str] | None = None
        self.rows = 0
        self._stream: Any = None

    def __enter__(self) -> "TableWriter":
        if str(self.path) == "-":
            sys.stdout.flush()
            self._stream = sys.stdout.buffer
            return self
        self._temp_context = atomic_path(self.path)  # renamed into place only when complete
        self._temp = self._temp_context.__enter__()
        if self.format != ".parquet":  # Parquet opens with the first part, which gives its schema
            self._stream = self._guarded(lambda: open(self._temp, "wb"))
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame``."""
        first = self.columns is None
        if self.columns is None:
            self.columns = list(frame.columns)
        else:
            extra = [c for c in frame.columns if c not in self.columns]
            if extra:
                warnings.warn(ForumminerWarning(
                    f"{self.path}: columns {', '.join(map(str, extra))} first appear after row {self.rows}; "
                    "they are left out of this streamed output. Read the input with read_corpus to keep them."),
                    stacklevel=2)
            frame = frame.reindex(columns=self.columns)
        self.rows += len(frame)
        if self.format == ".parquet":
            self._write_parquet_part(frame)
        elif self.format == ".jsonl":
            self._guarded(lambda: self._stream.write(_jsonl_bytes(frame)))
        else:
            sep = "\t" if self.format == ".tsv" else ","
            data = _delimited_bytes(frame, sep=sep, excel=self.excel, header=first)
            self._guarded(lambda: self._stream.write(data))

    def _write_parquet_part(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._stream is None:
            # a column empty in the first part is typed as text, so later parts can fill it
            schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema],
                               metadata=table.schema.metadata)
            self._stream = pq.ParquetWriter(self._temp, schema)
        try:
            table = table.cast(self._stream.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as error:
            raise InputError(f"{self.path}: a later part of the table has other column types than the first "
                             f"({error}). Write .csv or .jsonl instead.", path=self.path) from error
        self._guarded(lambda: self._stream.write_table(table))

    def __exit__(self, *exc_info: Any) -> None:
        if str(self.path) == "-":
            self._stream.flush()
            return
        try:
            if exc_info[0] is None and self.format == ".parquet" and self._stream is None:  # an empty table
                self._write_parquet_part(pd.DataFrame(columns=self.columns or []))
            if self._stream is not None:
                self._guarded(self._stream.close)
        except BaseException as error:
            self._temp_context.__exit__(type(error), error, error.__traceback__)
            raise
        self._temp_context.__exit__(*exc_info)

    def _guarded(self, action: Any) -> Any:
        """Run ``action``; an OSError (disk full) becomes the one-line OutputError of atomic_path."""
        try:
            return action()
        except OSError as error:
            raise OutputError(output_error_message(Path(self.path), error), path=self.path) from error


def write_sidecar(
    output_path: str | Path,
    *,
    options: dict[str, Any],
    inputs: list[str | Path],
    model: dict[str, Any] | None,
    row_counts: dict[str, int],
) -> Path:
    """Write ``OUTPUT.meta.json`` beside the written table ``output_path`` and return its path.

    It records the forumminer version, the ``model`` (e.g. ``{"id": ..., "sha256": ...}``), the
    ``options``, each input with its SHA-256 (:func:`sha256_of`), the output's name and SHA-256,
    the ``row_counts`` and ``written_at`` (UTC). Keys are sorted and text is kept readable.

    >>> write_sidecar("out/labeled.csv", options={"lang": "auto"}, inputs=["corpora/sample"],
    ...               model=None, row_counts={"passages": 340})  # doctest: +SKIP
    PosixPath('out/labeled.csv.meta.json')
    """
    from . import __version__

    output = Path(output_path)
    if str(output_path) == "-" or not output.is_file():
        raise ParameterError(
            f"output {str(output_path)!r}: no such file; a sidecar describes a written table file, "
            "so write the table to a file first.",
            name="output",
            value=str(output_path),
        )
    meta = {
        "forumminer_version": __version__,
        "inputs": [{"path": str(p), "sha256": sha256_of(p)} for p in inputs],
        "model": model,
        "options": options,
        "output": {"name": output.name, "sha256": sha256_of(output)},
        "row_counts": row_counts,
        "written_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    text = json.dumps(meta, sort_keys=True, ensure_ascii=False, indent=2, default=str)
    return write_bytes_atomically(output.with_name(output.name + SIDECAR_SUFFIX), (text + "\n").encode("utf-8"))


def sha256_of(path: str | Path) -> str | None:
    """SHA-256 of a file, or of a folder: hashed over its files (hidden ones skipped) in sorted
    order of their relative POSIX paths, one ``PATH\\0FILE_SHA256\\n`` record each. ``-``
    (standard input) has no hash: None.

    >>> sha256_of("corpora/sample/metadata.csv")  # doctest: +SKIP
    '3b1f...'
    """
    if str(path) == "-":
        return None
    path = Path(path)
    if path.is_file():
        return _file_sha256(path)
    if not path.is_dir():
        raise InputError(f"{path}: no such file or folder; inputs must exist to be hashed.", path=path)
    digest = hashlib.sha256()
    for relative, file in sorted((f.relative_to(path).as_posix(), f) for f in path.rglob("*") if f.is_file()):
        if not any(part.startswith(".") for part in relative.split("/")):
            digest.update(f"{relative}\0{_file_sha256(file)}\n".encode())
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _delimited_bytes(frame: pd.DataFrame, *, sep: str, excel: bool, header: bool = True) -> bytes:
    if excel:
        frame = _defused(frame)
    # Python 3.12's csv writer quotes a field only for the characters of its line terminator, so
    # a bare "\r" in a post would break the row with "\n" alone. Write "\r\n" (quoting both),
    # then turn the row ends, which are outside quotes (even parts between '"'), into "\n".
    parts = frame.to_csv(index=False, sep=sep, lineterminator="\r\n", header=header).split('"')
    parts[::2] = [part.replace("\r\n", "\n") for part in parts[::2]]
    text = '"'.join(parts)
    return ("\ufeff" + text if excel and header else text).encode("utf-8")


def _defused(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a spreadsheet formula."""
    out = frame.rename(columns=_defuse)
    for column in out.select_dtypes(include=["object", "string", "category"]).columns:
        out[column] = out[column].map(_defuse, na_action="ignore")
    return out


def _defuse(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value


def _jsonl_bytes(frame: pd.DataFrame) -> bytes:
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    lines = (json.dumps(record, ensure_ascii=False, default=_json_value) + "\n" for record in records)
    return "".join(lines).encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)
