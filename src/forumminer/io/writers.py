"""Table writers: the format follows the file extension (.csv, .tsv, .jsonl, .parquet); ``-`` is
CSV on standard output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

TABLE_FORMATS = (".csv", ".tsv", ".jsonl", ".parquet")


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
            f"use one of {', '.join(TABLE_FORMATS)} (or - for CSV on stdout).",
            name="output",
            value=str(path),
        )
    return suffix


def write_table(frame: "pd.DataFrame", path: str | Path) -> None:
    """Write ``frame`` to ``path`` in the format of its extension; ``-`` writes CSV to stdout.

    CSV is UTF-8 without index; JSONL has one JSON object per line with text kept readable.
    """
    fmt = table_format(path)
    if str(path) == "-":
        frame.to_csv(sys.stdout, index=False)
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in (".csv", ".tsv"):
        frame.to_csv(path, index=False, sep="\t" if fmt == ".tsv" else ",", encoding="utf-8", lineterminator="\n")
    elif fmt == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path, index=False)
