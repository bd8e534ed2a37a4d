from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "examples" / "stance_trends.ipynb"


def test_notebook_is_committed_without_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")


def test_notebook_uses_only_the_public_api() -> None:
    sources = [cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code"]
    imports = [line for source in sources for line in source.splitlines() if re.match(r"\s*(from|import) forumminer", line)]
    assert imports == ["import forumminer as fm"]


def test_notebook_runs_headless_and_shows_the_chart_and_the_corrected_table(tmp_path: Path) -> None:
    work = tmp_path / "examples"
    work.mkdir()
    shutil.copytree(ROOT / "corpora" / "sample", tmp_path / "corpora" / "sample")
    shutil.copy(ROOT / "examples" / "sample_gold.csv", work / "sample_gold.csv")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert [o for o in outputs if o.get("output_type") == "error"] == []

    chart_cell = next(c for c in notebook.cells if "fm.plot_trends(" in c.source)
    chart = [o for o in chart_cell.outputs if "image/png" in o.get("data", {})]
    assert len(chart) == 1 and not any("<Figure" in o.get("data", {}).get("text/plain", "") for o in chart_cell.outputs
                                       if "image/png" not in o.get("data", {}))

    summary_cell = next(c for c in notebook.cells if "fm.summarize(labeled, by='lang', gold=sheet)" in c.source)
    table = summary_cell.outputs[0]["data"]["text/html"]
    assert "<table" in table and "corrected share" in table and table.count("customer_always_right") == 2

    report_cell = next(c for c in notebook.cells if c.source.strip() == "overall")
    report = report_cell.outputs[0]["data"]["text/html"]
    assert report.startswith('<div class="forumminer-summary">') and "Key points" in report  # the summary, as HTML

    written = sorted(p.name for p in (work / "notebook-output").iterdir())
    assert written == ["labeled.csv", "labeled.csv.meta.json", "labeled.parquet", "sheet.csv", "summary.md", "trends.csv"]
    assert (work / "notebook-output" / "summary.md").read_text(encoding="utf-8").startswith("# Stance summary")
    assert (work / "notebook-output" / "labeled.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    sidecar = json.loads((work / "notebook-output" / "labeled.csv.meta.json").read_text(encoding="utf-8"))
    assert sidecar["model"]["id"] == "stance-default" and len(sidecar["model"]["sha256"]) == 64
