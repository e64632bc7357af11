"""resdiff.docx_out: the Word redline with native tracked changes.

Uses the bundled pair: the real resolution 2003/73 against the illustrative
draft constructed from it (data/), where every status and one move occur.
The XML is checked by simulating Word's Accept All and Reject All: accepting
must leave exactly the new paragraphs, rejecting exactly the old ones. Texts
in the hostile and property tests are constructed here, not UN documents.

LibreOffice converts the document once per module; the first pages are left
at /tmp/docx-page-N.png for a human to look at. Without ``soffice`` that test
is skipped, unless RESDIFF_REQUIRE_BROWSER=1 turns the skip into a failure.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from resdiff.compare import compare_texts
from resdiff.docx_out import LABEL_STYLE, TEXT_STYLE, render_docx, revision_date
from resdiff.errors import ResdiffError
from resdiff.model import Comparison

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


def style_of(p: etree._Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(f"{W}val")


def style_id(name: str) -> str:
    return name.replace(" ", "")


def sides(p: etree._Element) -> tuple[str, str]:
    """The paragraph's text after Accept All and after Reject All."""
    accepted, rejected = [], []
    for child in p:
        tag = etree.QName(child).localname
        text = "".join(t.text or "" for t in child.iter(f"{W}t", f"{W}delText"))
        if tag in ("r", "moveTo", "ins"):
            accepted.append(text)
        if tag in ("r", "moveFrom", "del"):
            rejected.append(text)
    return "".join(accepted), "".join(rejected)


def mark(p: etree._Element) -> str | None:
    """How the paragraph mark is tracked: "ins", "del", "moveFrom", "moveTo" or None."""
    rpr = p.find(f"{W}pPr/{W}rPr")
    kinds = [etree.QName(el).localname for el in rpr] if rpr is not None else []
    return next((k for k in kinds if k in REVISIONS), None)


def resolve(body: etree._Element, accept: bool) -> list[str]:
    """Text paragraphs after Accept All (or Reject All): a removed mark joins the next paragraph."""
    gone = ("del", "moveFrom") if accept else ("ins", "moveTo")
    out, carry = [], None
    for p in body.iter(f"{W}p"):
        if style_of(p) != style_id(TEXT_STYLE):
            continue
        text = (carry or "") + sides(p)[0 if accept else 1]
        carry = text if mark(p) in gone else None
        if carry is None:
            out.append(text)
    if carry:
        out.append(carry)  # Word keeps the last paragraph's mark: its text stays
    return out


def items(body: etree._Element) -> Iterator[tuple[str, list[etree._Element]]]:
    """Each label line with the text paragraphs under it."""
    label, paras = None, []
    for p in body.iter(f"{W}p"):
        if style_of(p) == style_id(LABEL_STYLE):
            if label is not None:
                yield label, paras
            label, paras = "".join(t.text for t in p.iter(f"{W}t")), []
        elif style_of(p) == style_id(TEXT_STYLE):
            paras.append(p)
    if label is not None:
        yield label, paras


def item(body: etree._Element, prefix: str) -> list[etree._Element]:
    found = [paras for label, paras in items(body) if label.startswith(prefix + " ")]
    assert len(found) == 1, f"{prefix!r}: {len(found)} label lines"
    return found[0]


def revisions(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if etree.QName(el).localname in REVISIONS + ("moveFromRangeStart", "moveToRangeStart")]


# ---------------------------------------------------------------- package

def test_python_docx_reopens_it(data: bytes) -> None:
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.core_properties.author == "resdiff"
    assert any("OP13 → OP4" in p.text for p in reopened.paragraphs)


def test_same_comparison_gives_the_same_bytes(comparison: Comparison, data: bytes) -> None:
    assert render_docx(comparison, **NAMES) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created.isoformat() == props.modified.isoformat() == "2003-04-25T00:00:00+00:00"


