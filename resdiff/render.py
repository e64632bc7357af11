"""Comparison -> HTML report, JSON, plain-text redline and a short summary.

The only module that imports jinja2. It owns the presentation of a finished
``Comparison``: the view model the templates read (labels, tags, per-paragraph
blocks of a split or merged pair, the parts of a resolution) and the JSON
contract. It does not parse, align or diff, and it reads no files but its own
templates: the caller passes the names to show and writes the result.

Every format is deterministic: the same comparison renders to the same string,
and no wall-clock time appears unless the caller passes ``generated`` (an ISO
``YYYY-MM-DDTHH:MM:SSZ`` stamp, the time the report was made, in UTC).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import groupby
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .diff import Op, side_text, split_ops
from .model import Comparison, Document, PairDiff, Status
from .visible import visible

JSON_VERSION = 1
"""Version of the JSON contract; bump it on any incompatible change."""

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


# ---------------------------------------------------------------- public API

def summary(c: Comparison) -> dict[str, int]:
    """Pairs per status, moved, renumbered, then words inserted and deleted."""
    out = c.counts()
    out["words_inserted"] = sum(p.words_inserted for p in c.pairs)
    out["words_deleted"] = sum(p.words_deleted for p in c.pairs)
    return out


def render_json(c: Comparison, *, old_name: str, new_name: str, generated: str | None = None) -> str:
    """The comparison as JSON contract version 1 (see README), newline-terminated.

    ``generator`` records resdiff's version, ``generated`` (null unless given)
    and the inputs as the user named them.
    """
    data = {
        "resdiff": JSON_VERSION,
        "generator": generator(old_name, new_name, generated),
        "old": _json_document(c.old),
        "new": _json_document(c.new),
        "pairs": [_json_pair(p) for p in c.pairs],
        "summary": summary(c),
        "warnings": list(c.warnings),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_html(c: Comparison, *, old_name: str, new_name: str, generated: str | None = None) -> str:
    """A self-contained HTML redline: inline CSS, no external resource, works with JavaScript off."""
    return environment().get_template("report.html").render(
        view_context(c, old_name, new_name, generated=generated, short_names=True))


def generator(old_name: str, new_name: str, generated: str | None = None) -> dict[str, Any]:
    """Who made a report, when (None: not recorded) and from what: the JSON ``generator`` object."""
    return {"name": "resdiff", "version": resdiff_version(), "generated": generated,
            "inputs": {"old": old_name, "new": new_name}}


def generator_line(old_name: str, new_name: str, generated: str | None = None) -> str:
    """"Made by resdiff 0.1.0 on 2026-12-02 03:10 UTC from 2002/82 and 2003/73." for footers."""
    when = f" on {generated[:10]} {generated[11:16]} UTC" if generated else ""
    return f"Made by resdiff {resdiff_version()}{when} from {old_name} and {new_name}."


@cache
def resdiff_version() -> str:
    """The installed distribution's version; "unknown" when run from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resdiff")
    except PackageNotFoundError:
        return "unknown"


def render_text(c: Comparison, *, old_name: str, new_name: str) -> str:
    """A plain-text redline in wdiff notation: ``[-deleted-]`` and ``{+inserted+}``."""
    return environment().get_template("report.txt").render(view_context(c, old_name, new_name))


def render_summary(c: Comparison, *, old_name: str, new_name: str) -> str:
    """About a dozen lines for stderr: both versions, counts, words, warnings."""
    return environment().get_template("summary.txt").render(view_context(c, old_name, new_name))


# ---------------------------------------------------------------- environment

@cache
def environment() -> Environment:
    """The one jinja2 environment of resdiff: autoescape (but for .txt and .md), StrictUndefined."""
    # .txt templates produce plain text: escaping there would print "&amp;".
    # .md templates escape for Markdown instead, with the "md" filter.
    env = Environment(
        loader=_loader(),
        autoescape=select_autoescape(disabled_extensions=("txt", "md"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every value a template prints: control characters escaped, bidi overrides named.
        finalize=lambda value: visible(value) if isinstance(value, str) else value,
    )
    env.filters["md"] = markdown_escape
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that nothing in it can end (every non-alphanumeric escaped)."""
    body = "".join(ch if ch.isalnum() and ch.isascii() else ("\\%x " % ord(ch)) for ch in text)
    return Markup(f'"{body}"')


def _loader() -> BaseLoader:
    try:
        # Installed (wheel or editable): setuptools maps templates/ to resdiff.templates.
        return PackageLoader("resdiff.templates", "")
    except (ModuleNotFoundError, ValueError):
        # A bare checkout on PYTHONPATH: the folder sits beside the package.
        return FileSystemLoader(Path(__file__).resolve().parent.parent / "templates")


# ---------------------------------------------------------------- JSON

def _json_document(d: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"symbol": d.symbol, "title": d.title, "date": d.date, "source": d.source, "lang": d.lang}
    if d.footnotes:
        out["footnotes"] = [{"on": label, "text": text} for label, text in d.footnotes]
    if d.meta:
        out["meta"] = dict(d.meta)
    if d.dropped:
        out["dropped"] = list(d.dropped)
    return out


def _json_pair(p: PairDiff) -> dict[str, Any]:
    return {
        "old": list(p.old_labels),
        "new": list(p.new_labels),
        "status": p.status.value,
        "moved": p.moved,
        "renumbered": p.renumbered,
        "ops": [[op, text] for op, text in p.ops],
        "notes": list(p.notes),
        "routine": p.routine,
        "level": p.level,
        "absent": p.absent,
    }


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
    pairs = [_pair_view(i, p, c) for i, p in enumerate(c.pairs, start=1)]
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


def _pair_view(index: int, p: PairDiff, c: Comparison) -> PairView:
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


# ---------------------------------------------------------------- Markdown

def render_md(c: Comparison, *, old_name: str, new_name: str) -> str:
    """A Markdown redline for issue trackers and e-mail.

    Deletions are ``<del>``, insertions ``<ins>``: GitHub and GitLab render both
    wherever they stand, while ``~~x~~`` fails next to punctuation
    (``Region~~;~~`` stays literal), which word diffs produce all the time.
    Every text from the documents goes through ``markdown_escape``.
    """
    return environment().get_template("report.md").render(view_context(c, old_name, new_name))


# Inline constructs: emphasis, code, strikethrough, links, HTML, table cells.
_MD_INLINE = re.compile(r"([\\`*_~\[\]<|])|&(?=#?\w+;)")
# Line-start constructs: headings, lists, block quotes, thematic breaks, setext.
_MD_LINE_START = re.compile(r"^(?:([-+#>=])|(\d+)([.)]))")


def markdown_escape(text: str, line_start: bool = False) -> str:
    """``text`` as Markdown that renders to exactly ``text``: no formatting, link or tag.

    ``line_start``: the text begins a line, where "- ", "# " or "1." would open a
    block; its leading blanks go (Markdown drops them anyway, and four would
    open a code block).
    """
    out = _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)
    if line_start:
        out = _MD_LINE_START.sub(_escape_marker, out.lstrip(" \t"), count=1)
    # A line break would end the paragraph or the table row: texts are single-line.
    return re.sub(r"[\r\n]+", " ", out)


def _escape_marker(m: re.Match[str]) -> str:
    return "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3)
