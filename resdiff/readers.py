"""Bytes of a user's file -> plain text: the only module that knows file formats.

Owns: recognising a format by its magic bytes (never the extension); decoding
text files; extracting the text of .docx (with Word's automatic list numbers,
which are not part of the text), .pdf (without running headers, footers and page
numbers, hard wraps joined), .html (main content only) and legacy .doc (through
LibreOffice). Output paragraphs are separated by blank lines. Does not own what
the paragraphs mean or the layout noise inside a .txt: that is ``parse``.
The only home of python-docx and pdfminer.six, imported lazily so that the CLI
starts fast.

PDF extractor: pdfminer.six, chosen by measurement. On LibreOffice PDFs of
resolution 2003/73 in six layouts (with running header, page-number footer, job
number), rows built from its glyph boxes recovered 37/37 paragraphs in every
layout, against 31-37/37 for pypdf 7.1 positions through the same logic (pypdf
gives no glyph widths) and 13/37 and 0/37 for pdfminer's and pypdf's own output.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

from resdiff.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
"""Largest file read, in bytes. Resolutions are well under 1 MB even as PDF."""

SOFFICE_TIMEOUT = 60
"""Seconds a LibreOffice .doc conversion may take before it is killed."""

_SUPPORTED = "resdiff reads .txt, .docx, .doc, .pdf and .html files"


@dataclass(frozen=True)
class ReadText:
    """The plain text of one file and what had to be guessed to get it."""

    text: str
    """Plain text; paragraphs separated by blank lines ("\\n\\n"), "\\n" line ends."""
    kind: str
    """The format actually read: "txt", "docx", "pdf", "html" or "doc"."""
    warnings: tuple[str, ...] = ()
    """One line each, naming the file, e.g. about a guessed encoding."""


# --- recognising and dispatching -------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# Bytes that plain text does not contain: C0 controls except tab, LF, FF, CR, ESC.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _bom(data: bytes) -> tuple[int, str] | None:
    """(BOM length, codec) when ``data`` starts with a Unicode byte order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return len(bom), codec
    return None


def sniff(data: bytes) -> str:
    """The format of ``data`` from its first bytes: "pdf", "docx", "doc", "wpd",
    "html", "txt" or "binary". File names are never consulted."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # Zip member names are stored uncompressed, so a bytes search suffices.
        return "docx" if b"word/document.xml" in data else "binary"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"\xffWPC"):
        return "wpd"
    bom = _bom(data)
    if bom is not None:
        head = data[bom[0]:bom[0] + 4096].decode(bom[1], errors="ignore")
        return "html" if _HTML_START.match(head) else "txt"
    if _HTML_START.match(data[:4096].decode("latin-1")):
        return "html"
    return "binary" if _looks_binary(data) else "txt"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters (text with a BOM is handled before)."""
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return bool(sample) and controls > 0.3 * len(sample)


def read_path(path: Path) -> ReadText:
    """Read the file at ``path``; every failure is an ``InputError`` with a hint."""
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file",
                             hint="give the path of one .txt, .docx, .doc, .pdf or .html file")
        if path.stat().st_size > MAX_BYTES:
            raise _too_large(str(path), path.stat().st_size)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file",
                         hint="check the spelling and the directory you run resdiff from") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied",
                         hint="check its permissions, or copy it somewhere readable") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})",
                         hint="check the path points to an ordinary file") from None
    return read_bytes(data, name=str(path))


