"""Akoma Ntoso (AKN4UN) XML -> ``Document``, built from the markup, not from flattened text.

Owns recognising an Akoma Ntoso 3.0 root (``xml_kind``, used by ``sniff``), parsing
XML safely (lxml with entity expansion, DTDs and network access off; any DOCTYPE
refused), and mapping the UN's markup onto resdiff's document model:

- ``coverPage`` docTitle -> HEADING; ``preface`` docNumber + docTitle -> TITLE
  ("78/10. Title"), further preface lines (a part "A ...") -> HEADING2...;
  the enacting ``formula`` -> CHAPEAU; each preamble ``container`` -> PPn.
- ``mainBody`` ``paragraph`` with an arabic ``num`` -> OPn (as printed, a repeat
  is ``OPn#2``); ``list``/``point``/``sublist`` (and the older markup's
  unnumbered "(a) ..." paragraphs) -> ``OPn(a)``, ``OPn(a)(i)``. An unnumbered
  paragraph continues the element before it when it starts in lower case (the
  words after a list) or follows a colon (items printed without a marker).
  A preamble ``blockList`` gives ``PPn(a)``.
- Markup without a printed number keeps its words under labels that say so:
  headings (``heading``, ``subheading``, a Word heading style or all-bold
  paragraph, a section's "I") -> ``Hn``; other unnumbered paragraphs and tables
  -> ``Pn`` (a resolution's single operative paragraph is unnumbered); a
  section's own preamble (``crossHeading``) continues the PP count. Annexes
  (``attachments``) follow the footer as ``ANNEX.n`` (Section.TEXT); the
  resolutions of a ``documentCollection`` ("78/80 A-B") are prefixed by their
  letter: ``A.PP1``, ``B.OP3``.
- ``authorialNote`` footnotes leave the text and go to ``Document.footnotes``;
  ``conclusions`` give MEETING and DATE; ``meta`` and ``coverPage`` give the
  symbol, adoption date, language, session, agenda item, originating document,
  and the recalled resolutions (``a href`` to ``A/RES/...``).

Does not own what the words mean (labels follow ``parse``'s conventions and reuse
its helpers) nor reading other XML: anything else is refused with one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from resdiff.errors import InputError
from resdiff.model import Document, Paragraph, Section
from resdiff.numbering import _numbering_warnings, _sub_level, printed_number
from resdiff.parse import _OP_NUMBER, _SUBPARA, canonical

from .base import ReadText, join
from .text import bom

if TYPE_CHECKING:
    from lxml import etree

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_A = f"{{{AKN_NS}}}"
_LANGS = {"eng": "en", "fra": "fr", "spa": "es", "rus": "ru", "ara": "ar", "zho": "zh", "chi": "zh"}
_ROOT = re.compile(r"<(?:(?P<prefix>[A-Za-z_][\w.\-]*):)?(?P<name>[A-Za-z_][\w.\-]*)(?P<attrs>[^<>]*)>")
_BARE_MARKER = re.compile(r"(?:[IVXLC]+|[A-Z])\.?")
"""A heading that is only a section number ("II", "A."): it joins the heading after it."""
_HEADING_STYLE = re.compile(r"H(?:\d+|Ch)")
"""The UN's Word heading styles, kept in a paragraph's ``class``: its words are a heading."""
_NOT_AKN_HINT = ("resdiff reads General Assembly resolutions in Akoma Ntoso 3.0 XML (the UN's AKN4UN "
                 "files); for other XML, save the document as .docx, .pdf, .html or .txt")


# ---------------------------------------------------------------- recognising and parsing

def xml_kind(data: bytes) -> str | None:
    """"akn" for an ``akomaNtoso`` root in the AKN 3.0 namespace, "xml" for other XML, None otherwise."""
    head = _head(data)
    declared = head.lstrip().startswith("<?xml")
    before, root = _prolog(head)
    doctype = "<!DOCTYPE" in before.upper()
    if root is None or (before.strip() and not doctype):
        return "xml" if declared or doctype else None
    attr = "xmlns" + (f":{root['prefix']}" if root["prefix"] else "")
    namespace = re.search(rf"\s{re.escape(attr)}\s*=\s*([\"'])(.*?)\1", root["attrs"])
    if root["name"] == "akomaNtoso" and namespace and namespace.group(2) == AKN_NS:
        return "akn"
    return "xml" if declared or doctype or "xmlns" in root["attrs"] or root["name"] == "akomaNtoso" else None


def _head(data: bytes) -> str:
    found = bom(data)
    if found is not None:
        return data[found[0]:found[0] + 65536].decode(found[1], errors="ignore")
    return data[:65536].decode("latin-1")


def _prolog(head: str) -> tuple[str, re.Match[str] | None]:
    """The text before the root start tag (comments and processing instructions removed), and that tag.

    A scan, not one regular expression, so that no input makes it slow.
    """
    out, i = [], 0
    while (j := head.find("<", i)) >= 0:
        skip = next(((o, c) for o, c in (("<!--", "-->"), ("<?", "?>")) if head.startswith(o, j)), None)
        if skip is not None:
            k = head.find(skip[1], j + len(skip[0]))
            if k < 0:
                break
            out.append(head[i:j])
            i = k + len(skip[1])
        elif root := _ROOT.match(head, j):
            return "".join(out) + head[i:j], root
        else:
            out.append(head[i:j + 1])
            i = j + 1
    return "".join(out) + head[i:], None


def _refuse_doctype(data: bytes, name: str) -> None:
    if "<!DOCTYPE" in _prolog(_head(data))[0].upper():
        raise _doctype_error(name)


def _doctype_error(name: str) -> InputError:
    return InputError(f"{name}: XML with a document type declaration (<!DOCTYPE>) is refused",
                      hint="UN Akoma Ntoso files have none; a DTD can expand entities without limit or "
                           "read other files, so resdiff never reads one")


def _parse(data: bytes, name: str) -> etree._Element:
    """The root element, parsed with entities, DTDs and network access off."""
    from lxml import etree  # imported here, so that the CLI starts fast

    _refuse_doctype(data, name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if any("<!DOCTYPE".encode(codec) in data for codec in ("utf-8", "utf-16-le", "utf-16-be")):
            raise _doctype_error(name) from None  # a DTD further on than the prolog check reads
        line = f" at line {exc.lineno}" if exc.lineno else ""
        detail = re.sub(r",\s*line \d+, column \d+$", "", exc.msg or "")
        raise InputError(f"{name}: not well-formed XML{line} ({detail})",
                         hint="the file is damaged or incomplete; download it again") from None
    _check_root(root, name)
    return root


def _check_root(root: etree._Element, name: str) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _doctype_error(name)
    if root.tag != _A + "akomaNtoso":
        what = "its <akomaNtoso> root is not in the Akoma Ntoso 3.0 namespace" if _local(root) == "akomaNtoso" \
            else f"root element <{_local(root)}>"
        raise InputError(f"{name}: XML but not an Akoma Ntoso document ({what})", hint=_NOT_AKN_HINT)
    if root.find(f".//{_A}mainBody") is None:
        raise InputError(f"{name}: Akoma Ntoso document without a mainBody: no operative part to compare",
                         hint="resdiff reads resolutions, whose paragraphs are in <mainBody>; check that this is one")


def read_akn(data: bytes, name: str) -> ReadText:
    """The document built from the markup, and the text as the UN prints it.

    Also given any other XML ("xml" from ``sniff``): it is parsed as safely, then refused in one line.
    """
    document = _Builder(name).build(_parse(data, name))
    return ReadText(render_text(document), "akn", document=document)


# ---------------------------------------------------------------- text of elements

def _local(el: etree._Element) -> str:
    """The tag without its namespace; "" for comments and processing instructions."""
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def _clean(text: str) -> str:
    return " ".join(canonical(text).split())


def _text(el: etree._Element | None, notes: list[str] | None = None) -> str:
    """The words of ``el``, single-spaced; footnotes go to ``notes``, not into the text."""
    if el is None:
        return ""
    parts: list[str] = []
    _collect(el, parts, notes if notes is not None else [])
    return _clean("".join(parts))


def _collect(el: etree._Element, parts: list[str], notes: list[str]) -> None:
    parts.append(el.text or "")
    children = list(el)
    for i, child in enumerate(children):
        tag = _local(child)
        if tag == "authorialNote":
            # An Arabic note's own text opens with the "()" its number is printed in.
            notes.append(re.sub(r"^\(\s*\)\s*", "", _clean("".join(child.itertext()))))
        elif tag == "sup" and _note_bracket(children, i):
            pass  # "(" and ")" printed around a footnote's number (Arabic texts): part of the note, not of the text
        elif tag == "eol":
            parts.append(" ")
        elif tag:
            _collect(child, parts, notes)
        parts.append(child.tail or "")


def _note_bracket(children: list[etree._Element], i: int) -> bool:
    """``children[i]`` is a superscript "(" just before a footnote or ")" just after one."""
    text = "".join(children[i].itertext()).strip()
    if text == "(" and i + 1 < len(children) and not (children[i].tail or "").strip():
        return _local(children[i + 1]) == "authorialNote"
    if text == ")" and i > 0 and not (children[i - 1].tail or "").strip():
        return _local(children[i - 1]) == "authorialNote"
    return False


def _number(num: etree._Element | None) -> str | None:
    """The printed number without its dot, dash or brackets: "1." -> "1", "(a)" -> "a", "1 -" -> "1"."""
    return re.sub(r"^\(|[\s.:)\-]+$", "", _text(num)) or None


def _table(el: etree._Element, notes: list[str]) -> str:
    rows = [" ".join(_text(cell, notes) for cell in row) for row in el.iter(_A + "tr")]
    return " ".join(r for r in rows if r) or _text(el, notes)


# ---------------------------------------------------------------- building the document

_LISTS = ("list", "sublist", "blockList")


@dataclass
class _El:
    """A paragraph while it is being built (intro words and wrap-ups are appended)."""

    label: str
    section: Section
    text: str
    number: str | None = None
    level: int = 0
    parent: str | None = None


class _Builder:
    """Walks the markup in reading order and collects elements, footnotes and warnings."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.out: list[_El] = []
        self.notes: list[tuple[str, str]] = []
        self.dropped: list[str] = []
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {}
        self.seen: dict[str, int] = {}
        self.prefix = ""
        """"A." inside resolution A of a collection, "ANNEX." inside an annex."""
        self.top: _El | None = None
        """The paragraph that a following sub-paragraph belongs to; None after a heading."""
        self.stack: list[tuple[str, str]] = []
        """(marker, label) of the open sub-paragraph levels under ``top``, level 1 first."""
        self.runs: list[list[_El]] = [[]]
        """Operative paragraphs per numbering sequence (a section may restart at 1)."""
        self.after_heading = False
        self.items_open = False
        """Unmarked items announced by a colon are being appended to the element before them."""

    def build(self, root: etree._Element) -> Document:
        info = _Info.of(root)
        top = next(c for c in root if _local(c))
        self._frame(top, info)
        if _local(top) == "documentCollection":
            for n, statement in enumerate(root.iterfind(f"{_A}components/{_A}component/*")):
                self._part(statement, n)
        else:
            self._statement(top)
        return self._document(info)

    # -- the frame: heading, title, parts, chapeau, footer

    def _frame(self, top: etree._Element, info: _Info) -> None:
        cover = top.find(_A + "coverPage")
        heading = _text(cover.find(f".//{_A}docTitle")) if cover is not None else ""
        if heading:
            self._add(self._numbered_label("HEADING"), Section.HEADING, heading)
        preface = top.find(_A + "preface")
        for k, p in enumerate(preface.iterfind(_A + "p") if preface is not None else ()):
            notes: list[str] = []
            numbers = [_text(n, notes) for n in p.iterfind(_A + "docNumber")] or [""]
            title = self._title(p, notes)
            if k == 0:
                info.number, info.title = numbers[0], title
                self._add("TITLE", Section.TITLE, f"{numbers[0]} {title}".strip(), notes=notes)
                if parts := " ".join(numbers[1:]):  # a part letter after the title: "74/261. Title" / "C"
                    self._add(self._numbered_label("HEADING"), Section.HEADING, parts)
            else:
                self._add(self._numbered_label("HEADING"), Section.HEADING, " ".join([*numbers, title]).strip(),
                          notes=notes)

    def _title(self, p: etree._Element, notes: list[str]) -> str:
        titles = p.findall(_A + "docTitle")
        if titles:
            return " ".join(_text(t, notes) for t in titles)
        return " ".join(_text(c, notes) for c in p if _local(c) not in ("docNumber", "")).strip()

    def _part(self, statement: etree._Element, n: int) -> None:
        """One resolution of a collection ("78/80 A"): its labels carry its letter."""
        preface = statement.find(f"{_A}preface/{_A}p")
        letter = _number(preface.find(_A + "docNumber")) if preface is not None else None
        self.prefix = f"{letter or chr(ord('A') + n)}."
        if preface is not None:
            notes: list[str] = []
            self._add(self.prefix + "HEADING", Section.HEADING, _text(preface, notes), notes=notes)
        self.top, self.stack, self.after_heading = None, [], False
        self.runs.append([])
        self._statement(statement)

    def _statement(self, statement: etree._Element) -> None:
        for child in statement:
            tag = _local(child)
            if tag == "preamble":
                self._preamble(child)
            elif tag == "mainBody":
                self._body(child, Section.OPERATIVE)
            elif tag == "conclusions":
                self._conclusions(child)
            elif tag == "attachments":
                self._annexes(child)

    def _annexes(self, attachments: etree._Element) -> None:
        docs = [d for d in attachments.iter() if _local(d) in ("doc", "statement") and d.find(_A + "mainBody") is not None]
        outer = self.prefix
        for k, doc in enumerate(docs, 1):
            self.prefix = f"{outer}ANNEX{k if len(docs) > 1 else ''}."
            self.top, self.stack = None, []
            for body in doc.iterfind(_A + "mainBody"):
                self._body(body, Section.TEXT)
        self.prefix = outer

    def _conclusions(self, conclusions: etree._Element) -> None:
        for text, dated, notes in _lines(conclusions):
            if text:
                kind = "DATE" if dated else "NOTE" if self.counts.get(self.prefix + "MEETING") else "MEETING"
                self._add(self._numbered_label(self.prefix + kind), Section.FOOTER, text, notes=notes)

    # -- preamble

    def _preamble(self, preamble: etree._Element) -> None:
        for child in preamble:
            tag = _local(child)
            if tag == "formula":
                notes: list[str] = []
                self._add(self.prefix + "CHAPEAU", Section.CHAPEAU, _text(child, notes), notes=notes)
            elif tag == "container":
                self._container(child)
            elif tag == "blockList":
                if self.top is None or child.find(_A + "listIntroduction") is not None:
                    self._new_pp("", [])
                self._list(child, self.top, 1, Section.PREAMBLE)
            elif tag:
                self._loose(child, Section.PREAMBLE)

    def _container(self, container: etree._Element) -> None:
        notes: list[str] = []
        text = " ".join(_text(c, notes) for c in container if _local(c) not in ("blockList", ""))
        pp = self._new_pp(text, notes)
        for block in container.iterfind(_A + "blockList"):
            self._list(block, pp, 1, Section.PREAMBLE)

    def _new_pp(self, text: str, notes: list[str]) -> _El:
        self.top = self._add(self._next(self.prefix + "PP"), Section.PREAMBLE, text, notes=notes)
        self.stack = []
        return self.top

    # -- operative part and annexes

    def _body(self, body: etree._Element, section: Section) -> None:
        for child in body:
            tag = _local(child)
            if tag == "paragraph":
                self._paragraph(child, section)
            elif tag in ("section", "subsection", "chapter", "part", "division", "hcontainer"):
                self._body(child, section)
            elif tag in ("heading", "subheading", "num"):
                self._heading(_text(child), section)
            elif tag == "crossHeading" and section is Section.OPERATIVE:
                notes: list[str] = []
                self._new_pp(_text(child, notes), notes)  # the preamble of a section ("Recalling ...,")
            elif tag:
                self._loose(child, section)

    def _paragraph(self, para: etree._Element, section: Section) -> None:
        printed, number = _text(para.find(_A + "num")), _number(para.find(_A + "num"))
        heads = [_text(c) for c in para if _local(c) in ("heading", "subheading")]
        notes: list[str] = []
        text = " ".join(_text(c, notes) for c in para if _local(c) not in ("num", "heading", "subheading", "list", ""))
        has_list = para.find(_A + "list") is not None
        el: _El | None = None
        if printed[:1].isdigit() and number:
            for head in heads:
                self._heading(head, section)
            el = self._numbered(number, text, notes, section)
        elif heads or (number and not text and not has_list):
            head = " ".join(heads)
            self._heading(head if head.startswith(printed) else f"{printed} {head}".strip(), section)
            el = self._plain(text, notes, section)
        elif number and printed.startswith("(") and self.top is not None:
            el = self._sub(number, text, notes, section)
        elif not has_list and _is_heading(para):
            self._heading(f"{printed} {text}".strip(), section)
        else:
            el = self._plain(f"{printed} {text}".strip(), notes, section, keep=has_list)
        for lst in para.iterfind(_A + "list"):
            self._list(lst, el, (el.level if el else 0) + 1, section)

    def _numbered(self, number: str, text: str, notes: list[str], section: Section) -> _El:
        label = self._unique(f"{self.prefix}{'OP' if section is Section.OPERATIVE else ''}{number}")
        self.top = self._add(label, section, text, number=number, notes=notes)
        self.stack = []
        if section is Section.OPERATIVE:
            if number == "1" and self.after_heading and self.runs[-1]:
                self.runs.append([])  # a new section numbers its paragraphs from 1 again
            self.runs[-1].append(self.top)
            self.after_heading = False
        return self.top

    def _plain(self, text: str, notes: list[str], section: Section, *, keep: bool = False) -> _El | None:
        """An unnumbered paragraph: a sub-paragraph in the older markup, words after a list, or a paragraph.

        ``keep`` makes a paragraph even without words, for the list that follows to hang on.
        """
        if not text and not keep:
            return None
        if text and not any(ch.isalnum() for ch in text):
            self.dropped.append(text)  # "* * *" between parts
            return None
        if (marker := _SUBPARA.match(text)) and self.top is not None:
            return self._sub(marker.group(1), text[marker.end():].strip(), notes, section)
        if _BARE_MARKER.fullmatch(text):
            self._heading(text, section)
            return None
        if section is Section.OPERATIVE and (numbered := _OP_NUMBER.match(text)):
            # The number printed in the words, not marked up ("1 - تكرر ..." in the Arabic texts).
            return self._numbered(printed_number(numbered.group(1)), text[numbered.end():].strip(), notes, section)
        last = self.out[-1] if self.out else None
        if last is not None and self.top is not None and last.section is section and (
                text[:1].islower() or last.text.endswith(":") or self.items_open):
            # Closing words after a list, or items announced by a colon but printed without a marker.
            self.items_open = self.items_open or last.text.endswith(":")
            self._append(last, text, notes)
            return last
        self.top = self._add(self._next(self.prefix + "P"), section, text, notes=notes)
        self.stack = []
        return self.top

    def _heading(self, text: str, section: Section) -> None:
        """A heading; a bare section number ("II") and the heading after it are one."""
        if not text:
            return
        last = self.out[-1] if self.out else None
        if last is not None and re.fullmatch(rf"{re.escape(self.prefix)}H\d+", last.label) and _BARE_MARKER.fullmatch(last.text):
            last.text = f"{last.text} {text}"
        else:
            self._add(self._next(self.prefix + "H"), section, text)
        self.top, self.stack, self.after_heading = None, [], True

    def _loose(self, el: etree._Element, section: Section) -> None:
        """A table, a bare ``p`` or an element this reader does not know: its words as a paragraph."""
        notes: list[str] = []
        tag = _local(el)
        text = _table(el, notes) if tag in ("container", "table") else _text(el, notes)
        if tag not in ("container", "table", "p", "crossHeading"):
            self.warnings.append(f"<{tag}> read as a plain paragraph")
        if _BARE_MARKER.fullmatch(text):
            self._heading(text, section)
        else:
            self._plain(text, notes, section)

    # -- sub-paragraphs

    def _list(self, lst: etree._Element, parent: _El | None, level: int, section: Section) -> None:
        last = parent
        for child in lst:
            tag = _local(child)
            notes: list[str] = []
            if tag in ("intro", "listIntroduction"):
                parent = parent or self._plain("", [], section, keep=True)
                self._append(parent, _text(child, notes), notes)
            elif tag in ("point", "item"):
                last = self._point(child, parent, level, section)
            elif tag in _LISTS:
                self._list(child, last, level + 1, section)
            elif tag in ("wrapUp", "listWrapUp") and self.out:
                self._append(self.out[-1], _text(child, notes), notes)

    def _point(self, point: etree._Element, parent: _El | None, level: int, section: Section) -> _El:
        notes: list[str] = []
        text = " ".join(_text(c, notes) for c in point if _local(c) not in ("num", *_LISTS, ""))
        number = _number(point.find(_A + "num")) or "?"
        parent = parent or self._plain("", [], section, keep=True)
        el = self._add(self._unique(f"{parent.label}({number})"), section, text, number=number, level=level,
                       parent=parent.label, notes=notes)
        self.stack = self.stack[:level - 1] + [(number, el.label)]
        for nested in point:
            if _local(nested) in _LISTS:
                self._list(nested, el, level + 1, section)
        return el

    def _sub(self, marker: str, text: str, notes: list[str], section: Section) -> _El:
        """A sub-paragraph outside a ``list`` (older markup): its level is read as ``parse`` reads it."""
        assert self.top is not None
        level = _sub_level(marker, self.stack)
        del self.stack[level - 1:]
        parent = self.stack[-1][1] if self.stack else self.top.label
        el = self._add(self._unique(f"{parent}({marker})"), section, text, number=marker, level=level,
                       parent=parent, notes=notes)
        self.stack.append((marker, el.label))
        return el

    # -- bookkeeping

    def _add(self, label: str, section: Section, text: str, *, number: str | None = None, level: int = 0,
             parent: str | None = None, notes: list[str] | None = None) -> _El:
        el = _El(label, section, text, number, level, parent)
        self.out.append(el)
        self.items_open = False
        self.notes.extend((label, n) for n in notes or () if n)
        return el

    def _append(self, el: _El, text: str, notes: list[str]) -> None:
        el.text = f"{el.text} {text}".strip()
        self.notes.extend((el.label, n) for n in notes if n)

    def _next(self, kind: str) -> str:
        """``kind`` with the next number: "PP3", "A.H2"."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}{self.counts[kind]}"

    def _numbered_label(self, kind: str) -> str:
        """``kind`` the first time, then "HEADING2", "MEETING2"."""
        label = self._next(kind)
        return kind if self.counts[kind] == 1 else label

    def _unique(self, label: str) -> str:
        """A repeated printed number gets "#2", "#3": numbers are kept as printed."""
        self.seen[label] = self.seen.get(label, 0) + 1
        return label if self.seen[label] == 1 else f"{label}#{self.seen[label]}"

    def _document(self, info: _Info) -> Document:
        paragraphs = tuple(Paragraph(e.label, e.section, e.text, e.number, e.level, e.parent) for e in self.out)
        warnings = []
        for run in self.runs:
            part = run[0].label.split("OP")[0].rstrip(".") if run else ""
            ops = [Paragraph(e.label, e.section, e.text, e.number) for e in run]
            warnings += [f"resolution {part}: {w}" if part else w for w in _numbering_warnings(ops)]
        meeting = next((p.text for p in paragraphs if p.label.endswith("MEETING")), None)
        return Document(
            paragraphs, self.name, title=info.title, symbol=info.symbol(), body=info.body, date=info.date,
            meeting=meeting, structured=True, warnings=tuple(warnings + self.warnings),
            dropped=tuple(self.dropped), footnotes=tuple(self.notes), lang=info.lang, meta=tuple(info.meta()),
        )


def _is_heading(para: etree._Element) -> bool:
    """An unnumbered paragraph set as a heading: a Word heading style, or all its words in bold."""
    if _HEADING_STYLE.fullmatch(para.get("class") or ""):
        return True
    content = para.find(_A + "content")
    words = _text(content)
    bold = " ".join(_text(s) for s in content.iter(_A + "span") if s.get("class") == "bold") if words else ""
    return bool(words) and bold == words


def _lines(conclusions: etree._Element) -> list[tuple[str, bool, list[str]]]:
    """The printed closing lines, split at ``eol``: (text, holds the date, footnotes)."""
    lines = []
    for p in conclusions.iter(_A + "p"):
        event = p.find(_A + "event")
        holder = p if event is None else event
        parts, notes, dated = [holder.text or ""], [], False
        for child in holder:
            if _local(child) == "eol":
                lines.append((_clean("".join(parts)), dated, notes))
                parts, notes, dated = [child.tail or ""], [], False
                continue
            dated = dated or _local(child) == "docDate" or child.find(f".//{_A}docDate") is not None
            _collect(child, parts, notes)
            parts.append(child.tail or "")
        lines.append((_clean("".join(parts)), dated, notes))
    return lines


# ---------------------------------------------------------------- metadata

@dataclass
class _Info:
    """What the ``meta`` block and the cover page say about the resolution."""

    root: etree._Element
    number: str = ""
    title: str = ""
    body: str | None = None
    date: str | None = None
    lang: str = "en"

    @classmethod
    def of(cls, root: etree._Element) -> _Info:
        info = cls(root)
        adoption = root.find(f".//{_A}FRBRdate[@name='adoption']")
        info.date = adoption.get("date") if adoption is not None else None
        language = root.find(f".//{_A}FRBRlanguage")
        code = language.get("language", "") if language is not None else ""
        info.lang = _LANGS.get(code, code[:2] or "en")
        author = root.find(f".//{_A}FRBRWork/{_A}FRBRauthor")
        eid = (author.get("href") or "").lstrip("#") if author is not None else ""
        org = root.find(f".//{_A}TLCOrganization[@eId='{eid}']") if re.fullmatch(r"[\w.-]+", eid) else None
        info.body = org.get("showAs") if org is not None else None
        return info

    def _cover(self, xpath: str) -> str:
        found = self.root.find(f"./*/{_A}coverPage//{xpath}")
        return _text(found) if found is not None else ""

    def symbol(self) -> str | None:
        full = self._cover(f"{_A}docNumber[@refersTo='#symbol']")
        short = re.sub(r"^A/RES/", "", full) or self.number.rstrip(".")
        return short or None

    def meta(self) -> list[tuple[str, str]]:
        out = []
        session = self.root.find(f"./*/{_A}coverPage//{_A}session")
        if session is not None and (session.get("value") or "").strip():
            out.append(("session", session.get("value").strip()))
        agenda = self.root.find(f"./*/{_A}coverPage//{_A}inline[@name='agenda item']")
        if agenda is not None and (item := _clean(agenda.get("title") or "") or _text(agenda)):
            out.append(("agenda_item", item))  # the title attribute holds the number alone: "13 and 117"
        origin = self._cover(f"{_A}inline[@name='originating document']")
        if origin:
            out.append(("originating_document", origin.split(",")[0].strip()))  # without ", para. 6"
        recalls = self._recalls()
        if recalls:
            out.append(("recalls", " ".join(recalls)))
        return out

    def _recalls(self) -> list[str]:
        """Full symbols of the GA resolutions the text links to, in order of first appearance."""
        found: dict[str, None] = {}
        for link in self.root.iter(_A + "a"):
            href = " ".join(unquote(link.get("href") or "").split()).replace(" (", "(")
            if m := re.search(r"\bA/RES/\S+", href):
                found.setdefault(m.group().rstrip(".,;").upper(), None)  # "A/RES/77/263b" -> "A/RES/77/263B"
        return list(found)


# ---------------------------------------------------------------- the printed text

def render_text(doc: Document) -> str:
    """The document as the UN prints it: one block per element, its number ("1." and a tab, "(a) ") in front."""
    blocks = []
    for p in doc.paragraphs:
        if p.level:
            blocks.append(f"{p.marker} {p.text}")
        elif p.number and p.number != "?":
            blocks.append(f"{p.number}.\t{p.text}")
        else:
            blocks.append(p.text)
    return join(blocks)
