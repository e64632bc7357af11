"""The negotiation of a series: each drafting round as a line of stages, and what happened
to every paragraph in it.

A **round** starts at an adopted version (or at nothing, for the first), goes through the
stored drafts (zero draft, revisions, the L document, oral revisions) and ends at the next
adopted version, or stays open. Each stage is compared with the one before it; the
**negotiation table** follows each paragraph of the round's last text back through the
stages: in how many it changed, the stage it was last touched in, whether it is still in
[brackets], and the stage its wording (brackets aside) has been stable since.

Pure: the store hands in the versions and drafts; nothing here reads git or files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .compare import compare
from .drafts import Draft, rounds
from .history import BlameLine, ChangeStats, SeriesHistory, Version, change_stats, stored_paragraph
from .model import Comparison, Document, Section, Status
from .symbols import Symbol

_COUNTED = (Section.TITLE, Section.PREAMBLE, Section.OPERATIVE)


@dataclass(frozen=True)
class Stage:
    """One text of a round: a draft, or the adopted version that opens or closes it."""

    name: str
    """The stage name (``rev1``, ``E/CN.4/2003/L.11``) or the adopted symbol (``2003/73``)."""
    date: str
    draft: Draft | None
    """The stored draft; None for an adopted version."""
    document: Document
    comparison: Comparison | None
    """Against the previous stage; None for the round's first text when nothing comes before it."""
    stats: ChangeStats
    bracketed: int
    """Paragraphs of this text with words still in [brackets]."""

    @property
    def adopted(self) -> bool:
        return self.draft is None


@dataclass(frozen=True)
class Track:
    """One paragraph of a round's last text, followed back through the round's stages."""

    label: str
    text: str
    first: str
    """The stage it first appeared in (the opening adopted version when it was there already)."""
    changes: int
    """Stages of the round in which it was added or changed (brackets included)."""
    touched: str
    """The stage that last changed it (brackets included); the opening version when none did."""
    stable: str
    """The stage its words, brackets aside, have been the same since."""
    bracketed: bool
    """Still in [brackets] in the round's last text."""


@dataclass(frozen=True)
class Round:
    """The negotiation between two adopted versions of a series."""

    name: str
    """The closing version's slug (the ``drafts/<series>/<name>`` branch), or ``next`` while open."""
    opened_by: Version | None
    closed_by: Version | None
    """The adopted version that ends the round; None while it is open."""
    stages: tuple[Stage, ...]
    """The opening version (when there is one), every draft in order, the closing version (when adopted)."""
    table: tuple[Track, ...]

    @property
    def drafts(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if not s.adopted)


def draft_document(draft: Draft) -> Document:
    """The parsed document back from a stored draft (labels as stored; the margin markers')."""
    paragraphs = tuple(stored_paragraph(line) for line in draft.text.splitlines() if line)
    return Document(paragraphs, f"store:{draft.series}@{draft.stage}", title=draft.title, symbol=draft.document,
                    date=draft.date, structured=any(p.section in (Section.PREAMBLE, Section.OPERATIVE) for p in paragraphs),
                    lang=draft.lang, stage=draft.stage)


def negotiation(history: SeriesHistory, drafts: Sequence[Draft]) -> tuple[Round, ...]:
    """Every round of the series that has drafts, oldest first (the open round last)."""
    versions = history.versions
    out = []
    for index, members in rounds(drafts, versions).items():
        opened = index - 1 if index > 0 else None
        closed = index if index < len(versions) else None
        texts: list[tuple[str, str, Draft | None, Document]] = []
        if opened is not None:
            texts.append((versions[opened].symbol.short, versions[opened].date, None, history.documents[opened]))
        texts += [(d.stage, d.date, d, draft_document(d)) for d in members]
        if closed is not None:
            texts.append((versions[closed].symbol.short, versions[closed].date, None, history.documents[closed]))
        stages = []
        for k, (name, when, draft, doc) in enumerate(texts):
            c = compare(texts[k - 1][3], doc) if k else None
            stages.append(Stage(name, when, draft, doc, c, change_stats(doc, c), sum(p.bracketed for p in doc.paragraphs)))
        name = versions[closed].symbol.slug if closed is not None else "next"
        out.append(Round(name, versions[opened] if opened is not None else None,
                         versions[closed] if closed is not None else None, tuple(stages), _table(stages)))
    return tuple(out)


def _unbracketed(text: str) -> str:
    return " ".join(re.sub(r"[\[\]]", " ", text).split())


def _side(ops: Sequence[tuple[int, str]], drop: int) -> str:
    return "".join(t for op, t in ops if op != drop)


def _table(stages: Sequence[Stage]) -> tuple[Track, ...]:
    """Follow every paragraph from the first stage to the last."""
    first = stages[0]
    # Per paragraph of the current stage: (first stage, changes, last touched, stable since).
    current = [(first.name, 0, first.name, first.name) for _ in first.document.paragraphs]
    for k in range(1, len(stages)):
        stage, before = stages[k], stages[k - 1]
        assert stage.comparison is not None
        old_at = {p.label: i for i, p in reversed(list(enumerate(before.document.paragraphs)))}
        new_at = {p.label: i for i, p in reversed(list(enumerate(stage.document.paragraphs)))}
        found: dict[int, tuple[str, int, str, str]] = {}
        for pair in stage.comparison.pairs:
            olds = [current[old_at[label]] for label in pair.old_labels if label in old_at]
            for label in pair.new_labels:
                if label not in new_at:
                    continue
                if not olds:
                    found[new_at[label]] = (stage.name, 1, stage.name, stage.name)
                    continue
                origin, changes, touched, stable = max(olds, key=lambda t: t[1])
                if pair.status is not Status.UNCHANGED:
                    changes, touched = changes + 1, stage.name
                    if _unbracketed(_side(pair.ops, 1)) != _unbracketed(_side(pair.ops, -1)):
                        stable = stage.name
                found[new_at[label]] = (origin, changes, touched, stable)
        current = [found.get(i, (stage.name, 1, stage.name, stage.name)) for i in range(len(stage.document.paragraphs))]
    last = stages[-1].document
    return tuple(Track(p.label, p.text, *row, p.bracketed)
                 for p, row in zip(last.paragraphs, current) if p.section in _COUNTED)


def blame_stages(history: SeriesHistory, found: Sequence[Round], symbol: Symbol, lines: Sequence[BlameLine]) -> list[BlameLine]:
    """``lines`` (``history.blame`` of ``symbol``) with the stage each wording dates from, where the
    round that produced it has stored drafts: the stage that last touched it (brackets included)."""
    touched: dict[tuple[int, str], str] = {}
    for r in found:
        if r.closed_by is not None:
            k = history.index(r.closed_by.symbol)
            touched.update({(k, t.label): t.touched for t in r.table})
    j = history.index(symbol)
    out = []
    for line, lin in zip(lines, history.lineages[j]):
        label = next((lab for k, lab in lin.labels if k == lin.changed), line.label)
        stage = touched.get((lin.changed, label))
        opening = history.versions[lin.changed - 1].symbol.short if lin.changed else None
        out.append(replace(line, stage=stage if stage != opening else None))
    return out
