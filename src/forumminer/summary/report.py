"""Argument summaries of labeled passages, and their Markdown, JSON and HTML renderings.

:func:`summarize` counts the stances of each group of passages (with 95% Wilson score intervals
on their shares), picks the key points of each stance (:mod:`.keypoints`) and its distinctive
terms per language (:mod:`.terms`). The renderers turn a :class:`Summary` into text; the same
summary always gives the same strings.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import html
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import __version__
from ..columns import prefer_ours
from ..errors import InputError, ParameterError
from ..stance import LABELS, STANCES
from ..stance.linear import StanceModel
from .keypoints import MIN_COUNT, TOP_KEY_POINTS, Coverage, KeyPoint, key_points
from .plots import STANCE_NAMES
from .terms import MIN_TERM_COUNT, SCORE_MEANING, TOP_TERMS, Term, distinctive_terms

if TYPE_CHECKING:
    from .estimate import CorrectedShare
    from .sampling import GoldSample

#: Columns :func:`summarize` needs; the output of ``forumminer.label`` has them all.
REQUIRED_COLUMNS = ("passage_id", "text", "lang", "stance")
#: The labeling model's probabilities, kept when present: key points use them (see :func:`key_points`).
PROBABILITY_COLUMNS = tuple(f"p_{label}" for label in LABELS)
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
    coverage: dict[str, dict[str, Coverage]]
    terms: dict[str, dict[str, list[Term]]]
    #: shares corrected with hand labels (``summarize(..., gold=)``), and the gold passages used
    corrected: tuple["CorrectedShare", ...] = ()
    n_gold: int = 0


@dataclass(frozen=True)
class Summary:
    """What :func:`summarize` found: one :class:`GroupSummary` per group, in sorted order, and
    what made it: the input's name, the stance model, forumminer's version and the date.

    In a notebook it shows as its HTML report; ``to_frame()`` gives the stance shares as a table.

    >>> summary = forumminer.summarize(labeled, by="lang")  # doctest: +SKIP
    >>> summary.to_frame().query("stance == 'balanced'")  # doctest: +SKIP
    """

    by: str | None
    groups: tuple[GroupSummary, ...]
    source: str | None = None
    model: str = ""
    version: str = ""
    created: str = ""
    #: the hand-labeled sheet the shares were corrected with, if any
    gold: str | None = None
    #: the shipped mode that labeled the passages ("default" or "accurate"): which measured share errors apply
    mode: str = "default"
    #: how many distinct passages make a key point, at least (see :func:`~.keypoints.key_points`)
    min_count: int = MIN_COUNT

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
        parts = [f'<p class="meta">{html.escape(_header(self))}</p>', f"<p>{html.escape(_intro(self))}</p>",
                 *(part for number, group in enumerate(self.groups, 1) for part in _html_group(self, group, number))]
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
              n_terms: int = TOP_TERMS, model: StanceModel | str | Path | None = None,
              source: str | None = None, gold: "str | Path | pd.DataFrame | GoldSample | None" = None,
              workers: int | None = 1, min_count: int = MIN_COUNT) -> Summary:
    """Summarize labeled passages: stance shares, ``top`` key points per stance and language and
    ``n_terms`` distinctive terms per stance and language, for the whole table or for each value
    of ``by``. A key point is made by ``min_count`` distinct passages or more (1 also shows the
    arguments that one passage makes). ``model`` (default: the shipped one; ``"accurate"`` for
    accurate mode) scores the key points' sentences: give the one that labeled the table.
    ``source`` names the input in the report's header. ``workers`` (None: all cores) score the
    key-point sentences in that many processes; the summary is the same with any number.

    Rows with an empty stance are skipped passages: counted, never labeled. ``gold`` (a sheet from
    :func:`~forumminer.summary.sampling.sample`, labeled by hand) adds shares corrected for the
    model's errors, with 95% intervals that include them (:mod:`.estimate`).

    >>> summary = summarize(forumminer.label(passages), by="source")  # doctest: +SKIP
    >>> [(g.group, g.n_labeled) for g in summary.groups]  # doctest: +SKIP
    [('blog', 120), ('forum', 341)]
    """
    labeled = prefer_ours(labeled)  # a table whose input had a "stance" column: ours is fm_stance
    _check_parameters(labeled, by=by, top=top, n_terms=n_terms, min_count=min_count)
    table = _checked_table(labeled)
    if by is None:
        parts: list[tuple[str | None, pd.DataFrame]] = [(None, table)]
    else:
        keys = labeled[by].fillna("").astype(str).to_numpy()
        parts = [(key, table[keys == key]) for key in sorted(set(keys))]
    from .._parallel import check_workers
    from ..stance.labeling import ModelInWorkers
    from ..stance.linear import model_info, resolve_model

    n_workers = check_workers(workers)
    classifier = resolve_model(model)
    if n_workers > 1:
        classifier = ModelInWorkers(classifier, n_workers)
    info = model_info(model) if model is None or isinstance(model, (str, Path)) else None
    mode = "accurate" if info and info.get("mode") == "accurate" else "default"
    name = f"{info['id']} (sha256 {info['sha256'][:12]})" if info else "a model in memory"
    name += ", accurate mode" if mode == "accurate" else ""
    groups = tuple(_group_summary(group, part, top, n_terms, classifier, min_count) for group, part in parts)
    summary = Summary(by=by, groups=groups, source=source, model=name, version=__version__,
                      created=datetime.date.today().isoformat(), mode=mode, min_count=min_count)
    return summary if gold is None else _with_gold(summary, labeled, gold)


def _with_gold(summary: Summary, labeled: pd.DataFrame,
               gold: "str | Path | pd.DataFrame | GoldSample") -> Summary:
    from .estimate import corrected_shares, gold_rows
    from .sampling import GoldSample, read_gold

    sample = gold if isinstance(gold, GoldSample) else read_gold(gold)
    rows = gold_rows(labeled, sample)
    keys = labeled[summary.by].fillna("").astype(str).to_numpy() if summary.by else None
    groups = []
    for group in summary.groups:
        mask = np.ones(len(labeled), dtype=bool) if keys is None else keys == group.group
        corrected, n_gold = corrected_shares(rows, mask)
        groups.append(dataclasses.replace(group, corrected=corrected, n_gold=n_gold))
    return dataclasses.replace(summary, groups=tuple(groups), gold=sample.source)


def _check_parameters(labeled: pd.DataFrame, *, by: str | None, top: int, n_terms: int, min_count: int) -> None:
    if by is not None and by not in labeled.columns:
        columns = ", ".join(map(str, labeled.columns))
        raise ParameterError(f"by: no column {by!r}. Columns are: {columns}.", name="by", value=by)
    for name, value in (("top", top), ("n_terms", n_terms), ("min_count", min_count)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError(f"{name} must be a whole number of at least 1; got {value!r}.", name=name, value=value)


def _checked_table(labeled: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in REQUIRED_COLUMNS if column not in labeled.columns]
    if missing:
        names = ", ".join(map(repr, missing))
        raise InputError(f"labeled passages: no column{'s' * (len(missing) > 1)} {names}. Columns are: "
                         f"{', '.join(map(str, labeled.columns))}. Label the passages first: forumminer label (forumminer.label in Python).")
    table = pd.DataFrame({"passage_id": labeled["passage_id"].astype(str), "text": labeled["text"].fillna(""),
                          "lang": labeled["lang"].fillna("other").astype(str),
                          "stance": labeled["stance"].fillna("").astype(str),
                          **{column: labeled[column] for column in PROBABILITY_COLUMNS if column in labeled.columns}})
    unknown = ~table["stance"].isin(("", *LABELS))
    if unknown.any():
        row = int(unknown.to_numpy().argmax())
        raise InputError(f"labeled passages, row {row + 1}: unknown stance {table['stance'].iloc[row]!r}; "
                         f"stances are {', '.join(LABELS)}, or empty for a skipped passage.", row=row + 1)
    return table


def _group_summary(group: str | None, part: pd.DataFrame, top: int, n_terms: int,
                   model: StanceModel, min_count: int) -> GroupSummary:
    labeled = part[part["stance"] != ""]
    counts = labeled["stance"].value_counts()
    stances = tuple(_share(label, int(counts.get(label, 0)), len(labeled)) for label in LABELS)
    found = key_points(labeled, top=top, model=model, min_count=min_count)
    return GroupSummary(group=group, n_passages=len(part), n_labeled=len(labeled), n_skipped=len(part) - len(labeled),
                        stances=stances, key_points=found.points, coverage=found.coverage,
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
    Only ``<``, ``>`` and ``&`` of the texts are escaped, so that they never become markup.

    >>> print(to_markdown(summary))  # doctest: +SKIP
    # Stance summary
    ...
    """
    lines = ["# Stance summary", "", _header(summary), "", _intro(summary), "", _TERMS_INTRO, ""]
    for group in summary.groups:
        level = "##" if group.group is None else "###"
        if group.group is not None:
            lines += [f"## {_md(str(summary.by))}: {_md(group.group)}", ""]
        header = _share_header(summary)
        lines += [_counts_sentence(group), "", "| " + " | ".join(header) + " |",
                  "|:--|--:|--:|:--|" + "--:|:--|" * (len(header) > 4)]
        lines += ["| " + " | ".join(cells) + " |" for cells in _share_rows(summary, group)]
        lines.append("")
        for stance in STANCES:
            lines += [f"{level} {STANCE_NAMES[stance]}", ""]
            for lang, coverage in group.coverage[stance].items():
                points = [p for p in group.key_points[stance] if p.lang == lang]
                lines += [f"Key points, {_md(_language(lang))}: {_coverage_sentence(coverage, summary.min_count)}", ""]
                lines += _markdown_key_points(points, coverage) or [_no_key_point(coverage, summary.min_count), ""]
            if not group.coverage[stance]:
                lines += ["No key points.", ""]
            lines += _markdown_terms(group.terms[stance])
    return "\n".join(lines).rstrip("\n") + "\n"


