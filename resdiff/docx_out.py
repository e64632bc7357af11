"""Comparison -> a .docx redline: the new resolution with native Word tracked changes.

Owns the Word output: the XML of revisions, comments and the package. The
view model comes from ``report_view``, the plan of paragraphs (order, numbers,
tracked marks, comments) from ``docx_plan``, the typography and cover page
from ``docx_layout``; parsing, aligning and diffing happen before; no file is
read or written: the caller gets bytes.

The document has two sections:

1. **About this redline**, one cover page that resdiff adds: both versions,
   the summary, warnings and how to read the changes. It carries no tracked
   change and says it is not part of the resolution; delete it before
   circulating the text.
2. **The resolution**, laid out as the UN prints it (Times New Roman 12, the
   title bold, preambular opening words and operative verbs in italics,
   operative numbers and sub-paragraph letters as printed, followed by a tab),
   its pages numbered from 1 in the footer (the cover page is not numbered).
   Every difference is a tracked change, so Accept All leaves exactly the new
   text, one Word paragraph per paragraph, and Reject All exactly the old one.
   What resdiff has to say about a paragraph ("OP21 → OP20: modified,
   renumbered, routine", the opening verb that changed) is a Word comment by
   "resdiff" (whoever ``author`` is) anchored on it, never text in the document.

How the changes are written:

- equal words are plain runs, deleted ones ``w:del/w:r/w:delText``, inserted
  ones ``w:ins/w:r/w:t``; a printed number that changed is a deletion and an
  insertion of the number; a replaced word carries the space before it, so
  deleted and inserted words never print glued ("eleventh twelfth");
- an added paragraph's mark is inserted and a deleted one's deleted
  (``w:pPr/w:rPr/w:ins|w:del``), so Accept All / Reject All leave no empty paragraph;
- a split pair is one Word paragraph per new paragraph with the marks between
  them inserted; a merged pair one per old paragraph with those marks deleted;
- a paragraph that moved (one old paragraph to one new one) is a Word move:
  ``w:moveFrom`` at its old place and ``w:moveTo`` at the new one, in ranges
  sharing the name "moveN". Words edited after the move are ``w:del`` inside
  the old place's range and ``w:ins`` inside the new place's range. A moved
  split or merge is written at its new place with a comment saying it moved.

Deterministic: revisions are dated with ``date``, else ``generated`` (when the
redline was made), else the resolution's adoption date; core properties carry
the same date and the zip is rewritten with fixed timestamps, so the same
arguments always give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.run import Run

from .diff import Op
from .docx_layout import COVER_STYLE, STYLE_OF_SECTION, add_styles, italic_span, number_pages, spaced, write_cover
from .docx_plan import Item, Para, items
from .errors import ResdiffError
from .model import Comparison
from .report_view import view_context

__all__ = ["COVER_STYLE", "STYLE_OF_SECTION", "render_docx", "revision_date"]

# The zip format's earliest date; also the document date when none is known.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Characters XML 1.0 cannot carry; lxml refuses them, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------- public API

def render_docx(c: Comparison, *, old_name: str, new_name: str, author: str = "resdiff",
                date: str | None = None, generated: str | None = None) -> bytes:
    """The redline as .docx bytes; differences are Word revisions by ``author``.

    ``date`` ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") dates every revision;
    by default ``generated`` (the time the redline is made, same forms), else
    the new version's adoption date, else the old one's, else none.
    """
    when = revision_date(c, date or generated)
    ctx = view_context(c, old_name, new_name, generated=generated, short_names=True)
    doc = docx.Document()
    _set_up(doc, ctx["title"], author, when, lang=c.new.lang)
    write_cover(doc, ctx, author, when, safe=_safe)
    number_pages(doc.add_section(WD_SECTION.NEW_PAGE))
    writer = _Writer(doc, _Revisions(author, when))
    for item in items(c, ctx["pairs"], movable=when is not None):
        writer.write(item)
    # Word cannot delete a document's last paragraph mark: never let a tracked one be last.
    doc.add_paragraph()
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


def revision_date(c: Comparison, date: str | None = None) -> str | None:
    """The ``w:date`` of every revision: ``date``, else the new then the old adoption date."""
    raw = date or c.new.date or c.old.date
    if raw is None:
        return None
    stamp = f"{raw}T00:00:00Z" if _DAY.fullmatch(raw) else raw
    try:
        if _STAMP.fullmatch(stamp) and datetime.strptime(stamp, _STAMP_FORMAT):
            return stamp
    except ValueError:  # well-formed but impossible, such as 2004-02-30
        pass
    raise ResdiffError(f"revision date {raw!r} is not a date", hint="give it as YYYY-MM-DD, e.g. 2004-04-20")


# ---------------------------------------------------------------- revisions

class _Revisions:
    """Makes revision elements with unique ``w:id``s, one author and one date."""

    def __init__(self, author: str, date: str | None) -> None:
        self.author, self.date = _safe(author), date
        # Comments number from 0; revisions start far above so no id is shared.
        self._last = 1000

    def next_id(self) -> str:
        self._last += 1
        return str(self._last)

    def element(self, tag: str, **attrs: str) -> Any:
        el = OxmlElement(tag)
        el.set(qn("w:id"), attrs.pop("id", None) or self.next_id())
        el.set(qn("w:author"), self.author)
        if self.date:
            el.set(qn("w:date"), self.date)
        for key, value in attrs.items():
            el.set(qn(f"w:{key}"), value)
        return el


# ---------------------------------------------------------------- writing

class _Writer:
    """Writes the resolution's paragraphs, their revisions and comments."""

    def __init__(self, doc: DocxDocument, revs: _Revisions) -> None:
        self.doc, self.revs = doc, revs

    def write(self, item: Item) -> None:
        for k, para in enumerate(item.paras):
            paragraph = self.doc.add_paragraph(style=STYLE_OF_SECTION.get(para.section, STYLE_OF_SECTION["text"]))
            if para.level:
                fmt = paragraph.paragraph_format
                fmt.left_indent = Cm(1.27 + 1.0 * para.level)
                fmt.first_line_indent = Cm(-1.0)
                fmt.tab_stops.add_tab_stop(Cm(1.27 + 1.0 * para.level))
            p = paragraph._p
            if para.mark:
                self._track_mark(p, para.mark)
            anchor = self._anchor(p) if item.comment and k == 0 else None
            self._write_text(p, para)
            if anchor is not None:
                end = self._anchor(p)
                comment = self.doc.add_comment([Run(anchor, paragraph), Run(end, paragraph)],
                                               text=_safe(item.comment), author="resdiff", initials="rd")
                if self.revs.date:
                    comment._comment_elm.set(qn("w:date"), self.revs.date)

    def _anchor(self, p: Any) -> Any:
        # An empty plain run: comment ranges hang on runs no revision can remove.
        r = OxmlElement("w:r")
        p.append(r)
        return r

    def _track_mark(self, p: Any, kind: str) -> None:
        # The paragraph mark's revision lives in the pPr's run properties, which the
        # schema puts after every other paragraph property python-docx has written.
        rpr = OxmlElement("w:rPr")
        rpr.append(self.revs.element(f"w:{kind}"))
        p.get_or_add_pPr().append(rpr)

    def _write_text(self, p: Any, para: Para) -> None:
        move = para.mark if para.move_name else None
        if move:
            range_id = self.revs.next_id()
            p.append(self.revs.element(f"w:{move}RangeStart", id=range_id, name=para.move_name))
        self._write_marker(p, para)
        ops = spaced(para.ops)
        span_old, span_new = italic_span(para.section, _side(ops, -1)), italic_span(para.section, _side(ops, 1))
        at_old = at_new = 0
        for k, (op, text) in enumerate(ops):
            at = at_old if op == -1 else at_new
            span = span_old if op == -1 else span_new
            # A whole replaced paragraph has no space to share: print the deletion wider.
            glued = op == -1 and k + 1 < len(ops) and ops[k + 1][0] == 1
            p.extend(self._tracked(op, _cut(text, at, span), move, wide=glued and not text[-1:].isspace()))
            if op != 1:
                at_old += len(text)
            if op != -1:
                at_new += len(text)
        if move:
            end = OxmlElement(f"w:{move}RangeEnd")
            end.set(qn("w:id"), range_id)
            p.append(end)

    def _write_marker(self, p: Any, para: Para) -> None:
        old = f"{para.old_marker}\t" if para.old_marker else ""
        new = f"{para.new_marker}\t" if para.new_marker else ""
        if old == new:
            if old:
                p.append(_run(old))
            return
        if old and new:
            # "21." -> "20.": only the numbers are tracked; the deleted one is
            # printed wider so the two never read as "2120.".
            p.extend(self._tracked(-1, [(para.old_marker, False)], None, wide=True))
            p.extend(self._tracked(1, [(para.new_marker, False)], None))
            p.append(_run("\t"))
            return
        if old:
            p.extend(self._tracked(-1, [(old, False)], None))
        if new:
            p.extend(self._tracked(1, [(new, False)], None))

    def _tracked(self, op: int, pieces: Sequence[tuple[str, bool]], move: str | None, *,
                 wide: bool = False) -> list[Any]:
        """The runs of one operation ((text, italic) pieces), wrapped in its revision if any."""
        runs = [_run(text, deleted=op == -1, italic=italic) for text, italic in pieces]
        if wide and pieces:
            # Only the last character is spaced out: it keeps the next word off it.
            text, italic = pieces[-1]
            runs[-1:] = [_run(t, deleted=op == -1, italic=italic, wide=w)
                         for t, w in ((text[:-1], False), (text[-1:], True)) if t]
        if op == 0 and not move:
            return runs
        # Inside a move, words that stayed are the move itself; edits are ins/del.
        wrapper = self.revs.element(f"w:{move}" if op == 0 else ("w:ins" if op == 1 else "w:del"))
        wrapper.extend(runs)
        return [wrapper]


