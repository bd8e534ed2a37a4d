"""Label corpora: passages (or whole documents) with their stance, probabilities and cues."""

from __future__ import annotations

import itertools
import sys
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from ..columns import protect
from ..errors import ForumminerWarning, InputError, ParameterError, check_choice
from . import LABELS, STANCES

if TYPE_CHECKING:
    import pandas as pd

    Texts: TypeAlias = "str | Iterable[str] | pd.Series[Any]"
    Paths: TypeAlias = "Path | Iterable[Path]"

    from .model import StanceModel

LEVELS = ("passage", "document")
PROBABILITY_COLUMNS = [f"p_{label}" for label in LABELS]
LABEL_COLUMNS = ["stance", "confidence", *PROBABILITY_COLUMNS, "cues"]
OTHER_LANGUAGE = "not Arabic or Persian text"
_BATCH = 256
CHUNK_DOCUMENTS = 2000
_DOCUMENT_CUES = 8


def label(
    data: "Texts | Paths | pd.DataFrame",
    *,
    text_col: str = "text",
    id_col: str | None = None,
    level: str = "passage",
    model: "StanceModel | str | Path | None" = None,
    max_words: int = 120,
    progress: bool | None = None,
    encoding: str | None = None,
    errors: str = "strict",
    min_confidence: float | None = None,
) -> "pd.DataFrame":
    """Label every passage (or document) of ``data`` with its stance.

    ``data`` is texts, paths or a DataFrame of documents, told apart by type, never by looking at
    the disk: a ``str`` (or a list, tuple or Series of them) is text to label; a ``pathlib.Path``
    (or a list or tuple of them) is a corpus file or folder to read (``"-"`` as a Path: a CSV table
    on standard input), read with ``encoding``/``errors`` (see :func:`read_corpus`). Items that
    are not text (None, NaN, numbers, bytes that are not UTF-8) keep a row with a skip_reason. The
    result keeps every input column and adds doc_id, passage_id, lang, stance, confidence,
    p_customer_always_right, p_balanced, p_boundary_setting, p_none, cues and skip_reason.
    Passages in another language are labeled none with a skip_reason; a document without text
    keeps a row with no stance. Missing values are NA (``skip_reason`` of a labeled passage,
    ``stance`` of an empty document, ``cues`` of a passage without cues). ``level="document"``
    gives one row per input document, in input order, with the label of the highest summed
    probability over its stance-bearing passages (none if it has none). :func:`iter_label` gives
    the same rows in parts. ``model="accurate"`` mixes in a sentence encoder (needs
    ``forumminer[encoder]``; slower). With ``min_confidence`` an ``uncertain`` column (after
    confidence) is True where the label's probability is below it: every row is kept, with its
    label and probabilities, so an analysis can leave the uncertain ones out and trade coverage
    for precision.

    >>> import forumminer
    >>> forumminer.label(["العميل ليس دائما على حق"])["stance"].tolist()  # doctest: +SKIP
    ['boundary_setting']
    >>> forumminer.label(Path("corpora/sample"))  # doctest: +SKIP
    """
    import pandas as pd

    parts = list(iter_label(data, text_col=text_col, id_col=id_col, level=level, model=model,
                            max_words=max_words, progress=progress, encoding=encoding, errors=errors,
                            min_confidence=min_confidence))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def iter_label(
    data: "Texts | Paths | pd.DataFrame",
    *,
    text_col: str = "text",
    id_col: str | None = None,
    level: str = "passage",
    model: "StanceModel | str | Path | None" = None,
    max_words: int = 120,
    progress: bool | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    encoding: str | None = None,
    errors: str = "strict",
    min_confidence: float | None = None,
) -> "Iterator[pd.DataFrame]":
    """Label ``data`` (see :func:`label`) ``chunk_documents`` documents at a time, reading corpus
    files as a stream, so memory stays flat however large the corpus is."""
    from ..columns import restore_input_columns
    from ..text.passages import passage_frame
    from .model import resolve_model

    check_choice("level", level, LEVELS)
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise ParameterError(f"min_confidence must be between 0 and 1; got {min_confidence}.",
                             name="min_confidence", value=min_confidence)
    fitted = resolve_model(model)
    chunks = _document_chunks(data, text_col=text_col, id_col=id_col, size=chunk_documents, encoding=encoding,
                              errors=errors)
    for documents in _with_progress(chunks, progress=progress):
        table = passage_frame(documents, max_words=max_words)
        table = _with_labels(table, _predict(fitted, table))
        if level == "document":
            table = _document_level(documents, table, text_col=text_col)
        elif text_col != "text" and text_col not in table.columns:
            table = table.rename(columns={"text": text_col})
        if min_confidence is not None:
            table = _with_uncertain(table, min_confidence)
        yield restore_input_columns(table)


