"""The ``forumminer`` command line: a thin shell over the public API.

Every command parses its options, calls one library function and writes the result. Our own
errors become one ``Error: ...`` line on stderr and exit status 1; bad option values are usage
errors (exit status 2). Ctrl-C exits with status 130 and SIGTERM with 143; outputs are written
atomically, so neither leaves a half-written file at an output path.
"""

from __future__ import annotations

import codecs
import signal
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from .errors import ForumminerError, InputError
from .stance import MODE_HELP

LANG_CHOICE = click.Choice(["ar", "fa", "auto"])
INTERRUPTED = 130  # 128 + SIGINT, as shells report it
TERMINATED = 143  # 128 + SIGTERM


class _Terminated(BaseException):
    """Raised by the SIGTERM handler so that writers clean up as they do for Ctrl-C."""


def _terminate(signum: int, frame: Any) -> None:
    raise _Terminated()


class _Group(click.Group):
    """Turns ForumminerError into one line on stderr, shows our warnings as ``Warning: ...`` and
    exits 130 on Ctrl-C and 143 on SIGTERM."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            previous = _handle_sigterm()
            try:
                return super().invoke(ctx)
            except ForumminerError as error:
                click.echo(f"Error: {self._message(ctx, error)}", err=True)
                ctx.exit(1)
            except KeyboardInterrupt:
                click.echo("Error: interrupted; no output was written or changed.", err=True)
                ctx.exit(INTERRUPTED)
            except _Terminated:
                click.echo("Error: terminated; no output was written or changed.", err=True)
                ctx.exit(TERMINATED)
            finally:
                if previous is not None:
                    signal.signal(signal.SIGTERM, previous)


    def _message(self, ctx: click.Context, error: ForumminerError) -> str:
        """The error's first line; one about a parameter (``"by: no column ..."``, as the Python
        API words it) names the command's option instead (``"--by: no column ..."``)."""
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        name = getattr(error, "name", None)
        command = self.get_command(ctx, ctx.invoked_subcommand or "")
        if isinstance(name, str) and message.startswith(f"{name}: ") and command is not None:
            option = next((p for p in command.params if isinstance(p, click.Option) and p.name == name), None)
            if option is not None:
                return f"{max(option.opts, key=len)}: {message[len(name) + 2:]}"
        return message


def _handle_sigterm() -> Any:
    try:
        return signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    from .errors import ForumminerWarning

    if issubclass(category, ForumminerWarning):
        click.echo(f"Warning: {message}", err=True)
    else:  # warnings of other libraries stay out of the user's way unless asked for
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forumminer")
def main() -> None:
    """Mine Arabic and Persian discussions: who argues what about "is the customer always right?".

    \b
    Example:
      forumminer label corpora/sample -o labeled.csv
      forumminer passages corpora/sample -o passages.csv
      echo "العَمِيلُ دائماً على حقّ" | forumminer normalize
    """


def _output_options(func: Any) -> Any:
    func = click.option("--excel", is_flag=True,
                        help="CSV for spreadsheets: UTF-8 with BOM, cells that look like formulas defused.")(func)
    func = click.option("-o", "--output", required=True,
                        help="Output table: .csv, .tsv, .jsonl or .parquet; - for CSV on stdout.")(func)
    return func


def _check_output(output: str | Path, inputs: list[Path]) -> None:
    """Refuse, before any work, an output that is one of the inputs or cannot be written."""
    from .atomic import check_writable

    if str(output) == "-":
        return
    target = Path(output).resolve()
    for source in inputs:
        if str(source) != "-" and Path(source).resolve() == target:
            raise InputError(f"{output}: the output is also an input; write to another file.", path=output)
    check_writable(output)


def _encoding_options(func: Any) -> Any:
    func = click.option("--errors", "decode_errors", type=click.Choice(["strict", "replace"]), default="strict",
                        show_default=True,
                        help="replace: read undecodable bytes as U+FFFD (and say how many) instead of stopping.")(func)
    func = click.option("--encoding", default=None,
                        help="Read inputs in this encoding (e.g. cp1256, utf-16-le) instead of detecting it.")(func)
    return func


