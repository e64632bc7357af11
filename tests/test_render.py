"""resdiff.render: the JSON contract, the HTML redline, the text redline, the summary.

Most tests use the bundled pair: the real resolution 2003/73 against the
illustrative draft constructed from it (data/), which exercises every status.
Hostile texts below are constructed in this file to test escaping; they are not
from any UN document.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.compare import compare_texts
from resdiff.diff import word_ops
from resdiff.model import Comparison, Document, PairDiff, Paragraph, Section, Status
from resdiff.render import render_html, render_json, render_summary, render_text, resdiff_version, summary

DATA = Path(__file__).resolve().parent.parent / "data"
OLD_NAME = "2003/73"
NEW_NAME = "data/illustrative-draft-next-year.txt"
NAMES = {"old_name": OLD_NAME, "new_name": NEW_NAME}
SUMMARY_KEYS = ["unchanged", "modified", "added", "deleted", "split", "merged",
                "moved", "renumbered", "routine", "words_inserted", "words_deleted"]
HOSTILE = "<script>alert(1)</script> & \"double\" 'single' </p><b>bold</b>"


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_texts(
        (DATA / "chr-2003-73.txt").read_text(encoding="utf-8"),
        (DATA / "illustrative-draft-next-year.txt").read_text(encoding="utf-8"),
        old_source="data/chr-2003-73.txt",
        new_source=NEW_NAME,
    )


@pytest.fixture(scope="module")
def report(comparison: Comparison) -> str:
    return render_html(comparison, **NAMES)


@pytest.fixture(scope="module")
def elements(report: str) -> list[Element]:
    return parse_html(report)


def side_texts(c: Comparison, pair: dict) -> tuple[str, str]:
    """The old and new texts of a JSON pair, joined as compare.py joins them."""
    old, new = c.old.by_label(), c.new.by_label()
    return (" ".join(old[label].text for label in pair["old"]),
            " ".join(new[label].text for label in pair["new"]))


# ---------------------------------------------------------------- HTML parsing helpers

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    """A start tag with its attributes and the classes of every ancestor."""

    def __init__(self, tag: str, attrs: dict[str, str], ancestors: list[Element]):
        self.tag, self.attrs, self.ancestors = tag, attrs, list(ancestors)
        self.classes = set((attrs.get("class") or "").split())
        self.text = ""

    def within(self, cls: str) -> bool:
        return any(cls in a.classes for a in self.ancestors)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: v or "" for k, v in attrs}, self.stack)
        self.elements.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data):
        for el in self.stack:
            el.text += data


def parse_html(text: str) -> list[Element]:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.elements


def pairs_in(elements: list[Element], view: str) -> list[Element]:
    return [e for e in elements if "pair" in e.classes and e.within(view)]


# ---------------------------------------------------------------- JSON

def test_json_has_the_contract_keys_and_types(comparison: Comparison) -> None:
    data = json.loads(render_json(comparison, **NAMES))
    assert list(data) == ["resdiff", "generator", "old", "new", "pairs", "summary", "warnings"]
    assert data["resdiff"] == 1
    assert data["generator"] == {"name": "resdiff", "version": resdiff_version(), "generated": None,
                                 "inputs": {"old": OLD_NAME, "new": NEW_NAME}}
    assert data["old"] == {"symbol": "2003/73", "title": comparison.old.title,
                           "date": "2003-04-25", "source": "data/chr-2003-73.txt", "lang": "en"}
    assert data["new"]["symbol"] is None and data["new"]["date"] is None
    # "bracketed" appears when a version has [bracketed] text: the draft's "[host city]" and "[host country]".
    assert [k for k in data["summary"] if k != "bracketed"] == SUMMARY_KEYS and data["summary"]["bracketed"] == 2
    assert all(isinstance(v, int) for v in data["summary"].values())
    assert data["warnings"] == list(comparison.warnings)
    for pair in data["pairs"]:
        assert {"old", "new", "status", "moved", "renumbered", "ops"} <= set(pair)
        assert pair["status"] in {s.value for s in Status}
        assert isinstance(pair["moved"], bool) and isinstance(pair["renumbered"], bool)
        assert all(op in (-1, 0, 1) and isinstance(text, str) and text for op, text in pair["ops"])


def test_json_records_when_it_was_generated_only_when_told(comparison: Comparison) -> None:
    stamped = json.loads(render_json(comparison, **NAMES, generated="2026-12-02T03:10:00Z"))
    assert stamped["generator"]["generated"] == "2026-12-02T03:10:00Z"
    assert render_json(comparison, **NAMES) == render_json(comparison, **NAMES)


def test_json_ops_rebuild_both_texts_of_every_pair(comparison: Comparison) -> None:
    for pair in json.loads(render_json(comparison, **NAMES))["pairs"]:
        old, new = side_texts(comparison, pair)
        assert "".join(t for op, t in pair["ops"] if op in (0, -1)) == old
        assert "".join(t for op, t in pair["ops"] if op in (0, 1)) == new


def test_json_pairs_follow_the_new_order_with_deletions_in_place(comparison: Comparison) -> None:
    pairs = json.loads(render_json(comparison, **NAMES))["pairs"]
    new_order = [label for p in pairs for label in p["new"]]
    assert new_order == [p.label for p in comparison.new.paragraphs]
    found = {(tuple(p["old"]), tuple(p["new"])): p for p in pairs}
    assert found[("OP12",), ("OP12", "OP13")]["status"] == "split"
    assert found[("OP6", "OP7"), ("OP7",)]["status"] == "merged"
    assert found[("OP13",), ("OP4",)]["moved"] is True
    assert found[(), ("PP9",)]["status"] == "added"
    assert found[("OP14",), ()]["status"] == "deleted"
    assert "opening verb: Encourages -> Urges (stronger)" in found[("OP15",), ("OP14",)]["notes"]
    # The deleted OP14 stands where it stood: after the split OP12.
    labels = [(tuple(p["old"]), tuple(p["new"])) for p in pairs]
    assert labels.index((("OP14",), ())) == labels.index((("OP12",), ("OP12", "OP13"))) + 1


def test_json_summary_counts(comparison: Comparison) -> None:
    data = json.loads(render_json(comparison, **NAMES))
    assert data["summary"] == summary(comparison)
    s = data["summary"]
    assert (s["split"], s["merged"], s["moved"], s["added"], s["deleted"]) == (1, 1, 1, 2, 1)
    # The draft prints no closing lines: they are absent from its source, not deleted, and not counted.
    absent = [p for p in data["pairs"] if p.get("absent")]
    assert [(p["old"], p["absent"]) for p in absent] == [(["MEETING"], "new"), (["DATE"], "new"), (["ADOPTION"], "new")]
    assert s["unchanged"] + s["modified"] + s["added"] + s["deleted"] + s["split"] + s["merged"] == len(data["pairs"]) - len(absent)
    assert s["words_inserted"] > 0 and s["words_deleted"] > 0


def test_json_is_deterministic_unicode_and_newline_terminated(comparison: Comparison) -> None:
    out = render_json(comparison, **NAMES)
    assert out == render_json(comparison, **NAMES)
    assert out.endswith("}\n")
    accented = render_json(constructed("Résolution — état", "Résolution — État", "ü"), old_name="a", new_name="b")
    assert "Résolution — " in accented and "\\u" not in accented  # ensure_ascii=False


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize("fragment", [
    "<del>eleventh</del><ins>twelfth</ins>",
    "<del>Encourages</del><ins>Urges</ins>",
    "<del>Pakistan</del><ins>[host country]</ins>",
    "<del>2002/82</del><ins>2003/73</ins>",
    "<ins>Recognizing also the important role of subregional cooperation",
    "<del>Takes note of the discussions at the eleventh workshops",
])
def test_html_marks_the_known_changes(report: str, fragment: str) -> None:
    assert fragment in report


def test_html_shows_closing_lines_the_draft_does_not_print_as_absent_not_deleted(report: str) -> None:
    # The illustrative draft has no meeting, date or adoption lines: a draft is not adopted yet.
    assert "<del>62nd meeting</del>" not in report
    assert "62nd meeting" in report and "not printed in the new source (not a change)" in report


@pytest.mark.parametrize("label", [
    "OP13 <span class=\"arrow\" aria-label=\"became\">→</span> OP4",
    "OP12 <span class=\"arrow\" aria-label=\"became\">→</span> OP12 + OP13",
    "OP6 + OP7 <span class=\"arrow\" aria-label=\"became\">→</span> OP7",
    "— <span class=\"arrow\" aria-label=\"became\">→</span> PP9",
    "OP14 <span class=\"arrow\" aria-label=\"became\">→</span> —",
])
def test_html_shows_both_labels(report: str, label: str) -> None:
    assert label in report


def test_html_label_text_reads_old_arrow_new(elements: list[Element]) -> None:
    labels = {" ".join(e.text.split()) for e in elements if "labels" in e.classes}
    assert {"OP13 → OP4", "OP12 → OP12 + OP13", "OP6 + OP7 → OP7", "— → PP9", "OP14 → —", "PP2"} <= labels


def test_html_shows_tags_and_notes(elements: list[Element], report: str) -> None:
    moved = next(e for e in pairs_in(elements, "view-redline") if "moved" in e.classes)
    assert "moved" in moved.text and "renumbered" in moved.text and "OP13" in moved.text
    assert "opening verb: Encourages -&gt; Urges" in report


def test_html_every_pair_once_per_view_with_status(comparison: Comparison, elements: list[Element]) -> None:
    for view in ("view-redline", "view-columns"):
        pairs = pairs_in(elements, view)
        assert [e.attrs["data-status"] for e in pairs] == ["absent" if p.absent else p.status.value for p in comparison.pairs]
        for e, p in zip(pairs, comparison.pairs):
            text_changed = (p.status is not Status.UNCHANGED or p.moved) and not p.absent
            assert ("changed" in e.classes) == text_changed
            assert ("unchanged" in e.classes) == (not text_changed)


def test_html_split_pair_shows_each_new_paragraph(elements: list[Element]) -> None:
    split = next(e for e in pairs_in(elements, "view-redline") if e.attrs["data-status"] == "split")
    sublabels = [e.text for e in elements if "sublabel" in e.classes and split in e.ancestors]
    assert sublabels == ["OP12", "OP13"]
    merged = next(e for e in pairs_in(elements, "view-columns") if e.attrs["data-status"] == "merged")
    old_labels = [e.text for e in elements if "sublabel" in e.classes and merged in e.ancestors and e.within("col-old")]
    assert old_labels == ["OP6", "OP7"]


def test_html_columns_separate_the_sides(elements: list[Element]) -> None:
    assert any(e.tag == "del" and e.within("col-old") for e in elements)
    assert any(e.tag == "ins" and e.within("col-new") for e in elements)
    assert not any(e.tag == "ins" and e.within("col-old") for e in elements)
    assert not any(e.tag == "del" and e.within("col-new") for e in elements)


def test_html_controls_work_without_javascript(report: str, elements: list[Element]) -> None:
    checkbox = next(e for e in elements if e.attrs.get("id") == "changes-only")
    assert checkbox.tag == "input" and checkbox.attrs["type"] == "checkbox"
    assert "body:has(#changes-only:checked) main .pair.unchanged" in report
    assert {e.attrs.get("id") for e in elements if e.attrs.get("name") == "view"} == {"view-redline", "view-columns"}
    assert all("src" not in e.attrs for e in elements if e.tag == "script")  # one optional inline script
    # The controls come first in the tab order, right after the skip link.
    focusable = [e for e in elements if e.tag in ("a", "input", "summary") and "href" in e.attrs or e.tag in ("input", "summary")]
    assert focusable[0].attrs.get("class") == "skip-link"
    assert [e.attrs.get("id") for e in focusable[1:6]] == ["changes-only", "hide-routine", "copy-deleted", "view-redline", "view-columns"]


def test_html_every_change_links_to_its_neighbours(comparison: Comparison, elements: list[Element]) -> None:
    ids = {e.attrs["id"] for e in elements if "id" in e.attrs}
    for view, prefix in (("view-redline", ""), ("view-columns", "c-")):
        navs = [e for e in elements if "pair-nav" in e.classes and "nav-all" in e.classes and e.within(view)]
        changed = [e for e in pairs_in(elements, view) if "changed" in e.classes]
        assert len(navs) == len(changed) == sum(1 for p in comparison.pairs if (p.status is not Status.UNCHANGED or p.moved) and not p.absent)
        for k, nav in enumerate(navs, start=1):
            assert f"change {k} of {len(navs)}" in nav.text
        links = [e.attrs["href"][1:] for e in elements if e.tag == "a" and "href" in e.attrs and any(
            "pair-nav" in a.classes for a in e.ancestors) and e.within(view)]
        assert links and set(links) <= ids and all(link.startswith(prefix + "p") for link in links)


def test_html_change_list_in_both_views(elements: list[Element]) -> None:
    for view, prefix in (("change-list-redline", "#p"), ("change-list-columns", "#c-p")):
        links = [e for e in elements if e.tag == "a" and e.within(view)]
        assert len(links) == 18 and all(a.attrs["href"].startswith(prefix) for a in links)
    first = next(e for e in elements if e.tag == "li" and e.within("change-list-redline"))
    assert " ".join(first.text.split()).startswith("HEADING modified ILLUSTRATIVE DRAFT")


def test_html_moved_paragraph_links_to_where_it_stood_in_both_views(elements: list[Element]) -> None:
    ids = {e.attrs["id"] for e in elements if "id" in e.attrs}
    badges = [e for e in elements if e.tag == "a" and any("moved-from" in a.classes for a in e.ancestors)]
    assert [(b.attrs["href"], b.text) for b in badges] == [("#g-p17", "moved from OP13"), ("#c-g-p17", "moved from OP13")]
    assert {"g-p17", "c-g-p17"} <= ids
    old_column = [e for e in elements if "ghost-row" in e.classes]
    assert len(old_column) == 1 and "Recognizes the importance of good governance" in old_column[0].text


def test_html_header_shows_both_versions(elements: list[Element], report: str) -> None:
    versions = next(e for e in elements if "versions" in e.classes)
    text = " ".join(versions.text.split())
    for expected in (OLD_NAME, "illustrative-draft-next-year.txt", "25 April 2003", "62nd meeting", "Commission on Human Rights"):
        assert expected in text
    assert "—" in text  # the draft prints no symbol, date, meeting or adoption note
    assert '<time datetime="2003-04-25">' in report


def test_html_has_a_summary_with_warnings(elements: list[Element]) -> None:
    summary_el = next(e for e in elements if "summary" in e.classes)
    text = " ".join(summary_el.text.split())
    assert "operative numbering jumps from 19 to 21" in text
    assert re.search(r"\+\d+ −\d+ words", text)
    assert "OP13 → OP4" in text


def test_html_loads_nothing_from_outside(report: str) -> None:
    assert not re.search(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:[a-z]+:)?//""", report, re.I)
    assert "@import" not in report
    assert "url(" not in report
    assert "<link" not in report and "<script src" not in report
    assert report.count("<script") == 1  # the optional inline j/k keys
    assert "http://" not in report and "https://" not in report