def read_bytes(data: bytes, *, name: str) -> ReadText:
    """Extract plain text from ``data``; ``name`` is used only in messages."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data:
        raise _empty(name)
    kind = sniff(data)
    if kind == "wpd":
        raise InputError(f"{name}: WordPerfect documents are not supported",
                         hint="open it in WordPerfect or LibreOffice and save it as .docx or PDF")
    if kind == "binary":
        raise _binary(name, data)
    return _READERS[kind](data, name)


def _too_large(name: str, size: int) -> InputError:
    return InputError(f"{name}: file is {_size(size)}, over the {_size(MAX_BYTES)} limit",
                      hint="a resolution is far smaller; check that this is the right file")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"


def _empty(name: str) -> InputError:
    return InputError(f"{name}: empty file",
                      hint="check that the file was saved or downloaded completely")


def _binary(name: str, data: bytes) -> InputError:
    if data.startswith(b"PK\x03\x04"):
        return _zip_error(name, data)
    return InputError(f"{name}: binary file, not a text document",
                      hint=f"{_SUPPORTED}; save or export the document as one of these")


def _join(paragraphs: list[str]) -> str:
    """One paragraph per block, no blank lines inside, blank line between."""
    blocks = []
    for paragraph in paragraphs:
        lines = [line.rstrip() for line in paragraph.strip().split("\n")]
        if any(lines):
            blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(blocks)


def _require_text(text: str, name: str, what: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: {what} contains no text",
                         hint="check that this is the document you meant; resdiff needs its text")
    return text


# --- plain text ----------------------------------------------------------------

def _decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode by BOM, then ``declared``, then UTF-8, else Windows-1252 with a warning."""
    bom = _bom(data)
    if bom is not None:
        data, declared = data[bom[0]:], bom[1]
    for codec in [c for c in (declared, "utf-8") if c]:
        try:
            return data.decode(codec), []
        except UnicodeDecodeError:
            if codec == declared:
                return data.decode(codec, errors="replace"), [
                    f"{name}: not valid {codec}; undecodable bytes replaced"]
    # cp1252 leaves five bytes undefined; "replace" keeps going rather than failing.
    return data.decode("cp1252", errors="replace"), [
        f"{name}: not UTF-8; decoded as Windows-1252"]