def _write_output(table: Any, output: str, *, excel: bool, inputs: list[Path], options: dict[str, Any],
                  model: dict[str, Any] | None = None, row_counts: dict[str, int] | None = None) -> None:
    """Write a result table and, for files, its NAME.meta.json sidecar."""
    from .export import write_sidecar, write_table

    write_table(table, output, excel=excel)
    if output != "-":
        write_sidecar(output, options={**options, "excel": excel}, inputs=list(inputs), model=model,
                      row_counts=row_counts or {"rows": len(table)})


def _workers_option(func: Any) -> Any:
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Worker processes, each with its own copy of the work's tools (default: all cores). "
                             "The output is the same, in the same order, with any number.")(func)


def _input_options(func: Any) -> Any:
    func = click.option("--id-col", default=None, help="Column of the document id (tables; default: row number).")(func)
    func = click.option("--text-col", default="text", show_default=True, help="Column holding the text (tables).")(func)
    return func


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@_output_options
@_input_options
@_encoding_options
@click.option("--max-words", default=120, show_default=True, type=click.IntRange(min=1),
              help="Split longer paragraphs at sentence boundaries.")
@click.option("--unit", type=click.Choice(["auto", "line", "paragraph"]), default="auto", show_default=True,
              help="Passage unit: one per line (forum exports), per paragraph, or auto.")
@_workers_option
def passages(inputs: tuple[Path, ...], output: str, excel: bool, text_col: str, id_col: str | None,
             encoding: str | None, decode_errors: str, max_words: int, unit: str, workers: int | None) -> None:
    """Cut corpora into passages with their provenance and language.

    INPUTS are folders of .txt files (with an optional metadata.csv), or .txt, .csv, .tsv,
    .jsonl and .parquet files; - reads a CSV table from standard input.

    \b
    Example:
      forumminer passages corpora/sample -o passages.csv
      forumminer passages posts.csv --text-col body --id-col post_id -o passages.parquet
      forumminer passages dump.csv --workers 2 -o passages.parquet
    """
    from .export import table_format
    from .io.readers import iter_documents
    from .text.passages import passages as cut_passages

    table_format(output)
    _check_output(output, list(inputs))
    documents = _progress(iter_documents(inputs, text_col=text_col, id_col=id_col, encoding=encoding,
                                         errors=decode_errors), "documents")
    table = cut_passages(documents, max_words=max_words, unit=unit, workers=workers)
    _write_output(table, output, excel=excel, inputs=list(inputs),
                  options={"command": "passages", "text_col": text_col, "id_col": id_col, "max_words": max_words,
                           "unit": unit},
                  row_counts={"passages": len(table), "documents": int(table["doc_id"].nunique())})
    if output != "-":
        click.echo(f"{_count(len(table), 'passage')} from {_count(table['doc_id'].nunique(), 'document')} -> {output}",
                   err=True)


@main.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--lang", type=LANG_CHOICE, default="auto", show_default=True, help="Language, or auto to detect per line.")
@_encoding_options
def normalize(file: Path, lang: str, encoding: str | None, decode_errors: str) -> None:
    """Normalize text line by line (Arabic: camel-tools, Persian: hazm).

    \b
    Example:
      echo "العَمِيلُ دائماً على حقّ" | forumminer normalize
      forumminer normalize --lang fa comments.txt > comments.norm.txt
    """
    from .text.normalize import normalize as normalize_text

    for line in _input_lines(file, encoding=encoding, errors=decode_errors):
        click.echo(normalize_text(line, lang=lang))


@main.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--lang", type=LANG_CHOICE, default="auto", show_default=True, help="Language, or auto to detect per line.")
@click.option("--sentences", "by_sentence", is_flag=True, help="Print one sentence per line instead of tokens.")
@_encoding_options
def tokenize(file: Path, lang: str, by_sentence: bool, encoding: str | None, decode_errors: str) -> None:
    """Tokenize text line by line: tokens separated by spaces, one input line per output line.

    \b
    Example:
      echo "من می‌خواهم بروم." | forumminer tokenize
      forumminer tokenize --sentences article.txt
    """
    from .text.segment import sentences
    from .text.tokenize import tokenize as tokenize_text

    for line in _input_lines(file, encoding=encoding, errors=decode_errors):
        if by_sentence:
            for sentence in sentences(line, lang=lang):
                click.echo(sentence)
        else:
            click.echo(" ".join(tokenize_text(line, lang=lang)))


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@_output_options
@_input_options
@_encoding_options
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help=f"default, accurate, or a model file from 'forumminer train' (default: default). {MODE_HELP}.")
@click.option("--level", type=click.Choice(["passage", "document"]), default="passage", show_default=True,
              help="One row per passage, or one per input document.")
