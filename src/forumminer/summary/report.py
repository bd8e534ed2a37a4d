"""Argument summaries of labeled passages, and their Markdown, JSON and HTML renderings.

:func:`summarize` counts the stances of each group of passages (with 95% Wilson score intervals
on their shares), picks the key points of each stance (:mod:`.keypoints`) and its distinctive
terms per language (:mod:`.terms`). The renderers turn a :class:`Summary` into text; the same
summary always gives the same strings.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import InputError, ParameterError
from ..stance import LABELS, STANCES
from .keypoints import TOP_KEY_POINTS, KeyPoint, key_points
from .terms import TOP_TERMS, Term, distinctive_terms

#: Columns :func:`summarize` needs; the output of ``forumminer.label`` has them all.
REQUIRED_COLUMNS = ("passage_id", "text", "lang", "stance")
#: z of a two-sided 95% interval.
Z_95 = 1.959963984540054
#: Digits that floats keep in :func:`to_json`.
JSON_DIGITS = 4
_RTL_LANGS = ("ar", "fa")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class StanceShare:
    """How many labeled passages of a group have ``stance``, their share and its 95% interval."""

    stance: str
    count: int
    share: float
    low: float
    high: float


@dataclass(frozen=True)
class GroupSummary:
    """The summary of one group: ``group`` is None for the whole corpus, else the group's value."""

    group: str | None
    n_passages: int
    n_labeled: int
    n_skipped: int
    stances: tuple[StanceShare, ...]
    key_points: dict[str, list[KeyPoint]]
    terms: dict[str, dict[str, list[Term]]]


