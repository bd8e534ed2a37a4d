"""The whole job in one call: read → label → summarize → trends, with every file written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from .summary.report import Summary

SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "sample"
DEMO_FREQ = "Q"


@dataclass
class DemoResult:
    """What :func:`run_demo` produced: the tables and the files it wrote."""

    labeled: "pd.DataFrame"
    summary: "Summary"
    trends: "pd.DataFrame"
    files: dict[str, Path]

    def _repr_html_(self) -> str:
        """In a notebook: the files written, the trend chart and the summary."""
        import base64
        import html

        files = "".join(f"<li><code>{html.escape(str(path))}</code></li>" for path in self.files.values())
        chart = self.files.get("trends.png")
        image = (f'<img alt="Stance trends" style="max-width:100%" src="data:image/png;base64,'
                 f'{base64.b64encode(chart.read_bytes()).decode("ascii")}">' if chart and chart.is_file() else "")
        return (f"<p>Labeled {len(self.labeled)} passages; files:</p><ul>{files}</ul>{image}"
                + self.summary._repr_html_())


def run_demo(output_dir: str | Path = "forumminer-demo", *, corpus: str | Path | None = None,
             freq: str = DEMO_FREQ) -> DemoResult:
    """Label a corpus (the bundled sample by default), summarize it and chart its trends.

    Writes labeled.csv, summary.md, summary.html, trends.csv and trends.png, each with its
    ``.meta.json`` sidecar, into ``output_dir``.

    >>> result = run_demo("demo")  # doctest: +SKIP
    >>> result.labeled["stance"].value_counts()  # doctest: +SKIP
    """
    from .atomic import check_writable, write_bytes_atomically
    from .export import write_sidecar, write_table
    from .stance.labeling import label
    from .stance.linear import model_info
    from .summary.plots import plot_trends, save_figure
    from .summary.report import summarize, to_html, to_markdown
    from .summary.trends import trends

    corpus = Path(corpus) if corpus is not None else SAMPLE_CORPUS
    if not corpus.exists():
        raise InputError(f"{corpus}: the sample corpus is not here (it ships with the source checkout). "
                         "Give a corpus with --corpus PATH.", path=corpus)
    out = Path(output_dir)
    files = {name: out / name for name in ("labeled.csv", "summary.md", "summary.html", "trends.csv", "trends.png")}
    check_writable(files["labeled.csv"])  # before the work, not after it

    labeled = label(corpus)
    model = model_info()
    write_table(labeled, files["labeled.csv"])
    write_sidecar(files["labeled.csv"], options={"level": "passage"}, inputs=[corpus], model=model,
                  row_counts={"passages": len(labeled), "documents": int(labeled["doc_id"].nunique())})

    trend_table = trends(labeled, date_col="date", freq=freq)
    write_table(trend_table, files["trends.csv"])
    write_sidecar(files["trends.csv"], options={"date_col": "date", "freq": freq}, inputs=[files["labeled.csv"]],
                  model=model, row_counts={"rows": len(trend_table), "undated": int(trend_table.attrs.get("undated", 0))})
    figure = plot_trends(trend_table, title="Stance on 'is the customer always right?' — sample corpus")
    save_figure(figure, files["trends.png"])

    summary = summarize(labeled)
    write_bytes_atomically(files["summary.md"], to_markdown(summary).encode("utf-8"))
    write_bytes_atomically(files["summary.html"], to_html(summary, plot_png=files["trends.png"].read_bytes()).encode("utf-8"))
    for name in ("trends.png", "summary.md", "summary.html"):
        write_sidecar(files[name], options={"freq": freq}, inputs=[files["labeled.csv"]], model=model,
                      row_counts={"passages": len(labeled)})
    return DemoResult(labeled=labeled, summary=summary, trends=trend_table, files=files)
