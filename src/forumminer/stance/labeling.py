"""Label corpora: passages (or whole documents) with their stance, probabilities and cues."""

from __future__ import annotations

import functools
import sys
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np

from ..columns import protect
from ..errors import ForumminerWarning, InputError, ParameterError, check_choice
from . import LABELS, STANCES

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    Texts: TypeAlias = "str | Iterable[str] | pd.Series[Any]"
    Paths: TypeAlias = "Path | Iterable[Path]"

    from .linear import StanceModel

LEVELS = ("passage", "document")
PROBABILITY_COLUMNS = [f"p_{label}" for label in LABELS]
LABEL_COLUMNS = ["stance", "confidence", *PROBABILITY_COLUMNS, "cues"]
OTHER_LANGUAGE = "not Arabic or Persian text"
_BATCH = 256
CHUNK_DOCUMENTS = 2000
CHUNK_CHARACTERS = 500_000  # a few thousand passages: workers stay busy, memory small
_DOCUMENT_CUES = 8


def label(
    data: "Texts | Paths | pd.DataFrame | dd.DataFrame",
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
    workers: int | None = 1,
) -> "pd.DataFrame | dd.DataFrame":
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
    the same rows in parts. ``model="accurate"`` lets a sentence encoder decide which
    passages are ``none`` (needs ``forumminer[encoder]``; slower). A passage's confidence is the
    label's probability in default mode and, in accurate mode, how likely the label is right, as
    calibrated on real web passages. With ``min_confidence`` an ``uncertain`` column (after
    confidence) is True where the confidence is below it: every row is kept, with its label and
    probabilities, so an analysis can leave the uncertain ones out and trade coverage for precision.
    A document's confidence is the share of its label in the summed probabilities.

    ``workers`` processes (None: one per core) label chunks of the corpus side by side; the
    rows are the same, in the same order, as with one. A Dask DataFrame gives a Dask DataFrame
    (see :func:`forumminer.stance.distributed.label_dask`).

    >>> import forumminer
    >>> forumminer.label(["العميل ليس دائما على حق"])["stance"].tolist()  # doctest: +SKIP
    ['boundary_setting']
    >>> forumminer.label(Path("corpora/sample"))  # doctest: +SKIP
    """
    import pandas as pd

    if _is_dask_frame(data):
        from .distributed import label_dask

        return label_dask(cast("dd.DataFrame", data), text_col=text_col, id_col=id_col, level=level, model=model, max_words=max_words)
    parts = list(iter_label(data, text_col=text_col, id_col=id_col, level=level, model=model,
                            max_words=max_words, progress=progress, encoding=encoding, errors=errors,
                            min_confidence=min_confidence, workers=workers))
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
    workers: int | None = 1,
) -> "Iterator[pd.DataFrame]":
    """Label ``data`` (see :func:`label`) in chunks of at most ``chunk_documents`` documents
    (and about :data:`CHUNK_CHARACTERS` characters), reading corpus files as a stream, so memory
    stays flat however large the corpus is. With several ``workers`` the chunks are labeled in
    that many processes, each holding the model once; parts still come in input order.

    The options are checked and the model loaded at the call; with workers on a large input, the
    process they start from starts then too, and gets ready while the caller goes on (opening
    its output, say) until it reads the first part."""
    from .._parallel import PRELOAD, check_workers, start_fork_server

    check_choice("level", level, LEVELS)
    if isinstance(data, Iterator):  # a generator is read once: keep its items for every step below
        data = list(data)
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise ParameterError(f"min_confidence must be between 0 and 1; got {min_confidence}.",
                             name="min_confidence", value=min_confidence)
    n_workers = check_workers(workers)
    # the fork server of workers also builds hazm's Persian normalizer once for all of them
    preload = (*PRELOAD, "forumminer.stance._preload")
    if n_workers > 1 and _is_large(data):  # workers for sure: their fork server starts before anything else here
        start_fork_server(preload)
    from .linear import resolve_model

    options = LabelOptions(text_col=text_col, level=level, max_words=max_words, min_confidence=min_confidence)
    chunks = _document_chunks(data, text_col=text_col, id_col=id_col, size=chunk_documents, encoding=encoding,
                              errors=errors)
    return _labeled_parts(chunks, resolve_model(model), options, workers=n_workers, preload=preload,
                          meter=_Progress(data, text_col=text_col, progress=progress))


def _labeled_parts(chunks: "Iterator[pd.DataFrame]", model: "StanceModel", options: "LabelOptions", *, workers: int,
                   preload: Sequence[str], meter: "_Progress") -> "Iterator[pd.DataFrame]":
    from .._parallel import ordered_map

    parts = ordered_map(_label_in_worker, meter.reading(chunks), workers=workers, initializer=_start_worker,
                        initargs=(model, options), local=functools.partial(label_documents, model, options),
                        preload=preload)
    for part in parts:
        meter.done(part)
        yield part
    meter.close()


@dataclass(frozen=True)
class LabelOptions:
    """What :func:`label_documents` needs besides the model and the documents."""

    text_col: str = "text"
    level: str = "passage"
    max_words: int = 120
    min_confidence: float | None = None


def label_documents(model: "StanceModel", options: LabelOptions, documents: "pd.DataFrame") -> "pd.DataFrame":
    """Label one DataFrame of documents (doc_id, text, metadata): the work of one chunk."""
    from ..columns import restore_input_columns
    from ..text.passages import passage_frame

    table = passage_frame(documents, max_words=options.max_words)
    table = _with_labels(table, _predict(model, table))
    if options.level == "document":
        table = _document_level(documents, table, text_col=options.text_col)
    elif options.text_col != "text" and options.text_col not in table.columns:
        table = table.rename(columns={"text": options.text_col})
    if options.min_confidence is not None:
        table = _with_uncertain(table, options.min_confidence)
    return restore_input_columns(table)


def _is_large(data: Any) -> bool:
    """Whether ``data`` names corpus files of several chunks (files are sized without reading them)."""
    items = data if isinstance(data, (list, tuple)) else [data]
    return all(isinstance(item, PurePath) for item in items) and _files_size(items) > 2 * CHUNK_CHARACTERS


# The model and options of a worker process, set once by _start_worker.
_WORKER: dict[str, Any] = {}


def _start_worker(model: "StanceModel", options: LabelOptions) -> None:
    _WORKER.update(model=model, options=options)


def _label_in_worker(documents: "pd.DataFrame") -> "pd.DataFrame":
    return label_documents(_WORKER["model"], _WORKER["options"], documents)


#: Texts per chunk when a model scores texts in worker processes (:class:`ModelInWorkers`).
CHUNK_TEXTS = 2000


class ModelInWorkers:
    """``model`` with its :meth:`predict_proba` run over chunks of :data:`CHUNK_TEXTS` texts in
    ``workers`` processes, each holding the model once: the same probabilities, rows in input order.
    A single chunk runs in this process (no start-up cost on small inputs). Cues stay in this process.

    >>> from forumminer.stance.linear import resolve_model
    >>> model = ModelInWorkers(resolve_model(None), workers=2)
    >>> model.predict(["العميل ليس دائما على حق"])
    array(['boundary_setting'], dtype=object)
    """

    def __init__(self, model: "StanceModel", workers: int) -> None:
        self.model, self.workers = model, workers
        self.classes_ = model.classes_

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        from .._parallel import ordered_map

        texts = list(X)
        chunks = (texts[start:start + CHUNK_TEXTS] for start in range(0, len(texts), CHUNK_TEXTS))
        parts = list(ordered_map(_proba_in_worker, chunks, workers=self.workers, initializer=_start_worker,
                                 initargs=(self.model, LabelOptions()), local=self.model.predict_proba))
        return np.vstack(parts) if parts else self.model.predict_proba([])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        return self.model.decide(proba)

    def confidence(self, proba: np.ndarray) -> np.ndarray:
        return self.model.confidence(proba)

    def predict_with_cues(self, X: Sequence[str], *, langs: Sequence[str] | None = None,
                          n_cues: int = 4) -> tuple[np.ndarray, list[list[str]]]:
        return self.model.predict_with_cues(X, langs=langs, n_cues=n_cues)


def _proba_in_worker(texts: list[str]) -> np.ndarray:
    return _WORKER["model"].predict_proba(texts)


def _is_dask_frame(data: Any) -> bool:
    module = type(data).__module__
    return module.startswith("dask") and hasattr(data, "map_partitions")


def _document_chunks(data: Any, *, text_col: str, id_col: str | None, size: int, encoding: str | None,
                     errors: str) -> "Iterator[pd.DataFrame]":
    """DataFrames of at most ``size`` documents and about :data:`CHUNK_CHARACTERS` characters
    (doc_id, text, metadata), in input order; at least one."""
    import pandas as pd

    from ..io.readers import iter_documents

    paths = None if isinstance(data, pd.DataFrame) else _paths_or_texts(data)
    if paths is None:
        documents = _documents(data, text_col=text_col, id_col=id_col)
        lengths = documents["text"].map(lambda t: len(t) if isinstance(t, str) else 0).tolist()
        yielded = False
        for start, end in _chunk_bounds(lengths, size):
            yielded = True
            yield documents.iloc[start:end].reset_index(drop=True)
        if not yielded:
            yield documents
        return
    stream = iter_documents(paths, text_col=text_col, id_col=id_col, encoding=encoding, errors=errors)
    yielded = False
    while batch := _take_chunk(stream, size):
        yielded = True
        yield pd.DataFrame(batch, columns=list(dict.fromkeys(key for doc in batch for key in doc)))
    if not yielded:
        yield pd.DataFrame(columns=["doc_id", "text"])


def _paths_or_texts(data: Any) -> list[Path] | None:
    """The paths in ``data`` (Path objects), or None when ``data`` holds texts (anything else)."""
    if isinstance(data, str) and "\n" not in data and _is_existing_path(data or "."):
        warnings.warn(ForumminerWarning(f"labeling the text {data!r}, which is also the name of a file or folder; "
                                        f"pass Path({data!r}) to read it."), stacklevel=4)
    items = _items(data)
    paths = [item for item in items if isinstance(item, PurePath)]
    if paths and len(paths) < len(items):
        raise InputError("data mixes paths (pathlib.Path) and texts; give either texts (str) or paths (Path).")
    return [Path(p) for p in paths] if paths else None


def _items(data: Any) -> list[Any]:
    """``data`` as a list of texts or paths: one text or path is a list of one."""
    return [data] if isinstance(data, (str, bytes, PurePath)) else list(data)


def _is_existing_path(item: str) -> bool:
    """Whether ``item`` names an existing file or folder (a long passage of text is no valid name)."""
    try:
        return Path(item).exists()
    except (OSError, ValueError):
        return False


def _chunk_bounds(lengths: list[int], size: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of consecutive runs of at most ``size`` items and about
    :data:`CHUNK_CHARACTERS` characters (a longer item is a chunk of its own)."""
    start, characters = 0, 0
    for index, length in enumerate(lengths):
        if index > start and (index - start >= size or characters + length > CHUNK_CHARACTERS):
            yield start, index
            start, characters = index, 0
        characters += length
    if start < len(lengths):
        yield start, len(lengths)