def _document_chunks(data: Any, *, text_col: str, id_col: str | None, size: int, encoding: str | None,
                     errors: str) -> "Iterator[pd.DataFrame]":
    """DataFrames of at most ``size`` documents (doc_id, text, metadata), in input order; at least one."""
    import pandas as pd

    from ..io.readers import iter_documents

    paths = None if isinstance(data, pd.DataFrame) else _paths_or_texts(data)
    if paths is None:
        documents = _documents(data, text_col=text_col, id_col=id_col)
        for start in range(0, max(len(documents), 1), size):
            yield documents.iloc[start:start + size].reset_index(drop=True)
        return
    stream = iter_documents(paths, text_col=text_col, id_col=id_col, encoding=encoding, errors=errors)
    yielded = False
    while batch := list(itertools.islice(stream, size)):
        yielded = True
        yield pd.DataFrame(batch, columns=list(dict.fromkeys(key for doc in batch for key in doc)))
    if not yielded:
        yield pd.DataFrame(columns=["doc_id", "text"])


def _paths_or_texts(data: Any) -> list[Path] | None:
    """The paths in ``data`` (Path objects), or None when ``data`` holds texts (anything else)."""
    if isinstance(data, str) and "\n" not in data and _is_existing_path(data or "."):
        warnings.warn(ForumminerWarning(f"labeling the text {data!r}, which is also the name of a file or folder; "
                                        f"pass Path({data!r}) to read it."), stacklevel=4)
    items = [data] if isinstance(data, (str, bytes, PurePath)) else list(data)
    paths = [item for item in items if isinstance(item, PurePath)]
    if paths and len(paths) < len(items):
        raise InputError("data mixes paths (pathlib.Path) and texts; give either texts (str) or paths (Path).")
    return [Path(p) for p in paths] if paths else None


def _is_existing_path(item: str) -> bool:
    """Whether ``item`` names an existing file or folder (a long passage of text is no valid name)."""
    try:
        return Path(item).exists()
    except (OSError, ValueError):
        return False


