from __future__ import annotations

import base64
import datetime
import itertools
import json
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import forumminer
from forumminer.errors import InputError, ParameterError
from forumminer.stance import LABELS, STANCES
from forumminer.stance.features import feature_text, feature_tokens
from forumminer.summary.arguments import argument_probabilities
from forumminer.summary.candidates import candidate_problem, candidate_text, gives_reason
from forumminer.summary.keypoints import (MIN_MARGIN, ONE_SENTENCE_MARGIN, REDUNDANCY_THRESHOLD, KeyPoint,
                                          key_points, vectorizer)
from forumminer.summary.plots import STANCE_NAMES
from forumminer.summary.report import TENTATIVE_NOTE, summarize, to_html, to_json, to_markdown, wilson_interval
from forumminer.summary.terms import MIN_TERM_COUNT, distinctive_terms, is_stopword, log_odds_z, stopwords
from forumminer.text.segment import sentences

from .conftest import DATA, SureModel

LABELED = DATA / "labeled_small.csv"
# a 1x1 transparent PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(LABELED, keep_default_na=False)


@pytest.fixture(scope="module")
def summary(table: pd.DataFrame):
    return summarize(table)


def labeled_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["stance"] != ""]


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """A labeled table from (lang, stance, text) rows."""
    return pd.DataFrame({"passage_id": [f"p{i}" for i in range(len(rows))], "lang": [r[0] for r in rows],
                         "stance": [r[1] for r in rows], "text": [r[2] for r in rows]})


def assert_key_point_invariants(labeled: pd.DataFrame, points: dict[str, list[KeyPoint]], top: int) -> None:
    rows = labeled.set_index("passage_id")
    assert set(points) == set(STANCES)
    for stance, listed in points.items():
        for lang in set(p.lang for p in listed):
            in_lang = [p for p in listed if p.lang == lang]
            assert len(in_lang) <= top
            assert sum(p.count for p in in_lang) <= int(((labeled["stance"] == stance) & (labeled["lang"] == lang)).sum())
            assert [p.count for p in in_lang] == sorted((p.count for p in in_lang), reverse=True)
        for point in listed:
            others = [p for ps in points.values() for p in ps if p.lang == point.lang and p is not point]
            assert not (point.tentative and others), "a tentative key point is the only one of its language"
        matched = [pid for p in listed for pid in p.passage_ids]
        assert len(matched) == len(set(matched)), "a passage counts toward at most one key point"
        for point in listed:
            source = rows.loc[point.passage_id]
            assert point.stance == stance and source["stance"] == stance
            assert any(point.text == candidate_text(s) for s in sentences(source["text"]))
            assert point.text in source["text"] and candidate_problem(point.text) is None
            assert point.lang == source["lang"]
            assert point.count == len(point.passage_ids) == len(point.passages) >= 1
            assert point.singleton == (point.count == 1)
            assert point.passage_id in point.passage_ids, "a key point's own passage makes its point"
            for pid, text in zip(point.passage_ids, point.passages):
                assert rows.loc[pid, "stance"] == stance and rows.loc[pid, "text"] == text
                assert rows.loc[pid, "lang"] == point.lang, "a key point matches passages of its language only"
        if len(listed) > 1:
            model = vectorizer([feature_text(t) for t in labeled["text"]])
            for lang in set(p.lang for p in listed):
                in_lang = [p for p in listed if p.lang == lang]
                vectors = model.transform([feature_text(p.text) for p in in_lang])
                for i, j in itertools.combinations(range(len(in_lang)), 2):
                    assert (vectors[i] @ vectors[j].T).toarray()[0, 0] < REDUNDANCY_THRESHOLD


# --- Wilson score interval ----------------------------------------------------------------------

WILSON_CASES = [
    # p=.8, z²=3.8415: centre (.8+.19207)/1.38415=.71674, half 1.41600*sqrt(.016+.0096037)=.22658
    (8, 10, (0.4902, 0.9433)),
    # no successes: the lower bound is 0 and the upper z²/(n+z²) = 3.8415/8.8415
    (0, 5, (0.0, 0.4345)),
    # all successes: mirror image, n/(n+z²) = 5/8.8415
    (5, 5, (0.5655, 1.0)),
    # no observations: nothing is known
    (0, 0, (0.0, 1.0)),
]


