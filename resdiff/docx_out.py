"""Comparison -> a .docx redline whose differences are native Word tracked changes.

Owns the Word output only. The view model (label strings, tags, the cut of a
split or merged pair into paragraphs) comes from ``render``; parsing, aligning
and diffing happen before; no file is read or written: the caller gets bytes.

Layout: a heading, both versions, a summary table and a legend, then the
resolution part by part. Each pair is a label paragraph (style "Resdiff Label",
ordinary text such as "OP13 → OP4 (moved, renumbered)") followed by its text
paragraph(s) (style "Resdiff Text") carrying the revisions:

- equal words are plain runs, deleted ones ``w:del/w:r/w:delText``, inserted
  ones ``w:ins/w:r/w:t``;
- an added paragraph's mark is inserted and a deleted one's deleted
  (``w:pPr/w:rPr/w:ins|w:del``), so Accept All / Reject All leave no empty paragraph;
- a split pair is one Word paragraph per new paragraph with the marks between
  them inserted; a merged pair one per old paragraph with those marks deleted;
- an unchanged paragraph that moved is a Word move: ``w:moveFrom`` at its old
  place and ``w:moveTo`` at the new one, in ranges sharing the name "moveN".
  A moved paragraph whose words also changed keeps word-level ``w:ins``/``w:del``
  at its new place and says "moved" in its label: Word has no reliable way to
  show edits inside a move, and the schema requires a date on move ranges, so
  without a known date every move is labelled instead.

Labels stay out of the text paragraphs so that accepting (rejecting) every
change leaves exactly the new (old) paragraphs' text, one per Word paragraph.

Deterministic: revision dates come from the resolution or the caller, never
the clock; core properties carry the same date and the zip is rewritten with
fixed timestamps, so one comparison always gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .diff import Op
from .errors import ResdiffError
from .model import Comparison, PairDiff, Status
from .render import PART_OF_SECTION, PART_TITLES, PairView, pair_blocks, view_context

LABEL_STYLE = "Resdiff Label"
TEXT_STYLE = "Resdiff Text"

# The zip format's earliest date; also the document date when none is known.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Characters XML 1.0 cannot carry; lxml refuses them, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------- public API

def render_docx(c: Comparison, *, old_name: str, new_name: str, author: str = "resdiff",
                date: str | None = None) -> bytes:
    """The redline as .docx bytes; differences are Word revisions by ``author``.

    ``date`` ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") dates every revision;
    by default the new version's adoption date, else the old one's, else none.
    """
    when = revision_date(c, date)
    ctx = view_context(c, old_name, new_name)
    doc = docx.Document()
    _set_up(doc, ctx["title"], author, when)
    _write_head(doc, ctx, author, when)
    revs = _Revisions(author, when)
    part = None
    for item in _items(c, ctx["pairs"], movable=when is not None):
        if item.part != part:
            part = item.part
            doc.add_heading(PART_TITLES[part], level=2)
        _write_item(doc, item, revs)
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


# ---------------------------------------------------------------- plan

@dataclass(frozen=True)
class _Para:
    """One Word paragraph of text: its operations and how its mark is tracked."""

    ops: tuple[Op, ...]
    mark: str | None = None
    """"ins", "del", "moveFrom" or "moveTo" for the paragraph mark; None when kept."""
    move: str | None = None
    """"moveFrom" or "moveTo" when the whole text is one side of a Word move."""
    move_name: str = ""
    """The name both sides of that move share ("move1")."""


@dataclass(frozen=True)
class _Item:
    """A label line and the text paragraphs under it."""

    part: str
    label: str
    detail: str
    paras: tuple[_Para, ...]
    level: int = 0
    """Sub-paragraph depth: the text is indented by it."""


def _items(c: Comparison, views: Sequence[PairView], *, movable: bool) -> Iterator[_Item]:
    """Every pair in the new order, plus the old place of each Word move."""
    # Named in the new order; the old place may come before or after the new one.
    moves = {k: f"move{n}" for n, k in enumerate(
        (k for k, p in enumerate(c.pairs) if movable and _is_word_move(p)), start=1)}
    sources = _move_sources(c, list(moves))
    for k, (p, v) in enumerate(zip(c.pairs, views)):
        for m in sources.get(k, ()):
            yield _source_item(c, c.pairs[m], views[m], moves[m])
        yield _Item(v.part, _label(v), _detail(v), _paras(c, p, move_name=moves.get(k)), level=p.level)
    for m in sources.get(len(c.pairs), ()):
        yield _source_item(c, c.pairs[m], views[m], moves[m])


def _is_word_move(p: PairDiff) -> bool:
    # Edits inside a move have no reliable Word form: only untouched text moves.
    return p.moved and p.status is Status.UNCHANGED and len(p.old_labels) == len(p.new_labels) == 1


def _move_sources(c: Comparison, moves: Sequence[int]) -> dict[int, list[int]]:
    """For each Word move, the pair position its old place precedes."""
    old_index: dict[str, int] = {}
    for i, para in enumerate(c.old.paragraphs):
        old_index.setdefault(para.label, i)
    # Pairs that did not move keep the old order: the first one after the
    # moved paragraph's old index marks where that paragraph stood.
    anchors = [(k, old_index.get(p.old_labels[0], -1)) for k, p in enumerate(c.pairs)
               if p.old_labels and not p.moved]
    out: dict[int, list[int]] = {}
    for m in moves:
        i = old_index.get(c.pairs[m].old_labels[0], -1)
        at = next((k for k, j in anchors if j > i), len(c.pairs))
        out.setdefault(at, []).append(m)
    return out


def _source_item(c: Comparison, p: PairDiff, v: PairView, name: str) -> _Item:
    section = c.old.by_label()[p.old_labels[0]].section.value
    para = _Para(p.ops, mark="moveFrom", move="moveFrom", move_name=name)
    return _Item(PART_OF_SECTION.get(section, "text"), v.old_label, f"moved from here; now {v.new_label}", (para,))


def _label(v: PairView) -> str:
    return v.new_label if v.same_label else f"{v.old_label} → {v.new_label}"


def _detail(v: PairView) -> str:
    return "; ".join(filter(None, (", ".join(v.tags), *v.notes)))


def _paras(c: Comparison, p: PairDiff, *, move_name: str | None = None) -> tuple[_Para, ...]:
    """The pair's text paragraphs with their paragraph marks tracked."""
    if move_name:
        return (_Para(p.ops, mark="moveTo", move="moveTo", move_name=move_name),)
    # Several new paragraphs (split, or added): cut by the new side, marks inserted;
    # several old ones (merged, or deleted): cut by the old side, marks deleted.
    side = 1 if len(p.new_labels) > 1 or not p.old_labels else -1
    labels, doc = (p.new_labels, c.new) if side == 1 else (p.old_labels, c.old)
    blocks = [b.ops for b in pair_blocks(p.ops, side, labels, doc)] or [p.ops]
    pieces = [blocks[0], *(_unjoin(ops, side) for ops in blocks[1:])]
    whole = "ins" if not p.old_labels else "del" if not p.new_labels else None
    between = "ins" if side == 1 else "del"
    marks = [whole or between] * (len(pieces) - 1) + [whole]
    return tuple(_Para(tuple(ops), mark=m) for ops, m in zip(pieces, marks))


