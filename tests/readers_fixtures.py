"""Test documents for ``resdiff.readers``, generated on the fly.

The .docx, .pdf, .doc and .html files carry the text of the one real resolution
bundled with resdiff (data/chr-2003-73.txt), read at run time and never copied:
operative paragraphs become a real Word numbered list (the numbers live in
numbering.xml, not in the text), and the PDF gets a running header, a
page-number footer and a UN job number, so the readers have real noise to drop.
The small hand-written PDFs (text lines, a drawn rectangle only) need nothing
but the standard library. Every ``make_*`` function takes the path to write and
returns it, so other tests can reuse them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from html import escape
from pathlib import Path

REAL_TEXT = Path(__file__).resolve().parents[1] / "data" / "chr-2003-73.txt"
RUNNING_HEADER = "E/CN.4/RES/2003/73"
JOB_NUMBER = "GE.03-14063"
# Words that only the page furniture of the generated documents contains.
NOISE_WORDS = ("RES/2003/73", "GE.03-14063", "Skip", "Home", "Terms", "tracking", "Search")

_NUMBERED = re.compile(r"^(\d+)\.\s*\n(.*)$", re.DOTALL)


def source_paragraphs() -> list[str]:
    """The real text's paragraphs (blank-line separated), whitespace collapsed."""
    text = REAL_TEXT.read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def paragraph_words(text: str) -> list[list[str]]:
    """Split reader output into paragraphs, each a list of words; a number
    standing alone ("21.") is joined to the paragraph after it."""
    paragraphs: list[list[str]] = []
    pending: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        words = block.split()
        if re.fullmatch(r"\d{1,3}\.", " ".join(words)):
            pending = words
        elif words:
            paragraphs.append(pending + words)
            pending = []
    return paragraphs + ([pending] if pending else [])


def _blocks() -> list[tuple[int | None, str]]:
    """(printed number or None, text) for each paragraph of the real text."""
    text = REAL_TEXT.read_text(encoding="utf-8")
    blocks = []
    for raw in re.split(r"\n\s*\n", text):
        if not raw.strip():
            continue
        match = _NUMBERED.match(raw.strip())
        if match:
            blocks.append((int(match.group(1)), " ".join(match.group(2).split())))
        else:
            blocks.append((None, " ".join(raw.split())))
    return blocks


# --- .docx -------------------------------------------------------------------

_ABSTRACT_NUM = """
<w:abstractNum {ns} w:abstractNumId="{aid}">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
    <w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="1134" w:hanging="567"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>
    <w:lvlText w:val="(%3)"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="1701" w:hanging="567"/></w:pPr></w:lvl>
</w:abstractNum>"""


def add_numbering(document, *, start: int | None = None) -> int:
    """Add a decimal / (a) / (i) list to ``document``; return its numId.

    ``start`` adds a ``w:startOverride`` for level 0, as Word does when a user
    restarts or sets the numbering value of a list.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = document.part.numbering_part.element
    ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    aids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_id, aid = max(ids, default=0) + 1, max(aids, default=-1) + 1
    abstract = parse_xml(_ABSTRACT_NUM.format(ns=nsdecls("w"), aid=aid))
    first_num = numbering.find(qn("w:num"))
    # Schema order: every abstractNum comes before the first num.
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    override = ""
    if start is not None:
        override = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}">'
        f'<w:abstractNumId w:val="{aid}"/>{override}</w:num>'
    ))
    return num_id


def set_list_item(paragraph, num_id: int, ilvl: int = 0) -> None:
    """Attach ``paragraph`` to Word list ``num_id`` at level ``ilvl`` (w:numPr)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def _add_page_field(paragraph, before: str, after: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph.add_run(before)
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    ))
    paragraph.add_run(after)


def _add_page_furniture(document) -> None:
    """Running header with the symbol, "- N -" footer, job number on page 1."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    section.different_first_page_header_footer = True
    for header in (section.header, section.first_page_header):
        header.paragraphs[0].text = RUNNING_HEADER
        header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for footer in (section.footer, section.first_page_footer):
        footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_page_field(footer.paragraphs[0], "- ", " -")
    section.first_page_footer.add_paragraph(JOB_NUMBER)


def make_docx(path: Path, *, page_furniture: bool = False) -> Path:
    """The real resolution as a .docx whose operative numbers are Word numbering.

    Paragraphs 1-19 form one list; 21 is a second list restarted at 21 with
    ``w:startOverride``, reproducing the printed jump from 19 to 21.
    """
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.styles["Normal"].paragraph_format.space_after = Pt(6)
    num_id, expected = None, None
    for number, text in _blocks():
        paragraph = document.add_paragraph(text)
        if number is None:
            paragraph.paragraph_format.first_line_indent = Cm(1)
            continue
        if number != expected:
            num_id = add_numbering(document, start=None if number == 1 else number)
        set_list_item(paragraph, num_id)
        expected = number + 1
    if page_furniture:
        _add_page_furniture(document)
    document.save(path)
    return path


# --- LibreOffice conversions ------------------------------------------------

def soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, target: str, outdir: Path, *, profile: Path | None = None) -> Path:
    """Convert ``src`` with LibreOffice headless (``target`` e.g. "pdf", "doc")."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not on PATH")
    profile = profile or Path(tempfile.mkdtemp(prefix="resdiff-lo-"))
    cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
           "--convert-to", target, "--outdir", str(outdir), str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    out = outdir / (src.stem + "." + target.split(":")[0])
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not convert {src} to {target}")
    return out