@pytest.mark.parametrize(("successes", "n", "expected"), WILSON_CASES)
def test_wilson_interval_matches_hand_computed_values(successes: int, n: int, expected: tuple[float, float]) -> None:
    assert wilson_interval(successes, n) == pytest.approx(expected, abs=1e-4)


def test_wilson_interval_refuses_more_successes_than_trials() -> None:
    with pytest.raises(ParameterError, match=r"successes must be between 0 and n \(3\); got 4\."):
        wilson_interval(4, 3)


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_share(case: tuple[int, int]) -> None:
    successes, n = case
    low, high = wilson_interval(successes, n)
    assert 0.0 <= low <= (successes / n if n else 0.5) <= high <= 1.0


# --- stance counts and groups -------------------------------------------------------------------

def test_whole_corpus_counts_labeled_and_skipped_passages(summary) -> None:
    (group,) = summary.groups
    assert (group.group, group.n_passages, group.n_labeled, group.n_skipped) == (None, 40, 36, 4)
    counts = {s.stance: s.count for s in group.stances}
    assert counts == {"customer_always_right": 11, "balanced": 9, "boundary_setting": 11, "none": 5}
    assert sum(s.share for s in group.stances) == pytest.approx(1.0)
    for s in group.stances:
        assert s.share == pytest.approx(s.count / 36)
        assert (s.low, s.high) == wilson_interval(s.count, 36)


def test_by_gives_one_group_per_value_in_sorted_order(table: pd.DataFrame, summary) -> None:
    groups = summarize(table, by="source").groups
    assert [g.group for g in groups] == ["blog", "forum"]
    assert sum(g.n_passages for g in groups) == len(table)
    for label in LABELS:
        total = next(s.count for s in summary.groups[0].stances if s.stance == label)
        assert sum(next(s.count for s in g.stances if s.stance == label) for g in groups) == total
    for group in groups:
        ids = set(table.loc[table["source"] == group.group, "passage_id"])
        assert {pid for points in group.key_points.values() for p in points for pid in p.passage_ids} <= ids


def test_csv_read_with_pandas_defaults_gives_the_same_counts(table: pd.DataFrame, summary) -> None:
    # empty cells become NaN with pd.read_csv's defaults: still skipped rows, not a stance "nan"
    groups = summarize(pd.read_csv(LABELED)).groups
    assert groups[0].stances == summary.groups[0].stances
    assert groups[0].n_skipped == 4


def test_a_table_of_skipped_rows_only_has_no_shares_and_no_key_points(table: pd.DataFrame) -> None:
    (group,) = summarize(table[table["stance"] == ""]).groups
    assert (group.n_passages, group.n_labeled, group.n_skipped) == (4, 0, 4)
    assert all((s.count, s.share, s.low, s.high) == (0, 0.0, 0.0, 1.0) for s in group.stances)
    assert all(points == [] for points in group.key_points.values())
    assert "No key points." in to_markdown(summarize(table[table["stance"] == ""]))


# --- errors -------------------------------------------------------------------------------------

def test_unknown_by_column_names_the_columns(table: pd.DataFrame) -> None:
    with pytest.raises(ParameterError) as caught:
        summarize(table, by="src")
    assert str(caught.value) == f"by: no column 'src'. Columns are: {', '.join(table.columns)}."
    assert (caught.value.name, caught.value.value) == ("by", "src")


@pytest.mark.parametrize("top", [0, -2])
def test_top_below_one_is_refused(table: pd.DataFrame, top: int) -> None:
    with pytest.raises(ParameterError, match=rf"^top must be a whole number of at least 1; got {top}\.$") as caught:
        summarize(table, top=top)
    assert caught.value.name == "top"


def test_missing_required_columns_are_named(table: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"^labeled passages: no columns 'lang', 'stance'\. Columns are: doc_id, "):
        summarize(table.drop(columns=["stance", "lang"]))


def test_unknown_stance_value_is_reported_with_its_row(table: pd.DataFrame) -> None:
    broken = table.copy()
    broken.loc[2, "stance"] = "agree"
    with pytest.raises(InputError, match=r"row 3: unknown stance 'agree'") as caught:
        summarize(broken)
    assert caught.value.row == 3


# --- key points ---------------------------------------------------------------------------------