@click.option("--max-words", default=120, show_default=True, type=click.IntRange(min=1),
              help="Split longer paragraphs at sentence boundaries.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Add an 'uncertain' column, true where the label's confidence is below this (accurate mode: "
                   "how likely the label is right on real web passages; default mode: the label's "
                   "probability). Every row keeps its label and probabilities; leave the uncertain ones out to "
                   "trade coverage for precision ('forumminer evaluate' prints the trade-off).")
@_workers_option
@click.option("--dask", "dask_scheduler", default=None, metavar="SCHEDULER_ADDRESS|local",
              help="Label on a Dask cluster (host:port of its scheduler, or local for one on this machine); "
                   "INPUTS are then CSV/TSV files or globs, or Parquet files and folders. Needs forumminer[dask].")
def label(inputs: tuple[Path, ...], output: str, excel: bool, text_col: str, id_col: str | None, encoding: str | None,
          decode_errors: str, model_path: Path | None, level: str, max_words: int, min_confidence: float | None,
          workers: int | None, dask_scheduler: str | None) -> None:
    """Label the stance of every passage (or document) of corpora.

    Adds doc_id, passage_id, lang, stance, confidence, p_customer_always_right, p_balanced,
    p_boundary_setting, p_none, cues and skip_reason to every input column (an input column of
    the same name keeps it: ours is then written as fm_NAME). Rows in equals rows out at
    --level document. - reads a CSV table from standard input.

    \b
    Example:
      forumminer label corpora/sample -o labeled.csv
      forumminer label posts.csv --text-col body --id-col post_id --level document -o docs.parquet
      forumminer label corpora/sample --model accurate --min-confidence 0.6 -o labeled.csv
      forumminer label dump.csv --workers 2 -o labeled.parquet
      forumminer label 'dump/part-*.csv' --dask scheduler-host:8786 -o labeled.parquet
    """
    from collections import Counter

    from .stance.labeling import iter_label

    _check_output(output, [*inputs, *([model_path] if model_path else [])])
    counts: Counter[str] = Counter()
    if dask_scheduler:
        from .stance.distributed import expand_globs

        inputs = tuple(expand_globs(inputs))
        parts = _dask_parts(inputs, dask_scheduler, text_col=text_col, id_col=id_col, level=level,
                            model_path=model_path, max_words=max_words)
    else:  # called before the writer's imports: worker processes get ready meanwhile
        parts = iter_label(list(inputs), text_col=text_col, id_col=id_col, level=level, model=model_path,
                           max_words=max_words, encoding=encoding, errors=decode_errors,
                           min_confidence=min_confidence, workers=workers)
    from .export import TableWriter, write_sidecar
    from .stance.linear import model_info

    with TableWriter(output, excel=excel) as writer:  # written part by part: memory stays flat
        for part in parts:
            writer.write(part)
            stances = part["fm_stance" if "fm_stance" in part.columns else "stance"]
            counts.update(stances.to_numpy(dtype=object, na_value="skipped"))  # not the Series: 10x slower to iterate
    if output != "-":
        write_sidecar(output, inputs=list(inputs), model=model_info(model_path),
                      options={"command": "label", "text_col": text_col, "id_col": id_col, "level": level,
                               "max_words": max_words, "min_confidence": min_confidence, "excel": excel},
                      row_counts={f"{level}s": writer.rows, **dict(counts.most_common())})
        click.echo(f"{_count(writer.rows, level)} labeled -> {output}", err=True)
        if counts:
            click.echo("  " + ", ".join(f"{name}: {count}" for name, count in counts.most_common()), err=True)


