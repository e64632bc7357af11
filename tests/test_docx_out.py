"""resdiff.docx_out: the Word redline, the new resolution with native tracked changes.

Uses the bundled pairs: the real 2002/82 against the real 2003/73, and the real
2003/73 against the illustrative draft constructed from it (data/), where every
status and one move occur. The XML is checked by simulating Word's Accept All
and Reject All: accepting must leave exactly the new paragraphs (numbers as
printed, a tab, the text), rejecting exactly the old ones; resdiff's labels are
Word comments and its cover page is a section before the resolution. Texts in
the hostile and property tests are constructed here, not UN documents.

LibreOffice converts the document once per module; the pages are left at
/tmp/docx-page-N.png for a human to look at. Without ``soffice`` that test is
skipped, unless RESDIFF_REQUIRE_BROWSER=1 turns the skip into a failure.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from resdiff.compare import compare_texts
from resdiff.docx_layout import italic_span
from resdiff.docx_out import STYLE_OF_SECTION, render_docx, revision_date
from resdiff.errors import ResdiffError
from resdiff.model import Comparison, Document

DATA = Path(__file__).resolve().parent.parent / "data"
NAMES = {"old_name": "2003/73", "new_name": "data/illustrative-draft-next-year.txt"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISIONS = ("ins", "del", "moveFrom", "moveTo")
DATE = "2003-04-25T00:00:00Z"  # the draft prints no date: the old version's is used


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_texts((DATA / "chr-2003-73.txt").read_text(encoding="utf-8"),
                         (DATA / "illustrative-draft-next-year.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data(comparison: Comparison) -> bytes:
    return render_docx(comparison, **NAMES)


@pytest.fixture(scope="module")
def body(data: bytes) -> etree._Element:
    return document_xml(data).find(f"{W}body")


# ---------------------------------------------------------------- helpers

def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def comment_texts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/comments.xml"))
    return {c.get(f"{W}id"): "".join(t.text or "" for t in c.iter(f"{W}t")) for c in root.iter(f"{W}comment")}


def style_of(p: etree._Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def style_id(name: str) -> str:
    return name.replace(" ", "")


RESOLUTION = {style_id(name) for name in STYLE_OF_SECTION.values()}


def resolution(body: etree._Element) -> list[etree._Element]:
    """The paragraphs of the resolution (not the cover page resdiff adds)."""
    return [p for p in body.iter(f"{W}p") if style_of(p) in RESOLUTION]


def _text(el: etree._Element) -> str:
    return "".join("\t" if etree.QName(t).localname == "tab" else t.text or ""
                   for t in el.iter(f"{W}t", f"{W}delText", f"{W}tab"))


def sides(p: etree._Element) -> tuple[str, str]:
    """The paragraph's text after Accept All and after Reject All."""
    accepted, rejected = [], []
    for child in p:
        tag = etree.QName(child).localname
        if tag in ("r", "moveTo", "ins"):
            accepted.append(_text(child))
        if tag in ("r", "moveFrom", "del"):
            rejected.append(_text(child))
    return "".join(accepted), "".join(rejected)


def mark(p: etree._Element) -> str | None:
    """How the paragraph mark is tracked: "ins", "del", "moveFrom", "moveTo" or None."""
    rpr = p.find(f"{W}pPr/{W}rPr")
    kinds = [etree.QName(el).localname for el in rpr] if rpr is not None else []
    return next((k for k in kinds if k in REVISIONS), None)


def resolve(body: etree._Element, accept: bool) -> list[str]:
    """Resolution paragraphs after Accept All (or Reject All): a removed mark joins the next paragraph."""
    gone = ("del", "moveFrom") if accept else ("ins", "moveTo")
    out, carry = [], None
    for p in resolution(body):
        text = (carry or "") + sides(p)[0 if accept else 1]
        carry = text if mark(p) in gone else None
        if carry is None:
            out.append(text)
    if carry:
        out.append(carry)  # Word keeps the last paragraph's mark: its text stays
    return out


def printed(doc: Document) -> list[str]:
    """Each paragraph as the resolution prints it: "7.", a tab and the text; or the text."""
    return [f"{p.marker}\t{p.text}" if p.marker else p.text for p in doc.paragraphs]


def items(data: bytes) -> Iterator[tuple[str, list[etree._Element]]]:
    """Each comment with the resolution paragraph it is anchored on and those after it up to the next comment."""
    texts = comment_texts(data)
    label, paras = None, []
    for p in resolution(document_xml(data).find(f"{W}body")):
        start = p.find(f"{W}commentRangeStart")
        if start is not None:
            if label is not None:
                yield label, paras
            label, paras = texts[start.get(f"{W}id")], []
        paras.append(p)
    if label is not None:
        yield label, paras


