from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forumminer
from forumminer.cli import main
from forumminer.errors import ParameterError
from forumminer.stance.labeling import OTHER_LANGUAGE, PROBABILITY_COLUMNS

from .conftest import SAMPLE

ADDED = ["doc_id", "passage_id", "lang", "stance", "confidence", *PROBABILITY_COLUMNS, "cues", "skip_reason"]


def test_label_passages_keeps_input_columns_and_adds_labels(quick_model) -> None:
    docs = pd.DataFrame({"post": ["الزبون ملك\nهمیشه حق با مشتری نیست", "Terms of service apply."],
                         "source": ["a.example", "b.example"]})
    table = forumminer.label(docs, text_col="post", model=quick_model)
    assert set(ADDED) | {"post", "source"} <= set(table.columns)
    assert table["post"].tolist() == ["الزبون ملك", "همیشه حق با مشتری نیست", "Terms of service apply."]
    labeled = table.iloc[:2]
    np.testing.assert_allclose(labeled[PROBABILITY_COLUMNS].sum(axis=1), 1.0)
    assert (labeled["confidence"] == labeled[PROBABILITY_COLUMNS].max(axis=1)).all()
    other = table.iloc[2]
    assert (other["stance"], other["skip_reason"], other["p_none"]) == ("none", OTHER_LANGUAGE, 1.0)


def test_list_of_strings_is_labeled_in_order(quick_model) -> None:
    table = forumminer.label(["العميل ليس دائما على حق", "شكرا جزيلا"], model=quick_model)
    assert table["doc_id"].tolist() == ["1", "2"]
    assert table["stance"].tolist()[1] == "none"


TEXTS = st.one_of(st.none(), st.just(""), st.sampled_from([
    "العميل ليس دائما على حق.\nلكن الاحترام واجب.", "مشتری همیشه حق دارد", "Hello there", "شكرا",
    "بستگی داره\n\nواقعا نسبیه", "   ",
]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEXTS, min_size=1, max_size=6))
def test_document_level_keeps_every_document_in_order(quick_model, texts: list[str | None]) -> None:
    docs = pd.DataFrame({"id": [f"doc{i}" for i in range(len(texts))][::-1], "text": texts})
    table = forumminer.label(docs, id_col="id", level="document", model=quick_model)
    assert table["doc_id"].tolist() == docs["id"].tolist()
    assert table["id"].tolist() == docs["id"].tolist()
    empty = docs["text"].fillna("").str.strip() == ""
    assert table.loc[empty.to_numpy(), "stance"].isna().all()
    assert (table.loc[empty.to_numpy(), "skip_reason"] == "empty document").all()
    assert table.loc[~empty.to_numpy(), "stance"].isin(forumminer.stance.LABELS).all()


def test_document_in_another_language_says_why_it_is_none(quick_model) -> None:
    table = forumminer.label(["Hello world, nothing to see.", "الزبون ملك"], model=quick_model, level="document")
    assert table["skip_reason"].fillna("(missing)").tolist() == [OTHER_LANGUAGE, "(missing)"]
    assert table["stance"].tolist()[0] == "none"


def test_document_stance_sums_probabilities_of_stance_bearing_passages(quick_model) -> None:
    text = "الزبون ملك ولازم نرضيه بأي ثمن\nشكرا على الموضوع\nسلام عليكم"
    passages = forumminer.label([text], model=quick_model)
    document = forumminer.label([text], model=quick_model, level="document").iloc[0]
    bearing = passages[passages["stance"] != "none"]
    expected = bearing[PROBABILITY_COLUMNS[:3]].sum().idxmax().removeprefix("p_") if len(bearing) else "none"
    assert document["stance"] == expected
    assert document["n_passages"] == 3