def test_key_points_of_the_fixture_keep_their_invariants(table: pd.DataFrame, summary) -> None:
    assert_key_point_invariants(labeled_rows(table), summary.groups[0].key_points, top=5)
    assert set(summary.groups[0].key_points) == set(STANCES), "'none' has no key points"


def test_the_claim_several_passages_repeat_is_a_key_point_that_matches_them(summary) -> None:
    points = summary.groups[0].key_points["customer_always_right"]
    assert any(p.lang == "ar" and "دائما على حق" in p.text and p.count >= 3 for p in points)


def test_repeated_sentence_gives_one_key_point_matching_every_passage_that_repeats_it() -> None:
    claim = "العميل دائما على حق في كل الأحوال بلا نقاش."
    rows = [("ar", "customer_always_right", f"{claim} {tail}") for tail in
            ("هكذا تعلمنا في السوق.", "من دون الزبائن لا عمل.", "خسارة عميل خسارة كبيرة.", "الزبون ملك المكان.")]
    rows += [("ar", "customer_always_right", "يجب إرضاء الزبون بسرعة ومن دون تأخير أبدا."),
             ("ar", "boundary_setting", "من حق الموظف أن يرفض الإهانة من أي شخص."),
             ("fa", "customer_always_right", "مشتری همیشه حق دارد و باید راضی از فروشگاه برود.")]
    points = key_points(frame(rows)).points["customer_always_right"]
    assert points[0].text == claim
    assert points[0].passage_ids == ("p0", "p1", "p2", "p3")
    assert [p.text for p in points].count(claim) == 1
    assert all(p.text != claim for p in points[1:])


def test_top_limits_the_key_points_of_each_stance_and_language_and_keeps_their_counts(table: pd.DataFrame) -> None:
    one, many = summarize(table, top=1).groups[0], summarize(table, top=5).groups[0]
    for stance, points in one.key_points.items():
        langs = [p.lang for p in points]
        assert len(langs) == len(set(langs)) == len({p.lang for p in many.key_points[stance]})
        assert [(p.text, p.count) for p in points] == [
            next((q.text, q.count) for q in many.key_points[stance] if q.lang == p.lang) for p in points]
        for point in points:
            coverage = one.coverage[stance][point.lang]
            assert coverage.n_matched == point.count and coverage.share == point.count / coverage.n_distinct


WORDS = ["العميل", "دائما", "على", "حق", "الزبون", "ملك", "الموظف", "احترام", "حدود", "لكن", "ليس", "يجب",
         "مشتری", "همیشه", "دارد", "کارمند", "توهین", "ولی", "نیست", "باید", "فروشگاه", "مرز", "می‌خواهم"]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(lambda words: " ".join(words) + ".")
PASSAGE = st.tuples(st.sampled_from(["ar", "fa"]), st.sampled_from(LABELS),
                    st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join))


@settings(max_examples=40, deadline=None)
@given(st.lists(PASSAGE, min_size=1, max_size=14), st.integers(1, 4))
def test_key_points_keep_their_invariants_on_any_corpus(rows: list[tuple[str, str, str]], top: int) -> None:
    labeled = frame(rows)
    assert_key_point_invariants(labeled, key_points(labeled, top=top).points, top=top)


# --- distinctive terms --------------------------------------------------------------------------

def test_log_odds_matches_a_hand_computed_value() -> None:
    # prior = pooled counts a:4 b:4 (a0=8); delta_a = log(7/5) - log(5/7), var = 1/7 + 1/5
    scores = log_odds_z(Counter(a=3, b=1), Counter(a=1, b=3))
    assert scores["a"] == pytest.approx(1.14927, abs=1e-5)
    assert scores["b"] == pytest.approx(-scores["a"])


def test_log_odds_has_nothing_to_say_without_two_words_or_a_comparison() -> None:
    assert log_odds_z(Counter(a=3), Counter(a=1)) == {}
    assert all(z == pytest.approx(0.0) for z in log_odds_z(Counter(a=2, b=1), Counter()).values())


