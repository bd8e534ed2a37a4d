"""Labeling on a Dask cluster gives the rows of a local run (skipped when Dask is not installed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import forumminer
from forumminer.cli import main
from forumminer.io.readers import read_corpus

from .conftest import SAMPLE

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def documents() -> pd.DataFrame:
    frame = read_corpus(SAMPLE)[["doc_id", "text", "source"]].rename(columns={"doc_id": "post", "text": "body"})
    return pd.concat([frame, pd.DataFrame({"post": ["empty"], "body": [""], "source": ["x"]})], ignore_index=True)


@pytest.mark.parametrize(("level", "id_col"), [("passage", None), ("document", "post")])
def test_dask_dataframe_gives_the_rows_of_the_local_run(client, documents: pd.DataFrame, level: str,
                                                        id_col: str | None) -> None:
    local = forumminer.label(documents, text_col="body", id_col=id_col, level=level)
    lazy = forumminer.label(dd.from_pandas(documents, npartitions=3), text_col="body", id_col=id_col, level=level)
    assert isinstance(lazy, dd.DataFrame)
    assert lazy.npartitions == 3
    pd.testing.assert_frame_equal(lazy.compute().reset_index(drop=True).astype(object), local.astype(object),
                                  check_exact=True)


def test_cli_on_a_scheduler_writes_the_local_output(client, documents: pd.DataFrame, tmp_path: Path) -> None:
    documents.to_csv(tmp_path / "whole.csv", index=False)
    for number, half in enumerate((documents.iloc[:10], documents.iloc[10:])):
        half.to_csv(tmp_path / f"part-{number}.csv", index=False)
    runner = CliRunner()
    local = runner.invoke(main, ["label", str(tmp_path / "whole.csv"), "--id-col", "post",
                                 "--text-col", "body", "--workers", "1", "-o", str(tmp_path / "local.csv")])
    assert local.exit_code == 0, local.output
    on_dask = runner.invoke(main, ["label", str(tmp_path / "part-*.csv"), "--id-col", "post", "--text-col", "body",
                                   "--dask", client.scheduler.address, "-o", str(tmp_path / "dask.csv")])
    assert on_dask.exit_code == 0, on_dask.output
    local_table = pd.read_csv(tmp_path / "local.csv", keep_default_na=False, dtype=str)
    dask_table = pd.read_csv(tmp_path / "dask.csv", keep_default_na=False, dtype=str)
    pd.testing.assert_frame_equal(dask_table, local_table)


def test_cli_dask_refuses_inputs_dask_cannot_read(client, tmp_path: Path) -> None:
    text = tmp_path / "posts.txt"
    text.write_text("العميل ليس دائما على حق\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["label", str(text), "--dask", client.scheduler.address, "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: --dask reads CSV/TSV files (globs allowed) or Parquet files and folders; got {text}. "
        "Convert the corpus, or label it without --dask.")
