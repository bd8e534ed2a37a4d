"""Labeling on a Dask cluster: a Dask DataFrame of documents in, a Dask DataFrame of labels out.

Each partition is labeled by :func:`forumminer.stance.labeling.iter_label` on a worker, with the
model sent to each worker once (scattered with a distributed client, one shared task otherwise).
The rows are those of a local run, in the same order. Needs the ``dask`` extra:
``pip install 'forumminer[dask]'``.
"""

from __future__ import annotations

import glob
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, ParameterError, check_choice
from ..io.readers import check_columns
from .labeling import LEVELS

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client

    from .linear import StanceModel

_ROW = "__forumminer_row__"  # the global row number, as the local run numbers documents


def label_dask(frame: "dd.DataFrame", *, text_col: str = "text", id_col: str | None = None, level: str = "passage",
               model: "StanceModel | str | Path | None" = None, max_words: int = 120) -> "dd.DataFrame":
    """Label a Dask DataFrame of documents (see :func:`forumminer.label`); lazy, like Dask.

    >>> import dask.dataframe as dd, pandas as pd  # doctest: +SKIP
    >>> docs = dd.from_pandas(pd.DataFrame({"text": ["العميل ليس دائما على حق"]}), npartitions=1)  # doctest: +SKIP
    >>> label_dask(docs).compute()["stance"].tolist()  # doctest: +SKIP
    ['boundary_setting']
    """
    import numpy as np

    from .linear import resolve_model

    check_choice("level", level, LEVELS)
    if text_col not in frame.columns:
        raise InputError(f"no column {text_col!r}. Columns are: {', '.join(map(str, frame.columns))}. "
                         "Use text_col to name the text column.")
    fitted = resolve_model(model)
    options = {"text_col": text_col, "level": level, "max_words": max_words}
    if id_col is None:
        lengths = frame.map_partitions(len).compute()
        starts = np.concatenate([[1], np.cumsum(lengths)[:-1] + 1]).tolist()
        frame = frame.map_partitions(_number_rows, starts, meta={**frame.dtypes.to_dict(), _ROW: "object"},
                                     align_dataframes=False)
    shipped = _ship(fitted)
    sample = _label_partition(frame._meta_nonempty.head(1), fitted, options, id_col)
    return frame.map_partitions(_label_partition, shipped, options, id_col, meta=sample.iloc[:0],
                                align_dataframes=False, enforce_metadata=False)


def _ship(model: "StanceModel") -> Any:
    """The model as one object on each worker: scattered to every worker of a running client,
    else a single delayed object (never hashed or copied per partition)."""
    import dask

    try:
        from distributed import get_client

        return get_client().scatter(model, broadcast=True, hash=False)
    except (ImportError, ValueError):
        return dask.delayed(model, traverse=False)


def _number_rows(part: "pd.DataFrame", starts: list[int], partition_info: dict[str, Any] | None = None) -> "pd.DataFrame":
    first = starts[partition_info["number"]] if partition_info else 1
    return part.assign(**{_ROW: [str(n) for n in range(first, first + len(part))]})


def _label_partition(part: "pd.DataFrame", model: "StanceModel", options: dict[str, Any],
                     id_col: str | None) -> "pd.DataFrame":
    import pandas as pd

    from .labeling import iter_label

    labeled = pd.concat(list(iter_label(part, id_col=id_col or _ROW, model=model, progress=False, workers=1, **options)),
                        ignore_index=True)
    return labeled.drop(columns=[_ROW], errors="ignore")


# --- files and clusters (the CLI's --dask) ---------------------------------------------------------

def expand_globs(inputs: Sequence[str | Path]) -> list[Path]:
    """The inputs with each glob pattern replaced by the paths it matches, sorted.

    >>> expand_globs(["no-such-*.csv"])
    [PosixPath('no-such-*.csv')]
    """
    return [Path(f) for p in inputs for f in (sorted(glob.glob(str(p))) or [str(p)])]


PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")  # the file names Dask's Parquet reader takes
_FORMATS = "--dask reads CSV/TSV files (globs allowed) or Parquet files and folders"