def test_a_table_whose_passages_share_one_word_has_no_distinctive_terms_and_still_a_summary() -> None:
    # emoji and a link: "https" is the only word of every passage, so no word tells a stance apart
    labeled = frame([("ar", stance, "😀😀 https://example.com/a 😀") for stance in (*STANCES, "none") for _ in range(3)])
    assert distinctive_terms(labeled) == {stance: {"ar": []} for stance in STANCES}
    text = to_markdown(summarize(labeled))
    assert "| Customer always right | 3 | 25.0% |" in text and "Distinctive terms, Arabic:\n\nNone." in text


def test_distinctive_terms_of_the_fixture(table: pd.DataFrame) -> None:
    terms = distinctive_terms(labeled_rows(table), top=5)
    assert set(terms) == set(STANCES) and all(set(by_lang) == {"ar", "fa"} for by_lang in terms.values())
    boundary_fa = [t.term for t in terms["boundary_setting"]["fa"]]
    assert boundary_fa[0] == "کارمند"
    assert "توهین" not in boundary_fa, f"used twice only: below MIN_TERM_COUNT ({MIN_TERM_COUNT})"
    # counted in folded spelling (دایما), shown in Arabic spelling
    assert [t.term for t in terms["customer_always_right"]["ar"]][:1] == ["دائما"]


def test_distinctive_terms_are_positive_sorted_and_never_stopwords(table: pd.DataFrame) -> None:
    for by_lang in distinctive_terms(labeled_rows(table), top=50).values():
        for listed in by_lang.values():
            assert [t.z for t in listed] == sorted((t.z for t in listed), reverse=True)
            for term in listed:
                assert term.z > 0 and term.count >= MIN_TERM_COUNT and len(term.term) >= 2
                assert not any(is_stopword(t) for t in feature_tokens(feature_text(term.term)))


def test_stopwords_hold_hazm_and_stopwords_iso_function_words_in_folded_spelling() -> None:
    # a stopword in another spelling would never match a token
    assert all(feature_tokens(feature_text(word)) == [word] for word in stopwords())
    for word in ("از", "که", "الذي", "لكن", "ولو", "فهو"):
        assert all(is_stopword(token) for token in feature_tokens(feature_text(word)))
    for word in ("مشتری", "کارمند", "الزبون", "الموظف", "وقت"):
        assert not is_stopword(feature_tokens(feature_text(word))[0])


# --- renderers ----------------------------------------------------------------------------------

def test_renderers_are_deterministic(table: pd.DataFrame) -> None:
    first, second = summarize(table, by="source"), summarize(table, by="source")
    assert to_markdown(first) == to_markdown(second)
    assert to_json(first) == to_json(second)
    assert to_html(first, plot_png=PNG) == to_html(second, plot_png=PNG)


def test_markdown_puts_each_quote_in_its_own_right_to_left_block(summary) -> None:
    text = to_markdown(summary)
    points = [p for listed in summary.groups[0].key_points.values() for p in listed]
    for point in points:
        assert f'<div dir="rtl" lang="{point.lang}">{point.text}</div>' in text.splitlines()
    assert "| Customer always right | 11 | 30.6% |" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [f"## {STANCE_NAMES[s]}" for s in STANCES]


def test_markdown_has_no_html_entities_for_quotes_but_never_lets_markup_through() -> None:
    text = 'العميل "دائما" على حق، والزبون \'ملك\' في كل الأحوال <b>بلا نقاش</b>.'
    summary = summarize(frame([("ar", "customer_always_right", text), ("ar", "none", "رابط الاستبيان في أول الصفحة.")]))
    rendered = to_markdown(summary)
    assert '"دائما"' in rendered and "'ملك'" in rendered and "&quot;" not in rendered and "&#x27;" not in rendered
    assert "<b>" not in rendered and "&lt;b&gt;" in rendered


def test_reports_name_input_model_version_and_date(table: pd.DataFrame) -> None:
    summary = summarize(table, source="labeled_small.csv")
    assert summary.version == forumminer.__version__ and summary.model.startswith("stance-default (sha256 ")
    assert summary.created == datetime.date.today().isoformat()
    header = (f"Input: labeled_small.csv · stance model: {summary.model} · forumminer {summary.version} · "
              f"made {summary.created}")
    assert header in to_markdown(summary) and header in to_html(summary)


