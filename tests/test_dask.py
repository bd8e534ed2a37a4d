"""Labeling on a Dask cluster gives the rows of a local run (skipped when Dask is not installed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def _label_on_dask(client, tmp_path: Path, *arguments: str) -> Any:
    """``forumminer label ARGUMENTS --dask SCHEDULER -o tmp_path/out.csv`` through click's runner."""
    return CliRunner().invoke(main, ["label", *arguments, "--dask", client.scheduler.address,
                                     "-o", str(tmp_path / "out.csv")])


def _dask_error(client, tmp_path: Path, *arguments: str) -> str:
    """The one error line of a ``label --dask`` run that must fail with exit status 1."""
    result = _label_on_dask(client, tmp_path, *arguments)
    assert result.exit_code == 1, result.output
    return result.stderr.strip().splitlines()[-1]


def test_cli_dask_refuses_inputs_dask_cannot_read(client, tmp_path: Path) -> None:
    text = tmp_path / "posts.txt"
    text.write_text("العميل ليس دائما على حق\n", encoding="utf-8")
    assert _dask_error(client, tmp_path, str(text)) == (
        f"Error: --dask reads CSV/TSV files (globs allowed) or Parquet files and folders; got {text}. "
        "Convert the corpus, or label it without --dask.")


def test_cli_dask_refuses_a_folder_without_parquet_files(client, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "one.txt").write_text("العميل ليس دائما على حق\n", encoding="utf-8")
    assert _dask_error(client, tmp_path, str(tmp_path / "posts")) == (
        f"Error: {tmp_path / 'posts'}: no Parquet files in this folder, and --dask reads a folder only as Parquet. "
        "Label a folder of other files without --dask (--workers uses all cores).")


@pytest.mark.parametrize(("header", "options", "message"), [
    ("body,x", [], "{path}: no column 'text'. Columns are: body, x. Use --text-col to name the text column."),
    ("text,x", ["--id-col", "post"], "{path}: no column 'post' for --id-col. Columns are: text, x."),
])
def test_cli_dask_names_the_file_that_lacks_a_column(client, tmp_path: Path, header: str, options: list[str],
                                                     message: str) -> None:
    good, bad = tmp_path / "part-0.csv", tmp_path / "part-1.csv"
    good.write_text("text,post\nالعميل ليس دائما على حق,1\n", encoding="utf-8")
    bad.write_text(f"{header}\nالعميل ليس دائما على حق,1\n", encoding="utf-8")
    assert _dask_error(client, tmp_path, str(tmp_path / "part-*.csv"), *options) == "Error: " + message.format(path=bad)
    assert not (tmp_path / "out.csv").exists()


def test_cli_dask_says_which_input_is_missing(client, tmp_path: Path) -> None:
    assert _dask_error(client, tmp_path, str(tmp_path / "dump.parquet")) == (
        f"Error: {tmp_path / 'dump.parquet'}: no such file or folder. "
        "--dask reads CSV/TSV files (globs allowed) or Parquet files and folders.")


def test_cli_dask_leaves_out_empty_files_with_a_warning_and_reads_a_byte_order_mark(client, tmp_path: Path) -> None:
    (tmp_path / "part-0.csv").write_text("", encoding="utf-8")
    (tmp_path / "part-1.csv").write_text("\ufefftext\nالعميل ليس دائما على حق\n", encoding="utf-8")
    result = _label_on_dask(client, tmp_path, str(tmp_path / "part-*.csv"))
    assert result.exit_code == 0, result.output
    assert f"Warning: {tmp_path / 'part-0.csv'}: empty file, no documents read from it." in result.stderr
    assert pd.read_csv(tmp_path / "out.csv")["text"].tolist() == ["العميل ليس دائما على حق"]


def test_cli_dask_refuses_csv_and_parquet_in_one_run(client, tmp_path: Path) -> None:
    pd.DataFrame({"text": ["العميل ليس دائما على حق"]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"text": ["مشتری همیشه حق دارد"]}).to_parquet(tmp_path / "b.parquet")
    assert _dask_error(client, tmp_path, str(tmp_path / "a.csv"), str(tmp_path / "b.parquet")) == (
        f"Error: {tmp_path / 'a.csv'}: --dask reads CSV/TSV files (globs allowed) or Parquet files and folders, "
        "one kind per run; the inputs mix them. Convert one kind to the other.")