def make_pdf(path: Path, *, profile: Path | None = None) -> Path:
    """The real resolution as a LibreOffice PDF with header, footer, job number."""
    with tempfile.TemporaryDirectory(prefix="resdiff-pdf-") as tmp:
        src = make_docx(Path(tmp) / (path.stem + ".docx"), page_furniture=True)
        shutil.move(convert(src, "pdf", Path(tmp), profile=profile), path)
    return path


def make_doc(path: Path, *, profile: Path | None = None) -> Path:
    """The real resolution as a legacy Word 97 .doc (via LibreOffice)."""
    with tempfile.TemporaryDirectory(prefix="resdiff-doc-") as tmp:
        src = make_docx(Path(tmp) / (path.stem + ".docx"))
        shutil.move(convert(src, "doc:MS Word 97", Path(tmp), profile=profile), path)
    return path


# --- .html -------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Resolution 2003/73 | Home</title>
<style>body {{ font-family: serif; }} .Skip {{ display: none; }}</style>
<script>var tracking = "Search Home";</script></head>
<body>
<header><a href="#main">Skip to content</a> <div>OHCHR Home</div></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/search">Search</a></li></ul></nav>
<main id="main">
<nav class="breadcrumb">Home &gt; Search &gt; Resolutions</nav>
<script>tracking("Skip");</script>
{body}
<form><input name="q"><button>Search</button></form>
</main>
<aside><p>Search related documents</p></aside>
<footer><p>Terms of use</p><p>Home | Search</p></footer>
<script>tracking = "Terms";</script>
</body></html>
"""


def _html_body() -> str:
    """Unnumbered paragraphs as <p>; operative runs as <ol start=N>."""
    parts: list[str] = []
    expected = None
    for number, text in _blocks():
        if number is None:
            if expected is not None:
                parts.append("</ol>")
                expected = None
            parts.append(f"<p>{escape(text)}</p>")
            continue
        if number != expected:
            if expected is not None:
                parts.append("</ol>")
            parts.append(f'<ol start="{number}">')
        parts.append(f"  <li>{escape(text)}</li>")
        expected = number + 1
    if expected is not None:
        parts.append("</ol>")
    return "\n".join(parts)


def make_html(path: Path) -> Path:
    """The real resolution as a web page with header, nav, aside, footer, scripts."""
    path.write_text(_PAGE.format(body=_html_body()), encoding="utf-8")
    return path


# --- hand-written PDFs (no LibreOffice) ---------------------------------------

def _pdf_file(objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """Assemble numbered objects (1..n, object 1 the catalog) into a PDF."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    header = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
    return header + packed + b"\nendstream"


def _page_objects(content: bytes) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]


def simple_pdf_bytes(paragraphs: list[list[str]]) -> bytes:
    """A one-page Helvetica PDF: each paragraph's lines, a blank gap between."""
    ops, y = [b"BT /F1 11 Tf"], 780
    for lines in paragraphs:
        for line in lines:
            text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"1 0 0 1 72 %d Tm (%s) Tj" % (y, text.encode("cp1252")))
            y -= 14
        y -= 12
    ops.append(b"ET")
    return _pdf_file(_page_objects(b"\n".join(ops)))


def make_simple_pdf(path: Path, paragraphs: list[list[str]]) -> Path:
    path.write_bytes(simple_pdf_bytes(paragraphs))
    return path


def make_pdf_without_text(path: Path) -> Path:
    """A PDF like a scan: a page with a drawn rectangle and no text layer."""
    path.write_bytes(_pdf_file(_page_objects(b"0.5 g 72 500 300 200 re f")))
    return path


# RC4 and the PDF Standard security handler, revision 2 (PDF 1.7, 7.6.3), so the
# tests can make a genuinely password-protected PDF without another dependency.
_PASSWORD_PAD = bytes.fromhex(
    "28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state, j = list(range(256)), 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf_bytes(lines: list[str], *, password: str = "secret") -> bytes:
    """A one-page PDF that opens only with ``password`` (40-bit RC4, R2)."""
    import hashlib

    padded = (password.encode("latin-1") + _PASSWORD_PAD)[:32]
    owner = _rc4(hashlib.md5(padded).digest()[:5], padded)
    perms, file_id = -44, hashlib.md5(b"resdiff-test").digest()
    key = hashlib.md5(padded + owner + perms.to_bytes(4, "little", signed=True)
                      + file_id).digest()[:5]
    user = _rc4(key, _PASSWORD_PAD)
    content = b"BT /F1 11 Tf " + b"".join(
        b"1 0 0 1 72 %d Tm (%s) Tj " % (780 - 14 * i, line.encode("cp1252"))
        for i, line in enumerate(lines)) + b"ET"
    packed = zlib.compress(content)
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + b"\0\0").digest()[:10]
    objects = _page_objects(b"")
    objects[3] = (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
                  + _rc4(object_key, packed) + b"\nendstream")
    objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                   % (owner.hex().encode(), user.hex().encode(), perms))
    trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return _pdf_file(objects, trailer_extra=trailer)