def test_html_is_deterministic_and_shows_generated_only_when_passed(comparison: Comparison, report: str) -> None:
    assert render_html(comparison, **NAMES) == report
    assert f"Made by resdiff {resdiff_version()} from 2003/73 and illustrative-draft-next-year.txt." in report
    stamped = render_html(comparison, **NAMES, generated="2024-03-01T10:00:00Z")
    assert f"Made by resdiff {resdiff_version()} on 2024-03-01 10:00 UTC from" in stamped


def test_html_escapes_hostile_text() -> None:
    # Constructed texts: no resolution structure, so they parse as plain paragraphs.
    old = f"First paragraph with {HOSTILE} inside.\n\nSecond paragraph stays."
    new = f"First paragraph with {HOSTILE} and more inside.\n\nSecond paragraph stays."
    c = compare_texts(old, new, old_source=HOSTILE, new_source="new.txt")
    out = render_html(c, old_name=HOSTILE, new_name="<img src=x onerror=alert(1)>")
    assert "<script>alert(1)</script>" not in out
    assert "<img src=x" not in out and "<b>bold</b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&#34;double&#34;" in out and "&#39;single&#39;" in out
    assert {e.tag for e in parse_html(out)} <= ALLOWED_TAGS


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "div", "header", "p", "span", "table",
                "colgroup", "col", "thead", "tbody", "tr", "th", "td", "time", "section", "h1", "h2", "h3",
                "a", "ul", "li", "del", "ins", "b", "br", "input", "label", "main", "article", "footer",
                "fieldset", "legend", "details", "summary", "nav", "ol", "caption", "script", "kbd"}