def _side(ops: Sequence[Op], side: int) -> str:
    return "".join(t for op, t in ops if op in (0, side))


def _cut(text: str, at: int, span: int) -> list[tuple[str, bool]]:
    """``text`` starting at offset ``at`` of its side, cut where the italic opening words end."""
    inside = max(0, min(len(text), span - at))
    return [(piece, italic) for piece, italic in ((text[:inside], True), (text[inside:], False)) if piece]


def _run(text: str, *, deleted: bool = False, italic: bool = False, wide: bool = False) -> Any:
    r = OxmlElement("w:r")
    if italic or wide:
        rpr = OxmlElement("w:rPr")
        if italic:
            rpr.append(OxmlElement("w:i"))
        if wide:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), "60")  # 3 pt after each character: display only
            rpr.append(spacing)
        r.append(rpr)
    for k, piece in enumerate(_safe(text).split("\t")):
        if k:
            r.append(OxmlElement("w:tab"))
        if piece:
            t = OxmlElement("w:delText" if deleted else "w:t")
            # Words are separated by spaces at run edges: Word drops them unless preserved.
            t.set(qn("xml:space"), "preserve")
            t.text = piece
            r.append(t)
    return r


# ---------------------------------------------------------------- package

def _set_up(doc: DocxDocument, title: str, author: str, when: str | None, *, lang: str = "en") -> None:
    add_styles(doc, lang=lang)
    props = doc.core_properties
    stamp = datetime.strptime(when, _STAMP_FORMAT).replace(tzinfo=timezone.utc) if when \
        else datetime(*_ZIP_TIME, tzinfo=timezone.utc)
    props.created = props.modified = stamp
    props.author = props.last_modified_by = _safe(author)
    props.title = _safe(title)
    props.comments = "Redline generated by resdiff"
    props.revision = 1
    # Delegates edit the redline further: keep their own changes tracked too.
    doc.settings.element.insert_element_before(OxmlElement("w:trackRevisions"), "w:defaultTabStop")
    # python-docx's template ships a preview image of an unrelated blank page.
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del doc.part.package.rels[rid]
    # ... and Word 2010's stylesWithEffects, a copy of the styles that would no
    # longer match ours: Word would offer to repair the file. It is optional.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rid]


def _safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (lxml refuses them)."""
    return _NOT_XML.sub("\ufffd", text)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated 1980-01-01 (zipfile stamps the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3  # zipfile guesses from the host OS; keep bytes host-independent
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
