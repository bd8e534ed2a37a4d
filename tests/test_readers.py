from __future__ import annotations

import codecs
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from forumminer import read_corpus
from forumminer.errors import ForumminerWarning, InputError
from forumminer.io.readers import iter_documents

from .conftest import SAMPLE

ARABIC = "العميل ليس دائما على حق"
PERSIAN = "همیشه حق با مشتری نیست"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_folder_of_text_files_is_read_recursively_with_metadata(tmp_path: Path) -> None:
    write(tmp_path / "ar" / "a.txt", ARABIC + "\n")
    write(tmp_path / "fa" / "b.txt", PERSIAN)
    write(tmp_path / "metadata.csv", "file,date,source\nar/a.txt,2024-01-02,forum.example\nb.txt,1402/05/12,blog.example\n")
    docs = read_corpus(tmp_path)
    assert docs["doc_id"].tolist() == ["ar/a.txt", "fa/b.txt"]
    assert docs["text"].tolist() == [ARABIC + "\n", PERSIAN]
    assert docs["date"].tolist() == ["2024-01-02", "1402/05/12"]
    assert docs["source"].tolist() == ["forum.example", "blog.example"]


def test_metadata_row_for_a_missing_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARABIC)
    write(tmp_path / "metadata.csv", "file,date\na.txt,2024-01-02\nghost.txt,2024-02-02\n")
    with pytest.warns(ForumminerWarning, match=r"metadata.csv, line 3: file 'ghost.txt' matches no .txt file; row ignored."):
        docs = read_corpus(tmp_path)
    assert docs["date"].tolist() == ["2024-01-02"]


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        (".csv", f'id,text,source\n7,"{ARABIC}, نعم",x\n9,{PERSIAN},y\n'),
        (".tsv", f"id\ttext\tsource\n7\t{ARABIC}, نعم\tx\n9\t{PERSIAN}\ty\n"),
        (".jsonl", "\n".join(json.dumps({"id": i, "text": t, "source": s}, ensure_ascii=False)
                             for i, t, s in [(7, ARABIC + ", نعم", "x"), (9, PERSIAN, "y")]) + "\n"),
    ],
)
def test_tables_keep_every_other_column_as_metadata(tmp_path: Path, suffix: str, content: str) -> None:
    path = write(tmp_path / f"posts{suffix}", content)
    docs = read_corpus(path, id_col="id")
    assert docs["doc_id"].tolist() == ["7", "9"]
    assert docs["text"].tolist() == [ARABIC + ", نعم", PERSIAN]
    assert docs["source"].tolist() == ["x", "y"]


def test_parquet_and_default_row_number_ids(tmp_path: Path) -> None:
    path = tmp_path / "posts.parquet"
    pd.DataFrame({"body": [ARABIC, PERSIAN], "author": ["a", "b"]}).to_parquet(path)
    docs = read_corpus(path, text_col="body")
    assert docs["doc_id"].tolist() == ["1", "2"]
    assert docs["author"].tolist() == ["a", "b"]


def test_several_inputs_prefix_row_ids_with_their_file_name(tmp_path: Path) -> None:
    a = write(tmp_path / "a.csv", f"text\n{ARABIC}\n")
    b = write(tmp_path / "b.csv", f"text\n{PERSIAN}\n")
    assert read_corpus([a, b])["doc_id"].tolist() == ["a.csv:1", "b.csv:1"]


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", None), ("utf-8-sig", None), ("utf-16", "UTF-16"), ("cp1256", "Windows-1256")],
)
def test_encodings_are_detected_and_non_utf8_ones_reported(tmp_path: Path, encoding: str, label: str | None) -> None:
    path = write(tmp_path / "posts.csv", f"text\n{ARABIC}\n", encoding)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = read_corpus(path)
    assert docs["text"].tolist() == [ARABIC]
    messages = [str(w.message) for w in caught if issubclass(w.category, ForumminerWarning)]
    assert messages == ([f"{path}: read as {label} (detected)."] if label else [])


