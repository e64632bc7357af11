"""resdiff.history and resdiff.history_report: pure, no git.

Series here are CONSTRUCTED from the real 2003/73 (tests/series_fixtures.py); only
the bundled 2003/73 itself is a real text.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import series_fixtures as sf
from conftest import REAL_2003_73
from resdiff.errors import StoreError
from resdiff.history import (
    Source, assign_series, blame, build_history, check_series_name, document_of, normalise, recalled,
    series_slug, version_from,
)
from resdiff.history_report import blame_text, history_context, log_json, log_text, render_history
from resdiff.parse import parse
from resdiff.symbols import parse_symbol

REAL = REAL_2003_73.read_text(encoding="utf-8")
SOURCE = Source("x.txt", "0" * 64, "txt", "sources/x.txt")


def version_of(text: str, **options):
    return version_from(parse(text, source="t.txt"), source=SOURCE, **options)


@pytest.fixture(scope="module")
def six():
    return [version_of(c.text) for c in sf.series(6)]


# ---------------------------------------------------------------- versions


def test_normalised_text_is_one_labelled_paragraph_per_line_and_round_trips():
    doc = parse(REAL, source="data/chr-2003-73.txt")
    text = normalise(doc)
    assert text.splitlines()[3] == "PP1\tRecalling its resolution 2002/82 of 26 April 2002,"
    assert "\nOP21\tDecides to continue" in text and len(text.splitlines()) == len(doc.paragraphs)
    v = version_of(REAL)
    assert document_of(v).paragraphs == doc.paragraphs


def test_version_reads_symbol_date_title_and_recalled_resolution():
    v = version_of(REAL)
    assert (v.symbol.key, v.date, v.body) == ("chr:2003/73", "2003-04-25", "Commission on Human Rights")
    assert v.title.startswith("Regional cooperation") and v.recalls == parse_symbol("2002/82")
    assert v.meeting == "62nd meeting" and v.given == ()


def test_options_override_what_the_text_says():
    v = version_of(REAL, symbol="chr:1990/71", date="1990-03-07", title="Other", pin="my-series")
    assert (v.symbol.short, v.date, v.title, v.pin) == ("1990/71", "1990-03-07", "Other", "my-series")
    assert v.given == ("symbol", "date", "title")


@pytest.mark.parametrize(
    ("text", "options", "needle", "hint"),
    [
        (sf.version(1990, 0, 1, with_date=False).text, {}, "no adoption date", "--date"),
        (sf.version(1990, 0, 1, with_symbol=False).text, {}, "no symbol", "--symbol"),
        (REAL, {"date": "25/04/2003"}, "not a date", "YYYY-MM-DD"),
        (REAL, {"pin": "../escape"}, "not a valid series name", "--series"),
    ],
)
def test_missing_or_bad_metadata_stops_with_a_hint(text, options, needle, hint):
    with pytest.raises(StoreError) as info:
        version_of(text, **options)
    assert needle in info.value.message and hint in info.value.hint


def test_recalled_picks_the_latest_earlier_resolution_of_the_same_body():
    text = REAL.replace("Recalling its resolution 2002/82 of 26 April 2002,",
                        "Recalling its resolutions 2001/77 of 20 April 2001 and 2002/82 of 26 April 2002,")
    own = parse_symbol("2003/73")
    assert recalled(parse(text), own) == parse_symbol("2002/82")
    assert recalled(parse(REAL.replace("Recalling its resolution", "Bearing in mind its resolution")), own) is None
    assert recalled(parse(REAL.replace("Recalling its resolution", "Recalling Commission on Human Rights resolution")), own) == parse_symbol("2002/82")
    other_body = REAL.replace("Recalling its resolution 2002/82 of 26 April 2002,", "Recalling General Assembly resolution 2002/82,")
    assert recalled(parse(other_body), own) is None


@pytest.mark.parametrize("name", ["", "Upper", "a--b", "-a", "a/b", "..", "x" * 61])
def test_series_names_are_safe_slugs(name):
    with pytest.raises(StoreError):
        check_series_name(name)


def test_series_slug_is_short_and_does_not_end_on_a_small_word():
    assert series_slug(sf.OLD_TITLE) == "regional-arrangements-for-the-promotion-and-protection"
    assert len(series_slug("word " * 40)) <= 60 and series_slug("!!!") == ""


# ---------------------------------------------------------------- series


def test_a_recall_chain_keeps_a_series_together_across_a_title_change(six):
    series = assign_series(six)
    assert list(series) == ["regional-cooperation-for-the-promotion-and-protection"]
    assert [v.symbol.short for v in series[next(iter(series))]] == ["1997/45", "1998/44", "1999/69", "2000/74", "2001/77", "2002/82"]


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(6)))
def test_series_do_not_depend_on_the_order_versions_come_in(order):
    versions = [version_of(c.text) for c in sf.series(6)]
    assert assign_series([versions[i] for i in order]) == assign_series(versions)


def test_a_gap_at_the_title_change_makes_two_series_until_the_gap_is_filled(six):
    without_1999 = [v for v in six if v.symbol.short != "1999/69"]
    assert sorted(assign_series(without_1999)) == [
        "regional-arrangements-for-the-promotion-and-protection", "regional-cooperation-for-the-promotion-and-protection"]
    assert len(assign_series(six)) == 1


def test_a_pin_overrides_the_links_of_its_own_version(six):
    pinned = [replace(v, pin="split-off") if v.symbol.short == "2002/82" else v for v in six]
    series = assign_series(pinned)
    assert [v.symbol.short for v in series["split-off"]] == ["2002/82"]
    # An unpinned version that recalls a pinned one joins the pinned series.
    joined = [replace(v, pin="renamed") if v.symbol.short == "1997/45" else v for v in six]
    assert list(assign_series(joined)) == ["renamed"]


def test_versions_of_one_session_with_the_same_title_are_siblings_not_a_series():
    a = version_of(REAL)
    b = replace(version_of(REAL, symbol="2003/74"), recalls=None)
    assert len(assign_series([replace(a, recalls=None), b])) == 2


# ---------------------------------------------------------------- lineage and statistics


@pytest.fixture(scope="module")
def history(six):
    return build_history("s", six)


def test_change_statistics_count_words_and_paragraphs(history):
    first, third = history.stats[0], history.stats[2]
    assert first.words_inserted == first.added == 0 and first.paragraphs == 27
    assert third.added == 2 and third.words_inserted > third.words_deleted  # PP7 and OP15 appear in 1999
    assert history.stats[1].modified == history.stats[1].routine > 0  # 1998: only ordinals, dates, symbols


def test_lineage_follows_paragraphs_through_renumbering(history):
    lines = {b.label: b for b in blame(history, parse_symbol("2002/82"))}
    assert lines["PP2"].first.symbol.short == "1997/45" and lines["PP2"].changed.symbol.short == "1997/45"
    assert lines["PP7"].first.symbol.short == "1999/69"  # "Recognizing further" appeared in 1999
    assert lines["PP1"].changed.symbol.short == "2002/82"  # the recalled resolution changes every year
    assert [label for _, label in lines["PP8"].labels] == ["PP7", "PP7", "PP8", "PP8", "PP8", "PP8"]
    assert lines["TITLE"].changed.symbol.short == "1999/69"


def test_blame_of_an_earlier_version_uses_only_what_came_before(history):
    lines = blame(history, parse_symbol("1998/44"))
    assert {b.first.symbol.short for b in lines} == {"1997/45"}
    assert all(len(b.labels) <= 2 for b in lines)


# ---------------------------------------------------------------- report


def test_history_report_links_resolve_and_ids_are_unique(history):
    html = render_history(history)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "anchors of the redlines must not collide"
    missing = set(re.findall(r'href="#([^"]+)"', html)) - set(ids)
    assert not missing
    assert html.count("<rect class=\"ins\"") == 6 and "<svg" in html and "<del>" in html and "<ins>" in html


def test_history_view_model_has_lineage_for_every_body_paragraph(history):
    ctx = history_context(history)
    labels = [row.label for row in ctx["lineage"]]
    assert labels[0] == "TITLE" and "PP7" in labels and "HEADING" not in labels and "MEETING" not in labels
    pp8 = next(r for r in ctx["lineage"] if r.label == "PP8")
    assert [(r.label, r.since, r.until) for r in pp8.runs] == [("PP7", "1997/45", "1998/44"), ("PP8", "1999/69", "2002/82")]
    assert len(ctx["redlines"]) == 5 and all(p.changed for red in ctx["redlines"] for p in red.pairs)


def test_report_escapes_text_and_is_deterministic(six):
    evil = replace(six[-1], title="<script>alert(1)</script>")
    h = build_history("s", six[:-1] + [evil])
    html = render_history(h)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert render_history(h) == html


def test_log_and_blame_text(history):
    log = log_text(history).splitlines()
    assert log[0].startswith("SYMBOL") and log[1].startswith("1997/45") and "Regional arrangements" in log[1]
    assert "Regional cooperation" in log[3] and "Regional" not in log[4]
    assert '"changes": null' in log_json(history)
    text = blame_text(blame(history, parse_symbol("2002/82")))
    assert re.search(r"^PP7 +1999/69 +1999/69 +Recognizing further", text, re.M)
