"""Tests for resdiff.readers: every format, every failure, and the real resolution.

The .docx/.pdf/.doc/.html round trips use the text of data/chr-2003-73.txt,
generated into documents by tests/readers_fixtures.py; LibreOffice-made files
are built once per session.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from resdiff import readers
from resdiff.errors import InputError
from resdiff.readers import ReadText, read_bytes, read_path, sniff

try:
    import readers_fixtures as fx
except ImportError:  # tests/ turned into a package
    from tests import readers_fixtures as fx

needs_soffice = pytest.mark.skipif(
    fx.soffice() is None,
    reason="LibreOffice (soffice) is not on PATH; it makes the PDF/.doc fixtures and reads .doc")


def assert_same_paragraphs(result: ReadText) -> None:
    """Same paragraphs, same words, same order as the real text; no page furniture."""
    expected = [p.split() for p in fx.source_paragraphs()]
    assert fx.paragraph_words(result.text) == expected
    for noise in fx.NOISE_WORDS:
        assert noise not in result.text


def read_error(data: bytes, name: str = "doc.bin") -> InputError:
    with pytest.raises(InputError) as info:
        read_bytes(data, name=name)
    assert info.value.hint.strip(), "every error needs a hint"
    return info.value


# lo_dir, real_pdf and real_doc are session fixtures in conftest.py.


# --- the real resolution in every format ---------------------------------------

def test_docx_numbers_come_from_word_numbering(tmp_path):
    path = fx.make_docx(tmp_path / "r.docx")
    import docx

    written = [p.text for p in docx.Document(path).paragraphs]
    assert not any(re.match(r"\d+\.", t) for t in written)  # numbers are not in the text
    assert "<w:numPr>" in zipfile.ZipFile(path).read("word/document.xml").decode()
    result = read_path(path)
    assert result.kind == "docx" and result.warnings == ()
    assert_same_paragraphs(result)
    numbers = [p.split("\t")[0] for p in result.text.split("\n\n") if re.match(r"\d+\.\t", p)]
    assert numbers == [f"{n}." for n in [*range(1, 20), 21]]  # the printed gap survives


@needs_soffice
def test_pdf_of_real_resolution_drops_header_footer_and_joins_lines(real_pdf):
    result = read_path(real_pdf)
    assert result.kind == "pdf"
    assert_same_paragraphs(result)
    assert all("\n" not in p for p in result.text.split("\n\n"))  # hard wraps joined


def test_html_keeps_main_text_and_list_numbers(tmp_path):
    result = read_path(fx.make_html(tmp_path / "r.html"))
    assert result.kind == "html"
    assert_same_paragraphs(result)


@needs_soffice
def test_legacy_doc_is_converted_with_libreoffice(real_doc):
    result = read_path(real_doc)
    assert result.kind == "doc"
    assert_same_paragraphs(result)


def test_legacy_doc_without_libreoffice(monkeypatch):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    error = read_error(data, "old.doc")
    assert error.message == "old.doc: legacy Word .doc needs LibreOffice"
    assert "LibreOffice" in error.hint and ".docx" in error.hint


def test_ole_file_that_is_not_word():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le")
    assert "not a Word document" in read_error(data, "sheet.xls").message


# --- .docx details ---------------------------------------------------------------

def _docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_nested_levels_and_empty_items():
    def build(document):
        num = fx.add_numbering(document)
        for text, level in [("Decides:", 0), ("first;", 1), ("", 1), ("third:", 1),
                            ("sub one;", 2), ("sub two;", 2), ("Requests;", 0), ("again;", 1)]:
            fx.set_list_item(document.add_paragraph(text), num, level)
        document.add_paragraph("")
        document.add_paragraph("Unnumbered.")

    text = read_bytes(_docx_bytes(build), name="n.docx").text
    assert text.split("\n\n") == [
        "1.\tDecides:", "(a)\tfirst;", "(c)\tthird:", "(i)\tsub one;", "(ii)\tsub two;",
        "2.\tRequests;", "(a)\tagain;", "Unnumbered."]


def test_docx_numbering_inherited_from_style_and_restarted():
    def build(document):
        for text in ("one;", "two;"):
            document.add_paragraph(text, style="List Number")
        fx.set_list_item(document.add_paragraph("restarted;"), fx.add_numbering(document, start=7))
        fx.set_list_item(document.add_paragraph("not numbered"), 0)  # numId 0 switches it off

    text = read_bytes(_docx_bytes(build), name="s.docx").text
    assert text.split("\n\n") == ["1.\tone;", "2.\ttwo;", "7.\trestarted;", "not numbered"]


def test_docx_tracked_changes_read_as_accepted():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def build(document):
        p = document.add_paragraph("Encourages ")
        p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a">'
                              '<w:r><w:delText>all</w:delText></w:r></w:del>'))
        p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a">'
                              '<w:r><w:t>all States</w:t></w:r></w:ins>'))

    assert read_bytes(_docx_bytes(build), name="t.docx").text == "Encourages all States"


def test_docx_without_text():
    error = read_error(_docx_bytes(lambda d: d.add_paragraph("   ")), "blank.docx")
    assert error.message == "blank.docx: the Word document contains no text"


def test_corrupt_docx(tmp_path):
    data = fx.make_docx(tmp_path / "r.docx").read_bytes()
    error = read_error(data[: len(data) // 2], "cut.docx")
    assert error.message == "cut.docx: damaged or truncated .docx (corrupt zip archive)"


@pytest.mark.parametrize("member, what", [("notes.txt", "a zip archive"),
                                          ("content.xml", "an OpenDocument file"),
                                          ("xl/workbook.xml", "an Excel or PowerPoint file")])
def test_zip_that_is_not_a_word_document(member, what):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "hello")
    error = read_error(buffer.getvalue(), "x.docx")
    assert error.message == f"x.docx: {what}, not a Word document (no word/document.xml)"


def test_zip_that_unpacks_to_far_more_than_the_limit(monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>" + " " * 20000)
    error = read_error(buffer.getvalue(), "bomb.docx")
    assert error.message.startswith("bomb.docx: zip archive unpacks to 20 KB")


# --- .pdf details ----------------------------------------------------------------

def test_simple_pdf_paragraphs_by_vertical_gaps(tmp_path):
    path = fx.make_simple_pdf(tmp_path / "s.pdf", [["Recalling its resolution 2002/82,"],
                                                    ["1. Welcomes the report;"], ["- 1 -"]])
    assert read_path(path).text == "Recalling its resolution 2002/82,\n\n1. Welcomes the report;"


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    path = tmp_path / "resolution.txt"
    path.write_bytes(fx.simple_pdf_bytes([["Decides to remain seized of the matter."]]))
    result = read_path(path)
    assert (result.kind, result.text) == ("pdf", "Decides to remain seized of the matter.")


def test_truncated_pdf():
    data = fx.simple_pdf_bytes([["Some text"]])
    error = read_error(data[: len(data) // 2], "cut.pdf")
    assert error.message == "cut.pdf: truncated PDF (no end-of-file marker)"


def test_damaged_pdf():
    assert read_error(b"%PDF-1.4\nnot really a pdf\n%%EOF\n", "bad.pdf").message.startswith(
        "bad.pdf: damaged PDF")


def test_password_protected_pdf():
    error = read_error(fx.encrypted_pdf_bytes(["Secret text"]), "locked.pdf")
    assert error.message == "locked.pdf: password-protected PDF"
    assert "unprotected" in error.hint


def test_pdf_encrypted_without_user_password_is_read():
    data = fx.encrypted_pdf_bytes(["Permissions only, no password to open."], password="")
    assert read_bytes(data, name="p.pdf").text == "Permissions only, no password to open."


def test_scanned_pdf_without_text_layer(tmp_path):
    path = fx.make_pdf_without_text(tmp_path / "scan.pdf")
    with pytest.raises(InputError) as info:
        read_path(path)
    assert info.value.message == f"{path}: PDF has no text layer (a scan?); resdiff does no OCR"
    assert "OCR" in info.value.hint


def _row(text: str, top: float, x0: float = 72, x1: float = 520) -> readers._Row:
    return readers._Row(text, x0, x1, top, top - 12)


def test_pdf_furniture_rules():
    """Repeated headers, page and job numbers go; a paragraph number alone at the
    top of a page and ordinary text stay."""
    pages, texts = [], ["Recalling 2002/82,", "Stressing 2003,", "Welcoming 2004,"]
    for n in range(1, 4):
        pages.append([_row("E/CN.4/RES/2003/73", 800), _row(f"page {n}", 786),
                      _row(f"{n + 10}.", 760, x1=90), _row(texts[n - 1], 746),
                      _row("GE.03-14063 (E) 120503" if n == 1 else f"- {n} -", 40)])
    kept = [[r.text for r in rows] for rows in readers._drop_furniture(pages)]
    assert kept == [[f"{n + 10}.", texts[n - 1]] for n in range(1, 4)]


def test_pdf_paragraph_rules():
    """Each paragraph break below has exactly one cue: a row that the next word
    would have fitted on (B), a first-line indent (C), a list label (D), a larger
    gap (E); C continues across the page break."""
    page_1 = [_row("Stressing that regional cooperation can play an important role in", 700),
              _row("promoting universal respect for human rights and funda-", 686),
              _row("mental freedoms,", 672, x1=160),
              _row("Recognizing the importance of an inclusive, step-by-step,", 658),
              _row("practical approach ending at the margin,", 644),
              _row("Welcoming the convening of the eleventh Workshop, held", 630, x0=100),
              _row("in Islamabad from 25 to 27 February 2003 and", 616)]
    page_2 = [_row("attended by many States,", 800, x1=200),
              _row("1.  Welcomes the report of the Secretary-General (E/CN.4/2003/109)", 786),
              _row("and the progress achieved;", 772, x0=100),
              _row("Decides to continue its consideration.", 740)]
    assert readers._pdf_paragraphs([page_1, page_2]) == [
        "Stressing that regional cooperation can play an important role in promoting "
        "universal respect for human rights and funda-mental freedoms,",
        "Recognizing the importance of an inclusive, step-by-step, practical approach "
        "ending at the margin,",
        "Welcoming the convening of the eleventh Workshop, held in Islamabad from 25 to 27 "
        "February 2003 and attended by many States,",
        "1. Welcomes the report of the Secretary-General (E/CN.4/2003/109) "
        "and the progress achieved;",
        "Decides to continue its consideration."]


# --- .html details ---------------------------------------------------------------

def test_html_lists_breaks_entities_and_article():
    page = (b"\xef\xbb\xbf  <!doctype html><html><body><nav>Menu</nav>"
            b"<article><p>Short</p></article>"
            b"<article><h1>Title &amp; more</h1>line one<br>line\n   two"
            b"<ol start='3'><li>three<li value='9'>nine<ol type='a'><li><p>nested</p></ol>"
            b"<li>ten</ol><ul><li>bullet</ul><table><tr><td>a</td><td>b</td></tr></table>"
            b"<pre>  kept  line\r\nnext line\n\n1.\tpre para</pre>"
            b"<script>alert('x')</script></article></body></html>")
    result = read_bytes(page, name="p.html")
    assert result.text.split("\n\n") == [
        "Title & more", "line one", "line two", "3. three", "9. nine", "a. nested",
        "10. ten", "bullet", "a b", "kept  line\nnext line", "1.\tpre para"]


def test_html_charset_meta_is_honoured():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1252"></head><body><p>\u201cDécide\u201d</p></body></html>')
    result = read_bytes(page.encode("cp1252"), name="p.html")
    assert (result.text, result.warnings) == ("\u201cDécide\u201d", ())


def test_html_deeply_nested_tags_do_not_crash():
    page = b"<html><body>" + b"<font>" * 5000 + b"<p>Deep text</p></body></html>"
    assert read_bytes(page, name="deep.html").text == "Deep text"


def test_html_without_text():
    error = read_error(b"<!DOCTYPE html><html><body><nav>Home</nav></body></html>", "e.html")
    assert error.message == "e.html: the web page contains no text"


# --- plain text and encodings ----------------------------------------------------

SAMPLE = "Décide de poursuivre l\u2019examen \u2014 2003/73;\nsecond line\n\nnext paragraph\n"


@pytest.mark.parametrize("encoded", [
    SAMPLE.encode("utf-8"),
    codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
    codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    SAMPLE.replace("\n", "\r\n").encode("utf-8"),
    SAMPLE.replace("\n", "\r").encode("utf-8"),
], ids=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "crlf", "cr"])
def test_text_encodings(encoded):
    assert read_bytes(encoded, name="a.txt") == ReadText(SAMPLE, "txt", ())


def test_cp1252_fallback_warns():
    result = read_bytes(SAMPLE.encode("cp1252"), name="data/x.txt")
    assert result.text == SAMPLE
    assert result.warnings == ("data/x.txt: not UTF-8; decoded as Windows-1252",)


def test_txt_layout_is_left_alone():
    text = " Regional cooperation \n\n1.\tWelcomes\n\n\n  E/CN.4/RES/2003/73  page 2\n"
    assert read_bytes(text.encode(), name="a.txt").text == text


@settings(max_examples=60, deadline=None)
@given(st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc")),
                        st.sampled_from("\n\t ")), min_size=1))
def test_any_utf8_text_round_trips(text):
    # A leading U+FEFF is a byte order mark by definition, so it is not text.
    assume(text.strip() and not text.startswith("\ufeff") and sniff(text.encode()) == "txt")
    assert read_bytes(text.encode("utf-8"), name="h.txt").text == text
    assert read_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), name="h.txt").text == text


_MAGICS = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"PK\x03\x04word/document.xml", b"<html>",
           b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xffWPC", codecs.BOM_UTF16_LE, codecs.BOM_UTF8]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_MAGICS), st.binary(max_size=2000), st.sampled_from([b"", b"\n%%EOF\n"]))
def test_any_bytes_give_text_or_input_error(magic, body, end):
    """Whatever arrives, the reader answers with text or a hinted InputError."""
    try:
        result = read_bytes(magic + body + end, name="fuzz")
    except InputError as error:
        assert error.message.startswith("fuzz: ") and error.hint
    else:
        assert result.text.strip() and result.kind in {"txt", "docx", "pdf", "html", "doc"}


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", codecs.BOM_UTF8 + b"\n"])
def test_empty_file(data):
    assert read_error(data, "e.txt").message == "e.txt: empty file"


@pytest.mark.parametrize("data", [b"abc\x00def" * 10, bytes(range(1, 9)) * 50,
                                  b"\x7fELF\x02\x01\x01" + bytes(100)])
def test_binary_file(data):
    assert read_error(data, "x.txt").message == "x.txt: binary file, not a text document"


def test_wordperfect():
    error = read_error(b"\xffWPC\x10\x00\x00\x00" + bytes(100), "old.wpd")
    assert error.message == "old.wpd: WordPerfect documents are not supported"
    assert ".docx" in error.hint


# --- files and limits ------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_path(tmp_path / "nope.txt")
    assert info.value.message == f"{tmp_path / 'nope.txt'}: no such file" and info.value.hint


def test_directory(tmp_path):
    with pytest.raises(InputError) as info:
        read_path(tmp_path)
    assert info.value.message == f"{tmp_path}: is a directory, not a file" and info.value.hint


def test_oversize(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 1024)
    path = tmp_path / "big.txt"
    path.write_text("x" * 2048)
    for call in (lambda: read_path(path), lambda: read_bytes(b"x" * 2048, name=str(path))):
        with pytest.raises(InputError) as info:
            call()
        assert info.value.message == f"{path}: file is 2 KB, over the 1 KB limit"
        assert info.value.hint


def test_read_path_equals_read_bytes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SAMPLE.encode())
    assert read_path(path) == read_bytes(SAMPLE.encode(), name=str(path))


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n...", "pdf"), (b"\n %PDF-1.4", "pdf"),
    (b"PK\x03\x04....word/document.xml....", "docx"), (b"PK\x03\x04....mimetype", "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "doc"), (b"\xffWPC\x10\x00", "wpd"),
    (b"\xef\xbb\xbf\n  <!DOCTYPE html><p>x", "html"), (b"<HTML lang=en>", "html"),
    (b"<!-- saved --><html>", "html"), (codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"), "html"),
    (b"<p>not a page, a text about tags</p>", "txt"), (b"Recalling", "txt"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_sniff_uses_bytes(data, kind):
    assert sniff(data) == kind