def _dask_parts(inputs: tuple[Path, ...], scheduler: str, *, model_path: Path | None, **options: Any) -> Iterator[Any]:
    """The labeled partitions of INPUTS, computed on a Dask cluster, in order."""
    from .stance.distributed import connect, iter_computed, label_dask, read_dask

    documents = read_dask(list(inputs), text_col=options["text_col"], id_col=options["id_col"])
    with connect(scheduler) as client:
        frame = label_dask(documents, model=model_path, **options)
        yield from iter_computed(frame, client)


@main.command()
@click.argument("labeled", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Model file to write (.npz).")
@click.option("--text-col", default="text", show_default=True, help="Column holding the passage text.")
@click.option("--label-col", default="label", show_default=True,
              help="Column holding the label: customer_always_right, balanced, boundary_setting or none.")
@click.option("--cv", default=5, show_default=True, type=click.IntRange(min=0),
              help="Folds of cross-validation recorded in the model (0: none).")
@click.option("--group-col", default=None,
              help="Keep rows sharing this column's value (e.g. doc, the page) in one CV fold.")
@click.option("--base", default=None,
              help="Adapt this model ('default': the shipped one, or a model file) to LABELED, a filled-in "
                   "labeling sheet (its gold column), instead of training from scratch.")
@click.option("--weight", default=None, type=click.FloatRange(min=0, min_open=True),
              help="With --base: how much each hand label counts against the base model's weights (default 1).")
@click.option("--holdout", default=0.2, show_default=True, type=click.FloatRange(0, 1, max_open=True),
              help="With --base: share of the sheet's documents kept out and scored with both models.")
def train(labeled: tuple[Path, ...], output: Path, text_col: str, label_col: str, cv: int,
          group_col: str | None, base: str | None, weight: float | None, holdout: float) -> None:
    """Train a stance model on labeled passages (tables, or folders of them), or adapt the shipped
    model to your hand labels with --base default.

    \b
    Example:
      forumminer train corpora/stance --group-col doc -o my-model.npz
      forumminer train my_labels.csv --text-col body --label-col stance -o my-model.npz
      forumminer train --base default sheet.csv -o adapted.npz
    """
    from .stance.model import save_model
    from .stance.training import train as train_model

    _check_output(output, list(labeled))
    if base is not None:
        if len(labeled) != 1:
            raise click.UsageError("--base adapts a model to one labeled sheet; give one file.")
        model = train_model(labeled[0], text_col=text_col, label_col=label_col, base=base, weight=weight,
                            holdout=holdout)
        save_model(model, output)
        click.echo(f"adapted {base} to {model.metadata_['adapted']['rows']} hand labels -> {output}", err=True)
        if "holdout" in model.metadata_:
            held = model.metadata_["holdout"]
            click.echo(f"held-out {held['rows']} passages: stance macro-F1 {held['base']['stance_macro_f1']:.3f} "
                       f"(base) -> {held['adapted']['stance_macro_f1']:.3f} (adapted)", err=True)
        return
    model = train_model(list(labeled), text_col=text_col, label_col=label_col, cv=cv or None, group_col=group_col)
    save_model(model, output)
    rows = sum(model.metadata_["training_rows"].values())
    click.echo(f"trained on {rows} passages -> {output}", err=True)
    if "cv" in model.metadata_:
        scores = model.metadata_["cv"]
        click.echo(f"{cv}-fold CV: stance macro-F1 {scores['stance_macro_f1']:.3f}, none-F1 {scores['all']['none_f1']:.3f}", err=True)


@main.command()
@click.argument("labeled", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help="default, accurate, or a model file to score (default: default).")
@click.option("--cv", default=None, type=click.IntRange(min=2),
              help="Cross-validate fresh models with the model's settings on LABELED instead.")
@click.option("--group-col", default=None,
              help="With --cv: keep rows sharing this column's value (e.g. doc, the page) in one fold.")
@click.option("--text-col", default="text", show_default=True, help="Column holding the passage text.")
@click.option("--label-col", default="label", show_default=True, help="Column holding the gold label.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def evaluate(labeled: tuple[Path, ...], model_path: Path | None, cv: int | None, group_col: str | None,
             text_col: str, label_col: str, as_json: bool) -> None:
    """Score a stance model on labeled passages: per-label precision, recall and F1, stance
    macro-F1 with a bootstrap 95% interval, none-F1, per language, the confusion matrix, and the
    coverage/precision curve (precision when only the most confident passages are kept).

    \b
    Example:
      forumminer evaluate my_labels.csv
      forumminer evaluate corpora/stance --cv 5 --group-col doc --json
    """
    import json

    from .stance.training import evaluate as evaluate_model

    if group_col and not cv:
        raise click.UsageError("--group-col only applies with --cv.")
    result = evaluate_model(list(labeled), model=model_path, cv=cv, group_col=group_col, text_col=text_col,
                            label_col=label_col)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if as_json else str(result))


