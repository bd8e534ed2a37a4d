"""Charts show Arabic and Persian titles and group names shaped, in reading order, with real glyphs.

matplotlib lays text out when it draws; these tests lay out the strings of the chart's own text
objects with the font each one is drawn in, and check the glyphs: Arabic letters in their joined
(initial, medial, final) forms, in right-to-left visual order, none missing from the font.
"""

from __future__ import annotations

import io
import warnings

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from forumminer.summary.plots import plot_trends
from forumminer.summary.trends import trends

# The words as typed (logical order), and the presentation forms a reader sees, left to right.
ARABIC_WORD, ARABIC_SEEN = "تجربة", "\ufe94\ufe91\ufeae\ufea0\ufe97"  # teh marbuta final ... teh initial
PERSIAN_WORD, PERSIAN_SEEN = "گفتگو", "\ufeee\ufb95\ufe98\ufed4\ufb94"  # waw final ... gaf initial
TITLE = f"{ARABIC_WORD} {PERSIAN_WORD}"


@pytest.fixture
def figure() -> Figure:
    labeled = pd.DataFrame({
        "date": ["2024-01-05", "2024-02-10", "2024-01-20", "2024-02-03"],
        "source": [ARABIC_WORD, ARABIC_WORD, PERSIAN_WORD, PERSIAN_WORD],
        "skip_reason": ["", "", "", ""],
        "stance": ["balanced", "none", "boundary_setting", "customer_always_right"],
    })
    return plot_trends(trends(labeled, by="source"), title=TITLE)


def test_group_names_and_title_are_kept_in_logical_order(figure: Figure) -> None:
    assert figure.get_suptitle() == TITLE
    assert [figure.axes[i].get_title(loc="left") for i in (0, 2)] == [f"source = {ARABIC_WORD}",
                                                                      f"source = {PERSIAN_WORD}"]


def test_arabic_and_persian_are_drawn_joined_right_to_left(figure: Figure) -> None:
    title, arabic_group, persian_group = texts = [drawn_text(figure, string) for string in (
        TITLE, f"source = {ARABIC_WORD}", f"source = {PERSIAN_WORD}")]
    drawn = {text.get_text(): drawn_glyphs(text) for text in texts}
    assert contains_run(drawn[TITLE], seen_glyphs(title, ARABIC_SEEN))
    assert contains_run(drawn[TITLE], seen_glyphs(title, PERSIAN_SEEN))
    assert contains_run(drawn[arabic_group.get_text()], seen_glyphs(arabic_group, ARABIC_SEEN))
    assert contains_run(drawn[persian_group.get_text()], seen_glyphs(persian_group, PERSIAN_SEEN))
    assert all(0 not in glyphs for glyphs in drawn.values()), "a glyph is missing from the font"


def test_png_has_every_glyph_even_with_a_font_without_arabic(figure: Figure) -> None:
    with matplotlib.rc_context({"font.family": ["STIXGeneral"]}):  # no Arabic letters in STIX
        styled = plot_trends(trends(pd.DataFrame({"date": ["2024-01-05"], "skip_reason": [""],
                                                  "stance": ["balanced"]})), title=TITLE)
    for chart in (figure, styled):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
            chart.savefig(io.BytesIO(), format="png")


def drawn_text(figure: Figure, string: str) -> Text:
    (text,) = [text for text in figure.findobj(Text) if text.get_text() == string and text.get_visible()]
    return text


def drawn_glyphs(text: Text) -> list[int]:
    """Glyph indices, left to right, of ``text`` laid out as matplotlib draws it."""
    font = get_font(findfont(text.get_fontproperties()))
    laid_out, _, _ = TextToPath().get_glyphs_with_font(font, text.get_text())
    return [int(glyph.rsplit("-", 1)[1], 16) for glyph, *_ in laid_out]


def seen_glyphs(text: Text, presentation_forms: str) -> list[int]:
    font = get_font(findfont(text.get_fontproperties()))
    return [font.get_char_index(ord(char)) for char in presentation_forms]


def contains_run(glyphs: list[int], run: list[int]) -> bool:
    return any(glyphs[i:i + len(run)] == run for i in range(len(glyphs) - len(run) + 1))
