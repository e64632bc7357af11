"""Page breaks in PDFs: a paragraph at the foot of a page and a new one at the top
of the next stay two; a paragraph the page break cuts is joined again.

LibreOffice prints data/chr-2003-73.txt, and a constructed variant with
sub-paragraphs (``fx.constructed_subparagraph_text``; its first line says it is
not a UN document), in layouts chosen so that page breaks fall mid-sentence,
between preambular paragraphs, between operative paragraphs and before a
sub-paragraph marker; some layouts force a break before a named paragraph.
Where each break fell is read from pdfminer's own text of every page, not from
the reader under test, and each layout must still have the breaks it was chosen
for. The PDF, and the .docx it was printed from, must then compare with the
source text as all unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from resdiff import readers
from resdiff.compare import compare_texts
from resdiff.readers import read_path

try:
    import readers_fixtures as fx
except ImportError:  # tests/ turned into a package
    from tests import readers_fixtures as fx

needs_soffice = pytest.mark.skipif(
    fx.soffice() is None, reason="LibreOffice (soffice) is not on PATH; it prints the PDFs")

MID_SENTENCE = "mid-sentence"
MID_SENTENCE_CAPITAL = "mid-sentence, next page starts with a capital"
AFTER_NUMBER = "after a paragraph number"
BETWEEN_PPS = "between preambular paragraphs"
BEFORE_FIRST_OP = "between the preamble and OP1"
BETWEEN_OPS = "between operative paragraphs"
BEFORE_SUB = "before a sub-paragraph"
AFTER_SENTENCE = "mid-paragraph, after a sentence or clause"
OTHER = "between other paragraphs"

L = fx.Layout
# (layout, source, the break kinds it was chosen for). "typed" layouts are set
# like LibreOffice opens the .txt: no indent, no list, nothing but the text to
# tell a page that ends a paragraph from one that ends a line. Measured with
# LibreOffice 7.4: the reader before these tests merged PP8+PP9 in txt-12.5pt
# (the reported case), PP5+PP6 in txt-14pt, OP1+OP2 in txt-11pt, OP20(b)+(c)
# in sub-word-forced, and PP1+PP2 on one page in word-14pt-tight.
CASES = [
    (L("word-12pt"), "real", {BEFORE_FIRST_OP, BETWEEN_OPS, MID_SENTENCE_CAPITAL}),
    (L("word-14pt-tight", font_pt=14, space_after_pt=0), "real", {BETWEEN_PPS, MID_SENTENCE}),
    (L("txt-12.5pt", font_pt=12.5, margin_cm=2, typed=True), "real", {BETWEEN_PPS, BETWEEN_OPS}),
    (L("txt-14pt", font_pt=14, typed=True), "real", {BETWEEN_PPS, BETWEEN_OPS, MID_SENTENCE}),
    (L("txt-11pt", font_pt=11, typed=True), "real", {BETWEEN_OPS, MID_SENTENCE}),
    (L("word-forced", breaks_before=("Recognizing the valuable", "Takes note of the contribution")),
     "real", {BETWEEN_PPS, BETWEEN_OPS}),
    (L("sub-txt-12pt", margin_cm=2, typed=True), "constructed", {BEFORE_SUB, BETWEEN_PPS}),
    (L("sub-word-11pt", font_pt=11, margin_cm=3, line_spacing=1.15), "constructed",
     {BEFORE_SUB, BETWEEN_OPS}),
    (L("sub-word-forced", breaks_before=("To set out",)), "constructed", {BEFORE_SUB}),
    (L("sub-txt-forced", typed=True, breaks_before=("(c) ",)), "constructed", {BEFORE_SUB}),
]
IDS = [layout.name for layout, _, _ in CASES]


def source_text(source: str) -> str:
    """The real 2003/73, or the constructed text with sub-paragraphs."""
    if source == "real":
        return fx.REAL_TEXT.read_text(encoding="utf-8")
    return fx.constructed_subparagraph_text()


@dataclass(frozen=True)
class Printed:
    """One layout of one text, as .docx and as the PDF LibreOffice prints from it."""

    text: str
    docx: Path
    pdf: Path
    breaks: list[str]
    """The kind of each page break in ``pdf``, first page first."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Where this module's documents go, with the one LibreOffice profile they
    share (a profile's first start is the slow part)."""
    return tmp_path_factory.mktemp("pagebreaks")


@pytest.fixture(scope="module")
def printed(folder) -> dict[str, Printed]:
    """Every layout, made once."""
    if fx.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not on PATH; it prints the PDFs")
    made = {}
    for layout, source, _ in CASES:
        text = source_text(source)
        docx = fx.make_layout_docx(folder / f"{layout.name}.docx", text, layout)
        pdf = fx.convert(docx, "pdf", folder, profile=folder / "profile")
        made[layout.name] = Printed(text, docx, pdf, break_kinds(pdf, text))
    return made


# --- where the breaks fell, from pdfminer's text of each page ----------------------

def _chars(text: str) -> str:
    """The printed characters without spacing, which pdfminer cannot be trusted on."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _source_blocks(text: str) -> list[tuple[str, str]]:
    """(kind, characters) of each blank-line separated block: "OP" ("4." then its
    text), "sub" ("(a) ..."), "PP" (between chapeau and OP1) or "other"."""
    blocks, chapeau, operative = [], False, False
    for raw in (b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()):
        if re.match(r"\d+\.\s*\n", raw):
            kind, operative = "OP", True
        elif re.match(r"\([a-z]\)\s", raw):
            kind = "sub"
        else:
            kind = "PP" if chapeau and not operative else "other"
            chapeau = chapeau or raw.startswith("The Commission on Human Rights")
        blocks.append((kind, _chars(raw)))
    return blocks


def _page_chars(pdf: Path) -> list[str]:
    """Characters of each page as pdfminer's layout analysis reads them, without
    the furniture that ``fx`` adds (header, "- 2 -", job number)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    pages = []
    for page in extract_pages(str(pdf)):
        lines = [line.strip() for box in page if isinstance(box, LTTextContainer)
                 for line in box.get_text().split("\n")]
        pages.append(_chars("".join(
            line for line in lines
            if line not in (fx.RUNNING_HEADER, fx.JOB_NUMBER) and not re.fullmatch(r"-\s*\d+\s*-", line))))
    return pages


def break_kinds(pdf: Path, text: str) -> list[str]:
    """The kind of each page break in ``pdf``, a print of ``text``. Each page holds
    the next stretch of the text, so counting characters (order within a page
    does not matter) finds the block and the place in it where each page starts."""
    blocks = _source_blocks(text)
    stream = "".join(chars for _, chars in blocks)
    starts = [sum(len(chars) for _, chars in blocks[:i]) for i in range(len(blocks))]
    kinds, offset = [], 0
    for page in _page_chars(pdf):
        assert Counter(page) == Counter(stream[offset:offset + len(page)]), "page text is not the source's"
        offset += len(page)
        if offset >= len(stream):
            break
        i = max(k for k, start in enumerate(starts) if start <= offset)
        kinds.append(_kind(blocks[i - 1][0], blocks[i], offset - starts[i]))
    return kinds


def _kind(before: str, block: tuple[str, str], at: int) -> str:
    """The kind of a page break ``at`` characters into ``block``."""
    kind, chars = block
    if at == 0:
        if kind == "sub":
            return BEFORE_SUB
        if kind == "OP":
            return BETWEEN_OPS if before in ("OP", "sub") else BEFORE_FIRST_OP
        return BETWEEN_PPS if (before, kind) == ("PP", "PP") else OTHER
    if re.fullmatch(r"\d+\.", chars[:at]):
        return AFTER_NUMBER
    if chars[at - 1] in ".;:":
        return AFTER_SENTENCE
    return MID_SENTENCE_CAPITAL if chars[at].isupper() else MID_SENTENCE


# --- the tests -------------------------------------------------------------------

def changed_pairs(old: str, new: str) -> list[tuple]:
    """Every pair of the comparison that is not unchanged, moved or renumbered."""
    return [(p.old_labels, p.new_labels, p.status.value) for p in compare_texts(old, new).pairs
            if p.status.value != "unchanged" or p.moved or p.renumbered]


@needs_soffice
@pytest.mark.parametrize("layout, source, meant", CASES, ids=IDS)
def test_layout_breaks_where_it_was_chosen_to(printed, layout, source, meant):
    """If LibreOffice lays a page out differently, say so rather than test less."""
    breaks = printed[layout.name].breaks
    assert meant <= set(breaks), f"{layout.name} now breaks {breaks}; choose another layout"


@needs_soffice
def test_every_kind_of_page_break_is_covered(printed):
    found = {kind for made in printed.values() for kind in made.breaks}
    assert {MID_SENTENCE, MID_SENTENCE_CAPITAL, BETWEEN_PPS, BETWEEN_OPS, BEFORE_SUB} <= found


@needs_soffice
@pytest.mark.parametrize("layout, source, meant", CASES, ids=IDS)
def test_pdf_compares_with_its_text_as_unchanged(printed, layout, source, meant):
    made = printed[layout.name]
    result = read_path(made.pdf)
    assert result.kind == "pdf"
    assert changed_pairs(made.text, result.text) == []


@needs_soffice
@pytest.mark.parametrize("layout, source, meant", CASES, ids=IDS)
def test_docx_compares_with_its_text_as_unchanged(printed, layout, source, meant):
    made = printed[layout.name]
    result = read_path(made.docx)
    assert result.kind == "docx"
    assert changed_pairs(made.text, result.text) == []


@needs_soffice
def test_txt_printed_by_libreoffice_compares_as_unchanged(folder):
    """The route of the report: LibreOffice opens data/chr-2003-73.txt itself."""
    pdf = fx.convert(fx.REAL_TEXT, "pdf", folder, profile=folder / "profile")
    text = fx.REAL_TEXT.read_text(encoding="utf-8")
    assert BETWEEN_OPS in break_kinds(pdf, text)
    assert changed_pairs(text, read_path(pdf).text) == []


# --- the page-break rule on rows, without LibreOffice ------------------------------

def _row(text: str, top: float) -> readers._Row:
    """A row of block paragraphs (no indent) in a 7-point-per-character font,
    ending at the right margin (523) when it is a full row."""
    return readers._Row(text, 72, min(523, 72 + 7 * len(text)), top, top - 12)


def _across_a_page(foot: str, head: str) -> list[str]:
    """Paragraphs read from a full last row ``foot`` and a first row ``head`` on
    the next page, with no gap, indent or short line to tell them apart."""
    page_1 = [_row("Stressing that regional cooperation can play an important role", 700),
              _row(foot, 686)]
    page_2 = [_row(head, 800), _row("and the end of that paragraph.", 786)]
    return readers._pdf_paragraphs([page_1, page_2])


@pytest.mark.parametrize("foot, head", [
    ("in promoting respect for human rights and fundamental freedoms,",
     "Recognizing the valuable contribution that independent national"),
    ("in promoting respect for human rights and fundamental freedoms,",
     "Bearing in mind the valuable contribution of independent national"),
    ("in promoting respect for human rights and fundamental freedoms;",
     "Decides to continue its consideration of the question at its sixtieth"),
    ("in promoting respect for human rights and fundamental freedoms;",
     "12.  Encourages Governments to promote the development of national"),
    ("in promoting respect for human rights and fundamental freedoms;",
     "12."),
    ("in promoting respect for human rights and fundamental freedoms:",
     "(a)  To include information on national plans of action for the"),
    ("in promoting respect for human rights and fundamental freedoms; and",
     "(c)  To set out the activities planned under the Framework for"),
], ids=["comma-opener", "comma-bearing-in-mind", "semicolon-capital", "number", "number-alone",
        "colon-marker", "and-marker"])
def test_new_paragraph_at_the_top_of_a_page_stays_separate(foot, head):
    paragraphs = _across_a_page(foot, head)
    assert paragraphs[0].endswith(foot) and paragraphs[1].startswith(" ".join(head.split()))


@pytest.mark.parametrize("foot, head", [
    ("and protection of human rights under the Framework for Regional Technical",
     "Cooperation Programme in the Asian and Pacific Region to enhance"),
    ("in promoting respect for human rights and fundamental freedoms,",
     "including the right to development and economic, social and cultural"),
    ("in promoting respect for human rights, in accordance with resolution",
     "2002/82 of 26 April 2002 and the Framework for Regional Technical"),
    ("in promoting respect for human rights and fundamental freedoms,",
     "Member States and the Office of the High Commissioner for Human"),
    ("and protection of human rights in the Asian and Pacific region in subparagraph",
     "(a) above, and to the Framework for Regional Technical Cooperation"),
], ids=["capital", "comma-lower-case", "number-mid-sentence", "comma-name", "marker-mid-sentence"])
def test_paragraph_cut_by_a_page_break_is_joined(foot, head):
    assert f"{foot} {head}" in _across_a_page(foot, head)[0]


def test_number_range_cut_at_its_hyphen_is_rejoined():
    page = [_row("Decade for Human Rights Education within the United Nations, 1995-", 700),
            _row("2004 so as to realize significant achievements;", 686)]
    assert readers._pdf_paragraphs([page]) == [
        "Decade for Human Rights Education within the United Nations, 1995-2004 so as to "
        "realize significant achievements;"]


def test_one_row_paragraphs_with_first_line_indents_and_no_spacing():
    """Level with an indented one-row paragraph is a new paragraph: the second row
    of a paragraph with a first-line indent goes back to the margin."""
    rows = [readers._Row(text, x0, 520, top, top - 12) for text, x0, top in [
        ("Recalling its resolution 2002/82 of 26 April 2002,", 100, 700),
        ("Reiterating that one of the purposes of the United Nations is", 100, 686),
        ("to achieve international cooperation in solving international", 72, 672),
        ("problems of an economic, social, cultural or humanitarian character,", 72, 658)]]
    assert len(readers._pdf_paragraphs([rows])) == 2


def test_header_on_one_page_only_does_not_cut_a_paragraph():
    """A two-page text has its running header on page 2 alone, so it does not
    recur; it must not sit between the halves of the paragraph it interrupts."""
    page_1 = [_row("Stressing that regional cooperation can play an important role", 700),
              _row("in promoting respect for human rights and fundamental freedoms,", 686)]
    page_2 = [_row("E/CN.4/RES/2003/73 page 2", 800),
              _row("Member States and the Office of the High Commissioner for Human", 770),
              _row("Rights.", 756)]
    assert readers._pdf_paragraphs(readers._drop_furniture([page_1, page_2])) == [
        "Stressing that regional cooperation can play an important role in promoting respect "
        "for human rights and fundamental freedoms, Member States and the Office of the High "
        "Commissioner for Human Rights."]