@main.command()
@click.argument("labeled", type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", required=True, help="Sheet to write: .csv (for Excel: BOM, formulas defused), .tsv, ...")
@click.option("-n", "n", default=200, show_default=True, type=click.IntRange(min=1),
              help="Passages to draw (per value of --by).")
@click.option("--by", default=None, help="Draw -n passages per value of this column (lang, source, ...).")
@click.option("--strategy", type=click.Choice(["random", "uncertain"]), default="random", show_default=True,
              help="random: a random sample, for corrected shares (summarize/trends --gold). uncertain: the "
                   "passages the model hesitates on, for adapting the model (train --base) only.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed: the same seed draws the same sheet.")
@_encoding_options
def sample(labeled: Path, output: str, n: int, by: str | None, strategy: str, seed: int, encoding: str | None,
           decode_errors: str) -> None:
    """Draw passages of a labeled table for labeling by hand: a sheet with an empty gold column,
    and the label definitions beside it (SHEET.labels.csv).

    Fill in gold with customer_always_right, balanced, boundary_setting or none, then correct
    shares and trends with --gold SHEET (random sheets), or adapt the model with train --base
    default SHEET.

    \b
    Example:
      forumminer sample labeled.csv -n 100 --by lang -o sheet.csv
      forumminer sample labeled.csv -n 200 --strategy uncertain -o to_train.csv
    """
    import pandas as pd

    from .export import table_format, write_sidecar, write_table
    from .io.readers import read_table
    from .summary.sampling import LABEL_DEFINITIONS
    from .summary.sampling import sample as draw

    excel = table_format(output) in (".csv", ".tsv")
    _check_output(output, [labeled])
    sheet = draw(read_table(labeled, encoding=encoding, errors=decode_errors), n, by=by, strategy=strategy, seed=seed)
    _write_output(sheet, output, excel=excel, inputs=[labeled],
                  options={"command": "sample", "n": n, "by": by, "strategy": strategy, "seed": seed,
                           "label_definitions": LABEL_DEFINITIONS}, row_counts={"rows": len(sheet)})
    if output != "-":
        definitions = Path(output).with_suffix(".labels.csv")
        write_table(pd.DataFrame({"label": list(LABEL_DEFINITIONS), "definition": list(LABEL_DEFINITIONS.values())}),
                    definitions, excel=True)
        click.echo(f"{_count(len(sheet), 'passage')} ({strategy}) -> {output}; label definitions -> {definitions}", err=True)
        use = (f"summarize {labeled} --gold {output} -o summary.md" if strategy == "random"
               else f"train --base default {output} -o adapted.npz")
        click.echo(f"Fill in the gold column, then: forumminer {use}", err=True)


def _gold_option(func: Any) -> Any:
    return click.option("--gold", type=click.Path(path_type=Path), default=None,
                        help="A random labeling sheet (forumminer sample) with its gold column filled in: "
                             "shares corrected for the model's errors.")(func)


@main.command()
@click.argument("labeled", type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", required=True, help="Report file; - for stdout.")
@click.option("--by", default=None, help="Summarize per value of this column (doc_id, source, lang, ...).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default=None,
              help="Report format (default: from the output's extension, else md).")
@click.option("--top", default=5, show_default=True, type=click.IntRange(min=1),
              help="Key points per stance and language.")
@click.option("--min-count", default=2, show_default=True, type=click.IntRange(min=1),
              help="Distinct passages that must make a key point; 1 also shows arguments made by one passage.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help="The model that labeled the table, to score key-point sentences: default, accurate, or a "
                   "model file (default: default).")
@_gold_option
@_encoding_options
@_workers_option
def summarize(labeled: Path, output: str, by: str | None, fmt: str | None, top: int, min_count: int,
              model_path: Path | None, gold: Path | None, encoding: str | None, decode_errors: str,
              workers: int | None) -> None:
    """Summarize a labeled table: stance shares with 95% intervals, the key points of each stance
    and language (real sentences, with how many passages make them) and each stance's distinctive
    terms. HTML reports include the trend chart when the table has a date column.

    Without --gold the shares are counts of the model's labels; with --gold they are also
    corrected for the model's errors, with intervals that include them.

    \b
    Example:
      forumminer summarize labeled.csv -o summary.md
      forumminer summarize labeled.csv --by lang --gold sheet.csv -o summary.md
      forumminer summarize labeled.csv --by source --format html -o summary.html
      forumminer summarize thread-labeled.csv --min-count 1 -o summary.md
      forumminer summarize labeled-accurate.csv --model accurate -o summary.md
      forumminer summarize big-labeled.parquet --workers 2 -o summary.md
    """
    from .io.readers import read_table
    from .summary.report import summarize as summarize_table
    from .summary.report import to_html, to_json, to_markdown

    fmt = fmt or {".json": "json", ".html": "html", ".htm": "html"}.get(Path(output).suffix.lower(), "md")
    _check_output(output, [labeled])
    table = read_table(labeled, encoding=encoding, errors=decode_errors)
    summary = summarize_table(table, by=by, top=top, model=model_path, source=str(labeled), gold=gold,
                              workers=workers, min_count=min_count)
    if fmt == "html":
        from .summary.plots import trend_chart_png

        text = to_html(summary, plot_png=trend_chart_png(table))
    else:
        text = {"md": to_markdown, "json": to_json}[fmt](summary)
    _write_text(text, output)
    if output != "-":
        from .export import write_sidecar

        from .stance.linear import model_info

        options = {"command": "summarize", "by": by, "format": fmt, "top": top, "min_count": min_count, "gold": gold}
        write_sidecar(output, options=options,
                      inputs=[labeled, *([gold] if gold else [])], model=model_info(model_path),
                      row_counts={"passages": sum(g.n_passages for g in summary.groups), "groups": len(summary.groups)})


@main.command()
@click.argument("labeled", type=click.Path(path_type=Path, allow_dash=True))
@_output_options
@_encoding_options
@click.option("--date-col", default="date", show_default=True, help="Column holding each passage's date.")
@click.option("--freq", type=click.Choice(["W", "M", "Q", "Y"]), default="M", show_default=True,
              help="Period: week, month, quarter or year.")
@click.option("--by", default=None, help="Separate trends per value of this column (source, lang, ...).")
@click.option("--plot", type=click.Path(path_type=Path), default=None, help="Also draw the trend chart (.png, .pdf, .svg).")
@click.option("--years", default=None, metavar="FIRST-LAST",
              help="Plausible years; dates outside count as unusable [default: 1900 to next year].")
@_gold_option
def trends(labeled: Path, output: str, excel: bool, encoding: str | None, decode_errors: str, date_col: str, freq: str,
           by: str | None, plot: Path | None, years: str | None, gold: Path | None) -> None:
    """Count and share each stance per period (and group), from a labeled table, with 95%
    intervals (low, high) and periods with few passages flagged (small_n); with --gold also
    corrected_share, corrected_low and corrected_high from the hand labels of each period.

    Dates may be ISO, day/month/year, in Arabic-Indic or Persian digits, or Jalali; passages
    without a usable date are counted and reported, never silently dropped.

    \b
    Example:
      forumminer trends labeled.csv --date-col date --freq M -o trends.csv --plot trends.png
      forumminer trends labeled.csv --freq Q --by lang -o trends.csv
      forumminer trends labeled.csv --freq Y --gold sheet.csv -o trends.csv --plot trends.png
    """
    from .export import table_format
    from .io.readers import read_table
    from .summary.trends import trends as stance_trends

    table_format(output)
    _check_output(output, [labeled])
    if plot is not None:
        from .summary.plots import check_plot_path

        check_plot_path(plot)
        _check_output(plot, [labeled, Path(output)])
    table = stance_trends(read_table(labeled, encoding=encoding, errors=decode_errors), date_col=date_col, freq=freq,
                          by=by, gold=gold, **({"years": _year_range(years)} if years else {}))
    undated = int(table.attrs.get("undated", 0))
    _write_output(table, output, excel=excel, inputs=[labeled, *([gold] if gold else [])],
                  options={"command": "trends", "date_col": date_col, "freq": freq, "by": by, "gold": gold},
                  row_counts={"rows": len(table), "undated": undated})
    if plot is not None:
        from .export import write_sidecar
        from .summary.plots import plot_trends, save_figure

        save_figure(plot_trends(table), plot)
        write_sidecar(plot, options={"command": "trends --plot", "date_col": date_col, "freq": freq, "by": by},
                      inputs=[labeled], model=None, row_counts={"rows": len(table), "undated": undated})
    if output != "-":
        click.echo(f"{table['period'].nunique()} periods -> {output}" + (f", chart -> {plot}" if plot else ""), err=True)


@main.command()
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), default=Path("forumminer-demo"), show_default=True,
              help="Folder for the files the demo writes.")
