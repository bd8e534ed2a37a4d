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


def read_dask(inputs: Sequence[str | Path]) -> "dd.DataFrame":
    """CSV/TSV files (globs allowed; one partition per file, as a text may span lines) or Parquet
    files and folders, as one Dask DataFrame of every column as text."""
    import dask.dataframe as dd

    patterns = [str(p) for p in expand_globs(inputs)]
    suffixes = {Path(p).suffix.lower() for p in patterns}
    if suffixes <= {".csv", ".tsv"}:
        files = patterns
        missing = [f for f in files if not Path(f).is_file()]
        if missing:
            raise InputError(f"{missing[0]}: no such file (--dask reads CSV/TSV files and globs, and Parquet).",
                             path=missing[0])
        sep = "\t" if suffixes == {".tsv"} else ","
        return dd.read_csv(files, sep=sep, dtype=str, keep_default_na=False, blocksize=None)
    if all(Path(p).is_dir() or Path(p).suffix.lower() == ".parquet" for p in patterns):
        return dd.read_parquet(patterns if len(patterns) > 1 else patterns[0])
    raise InputError(f"--dask reads CSV/TSV files (globs allowed) or Parquet files and folders; got {patterns[0]}. "
                     "Convert the corpus, or label it without --dask.")


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
