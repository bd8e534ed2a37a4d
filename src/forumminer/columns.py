"""The columns forumminer adds to a table, and how input columns of the same names are kept.

Readers mark an input column whose name forumminer also writes (``doc_id``, ``lang``,
``stance``, ...); :func:`restore_input_columns` gives it back its name at the end and writes
forumminer's own column as ``fm_NAME`` instead, with a warning that says so.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .errors import ForumminerWarning

if TYPE_CHECKING:
    import pandas as pd

OUR_COLUMNS = frozenset({
    "doc_id", "passage_id", "text", "start", "end", "lang", "skip_reason", "stance", "confidence",
    "p_customer_always_right", "p_balanced", "p_boundary_setting", "p_none", "cues", "n_passages",
})
OUR_PREFIX = "fm_"
_INPUT_MARK = "\x00input:"


def protect(column: str) -> str:
    """The name an input column travels under inside the pipeline (marked when it is one of ours).

    >>> protect("source")
    'source'
    """
    return _INPUT_MARK + column if column in OUR_COLUMNS else column


def restore_input_columns(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Give marked input columns their names back; our colliding columns become ``fm_NAME``."""
    marked = [c for c in frame.columns if isinstance(c, str) and c.startswith(_INPUT_MARK)]
    if not marked:
        return frame
    renames: dict[str, str] = {}
    taken = set(frame.columns)
    for column in marked:
        name = column[len(_INPUT_MARK):]
        renames[column] = name
        if name in taken:
            ours = OUR_PREFIX + name
            while ours in taken:
                ours = OUR_PREFIX + ours
            renames[name] = ours
            taken.add(ours)
    moved = {name: ours for name, ours in renames.items() if not name.startswith(_INPUT_MARK)}
    if moved:
        warnings.warn(ForumminerWarning(
            f"input columns {', '.join(moved)} keep their names; forumminer's own are written as "
            f"{', '.join(moved.values())}."), stacklevel=3)
    return frame.rename(columns=renames)


def prefer_ours(frame: "pd.DataFrame") -> "pd.DataFrame":
    """A labeled table with forumminer's ``fm_NAME`` columns (if any) under their plain names, as
    summaries and trends read them.

    >>> import pandas as pd
    >>> prefer_ours(pd.DataFrame({"lang": ["en"], "fm_lang": ["ar"]})).columns.tolist()
    ['lang']
    """
    ours = {OUR_PREFIX + name: name for name in OUR_COLUMNS if OUR_PREFIX + name in frame.columns}
    if not ours:
        return frame
    return frame.drop(columns=[c for c in ours.values() if c in frame.columns]).rename(columns=ours)