@click.option("--corpus", type=click.Path(path_type=Path), default=None,
              help="Corpus to run on (default: the bundled sample, corpora/sample).")
def demo(output_dir: Path, corpus: Path | None) -> None:
    """Run the whole job on the sample corpus: label, summarize, trends and chart.

    \b
    Example:
      forumminer demo
      forumminer demo -o out/demo --corpus my_corpus/
    """
    from .pipeline import run_demo

    result = run_demo(output_dir, corpus=corpus)
    labeled = result.labeled[result.labeled["skip_reason"].fillna("") == ""]
    shares = labeled.groupby("lang")["stance"].value_counts(normalize=True).unstack(fill_value=0)
    click.echo(f"Labeled {_count(len(result.labeled), 'passage')} from "
               f"{_count(result.labeled['doc_id'].nunique(), 'document')}.")
    click.echo("\nStance shares by language:")
    click.echo((shares * 100).round(1).to_string(float_format=lambda v: f"{v:.1f}%"))
    click.echo("\nFiles:")
    for path in result.files.values():
        click.echo(f"  {path}")


def _year_range(years: str) -> tuple[int, int]:
    first, _, last = years.partition("-")
    if not (first.strip().isdigit() and last.strip().isdigit()) or int(first) > int(last):
        raise click.BadParameter(f"{years!r}: give two years, the first not after the second, e.g. 1990-2025.",
                                 param_hint="--years")
    return int(first), int(last)


