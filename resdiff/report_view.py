"""Comparison -> the view model every report reads: labels, tags, blocks, parts, changes.

Owns what the templates (and the Word writer) are given: a pair's labels and
tags, the cut of a split or merged pair into its paragraphs, the parts of a
resolution, where a moved paragraph stood, each change's place among the
changes, and who made the report. Pure: no jinja2 here (that is ``render``),
no file or clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from . import lang as languages
from .diff import Op, side_text, split_ops
from .model import Comparison, Document, PairDiff, Paragraph, Status


# Consecutive pairs whose section maps to the same part are shown under one heading.
PART_OF_SECTION = {
    "title": "head", "heading": "head", "chapeau": "head",
    "preamble": "preamble", "operative": "operative", "footer": "footer", "text": "text",
}
PART_TITLES = {
    "head": "Title and chapeau", "preamble": "Preambular paragraphs",
    "operative": "Operative paragraphs", "footer": "Closing lines", "text": "Paragraphs",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


def summary(c: Comparison) -> dict[str, int]:
    """Pairs per status, moved, renumbered, then words inserted and deleted."""
    out = c.counts()
    out["words_inserted"] = sum(p.words_inserted for p in c.pairs)
    out["words_deleted"] = sum(p.words_deleted for p in c.pairs)
    return out


def generator(old_name: str, new_name: str, generated: str | None = None) -> dict[str, Any]:
    """Who made a report, when (None: not recorded) and from what: the JSON ``generator`` object."""
    return {"name": "resdiff", "version": resdiff_version(), "generated": generated,
            "inputs": {"old": old_name, "new": new_name}}


def generator_line(old_name: str, new_name: str, generated: str | None = None) -> str:
    """"Made by resdiff 0.1.0 on 2026-12-02 03:10 UTC from 2002/82 and 2003/73." for footers."""
    when = f" on {generated[:10]} {generated[11:16]} UTC" if generated else ""
    return f"Made by resdiff {resdiff_version()}{when} from {old_name} and {new_name}."


def resdiff_version() -> str:
    """resdiff's version, as reports record it."""
    from . import __version__

    return __version__


# ---------------------------------------------------------------- view model

@dataclass(frozen=True)
class Version:
    """One side of the comparison as the header shows it."""

    name: str
    symbol: str | None
    title: str
    body: str | None
    date: str | None
    """Long form ("25 April 2003"); None when not printed."""
    date_iso: str | None
    meeting: str | None
    adoption: str | None
    source: str
    lang: str = "en"
    """The text's language (ISO 639-1): the report marks its paragraphs with it."""
    rtl: bool = False
    """The text is written right to left (Arabic): its paragraphs get ``dir="rtl"``."""
    stage: str | None = None
    """The negotiation stage when the text is a stored draft ("rev1"); its date is then the stage's, not an adoption's."""


@dataclass(frozen=True)
class Block:
    """One paragraph's worth of operations; ``label`` only when a pair has several."""

    label: str | None
    ops: tuple[Op, ...]


@dataclass(frozen=True)
class PairView:
    """A pair as every format shows it."""

    anchor: str
    old_label: str
    """Old labels joined with " + ", or "—" when added."""
    new_label: str
    status: str
    tags: tuple[str, ...]
    """Status (unless unchanged), then "moved", "renumbered"."""
    moved: bool
    """See ``PairDiff.moved``."""
    routine: bool
    """See ``PairDiff.routine``."""
    renumbered: bool
    """See ``PairDiff.renumbered``."""
    changed: bool
    """Text changed or the paragraph moved; renumbering alone does not count,
    so "changes only" is not flooded by paragraphs that only got a new number."""
    notes: tuple[str, ...]
    ops: tuple[Op, ...]
    blocks: tuple[Block, ...]
    """The inline redline: one block per new paragraph (a split shows each part)."""
    old_blocks: tuple[Block, ...]
    """Old side only (equal + delete), one block per old paragraph."""
    new_blocks: tuple[Block, ...]
    """New side only (equal + insert), one block per new paragraph."""
    part: str
    level: int = 0
    """Sub-paragraph depth: 0 for a paragraph, 1 for (a), 2 for (i); reports indent by it."""
    absent: str | None = None
    """See ``PairDiff.absent``: shown as plain text, not as a change."""
    old_marker: str = ""
    """A sub-paragraph's letter as the old text prints it ("(b)"); empty for a paragraph or a split/merged pair."""
    new_marker: str = ""
    """The same in the new text ("(c)"); a changed letter is shown struck and inserted before the text."""

    @property
    def same_label(self) -> bool:
        return self.old_label == self.new_label