_INTRO = ("Shares are among labeled passages, with 95% Wilson score intervals. Key points are sentences of the "
          "corpus that give a reason for their stance, found per language; a key point's count is the number "
          "of distinct passages of its stance and language that make the same point (identical or "
          "near-identical passages counted once). {made_by} A tentative key point is below the bar of key points, "
          "shown because its language has no other.")
#: How a tentative key point is marked (see :attr:`KeyPoint.tentative`).
TENTATIVE_NOTE = "below the bar of key points, shown because no sentence in this language reaches it"
_TERMS_INTRO = f"Distinctive terms, at least {MIN_TERM_COUNT} uses each; {SCORE_MEANING}."
_GOLD_INTRO = ("Corrected shares combine the model's probabilities on all passages with the hand labels of a "
               "random sample ({source}; prediction-powered inference): their 95% intervals include the model's "
               "errors. A group with too few hand-labeled passages has no corrected share.")


def _markdown_key_points(points: list[KeyPoint], coverage: Coverage) -> list[str]:
    lines = []
    for number, point in enumerate(points, 1):
        lines += [f"**{number}.** {_prevalence(point, coverage)} · passage `{point.passage_id}`", "",
                  f"<div {_quote_attributes(point.lang)}>{_md(point.text)}</div>", ""]
    return lines


