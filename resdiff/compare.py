"""The compare pipeline: two texts -> ``Comparison`` (parse, align, word diff).

Pure: no files, no network, no git. ``cli`` and ``store`` call it with texts they
have read; ``render`` turns its result into HTML, JSON or text.
"""

from __future__ import annotations

import re
from functools import cache

from .align import align
from . import lang as languages
from .diff import orthographic, side_text, word_ops
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


def is_routine_word(word: str, lang: str = "en") -> bool:
    """Words whose change is a yearly update: numbers, dates, ordinals, document symbols.

    Months and ordinals come from the language's table (``resdiff.lang``): "eleventh",
    "soixante-dix-huitième", "septuagésimo", "восьмой", "الثامنة", "第七十八届".
    """
    w = word.casefold()
    table = languages.table(lang)
    return (
        w.isdigit()
        or w in _month_words(lang)
        or w == "xx"
        or bool(re.fullmatch(table.ordinals, w, re.IGNORECASE))
        or (lang != "en" and bool(re.fullmatch(languages.table("en").ordinals, w)))
        or ("/" in w and any(ch.isdigit() for ch in w))
    )


@cache
def _month_words(lang: str) -> frozenset[str]:
    return frozenset(part.casefold() for month in languages.table(lang).months for part in re.split(r"[\s/]+", month))


def _is_routine(ops, lang: str = "en") -> bool:
    """True when at least one word changed and every changed word is routine."""
    changed = [t for op, t in ops if op != 0]
    words = [w for t in changed for w in re.findall(r"\w+(?:[-/.]\w+)*", t)]
    # A change of punctuation alone ("conditions, provides") is not a yearly update.
    return bool(words) and all(is_routine_word(w, lang) for w in words)


def _only_orthographic(ops) -> bool:
    """Every change is in vowel marks or tatweel only (Arabic): the words are the same."""
    return any(op != 0 for op, _ in ops) and orthographic(side_text(ops, -1)) == orthographic(side_text(ops, 1))


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
    spelled = _only_orthographic(ops)
    return PairDiff(
        old_labels=tuple(p.label for p in olds),
        new_labels=tuple(p.label for p in news),
        status=status,
        moved=pair.moved,
        renumbered=_renumbered(olds, news) if same_section else False,
        ops=ops,
        sections=tuple(dict.fromkeys(p.section.value for p in (news or olds))),
        notes=tuple(_notes(olds, news, new.lang)) + (_ORTHOGRAPHIC,) * (status is Status.MODIFIED and spelled),
        routine=status is Status.MODIFIED and (spelled or _is_routine(ops, new.lang)),
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


def _notes(olds, news, lang: str = "en") -> list[str]:
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
    notes += _bracket_notes(olds, news)
    if olds and news and news[0].section is Section.OPERATIVE and olds[0].section is Section.OPERATIVE and not olds[0].level and not news[0].level:
        before, after = _opening_verb(olds[0].text, lang), _opening_verb(news[0].text, lang)
        if before and after and before != after:
            notes.append(f"opening verb: {before} -> {after}{_direction(before, after, lang)}")
    return notes


def _bracket_notes(olds, news) -> list[str]:
    """What happened to the [brackets] of a draft paragraph: agreed, added, or still in dispute."""
    before, after = any(p.bracketed for p in olds), any(p.bracketed for p in news)
    notes = []
    if olds and news and before and not after:
        notes.append("brackets removed: language agreed")
    elif olds and news and after and not before:
        notes.append("brackets added")
    elif after:
        notes.append("still bracketed" if olds else "added in brackets")
    tags = [(p.label, p.agreed) for p in news if p.agreed]
    notes += [f"{label}: {tag}" for label, tag in tags]
    return notes


_ORTHOGRAPHIC = "orthographic only: vowel marks or tatweel differ, the words are the same"


def _opening_verb(text: str, lang: str = "en") -> str | None:
    """The operative verb a paragraph opens with, with its modifiers ("Also welcomes", "Prie également")."""
    if lang == "en":
        m = _VERB.match(text)
        return m.group(1) if m else None
    table = languages.table(lang)
    words = text.split()
    k = 0
    while k < len(words) and words[k].casefold().strip(",") in table.modifiers:
        k += 1  # Russian and Chinese put "также", "又" before the verb
    rest = " ".join(words[k:]).casefold()
    verb = max((v for v in table.verbs if rest.startswith(v)), key=len, default=None)
    if verb is None and not table.spaced:
        verb = next((v for v in sorted(table.verbs, key=len, reverse=True) if v in rest[:6]), None)
    if verb is None:
        return " ".join(words[:k + 1]) or None
    end = k + len(verb.split())
    while end < len(words) and words[end].casefold().strip(",") in table.modifiers:
        end += 1  # French, Spanish, Arabic put "également", "también", "أيضا" after it
    if not table.spaced:
        return text[:text.casefold().find(verb) + len(verb)]
    return " ".join(words[:end])


def _direction(before: str, after: str, lang: str) -> str:
    """" (stronger)" or " (weaker)" when both verbs' strengths are known and differ."""
    a, b = _strength(before, lang), _strength(after, lang)
    if a is None or b is None or a == b:
        return ""
    return " (stronger)" if b > a else " (weaker)"


def _strength(phrase: str, lang: str) -> int | None:
    table = languages.table(lang)
    words = [w for w in phrase.casefold().split() if w not in table.modifiers or w in ("strongly", "instamment", "настоятельно")]
    core = " ".join(words) if table.spaced else phrase.casefold()
    found = [v for v in table.verbs if core.startswith(v) or (not table.spaced and v in core)]
    return table.verbs[max(found, key=len)] if found else None