def constructed(old_text: str, new_text: str, extra: str) -> Comparison:
    """A one-pair comparison built directly, so any text reaches the renderer unparsed."""
    old = Document((Paragraph("P1", Section.TEXT, old_text),), source=extra, title=extra, symbol=extra,
                   meeting=extra, adoption=extra, structured=False)
    new = Document((Paragraph("P1", Section.TEXT, new_text),), source=extra, title=extra, structured=False)
    pair = PairDiff(("P1",), ("P1",), Status.MODIFIED, False, False, word_ops(old_text, new_text),
                    ("text",), (extra,))
    return Comparison(old, new, (pair,), (extra,))


texts = st.text(min_size=1, max_size=60) | st.sampled_from(
    ["<script>alert(1)</script>", "</p><script>x</script>", "<!-- x -->", "]]>", "&amp;", "\"'<>"])


@settings(max_examples=60, deadline=None)
@given(old=texts, new=texts, extra=texts)
def test_html_escaping_holds_for_any_text(old: str, new: str, extra: str) -> None:
    c = constructed(old, new, extra)
    elements = parse_html(render_html(c, old_name=extra, new_name=extra))
    assert {e.tag for e in elements} <= ALLOWED_TAGS
    assert sum(e.tag == "script" for e in elements) == 1  # only the report's own j/k keys