def test_word_tracks_further_edits(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<w:trackRevisions/>" in z.read("word/settings.xml")


# ---------------------------------------------------------------- revisions

def test_accept_all_gives_the_new_text_and_reject_all_the_old(comparison: Comparison, body) -> None:
    assert resolve(body, accept=True) == [p.text for p in comparison.new.paragraphs]
    # The unchanged move returns to its old place: the old order comes back too.
    assert resolve(body, accept=False) == [p.text for p in comparison.old.paragraphs]


def test_every_revision_has_author_date_and_a_unique_id(body) -> None:
    found = revisions(body)
    assert {etree.QName(el).localname for el in found} >= set(REVISIONS)
    assert {el.get(f"{W}author") for el in found} == {"resdiff"}
    assert {el.get(f"{W}date") for el in found} == {DATE}
    ids = [el.get(f"{W}id") for el in found]
    assert len(ids) == len(set(ids))


def test_modified_pair_rebuilds_both_texts(comparison: Comparison, body) -> None:
    (para,) = item(body, "OP15 → OP14")
    old, new = comparison.old.by_label()["OP15"].text, comparison.new.by_label()["OP14"].text
    assert sides(para) == (new, old)
    assert mark(para) is None
    assert para.find(f"{W}del/{W}r/{W}delText").text == "Encourages"
    assert para.find(f"{W}ins/{W}r/{W}t").text == "Urges"


def test_added_and_deleted_paragraphs_track_their_marks(comparison: Comparison, body) -> None:
    (added,) = item(body, "— → PP9")
    assert sides(added) == (comparison.new.by_label()["PP9"].text, "")
    assert mark(added) == "ins"
    (deleted,) = item(body, "OP14 → —")
    assert sides(deleted) == ("", comparison.old.by_label()["OP14"].text)
    assert mark(deleted) == "del"


def test_split_is_one_paragraph_per_new_paragraph(comparison: Comparison, body) -> None:
    first, second = item(body, "OP12 → OP12 + OP13")
    new = comparison.new.by_label()
    assert [sides(first)[0], sides(second)[0]] == [new["OP12"].text, new["OP13"].text]
    assert [mark(first), mark(second)] == ["ins", None]
    assert sides(first)[1] + sides(second)[1] == comparison.old.by_label()["OP12"].text


def test_merge_is_one_paragraph_per_old_paragraph(comparison: Comparison, body) -> None:
    first, second = item(body, "OP6 + OP7 → OP7")
    old = comparison.old.by_label()
    assert [sides(first)[1], sides(second)[1]] == [old["OP6"].text, old["OP7"].text]
    assert [mark(first), mark(second)] == ["del", None]


def test_unchanged_move_is_a_word_move(comparison: Comparison, body) -> None:
    labels = [label for label, _ in items(body)]
    assert "OP13 → OP4  (moved, renumbered)" in labels
    assert "OP13  (moved from here; now OP4)" in labels
    starts = {etree.QName(el).localname: el for el in body.iter(f"{W}moveFromRangeStart", f"{W}moveToRangeStart")}
    assert starts["moveFromRangeStart"].get(f"{W}name") == starts["moveToRangeStart"].get(f"{W}name") == "move1"
    for kind in ("moveFrom", "moveTo"):
        start_id = starts[f"{kind}RangeStart"].get(f"{W}id")
        assert [el.get(f"{W}id") for el in body.iter(f"{W}{kind}RangeEnd")] == [start_id]
    (to,) = item(body, "OP13 → OP4")
    assert sides(to) == (comparison.new.by_label()["OP4"].text, "") and mark(to) == "moveTo"


def test_labels_show_both_numbers(body) -> None:
    labels = "\n".join(label for label, _ in items(body))
    for expected in ("OP12 → OP12 + OP13  (split, renumbered)", "— → PP9  (added)", "OP14 → —  (deleted)",
                     "opening verb: Encourages -> Urges", "\nPP2\n"):
        assert expected in labels


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


def test_without_any_date_revisions_are_undated_and_moves_labelled(comparison: Comparison) -> None:
    undated = dataclasses.replace(comparison, old=dataclasses.replace(comparison.old, date=None))
    body = document_xml(render_docx(undated, **NAMES)).find(f"{W}body")
    assert all(el.get(f"{W}date") is None for el in revisions(body))
    assert not list(body.iter(f"{W}moveFrom", f"{W}moveTo", f"{W}moveFromRangeStart"))
    assert resolve(body, accept=True) == [p.text for p in comparison.new.paragraphs]
    assert sorted(resolve(body, accept=False)) == sorted(p.text for p in comparison.old.paragraphs)


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
    assert resolve(body, accept=True) == [p.text for p in c.new.paragraphs]
    # Moved paragraphs that were also edited stay at their new place when rejected.
    assert sorted(resolve(body, accept=False)) == sorted(p.text for p in c.old.paragraphs)


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
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), "/tmp/docx-page"],
                       check=True, timeout=60)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert "OP13 → OP4" in text and "Urges" in text and "Encourages" in text
