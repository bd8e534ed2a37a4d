from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import forumminer
from forumminer.errors import InputError, ParameterError
from forumminer.export import sha256_of, write_sidecar, write_table

from .conftest import DATA

FORMATS = [".csv", ".tsv", ".jsonl", ".parquet"]
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["ar/a.txt", "fa/b.txt", "fa/b.txt"],
            "passage_id": [1, 1, 2],
            # Persian with a half-space (ZWNJ), Arabic with the Arabic comma, quotes, a tab and
            # line breaks: a bare "\r" (old Mac) and "\r\n" (Windows) inside a post must survive
            "text": ["العميل دائما على حق، أليس كذلك؟", "مشتری همیشه حق دارد، نمی‌دانم\rبله", 'گفت "نه"\r\nو\tرفت'],
            "stance": ["customer_always_right", "balanced", "none"],
            "confidence": [0.8123456789012345, 0.5, 1 / 3],
        }
    )


def read_back(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".jsonl":
        return pd.DataFrame([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])
    return pd.read_csv(path, sep="\t" if path.suffix == ".tsv" else ",", keep_default_na=False)


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_round_trips(frame: pd.DataFrame, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / "out" / f"labeled{suffix}"
    write_table(frame, path)
    pd.testing.assert_frame_equal(read_back(path), frame, check_dtype=False)


@pytest.mark.parametrize("suffix", FORMATS)
def test_reruns_are_byte_identical(frame: pd.DataFrame, tmp_path: Path, suffix: str) -> None:
    write_table(frame, tmp_path / f"first{suffix}")
    write_table(frame.copy(), tmp_path / f"second{suffix}")
    assert (tmp_path / f"first{suffix}").read_bytes() == (tmp_path / f"second{suffix}").read_bytes()


def test_plain_csv_is_utf8_without_bom_with_newline_ends(frame: pd.DataFrame, tmp_path: Path) -> None:
    write_table(frame, tmp_path / "labeled.csv")
    data = (tmp_path / "labeled.csv").read_bytes()
    assert not data.startswith(BOM)
    assert data.count(b"\r\n") == 1  # the one inside the last text: row ends are "\n"
    assert data.startswith(b"doc_id,passage_id,text,stance,confidence\n")
    assert "مشتری همیشه حق دارد، نمی\u200cدانم" in data.decode("utf-8")


def test_jsonl_keeps_text_readable_and_writes_null(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["همیشه", "ar/x"], "date": pd.to_datetime(["2024-03-20", None]), "p": [0.25, None]})
    write_table(frame, tmp_path / "t.jsonl")
    assert (tmp_path / "t.jsonl").read_text(encoding="utf-8") == (
        '{"text": "همیشه", "date": "2024-03-20T00:00:00", "p": 0.25}\n{"text": "ar/x", "date": null, "p": null}\n'
    )


EXCEL_CASES = [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+98 21 1234", "'+98 21 1234"),
    # a text cell that looks like a negative number is defused too (numeric columns are not)
    ("-5", "'-5"),
    ("@cmd", "'@cmd"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    # only the first character matters
    ("A=1", "A=1"),
    # Arabic and Persian text is left alone
    ("الزبون دائما على حق", "الزبون دائما على حق"),
    ("مشتری همیشه حق دارد", "مشتری همیشه حق دارد"),
]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_excel_export_has_bom_and_defuses_formulas(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"text": [raw for raw, _ in EXCEL_CASES], "score": [-1] * len(EXCEL_CASES)})
    path = tmp_path / f"labeled{suffix}"
    write_table(frame, path, excel=True)
    data = path.read_bytes()
    assert data.startswith(BOM)
    back = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", encoding="utf-8-sig", keep_default_na=False)
    assert back["text"].tolist() == [defused for _, defused in EXCEL_CASES]
    assert back["score"].tolist() == [-1] * len(EXCEL_CASES)
    assert frame["text"].iloc[0] == "=SUM(A1)"  # the caller's frame is untouched


def test_excel_defuses_column_names(tmp_path: Path) -> None:
    write_table(pd.DataFrame({"=cmd": ["x"]}), tmp_path / "t.csv", excel=True)
    assert (tmp_path / "t.csv").read_bytes() == BOM + b"'=cmd\nx\n"


def test_excel_is_refused_for_non_csv(frame: pd.DataFrame, tmp_path: Path) -> None:
    message = r"^excel=True applies to \.csv and \.tsv outputs; got '.*labeled\.jsonl'\. Write a \.csv file"
    with pytest.raises(ParameterError, match=message):
        write_table(frame, tmp_path / "labeled.jsonl", excel=True)


def test_unknown_extension_says_what_to_write_instead(frame: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"unknown table format '\.xlsx'; .*; for Excel, write \.csv with --excel\.$"):
        write_table(frame, tmp_path / "labeled.xlsx")
    with pytest.raises(ParameterError, match=r"unknown table format '\.png'; .*; a chart is drawn with --plot"):
        write_table(frame, tmp_path / "trends.png")
    with pytest.raises(ParameterError, match=r"unknown table format '\.txt'; use one of .*stdout\)\.$"):
        write_table(frame, tmp_path / "labeled.txt")


def test_dash_writes_csv_bytes_to_stdout(
    frame: pd.DataFrame, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    write_table(frame, "-")
    write_table(frame, tmp_path / "labeled.csv")
    assert capsysbinary.readouterr().out == (tmp_path / "labeled.csv").read_bytes()


# ----- sidecar -----


@pytest.fixture
def written(frame: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "out" / "labeled.csv"
    write_table(frame, path)
    return path


def sidecar_of(output: Path, inputs: list[str | Path]) -> Path:
    return write_sidecar(
        output,
        options={"lang": "auto", "profile": "fa-default", "note": "همیشه"},
        inputs=inputs,
        model={"id": "stance-default", "sha256": "ab" * 32},
        row_counts={"documents": 2, "passages": 3},
    )


def test_sidecar_contents(written: Path) -> None:
    fixture = DATA / "labeled_dates.csv"
    sidecar = sidecar_of(written, [fixture])
    assert sidecar == written.parent / "labeled.csv.meta.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert list(meta) == sorted(meta)
    assert meta["forumminer_version"] == forumminer.__version__
    assert meta["inputs"] == [{"path": str(fixture), "sha256": hashlib.sha256(fixture.read_bytes()).hexdigest()}]
    assert meta["output"] == {"name": "labeled.csv", "sha256": hashlib.sha256(written.read_bytes()).hexdigest()}
    assert meta["model"] == {"id": "stance-default", "sha256": "ab" * 32}
    assert meta["options"] == {"lang": "auto", "profile": "fa-default", "note": "همیشه"}
    assert meta["row_counts"] == {"documents": 2, "passages": 3}
    written_at = dt.datetime.fromisoformat(meta["written_at"])
    assert written_at.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - written_at) < dt.timedelta(minutes=5)
    text = sidecar.read_text(encoding="utf-8")
    assert '"note": "همیشه"' in text  # ensure_ascii=False
    assert text.startswith('{\n  "forumminer_version"')  # indent 2, sorted keys


def test_sidecar_reruns_differ_only_by_time(written: Path, tmp_path: Path) -> None:
    def without_time(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if '"written_at"' not in line]

    first = tmp_path / "first.json"
    first.write_bytes(sidecar_of(written, [DATA]).read_bytes())
    assert without_time(first) == without_time(sidecar_of(written, [DATA]))


def test_folder_hash_covers_relative_paths_and_contents(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "fa").mkdir(parents=True)
    (folder / "fa" / "b.txt").write_text("مشتری", encoding="utf-8")
    (folder / "a.txt").write_text("العميل", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"junk")  # hidden files are skipped
    expected = hashlib.sha256()
    for relative in ["a.txt", "fa/b.txt"]:
        content_hash = hashlib.sha256((folder / relative).read_bytes()).hexdigest()
        expected.update(f"{relative}\0{content_hash}\n".encode())
    assert sha256_of(folder) == expected.hexdigest()
    # renaming a file changes the hash even though no content changed
    (folder / "a.txt").rename(folder / "c.txt")
    assert sha256_of(folder) != expected.hexdigest()


def test_stdin_input_has_no_hash(written: Path) -> None:
    meta = json.loads(sidecar_of(written, ["-"]).read_text(encoding="utf-8"))
    assert meta["inputs"] == [{"path": "-", "sha256": None}]


def test_sidecar_needs_a_written_output(tmp_path: Path) -> None:
    message = r"^output '.*labeled\.csv': no such file; .* write the table to a file first\."
    with pytest.raises(ParameterError, match=message):
        sidecar_of(tmp_path / "labeled.csv", [])
    with pytest.raises(ParameterError, match=r"^output '-': no such file"):
        sidecar_of(Path("-"), [])


def test_sidecar_missing_input(written: Path, tmp_path: Path) -> None:
    message = r"nope\.csv: no such file or folder; inputs must exist to be hashed\."
    with pytest.raises(InputError, match=message) as info:
        sidecar_of(written, [tmp_path / "nope.csv"])
    assert info.value.path == tmp_path / "nope.csv"


def test_rerun_in_another_process_gives_the_same_bytes(frame: pd.DataFrame, tmp_path: Path) -> None:
    # a fresh interpreter with another hash seed stands in for tomorrow's rerun
    frame.to_pickle(tmp_path / "frame.pkl")
    script = (
        "import pandas as pd, sys; from forumminer.export import write_table\n"
        "frame = pd.read_pickle(sys.argv[1])\n"
        "for suffix in sys.argv[2:]: write_table(frame, sys.argv[1] + '.other' + suffix)\n"
    )
    command = [sys.executable, "-c", script, str(tmp_path / "frame.pkl"), *FORMATS]
    subprocess.run(command, check=True, env={**os.environ, "PYTHONHASHSEED": "123"})
    for suffix in FORMATS:
        write_table(frame, tmp_path / f"here{suffix}")
        assert (tmp_path / f"frame.pkl.other{suffix}").read_bytes() == (tmp_path / f"here{suffix}").read_bytes()


def test_streamed_parts_keep_the_first_columns_and_warn_about_new_ones(tmp_path) -> None:
    import pytest

    from forumminer.errors import ForumminerWarning
    from forumminer.export import TableWriter

    out = tmp_path / "t.csv"
    with pytest.warns(ForumminerWarning, match=r"columns extra first appear after row 1"):
        with TableWriter(out) as writer:
            writer.write(pd.DataFrame({"a": [1]}))
            writer.write(pd.DataFrame({"a": [2], "extra": ["x"]}))
    assert out.read_text(encoding="utf-8") == "a\n1\n2\n"