@dataclass(frozen=True)
class Part:
    """A run of consecutive pairs in one part of the resolution."""

    key: str
    title: str
    pairs: tuple[PairView, ...]
    ghosted: bool = False
    """A moved paragraph left this part: its marker must stay visible."""

    @property
    def changed(self) -> bool:
        return self.ghosted or any(p.changed for p in self.pairs)


@dataclass(frozen=True)
class Ghost:
    """Where a moved paragraph used to stand: "OP13 moved from here, now OP4"."""

    old_label: str
    new_label: str
    anchor: str
    """The anchor of the moved pair, where it stands now."""


def _ghosts(c: Comparison, pairs: Sequence[PairView]) -> dict[str, list[Ghost]]:
    """For each pair anchor, the moved paragraphs that stood right after it in the old text.

    The key "" holds those that stood before every other paragraph.
    """
    owner = {label: k for k, p in enumerate(c.pairs) for label in p.old_labels}
    old_order = [p.label for p in c.old.paragraphs]
    out: dict[str, list[Ghost]] = {}
    for k, p in enumerate(c.pairs):
        if not (p.moved and p.old_labels):
            continue
        at = old_order.index(p.old_labels[0])
        before = next((owner[l] for l in reversed(old_order[:at]) if l in owner and not c.pairs[owner[l]].moved), None)
        key = pairs[before].anchor if before is not None else ""
        out.setdefault(key, []).append(Ghost(pairs[k].old_label, pairs[k].new_label, pairs[k].anchor))
    return out


def view_context(c: Comparison, old_name: str, new_name: str, *, generated: str | None = None,
                 short_names: bool = False) -> dict[str, Any]:
    """What every template reads. ``short_names``: a file is named without its folders (HTML, Word)."""
    old_at, new_at = c.old.by_label(), c.new.by_label()
    pairs = [_pair_view(i, p, c, old_at, new_at) for i, p in enumerate(c.pairs, start=1)]
    ghosts = _ghosts(c, pairs)
    old, new = _version(c.old, old_name, short_names), _version(c.new, new_name, short_names)
    return {
        "ghosts": ghosts,
        "ghost_of": {g.anchor: g for gs in ghosts.values() for g in gs},
        "old": old,
        "new": new,
        "title": c.new.title or c.old.title,
        "parts": _parts(pairs, ghosts),
        "pairs": pairs,
        "changes": _changes(pairs),
        "counts": summary(c),
        "absent": c.absent,
        "statuses": [s.value for s in Status],
        "warnings": list(c.warnings),
        "generated": generated,
        "generator": {**generator(old.name, new.name, generated),
                      "line": generator_line(old.name, new.name, generated)},
    }


@dataclass(frozen=True)
class Change:
    """A changed pair's place among the changes: "change 7 of 31", previous and next."""

    pair: PairView
    index: int
    total: int
    previous: str | None
    """Anchor of the previous change; None for the first."""
    next: str | None
    first_words: str
    """The opening words of its text (new side, old when deleted) for the change list."""


def _changes(pairs: Sequence[PairView]) -> dict[str, dict[str, Change]]:
    """Per anchor, its place among all changes ("all") and among the substantive ones ("substantive").

    Two sequences, because "hide routine updates" hides some changes: the
    report shows the links of the sequence that matches the filter.
    """
    out: dict[str, dict[str, Change]] = {}
    for key, keep in (("all", lambda p: True), ("substantive", lambda p: not p.routine)):
        seq = [p for p in pairs if p.changed and keep(p)]
        for k, p in enumerate(seq):
            out.setdefault(p.anchor, {})[key] = Change(
                p, k + 1, len(seq), seq[k - 1].anchor if k else None,
                seq[k + 1].anchor if k + 1 < len(seq) else None, _first_words(p))
    return out


def _first_words(p: PairView, limit: int = 8) -> str:
    blocks = p.new_blocks or p.old_blocks
    words = "".join(t for b in blocks for _, t in b.ops).split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def _version(d: Document, name: str, short: bool) -> Version:
    return Version(
        name=display_name(name, d.source) if short else name, symbol=d.symbol, title=d.title, body=d.body,
        date=long_date(d.date) if d.date else None, date_iso=d.date,
        meeting=d.meeting, adoption=d.adoption, source=d.source,
        lang=d.lang, rtl=languages.table(d.lang).rtl if d.lang in languages.CODES else False, stage=d.stage,
    )