def _unjoin(ops: Sequence[Op], side: int) -> list[Op]:
    """Drop the space compare.py put between two paragraphs of ``side``.

    In Word a paragraph mark takes its place. When the other side has that
    space as real text it becomes a tracked change of its own, so rejecting
    (accepting) the paragraph break still gives back the exact other text.
    """
    out = list(ops)
    for k, (op, text) in enumerate(out):
        if op not in (0, side):
            continue
        if text.startswith(" "):
            rest = [(op, text[1:])] if text[1:] else []
            out[k:k + 1] = ([(-side, " ")] if op == 0 else []) + rest
        break
    return out


# ---------------------------------------------------------------- revisions

class _Revisions:
    """Makes revision elements with unique ``w:id``s, one author and one date."""

    def __init__(self, author: str, date: str | None) -> None:
        self.author, self.date = _safe(author), date
        self._last = 0

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

def _write_item(doc: DocxDocument, item: _Item, revs: _Revisions) -> None:
    label = doc.add_paragraph(style=LABEL_STYLE)
    label.add_run(_safe(item.label)).bold = True
    if item.detail:
        label.add_run(_safe(f"  ({item.detail})")).italic = True
    for para in item.paras:
        added = doc.add_paragraph(style=TEXT_STYLE)
        if item.level:
            added.paragraph_format.left_indent = Cm(1.0 * item.level)
        p = added._p
        if para.mark:
            _track_mark(p, para.mark, revs)
        if para.move:
            _write_move(p, para, revs)
        else:
            for op, text in para.ops:
                p.append(_tracked_run(op, text, revs))


