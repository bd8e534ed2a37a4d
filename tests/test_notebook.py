from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "examples" / "stance_trends.ipynb"


def test_notebook_is_committed_without_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")


def test_notebook_runs_headless(tmp_path: Path) -> None:
    work = tmp_path / "examples"
    work.mkdir()
    shutil.copytree(ROOT / "corpora" / "sample", tmp_path / "corpora" / "sample")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    written = sorted(p.name for p in (work / "notebook-output").iterdir())
    assert written == ["labeled.csv", "labeled.csv.meta.json", "labeled.parquet", "summary.md"]
    assert (work / "notebook-output" / "labeled.csv").read_bytes().startswith(b"\xef\xbb\xbf")
