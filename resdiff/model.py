"""The data resdiff passes between its stages: documents, paragraphs, pairs, results.

Frozen dataclasses and str-enums only; no behaviour beyond small derived
properties. Every stage (parse, align, diff, render, store) speaks these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Section(StrEnum):
    """Where a paragraph sits in a resolution."""

    TITLE = "title"
    HEADING = "heading"
    CHAPEAU = "chapeau"
    PREAMBLE = "preamble"
    OPERATIVE = "operative"
    FOOTER = "footer"
    TEXT = "text"
    """A paragraph of a text whose resolution structure was not recognised."""

    @property
    def is_body(self) -> bool:
        """True for the sections whose paragraphs can move, split and merge."""
        return self in (Section.PREAMBLE, Section.OPERATIVE, Section.TEXT)


class Status(StrEnum):
    """What happened to a paragraph between two versions."""

    UNCHANGED = "unchanged"
    MODIFIED = "modified"
    ADDED = "added"
    DELETED = "deleted"
    SPLIT = "split"
    MERGED = "merged"


@dataclass(frozen=True)
class Paragraph:
    """One element of a resolution, with its text as printed (layout noise removed)."""

    label: str
    """How users cite it: ``PP3``, ``OP21``, ``TITLE``, ``CHAPEAU``, ``MEETING``, ``P4``."""
    section: Section
    """The part of the resolution it belongs to."""
    text: str
    """The words, single-spaced, typographic variants made plain; empty only for a printed number with no text."""
    number: str | None = None
    """The printed operative number ("21") or sub-paragraph letter ("a", "iv"); None otherwise."""
    level: int = 0
    """0 for a paragraph, 1 for a sub-paragraph such as (a), 2 for one such as (i) inside it."""
    parent: str | None = None
    """Label of the paragraph a sub-paragraph belongs to ("OP7" for ``OP7(a)``); None at level 0."""
    agreed: str | None = None
    """A negotiation draft's status tag after the paragraph, as printed ("agreed ad ref", "silence"); None if none."""

    @property
    def bracketed(self) -> bool:
        """Text still in dispute: a [bracketed] word, phrase or paragraph in a preambular or operative paragraph."""
        return self.section in (Section.PREAMBLE, Section.OPERATIVE) and "[" in self.text

    @property
    def marker(self) -> str:
        """How the paragraph's number is printed before its text: "7.", "(a)", or ""."""
        if self.level and self.number:
            return f"({self.number})"
        return f"{self.number}." if self.section is Section.OPERATIVE and self.number and self.number != "?" else ""


@dataclass(frozen=True)
class Document:
    """A parsed resolution (or a plain text that only splits into paragraphs)."""

    paragraphs: tuple[Paragraph, ...]
    """Every element in reading order."""
    source: str
    """Where the text came from: a path, a bundled file name or a URL."""
    title: str = ""
    """The title, joined onto one line; empty when none was recognised."""
    symbol: str | None = None
    """Short symbol read from the text ("2003/73"); None when not printed."""
    body: str | None = None
    """Adopting organ named in the chapeau ("Commission on Human Rights")."""
    date: str | None = None
    """Adoption date as ISO ``YYYY-MM-DD``; None when not printed."""
    meeting: str | None = None
    """The meeting line ("62nd meeting"); None when absent."""
    adoption: str | None = None
    """The adoption note or vote ("[Adopted without a vote. ...]")."""
    structured: bool = True
    """False when no operative part was found and the text was split into plain paragraphs."""
    warnings: tuple[str, ...] = ()
    """Things a reader should know: numbering gaps, degraded structure."""
    dropped: tuple[str, ...] = ()
    """Lines removed as layout noise (running headers, page numbers, field codes), in order."""
    footnotes: tuple[tuple[str, str], ...] = ()
    """(label of the paragraph it hangs on, footnote text): notes kept apart from the compared words."""
    lang: str = "en"
    """ISO 639-1 code of the text's language."""
    meta: tuple[tuple[str, str], ...] = ()
    """Further metadata as (key, value): session, agenda item, originating document, recalled symbols."""
    stage: str | None = None
    """The negotiation stage when the text is a stored draft ("rev1", "E/CN.4/2003/L.11"); None for a resolution."""

    @property
    def has_frame(self) -> bool:
        """True when the source prints a title, heading or chapeau (a bare list of paragraphs does not)."""
        return any(p.section in (Section.TITLE, Section.HEADING, Section.CHAPEAU) for p in self.paragraphs)

    @property
    def has_footer(self) -> bool:
        """True when the source prints closing lines (meeting, date, adoption note)."""
        return any(p.section is Section.FOOTER for p in self.paragraphs)

    def by_label(self) -> dict[str, Paragraph]:
        """Paragraphs keyed by label (the first one wins for a duplicated number)."""
        out: dict[str, Paragraph] = {}
        for p in self.paragraphs:
            out.setdefault(p.label, p)
        return out


