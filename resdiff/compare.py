"""The compare pipeline: two texts -> ``Comparison`` (parse, align, word diff).

Pure: no files, no network, no git. ``cli`` and ``store`` call it with texts they
have read; ``render`` turns its result into HTML, JSON or text.
"""

from __future__ import annotations

import re

from .align import align
from .diff import word_ops
from .model import Comparison, Document, Pair, PairDiff, Section, Status
from .parse import parse

# The opening verb of an operative paragraph with its modifiers and particle:
# "Welcomes", "Also welcomes", "Strongly encourages", "Calls upon", "Takes note with appreciation of".
_VERB = re.compile(
    r"((?:(?i:also|further|furthermore|again|once again|strongly|firmly|deeply|urgently|emphatically)\s+)*"
    r"[A-Za-z]+s"
    r"(?:\s+(?:note(?:\s+with\s+(?:deep\s+)?(?:appreciation|satisfaction|concern|interest))?|upon|on))?)\b"
)


def compare_texts(old_text: str, new_text: str, *, old_source: str = "old", new_source: str = "new") -> Comparison:
    """Parse both texts and compare them."""
    return compare(parse(old_text, source=old_source), parse(new_text, source=new_source))


def compare(old: Document, new: Document) -> Comparison:
    """Align two parsed documents and diff every pair word by word."""
    frame = _absent_parts(old, new)
    pairs = tuple(_pair_diff(p, old, new, frame) for p in align(old, new))
    warnings = tuple(f"old: {w}" for w in old.warnings) + tuple(f"new: {w}" for w in new.warnings)
    return Comparison(old, new, pairs, warnings)


_MONTHS = "january february march april may june july august september october november december".split()
_ORDINAL = re.compile(
    r"(?:\d+(?:st|nd|rd|th)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?"
    r"|(?:twen|thir|for|fif|six|seven|eigh|nine)tieth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|(?:thir|four|fif|six|seven|eigh|nine)teenth)"
)


def is_routine_word(word: str) -> bool:
    """Words whose change is a yearly update: numbers, dates, ordinals, document symbols."""
    w = word.casefold()
    return (
        w.isdigit()
        or w in _MONTHS
        or w == "xx"
        or bool(_ORDINAL.fullmatch(w))
        or ("/" in w and any(ch.isdigit() for ch in w))
    )


def _is_routine(ops) -> bool:
    """True when at least one word changed and every changed word is routine."""
    changed = [t for op, t in ops if op != 0]
    words = [w for t in changed for w in re.findall(r"\w+(?:[-/.]\w+)*", t)]
    # A change of punctuation alone ("conditions, provides") is not a yearly update.
    return bool(words) and all(is_routine_word(w) for w in words)


_FRAME = (Section.TITLE, Section.HEADING, Section.CHAPEAU)


def _absent_parts(old: Document, new: Document) -> dict[str, set[Section]]:
    """Per side, the sections its source does not print at all while the other does.

    A text without its title, symbol line and chapeau (or without its closing lines)
    did not delete them: they are missing from that source. Only for structured texts.
    """
    out: dict[str, set[Section]] = {"old": set(), "new": set()}
    if not (old.structured and new.structured):
        return out
    for side, doc, other in (("old", old, new), ("new", new, old)):
        if not doc.has_frame and other.has_frame:
            out[side].update(_FRAME)
        if not doc.has_footer and other.has_footer:
            out[side].add(Section.FOOTER)
    return out


def _pair_diff(pair: Pair, old: Document, new: Document, frame: dict[str, set[Section]] | None = None) -> PairDiff:
    olds = [old.paragraphs[i] for i in pair.old]
    news = [new.paragraphs[j] for j in pair.new]
    frame = frame or {"old": set(), "new": set()}
    absent = ("old" if news and not olds and news[0].section in frame["old"]
              else "new" if olds and not news and olds[0].section in frame["new"] else None)
    old_text = " ".join(p.text for p in olds)
    new_text = " ".join(p.text for p in news)
    fold = bool(olds and olds[0].section is Section.TITLE and (old_text.isupper() or new_text.isupper()))
    ops = word_ops(old_text, new_text, fold_case=fold)
    status = pair.status
    if status in (Status.UNCHANGED, Status.MODIFIED):
        status = Status.UNCHANGED if all(op == 0 for op, _ in ops) else Status.MODIFIED
    same_section = {p.section for p in olds} == {p.section for p in news}
    return PairDiff(
        old_labels=tuple(p.label for p in olds),
        new_labels=tuple(p.label for p in news),
        status=status,
        moved=pair.moved,
        renumbered=_renumbered(olds, news) if same_section else False,
        ops=ops,
        sections=tuple(dict.fromkeys(p.section.value for p in (news or olds))),
        notes=tuple(_notes(olds, news)),
        routine=status is Status.MODIFIED and _is_routine(ops),
        level=(news or olds)[0].level,
        absent=absent,
    )


def _renumbered(olds, news) -> bool:
    """A printed number or letter changed (OP13 -> OP4, (f) -> (g)); preambular places are not printed."""
    before = [x for x in _printed(olds) if x]
    after = [x for x in _printed(news) if x]
    return bool(olds and news and (before or after) and before != after)


def _printed(paragraphs) -> tuple[str | None, ...]:
    """The numbers as printed: operative numbers and sub-paragraph letters. A preambular
    paragraph's place in the count is not printed, so PP3 -> PP4 is no renumbering."""
    out = []
    for p in paragraphs:
        if p.section is Section.OPERATIVE:
            out.append(p.label)
        elif p.level:
            out.append(p.label[p.label.index("("):])
        else:
            out.append(None)
    return tuple(out)


def _notes(olds, news) -> list[str]:
    notes = []
    parts = (Section.PREAMBLE, Section.OPERATIVE)
    if olds and news and olds[0].section is not news[0].section and olds[0].section in parts and news[0].section in parts:
        notes.append(f"moved from the {olds[0].section.value} to the {news[0].section.value} part")
    if olds and news and olds[0].level != news[0].level:
        before, after = olds[0], news[0]
        if after.level < before.level:
            notes.append(f"promoted: sub-paragraph {before.label} became {'paragraph' if not after.level else 'sub-paragraph'} {after.label}")
        else:
            notes.append(f"demoted: {'paragraph' if not before.level else 'sub-paragraph'} {before.label} became sub-paragraph {after.label}")
    if olds and news and news[0].section is Section.OPERATIVE and olds[0].section is Section.OPERATIVE and not olds[0].level and not news[0].level:
        before, after = _opening_verb(olds[0].text), _opening_verb(news[0].text)
        if before and after and before != after:
            notes.append(f"opening verb: {before} -> {after}")
    return notes


def _opening_verb(text: str) -> str | None:
    m = _VERB.match(text)
    return m.group(1) if m else None