def test_html_key_points_unfold_to_the_texts_of_their_passages_and_mark_singletons(summary) -> None:
    page = to_html(summary)
    for point in [p for listed in summary.groups[0].key_points.values() for p in listed]:
        passages = "".join(f'<li dir="rtl" lang="{point.lang}">{text} <code dir="ltr">{pid}</code></li>'
                           for pid, text in zip(point.passage_ids, point.passages))
        assert f"that make this point</summary><ol>{passages}</ol></details>" in page
        assert (f"{point.count} of " in page)
    singletons = [p for listed in summary.groups[0].key_points.values() for p in listed if p.singleton]
    assert page.count('<span class="singleton">') == len(singletons)


def test_html_uses_the_charts_stance_names_and_keeps_terms_with_their_scores(summary) -> None:
    page = to_html(summary)
    for stance in STANCES:
        assert f"<h2>{STANCE_NAMES[stance]}</h2>" in page and f"<h2>{stance}</h2>" not in page
    term = summary.groups[0].terms["boundary_setting"]["fa"][0]
    assert (f'<tr><td dir="rtl" lang="fa">{term.term}</td><td class="n">{term.z:.2f}</td>'
            f'<td class="n">{term.count}</td></tr>') in page


def test_html_by_group_has_a_table_of_contents_linking_each_group(table: pd.DataFrame) -> None:
    summary = summarize(table, by="source")
    page = to_html(summary)
    for number, group in enumerate(summary.groups, 1):
        assert f'<li><a href="#group-{number}">{group.group}</a></li>' in page
        assert f'<h2 id="group-{number}">source: {group.group}</h2>' in page
    assert "<nav>" not in to_html(summarize(table))


def test_json_keeps_every_figure_with_text_unescaped(summary) -> None:
    text = to_json(summary)
    data = json.loads(text)
    assert list(data) == ["by", "groups", "source", "model", "version", "created", "gold", "mode", "min_count"]
    assert data["gold"] is None and data["mode"] == "default"
    group = data["groups"][0]
    assert list(group) == ["group", "n_passages", "n_labeled", "n_skipped", "stances", "key_points", "coverage", "terms",
                           "corrected", "n_gold"]
    point = summary.groups[0].key_points["balanced"][0]
    assert group["key_points"]["balanced"][0]["text"] == point.text and point.text in text
    assert group["key_points"]["balanced"][0]["passage_ids"] == list(point.passage_ids)
    assert group["stances"][0]["share"] == round(summary.groups[0].stances[0].share, 4)


def test_html_is_self_contained_and_embeds_the_plot(summary) -> None:
    page = to_html(summary, plot_png=PNG)
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in page
    assert not re.search(r"https?://|<link|<script|@import|url\(", page)
    for point in summary.groups[0].key_points["boundary_setting"]:
        assert f'<blockquote dir="rtl" lang="{point.lang}">{point.text}</blockquote>' in page


def test_html_refuses_bytes_that_are_not_a_png(summary) -> None:
    with pytest.raises(ParameterError, match="plot_png must be the bytes of a PNG image"):
        to_html(summary, plot_png=b"GIF89a...")


def test_markup_in_passages_and_group_names_is_escaped() -> None:
    text = "العميل دائما على حق <script>alert(1)</script> في كل الأحوال."
    labeled = frame([("ar", "customer_always_right", text), ("ar", "none", "رابط الاستبيان في أول الصفحة.")])
    labeled["source"] = ["<b>forum</b>", "<b>forum</b>"]
    summary = summarize(labeled, by="source")
    assert summary.groups[0].key_points["customer_always_right"][0].text == text
    for rendered in (to_html(summary), to_markdown(summary)):
        assert "<script>" not in rendered and "<b>" not in rendered
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered and "&lt;b&gt;forum&lt;/b&gt;" in rendered


# --- candidate sentences (their filters: tests/test_candidates.py) ----------------------------------

def test_a_sentence_of_another_stance_is_no_key_point_of_its_passage_label() -> None:
    opposite = "من حق الموظف أن يرفض إهانة الزبون ولا يتحملها أبدا."
    claim = "العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق."
    rows = [("ar", "customer_always_right", f"{opposite} {claim}")] * 1
    rows += [("ar", "customer_always_right", f"{claim[:-1]} كلهم. الزبون ملك السوق.")]
    found = key_points(frame(rows)).points["customer_always_right"]
    assert found and all(p.text != opposite for p in found) and found[0].probability >= 0.5