# ---------------------------------------------------------------- text

MARKER = re.compile(r"\[-|-\]|\{\+|\+\}")


def text_blocks(out: str) -> list[list[str]]:
    """The per-pair blocks of the text redline (after the header, without part headings)."""
    blocks = out.rstrip("\n").split("\n\n")
    return [b.split("\n") for b in blocks[1:] if not b.startswith("== ")]


def unmark(redline: str, side: int) -> str:
    keep, drop = (r"\[-(.*?)-\]", r"\{\+.*?\+\}") if side == -1 else (r"\{\+(.*?)\+\}", r"\[-.*?-\]")
    return re.sub(keep, r"\1", re.sub(drop, "", redline, flags=re.S), flags=re.S)


def assert_balanced(redline: str) -> None:
    open_marker = None
    for m in MARKER.finditer(redline):
        token = m.group()
        if token in ("[-", "{+"):
            assert open_marker is None, f"nested {token} at {m.start()}"
            open_marker = token
        else:
            assert open_marker == {"-]": "[-", "+}": "{+"}[token], f"stray {token} at {m.start()}"
            open_marker = None
    assert open_marker is None


def test_text_redline_rebuilds_every_pair(comparison: Comparison) -> None:
    out = render_text(comparison, **NAMES)
    blocks = text_blocks(out)
    assert len(blocks) == len(comparison.pairs)
    pairs = json.loads(render_json(comparison, **NAMES))["pairs"]
    for lines, pair in zip(blocks, pairs):
        body = [line for line in lines[1:] if not line.startswith("  note: ")]
        assert all(len(line) <= 100 or " " not in line for line in body)
        redline = " ".join(body)
        assert_balanced(redline)
        old, new = side_texts(comparison, pair)
        if pair["absent"]:
            # Shown plain: the other source does not print this part at all.
            assert redline == (new if pair["absent"] == "old" else old)
            continue
        assert unmark(redline, -1) == old
        assert unmark(redline, 1) == new


