"""The fault matrix of issue 12: bad inputs, bad outputs and interruptions.

Each case asserts the exit status, the exact one-line message and that nothing was lost: every
input row is in the output (labeled or with a skip_reason) and a previous output is untouched.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forumminer as fm
from forumminer import export
from forumminer.atomic import atomic_path
from forumminer.cli import main
from forumminer.errors import ForumminerWarning, InputError, ModelError, OutputError, ParameterError
from forumminer.io.readers import read_corpus, read_table
from forumminer.stance.model import default_model_path

AR = "العميل ليس دائما على حق ويجب احترام الموظفين"
FA = "همیشه حق با مشتری نیست و باید به کارمندان احترام گذاشت"
AR2 = "الزبون ملك ويجب خدمته بكل الطرق"


def run(*args: str | Path, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def error_line(result: Result) -> str:
    """The one Error line of a run that ended on purpose (no traceback)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def posts(path: Path, rows: int = 3, **columns: list[str]) -> Path:
    texts = [AR, FA, AR2] * (rows // 3 + 1)
    frame = pd.DataFrame({"id": [f"p{i}" for i in range(1, rows + 1)], "text": texts[:rows], **columns})
    frame.to_csv(path, index=False)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


@pytest.fixture()
def good_output(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """A labeled.csv with its sidecar from an earlier good run, and their bytes."""
    out = tmp_path / "keep.csv"
    result = run("label", posts(tmp_path / "first.csv"), "-o", out)
    assert result.exit_code == 0, result.output
    sidecar = out.with_name("keep.csv.meta.json")
    return out, out.read_bytes(), sidecar.read_bytes()



def missing_as_none(values: "pd.Series[Any]") -> list[Any]:
    """The values with every missing one (None, NaN, NA) as None: one "no value" in memory and files."""
    return [None if pd.isna(value) else value for value in values]

# --- 1. outputs: atomic, never the input, interruptions ------------------------------------------


def test_failed_label_leaves_the_previous_output_and_sidecar(tmp_path: Path, good_output) -> None:
    out, before, sidecar = good_output
    result = run("label", posts(tmp_path / "in.csv"), "--model", tmp_path / "typo.npz", "-o", out)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {tmp_path / 'typo.npz'}: no such model file. Train one with 'forumminer train'."
    assert out.read_bytes() == before
    assert out.with_name("keep.csv.meta.json").read_bytes() == sidecar
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["label", "passages", "trends", "summarize"])
def test_output_equal_to_input_is_refused_before_any_work(tmp_path: Path, command: str) -> None:
    source = posts(tmp_path / "same.csv")
    before = source.read_bytes()
    result = run(command, source, "-o", source)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {source}: the output is also an input; write to another file."
    assert source.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_ctrl_c_mid_write_exits_130_and_keeps_the_previous_output(tmp_path: Path, suffix: str, monkeypatch) -> None:
    out = tmp_path / f"keep{suffix}"
    assert run("label", posts(tmp_path / "first.csv"), "-o", out).exit_code == 0
    before, sidecar = out.read_bytes(), out.with_name(out.name + ".meta.json").read_bytes()
    original = export.TableWriter.write

    def interrupted(self, frame):
        original(self, frame)
        raise KeyboardInterrupt

    monkeypatch.setattr(export.TableWriter, "write", interrupted)
    result = run("label", posts(tmp_path / "in.csv", rows=9), "-o", out)
    assert result.exit_code == 130
    assert error_line(result) == "Error: interrupted; no output was written or changed."
    assert out.read_bytes() == before
    assert out.with_name(out.name + ".meta.json").read_bytes() == sidecar
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_real_signal_mid_run_leaves_nothing_half_written(tmp_path: Path, signum: int, status: int) -> None:
    # enough rows that the run is still writing when the signal lands (labeling takes ~3,000 rows/s)
    source = posts(tmp_path / "big.csv", rows=60_000)
    out = tmp_path / "out.csv"
    out.write_text("previous\n", encoding="utf-8")
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:  # a file, not a pipe: the exit is what counts, not when every process closes it
        # one process (worker processes: the tests below)
        process = subprocess.Popen([sys.executable, "-c", "from forumminer.cli import main; main()", "label", str(source),
                                    "--workers", "1", "-o", str(out)],
                                   stderr=stderr, cwd=tmp_path,
                                   # as from a terminal: a shell's background job (CI runners) ignores Ctrl-C
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 60
        while not leftovers(tmp_path) and time.monotonic() < deadline:  # wait until it writes
            time.sleep(0.2)
        process.send_signal(signum)
        process.wait(timeout=60)
    assert process.returncode == status, errors.read_text(encoding="utf-8")
    assert errors.read_text(encoding="utf-8").splitlines()[-1].startswith("Error: ")
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert leftovers(tmp_path) == []


def _session_processes(session: int) -> list[int]:
    """The live processes of a session (Linux /proc), zombies left out."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            state, _, _, sid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:4]
        except (OSError, ValueError):
            continue
        if int(sid) == session and state != "Z":
            found.append(int(entry.name))
    return found


# Rows of a job that must still be running when the test stops it: far more than a loaded machine
# labels in the seconds its worker processes take to start (30,000 once finished first at load 15).
BIG = 300_000


def _start_in_own_session(command: list[str], stderr: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "from forumminer.cli import main; main()", *command],
                            stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
                            # as from a terminal: a shell's background job (CI runners) ignores Ctrl-C
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for(condition: Any, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")
@pytest.mark.parametrize("processes", [3, 4, 5], ids=["fork server starting", "first worker starting", "workers started"])
def test_ctrl_c_while_workers_start_ends_every_process_with_one_line(tmp_path: Path, processes: int) -> None:
    """Ctrl-C from a terminal reaches every process of the job: the labeling process, its
    resource tracker, the fork server and the workers. Sent once the job has this many processes,
    it ends them all, with one Error line (no worker's traceback, no BrokenProcessPool)."""
    source = posts(tmp_path / "big.csv", rows=BIG)
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        process = _start_in_own_session(["label", str(source), "--workers", "2", "-o", str(tmp_path / "out.csv")], stderr)
        try:
            assert _wait_for(lambda: len(_session_processes(process.pid)) >= processes or process.poll() is not None)
            # the labeling process ignores Ctrl-C for the moment it takes to spawn the fork server
            # (forumminer._parallel.start_fork_server, documented there); the fork server's own
            # start, its imports, lasts a second or more: Ctrl-C lands in it, after that moment
            time.sleep(0.05)
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=60)
            assert _wait_for(lambda: not _session_processes(process.pid), seconds=10), _session_processes(process.pid)
        finally:
            for pid in _session_processes(process.pid):
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == 130, errors.read_text(encoding="utf-8")
    assert errors.read_text(encoding="utf-8").splitlines() == ["Error: interrupted; no output was written or changed."]
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")
def test_workers_end_when_the_labeling_process_is_killed(tmp_path: Path) -> None:
    source = posts(tmp_path / "big.csv", rows=BIG)
    process = _start_in_own_session(["label", str(source), "--workers", "2", "-o", str(tmp_path / "out.csv")],
                                    subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: len(_session_processes(process.pid)) >= 5)  # itself, tracker, server, 2 workers
        process.kill()
        process.wait(timeout=60)
        assert _wait_for(lambda: not _session_processes(process.pid), seconds=10), _session_processes(process.pid)
    finally:
        for pid in _session_processes(process.pid):
            os.kill(pid, signal.SIGKILL)


def test_full_disk_is_one_line_and_the_previous_output_survives(tmp_path: Path, good_output, monkeypatch) -> None:
    out, before, sidecar = good_output

    class FullDisk(io.BytesIO):
        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "open", lambda *args, **kwargs: FullDisk(), raising=False)
    result = run("label", posts(tmp_path / "in.csv"), "-o", out)
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {out}: cannot write (No space left on device); the previous keep.csv is "
                                  "unchanged. Free space or choose another output.")
    assert out.read_bytes() == before
    assert out.with_name("keep.csv.meta.json").read_bytes() == sidecar
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["label", "passages", "trends", "summarize", "train"])
def test_unwritable_output_fails_before_any_work(tmp_path: Path, command: str, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    source = posts(tmp_path / "in.csv")
    import forumminer.stance.training as training

    monkeypatch.setattr(training, "train", lambda *a, **k: pytest.fail("trained before checking the output"))
    result = run(command, source, "-o", blocker / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {blocker / 'out.csv'}: cannot write (folder {blocker} is not writable); "
                                  "choose another output.")


def test_a_sidecar_never_describes_another_file(tmp_path: Path, good_output) -> None:
    out, before, _ = good_output
    with pytest.raises(RuntimeError):
        with atomic_path(out) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert out.read_bytes() == before and out.with_name("keep.csv.meta.json").exists()
    with atomic_path(out) as temp:  # a new output replaces the file: the old sidecar goes first
        temp.write_bytes(b"new")
    assert out.read_bytes() == b"new" and not out.with_name("keep.csv.meta.json").exists()


def test_plot_with_an_unknown_extension_is_refused_before_writing(tmp_path: Path, labeled: Path) -> None:
    result = run("trends", labeled, "-o", tmp_path / "trends.csv", "--plot", tmp_path / "chart.gif")
    assert result.exit_code == 1
    assert error_line(result) == f"Error: plot '{tmp_path / 'chart.gif'}': unsupported chart type '.gif'; give a .png, .pdf, .svg file."
    assert not (tmp_path / "trends.csv").exists()


# --- 2. encodings --------------------------------------------------------------------------------


def test_one_bad_byte_past_the_first_mib_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = "".join(f"{i},{AR}\n" for i in range(30_000))
    data = ("id,text\n" + rows).encode("utf-8")
    path.write_bytes(data + b"30000,\xff bad\n")
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}, line 30002 (byte offset {len(data) + 6}): not valid UTF-8, and the "
                                  "file is not Windows-1256 Arabic either. Re-save it as UTF-8 (in Excel: Save As > "
                                  "CSV UTF-8), or pass --encoding or --errors replace.")
    assert not (tmp_path / "out.csv").exists()