def _track_mark(p: Any, kind: str, revs: _Revisions) -> None:
    # The paragraph mark's revision lives in the pPr's run properties, which the
    # schema puts after every other paragraph property python-docx has written.
    rpr = OxmlElement("w:rPr")
    rpr.append(revs.element(f"w:{kind}"))
    p.get_or_add_pPr().append(rpr)


def _write_move(p: Any, para: _Para, revs: _Revisions) -> None:
    kind = para.move
    range_id = revs.next_id()
    p.append(revs.element(f"w:{kind}RangeStart", id=range_id, name=para.move_name))
    container = revs.element(f"w:{kind}")
    container.append(_run("".join(text for _, text in para.ops)))
    p.append(container)
    end = OxmlElement(f"w:{kind}RangeEnd")
    end.set(qn("w:id"), range_id)
    p.append(end)


def _tracked_run(op: int, text: str, revs: _Revisions) -> Any:
    if op == 0:
        return _run(text)
    wrapper = revs.element("w:ins" if op == 1 else "w:del")
    wrapper.append(_run(text, deleted=op == -1))
    return wrapper


def _run(text: str, *, deleted: bool = False) -> Any:
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    # Words are separated by spaces at run edges: Word drops them unless preserved.
    t.set(qn("xml:space"), "preserve")
    t.text = _safe(text)
    r.append(t)
    return r


# ---------------------------------------------------------------- head

def _write_head(doc: DocxDocument, ctx: dict[str, Any], author: str, when: str | None) -> None:
    old, new = ctx["old"], ctx["new"]
    doc.add_heading(_safe(ctx["title"] or "Comparison of two texts"), level=1)
    doc.add_paragraph(_safe(f"Redline: {old.name} → {new.name}"), style="Subtitle")
    rows = [("Given as", "name"), ("Symbol", "symbol"), ("Adopted by", "body"),
            ("Adopted on", "date"), ("Meeting", "meeting")]
    _table(doc, ["", "Old version", "New version"],
           [[label, getattr(old, key) or "—", getattr(new, key) or "—"] for label, key in rows])
    doc.add_heading("Summary", level=2)
    n = ctx["counts"]
    rows = [[s.capitalize(), str(n[s])] for s in [*ctx["statuses"], "moved", "renumbered"]]
    rows.append(["Routine only", str(n.get("routine", 0))])
    rows.append(["Words", f"+{n['words_inserted']} −{n['words_deleted']}"])
    _table(doc, ["Paragraphs", "Count"], rows)
    for warning in ctx["warnings"]:
        doc.add_paragraph(_safe(f"Warning: {warning}"))
    doc.add_paragraph(_safe(_legend(author, when)))


def _legend(author: str, when: str | None) -> str:
    dated = f", dated {when[:10]}" if when else ""
    moves = ("Paragraphs that moved unchanged are Word moves, shown at both places; moved paragraphs that "
             "were also edited say “moved” above them." if when else
             "Moved paragraphs say “moved” above them (Word moves need a date, and none is known).")
    return (f"Every difference is a Word tracked change by “{author}”{dated}: accept or reject each one "
            "under Review. Above each paragraph: its number in the old version → in the new one "
            "(“—” where there is none). PP: preambular paragraphs, counted in order; OP: operative "
            f"paragraphs, numbered as printed. Routine: only numbers, dates, ordinals or document symbols "
            f"changed (the yearly update). {moves}")


def _table(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = _safe(text)


# ---------------------------------------------------------------- package

def _set_up(doc: DocxDocument, title: str, author: str, when: str | None) -> None:
    _add_styles(doc)
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


def _add_styles(doc: DocxDocument) -> None:
    label = doc.styles.add_style(LABEL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = doc.styles["Normal"]
    label.font.size = Pt(9)
    label.font.color.rgb = RGBColor(0x44, 0x54, 0x6A)
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_before = Pt(10)
    label.paragraph_format.space_after = Pt(2)
    text = doc.styles.add_style(TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = doc.styles["Normal"]
    text.paragraph_format.space_after = Pt(4)


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