def test_text_redline_labels_and_header(comparison: Comparison) -> None:
    out = render_text(comparison, **NAMES)
    labels = [lines[0] for lines in text_blocks(out)]
    assert "OP13 -> OP4  [moved, renumbered]" in labels
    assert "OP12 -> OP12 + OP13  [split, renumbered]" in labels
    assert "OP6 + OP7 -> OP7  [merged, renumbered]" in labels
    assert "— -> PP9  [added]" in labels
    assert "OP14 -> —  [deleted]" in labels
    assert "PP2" in labels
    assert "  note: opening verb: Encourages -> Urges" in out
    header = out.split("\n\n")[0]
    assert f"old: {OLD_NAME} (symbol 2003/73, adopted 25 April 2003)" in header
    assert f"new: {NEW_NAME} (symbol —, adopted —)" in header
    assert "warning: old: operative numbering jumps" in header
    assert out == render_text(comparison, **NAMES)


def test_text_is_not_html_escaped() -> None:
    out = render_text(constructed(HOSTILE, HOSTILE + " more", "a & b"), old_name="a & b", new_name="<new>")
    assert HOSTILE in out and "&amp;" not in out and "<new>" in out


def test_summary_is_short_and_complete(comparison: Comparison) -> None:
    out = render_summary(comparison, **NAMES)
    lines = out.rstrip("\n").split("\n")
    assert len(lines) <= 15
    assert lines[0].startswith(f"old: {OLD_NAME}") and lines[1].startswith(f"new: {NEW_NAME}")
    counts = summary(comparison)
    for key in SUMMARY_KEYS[:8]:
        assert re.search(rf"^  {key} +{counts[key]}$", out, re.M)
    assert f"+{counts['words_inserted']} -{counts['words_deleted']}" in out
    assert "warning: old: operative numbering jumps from 19 to 21" in out