def _take_chunk(stream: Iterator[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    batch: list[dict[str, Any]] = []
    characters = 0
    for document in stream:
        batch.append(document)
        text = document.get("text")
        characters += len(text) if isinstance(text, str) else 0
        if len(batch) >= size or characters >= CHUNK_CHARACTERS:
            break
    return batch


class _Progress:
    """A progress bar on stderr (by default only when it is a terminal) counting passages, with a
    total estimated from the input's size (files' bytes, or a DataFrame's text) and so an ETA."""

    def __init__(self, data: Any, *, text_col: str, progress: bool | None) -> None:
        self.enabled = sys.stderr.isatty() if progress is None else progress
        self.size = _input_size(data, text_col=text_col) if self.enabled else 0
        self.chunk_sizes: deque[int] = deque()
        self.done_size = self.passages = 0
        self.bar: Any = None

    def reading(self, chunks: "Iterator[pd.DataFrame]") -> "Iterator[pd.DataFrame]":
        for chunk in chunks:
            if self.enabled:
                self.chunk_sizes.append(_text_bytes(chunk["text"]))
            yield chunk

    def done(self, part: "pd.DataFrame") -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(unit=" passages", file=sys.stderr, leave=False)
        passages = int(part["n_passages"].sum()) if "n_passages" in part else len(part)
        self.passages += passages
        self.done_size += self.chunk_sizes.popleft()
        if self.done_size and self.size:
            self.bar.total = max(self.passages, round(self.passages * self.size / self.done_size))
        self.bar.update(passages)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _text_bytes(texts: Iterable[Any]) -> int:
    return sum(len(t.encode()) for t in texts if isinstance(t, str))


def _input_size(data: Any, *, text_col: str) -> int:
    """Bytes of text in ``data``: its files' sizes, or the UTF-8 length of its texts."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return _text_bytes(data[text_col]) if text_col in data.columns else 0
    items = _items(data)
    if not all(isinstance(item, PurePath) for item in items):
        return _text_bytes(items)
    return _files_size(items)


def _files_size(paths: Sequence[PurePath]) -> int:
    """Bytes in the files of ``paths`` (files and folders), sized without reading them."""
    files = (f for p in map(Path, paths) for f in ([p] if p.is_file() else p.rglob("*") if p.is_dir() else []))
    return sum(f.stat().st_size for f in files if f.is_file())


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
    if len(todo):
        stances, confidence, proba, cues = _predict_in_batches(model, table.loc[todo, "text"].tolist(),
                                                               table.loc[todo, "lang"].tolist())
        labels.loc[todo, PROBABILITY_COLUMNS] = proba
        labels.loc[todo, "stance"] = stances
        labels.loc[todo, "confidence"] = confidence
        labels.loc[todo, "cues"] = cues
    skip_reason = table["skip_reason"].where(~other, OTHER_LANGUAGE)
    return with_text_dtype(labels.assign(skip_reason=skip_reason))


def _predict_in_batches(model: "StanceModel", texts: list[str],
                        langs: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str | None]]:
    """Labels, their confidence, probabilities (:data:`LABELS` order) and cue cells of texts,
    :data:`_BATCH` texts at a time (the model's work arrays stay small)."""
    order = [list(model.classes_).index(label) for label in LABELS]
    stances, confidences, probabilities, cells = [], [], [], []
    for start in range(0, len(texts), _BATCH):
        proba, cues = model.predict_with_cues(texts[start:start + _BATCH], langs=langs[start:start + _BATCH])
        stances.append(model.decide(proba))
        confidences.append(model.confidence(proba))
        probabilities.append(proba[:, order])
        cells += ["; ".join(c) or None for c in cues]
    return np.concatenate(stances), np.concatenate(confidences), np.concatenate(probabilities), cells


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

    doc_ids = table["doc_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, doc_ids[1:] != doc_ids[:-1]]) if len(doc_ids) else np.array([], dtype=int)
    ends = np.r_[starts[1:], len(doc_ids)].astype(int)
    columns = {name: table[name].to_numpy(dtype=object) for name in ("lang", "stance", "cues", "skip_reason")}
    probabilities = [table[name].to_numpy(dtype=float) for name in PROBABILITY_COLUMNS]
    rows = [_document_label(doc_ids[start], {k: v[start:end] for k, v in columns.items()},
                            [p[start:end] for p in probabilities]) for start, end in zip(starts, ends)]
    labels = pd.DataFrame(rows, columns=["doc_id", "n_passages", "lang", *LABEL_COLUMNS, "skip_reason"])
    result = with_text_dtype(documents.merge(labels, on="doc_id", how="left", validate="one_to_one"))
    if text_col != "text":
        result = result.rename(columns={"text": text_col})
    assert len(result) == len(documents)
    return result


def _document_label(doc_id: str, passages: dict[str, np.ndarray], probabilities: list[np.ndarray]) -> dict[str, Any]:
    """A document's row from its passages' columns (NumPy slices: a pandas group per document
    made document level several times slower than passage level). Missing values are None."""
    import pandas as pd

    empty = passages["skip_reason"] == "empty document"
    langs, counts = np.unique(passages["lang"].astype(str), return_counts=True)
    base = {"doc_id": doc_id, "n_passages": int((~empty).sum()), "lang": langs[np.argmax(counts)]}
    if empty.all():
        return {**base, "stance": None, "confidence": np.nan, **{c: np.nan for c in PROBABILITY_COLUMNS},
                "cues": None, "skip_reason": "empty document"}
    labeled = pd.notna(passages["stance"])
    mean = {name: float(p[labeled].sum() / labeled.sum()) for name, p in zip(PROBABILITY_COLUMNS, probabilities)}
    stances = passages["stance"][labeled]
    bearing = np.isin(stances, STANCES)
    cues = passages["cues"][labeled]
    if not bearing.any():
        stance, confidence = "none", mean["p_none"]
    else:
        sums = np.array([p[labeled][bearing].sum() for p in probabilities[:3]])
        stance = STANCES[int(np.argmax(sums))]
        confidence = float(sums.max() / sums.sum())
        cues = cues[stances == stance]
    other_only = bool((passages["skip_reason"][labeled] == OTHER_LANGUAGE).all())
    return {**base, "stance": stance, "confidence": confidence, **mean,
            "cues": "; ".join(list(dict.fromkeys(c for cell in cues if isinstance(cell, str)
                                                 for c in cell.split("; ") if c))[:_DOCUMENT_CUES]) or None,
            "skip_reason": OTHER_LANGUAGE if other_only else None}