def item(data: bytes, prefix: str, n: int = 1) -> list[etree._Element]:
    found = [paras for label, paras in items(data) if label.startswith(prefix + ":")]
    assert len(found) == 1, f"{prefix!r}: {len(found)} comments"
    return found[0][:n]


def revisions(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if etree.QName(el).localname in REVISIONS + ("moveFromRangeStart", "moveToRangeStart")]


# ---------------------------------------------------------------- package

def test_python_docx_reopens_it(data: bytes) -> None:
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.core_properties.author == "resdiff"
    assert any(text.startswith("OP13 → OP4:") for text in comment_texts(data).values())


def test_same_comparison_gives_the_same_bytes(comparison: Comparison, data: bytes) -> None:
    assert render_docx(comparison, **NAMES) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created.isoformat() == props.modified.isoformat() == "2003-04-25T00:00:00+00:00"


def test_word_tracks_further_edits(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<w:trackRevisions/>" in z.read("word/settings.xml")


def test_cover_page_is_its_own_section_and_carries_no_revision(data: bytes, body) -> None:
    paragraphs = list(body.iter(f"{W}p"))
    breaks = [k for k, p in enumerate(paragraphs) if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert len(breaks) == 1, "one section break, between the cover and the resolution"
    cover, rest = paragraphs[:breaks[0] + 1], paragraphs[breaks[0] + 1:]
    assert "not part of the resolution" in _text(cover[0])
    assert not any(revisions(p) for p in cover)
    assert [p for p in rest if style_of(p) in RESOLUTION] == resolution(body)
    for table in body.iter(f"{W}tbl"):
        assert body.index(table) < body.index(paragraphs[breaks[0]])


# ---------------------------------------------------------------- revisions

def test_accept_all_gives_the_new_resolution_and_reject_all_the_old(comparison: Comparison, body) -> None:
    assert resolve(body, accept=True) == printed(comparison.new)
    # The moves return to their old place: the old order comes back too.
    assert resolve(body, accept=False) == printed(comparison.old)


@pytest.mark.parametrize("old, new", [("2002/82", "2003/73"), ("2003/73", "draft")])
def test_accept_and_reject_on_both_bundled_pairs(old: str, new: str) -> None:
    files = {"2002/82": "chr-2002-82.txt", "2003/73": "chr-2003-73.txt", "draft": "illustrative-draft-next-year.txt"}
    c = compare_texts(*((DATA / files[k]).read_text(encoding="utf-8") for k in (old, new)))
    body = document_xml(render_docx(c, old_name=old, new_name=new, generated="2026-12-02T03:00:00Z")).find(f"{W}body")
    assert resolve(body, accept=True) == printed(c.new)
    assert resolve(body, accept=False) == printed(c.old)


def test_every_revision_has_author_date_and_a_unique_id(body) -> None:
    found = revisions(body)
    assert {etree.QName(el).localname for el in found} >= set(REVISIONS)
    assert {el.get(f"{W}author") for el in found} == {"resdiff"}
    assert {el.get(f"{W}date") for el in found} == {DATE}
    ids = [el.get(f"{W}id") for el in found]
    assert len(ids) == len(set(ids))


def test_revisions_are_dated_when_the_redline_was_made(comparison: Comparison) -> None:
    root = document_xml(render_docx(comparison, **NAMES, generated="2026-12-02T03:04:05Z"))
    assert {el.get(f"{W}date") for el in revisions(root)} == {"2026-12-02T03:04:05Z"}
    given = document_xml(render_docx(comparison, **NAMES, generated="2026-12-02T03:04:05Z", date="2004-04-20"))
    assert {el.get(f"{W}date") for el in revisions(given)} == {"2004-04-20T00:00:00Z"}


def test_modified_pair_rebuilds_both_texts(comparison: Comparison, data: bytes) -> None:
    (para,) = item(data, "OP15 → OP14")
    old, new = comparison.old.by_label()["OP15"].text, comparison.new.by_label()["OP14"].text
    assert sides(para) == (f"14.\t{new}", f"15.\t{old}")
    assert mark(para) is None
    assert [_text(d) for d in para.iter(f"{W}del")] == ["15.", "Encourages "]
    assert [_text(i) for i in para.iter(f"{W}ins")] == ["14.", "Urges "]


def test_replaced_words_never_print_glued(data: bytes) -> None:
    for _, paras in items(data):
        for p in paras:
            children = list(p)
            for a, b in zip(children, children[1:]):
                if etree.QName(a).localname == "del" and etree.QName(b).localname == "ins":
                    left, right = _text(a), _text(b)
                    wide = a.find(f"{W}r/{W}rPr/{W}spacing") is not None
                    assert wide or left.endswith((" ", "\t")) or right.startswith(" "), (left, right)


def test_un_layout_numbers_italics_and_font(comparison: Comparison, body) -> None:
    paras = resolution(body)
    first_op = next(p for p in paras if style_of(p) == "ResolutionOperative")
    runs = [r for r in first_op.findall(f"{W}r") if _text(r)]
    assert _text(runs[0]) == "1.\t"
    assert runs[1].find(f"{W}rPr/{W}i") is not None and _text(runs[1]) == "Welcomes"
    pp = next(p for p in paras if style_of(p) == "ResolutionPreamble")
    first = next(r for r in pp.iter(f"{W}r") if _text(r))
    assert first.find(f"{W}rPr/{W}i") is not None and _text(first) == "Recalling"
    assert style_of(paras[0]) == "ResolutionTitle"
    styles = docx.Document(io.BytesIO(render_docx(comparison, **NAMES))).styles
    assert styles["Normal"].font.name == "Times New Roman" and styles["Normal"].font.size.pt == 12
    assert styles["Resolution Title"].font.bold


def test_no_resdiff_text_in_the_resolution(data: bytes, body) -> None:
    text = "\n".join(sides(p)[0] + sides(p)[1] for p in resolution(body))
    for added in ("→", "(moved", "renumbered", "Preambular paragraphs", "Resdiff"):
        assert added not in text


def test_added_and_deleted_paragraphs_track_their_marks(comparison: Comparison, data: bytes) -> None:
    (added,) = item(data, "— → PP9")
    assert sides(added) == (comparison.new.by_label()["PP9"].text, "")
    assert mark(added) == "ins"
    (deleted,) = item(data, "OP14 → —")
    assert sides(deleted) == ("", "14.\t" + comparison.old.by_label()["OP14"].text)
    assert mark(deleted) == "del"


def test_split_is_one_paragraph_per_new_paragraph(comparison: Comparison, data: bytes) -> None:
    first, second = item(data, "OP12 → OP12 + OP13", n=2)
    new = comparison.new.by_label()
    assert [sides(first)[0], sides(second)[0]] == [f"12.\t{new['OP12'].text}", f"13.\t{new['OP13'].text}"]
    assert [mark(first), mark(second)] == ["ins", None]
    assert sides(first)[1] + sides(second)[1] == "12.\t" + comparison.old.by_label()["OP12"].text


def test_merge_is_one_paragraph_per_old_paragraph(comparison: Comparison, data: bytes) -> None:
    first, second = item(data, "OP6 + OP7 → OP7", n=2)
    old = comparison.old.by_label()
    assert [sides(first)[1], sides(second)[1]] == [f"6.\t{old['OP6'].text}", f"7.\t{old['OP7'].text}"]
    assert [mark(first), mark(second)] == ["del", None]


def test_move_is_a_word_move(comparison: Comparison, data: bytes, body) -> None:
    labels = [label for label, _ in items(data)]
    assert "OP13 → OP4: moved, renumbered" in labels
    assert "OP13 stood here; it moved and is now OP4." in labels
    starts = {etree.QName(el).localname: el for el in body.iter(f"{W}moveFromRangeStart", f"{W}moveToRangeStart")}
    assert starts["moveFromRangeStart"].get(f"{W}name") == starts["moveToRangeStart"].get(f"{W}name") == "move1"
    for kind in ("moveFrom", "moveTo"):
        start_id = starts[f"{kind}RangeStart"].get(f"{W}id")
        assert [el.get(f"{W}id") for el in body.iter(f"{W}{kind}RangeEnd")] == [start_id]
    (to,) = item(data, "OP13 → OP4")
    assert sides(to) == ("4.\t" + comparison.new.by_label()["OP4"].text, "") and mark(to) == "moveTo"


def test_an_edited_move_keeps_its_edits_inside_the_move() -> None:
    # Constructed: the first paragraph moves to the end and one word changes.
    old = "1. Welcomes alpha beta gamma delta epsilon report;\n\n2. Notes zeta;\n\n3. Decides eta;"
    new = "1. Notes zeta;\n\n2. Decides eta;\n\n3. Welcomes alpha beta gamma delta omega report;"
    c = compare_texts(old, new)
    assert any(p.moved and p.status.value == "modified" for p in c.pairs)
    body = document_xml(render_docx(c, old_name="a", new_name="b", date="2004-01-01")).find(f"{W}body")
    assert list(body.iter(f"{W}moveFrom")) and list(body.iter(f"{W}moveTo"))
    assert resolve(body, accept=True) == printed(c.new)
    assert resolve(body, accept=False) == printed(c.old)


def test_author_and_date_can_be_given(comparison: Comparison) -> None:
    root = document_xml(render_docx(comparison, **NAMES, author="Delegation of X", date="2004-04-20"))
    assert {(el.get(f"{W}author"), el.get(f"{W}date")) for el in revisions(root)} == \
        {("Delegation of X", "2004-04-20T00:00:00Z")}


def test_bad_date_says_how_to_write_one(comparison: Comparison) -> None:
    for bad in ("20 April 2004", "2004-02-30", "2004-4-20"):
        with pytest.raises(ResdiffError) as err:
            revision_date(comparison, bad)
        assert "YYYY-MM-DD" in err.value.hint
    assert revision_date(comparison, "2004-04-20T10:30:00Z") == "2004-04-20T10:30:00Z"


def test_without_any_date_revisions_are_undated_and_moves_commented(comparison: Comparison) -> None:
    undated = dataclasses.replace(comparison, old=dataclasses.replace(comparison.old, date=None))
    body = document_xml(render_docx(undated, **NAMES)).find(f"{W}body")
    assert all(el.get(f"{W}date") is None for el in revisions(body))
    assert not list(body.iter(f"{W}moveFrom", f"{W}moveTo", f"{W}moveFromRangeStart"))
    assert resolve(body, accept=True) == printed(comparison.new)
    assert sorted(resolve(body, accept=False)) == sorted(printed(comparison.old))


# ---------------------------------------------------------------- any text

def test_hostile_text_stays_text() -> None:
    # Constructed: markup, entities and a control character XML 1.0 cannot hold.
    old = "Recalling <w:t>x</w:t> & \"quotes\",\n\nStressing ]]> that,\n\n1. Decides to act;"
    new = "Recalling <w:t>y</w:t> & \"quotes\",\n\nStressing ]]> that\x07,\n\n1. Decides to act;"
    data = render_docx(compare_texts(old, new), old_name="<a>\x01", new_name="&b", author="A\x02 & <B>")
    assert docx.Document(io.BytesIO(data)).core_properties.author == "A\ufffd & <B>"
    body = document_xml(data).find(f"{W}body")
    accepted = resolve(body, accept=True)
    assert "Recalling <w:t>y</w:t> & \"quotes\"," in accepted
    assert "Stressing ]]> that\ufffd," in accepted


PARAGRAPHS = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "urges", "welcomes", "2003/73", ";", ","]),
                      min_size=1, max_size=8).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(PARAGRAPHS, min_size=1, max_size=6), st.lists(PARAGRAPHS, min_size=1, max_size=6))
