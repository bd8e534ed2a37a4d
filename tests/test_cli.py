from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from forumminer.cli import main

from .conftest import ROOT, SAMPLE

COMMANDS = sorted(main.commands)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_a_readme_entry(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"forumminer {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_passages_writes_every_format(tmp_path: Path) -> None:
    for suffix in (".csv", ".jsonl", ".parquet"):
        out = tmp_path / f"p{suffix}"
        result = run("passages", str(SAMPLE), "-o", str(out))
        assert result.exit_code == 0, result.output
        table = {".csv": pd.read_csv, ".jsonl": lambda p: pd.read_json(p, lines=True), ".parquet": pd.read_parquet}[suffix](out)
        assert {"doc_id", "passage_id", "text", "start", "end", "lang", "date", "source"} <= set(table.columns)
        assert table["doc_id"].nunique() == 22


def test_passages_to_stdout_with_table_options(tmp_path: Path) -> None:
    data = tmp_path / "posts.csv"
    data.write_text("post_id,body\np1,العميل ليس دائما على حق\np2,همیشه حق با مشتری نیست\n", encoding="utf-8")
    result = run("passages", str(data), "--text-col", "body", "--id-col", "post_id", "-o", "-")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("doc_id,passage_id,text,start,end,lang,skip_reason")
    assert lines[1].startswith("p1,p1#1,العميل ليس دائما على حق,0,23,ar,")
    assert lines[2].startswith("p2,p2#1,همیشه حق با مشتری نیست,0,22,fa,")


def test_missing_text_column_is_one_error_line_and_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("id,body\n1,x\n", encoding="utf-8")
    result = run("passages", str(data), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {data}: no column 'text'. Columns are: id, body. Use --text-col to name the text column.\n"


def test_unknown_output_format_is_refused_before_reading(tmp_path: Path) -> None:
    result = run("passages", str(SAMPLE), "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: output '{tmp_path / 'out.xlsx'}': unknown table format '.xlsx'")


def test_bad_option_value_is_a_usage_error() -> None:
    result = run("normalize", "--lang", "en")
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.stderr


def test_normalize_reads_stdin_line_by_line() -> None:
    result = run("normalize", input="العَمِيلُ دائماً على حقّ\nمشتري هميشه حق دارد\n")
    assert result.exit_code == 0
    assert result.output == "العميل دائما على حق\nمشتری همیشه حق دارد\n"


def test_tokenize_words_and_sentences(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("من می‌خواهم بروم. تو چطور؟\n", encoding="utf-8")
    assert run("tokenize", str(source)).output == "من می\u200cخواهم بروم . تو چطور ؟\n"
    assert run("tokenize", "--sentences", str(source)).output == "من می\u200cخواهم بروم.\nتو چطور؟\n"


def test_empty_input_file_warns_on_stderr(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = run("passages", str(empty), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0
    assert f"Warning: {empty}: empty file, no documents read from it." in result.stderr


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = "import sys, forumminer.cli; print(sorted(m for m in ('hazm', 'camel_tools', 'sklearn', 'matplotlib', 'pandas', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_console_script_runs_as_a_real_process(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("forumminer")
    out = tmp_path / "passages.csv"
    result = subprocess.run(
        [str(script), "passages", str(SAMPLE), "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    assert "passages from 22 documents" in result.stderr
    assert pd.read_csv(out)["doc_id"].nunique() == 22


@pytest.fixture(scope="module")
def labeled_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("labeled") / "labeled.csv"
    result = run("label", str(SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_label_writes_a_sidecar_describing_the_run(labeled_sample: Path) -> None:
    import json

    meta = json.loads(labeled_sample.with_name("labeled.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["options"]["command"] == "label"
    assert meta["model"]["id"] == "stance-default"
    assert meta["inputs"][0]["path"] == str(SAMPLE)
    assert meta["row_counts"]["passages"] == len(pd.read_csv(labeled_sample))


def test_label_reruns_are_byte_identical(tmp_path: Path, labeled_sample: Path) -> None:
    again = tmp_path / "again.csv"
    assert run("label", str(SAMPLE), "-o", str(again)).exit_code == 0
    assert again.read_bytes() == labeled_sample.read_bytes()


def test_excel_flag_writes_bom_csv(tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    assert run("passages", str(SAMPLE), "-o", str(out), "--excel").exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(("name", "marker"), [("s.md", "# Stance summary"), ("s.json", '"groups"'), ("s.html", "<!DOCTYPE html>")])
def test_summarize_formats_follow_the_extension(tmp_path: Path, labeled_sample: Path, name: str, marker: str) -> None:
    out = tmp_path / name
    result = run("summarize", str(labeled_sample), "-o", str(out), "--by", "lang", "--top", "2")
    assert result.exit_code == 0, result.output
    assert marker in out.read_text(encoding="utf-8")
    assert out.with_name(name + ".meta.json").exists()


def test_summarize_min_count_shows_the_arguments_of_single_passages_too(tmp_path: Path, labeled_sample: Path) -> None:
    from forumminer.summary.keypoints import MIN_COUNT

    default, singles = tmp_path / "default.json", tmp_path / "singles.json"
    assert run("summarize", str(labeled_sample), "-o", str(default)).exit_code == 0
    result = run("summarize", str(labeled_sample), "-o", str(singles), "--min-count", "1")
    assert result.exit_code == 0, result.output

    def counts(path: Path) -> list[int]:
        group = json.loads(path.read_text(encoding="utf-8"))["groups"][0]
        return [p["count"] for points in group["key_points"].values() for p in points if not p["tentative"]]

    assert min(counts(default)) >= MIN_COUNT == json.loads(default.read_text(encoding="utf-8"))["min_count"]
    assert 1 in counts(singles) and len(counts(singles)) > len(counts(default))
    sidecar = json.loads(singles.with_name("singles.json.meta.json").read_text(encoding="utf-8"))
    assert sidecar["options"]["min_count"] == 1
    assert run("summarize", str(labeled_sample), "-o", "-", "--min-count", "0").exit_code == 2


def test_summarize_html_has_the_trend_chart_and_a_header_naming_the_input(tmp_path: Path, labeled_sample: Path) -> None:
    out = tmp_path / "s.html"
    result = run("summarize", str(labeled_sample), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count('<img alt="Stance shares per period" src="data:image/png;base64,') == 1
    assert f"Input: {labeled_sample} · stance model: stance-default (sha256 " in page


def test_summarize_workers_give_the_same_report(tmp_path: Path, labeled_sample: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("forumminer.stance.labeling.CHUNK_TEXTS", 40)  # several chunks: real worker processes
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    assert run("summarize", str(labeled_sample), "-o", str(one), "--workers", "1").exit_code == 0
    result = run("summarize", str(labeled_sample), "-o", str(two), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert two.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    assert run("summarize", str(labeled_sample), "-o", "-", "--workers", "0").exit_code == 2


@pytest.mark.parametrize("command", ["summarize", "trends", "sample"])
def test_an_unknown_by_column_is_one_error_line_naming_the_option(labeled_sample: Path, tmp_path: Path,
                                                                    command: str) -> None:
    result = run(command, str(labeled_sample), "-o", str(tmp_path / "out.csv"), "--by", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --by: no column 'nope'. Columns are: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_trends_writes_table_and_chart(tmp_path: Path, labeled_sample: Path) -> None:
    out, chart = tmp_path / "t.csv", tmp_path / "t.png"
    result = run("trends", str(labeled_sample), "--freq", "Q", "-o", str(out), "--plot", str(chart))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert {"period", "stance", "count", "share", "n"} <= set(table.columns)
    assert table["count"].sum() == (pd.read_csv(labeled_sample, keep_default_na=False)["skip_reason"] == "").sum()
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_demo_writes_every_file(tmp_path: Path) -> None:
    result = run("demo", "-o", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    assert "Stance shares by language:" in result.output
    names = {p.name for p in (tmp_path / "demo").iterdir()}
    outputs = {"labeled.csv", "summary.md", "summary.html", "trends.csv", "trends.png"}
    assert outputs | {f"{name}.meta.json" for name in outputs} == names