def test_identical_and_near_identical_passages_are_folded_and_counted_once() -> None:
    claim = ("العميل دائما على حق لأنه يدفع رواتب كل العاملين في المتجر والمخازن والفروع وخدمة التوصيل "
             "والإدارة والمحاسبة.")
    rows = [("ar", "customer_always_right", claim), ("ar", "customer_always_right", claim),
            ("ar", "customer_always_right", claim.replace(".", "!!")),  # the same words
            ("ar", "customer_always_right", claim[:-1] + " والمخازن والفروع وخدمة التوصيل والإدارة والمحاسبة الكبيرة."),
            ("ar", "customer_always_right", "الزبون ملك السوق ويجب إرضاؤه بأي ثمن كان.")]
    found = key_points(frame(rows))
    coverage = found.coverage["customer_always_right"]["ar"]
    assert (coverage.n_passages, coverage.duplicates, coverage.n_distinct) == (5, 3, 2)
    assert sum(p.count for p in found.points["customer_always_right"]) <= 2
    assert {pid for p in found.points["customer_always_right"] for pid in p.passage_ids} <= {"p0", "p4"}


@pytest.mark.parametrize(("sentence", "reason"), [
    ("العميل دائما على حق لأنه يدفع رواتبنا.", True),
    ("يجب أن يحترم الزبون الموظف مثلما يحترمه الموظف.", True),
    ("مشتری همیشه حق دارد چون حقوق ما را می‌دهد.", True),
    ("کارمند نباید هر توهینی را تحمل کند.", True),
    ("The customer pays us, so the customer is right.", True),
    ("العميل دخل المتجر في الصباح واشترى هاتفا جديدا.", False),
    ("مشتری دیروز یک گوشی نو از فروشگاه خرید.", False),
])
def test_sentences_that_give_a_reason_are_told_from_descriptions(sentence: str, reason: bool) -> None:
    assert gives_reason(sentence) is reason


def test_a_language_without_a_clear_sentence_keeps_its_passage_counts_and_says_why_it_has_no_key_point() -> None:
    claim = "العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق."
    rows = [("ar", "customer_always_right", claim), ("ar", "customer_always_right", "الزبون ملك ويجب إرضاؤه دائما."),
            ("fa", "customer_always_right", "امروز هوا گرم بود و ما ساعت پنج عصر در مغازه را بستیم و رفتیم."),
            ("fa", "none", "فروشگاه ما در خیابان اصلی شهر است و ساعت نه صبح باز می‌شود.")]
    summary = summarize(frame(rows))
    group = summary.groups[0]
    assert {p.lang for p in group.key_points["customer_always_right"]} == {"ar"}
    persian = group.coverage["customer_always_right"]["fa"]
    assert (persian.n_passages, persian.n_language, persian.n_matched) == (1, 2, 0)
    text = to_markdown(summary)
    assert ("Key points, Persian: 1 passages (50.0% of the 2 labeled in Persian).\n\nNo key point: no sentence of "
            "these passages reaches the confidence bar for this stance in Persian.") in text
    assert "No key point: no sentence" in to_html(summary)


def test_a_passage_whose_own_label_is_unclear_gives_no_key_point_that_clears_the_bar() -> None:
    claim = "العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق."
    rows = frame([("ar", "customer_always_right", claim)])
    # unclear, it is still the best its language has: shown, but as tentative
    for p_right, tentative in ((0.9, False), (0.45, True)):
        probabilities = {"p_customer_always_right": p_right, "p_balanced": 0.9 - p_right if p_right < 0.5 else 0.05,
                         "p_boundary_setting": 0.05, "p_none": 0.0}
        labeled = rows.assign(**{column: [value] for column, value in probabilities.items()})
        found = key_points(labeled, min_count=1).points["customer_always_right"]
        assert [(p.text, p.tentative) for p in found] == [(claim, tentative)], probabilities