@dataclass(frozen=True)
class Summary:
    """What :func:`summarize` found: one :class:`GroupSummary` per group, in sorted order.

    In a notebook it shows as its HTML report; ``to_frame()`` gives the stance shares as a table.

    >>> summary = forumminer.summarize(labeled, by="lang")  # doctest: +SKIP
    >>> summary.to_frame().query("stance == 'balanced'")  # doctest: +SKIP
    """

    by: str | None
    groups: tuple[GroupSummary, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per group and stance: [``by``], stance, count, n_labeled, share, low, high
        (``low``–``high`` is the 95% Wilson score interval of ``share``)."""
        rows = [{**({self.by: group.group} if self.by else {}), "stance": s.stance, "count": s.count,
                 "n_labeled": group.n_labeled, "share": s.share, "low": s.low, "high": s.high}
                for group in self.groups for s in group.stances]
        return pd.DataFrame(rows)

    def to_markdown(self) -> str:
        """The summary as Markdown (see :func:`to_markdown`)."""
        return to_markdown(self)

    def to_html(self, *, plot_png: bytes | None = None) -> str:
        """The summary as a self-contained HTML page (see :func:`to_html`)."""
        return to_html(self, plot_png=plot_png)

    def to_json(self) -> str:
        """The summary as JSON (see :func:`to_json`)."""
        return to_json(self)

    def _repr_html_(self) -> str:
        """The report's body for notebooks: no page-wide styles that would restyle the notebook."""
        parts = [f"<p>{html.escape(_INTRO)}</p>", *(part for group in self.groups for part in _html_group(self, group))]
        return '<div class="forumminer-summary">\n' + "\n".join(parts) + "\n</div>"


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``successes / n``; (0, 1) when n is 0.

    >>> tuple(round(x, 4) for x in wilson_interval(8, 10))
    (0.4902, 0.9433)
    """
    if not 0 <= successes <= n:
        raise ParameterError(f"successes must be between 0 and n ({n}); got {successes}.",
                             name="successes", value=successes)
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # the bounds at 0 and n are exactly 0 and 1; rounding would leave them a hair inside
    return (0.0 if successes == 0 else centre - half), (1.0 if successes == n else centre + half)


def summarize(labeled: pd.DataFrame, *, by: str | None = None, top: int = TOP_KEY_POINTS,
              n_terms: int = TOP_TERMS) -> Summary:
    """Summarize labeled passages: stance shares, ``top`` key points per stance and ``n_terms``
    distinctive terms per stance and language, for the whole table or for each value of ``by``.

    Rows with an empty stance are skipped passages: counted, never labeled.

    >>> summary = summarize(forumminer.label(passages), by="source")  # doctest: +SKIP
    >>> [(g.group, g.n_labeled) for g in summary.groups]  # doctest: +SKIP
    [('blog', 120), ('forum', 341)]
    """
    _check_parameters(labeled, by=by, top=top, n_terms=n_terms)
    table = _checked_table(labeled)
    if by is None:
        parts: list[tuple[str | None, pd.DataFrame]] = [(None, table)]
    else:
        keys = labeled[by].fillna("").astype(str).to_numpy()
        parts = [(key, table[keys == key]) for key in sorted(set(keys))]
    return Summary(by=by, groups=tuple(_group_summary(group, part, top, n_terms) for group, part in parts))


def _check_parameters(labeled: pd.DataFrame, *, by: str | None, top: int, n_terms: int) -> None:
    if by is not None and by not in labeled.columns:
        columns = ", ".join(map(str, labeled.columns))
        raise ParameterError(f"by: no column {by!r}. Columns are: {columns}.", name="by", value=by)
    for name, value in (("top", top), ("n_terms", n_terms)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError(f"{name} must be a whole number of at least 1; got {value!r}.", name=name, value=value)


def _checked_table(labeled: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in REQUIRED_COLUMNS if column not in labeled.columns]
    if missing:
        names = ", ".join(map(repr, missing))
        raise InputError(f"labeled passages: no column{'s' * (len(missing) > 1)} {names}. Columns are: "
                         f"{', '.join(map(str, labeled.columns))}. Label the passages first (forumminer.label).")
    table = pd.DataFrame({"passage_id": labeled["passage_id"].astype(str), "text": labeled["text"].fillna(""),
                          "lang": labeled["lang"].fillna("other").astype(str),
                          "stance": labeled["stance"].fillna("").astype(str)})
    unknown = ~table["stance"].isin(("", *LABELS))
    if unknown.any():
        row = int(unknown.to_numpy().argmax())
        raise InputError(f"labeled passages, row {row + 1}: unknown stance {table['stance'].iloc[row]!r}; "
                         f"stances are {', '.join(LABELS)}, or empty for a skipped passage.", row=row + 1)
    return table


def _group_summary(group: str | None, part: pd.DataFrame, top: int, n_terms: int) -> GroupSummary:
    labeled = part[part["stance"] != ""]
    counts = labeled["stance"].value_counts()
    stances = tuple(_share(label, int(counts.get(label, 0)), len(labeled)) for label in LABELS)
    return GroupSummary(group=group, n_passages=len(part), n_labeled=len(labeled), n_skipped=len(part) - len(labeled),
                        stances=stances, key_points=key_points(labeled, top=top),
                        terms=distinctive_terms(labeled, top=n_terms))


def _share(stance: str, count: int, n: int) -> StanceShare:
    return StanceShare(stance, count, count / n if n else 0.0, *wilson_interval(count, n))


# --- JSON ---------------------------------------------------------------------------------------

def to_json(summary: Summary) -> str:
    """The summary as JSON: keys in a fixed order, floats to ``JSON_DIGITS`` digits, text as is.

    >>> json.loads(to_json(summary))["groups"][0]["n_passages"]  # doctest: +SKIP
    40
    """
    return json.dumps(_rounded(dataclasses.asdict(summary)), ensure_ascii=False, indent=2)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, JSON_DIGITS)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value


# --- Markdown -----------------------------------------------------------------------------------

def to_markdown(summary: Summary) -> str:
    """The summary as Markdown; each Arabic or Persian quote sits in its own right-to-left block.

    >>> print(to_markdown(summary))  # doctest: +SKIP
    # Stance summary
    ...
    """
    lines = ["# Stance summary", "", _INTRO, ""]
    for group in summary.groups:
        level = "##" if group.group is None else "###"
        if group.group is not None:
            lines += [f"## {html.escape(str(summary.by))}: {html.escape(group.group)}", ""]
        lines += [_counts_sentence(group), "", "| Stance | Passages | Share | 95% interval |", "|:--|--:|--:|:--|"]
        lines += [f"| {s.stance} | {s.count} | {_percent(s.share)} | {_percent(s.low)}–{_percent(s.high)} |"
                  for s in group.stances]
        lines.append("")
        for stance in STANCES:
            lines += [f"{level} {stance}", "", "Key points:", ""]
            lines += _markdown_key_points(group.key_points[stance], group) or ["No key points.", ""]
            lines += _markdown_terms(group.terms[stance])
    return "\n".join(lines).rstrip("\n") + "\n"


_INTRO = ("Shares are among labeled passages, with 95% Wilson score intervals. A key point is a sentence "
          "of the corpus; its passages are those of the stance that make the same point.")


def _markdown_key_points(points: list[KeyPoint], group: GroupSummary) -> list[str]:
    lines = []
    for number, point in enumerate(points, 1):
        lines += [f"**{number}.** {_prevalence(point, group)} · {html.escape(point.lang)} · "
                  f"passage `{point.passage_id}`", "",
                  f"<div {_quote_attributes(point.lang)}>{html.escape(point.text)}</div>", ""]
    return lines


def _markdown_terms(terms: dict[str, list[Term]]) -> list[str]:
    lines = []
    for lang, listed in terms.items():
        words = " · ".join(f"{html.escape(t.term)} ({t.z:.2f})" for t in listed) or "none"
        lines += [f"Distinctive terms, {lang} (z-score):", "", f"<div {_quote_attributes(lang)}>{words}</div>", ""]
    return lines


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .8rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
blockquote { margin: .3rem 0 1rem; padding: .5rem 1rem; background: #f6f6f6; border-inline-start: 4px solid #888; }
.meta { color: #555; font-size: .9rem; margin: 0; }
.terms { margin: .3rem 0 1rem; }
img { max-width: 100%; }
"""


def to_html(summary: Summary, *, plot_png: bytes | None = None) -> str:
    """The summary as a self-contained HTML page (inline CSS, no external resources), with
    ``plot_png`` embedded as an image when given. Quotes carry ``dir`` and ``lang`` attributes.

    >>> Path("summary.html").write_text(to_html(summary), encoding="utf-8")  # doctest: +SKIP
    """
    if plot_png is not None and not plot_png.startswith(_PNG_SIGNATURE):
        raise ParameterError("plot_png must be the bytes of a PNG image; got bytes without a PNG signature.",
                             name="plot_png", value=plot_png[:8])
    body = ["<h1>Stance summary</h1>", f"<p>{html.escape(_INTRO)}</p>"]
    if plot_png is not None:
        data = base64.b64encode(plot_png).decode("ascii")
        body.append(f'<img alt="Stance shares" src="data:image/png;base64,{data}">')
    for group in summary.groups:
        body += list(_html_group(summary, group))
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Stance summary</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _html_group(summary: Summary, group: GroupSummary) -> Iterator[str]:
    level = 2
    if group.group is not None:
        yield f"<h2>{html.escape(str(summary.by))}: {html.escape(group.group)}</h2>"
        level = 3
    yield f"<p>{html.escape(_counts_sentence(group))}</p>"
    yield "<table>\n<tr><th>Stance</th><th>Passages</th><th>Share</th><th>95% interval</th></tr>"
    for s in group.stances:
        yield (f'<tr><td>{s.stance}</td><td class="n">{s.count}</td><td class="n">{_percent(s.share)}</td>'
               f'<td class="n">{_percent(s.low)}–{_percent(s.high)}</td></tr>')
    yield "</table>"
    for stance in STANCES:
        yield f"<h{level}>{stance}</h{level}>"
        points = "".join(_html_key_point(point, group) for point in group.key_points[stance])
        yield f"<ol>{points}</ol>" if points else "<p>No key points.</p>"
        for lang, terms in group.terms[stance].items():
            words = " · ".join(f"{html.escape(t.term)} ({t.z:.2f})" for t in terms) or "none"
            yield (f'<p class="meta">Distinctive terms, {html.escape(lang)} (z-score):</p>'
                   f'<p class="terms" {_quote_attributes(lang)}>{words}</p>')


def _html_key_point(point: KeyPoint, group: GroupSummary) -> str:
    return (f'<li><p class="meta">{html.escape(_prevalence(point, group))} · {html.escape(point.lang)} · '
            f"passage <code>{html.escape(point.passage_id)}</code></p>"
            f"<blockquote {_quote_attributes(point.lang)}>{html.escape(point.text)}</blockquote></li>")


# --- shared wording -----------------------------------------------------------------------------

def _counts_sentence(group: GroupSummary) -> str:
    return f"{group.n_passages} passages: {group.n_labeled} labeled, {group.n_skipped} skipped."


def _prevalence(point: KeyPoint, group: GroupSummary) -> str:
    total = next(s.count for s in group.stances if s.stance == point.stance)
    return f"{point.count} of {total} passages ({_percent(point.share)})"


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _quote_attributes(lang: str) -> str:
    if lang in _RTL_LANGS:
        return f'dir="rtl" lang="{lang}"'
    return 'dir="auto"'