def test_accept_and_reject_rebuild_any_pair_of_texts(old: list[str], new: list[str]) -> None:
    c = compare_texts("\n\n".join(old), "\n\n".join(new))
    body = document_xml(render_docx(c, old_name="a", new_name="b", date="2004-01-01")).find(f"{W}body")
    assert resolve(body, accept=True) == printed(c.new)
    # A moved split or merge is no Word move: rejected, it stays at its new place.
    assert sorted(resolve(body, accept=False)) == sorted(printed(c.old))


# ---------------------------------------------------------------- LibreOffice

@pytest.fixture(scope="module")
def pdf(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        reason = "LibreOffice (soffice) is not installed (apt-get install libreoffice-writer)"
        if os.environ.get("RESDIFF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RESDIFF_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("docx")
    (folder / "redline.docx").write_bytes(data)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "redline.docx")],
                   check=True, capture_output=True, timeout=120)
    return folder / "redline.pdf"


def test_libreoffice_converts_it_to_pdf(pdf: Path) -> None:
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftoppm"):
        # For a human to look at: LibreOffice draws the revisions in colour.
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "4", str(pdf), "/tmp/docx-page"],
                       check=True, timeout=60)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert "not part of the resolution" in text and "Urges" in text and "Encourages" in text


def test_the_resolution_pages_are_numbered_and_the_cover_page_is_not(data: bytes, body: etree._Element, pdf: Path) -> None:
    sections = body.findall(f".//{W}sectPr")
    assert len(sections) == 2  # the cover's (in its last paragraph), then the resolution's (the body's)
    cover, resolution = sections
    assert cover.find(f"{W}footerReference") is None
    assert resolution.find(f"{W}footerReference") is not None
    assert resolution.find(f"{W}pgNumType").get(f"{W}start") == "1"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footers = [etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("word/footer")]
    assert [f.find(f".//{W}fldSimple").get(f"{W}instr") for f in footers] == ["PAGE"]
    if shutil.which("pdftotext"):
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split("\f")
        pages = [p for p in pages if p.strip()]
        last_lines = [p.strip().splitlines()[-1].strip() for p in pages]
        assert not last_lines[0].isdigit()  # the cover page
        assert last_lines[1:] == [str(n) for n in range(1, len(pages))]