def _write_text(text: str, output: str) -> None:
    if output == "-":
        click.echo(text, nl=False)
        return
    from .atomic import write_bytes_atomically

    write_bytes_atomically(output, text.encode("utf-8"))
    click.echo(f"-> {output}", err=True)


def _input_lines(file: Path, *, encoding: str | None, errors: str) -> Iterator[str]:
    """Lines of FILE (or stdin for -) without their line ends, in the file's detected encoding
    (stdin: UTF-8, or ``encoding``), streamed."""
    from .io.encoding import check_encoding_options, open_text

    check_encoding_options(encoding, errors)
    if str(file) == "-":
        yield from _stdin_lines(encoding or "utf-8", errors)
        return
    if not file.exists():
        raise click.BadParameter(f"{file}: no such file.", param_hint="FILE")
    if not file.is_file():
        raise InputError(f"{file}: not a regular file; give a text file or pipe the text to standard input.", path=file)
    with open_text(file, encoding=encoding, errors=errors) as handle:
        yield from (line.rstrip("\r\n") for line in handle)


def _stdin_lines(encoding: str, errors: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace" if errors == "replace" else "strict")
    offset = 0
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = decoder.decode(raw)
        except UnicodeDecodeError as error:
            raise InputError(f"<stdin>, line {number} (byte offset {offset + error.start}): not valid {encoding}. "
                             "Pipe UTF-8 text, or pass --encoding or --errors replace.", row=number) from error
        offset += len(raw)
        yield line.rstrip("\r\n")


def _progress(items: Iterator[Any], unit: str) -> Iterator[Any]:
    """Wrap ``items`` in a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return iter(tqdm(items, unit=f" {unit}", file=sys.stderr, leave=False))


def _count(n: int, noun: str) -> str:
    """``"1 passage"``, ``"2 passages"``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