@dataclass(frozen=True)
class Pair:
    """One alignment decision: which old paragraphs became which new ones."""

    old: tuple[int, ...]
    """Indexes into the old document's paragraphs; empty when added."""
    new: tuple[int, ...]
    """Indexes into the new document's paragraphs; empty when deleted."""
    status: Status
    """The kind of change (before the word diff refines unchanged/modified)."""
    moved: bool = False
    """Order changed relative to the other matched paragraphs, or the section changed."""


@dataclass(frozen=True)
class PairDiff:
    """A pair with its labels and its word-level operations."""

    old_labels: tuple[str, ...]
    """Labels on the old side ("OP12"), empty when added."""
    new_labels: tuple[str, ...]
    """Labels on the new side ("OP11", "OP12"), empty when deleted."""
    status: Status
    """unchanged / modified / added / deleted / split / merged."""
    moved: bool
    """See ``Pair.moved``."""
    renumbered: bool
    """The printed label changed within the same section (OP13 -> OP4)."""
    ops: tuple[tuple[int, str], ...]
    """diff-match-patch operations: (0 equal | -1 delete | 1 insert, text)."""
    sections: tuple[str, ...] = ()
    """Section of the new side (or the old side when deleted), for display grouping."""
    notes: tuple[str, ...] = ()
    """Short observations: opening verb changed, moved across sections."""
    routine: bool = False
    """Modified, and every changed word is a yearly update: a number, date, ordinal or symbol."""
    level: int = 0
    """Sub-paragraph depth of the new side (of the old side when deleted): 0, 1 for (a), 2 for (i)."""
    absent: str | None = None
    """"old" or "new": that side's source does not print this part at all (a text without its
    title and chapeau, or without closing lines), so the pair is shown but is not a change."""

    @property
    def words_inserted(self) -> int:
        """Words in insert operations (none for a part absent from one source)."""
        return 0 if self.absent else sum(count_words(t) for op, t in self.ops if op == 1)

    @property
    def words_deleted(self) -> int:
        """Words in delete operations (none for a part absent from one source)."""
        return 0 if self.absent else sum(count_words(t) for op, t in self.ops if op == -1)

    @property
    def changed(self) -> bool:
        """True unless the pair is unchanged and in place, or its part is absent from one source."""
        return not self.absent and (self.status is not Status.UNCHANGED or self.moved or self.renumbered)


@dataclass(frozen=True)
class Comparison:
    """The full result of comparing two documents."""

    old: Document
    """The earlier version."""
    new: Document
    """The later version."""
    pairs: tuple[PairDiff, ...]
    """In the new document's reading order, deleted paragraphs where they stood."""
    warnings: tuple[str, ...] = field(default=())
    """Warnings from parsing both sides, prefixed with which side."""

    @property
    def differs(self) -> bool:
        """True when any pair changed."""
        return any(p.changed for p in self.pairs)

    def counts(self) -> dict[str, int]:
        """Number of pairs per status, plus moved, renumbered and routine updates."""
        out = {s.value: 0 for s in Status}
        counted = [p for p in self.pairs if not p.absent]
        for p in counted:
            out[p.status.value] += 1
        out["moved"] = sum(p.moved for p in counted)
        out["renumbered"] = sum(p.renumbered for p in counted)
        out["routine"] = sum(p.routine for p in counted)
        bracketed = sum(p.bracketed for p in self.new.paragraphs)
        if bracketed or any(p.bracketed for p in self.old.paragraphs):
            out["bracketed"] = bracketed  # paragraphs of the new version still in [brackets] (drafts only)
        return out

    @property
    def absent(self) -> dict[str, tuple[str, ...]]:
        """Per side ("old", "new"), the labels of the parts that side's source does not print."""
        out: dict[str, tuple[str, ...]] = {}
        for side in ("old", "new"):
            labels = tuple(l for p in self.pairs if p.absent == side for l in (p.new_labels if side == "old" else p.old_labels))
            if labels:
                out[side] = labels
        return out


def count_words(text: str) -> int:
    """Words as resdiff counts them: runs of letters or digits."""
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))