def test_a_passage_of_one_sentence_needs_a_clearer_label_than_a_sentence_among_others() -> None:
    """A passage that is its one sentence gives one piece of evidence, not two: its label must clear
    ONE_SENTENCE_MARGIN; next to another sentence, MIN_MARGIN is enough; below MIN_MARGIN neither
    gives a key point (only a tentative one)."""
    argument = "کارمند حق دارد با مشتری‌ای که فحاشی می‌کند خداحافظی کند و گفت‌وگو را تمام کند."
    asked_first = f"چرا یک کارمند باید هر حرف زشتی را از مشتری تحمل کند؟ {argument}"  # a question: no candidate
    between = (MIN_MARGIN + ONE_SENTENCE_MARGIN) / 2
    for text, margin, tentative in ((argument, MIN_MARGIN - 0.05, True), (asked_first, MIN_MARGIN - 0.05, True),
                                    (argument, between, True), (asked_first, between, False),
                                    (argument, ONE_SENTENCE_MARGIN + 0.05, False)):
        labeled = frame([("fa", "boundary_setting", text)]).assign(
            p_boundary_setting=(1 + margin) / 2, p_customer_always_right=(1 - margin) / 2, p_balanced=0.0, p_none=0.0)
        found = key_points(labeled, min_count=1).points["boundary_setting"]
        assert [(p.text, p.tentative) for p in found] == [(argument, tentative)], (text, margin)


# two passages that make one argument in other words (and other clitics), and one that makes another
SAME_ARGUMENT = ("الاحتفاظ بالعملاء الحاليين أرخص بكثير من جذب عملاء جدد، لذلك يجب إرضاؤهم دائما.",
                 "يجب إرضاء العميل الحالي، لأن جذب عميل جديد أغلى بكثير من الاحتفاظ بعميل قديم.")
LONE_ARGUMENT = "الزبون الذي يشعر أن شكواه مسموعة يعود إلى المتجر ويوصي به أصدقاءه."


def test_a_key_point_is_made_by_min_count_passages_and_rarer_arguments_are_only_counted(clear_model) -> None:
    labeled = frame([("ar", "customer_always_right", text) for text in (*SAME_ARGUMENT, LONE_ARGUMENT)])
    found = key_points(labeled, model=clear_model)
    assert [(p.text, p.count, p.tentative) for p in found.points["customer_always_right"]] == [
        (SAME_ARGUMENT[0], 2, False)]
    coverage = found.coverage["customer_always_right"]["ar"]
    assert (coverage.n_matched, coverage.n_rare) == (2, 1)
    text = to_markdown(summarize(labeled, model=clear_model))
    assert ("the key points cover 2 of 3 (66.7%). 1 more sentence clears the confidence bar but is made by fewer "
            "than 2 passages (--min-count 1 shows them).") in text
    assert "A key point is made by at least 2 passages" in text
    # min_count=1 shows the argument of one passage too, as a singleton, and counts none as rare
    found = key_points(labeled, model=clear_model, min_count=1)
    assert [(p.text, p.count) for p in found.points["customer_always_right"]] == [
        (SAME_ARGUMENT[0], 2), (LONE_ARGUMENT, 1)]
    assert found.coverage["customer_always_right"]["ar"].n_rare == 0
    assert "A singleton key point is made by its own passage only." in to_markdown(
        summarize(labeled, model=clear_model, min_count=1))
    with pytest.raises(ParameterError, match="min_count must be a whole number of at least 1; got 0"):
        summarize(labeled, min_count=0)


def test_a_stance_whose_arguments_are_each_made_by_one_passage_says_so() -> None:
    limit = "من حق الموظف أن يرفض إهانة الزبون لأن كرامته ليست جزءا من الخدمة."
    labeled = frame([*(("ar", "customer_always_right", text) for text in SAME_ARGUMENT),
                     ("ar", "boundary_setting", limit)])
    summary = summarize(labeled, model=SureModel(limit_word="الموظف"))  # the employee's side: limits
    group = summary.groups[0]
    assert [p.count for p in group.key_points["customer_always_right"]] == [2]
    assert group.key_points["boundary_setting"] == [] and group.coverage["boundary_setting"]["ar"].n_rare == 1
    expected = ("1 more sentence clears the confidence bar but is made by fewer than 2 passages (--min-count 1 shows "
                "them).\n\nNo key point: no argument that clears the confidence bar here is made by 2 passages or more.")
    assert expected in to_markdown(summary)
    assert "No key point: no argument that clears the confidence bar here" in to_html(summary)


