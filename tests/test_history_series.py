"""The series rule (resdiff/series.py) on versions built in the test: pure, no git.

Every version here is CONSTRUCTED: the real 2003/73's text under made-up General
Assembly symbols, dates, titles and recalls, to exercise one clause of the rule
at a time. The real corpus is checked in test_corpus_series.py.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REAL_2003_73
from resdiff.history import Source, assign_series, version_from
from resdiff.parse import parse
from resdiff.series import fingerprint, is_generic, resemblance
from resdiff.symbols import parse_symbol

BASE = version_from(parse(REAL_2003_73.read_text(encoding="utf-8"), source="t.txt"), source=Source("x.txt", "0" * 64, "txt", "sources/x.txt"))
OTHER_TEXT = "".join(f"PP{i}\tAn unrelated constructed paragraph number {i} about {w}.\n" for i, w in enumerate("abcdefghij", 1))


def ga(short: str, title: str, *, recalled: tuple[str, ...] = (), text: str | None = None):
    """A constructed GA version: session s adopted on 1 December of 1945 + s."""
    session = int(short.split("/")[0])
    body = text if text is not None else BASE.text
    return replace(BASE, symbol=parse_symbol(f"ga:{short}"), date=f"{1945 + session}-12-01", title=title, text=body,
                   recalls=None, recalled=tuple(parse_symbol(f"ga:{s}") for s in recalled), links=(),
                   fingerprint=fingerprint(body))


def groups(versions) -> list[list[str]]:
    return sorted([v.symbol.short for v in vs] for vs in assign_series(versions).values())


def test_a_title_continues_across_gaps_of_up_to_two_sessions_but_not_three():
    biennial = [ga("74/1", "Sustainable mountain development"), ga("76/1", "Sustainable mountain development"),
                ga("79/1", "Sustainable mountain development")]
    assert groups(biennial) == [["74/1", "76/1", "79/1"]]  # 76 -> 79 is three sessions: within the window
    assert groups([biennial[0], ga("78/1", "Sustainable mountain development")]) == [["74/1"], ["78/1"]]


def test_a_recall_links_however_far_back():
    assert groups([ga("70/5", "Sustainable mountain development"),
                   ga("78/1", "Sustainable mountain development", recalled=("70/5",))]) == [["70/5", "78/1"]]


def test_a_generic_title_links_only_when_recalled_or_worded_alike():
    alike = [ga("74/1", "Report of the Ethics Office"), ga("75/1", "Report of the Ethics Office")]
    assert groups(alike) == [["74/1", "75/1"]]
    unlike = [alike[0], ga("75/1", "Report of the Ethics Office", text=OTHER_TEXT)]
    assert groups(unlike) == [["74/1"], ["75/1"]]
    recalled = [alike[0], ga("75/1", "Report of the Ethics Office", text=OTHER_TEXT, recalled=("74/1",))]
    assert groups(recalled) == [["74/1", "75/1"]]
    assert is_generic("Report of the Ethics Office") and is_generic("Programme budget for 2024")
    assert not is_generic("The girl child")


def test_a_drifted_title_follows_the_recall_unless_the_recalled_one_is_continued_by_its_own_title():
    renamed = [ga("74/1", "Follow-up to the twentieth anniversary of the International Year of the Family"),
               ga("76/1", "Preparations for the thirtieth anniversary of the International Year of the Family", recalled=("74/1",))]
    assert groups(renamed) == [["74/1", "76/1"]]
    alternating = [ga("74/1", "The girl child"), ga("75/1", "Child marriage and the girl child", recalled=("74/1",)),
                   ga("76/1", "The girl child", recalled=("74/1",))]
    assert groups(alternating) == [["74/1", "76/1"], ["75/1"]]
    unrelated = [ga("74/1", "The right to food"), ga("75/1", "International Day of Light", recalled=("74/1",))]
    assert groups(unrelated) == [["74/1"], ["75/1"]]


def test_versions_of_one_session_are_siblings_and_the_closest_wording_is_followed():
    two = [ga("74/1", "Developments in the field of information", text=OTHER_TEXT),
           ga("74/2", "Developments in the field of information")]
    assert groups(two) == [["74/1"], ["74/2"]]
    later = ga("75/1", "Developments in the field of information")
    assert groups([*two, later]) == [["74/1"], ["74/2", "75/1"]]


def test_resemblance_of_sketches():
    a, b = fingerprint(BASE.text), fingerprint(OTHER_TEXT)
    assert resemblance(a, a) == 1.0 and resemblance(a, b) == 0.0 and resemblance("", a) == 0.0
    # Numbers do not count: a yearly update of dates and symbols keeps the paragraphs alike.
    assert fingerprint(BASE.text.replace("2002", "2003")) == a


SET = [ga("74/1", "The girl child"), ga("75/1", "Child marriage and the girl child", recalled=("74/1",)),
       ga("76/1", "The girl child", recalled=("74/1",)), ga("76/2", "Report of the Ethics Office"),
       ga("77/2", "Report of the Ethics Office"), ga("78/1", "The girl child"), ga("78/2", "Report of the Ethics Office", text=OTHER_TEXT)]


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(len(SET))))
def test_the_grouping_depends_on_the_set_not_the_order(order):
    assert assign_series([SET[i] for i in order]) == assign_series(SET)
