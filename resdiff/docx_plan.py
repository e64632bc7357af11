"""Comparison -> the plan of the Word redline: which paragraphs, in which order, tracked how.

Owns the decisions ``docx_out`` writes down: one item per pair in the new
order plus the old place of each Word move; each paragraph's operations, its
printed number on both sides, how its paragraph mark is tracked (a split's
marks inserted, a merge's deleted, an added or deleted paragraph's whole); and
the comment resdiff attaches. No XML here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .diff import Op
from .model import Comparison, Document, PairDiff
from .report_view import PairView, pair_blocks


@dataclass(frozen=True)
class Para:
    """One Word paragraph of the resolution: its words, its printed number, how its mark is tracked."""

    ops: tuple[Op, ...]
    section: str
    """The resolution section whose layout it takes ("operative")."""
    level: int = 0
    old_marker: str = ""
    """The number or letter printed before it in the old text ("21."), "" when none."""
    new_marker: str = ""
    """The same in the new text; a difference is tracked."""
    mark: str | None = None
    """"ins", "del", "moveFrom" or "moveTo" for the paragraph mark; None when kept."""
    move_name: str = ""
    """The name both sides of a Word move share ("move1"); "" when not a move."""


@dataclass(frozen=True)
class Item:
    """A pair's paragraphs and the comment resdiff attaches to the first one."""

    paras: tuple[Para, ...]
    comment: str = ""


def items(c: Comparison, views: Sequence[PairView], *, movable: bool) -> Iterator[Item]:
    """Every pair in the new order, plus the old place of each Word move."""
    # Named in the new order; the old place may come before or after the new one.
    moves = {k: f"move{n}" for n, k in enumerate(
        (k for k, p in enumerate(c.pairs) if movable and _is_word_move(p)), start=1)}
    sources = _move_sources(c, list(moves))
    for k, (p, v) in enumerate(zip(c.pairs, views)):
        for m in sources.get(k, ()):
            yield _source_item(c, c.pairs[m], views[m], moves[m])
        yield Item(_paras(c, p, move_name=moves.get(k, "")), _comment(v))
    for m in sources.get(len(c.pairs), ()):
        yield _source_item(c, c.pairs[m], views[m], moves[m])


def _is_word_move(p: PairDiff) -> bool:
    # Word moves a run of text from one place to one other: splits and merges are not moves.
    return p.moved and not p.absent and len(p.old_labels) == len(p.new_labels) == 1


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


def _source_item(c: Comparison, p: PairDiff, v: PairView, name: str) -> Item:
    old = c.old.by_label()[p.old_labels[0]]
    ops = tuple((op, t) for op, t in p.ops if op != 1)
    para = Para(ops, old.section.value, old.level, old.marker, "", mark="moveFrom", move_name=name)
    return Item((para,), f"{v.old_label} stood here; it moved and is now {v.new_label}.")


def _comment(v: PairView) -> str:
    """What resdiff says about a pair; "" for a paragraph that is the same in both versions."""
    if not (v.changed or v.renumbered or v.notes or v.absent):
        return ""
    label = v.new_label if v.same_label else f"{v.old_label} → {v.new_label}"
    detail = "; ".join(filter(None, (", ".join(v.tags), *v.notes)))
    return f"{label}: {detail}" if detail else label


def _marker(doc: Document, label: str) -> str:
    para = doc.by_label().get(label)
    return para.marker if para else ""


def _paras(c: Comparison, p: PairDiff, *, move_name: str = "") -> tuple[Para, ...]:
    """The pair's paragraphs with their numbers and paragraph marks tracked."""
    first = c.new.by_label().get(p.new_labels[0]) if p.new_labels else c.old.by_label().get(p.old_labels[0])
    section, level = (first.section.value, first.level) if first else ("text", p.level)
    olds = [_marker(c.old, label) for label in p.old_labels]
    news = [_marker(c.new, label) for label in p.new_labels]
    if move_name:
        ops = tuple((op, t) for op, t in p.ops if op != -1)
        return (Para(ops, section, level, "", news[0], mark="moveTo", move_name=move_name),)
    # Several new paragraphs (split, or added): cut by the new side, marks inserted;
    # several old ones (merged, or deleted): cut by the old side, marks deleted.
    side = 1 if len(p.new_labels) > 1 or not p.old_labels else -1
    labels, doc = (p.new_labels, c.new) if side == 1 else (p.old_labels, c.old)
    blocks = [b.ops for b in pair_blocks(p.ops, side, labels, doc)] or [p.ops]
    pieces = [blocks[0], *(_unjoin(ops, side) for ops in blocks[1:])]
    whole = "ins" if not p.old_labels else "del" if not p.new_labels else None
    between = "ins" if side == 1 else "del"
    marks = [whole or between] * (len(pieces) - 1) + [whole]
    # The first paragraph carries the pair's number on both sides; the others
    # carry their own on the side that was cut (a split's new OP13, a merge's old OP7).
    cut = news if side == 1 else olds
    out = []
    for k, (ops, m) in enumerate(zip(pieces, marks)):
        old_m = (olds[0] if olds else "") if k == 0 else ("" if side == 1 else cut[k] if k < len(cut) else "")
        new_m = (news[0] if news else "") if k == 0 else (cut[k] if side == 1 and k < len(cut) else "")
        out.append(Para(tuple(ops), section, level, old_m, new_m, mark=m))
    return tuple(out)


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