def test_a_language_whose_arguments_are_each_made_by_one_passage_shows_one_as_tentative(clear_model) -> None:
    lone_persian = "مشتری‌ای که حس کند شکایتش شنیده شده دوباره برمی‌گردد و مغازه را به دوستانش معرفی می‌کند."
    labeled = frame([*(("ar", "customer_always_right", text) for text in SAME_ARGUMENT),
                     ("fa", "customer_always_right", lone_persian)])
    found = key_points(labeled, model=clear_model)
    persian = [p for p in found.points["customer_always_right"] if p.lang == "fa"]
    # the sentence clears the confidence bar: it is the tentative key point, as it is (one passage)
    assert [(p.text, p.count, p.tentative) for p in persian] == [(lone_persian, 1, True)]
    assert found.coverage["customer_always_right"]["fa"].n_rare == 0  # shown, so not counted as left out
    assert_key_point_invariants(labeled, found.points, top=5)


def test_below_the_bar_the_tentative_key_point_weighs_how_clear_its_passage_is() -> None:
    """Of two arguments whose passages are both below the bar, the one in the clearer passage is the
    tentative key point, even where the other reads more like an argument."""
    pleasing = "مشتری همیشه حق دارد چون درآمد ما از رضایت او می‌آید و باید هر خواسته‌اش را برآورده کنیم."
    limit = "کارمند حق دارد با مشتری‌ای که فحاشی می‌کند خداحافظی کند و گفت‌وگو را تمام کند."
    first, second = argument_probabilities([pleasing, limit], ["fa", "fa"])
    assert first > second  # by the argument filter and the sentences alone, the first would rank first
    labeled = frame([("fa", "customer_always_right", pleasing), ("fa", "boundary_setting", limit)]).assign(
        p_customer_always_right=[0.4, 0.2], p_balanced=[0.35, 0.1], p_boundary_setting=[0.2, 0.6], p_none=[0.05, 0.1])
    found = key_points(labeled, model=SureModel(limit_word="کارمند"))
    shown = [(p.stance, p.text, p.tentative) for points in found.points.values() for p in points]
    assert shown == [("boundary_setting", limit, True)]


def unclear(rows: list[tuple[str, str, str]], clear_langs: set[str]) -> pd.DataFrame:
    """A labeled table whose passages have a clear label in ``clear_langs``, else an unclear one."""
    table = frame(rows)
    clear = table["lang"].isin(clear_langs).to_numpy()
    for label in LABELS:
        own = (table["stance"] == label).to_numpy()
        table[f"p_{label}"] = np.where(clear, np.where(own, 0.91, 0.03), np.where(own, 0.4, 0.2))
    return table


def test_a_language_with_no_sentence_that_clears_the_bar_gets_one_tentative_key_point() -> None:
    argument = "کارمند حق دارد با مشتری‌ای که فحاشی می‌کند خداحافظی کند و گفت‌وگو را تمام کند."
    review = "کافه‌ی کنار ایستگاه چای خوبی دارد و صاحبش مشتری‌هایش را به اسم می‌شناسد."
    rows = [("ar", "customer_always_right", "العميل دائما على حق لأن رضاه هو مصدر أرباحنا ويجب إرضاؤه بكل الطرق."),
            ("fa", "boundary_setting", argument), ("fa", "customer_always_right", review)]
    labeled = unclear(rows, clear_langs={"ar"})
    found = key_points(labeled, min_count=1)
    persian = [p for points in found.points.values() for p in points if p.lang == "fa"]
    # of all stances, the sentence most likely to be an argument of its passage's stance
    assert [(p.stance, p.text, p.tentative, p.passage_ids) for p in persian] == [
        ("boundary_setting", argument, True, ("p1",))]
    assert found.coverage["boundary_setting"]["fa"].n_matched == 1
    assert [p.tentative for p in found.points["customer_always_right"] if p.lang == "ar"] == [False]
    assert_key_point_invariants(labeled, found.points, top=5)
    text = to_markdown(summarize(labeled, min_count=1))
    assert f"1 of 1 passages (100.0%) · singleton · tentative: {TENTATIVE_NOTE} · passage `p1`" in text
    # once one sentence of the language clears the bar, nothing tentative is shown
    found = key_points(unclear(rows, clear_langs={"ar", "fa"}), min_count=1)
    assert not any(p.tentative for points in found.points.values() for p in points)