def _with_progress(chunks: "Iterator[pd.DataFrame]", *, progress: bool | None) -> "Iterator[pd.DataFrame]":
    """Count documents on a progress bar on stderr (by default only when it is a terminal)."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        yield from chunks
        return
    from tqdm import tqdm

    with tqdm(unit=" documents", file=sys.stderr, leave=False) as bar:
        for chunk in chunks:
            yield chunk
            bar.update(len(chunk))


def _documents(data: Any, *, text_col: str, id_col: str | None) -> "pd.DataFrame":
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if text_col not in data.columns:
            raise InputError(f"no column {text_col!r}. Columns are: {', '.join(map(str, data.columns))}. "
                             "Use text_col to name the text column.")
        if id_col is not None and id_col not in data.columns:
            raise InputError(f"no column {id_col!r} for id_col. Columns are: {', '.join(map(str, data.columns))}.")
        duplicated = data.columns[data.columns.duplicated()]
        if len(duplicated):
            raise InputError(f"duplicate column name {duplicated[0]!r}; rename one so every name is unique.")
        ids = data[id_col].astype(str) if id_col else pd.Series(range(1, len(data) + 1), index=data.index).astype(str)
        if not ids.is_unique:
            raise InputError(f"column {id_col!r} has duplicate ids ({ids[ids.duplicated()].iloc[0]!r}); ids must be unique.")
        kept = [c for c in data.columns if not (c == id_col == "doc_id")]
        documents = data[kept].rename(columns=lambda c: "text" if c == text_col else protect(c))
        documents.insert(0, "doc_id", ids.to_numpy())
        return documents.reset_index(drop=True)
    texts = [data] if isinstance(data, (str, bytes)) else list(data)
    return pd.DataFrame({"doc_id": [str(i) for i in range(1, len(texts) + 1)], "text": pd.Series(texts, dtype=object)})


def _predict(model: "StanceModel", table: "pd.DataFrame") -> "pd.DataFrame":
    """Label columns for each passage row: the model for Arabic and Persian passages, none for
    other languages, nothing for skipped rows."""
    import pandas as pd

    from ..text.passages import with_text_dtype

    labels = pd.DataFrame({"stance": None, "confidence": np.nan, **{c: np.nan for c in PROBABILITY_COLUMNS},
                           "cues": None}, index=table.index)
    unskipped = table["skip_reason"].isna()
    other = unskipped & (table["lang"] == "other")
    labels.loc[other, ["stance", "confidence", "p_none"]] = ["none", 1.0, 1.0]
    labels.loc[other, PROBABILITY_COLUMNS[:3]] = 0.0
    todo = table.index[unskipped & ~other]
    order = [list(model.classes_).index(label) for label in LABELS]
    for start in range(0, len(todo), _BATCH):
        rows = todo[start:start + _BATCH]
        proba, cues = model.predict_with_cues(table.loc[rows, "text"].tolist(), langs=table.loc[rows, "lang"].tolist())
        proba = proba[:, order]
        labels.loc[rows, PROBABILITY_COLUMNS] = proba
        labels.loc[rows, "stance"] = np.array(LABELS, dtype=object)[proba.argmax(axis=1)]
        labels.loc[rows, "confidence"] = proba.max(axis=1)
        labels.loc[rows, "cues"] = ["; ".join(c) or None for c in cues]
    skip_reason = table["skip_reason"].where(~other, OTHER_LANGUAGE)
    return with_text_dtype(labels.assign(skip_reason=skip_reason))


def _with_uncertain(table: "pd.DataFrame", min_confidence: float) -> "pd.DataFrame":
    """An ``uncertain`` column after ``confidence``: True for labeled rows below ``min_confidence``."""
    uncertain = table["stance"].notna() & (table["confidence"] < min_confidence)
    table.insert(table.columns.get_loc("confidence") + 1, "uncertain", uncertain)
    return table


def _with_labels(table: "pd.DataFrame", labels: "pd.DataFrame") -> "pd.DataFrame":
    """Passage columns first, then the label columns, then skip_reason and metadata."""
    import pandas as pd

    front = ["doc_id", "passage_id", "text", "start", "end", "lang"]
    rest = [c for c in table.columns if c not in front and c != "skip_reason"]
    return pd.concat([table[front], labels[LABEL_COLUMNS], labels[["skip_reason"]], table[rest]], axis=1)


def _document_level(documents: "pd.DataFrame", table: "pd.DataFrame", *, text_col: str) -> "pd.DataFrame":
    """One row per input document, in input order, with every input column kept."""
    import pandas as pd

    from ..text.passages import with_text_dtype

    rows = [_document_label(group) for _, group in table.groupby("doc_id", sort=False)]
    labels = pd.DataFrame(rows, columns=["doc_id", "n_passages", "lang", *LABEL_COLUMNS, "skip_reason"])
    result = with_text_dtype(documents.merge(labels, on="doc_id", how="left", validate="one_to_one"))
    if text_col != "text":
        result = result.rename(columns={"text": text_col})
    assert len(result) == len(documents)
    return result


def _document_label(group: "pd.DataFrame") -> dict[str, Any]:
    base = {"doc_id": group["doc_id"].iloc[0], "n_passages": int((group["skip_reason"] != "empty document").sum()),
            "lang": group["lang"].mode().iloc[0]}
    if (group["skip_reason"] == "empty document").all():
        return {**base, "stance": None, "confidence": np.nan, **{c: np.nan for c in PROBABILITY_COLUMNS},
                "cues": None, "skip_reason": "empty document"}
    labeled = group[group["stance"].notna()]
    mean = labeled[PROBABILITY_COLUMNS].mean()
    bearing = labeled[labeled["stance"].isin(STANCES)]
    if bearing.empty:
        stance, confidence, cues = "none", float(mean["p_none"]), labeled["cues"]
    else:
        sums = bearing[PROBABILITY_COLUMNS[:3]].sum()
        stance = STANCES[int(np.argmax(sums.to_numpy()))]
        confidence = float(sums.max() / sums.sum())
        cues = bearing.loc[bearing["stance"] == stance, "cues"]
    other_only = (labeled["skip_reason"] == OTHER_LANGUAGE).all()
    return {**base, "stance": stance, "confidence": confidence, **mean.to_dict(),
            "cues": "; ".join(list(dict.fromkeys(c for cell in cues.dropna() for c in cell.split("; ")))[:_DOCUMENT_CUES])
            or None,
            "skip_reason": OTHER_LANGUAGE if other_only else None}