# ---------------------------------------------------------------- validators

def _tool(name: str) -> str:
    """A validator's command from this environment; skipped (or failed under RESDIFF_REQUIRE_BROWSER=1) without it."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        reason = f"{name} is not installed (pip install openxml-audit docx-integrity; .ci/run does)"
        if os.environ.get("RESDIFF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RESDIFF_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return found


@pytest.mark.parametrize("old, new", [("chr-2002-82.txt", "chr-2003-73.txt"),
                                      ("chr-2003-73.txt", "illustrative-draft-next-year.txt")])
def test_ooxml_validators_find_nothing(old: str, new: str, tmp_path: Path) -> None:
    c = compare_texts((DATA / old).read_text(encoding="utf-8"), (DATA / new).read_text(encoding="utf-8"))
    path = tmp_path / "redline.docx"
    path.write_bytes(render_docx(c, old_name=old, new_name=new, generated="2026-12-02T03:00:00Z"))
    # openxml-audit: the ECMA-376 schemas plus what makes Word repair a file.
    audit = subprocess.run([_tool("openxml-audit"), "-f", "microsoft365", str(path)],
                           capture_output=True, text=True, timeout=120)
    assert audit.returncode == 0 and "Errors: 0" in audit.stdout, audit.stdout
    # docx-integrity: references that resolve (styles, comments, relationships).
    integrity = subprocess.run([_tool("docx-integrity"), "check", "--fail-on", "info", str(path)],
                               capture_output=True, text=True, timeout=120)
    assert integrity.returncode == 0, integrity.stdout


def test_comments_are_resdiffs_whoever_authors_the_changes(comparison: Comparison) -> None:
    data = render_docx(comparison, **NAMES, author="Delegation of X")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/comments.xml"))
    assert {c.get(f"{W}author") for c in root.iter(f"{W}comment")} == {"resdiff"}
    assert {c.get(f"{W}date") for c in root.iter(f"{W}comment")} == {DATE}


def test_sub_paragraph_letters_are_printed_and_indented() -> None:
    # Constructed: an item inserted before (b), which is re-lettered (c).
    old = ("Constructed test text, not a UN document\n\nThe General Assembly,\n\n1. Calls upon all States:\n\n"
           "(a) To ratify the Convention;\n\n(b) To report on measures taken;\n\n2. Decides to remain seized.")
    new = old.replace("(b) To report", "(b) To adopt a plan;\n\n(c) To report")
    c = compare_texts(old, new)
    body = document_xml(render_docx(c, old_name="a", new_name="b", date="2004-01-01")).find(f"{W}body")
    assert resolve(body, accept=True) == printed(c.new)
    assert resolve(body, accept=False) == printed(c.old)
    items_ = [p for p in resolution(body) if sides(p)[0].startswith("(")]
    assert [sides(p)[0].split("\t")[0] for p in items_] == ["(a)", "(b)", "(c)"]
    assert all(p.find(f"{W}pPr/{W}ind") is not None for p in items_)


@pytest.mark.parametrize("section, text, italic", [
    ("operative", "Takes note with appreciation of the report;", "Takes note with appreciation"),
    ("operative", "Also stresses that x;", "Also stresses"),
    ("operative", "Calls upon all States;", "Calls upon"),
    ("preamble", "Bearing in mind that x,", "Bearing in mind"),
    ("preamble", "Deeply concerned about x,", "Deeply concerned"),
    ("preamble", "Taking note of the report,", "Taking note"),
    ("chapeau", "The General Assembly,", "The General Assembly"),
    ("heading", "Resolution 2003/73", ""),
])
def test_opening_words_in_italics_as_the_un_sets_them(section: str, text: str, italic: str) -> None:
    assert text[:italic_span(section, text)] == italic