def display_name(name: str, source: str) -> str:
    """A version as the report names it: a file by its name without the folders, a symbol as given.

    ``name`` is a path when it is the document's source (symbols such as
    2003/73 contain a slash too, but are not the source).
    """
    if name != source or name.startswith(("http://", "https://")):
        return name
    if re.match(r"[A-Za-z]:\\", name):
        return PureWindowsPath(name).name or name
    return PurePosixPath(name).name or name


def long_date(iso: str) -> str:
    """"2003-04-25" -> "25 April 2003" (no locale: output must not depend on the machine)."""
    try:
        year, month, day = (int(x) for x in iso.split("-"))
        return f"{day} {_MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def _marker(labels: Sequence[str], at: dict[str, Paragraph]) -> str:
    """The printed letter of a lone sub-paragraph ("(a)"); "" otherwise."""
    found = at.get(labels[0]) if len(labels) == 1 else None
    return found.marker if found is not None and found.level else ""


def _pair_view(index: int, p: PairDiff, c: Comparison, old_at: dict[str, Paragraph], new_at: dict[str, Paragraph]) -> PairView:
    if p.absent:
        # Present on one side only because the other source does not print it: no <ins>/<del>.
        p = replace(p, ops=tuple((0, t) for _, t in p.ops), notes=p.notes + (_ABSENT_NOTE[p.absent],))
    new_blocks = pair_blocks(p.ops, 1, p.new_labels, c.new)
    return PairView(
        anchor=f"p{index}",
        old_label=" + ".join(p.old_labels) or "—",
        new_label=" + ".join(p.new_labels) or "—",
        status=p.status.value,
        tags=_tags(p),
        moved=p.moved,
        routine=p.routine,
        renumbered=p.renumbered,
        changed=(p.status is not Status.UNCHANGED or p.moved) and not p.absent,
        notes=p.notes,
        ops=p.ops,
        blocks=new_blocks if len(new_blocks) > 1 else (Block(None, p.ops),),
        old_blocks=_only_side(pair_blocks(p.ops, -1, p.old_labels, c.old), -1),
        new_blocks=_only_side(new_blocks, 1),
        part=PART_OF_SECTION.get(p.sections[0] if p.sections else "text", "text"),
        level=p.level,
        absent=p.absent,
        old_marker=_marker(p.old_labels, old_at),
        new_marker=_marker(p.new_labels, new_at),
    )


_ABSENT_NOTE = {
    "old": "not printed in the old source (not a change)",
    "new": "not printed in the new source (not a change)",
}


def _tags(p: PairDiff) -> tuple[str, ...]:
    if p.absent:
        return ("absent",)
    tags = [] if p.status is Status.UNCHANGED else [p.status.value]
    if p.moved:
        tags.append("moved")
    if p.renumbered:
        tags.append("renumbered")
    if p.routine:
        tags.append("routine")
    return tuple(tags)


def pair_blocks(ops: Sequence[Op], side: int, labels: Sequence[str], doc: Document) -> tuple[Block, ...]:
    """Cut a pair's operations where each paragraph of ``side`` ends (all ops kept)."""
    if not labels:
        return ()
    if len(labels) == 1:
        return (Block(None, tuple(ops)),)
    cuts = _cuts(ops, side, labels, doc)
    pieces = split_ops(ops, side, cuts) if cuts is not None else []
    if len(pieces) != len(labels):
        # Paragraph texts not recoverable (e.g. a duplicated number): show one block.
        return (Block(" + ".join(labels), tuple(ops)),)
    return tuple(Block(label, tuple(piece)) for label, piece in zip(labels, pieces))


def _cuts(ops: Sequence[Op], side: int, labels: Sequence[str], doc: Document) -> list[int] | None:
    """Offsets in the joined side text where each paragraph but the last ends."""
    by_label = doc.by_label()
    if any(label not in by_label for label in labels):
        return None
    texts = [by_label[label].text for label in labels]
    # compare.py joins a pair's paragraphs with one space; check before trusting lengths.
    if " ".join(texts) != side_text(ops, side):
        return None
    cuts, end = [], -1
    for text in texts[:-1]:
        end += 1 + len(text)
        cuts.append(end)
    return cuts


def _only_side(blocks: Sequence[Block], side: int) -> tuple[Block, ...]:
    return tuple(Block(b.label, tuple((op, t) for op, t in b.ops if op in (0, side))) for b in blocks)


def _parts(pairs: Sequence[PairView], ghosts: dict[str, list[Ghost]]) -> list[Part]:
    parts = [Part(key, PART_TITLES[key], tuple(group)) for key, group in groupby(pairs, key=lambda p: p.part)]
    return [replace(part, ghosted=any(p.anchor in ghosts for p in part.pairs)) for part in parts]