def test_a_utf8_file_with_one_cp1256_row_is_not_turned_into_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    head = f"id,text\n1,{AR}\n2,{FA}\n".encode("utf-8")
    path.write_bytes(head + "3,".encode() + AR2.encode("cp1256") + b"\n")
    with pytest.raises(InputError) as raised:
        read_corpus(path)
    assert str(raised.value).startswith(f"{path}, line 4 (byte offset {len(head) + 2}): not valid UTF-8")


def test_latin1_text_is_not_read_as_arabic(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le client a toujours raison, café crème.\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"line 1 \(byte offset 32\): not valid UTF-8, and the file is not Windows-1256"):
        read_corpus(path)


def test_a_real_cp1256_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(f"id,text\n1,{AR}\n2,{AR2}\n".encode("cp1256"))
    result = run("passages", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    assert f"Warning: {path}: read as Windows-1256 (detected)." in result.stderr
    assert pd.read_csv(tmp_path / "out.csv")["text"].tolist() == [AR, AR2]


def test_explicit_encoding_and_counted_replacements(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(f"id,text\n1,{AR}\n".encode() + b"2,caf\xe9 \xff\n")
    result = run("passages", path, "--errors", "replace", "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    assert f"Warning: {path}: 2 bytes could not be decoded as utf-8 and were replaced by U+FFFD." in result.stderr
    assert pd.read_csv(tmp_path / "out.csv")["text"].tolist() == [AR, "caf\ufffd \ufffd"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\n1,café\n".encode("latin-1"))
    result = run("passages", latin, "--encoding", "latin-1", "-o", tmp_path / "latin-out.csv")
    assert result.exit_code == 0 and "Warning" not in result.stderr
    assert pd.read_csv(tmp_path / "latin-out.csv")["text"].tolist() == ["café"]


def test_unknown_encoding_is_a_clear_error(tmp_path: Path) -> None:
    result = run("passages", posts(tmp_path / "in.csv"), "--encoding", "klingon", "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == "Error: unknown encoding 'klingon'; give a Python codec name such as utf-8, cp1256 or utf-16-le."


def test_utf16_without_bom_is_named(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes(f"id,text\n1,{AR}\n".encode("utf-16-le"))
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}: looks like UTF-16 text without a byte-order mark. Re-save it as "
                                  "UTF-8, or pass --encoding utf-16-le.")
    result = run("passages", path, "--encoding", "utf-16-le", "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    assert pd.read_csv(tmp_path / "out.csv")["text"].tolist() == [AR]


def test_a_single_nul_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(f"id,text\n1,{AR}\n2,ab\x00c\n".encode())
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    offset = len(f"id,text\n1,{AR}\n2,ab".encode())
    assert error_line(result) == (f"Error: {path}, line 3 (byte offset {offset}): a NUL character in the text. "
                                  "Remove it, or re-save the file as plain UTF-8 text.")


def test_a_binary_file_is_called_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(bytes(range(256)) * 40)
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}: looks like a binary file (it contains NUL bytes), not text. Give a "
                                  ".txt, .csv, .tsv, .jsonl or .parquet file in UTF-8, UTF-8 with BOM, UTF-16 with BOM "
                                  "or Windows-1256.")


@pytest.mark.parametrize("command", ["normalize", "tokenize"])
def test_non_utf8_stdin_names_its_line(command: str) -> None:
    result = run(command, input=f"{AR}\n".encode() + b"caf\xe9\n")
    assert result.exit_code == 1
    offset = len(f"{AR}\n".encode()) + 3
    assert error_line(result) == (f"Error: <stdin>, line 2 (byte offset {offset}): not valid utf-8. Pipe UTF-8 text, "
                                  "or pass --encoding or --errors replace.")
    assert run(command, "--encoding", "latin-1", input=b"caf\xe9\n").output == "café\n"


# --- 3. input columns ------------------------------------------------------------------------------


def test_input_doc_id_and_lang_columns_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    pd.DataFrame({"doc_id": ["a7", "b9"], "lang": ["arabic", "farsi"], "text": [AR, FA]}).to_csv(path, index=False)
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    assert ("Warning: input columns doc_id, lang keep their names; forumminer's own are written as fm_doc_id, fm_lang."
            in result.stderr)
    table = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert table["doc_id"].tolist() == ["a7", "b9"] and table["lang"].tolist() == ["arabic", "farsi"]
    assert table["fm_doc_id"].tolist() == ["1", "2"] and table["fm_lang"].tolist() == ["ar", "fa"]
    summary = run("summarize", tmp_path / "out.csv", "--by", "lang", "--format", "json", "-o", "-")
    assert summary.exit_code == 0
    assert [g["group"] for g in json.loads(summary.output)["groups"]] == ["ar", "fa"]  # ours, as the table says


def test_a_stance_column_in_the_input_is_not_overwritten(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": [AR, FA], "stance": ["gold-a", "gold-b"]})
    table = fm.label(frame, level="document")
    assert table["stance"].tolist() == ["gold-a", "gold-b"]
    assert set(table["fm_stance"]) <= {"customer_always_right", "balanced", "boundary_setting", "none"}


def test_duplicate_header_names_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(f"id,text,text\n1,{AR},{FA}\n", encoding="utf-8")
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}, line 1: duplicate column name 'text'; rename one of the columns so "
                                  "every name is unique.")


# --- 4. texts and paths in the API -------------------------------------------------------------------


@pytest.mark.parametrize("data", [["."], ".", "", [""]])
def test_strings_are_texts_never_folders(tmp_path: Path, data, monkeypatch) -> None:
    (tmp_path / "secret.txt").write_text(AR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    table = fm.label(data)
    assert len(table) == 1 and AR not in table["text"].tolist()


def test_texts_in_lists_tuples_and_series() -> None:
    for data in ([AR, "."], (AR, FA), pd.Series([AR, FA], index=[10, 20])):
        table = fm.label(data)
        assert table["doc_id"].tolist() == ["1", "2"]
        assert table["stance"].iloc[0] != ""


def test_none_nan_and_bytes_among_texts_keep_their_rows() -> None:
    table = fm.label([AR, None, float("nan"), AR.encode(), b"\xff\xfe", 5])
    assert missing_as_none(table["skip_reason"]) == [None, "empty document", "empty document", None,
                                             "text is bytes that are not UTF-8", "text is not a string but int"]
    assert table["text"].tolist()[3] == AR and "nan" not in table["text"].tolist()


def test_a_generator_of_texts_keeps_every_text() -> None:
    texts = [AR, FA, AR2]
    assert fm.label(t for t in texts)["text"].tolist() == fm.label(texts)["text"].tolist() == texts


def test_paths_are_path_objects(tmp_path: Path) -> None:
    source = posts(tmp_path / "in.csv")
    assert len(fm.label(source)) == 3 and len(fm.label([source])) == 3
    with pytest.raises(InputError, match="data mixes paths"):
        fm.label([source, AR])
    with pytest.raises(InputError, match="an empty path was given as input"):
        read_corpus("")


# --- 5. NA strings and 6. non-string text ----------------------------------------------------------------


NA_LIKE = ["NA", "nan", "None", "null", "n/a", ""]


def test_na_like_ids_and_groups_stay_apart(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    texts = [AR, FA, AR2] * 2
    pd.DataFrame({"id": NA_LIKE, "text": texts, "date": ["2024-01-01"] * 6, "group": NA_LIKE}).to_csv(path, index=False)
    result = run("label", path, "--id-col", "id", "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    labeled = read_table(tmp_path / "out.csv")
    # text that looks like NA stays text; only the empty cell is a missing value
    expected = [value or None for value in NA_LIKE]
    assert missing_as_none(labeled["doc_id"]) == expected and missing_as_none(labeled["group"]) == expected
    summary = run("summarize", tmp_path / "out.csv", "--by", "group", "--format", "json", "-o", "-")
    assert sorted(g["group"] for g in json.loads(summary.output)["groups"]) == sorted(NA_LIKE)
    result = run("trends", tmp_path / "out.csv", "--by", "group", "-o", tmp_path / "trends.csv")
    assert result.exit_code == 0
    assert sorted(read_table(tmp_path / "trends.csv")["group"].unique()) == sorted([v or "(missing)" for v in NA_LIKE])


def test_non_string_text_cells_are_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    records = [{"text": AR}, {"text": None}, {"text": 3.5}, {"text": ["a", "b"]}, {"text": {"k": 1}}, {}]
    path.write_text("\n".join(json.dumps(r) for r in records[:5]) + "\n", encoding="utf-8")
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    table = read_table(tmp_path / "out.csv")
    assert missing_as_none(table["skip_reason"]) == [None, "empty document", "text is not a string but float",
                                                     "text is not a string but list", "text is not a string but dict"]
    assert missing_as_none(table["stance"])[1:] == [None] * 4
    parquet = tmp_path / "in.parquet"
    pd.DataFrame({"text": [AR, None, AR2.encode()]}).to_parquet(parquet)
    table = fm.label(parquet)
    assert missing_as_none(table["skip_reason"]) == [None, "empty document", None] and table["text"].tolist()[2] == AR2


# --- 7. dates ----------------------------------------------------------------------------------------


def test_implausible_years_are_reported_and_the_table_stays_small(tmp_path: Path, labeled: Path) -> None:
    table = read_table(labeled)
    table["date"] = ["2024-01-05", "0001-01-01", "9999-12-31"] * (len(table) // 3) + ["2024-02-01"] * (len(table) % 3)
    table.to_csv(tmp_path / "dated.csv", index=False)
    result = run("trends", tmp_path / "dated.csv", "-o", tmp_path / "trends.csv", "--plot", tmp_path / "t.png")
    assert result.exit_code == 0
    assert "(missing, unparseable or outside 1900-" in result.stderr
    assert len(read_table(tmp_path / "trends.csv")) <= 2 * 4
    result = run("trends", tmp_path / "dated.csv", "-o", tmp_path / "all.csv", "--years", "1-9999", "--freq", "Y")
    assert result.exit_code == 0 and len(read_table(tmp_path / "all.csv")) == 9999 * 4


# --- 8. and 9. tracebacks and model files ------------------------------------------------------------------


def test_document_level_on_empty_input(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("id,text\n", encoding="utf-8")
    result = run("label", path, "--level", "document", "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "0 documents labeled -> " + str(tmp_path / "out.csv")


def test_train_on_too_few_rows_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    labels = ["customer_always_right", "balanced", "boundary_setting", "none"] * 2
    pd.DataFrame({"text": [f"{AR} {i}" for i in range(8)], "label": labels}).to_csv(path, index=False)
    result = run("train", path, "--cv", "0", "-o", tmp_path / "m.npz")
    assert result.exit_code == 1
    assert error_line(result).startswith("Error: too few examples to train:")
    assert not (tmp_path / "m.npz").exists()


def test_normalize_refuses_non_text() -> None:
    with pytest.raises(ParameterError, match="text must be a string; got NoneType."):
        fm.normalize(None)  # type: ignore[arg-type]


def _model_archive(path: Path, **arrays: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in arrays.items():
            archive.writestr(f"{name}.npy", data)
    return path


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _good_arrays() -> dict[str, bytes]:
    with zipfile.ZipFile(default_model_path()) as archive:
        return {info.filename.removesuffix(".npy"): archive.read(info) for info in archive.infolist()}


def _huge_shape_header() -> bytes:
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + b"\0" * 64


def _zip_bomb() -> bytes:
    return _npy(np.zeros((64 << 20) // 8 + 1))


@pytest.mark.parametrize(("case", "message"), [
    ("huge shape", "refusing to load array 'coef' (shape (1000000, 1000000), float64): larger than its stored data "
                   "or the limit."),
    ("zip bomb", "refusing to load a model of {mib} MiB uncompressed (the limit is 512 MiB)."),
    ("deep header", "not a forumminer model file (its header nests too deeply)."),
    ("missing coef", "not a forumminer model file (no 'coef' array)."),
    ("wrong classes", "not a usable forumminer model file (coef rows do not match the classes)."),
    ("pickle", "refusing to load a model file that contains pickled Python objects (they could run code). "
               "Only load models you trained with forumminer."),
])
def test_malformed_model_files_are_one_line(tmp_path: Path, case: str, message: str) -> None:
    arrays = _good_arrays()
    if case == "huge shape":
        arrays["coef"] = _huge_shape_header()
    elif case == "zip bomb":
        arrays.update({f"pad{i}": _zip_bomb() for i in range(8)})
    elif case == "deep header":
        arrays["header"] = _npy(np.array("[" * 2000 + "]" * 2000))
    elif case == "missing coef":
        del arrays["coef"]
    elif case == "wrong classes":
        arrays["classes"] = _npy(np.array(["a", "b"]))
    elif case == "pickle":
        arrays["coef"] = _npy(np.array([{"x": 1}], dtype=object))
    model = _model_archive(tmp_path / "model.npz", **arrays)
    with zipfile.ZipFile(model) as archive:  # the good arrays' size moves with every retraining
        message = message.format(mib=sum(info.file_size for info in archive.infolist()) >> 20)
    with pytest.raises(ModelError) as raised:
        fm.load_model(model)
    assert str(raised.value) == f"{model}: {message}"
    result = run("label", posts(tmp_path / "in.csv"), "--model", model, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1 and error_line(result) == f"Error: {model}: {message}"
    assert not (tmp_path / "out.csv").exists()


# --- 10. messages, stdin, zero-width characters ---------------------------------------------------------


def test_a_fifo_is_not_called_missing(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = run("label", fifo, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {fifo}: not a regular file (a pipe or device). Save the data to a file, or "
                                  "pipe a CSV table to - (standard input).")


def test_every_table_command_reads_stdin(tmp_path: Path) -> None:
    data = f"id,text\n1,{AR}\n2,{FA}\n"
    result = run("label", "-", "-o", tmp_path / "labeled.csv", input=data)
    assert result.exit_code == 0, result.output
    labeled = (tmp_path / "labeled.csv").read_text(encoding="utf-8")
    assert len(read_table(tmp_path / "labeled.csv")) == 2
    assert run("passages", "-", "-o", "-", input=data).output.count("\n") == 3
    assert run("summarize", "-", "-o", "-", input=labeled).exit_code == 0
    assert run("trends", "-", "--date-col", "id", "-o", tmp_path / "t.csv", input=labeled).exit_code == 0
    bad = run("label", "-", "-o", tmp_path / "x.csv", input=b"id,text\n1,caf\xe9\n")
    assert error_line(bad) == ("Error: <stdin>, line 2 (byte offset 13): not valid UTF-8, and the file is not "
                               "Windows-1256 Arabic either. Re-save it as UTF-8 (in Excel: Save As > CSV UTF-8), or "
                               "pass --encoding or --errors replace.")


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060"])
def test_zero_width_characters_do_not_change_a_label(invisible: str) -> None:
    for text in (AR, FA):
        words = text.split()
        spoiled = " ".join(word[:2] + invisible + word[2:] for word in words)
        assert fm.normalize(spoiled) == fm.normalize(text)
        clean, dirty = fm.label([text, spoiled]).itertuples()
        assert (dirty.stance, dirty.lang) == (clean.stance, clean.lang)
        assert dirty.confidence == pytest.approx(clean.confidence)


def test_joiners_that_build_an_emoji_stay() -> None:
    emoji = "\U0001f645\u200d\u2640\ufe0f"
    assert fm.normalize(f"{AR} {emoji}") == f"{AR} {emoji}"


# --- 11. auto language mode on short lines ------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    # Persian lines with little evidence keep their letters and digits
    ("آمدند", "آمدند"), ("ساعت 18", "ساعت 18"), ("رفتم خانه", "رفتم خانه"),
    # Arabic lines with a word of the Persian list keep Arabic yeh and kaf
    ("مشتري جديد", "مشتري جديد"), ("ولي العهد", "ولي العهد"), ("بدون سكر", "بدون سكر"), ("وقتي ضيق", "وقتي ضيق"),
    # mixed lines: a Persian line quoting Arabic, an Arabic line quoting Persian
    ("گفت: «العميل دائما على حق»", "گفت: «العميل دائما على حق»"),
    ("قال: «مشتری همیشه حق دارد» الزبون", "قال: «مشتری همیشه حق دارد» الزبون"),
    # clear evidence still normalizes in the language
    ("همیشه حق با مشتري نيست", "همیشه حق با مشتری نیست"), ("العَمِيلُ دائماً على حقّ", "العميل دائما على حق"),
    ("همیشه حق با مشتري نيست ساعت 18", "همیشه حق با مشتری نیست ساعت ۱۸"),
])
def test_auto_mode_leaves_letters_alone_on_weak_evidence(line: str, expected: str) -> None:
    assert fm.normalize(line) == expected
    assert run("normalize", input=line + "\n").output == expected + "\n"


# --- hypothesis: no traceback whatever the bytes or text -----------------------------------------------


@settings(max_examples=25 if os.environ.get("CI") else 150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".txt", ".parquet"]))
def test_readers_never_raise_a_traceback_on_random_bytes(tmp_path: Path, raw: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(raw)
    for read in (read_corpus, read_table):
        try:
            read(path)
        except InputError:
            pass


@settings(max_examples=15 if os.environ.get("CI") else 100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_label_never_raises_a_traceback_on_random_text(tmp_path: Path, text: str) -> None:
    table = fm.label([text])
    assert len(table) >= 1
    path = tmp_path / "random.csv"
    pd.DataFrame({"text": [text]}).to_csv(path, index=False)
    result = run("label", path, "-o", tmp_path / "out.csv")
    assert result.exit_code in (0, 1) and (result.exception is None or isinstance(result.exception, SystemExit))


@pytest.fixture()
def labeled(tmp_path: Path) -> Path:
    out = tmp_path / "labeled.csv"
    frame = pd.DataFrame({"text": [AR, FA, AR2] * 4, "date": [f"2024-0{1 + i % 2}-1{i % 9}" for i in range(12)]})
    frame.to_csv(tmp_path / "src.csv", index=False)
    assert run("label", tmp_path / "src.csv", "-o", out).exit_code == 0
    return out


def test_a_completed_run_has_a_matching_sidecar(tmp_path: Path, good_output) -> None:
    out, _, _ = good_output
    meta = json.loads(out.with_name("keep.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["output"]["sha256"] == export.sha256_of(out)


def test_demo_refuses_an_unwritable_folder_before_labeling(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run("demo", "-o", blocker / "demo")
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {blocker / 'demo' / 'labeled.csv'}: cannot write (folder {blocker} is not "
                                  "writable); choose another output.")


def test_a_text_with_unpaired_surrogates_is_labeled_with_a_warning_naming_its_document(tmp_path: Path) -> None:
    texts = ["العميل ليس دائما على حق", "مشتری همیشه حق دارد \ud800 چون درآمد ما از اوست"]
    with pytest.warns(ForumminerWarning, match="document 2: .*unpaired surrogate"):
        table = fm.label(texts)
    assert len(table) == 2 and table["stance"].notna().all()
    assert table["text"].iloc[1] == texts[1].replace("\ud800", "\ufffd")
    fm.write_table(table, tmp_path / "labeled.parquet")  # valid Unicode now: every format holds it
    assert read_table(tmp_path / "labeled.parquet")["text"].iloc[1] == table["text"].iloc[1]
