"""The ``forumminer`` command line: a thin shell over the public API.

Every command parses its options, calls one library function and writes the result. Our own
errors become one ``Error: ...`` line on stderr and exit status 1; bad option values are usage
errors (exit status 2).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from .errors import ForumminerError

LANG_CHOICE = click.Choice(["ar", "fa", "auto"])


class _Group(click.Group):
    """Turns ForumminerError into one line on stderr and shows our warnings as ``Warning: ...``."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except ForumminerError as error:
                click.echo(f"Error: {error}", err=True)
                ctx.exit(1)


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    from .errors import ForumminerWarning

    if issubclass(category, ForumminerWarning):
        click.echo(f"Warning: {message}", err=True)
    else:  # warnings of other libraries stay out of the user's way unless asked for
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forumminer")
def main() -> None:
    """Mine Arabic and Persian discussions: passages, language, normalization and tokens.

    \b
    Example:
      forumminer passages corpora/sample -o passages.csv
      echo "العَمِيلُ دائماً على حقّ" | forumminer normalize
    """


def _input_options(func: Any) -> Any:
    func = click.option("--id-col", default=None, help="Column of the document id (tables; default: row number).")(func)
    func = click.option("--text-col", default="text", show_default=True, help="Column holding the text (tables).")(func)
    return func


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, help="Output table: .csv, .tsv, .jsonl or .parquet; - for CSV on stdout.")
@_input_options
@click.option("--max-words", default=120, show_default=True, type=click.IntRange(min=1),
              help="Split longer paragraphs at sentence boundaries.")
@click.option("--unit", type=click.Choice(["auto", "line", "paragraph"]), default="auto", show_default=True,
              help="Passage unit: one per line (forum exports), per paragraph, or auto.")
def passages(inputs: tuple[Path, ...], output: str, text_col: str, id_col: str | None, max_words: int, unit: str) -> None:
    """Cut corpora into passages with their provenance and language.

    INPUTS are folders of .txt files (with an optional metadata.csv), or .txt, .csv, .tsv,
    .jsonl and .parquet files.

    \b
    Example:
      forumminer passages corpora/sample -o passages.csv
      forumminer passages posts.csv --text-col body --id-col post_id -o passages.parquet
    """
    from .io.readers import iter_documents
    from .io.writers import table_format, write_table
    from .text.passages import passages as cut_passages

    table_format(output)
    documents = _progress(iter_documents(inputs, text_col=text_col, id_col=id_col), "documents")
    table = cut_passages(documents, max_words=max_words, unit=unit)
    write_table(table, output)
    if output != "-":
        click.echo(f"{len(table)} passages from {table['doc_id'].nunique()} documents -> {output}", err=True)


@main.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--lang", type=LANG_CHOICE, default="auto", show_default=True, help="Language, or auto to detect per line.")
def normalize(file: Path, lang: str) -> None:
    """Normalize text line by line (Arabic: camel-tools, Persian: hazm).

    \b
    Example:
      echo "العَمِيلُ دائماً على حقّ" | forumminer normalize
      forumminer normalize --lang fa comments.txt > comments.norm.txt
    """
    from .text.normalize import normalize as normalize_text

    for line in _input_lines(file):
        click.echo(normalize_text(line, lang=lang))


@main.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--lang", type=LANG_CHOICE, default="auto", show_default=True, help="Language, or auto to detect per line.")
@click.option("--sentences", "by_sentence", is_flag=True, help="Print one sentence per line instead of tokens.")
def tokenize(file: Path, lang: str, by_sentence: bool) -> None:
    """Tokenize text line by line: tokens separated by spaces, one input line per output line.

    \b
    Example:
      echo "من می‌خواهم بروم." | forumminer tokenize
      forumminer tokenize --sentences article.txt
    """
    from .text.segment import sentences
    from .text.tokenize import tokenize as tokenize_text

    for line in _input_lines(file):
        if by_sentence:
            for sentence in sentences(line, lang=lang):
                click.echo(sentence)
        else:
            click.echo(" ".join(tokenize_text(line, lang=lang)))


def _input_lines(file: Path) -> Iterator[str]:
    """Lines of FILE (or stdin for -) without their line ends, in the file's detected encoding."""
    if str(file) == "-":
        stream: IO[str] = click.get_text_stream("stdin", encoding="utf-8")
        yield from (line.rstrip("\r\n") for line in stream)
        return
    from .io.encoding import detect_encoding

    if not file.is_file():
        raise click.BadParameter(f"{file}: no such file.", param_hint="FILE")
    with open(file, encoding=detect_encoding(file)) as handle:
        yield from (line.rstrip("\r\n") for line in handle)


def _progress(items: Iterator[Any], unit: str) -> Iterator[Any]:
    """Wrap ``items`` in a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return iter(tqdm(items, unit=f" {unit}", file=sys.stderr, leave=False))