# --- layouts that move page breaks (tests/test_pdf_pagebreaks.py) ------------

CONSTRUCTED_NOTE = ("Constructed test text, not a UN document: the text of Commission on Human "
                    "Rights resolution 2003/73 with an invented paragraph 20 and sub-paragraphs.")
_INVENTED_OP = """20.
Requests the Office of the High Commissioner, in preparing the report referred to in paragraph 19 above:

(a) To include information on national plans of action for the promotion and protection of human rights adopted in the region since the eleventh Workshop, and on the lessons learned in preparing, implementing and evaluating them;

(b) To describe the cooperation between independent national institutions, intergovernmental organizations and non-governmental organizations in the Asian and Pacific region; and

(c) To set out the activities planned under the Framework for Regional Technical Cooperation Programme in the Asian and Pacific Region for the next two years;

(d) To consult the Governments of the region;

(e) To report on the contributions received, particularly with respect to activities in the area of technical cooperation and the strengthening of national capacities and infrastructures in the field of human rights;

"""


def constructed_subparagraph_text() -> str:
    """2003/73 with an invented OP 20 holding sub-paragraphs (a)-(e), so that page
    breaks can fall before a sub-paragraph marker. Its first line says that it is
    constructed; item (b) ends "; and" like many real lists do."""
    text = REAL_TEXT.read_text(encoding="utf-8")
    cut = text.index("21.\n")
    return CONSTRUCTED_NOTE + "\n\n" + text[:cut] + _INVENTED_OP + text[cut:]


@dataclass(frozen=True)
class Layout:
    """How a generated document is set: the knobs that move its page breaks."""

    name: str
    font_pt: float = 12
    margin_cm: float = 2.5
    line_spacing: float = 1.0
    """A multiple of single spacing."""
    space_after_pt: float = 6
    """Space after each paragraph; 0 leaves only the first-line indent to see."""
    indent_cm: float = 1.0
    """First-line indent of unnumbered paragraphs; 0 gives block paragraphs."""
    typed: bool = False
    """Set it like LibreOffice opens the .txt: a paragraph per line, typed numbers,
    empty paragraphs for blank lines, no indent, no list. Otherwise numbers and
    "(a)" markers are a Word list, as in ``make_docx``."""
    breaks_before: tuple[str, ...] = ()
    """Paragraphs (by how their text starts) that begin a new page."""


def _layout_blocks(text: str) -> list[tuple[int, int | None, str]]:
    """(list level, printed number, text) per blank-line separated block: level 0
    for a numbered paragraph ("4." then its text), 1 for one starting "(a) ",
    -1 for the others."""
    blocks = []
    for raw in re.split(r"\n\s*\n", text):
        raw = raw.strip()
        numbered, lettered = _NUMBERED.match(raw), re.match(r"\([a-z]\)\s+(.*)$", raw, re.DOTALL)
        if numbered:
            blocks.append((0, int(numbered.group(1)), " ".join(numbered.group(2).split())))
        elif lettered:
            blocks.append((1, None, " ".join(lettered.group(1).split())))
        elif raw:
            blocks.append((-1, None, " ".join(raw.split())))
    return blocks


def _add_listed(document, text: str, layout: Layout) -> list:
    """Blocks as paragraphs, numbers and markers as Word numbering (level 0 "1.",
    level 1 "(a)"); a jump in the printed numbers starts a list at that number."""
    from docx.shared import Cm

    added, num_id, expected = [], None, None
    for level, number, block in _layout_blocks(text):
        paragraph = document.add_paragraph(block)
        added.append(paragraph)
        if level < 0:
            paragraph.paragraph_format.first_line_indent = Cm(layout.indent_cm)
            continue
        if number is not None and number != expected:
            num_id = add_numbering(document, start=None if number == 1 else number)
        expected = number + 1 if number is not None else expected
        set_list_item(paragraph, num_id, level)
    return added


def _add_typed(document, text: str) -> list:
    """A paragraph per line, empty ones for blank lines: LibreOffice's .txt import."""
    return [document.add_paragraph(line.strip()) for line in text.strip().split("\n")]


def make_layout_docx(path: Path, text: str, layout: Layout) -> Path:
    """``text`` (in the layout of data/chr-2003-73.txt) as a .docx set in ``layout``,
    with the running header, page-number footer and job number of ``make_docx``."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"].paragraph_format
    style.space_after = Pt(0 if layout.typed else layout.space_after_pt)
    style.line_spacing = layout.line_spacing
    document.styles["Normal"].font.size = Pt(layout.font_pt)
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(layout.margin_cm))
    added = _add_typed(document, text) if layout.typed else _add_listed(document, text, layout)
    for paragraph in added:
        if paragraph.text and paragraph.text.startswith(layout.breaks_before):
            paragraph.paragraph_format.page_break_before = True
    _add_page_furniture(document)
    document.save(path)
    return path