def _markdown_terms(terms: dict[str, list[Term]]) -> list[str]:
    lines = []
    for lang, listed in terms.items():
        lines += [f"Distinctive terms, {_md(_language(lang))}:", ""]
        if listed:
            lines += ["| Term | z | Uses |", "|:--|--:|--:|"]
            lines += [f"| <bdi {_quote_attributes(lang)}>{_md(t.term)}</bdi> | {t.z:.2f} | {t.count} |" for t in listed]
        else:
            lines.append("None.")
        lines.append("")
    return lines


def _md(text: str) -> str:
    return html.escape(text, quote=False)


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .8rem; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
blockquote { margin: .3rem 0; padding: .5rem 1rem; background: #f6f6f6; border-inline-start: 4px solid #888; }
details { margin: 0 0 1rem; }
details li { margin: .3rem 0; }
.meta { color: #555; font-size: .9rem; margin: 0; }
.singleton { color: #a33; }
table.terms td { padding: .1rem .8rem; }
img { max-width: 100%; }
"""


def to_html(summary: Summary, *, plot_png: bytes | None = None) -> str:
    """The summary as a self-contained HTML page (inline CSS, no external resources), with
    ``plot_png`` (e.g. :func:`trend_chart_png`) embedded as an image when given. Quotes carry
    ``dir`` and ``lang`` attributes; each key point unfolds to the passages that make it.

    >>> Path("summary.html").write_text(to_html(summary), encoding="utf-8")  # doctest: +SKIP
    """
    if plot_png is not None and not plot_png.startswith(_PNG_SIGNATURE):
        raise ParameterError("plot_png must be the bytes of a PNG image; got bytes without a PNG signature.",
                             name="plot_png", value=plot_png[:8])
    body = ["<h1>Stance summary</h1>", f'<p class="meta">{html.escape(_header(summary))}</p>',
            f"<p>{html.escape(_intro(summary))}</p>", f"<p>{html.escape(_TERMS_INTRO)}</p>"]
    if plot_png is not None:
        data = base64.b64encode(plot_png).decode("ascii")
        body.append(f'<img alt="Stance shares per period" src="data:image/png;base64,{data}">')
    if summary.by is not None:
        links = "".join(f'<li><a href="#group-{number}">{html.escape(group.group or "")}</a></li>'
                        for number, group in enumerate(summary.groups, 1))
        body.append(f"<nav><h2>Contents</h2><ol>{links}</ol></nav>")
    for number, group in enumerate(summary.groups, 1):
        body += list(_html_group(summary, group, number))
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Stance summary</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _html_group(summary: Summary, group: GroupSummary, number: int) -> Iterator[str]:
    level = 2
    if group.group is not None:
        yield f'<h2 id="group-{number}">{html.escape(str(summary.by))}: {html.escape(group.group)}</h2>'
        level = 3
    yield f"<p>{html.escape(_counts_sentence(group))}</p>"
    yield "<table>\n<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in _share_header(summary)) + "</tr>"
    for cells in _share_rows(summary, group):
        yield f"<tr><td>{cells[0]}</td>" + "".join(f'<td class="n">{cell}</td>' for cell in cells[1:]) + "</tr>"
    yield "</table>"
    for stance in STANCES:
        yield f"<h{level}>{STANCE_NAMES[stance]}</h{level}>"
        for lang, coverage in group.coverage[stance].items():
            yield (f'<p class="meta">Key points, {html.escape(_language(lang))}: '
                   f"{html.escape(_coverage_sentence(coverage, summary.min_count))}</p>")
            points = "".join(_html_key_point(p, coverage) for p in group.key_points[stance] if p.lang == lang)
            yield (f"<ol>{points}</ol>" if points
                   else f"<p>{html.escape(_no_key_point(coverage, summary.min_count))}</p>")
        if not group.coverage[stance]:
            yield "<p>No key points.</p>"
        for lang, terms in group.terms[stance].items():
            yield f'<p class="meta">Distinctive terms, {html.escape(_language(lang))}:</p>'
            rows = "".join(f'<tr><td {_quote_attributes(lang)}>{html.escape(t.term)}</td><td class="n">{t.z:.2f}</td>'
                           f'<td class="n">{t.count}</td></tr>' for t in terms)
            yield (f'<table class="terms"><tr><th>Term</th><th>z</th><th>Uses</th></tr>{rows}</table>'
                   if rows else "<p>None.</p>")


def _html_key_point(point: KeyPoint, coverage: Coverage) -> str:
    prevalence = html.escape(_prevalence(point, coverage))
    if point.singleton:
        prevalence = f'<span class="singleton">{prevalence}</span>'
    passages = "".join(f"<li {_quote_attributes(point.lang)}>{html.escape(text)} "
                       f'<code dir="ltr">{html.escape(pid)}</code></li>'
                       for pid, text in zip(point.passage_ids, point.passages))
    return (f'<li><p class="meta">{prevalence} · passage <code>{html.escape(point.passage_id)}</code></p>'
            f"<blockquote {_quote_attributes(point.lang)}>{html.escape(point.text)}</blockquote>"
            f"<details><summary>The {point.count} passage{'s' * (point.count > 1)} that make this point</summary>"
            f"<ol>{passages}</ol></details></li>")


# --- shared wording -----------------------------------------------------------------------------

def _header(summary: Summary) -> str:
    source = summary.source or "a table in memory"
    return (f"Input: {source} · stance model: {summary.model or 'unknown'} · forumminer {summary.version or '?'} · "
            f"made {summary.created or 'on an unknown date'}")


def _intro(summary: Summary) -> str:
    from .estimate import uncorrected_note

    if summary.min_count > 1:
        made_by = (f"A key point is made by at least {summary.min_count} passages: a sentence that fewer make is "
                   "an argument of its own passage, not a key point, and is only counted.")
    else:
        made_by = "A singleton key point is made by its own passage only."
    intro = _INTRO.format(made_by=made_by)
    if summary.gold is None:
        return f"{intro} {uncorrected_note(summary.mode)}"
    return f"{intro} {_GOLD_INTRO.format(source=summary.gold)}"


def _share_header(summary: Summary) -> list[str]:
    header = ["Stance", "Passages", "Share", "95% interval"]
    return header + ["Corrected share", "95% interval (with model error)"] if summary.gold else header


def _share_rows(summary: Summary, group: GroupSummary) -> list[list[str]]:
    rows = [[STANCE_NAMES[s.stance], str(s.count), _percent(s.share), f"{_percent(s.low)}–{_percent(s.high)}"]
            for s in group.stances]
    if summary.gold is None:
        return rows
    corrected = {c.stance: c for c in group.corrected}
    for row, s in zip(rows, group.stances):
        c = corrected.get(s.stance)
        row += [_percent(c.share), f"{_percent(c.low)}–{_percent(c.high)}"] if c else ["—", f"{group.n_gold} hand labels"]
    return rows


def _counts_sentence(group: GroupSummary) -> str:
    hand = f" {group.n_gold} labeled by hand." if group.corrected or group.n_gold else ""
    return f"{group.n_passages} passages: {group.n_labeled} labeled, {group.n_skipped} skipped.{hand}"


def _coverage_sentence(coverage: Coverage, min_count: int) -> str:
    passages = (f"{coverage.n_passages} passages ({_percent(coverage.language_share)} of the "
                f"{coverage.n_language} labeled in {_language(coverage.lang)})")
    folded = f", {coverage.duplicates} duplicates folded" if coverage.duplicates else ""
    rare = (f" {coverage.n_rare} more sentence{'s' * (coverage.n_rare > 1)} clear{'s' * (coverage.n_rare == 1)} "
            f"the confidence bar but {'are' if coverage.n_rare > 1 else 'is'} made by fewer than {min_count} "
            "passages (--min-count 1 shows them)." if coverage.n_rare else "")
    if not coverage.n_matched:
        return f"{passages}{folded}.{rare}"
    return (f"{passages}{folded}; the key points cover {coverage.n_matched} of "
            f"{coverage.n_distinct} ({_percent(coverage.share)}).{rare}")


def _no_key_point(coverage: Coverage, min_count: int) -> str:
    if not coverage.n_passages:
        return "No key points."
    if coverage.n_rare:
        return f"No key point: no argument that clears the confidence bar here is made by {min_count} passages or more."
    return (f"No key point: no sentence of these passages reaches the confidence bar for this stance in "
            f"{_language(coverage.lang)}.")


def _prevalence(point: KeyPoint, coverage: Coverage) -> str:
    singleton = " · singleton" if point.singleton else ""
    tentative = f" · tentative: {TENTATIVE_NOTE}" if point.tentative else ""
    return f"{point.count} of {coverage.n_distinct} passages ({_percent(point.share)}){singleton}{tentative}"


def _language(lang: str) -> str:
    return {"ar": "Arabic", "fa": "Persian"}.get(lang, lang)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _quote_attributes(lang: str) -> str:
    if lang in _RTL_LANGS:
        return f'dir="rtl" lang="{lang}"'
    return 'dir="auto"'
