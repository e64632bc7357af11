"""resdiff.render.render_md: the Markdown redline for issue trackers and e-mail.

Uses the bundled pair (real 2003/73 against the illustrative draft constructed
from it, data/). The hostile texts below are constructed in this file to test
escaping; they are not from any UN document. Markdown is rendered with
markdown-it-py (CommonMark plus GitHub's tables and strikethrough; installed
with typer's rich) to check what a reader would see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from resdiff.compare import compare_texts
from resdiff.model import Comparison
from resdiff.render import markdown_escape, render_md, summary

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (installed with typer's rich) renders the Markdown")

DATA = Path(__file__).resolve().parent.parent / "data"
NAMES = {"old_name": "2003/73", "new_name": "data/illustrative-draft-next-year.txt"}
GFM = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_texts((DATA / "chr-2003-73.txt").read_text(encoding="utf-8"),
                         (DATA / "illustrative-draft-next-year.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(comparison: Comparison) -> str:
    return render_md(comparison, **NAMES)


def html_text(text: str) -> str:
    """``text`` as markdown-it-py prints it inside HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ---------------------------------------------------------------- the bundled pair

def test_known_changes_appear(report: str) -> None:
    for expected in (
        "# Redline: Regional cooperation for the promotion and protection of human rights in the Asian and Pacific Region\n",
        "2003/73 → data/illustrative-draft-next-year.txt\n",
        "Recalling its resolution <del>2002/82</del><ins>2003/73</ins> of <del>26</del><ins>25</ins> April",
        "**OP13 → OP4** · moved · renumbered\n",
        "**— → PP9** · added\n",
        "**OP14 → —** · deleted\n",
        "**OP6 + OP7 → OP7** · merged · renumbered\n",
        "**OP12 → OP12 + OP13** · split · renumbered\n\n*OP12:* Encourages Governments",
        "\n\n*OP13:* <ins> Also encourages Governments</ins>",
        "**OP15 → OP14** · modified · renumbered · *opening verb: Encourages -> Urges (stronger)*\n\n<del>Encourages</del><ins>Urges</ins> all States",
        "<ins>\\[host country\\]</ins>",  # brackets in the draft's text are escaped
        "- old: operative numbering jumps from 19 to 21 (no OP20); kept as printed\n",
    ):
        assert expected in report


def test_summary_table_matches_the_counts(comparison: Comparison, report: str) -> None:
    n = summary(comparison)
    for key in ("unchanged", "modified", "added", "deleted", "split", "merged", "moved", "renumbered"):
        assert f"| {key.capitalize()} | {n[key]} |\n" in report
    assert f"| Words | +{n['words_inserted']} −{n['words_deleted']} |\n" in report


def test_every_operation_renders_as_del_or_ins(comparison: Comparison, report: str) -> None:
    html = GFM.render(report)
    for op, tag in ((-1, "del"), (1, "ins")):
        # A split cuts an operation in two at the paragraph break: compare the joined texts.
        # A part that one source does not print at all (the draft's closing lines) is no change.
        expected = "".join(html_text(t) for p in comparison.pairs if not p.absent for o, t in p.ops if o == op)
        assert "".join(re.findall(rf"<{tag}>(.*?)</{tag}>", html)[1:]) == expected  # [1:]: the legend
    assert "~~" not in report and "<table>" in html and html.count("<h2>") == 5


def test_same_comparison_gives_the_same_markdown(comparison: Comparison, report: str) -> None:
    assert render_md(comparison, **NAMES) == report
    assert report.endswith("\n") and not report.endswith("\n\n")


# ---------------------------------------------------------------- escaping

HOSTILE_OLD = """Recalling *its* resolution_1 [link](http://example.org) and <b>bold</b>, R&D &amp; `code`,

Stressing ~~struck~~ | pipe | and a back\\slash,

1. Decides that # is not a heading;
"""
HOSTILE_NEW = HOSTILE_OLD.replace("*its*", "**its**").replace("Decides", "- Decides").replace("~~struck~~", "<i>x</i>")


def test_hostile_text_creates_no_formatting() -> None:
    # Constructed: every Markdown construct a text could smuggle in.
    c = compare_texts(HOSTILE_OLD, HOSTILE_NEW)
    report = render_md(c, old_name="*old* <b>", new_name="[new](x)")
    assert "R&D" in report and "&amp;amp;" not in report  # no HTML escaping in .md templates
    html = GFM.render(report)
    assert f"<p>{html_text('*old* <b> → [new](x)')}</p>" in html
    body = html.split("<h2>Preambular paragraphs</h2>", 1)[1]
    texts = [p for p in re.findall(r"<p>(.*?)</p>", body, re.S) if not p.startswith("<strong>")]
    assert len(texts) == 3 and "<h1>" not in body and "<ol" not in body and "<ul" not in body
    for text in texts:
        assert set(re.findall(r"</?(\w+)", text)) <= {"del", "ins"}, text
    assert html_text("[link](http://example.org) and <b>bold</b>, R&D &amp; `code`,") in texts[0]


def test_line_start_markers_are_escaped() -> None:
    for text in ("1. list", "2) list", "- item", "+ item", "# heading", "> quote", "===", "    code", "***"):
        assert GFM.render(markdown_escape(text, line_start=True)) == f"<p>{html_text(text.strip())}</p>\n"


TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("é—→\u00a0\t"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_renders_as_itself(text: str) -> None:
    assume(text.strip())  # paragraph texts are never blank
    html = GFM.render(markdown_escape(text, line_start=True))
    assert html == f"<p>{html_text(text.strip())}</p>\n"  # Markdown drops a paragraph's edge blanks


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_any_text_stays_inside_its_mark(deleted: str, inserted: str) -> None:
    source = f"x <del>{markdown_escape(deleted)}</del><ins>{markdown_escape(inserted)}</ins> y"
    assert GFM.render(source) == f"<p>x <del>{html_text(deleted)}</del><ins>{html_text(inserted)}</ins> y</p>\n"