def read_dask(inputs: Sequence[str | Path], *, text_col: str = "text", id_col: str | None = None) -> "dd.DataFrame":
    """CSV/TSV files (globs allowed; one partition per file, as a text may span lines) or Parquet
    files and folders, as one Dask DataFrame of every column as text. Each input is checked here,
    before any work is sent to the cluster: it exists, and has ``text_col`` (and ``id_col``); empty
    CSV/TSV files are left out with a warning, as a local run does.

    >>> documents = read_dask(["dump/part-*.csv"], text_col="body")  # doctest: +SKIP
    """
    import dask.dataframe as dd

    paths = expand_globs(inputs)
    missing = next((p for p in paths if not p.exists()), None)
    if missing is not None:
        raise InputError(f"{missing}: no such file or folder. {_FORMATS}.", path=missing)
    if all(p.is_file() and p.suffix.lower() in (".csv", ".tsv") for p in paths):
        sep = "\t" if {p.suffix.lower() for p in paths} == {".tsv"} else ","
        files = [p for p in paths if _csv_columns(p, sep, text_col=text_col, id_col=id_col)]
        if not files:
            raise InputError(f"{paths[0]}: every input is empty; nothing to label.", path=paths[0])
        return dd.read_csv([str(f) for f in files], sep=sep, dtype=str, keep_default_na=False, blocksize=None,
                           encoding="utf-8-sig")
    if all(p.is_dir() or p.suffix.lower() in PARQUET_SUFFIXES for p in paths):
        for folder in filter(Path.is_dir, paths):
            if not any(f.suffix.lower() in PARQUET_SUFFIXES for f in folder.rglob("*")):
                raise InputError(f"{folder}: no Parquet files in this folder, and --dask reads a folder only as "
                                 "Parquet. Label a folder of other files without --dask (--workers uses all cores).",
                                 path=folder)
        frame = dd.read_parquet([str(p) for p in paths] if len(paths) > 1 else str(paths[0]))
        check_columns(paths[0], list(frame.columns), text_col=text_col, id_col=id_col)
        return frame
    other = next((p for p in paths if not (p.is_dir() or p.suffix.lower() in (".csv", ".tsv", *PARQUET_SUFFIXES))), None)
    if other is None:  # each input is readable, but CSV/TSV and Parquet are mixed
        raise InputError(f"{paths[0]}: {_FORMATS}, one kind per run; the inputs mix them. Convert one kind to the other.",
                         path=paths[0])
    raise InputError(f"{_FORMATS}; got {other}. Convert the corpus, or label it without --dask.", path=other)


def _csv_columns(path: Path, sep: str, *, text_col: str, id_col: str | None) -> list[str]:
    """The header of a CSV/TSV file, checked for the text and id columns; empty for an empty file
    (with a warning: it holds no documents)."""
    import csv
    import warnings

    from ..errors import ForumminerWarning

    with path.open(encoding="utf-8-sig", errors="replace", newline="") as file:
        header = next(csv.reader(file, delimiter=sep), [])
    if not header:
        warnings.warn(ForumminerWarning(f"{path}: empty file, no documents read from it."), stacklevel=3)
        return []
    check_columns(path, header, text_col=text_col, id_col=id_col)
    return header


def connect(scheduler: str) -> "Client":
    """A client of the scheduler at ``scheduler`` (host:port), or of a new cluster on this machine
    for ``"local"``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ParameterError("--dask needs Dask: pip install 'forumminer[dask]'.", name="dask", value=scheduler) from error
    if scheduler == "local":
        return Client(LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None))
    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise ParameterError(f"cannot reach the Dask scheduler at {scheduler} ({error}). Start one with "
                             "'dask scheduler', or use --dask local.", name="dask", value=scheduler) from error


def iter_computed(frame: "dd.DataFrame", client: "Client") -> "Iterator[pd.DataFrame]":
    """The partitions of ``frame`` computed on the cluster, in order, a few ahead of the caller."""
    ahead = 2 * max(len(client.scheduler_info().get("workers", {})), 1)
    pending: deque[Any] = deque()
    for part in frame.to_delayed():
        pending.append(client.compute(part))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