def test_label_cli_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "labeled.csv"
    result = CliRunner().invoke(main, ["label", str(SAMPLE), "-o", str(out), "--level", "document"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False)
    assert len(table) == 22
    assert set(ADDED) - {"passage_id"} <= set(table.columns)


def test_label_console_script_as_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "labeled.jsonl"
    script = Path(sys.executable).with_name("forumminer")
    result = subprocess.run([str(script), "label", str(SAMPLE), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    table = pd.read_json(out, lines=True)
    assert table["passage_id"].is_unique
    assert table["stance"].isin(forumminer.stance.LABELS).all()
    assert "passages labeled" in result.stderr


def test_labeling_in_parts_gives_the_same_rows_as_at_once(quick_model) -> None:
    from forumminer.stance.labeling import iter_label

    whole = forumminer.label(SAMPLE, model=quick_model)
    parts = list(iter_label(SAMPLE, model=quick_model, chunk_documents=5))
    assert len(parts) == 5  # 22 documents in parts of 5
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)


def test_streamed_csv_is_byte_identical_to_a_whole_write(tmp_path: Path, quick_model) -> None:
    from forumminer.export import TableWriter, write_table
    from forumminer.stance.labeling import iter_label

    whole, streamed = tmp_path / "whole.csv", tmp_path / "streamed.csv"
    write_table(forumminer.label(SAMPLE, model=quick_model), whole, excel=True)
    with TableWriter(streamed, excel=True) as writer:
        for part in iter_label(SAMPLE, model=quick_model, chunk_documents=4):
            writer.write(part)
    assert streamed.read_bytes() == whole.read_bytes()


def test_streamed_parquet_reads_back_as_the_whole_table(tmp_path: Path, quick_model) -> None:
    from forumminer.export import TableWriter
    from forumminer.stance.labeling import iter_label

    out = tmp_path / "streamed.parquet"
    with TableWriter(out) as writer:
        for part in iter_label(SAMPLE, model=quick_model, chunk_documents=6):
            writer.write(part)
    whole = forumminer.label(SAMPLE, model=quick_model)
    pd.testing.assert_frame_equal(pd.read_parquet(out), whole)


def test_labeling_never_imports_torch() -> None:
    code = ("import sys, forumminer; forumminer.label(['الزبون ملك', 'همیشه حق با مشتری نیست']); "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_min_confidence_marks_uncertain_rows_and_keeps_them(quick_model) -> None:
    texts = ["الزبون ملك ولازم نرضيه بأي ثمن", "شكرا جزيلا", "همیشه حق با مشتری نیست", "Hello there."]
    plain = forumminer.label(texts, model=quick_model)
    marked = forumminer.label(texts, model=quick_model, min_confidence=0.6)
    after = list(plain.columns).index("confidence") + 1
    assert list(marked.columns) == [*plain.columns[:after], "uncertain", *plain.columns[after:]]
    pd.testing.assert_frame_equal(marked.drop(columns="uncertain"), plain)
    assert marked["uncertain"].tolist() == (plain["confidence"] < 0.6).tolist()


def test_min_confidence_outside_0_1_is_refused() -> None:
    result = CliRunner().invoke(main, ["label", str(SAMPLE), "-o", "-", "--min-confidence", "1.5"])
    assert result.exit_code == 2
    assert "Invalid value for '--min-confidence': 1.5 is not in the range 0<=x<=1." in result.stderr
    with pytest.raises(ParameterError, match="min_confidence must be between 0 and 1; got -0.1."):
        forumminer.label(["الزبون ملك"], min_confidence=-0.1)


def test_a_list_of_long_passages_is_text_not_file_names(quick_model) -> None:
    long_passage = "الزبون ليس دائما على حق " * 20  # 100 words, longer than any file name may be
    table = forumminer.label([long_passage], model=quick_model)
    assert table["doc_id"].tolist() == ["1"] and table["stance"].iloc[0] in forumminer.stance.LABELS


def test_model_in_workers_gives_the_model_s_own_probabilities_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from forumminer.stance.labeling import ModelInWorkers
    from forumminer.stance.linear import resolve_model

    monkeypatch.setattr("forumminer.stance.labeling.CHUNK_TEXTS", 3)  # several chunks: real worker processes
    model = resolve_model(None)
    texts = ["العميل ليس دائما على حق", "مشتری همیشه حق دارد", "شكرا لكم", "بستگی دارد", "الزبون ملك",
             "قرارداد را رعایت کن", "مرحبا بالجميع"]
    in_workers = ModelInWorkers(model, workers=2)
    assert np.array_equal(in_workers.predict_proba(texts), model.predict_proba(texts))
    assert list(in_workers.predict(texts)) == list(model.predict(texts))
    assert in_workers.predict_proba([]).shape == (0, len(model.classes_))