def _read_txt(data: bytes, name: str) -> ReadText:
    text, warnings = _decode(data, name)
    if not text.strip():
        raise _empty(name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ReadText(text, "txt", tuple(warnings))


# --- .docx -------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Deleted or moved-away revisions, text boxes (not part of the paragraph's flow),
# duplicate fallback renderings and properties carry no visible paragraph text.
_SKIP_TAGS = {_W + t for t in ("del", "moveFrom", "txbxContent", "pPr", "rPr",
                               "instrText", "delText")} | {_MC_FALLBACK}
_CONTAINERS = {_W + t for t in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml")}


def _zip_names(name: str, data: bytes) -> set[str]:
    """Member names of a zip archive that opens and passes its CRC checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            # A "zip bomb" would exhaust memory once python-docx unpacks its parts.
            if unpacked > 10 * MAX_BYTES:
                raise InputError(f"{name}: zip archive unpacks to {_size(unpacked)}; "
                                 "not a plausible Word document",
                                 hint="check that this is the right file")
            names, bad = set(archive.namelist()), archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError):
        names, bad = set(), "?"
    if bad:
        raise InputError(f"{name}: damaged or truncated .docx (corrupt zip archive)",
                         hint="download or copy the file again, or re-save it from Word")
    return names


def _zip_error(name: str, data: bytes) -> InputError:
    """Why a zip file is not a readable Word document."""
    names = _zip_names(name, data)
    if "content.xml" in names:
        what = "an OpenDocument file"
    elif any(n.startswith(("xl/", "ppt/")) for n in names):
        what = "an Excel or PowerPoint file"
    else:
        what = "a zip archive"
    return InputError(f"{name}: {what}, not a Word document (no word/document.xml)",
                      hint="open it and save or export the resolution as .docx or PDF")


def _read_docx(data: bytes, name: str) -> ReadText:
    if "word/document.xml" not in _zip_names(name, data):
        raise _zip_error(name, data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on malformed parts
        raise InputError(f"{name}: damaged Word document ({type(exc).__name__})",
                         hint="open it in Word or LibreOffice and save it again as .docx") from None
    numbering = _Numbering(document)
    paragraphs = []
    for p in _docx_paragraphs(document.element.body):
        label = numbering.label(p)  # numbers advance even for empty paragraphs
        text = "".join(_docx_text(p)).strip()
        if text:
            paragraphs.append(label + text)
    return ReadText(_require_text(_join(paragraphs), name, "the Word document"), "docx")


def _docx_paragraphs(container) -> Iterator:
    """Body paragraphs in reading order, descending into tables and content controls."""
    for child in container:
        if child.tag == _W + "p":
            yield child
        elif child.tag in _CONTAINERS:
            yield from _docx_paragraphs(child)


def _docx_text(element) -> Iterator[str]:
    """The visible text of a paragraph as Word shows it with changes accepted."""
    for child in element:
        tag = child.tag
        if tag in _SKIP_TAGS or (tag == _W + "r" and _is_hidden(child)):
            continue
        if tag == _W + "t":
            yield child.text or ""
        elif tag == _W + "tab":
            yield "\t"
        elif tag in (_W + "br", _W + "cr"):
            yield "\n"
        elif tag == _W + "noBreakHyphen":
            yield "\u2011"
        else:
            yield from _docx_text(child)


def _is_hidden(run) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(_W + "val") not in ("0", "false", "off")


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    suffix: str


class _Numbering:
    """Word's automatic paragraph numbers, computed the way Word displays them.

    Nums without overrides share their abstract list's counters (that is how
    Word continues a list across num ids); a num with ``lvlOverride`` (e.g. a
    ``startOverride`` to restart at 21) counts on its own.
    """

    def __init__(self, document) -> None:
        self._styles = _style_numbering(document)
        self._nums: dict[str, tuple[str, dict[int, _Level]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        root = _numbering_root(document)
        if root is not None:
            self._load(root)

    def _load(self, root) -> None:
        abstracts = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            aid = _val(num.find(_W + "abstractNumId"))
            abstract = _follow_style_link(abstracts.get(aid), abstracts, root, self._styles)
            if abstract is None:
                continue
            levels = {_int(lvl.get(_W + "ilvl"), 0): _level(lvl)
                      for lvl in abstract.iter(_W + "lvl")}
            overrides = num.findall(_W + "lvlOverride")
            for override in overrides:
                ilvl, lvl = _int(override.get(_W + "ilvl"), 0), override.find(_W + "lvl")
                base = _level(lvl) if lvl is not None else levels.get(ilvl, _level(None))
                start = _int(_val(override.find(_W + "startOverride")), base.start)
                levels[ilvl] = _Level(start, base.fmt, base.text, base.suffix)
            key = "num:" + num.get(_W + "numId") if overrides else "abstract:" + str(aid)
            self._nums[num.get(_W + "numId")] = (key, levels)

    def label(self, p) -> str:
        """The number Word shows before ``p`` with its tab ("1.\\t", "(a)\\t"), or ""."""
        num_id, ilvl = self._numpr(p)
        key, levels = self._nums.get(num_id or "", ("", {}))
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(key, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts its sub-levels
        if level.fmt in ("bullet", "none"):
            return ""
        text = re.sub(r"%([1-9])", lambda m: _format_counter(counters, levels, int(m.group(1)) - 1),
                      level.text)
        return text + level.suffix if text.strip() else ""

    def _numpr(self, p) -> tuple[str | None, int]:
        """(numId, ilvl) from the paragraph, falling back to its style chain."""
        ppr = p.find(_W + "pPr")
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        style = _val(ppr.find(_W + "pStyle")) if ppr is not None else None
        style_num, style_ilvl = self._styles.get(style or "", (None, 0))
        num_id = _val(numpr.find(_W + "numId")) if numpr is not None else None
        ilvl = _val(numpr.find(_W + "ilvl")) if numpr is not None else None
        return (num_id or style_num), _int(ilvl, style_ilvl)


def _val(element) -> str | None:
    return element.get(_W + "val") if element is not None else None


def _level(lvl) -> _Level:
    if lvl is None:
        return _Level(1, "decimal", "", "\t")
    # "nothing" would glue the number to the text; a space keeps it a token.
    suffix = {"space": " ", "nothing": " "}.get(_val(lvl.find(_W + "suff")) or "", "\t")
    return _Level(_int(_val(lvl.find(_W + "start")), 1), _val(lvl.find(_W + "numFmt")) or "decimal",
                  _val(lvl.find(_W + "lvlText")) or "", suffix)


def _numbering_root(document):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        return None


def _style_numbering(document) -> dict[str, tuple[str | None, int]]:
    """styleId -> (numId, ilvl) inherited through ``basedOn``."""
    raw: dict[str, tuple[str | None, str | None, str | None]] = {}
    for style in document.styles.element.iter(_W + "style"):
        numpr = style.find(f"{_W}pPr/{_W}numPr")
        num = _val(numpr.find(_W + "numId")) if numpr is not None else None
        ilvl = _val(numpr.find(_W + "ilvl")) if numpr is not None else None
        raw[style.get(_W + "styleId")] = (num, ilvl, _val(style.find(_W + "basedOn")))
    resolved = {}
    for style_id in raw:
        seen, current = set(), style_id
        while current in raw and current not in seen and raw[current][0] is None:
            seen.add(current)
            current = raw[current][2]
        num, ilvl, _ = raw.get(current, (None, None, None))
        resolved[style_id] = (num, _int(ilvl, 0))
    return resolved


def _follow_style_link(abstract, abstracts, root, styles):
    """An abstractNum that only points to a numbering style takes that style's list."""
    link = _val(abstract.find(_W + "numStyleLink")) if abstract is not None else None
    if link is None:
        return abstract
    num_id = styles.get(link, (None, 0))[0]
    for num in root.iter(_W + "num"):
        if num.get(_W + "numId") == num_id:
            return abstracts.get(_val(num.find(_W + "abstractNumId")))
    return abstract


def _format_counter(counters: dict[int, int], levels: dict[int, _Level], ilvl: int) -> str:
    level = levels.get(ilvl, _level(None))
    return _counter_text(counters.get(ilvl, level.start), level.fmt)


def _counter_text(value: int, fmt: str) -> str:
    """``value`` in a Word number format; unknown formats fall back to decimal."""
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        # Word repeats the letter after z: 27 -> "aa".
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        return _roman(value) if fmt == "lowerRoman" else _roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                            (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                            (5, "v"), (4, "iv"), (1, "i")):
        count, value = divmod(value, number)
        out += numeral * count
    return out


# --- legacy .doc -------------------------------------------------------------

def _read_doc(data: bytes, name: str) -> ReadText:
    # Both markers are stream names inside the OLE container, stored as UTF-16.
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError(f"{name}: password-protected Word document",
                         hint="open it in Word, remove the password and save an unprotected .docx")
    if "WordDocument".encode("utf-16-le") not in data:
        raise InputError(f"{name}: an Office file that is not a Word document",
                         hint="open it and save or export the resolution as .docx or PDF")
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise InputError(f"{name}: legacy Word .doc needs LibreOffice",
                         hint="install LibreOffice (soffice on PATH), or open the file "
                              "in Word and save it as .docx")
    with tempfile.TemporaryDirectory(prefix="resdiff-doc-") as tmp:
        converted = _soffice_to_docx(exe, data, Path(tmp), name)
    return ReadText(_read_docx(converted, name).text, "doc")


def _soffice_to_docx(exe: str, data: bytes, tmp: Path, name: str) -> bytes:
    """Convert with a private LibreOffice profile, so a running LibreOffice or a
    concurrent conversion cannot lock or hijack ours."""
    source = tmp / "input.doc"
    source.write_bytes(data)
    profile = (tmp / "profile").as_uri()
    command = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(tmp), str(source)]
    try:
        # A new session lets us kill soffice.bin too, not just the launcher script.
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        raise InputError(f"{name}: LibreOffice could not be started ({exc.strerror or exc})",
                         hint="check the LibreOffice installation, or save as .docx") from None
    try:
        proc.communicate(timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise InputError(f"{name}: LibreOffice took over {SOFFICE_TIMEOUT} s to convert the .doc",
                         hint="open it in Word or LibreOffice and save it as .docx") from None
    target = tmp / "input.docx"
    if not target.exists():
        raise InputError(f"{name}: LibreOffice could not convert this .doc (damaged?)",
                         hint="open it in Word or LibreOffice and save it as .docx")
    return target.read_bytes()


# --- PDF -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    """One visual line of a PDF page; coordinates in points, y growing upwards."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


_PAGE_NUMBER = re.compile(r"(?:page|p\.)?\s*[-\u2013\u2014]?\s*\d{1,3}"
                          r"\s*[-\u2013\u2014]?\s*(?:(?:of|/)\s*\d{1,3})?", re.IGNORECASE)
# UN job numbers: "GE.03-14063", "03-14063 (E) 120503", "NY.04-1234".
_JOB_NUMBER = re.compile(r"(?:[A-Z]{1,3}\.)?\d{2}-\d{4,5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?\s*\S*")
_LABEL = re.compile(r"\(?(?:\d{1,3}|[a-z]{1,3}|[ivxlc]{1,6})[.)]")  # "12.", "(a)"
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl",
                            "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})


def _read_pdf(data: bytes, name: str) -> ReadText:
    if b"%%EOF" not in data[-2048:]:
        raise InputError(f"{name}: truncated PDF (no end-of-file marker)",
                         hint="download or copy the file again; it is incomplete")
    pages = _pdf_rows(data, name)
    if not any(row.text.strip() for page in pages for row in page):
        raise InputError(f"{name}: PDF has no text layer (a scan?); resdiff does no OCR",
                         hint="use a .docx or text version, or run OCR (e.g. ocrmypdf) first")
    text = _join(_pdf_paragraphs(_drop_furniture(pages))).translate(_LIGATURES)
    warnings = ()
    if text.count("(cid:") > 20:
        warnings = (f"{name}: PDF fonts lack a character map; text may be garbled",)
    return ReadText(_require_text(text, name, "the PDF"), "pdf", warnings)


def _pdf_rows(data: bytes, name: str) -> list[list[_Row]]:
    """Visual rows of each page, top to bottom, read with pdfminer."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    hint = "open it with the password and save or print an unprotected copy to PDF"
    try:
        # boxes_flow=None: we order rows ourselves; all_texts: text inside figures too.
        params = LAParams(boxes_flow=None, all_texts=True)
        layouts = list(extract_pages(io.BytesIO(data), laparams=params))
    except PDFPasswordIncorrect:
        raise InputError(f"{name}: password-protected PDF", hint=hint) from None
    except PDFEncryptionError as exc:
        raise InputError(f"{name}: password-protected PDF ({exc})", hint=hint) from None
    except Exception as exc:  # pdfminer raises many types on malformed files
        raise InputError(f"{name}: damaged PDF ({type(exc).__name__})",
                         hint="download the file again, or re-save it from a PDF viewer") from None
    if not layouts:
        raise InputError(f"{name}: damaged PDF (no pages found)",
                         hint="download the file again, or re-save it from a PDF viewer")
    return [_page_rows(page) for page in layouts]


def _page_rows(page) -> list[_Row]:
    """Merge pdfminer text lines that share a baseline (e.g. "1." and its text)."""
    from pdfminer.layout import LTTextLine

    lines = sorted(_walk_layout(page, LTTextLine), key=lambda line: (-line.y1, line.x0))
    rows: list[list] = []
    for line in lines:
        if rows and _same_row(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [_make_row(sorted(group, key=lambda line: line.x0)) for group in rows]


def _walk_layout(item, kind) -> Iterator:
    if isinstance(item, kind):
        yield item
        return
    for child in getattr(item, "_objs", ()):
        yield from _walk_layout(child, kind)


def _same_row(a, b) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.height, b.height)


def _make_row(lines: list) -> _Row:
    text = " ".join(line.get_text().strip() for line in lines)
    return _Row(text, min(line.x0 for line in lines), max(line.x1 for line in lines),
                max(line.y1 for line in lines), min(line.y0 for line in lines))


def _furniture_key(text: str) -> str | None:
    """Key under which a row may repeat across pages, digits ignored ("page #")."""
    if _LABEL.fullmatch(text.strip()):
        return None  # a paragraph number alone at the top of a page is content
    return re.sub(r"\d+", "#", " ".join(text.lower().split())) or None


def _drop_furniture(pages: list[list[_Row]], zone: int = 3) -> list[list[_Row]]:
    """Remove running headers/footers, page and job numbers from each page's
    first and last ``zone`` rows: a row there goes if it looks like a page or
    job number, or if it recurs in that zone on at least half of the pages."""
    counts: Counter = Counter()
    for rows in pages:
        counts.update({(end, _furniture_key(r.text)) for end, r in _zone_rows(rows, zone)})
    counts.pop(("top", None), None)
    counts.pop(("bottom", None), None)
    needed = max(2, (len(pages) + 1) // 2)
    cleaned = []
    for rows in pages:
        drop = {id(r) for end, r in _zone_rows(rows, zone)
                if _is_number_line(r.text) or counts[(end, _furniture_key(r.text))] >= needed}
        cleaned.append([r for r in rows if id(r) not in drop])
    return cleaned


def _zone_rows(rows: list[_Row], zone: int) -> Iterator[tuple[str, _Row]]:
    for row in rows[:zone]:
        yield "top", row
    for row in rows[max(zone, len(rows) - zone):]:
        yield "bottom", row


def _is_number_line(text: str) -> bool:
    text = text.strip()
    return bool(_PAGE_NUMBER.fullmatch(text) or _JOB_NUMBER.fullmatch(text))


@dataclass(frozen=True)
class _Metrics:
    """Document-wide measures that tell a wrapped line from a paragraph end."""

    line_gap: float
    """Typical vertical gap between two rows of one paragraph."""
    right: float
    """The right edge of the text block (where full rows end)."""

    @classmethod
    def of(cls, pages: list[list[_Row]]) -> _Metrics:
        gaps = sorted(a.bottom - b.top for rows in pages for a, b in zip(rows, rows[1:]))
        rights = sorted(row.x1 for rows in pages for row in rows)
        # Low percentile: most adjacent rows belong to one paragraph, a few are breaks.
        return cls(gaps[len(gaps) // 5] if gaps else 0.0,
                   rights[int(0.95 * (len(rights) - 1))] if rights else 0.0)


def _pdf_paragraphs(pages: list[list[_Row]]) -> list[str]:
    """Join rows into paragraphs. A row starts a new one after a larger vertical
    gap, after a row its first word would have fitted on, at a first-line
    indent or at a list label; across a page break, also after a sentence end."""
    metrics = _Metrics.of(pages)
    paragraphs: list[list[str]] = []
    previous: _Row | None = None
    for rows in pages:
        for i, row in enumerate(rows):
            after = rows[i + 1] if i + 1 < len(rows) else None
            if previous is None or _starts_paragraph(previous, row, after, i > 0, metrics):
                paragraphs.append([])
            paragraphs[-1].append(row.text)
            previous = row
    return [_unwrap(lines) for lines in paragraphs]


def _starts_paragraph(prev: _Row, row: _Row, after: _Row | None, same_page: bool,
                      metrics: _Metrics) -> bool:
    text, prev_end = row.text.strip(), prev.text.rstrip()[-1:]
    if re.match(r"\(?\d{1,3}[.)]\s|\([a-z]{1,3}\)\s", text) and prev_end in ".;:,":
        return True
    if _first_word_fits(prev, text, metrics.right) or _indented(prev, row, after):
        return True
    if same_page:
        return prev.bottom - row.top > metrics.line_gap + 0.25 * min(prev.height, row.height)
    # Across a page break there is no gap to measure: trust sentence ends.
    return prev_end in ".;:" and text[:1].isupper()


def _first_word_fits(prev: _Row, text: str, right: float) -> bool:
    """A row wraps only when the next word does not fit, so if it would have fitted
    (with a generous margin for proportional fonts), the line ended on purpose."""
    words = text.split()
    if not words or not prev.text.strip():
        return False
    char_width = (prev.x1 - prev.x0) / max(len(prev.text.strip()), 1)
    return prev.x1 + (1.3 * (len(words[0]) + 1) + 1) * char_width < right


def _indented(prev: _Row, row: _Row, after: _Row | None) -> bool:
    """First-line indent: further right than both neighbours. A row after a
    list label ("1.  Welcomes") is the hanging indent of that item instead."""
    step = 0.5 * row.height
    return (after is not None and row.x0 > prev.x0 + step and row.x0 > after.x0 + step
            and not _LABEL.match(prev.text.strip()))


def _unwrap(lines: list[str]) -> str:
    """Join hard-wrapped lines; a line-final hyphen stays ("Asian-Pacific")."""
    out = ""
    # Runs of spaces come from glyph gaps, not from the text (no-break spaces stay).
    for line in (re.sub(r"[ \t]+", " ", raw.strip()) for raw in lines):
        if out.endswith("\u00ad"):
            out = out[:-1] + line  # soft hyphen: the word was split for layout only
        elif out.endswith("-") and out[-2:-1].isalpha() and line[:1].isalpha():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out


# --- HTML ----------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
_DROP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
         "template", "head", "svg", "button", "select", "iframe"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
          "ul", "ol", "dl", "dt", "dd", "blockquote", "section", "article", "main",
          "body", "pre", "hr", "center", "address", "figure", "figcaption", "caption"}
# Implied end tags: opening the key closes an open element named in the value.
_CLOSES = {"p": {"p"}, "li": {"li", "p"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
           "th": {"td", "th"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}}
_MAX_DEPTH = 200
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Browsers read these labels as Windows-1252, and a UTF-16 label that could be
# read in ASCII as UTF-8 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
_AS_UTF8 = {"utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list  # of _Node | str


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unknown end tags are ignored, common implied
    end tags (p, li, td, ...) are applied."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, [])
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        closes = _CLOSES.get(tag, set()) | ({"p"} if tag in _BLOCK - {"br"} else set())
        while self._stack[-1].tag in closes:
            self._stack.pop()
        node = _Node(tag, {k: v or "" for k, v in attrs}, [])
        self._stack[-1].children.append(node)
        # Past _MAX_DEPTH (unclosed tags pile up on bad pages) content stays in
        # the parent, so rendering cannot exhaust Python's recursion limit.
        if tag not in _VOID and len(self._stack) < _MAX_DEPTH:
            self._stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


class _Blocks:
    """Collects text into paragraphs; a pending list label goes before the
    first text of its item."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self.label = ""

    def text(self, text: str) -> None:
        if self.label and text.strip():
            self._buffer.append(self.label + " ")
            self.label = ""
        self._buffer.append(text)

    def preformatted(self, text: str) -> None:
        """<pre> keeps its lines, as a .txt does; blank lines separate paragraphs."""
        self.brk()
        self.paragraphs.extend(p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip())

    def brk(self) -> None:
        # HTML collapses ASCII whitespace only; a no-break space is text.
        paragraph = re.sub(r"[ \t\n\r\f]+", " ", "".join(self._buffer)).strip()
        if paragraph:
            self.paragraphs.append(paragraph)
        self._buffer = []


def _read_html(data: bytes, name: str) -> ReadText:
    text, warnings = _html_decode(data, name)
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    blocks = _Blocks()
    _render(_main_node(builder.root), blocks)
    blocks.brk()
    return ReadText(_require_text(_join(blocks.paragraphs), name, "the web page"), "html",
                    tuple(warnings))


def _html_decode(data: bytes, name: str) -> tuple[str, list[str]]:
    match = _CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii").lower() if match else None
    if declared in _AS_CP1252:
        declared = "cp1252"
    elif declared in _AS_UTF8:
        declared = "utf-8"
    try:
        declared = codecs.lookup(declared).name if declared else None
    except LookupError:
        return _decode(data, name)[0], [f"{name}: unknown charset {declared!r}; read as UTF-8"]
    return _decode(data, name, declared)


def _main_node(root: _Node) -> _Node:
    """<main> (or role=main), else the <article> with most text, else everything."""
    nodes = list(_iter_nodes(root))
    for node in nodes:
        if node.tag == "main" or node.attrs.get("role") == "main":
            return node
    articles = [n for n in nodes if n.tag == "article"]
    return max(articles, key=lambda n: len(_plain(n))) if articles else root


def _iter_nodes(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if isinstance(child, _Node) and not _dropped(child):
            yield child
            yield from _iter_nodes(child)


def _plain(node: _Node) -> str:
    return "".join(c if isinstance(c, str) else _plain(c) for c in node.children
                   if isinstance(c, str) or not _dropped(c))


def _dropped(node: _Node) -> bool:
    return (node.tag in _DROP or node.attrs.get("role") in _DROP_ROLES
            or "hidden" in node.attrs)


def _render(node: _Node, out: _Blocks) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.text(child)
        elif _dropped(child):
            continue
        elif child.tag == "ol":
            out.brk()
            _render_list(child, out)
        elif child.tag == "pre":
            out.preformatted(_plain(child))
        elif child.tag in _BLOCK:
            out.brk()
            _render(child, out)
            out.brk()
        elif child.tag in ("td", "th"):
            out.text(" ")
            _render(child, out)
            out.text(" ")
        else:
            _render(child, out)


def _render_list(ol: _Node, out: _Blocks) -> None:
    """Render <ol> items with "N." before each, honouring start/value/reversed."""
    items = [c for c in ol.children if isinstance(c, _Node) and c.tag == "li"]
    step = -1 if "reversed" in ol.attrs else 1
    number = _int(ol.attrs.get("start"), len(items) if step < 0 else 1)
    fmt = _OL_TYPES.get(ol.attrs.get("type", ""), "decimal")
    for child in ol.children:
        if isinstance(child, _Node) and child.tag == "li" and not _dropped(child):
            number = _int(child.attrs.get("value"), number)
            out.brk()
            out.label = _counter_text(number, fmt) + "."
            _render(child, out)
            out.brk()
            out.label = ""
            number += step
        elif isinstance(child, _Node):
            _render(_Node("div", {}, [child]), out)


_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value.strip()) if value else default
    except ValueError:
        return default


_READERS: dict[str, Callable[[bytes, str], ReadText]] = {
    "txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html, "doc": _read_doc,
}