def test_split_with_a_duplicated_number_falls_back_to_one_block() -> None:
    # Constructed: the new text prints "5." twice, so the second OP5's text cannot be looked up.
    old = Document((Paragraph("OP5", Section.OPERATIVE, "Urges States to act, and to report;", "5"),), source="a")
    new = Document((Paragraph("OP5", Section.OPERATIVE, "Urges States to act;", "5"),
                    Paragraph("OP5", Section.OPERATIVE, "Invites States to report;", "5")), source="b")
    ops = word_ops(old.paragraphs[0].text, "Urges States to act; Invites States to report;")
    pair = PairDiff(("OP5",), ("OP5", "OP5"), Status.SPLIT, False, False, ops, ("operative",))
    out = render_html(Comparison(old, new, (pair,)), old_name="a", new_name="b")
    assert "<p class=\"sublabel\">OP5 + OP5</p>" in out
    assert "Invites" in out and out.count("<p class=\"sublabel\">") == 1


def test_a_moved_paragraph_leaves_a_marker_where_it_stood():
    """OP13 of 2003/73 became OP4 of the illustrative draft: the marker stands after OP12 -> OP12 + OP13."""
    c = compare_texts((DATA / "chr-2003-73.txt").read_text(encoding="utf-8"),
                      (DATA / "illustrative-draft-next-year.txt").read_text(encoding="utf-8"))
    page = render_html(c, old_name="2003/73", new_name="draft")
    marker = page.index('<p class="ghost">')
    assert "Old <span class=\"ghost-label\">OP13</span> stood here; it moved and is now <a href=" in page[marker:marker + 160]
    before = page[:marker]
    assert before.rindex("OP12") > before.rindex("OP11")  # right after the split OP12
    HTMLParser().feed(page)


def test_names_in_the_print_header_cannot_leave_the_css_string(comparison: Comparison) -> None:
    hostile = '"; } body { display: none } </style><script>alert(1)</script>\\'
    out = render_html(comparison, old_name=hostile, new_name="new")
    style = out.split("<style>", 1)[1].split("</style>", 1)[0]
    header = next(line for line in style.splitlines() if "@top-center { content:" in line)
    assert "</" not in style and "<script>alert(1)" not in out
    assert re.fullmatch(r'@page \{ @top-center \{ content: "[0-9A-Za-z\\ ]*"; \} \}', header), header
