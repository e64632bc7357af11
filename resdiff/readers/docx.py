"""Word .docx files: the visible text, with Word's automatic list numbers.

Owns checking the zip container (damaged, a zip bomb, or another Office format),
python-docx (imported lazily, so that the CLI starts fast), which parts of a
paragraph are visible text (tracked changes read as accepted; hidden runs, text
boxes and deleted text left out), and computing the numbers Word shows before
list paragraphs, which are not part of the text. Does not own legacy .doc files
(see ``legacy``, which converts them to .docx and reads them here) nor what the
numbers mean (that is ``parse``).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterator

from resdiff import readers  # MAX_BYTES is read at call time: callers and tests lower it
from resdiff.errors import InputError

from .base import ReadText, counter_text, join, require_text, size, to_int

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
            # A "zip bomb" would exhaust memory once python-docx unpacks its parts. Word's XML packs
            # about 5-15 to 1; a document unpacking to more than 40 times its size plus 4 MB is not one.
            if unpacked > min(10 * readers.MAX_BYTES, 40 * len(data) + 4 * 2**20):
                raise InputError(f"{name}: zip archive unpacks to {size(unpacked)}; "
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


def zip_error(name: str, data: bytes) -> InputError:
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


def read_docx(data: bytes, name: str) -> ReadText:
    if "word/document.xml" not in _zip_names(name, data):
        raise zip_error(name, data)
    import docx  # python-docx (imports are absolute), lazily: it is slow to import

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
    return ReadText(require_text(join(paragraphs), name, "the Word document"), "docx")


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
            levels = {to_int(lvl.get(_W + "ilvl"), 0): _level(lvl)
                      for lvl in abstract.iter(_W + "lvl")}
            overrides = num.findall(_W + "lvlOverride")
            for override in overrides:
                ilvl, lvl = to_int(override.get(_W + "ilvl"), 0), override.find(_W + "lvl")
                base = _level(lvl) if lvl is not None else levels.get(ilvl, _level(None))
                start = to_int(_val(override.find(_W + "startOverride")), base.start)
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
        return (num_id or style_num), to_int(ilvl, style_ilvl)


def _val(element) -> str | None:
    return element.get(_W + "val") if element is not None else None


def _level(lvl) -> _Level:
    if lvl is None:
        return _Level(1, "decimal", "", "\t")
    # "nothing" would glue the number to the text; a space keeps it a token.
    suffix = {"space": " ", "nothing": " "}.get(_val(lvl.find(_W + "suff")) or "", "\t")
    return _Level(to_int(_val(lvl.find(_W + "start")), 1),
                  _val(lvl.find(_W + "numFmt")) or "decimal",
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
        resolved[style_id] = (num, to_int(ilvl, 0))
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
    return counter_text(counters.get(ilvl, level.start), level.fmt)