def test_utf8_bom_does_not_leak_into_the_first_column_name(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(codecs.BOM_UTF8 + f"text,id\n{ARABIC},1\n".encode())
    assert read_corpus(path, id_col="id")["doc_id"].tolist() == ["1"]


def test_missing_text_column_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", "id,body,date\n1,x,2024\n")
    with pytest.raises(InputError) as raised:
        read_corpus(path)
    assert str(raised.value) == f"{path}: no column 'text'. Columns are: id, body, date. Use --text-col to name the text column."


def test_spreadsheet_csv_with_semicolons_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", f"id;text;date\n1;{ARABIC}, {ARABIC};2024-01-02\n")
    with pytest.warns(ForumminerWarning, match="header line has semicolons and no comma; read as semicolon-separated"):
        frame = read_corpus(path, id_col="id")
    assert frame["text"].tolist() == [f"{ARABIC}, {ARABIC}"]
    assert frame["date"].tolist() == ["2024-01-02"]


def test_comma_csv_with_semicolons_in_its_text_stays_comma_separated(tmp_path: Path) -> None:
    path = write(tmp_path / "posts.csv", f"text,id\n{ARABIC}; {ARABIC},7\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ForumminerWarning)
        frame = read_corpus(path, id_col="id")
    assert frame["text"].tolist() == [f"{ARABIC}; {ARABIC}"]


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="looks like a binary file"):
        read_corpus(path)


def test_undecodable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("text\ncafé crème\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin.csv, line 2 \(byte offset 8\): not valid UTF-8, and the file is "
                                         "not Windows-1256 Arabic either"):
        read_corpus(path)


def test_malformed_csv_row_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", f"id,text\n1,{ARABIC}\n2,{ARABIC},extra\n3,{PERSIAN}\n")
    with pytest.raises(InputError) as raised:
        read_corpus(path)
    assert str(raised.value).startswith(f"{path}, line 3: expected 2 fields (id, text), found 3.")
    assert raised.value.row == 3


def test_unclosed_quote_is_an_error_not_a_silent_merge(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", f'id,text\n1,"{ARABIC}\n2,{PERSIAN}\n')
    with pytest.raises(InputError, match=r"data.csv, line \d+: malformed CSV"):
        read_corpus(path)


def test_bad_json_line_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "data.jsonl", '{"text": "a"}\n{"text": \n')
    with pytest.raises(InputError, match=r"data.jsonl, line 2: not valid JSON"):
        read_corpus(path)


def test_json_line_without_the_text_key_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "posts.jsonl", f'{{"text": "{ARABIC}"}}\n{{"text": null}}\n{{"body": "x", "id": 3}}\n')
    with pytest.raises(InputError) as raised:
        read_corpus(path)
    assert str(raised.value) == (f"{path}, line 3: no key 'text' in this record (its keys: body, id). "
                                 "Give every record a 'text' key (null or \"\" where it has no text).")
    path = write(tmp_path / "ids.jsonl", f'{{"text": "{ARABIC}", "id": 1}}\n{{"text": "{ARABIC}"}}\n')
    with pytest.raises(InputError, match=r"ids\.jsonl, line 2: no key 'id' \(--id-col\) in this record \(its keys: text\)\.$"):
        read_corpus(path, id_col="id")


def test_empty_file_is_a_warning_and_yields_no_documents(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.csv", "")
    with pytest.warns(ForumminerWarning, match="empty file, no documents read from it"):
        docs = read_corpus(path)
    assert len(docs) == 0
    assert docs.columns.tolist() == ["doc_id", "text"]


def test_unsupported_extension_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unsupported file type '.docx'"):
        read_corpus(write(tmp_path / "a.docx", "x"))
    with pytest.raises(InputError, match="no such file or folder"):
        read_corpus(tmp_path / "nope.csv")


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", f"id,text\n1,{ARABIC}\n1,{PERSIAN}\n")
    with pytest.raises(InputError, match="duplicate document id '1' in column 'id'"):
        read_corpus(path, id_col="id")


def test_documents_stream_lazily(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", f"text\n{ARABIC}\n{PERSIAN}\n\"broken\n")
    stream = iter_documents(path)
    assert next(stream)["text"] == ARABIC  # the broken last row has not been read yet


def test_sample_corpus_has_arabic_and_persian_documents_with_metadata() -> None:
    docs = read_corpus(SAMPLE)
    assert (docs["doc_id"].str.startswith("ar/")).sum() >= 12
    assert (docs["doc_id"].str.startswith("fa/")).sum() >= 8
    for column in ("date", "source", "url"):
        assert docs[column].replace("", None).notna().all(), column
