"""Text -> ``Document``: the resolution parser (layout noise in ``noise``, numbering rules in ``numbering``,
title, chapeau and footer in ``frame``).

How a text becomes a document, in order:

1. *Canonical characters.* NFKC, then curly quotes, non-breaking spaces and hyphens,
   en dashes become their plain forms, so typography never shows up as a change.
   CRLF, tabs and leading whitespace go too. Only three invisible characters are
   removed: the soft hyphen (U+00AD), the zero-width space (U+200B) and the byte
   order mark (U+FEFF); zero-width joiners and non-joiners (U+200D, U+200C) carry
   meaning in Arabic and Indic scripts and stay (``REMOVED`` lists what goes).
2. *Noise.* Lines that are layout, not text — a running header repeating a symbol,
   "page 2", "- 3 -", a bare page number, a "GE.03-12345" job number, Word field
   codes that extraction left behind ("page PAGE 2 EMBED Word.Picture.8 OFFICE OF
   THE HIGH COMMISSIONER ...", on their own line or run onto a paragraph's end) —
   are set aside in ``Document.dropped`` (nothing is silently lost).
3. *Blocks.* Blank lines separate paragraphs and hard-wrapped lines inside one are
   joined. A line that starts with an operative number ("4." on its own line or
   inline, followed by spaces or a tab) or a sub-paragraph marker always starts a
   new block. A block that starts in lower case after one that ends without
   punctuation continues it (a page break or a wrapped title). Texts without blank
   lines fall back to punctuation and opening words to find paragraph ends.
4. *Roles.* The chapeau ("The Commission on Human Rights,") divides the heading
   part (title, "... resolution 2003/73") from the preamble; the first numbered
   block starts the operative part; sub-paragraphs (a), (i) and closing text stay
   in their operative paragraph; meeting, date and adoption note form the footer.
   Printed numbers are kept as printed; gaps and duplicates become warnings.
   A text with no operative part is returned as plain paragraphs ``P1..Pn``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from . import lang as languages
from .errors import InputError
from .frame import DATE, HEADING_LINE, MEETING, NUMBERED_TITLE, footer, heading_part, is_chapeau, is_footer, metadata
from .model import Document, Paragraph, Section
from .noise import _FIELD_CODE, _cut_field_debris, _is_field_debris, is_layout_noise  # noqa: F401  (readers use is_layout_noise)
from .numbering import _bracket_warnings, _numbering_warnings, _sub_level, printed_number
from .visible import bidi_controls

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
        "\u00ad": None, "\u200b": None, "\ufeff": None,
        "\t": " ", "\f": "\n", "\v": "\n",
    }
)

# "4." (digits of any script: "٤." too), or the Arabic texts' "4 - " before Arabic words.
_OP_NUMBER = re.compile(r"(\d{1,4}(?:\s?(?:bis|ter|quater))?)(?:\.(?:\s+|$)|\s+-\s+(?=[\u0600-\u06ff]))")
# "(a)", "(iv)", and the Arabic texts' lettered items "(أ)", "(ب)".
_SUBPARA = re.compile(r"\(((?:[a-z]{1,2}|[ivxlc]{1,6}|[\u0621-\u064a]{1,2}))\)(?:\s+|$)")
# How preambular paragraphs open: a participle followed by a lower-case word
# ("Recalling its", "Noting with"; not "Beijing Declaration"), or a known adjective.
_PREAMBLE_OPENER = re.compile(
    r"(?:[A-Z][a-z]+ing\s+[a-z(]|Bearing in mind|(?:Deeply|Gravely|Seriously|Profoundly)\s+[a-z]+"
    r"|(?:Mindful|Aware|Conscious|Convinced|Desirous|Determined|Cognizant|Alarmed|Concerned|Guided"
    r"|Encouraged|Disturbed|Appalled|Dismayed|Pleased|Gratified)\b"
    rf"|(?i:(?:{'|'.join(sorted({re.escape(w) for t in languages.tables() for w in t.preamble_openers}, key=len, reverse=True))})\b))"
)
_NOISE_MARK = "\x00"
"""Stands where a layout line was dropped, so a paragraph cut by a page break can be rejoined."""


@dataclass
class _Block:
    """A paragraph candidate while parsing: its text and, for OPs, the printed number."""

    text: str
    number: str | None = None
    after_noise: bool = False
    """A running header or page number was dropped right before it (a page break)."""
    sub: str | None = None
    """The sub-paragraph marker as printed, without brackets ("a", "iv"); None for a paragraph."""
    margin: str | None = None
    """A draft's printed preambular marker ("PP5", "PP5alt"); None when not printed."""


MAX_PARAGRAPHS = 20_000
"""Paragraphs one text may have. The longest omnibus resolutions have a few thousand elements;
the bound keeps a hostile 20 MB file from costing minutes and gigabytes."""

REMOVED = frozenset("\u00ad\u200b\ufeff")
"""The only code points canonicalisation removes (all invisible: soft hyphen, zero-width space, BOM)."""


def canonical(text: str) -> str:
    """Plain characters for a text: what compares equal must look equal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    return text


def parse(text: str, *, source: str = "<text>", lang: str | None = None) -> Document:
    """Split a resolution's text into its structure; raise ``InputError`` if it has no words.

    ``lang`` (an ISO 639-1 code of ``resdiff.lang``) overrides the detected language."""
    lines = canonical(text).split("\n")
    kept, dropped = _drop_noise(lines)
    language = languages.table(lang or languages.detect(text))
    blocks = _join_continuations(_blocks(kept), lower_openings=language.lower_openings)
    if not blocks:
        raise InputError(f"{source}: empty text, nothing to compare", hint="check that the file holds the resolution's text")
    if len(blocks) > MAX_PARAGRAPHS:
        raise InputError(f"{source}: {len(blocks):,} paragraphs, more than resdiff compares ({MAX_PARAGRAPHS:,})",
                         hint="the longest resolutions have a few thousand; check that this is one resolution, not a collection")
    doc = replace(_build(blocks, source=source, dropped=tuple(dropped)), lang=language.code)
    if not doc.structured:
        # Say which language the text looked like: a resolution in a language resdiff has no table for,
        # or no resolution at all, reads as plain paragraphs.
        read_as = f"reads as {language.name}" if languages.recognised(text) else "is in none of the six official languages"
        doc = replace(doc, warnings=tuple(f"{w} (the text {read_as}; resdiff knows the structure of "
                                          "Arabic, Chinese, English, French, Russian and Spanish resolutions)"
                                          for w in doc.warnings))
    if found := bidi_controls(text):
        doc = replace(doc, warnings=doc.warnings + (
            f"the text contains bidirectional control characters ({', '.join(found)}) that can make it display in "
            "another order than it is stored; reports show them as <U+...>",))
    fields = [d for d in dropped if _FIELD_CODE.search(d)]
    if fields:
        shown = fields[0] if len(fields[0]) <= 60 else fields[0][:57] + "..."
        doc = replace(doc, warnings=doc.warnings + (f"set aside {len(fields)} line(s) of Word field codes left by text extraction (\"{shown}\"); not compared",))
    return doc


def _drop_noise(lines: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    dropped: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if is_layout_noise(line) or _is_field_debris(line):
            dropped.append(line)
            kept.append(_NOISE_MARK)
            continue
        text, debris = _cut_field_debris(line)
        if debris:
            dropped.append(debris)
        kept.append(text)
    return kept, dropped


def _blocks(lines: list[str]) -> list[_Block]:
    """Group lines into blocks: blank lines, numbers and sub-paragraph markers start one."""
    has_blank_lines = sum(1 for a, b in zip(lines, lines[1:]) if a and not b) >= 3
    blocks: list[_Block] = []
    blank, noise = True, False
    for line in lines:
        if line == _NOISE_MARK:
            noise = True
            continue
        if not line:
            blank = True
            continue
        if blocks and not blank and not _starts_paragraph(line, blocks[-1].text, has_blank_lines):
            blocks[-1].text = _join(blocks[-1].text, line)
        else:
            blocks.append(_Block(line, after_noise=noise))
        blank = noise = False
    return [b for block in blocks for b in _split_number(block)]


def _join(text: str, more: str) -> str:
    """Join wrapped lines; a line broken after a hyphen ("non-" / "governmental") gets no space."""
    if more[:1].islower() and re.search(r"[A-Za-z]-$", text):
        return text + more
    return text + " " + more


def _starts_paragraph(line: str, previous: str, has_blank_lines: bool) -> bool:
    if _OP_NUMBER.match(line) or _SUBPARA.match(line) or _MARGIN.match(line) or _OP_NUMBER.fullmatch(previous):
        return True
    if is_footer(line) or MEETING.fullmatch(previous) or DATE.fullmatch(previous):
        # "77th plenary meeting" / "22 December 2003" are lines of their own, blank line or not.
        return True
    if HEADING_LINE.fullmatch(line) or is_chapeau(line) or HEADING_LINE.fullmatch(previous) or is_chapeau(previous):
        return True
    if has_blank_lines:
        return False
    # One paragraph per line, or hard wraps without blank lines: use punctuation.
    if previous.endswith((";", ".", ":")) and line[:1].isupper():
        return True
    return previous.endswith(",") and bool(_PREAMBLE_OPENER.match(line))


# Negotiation drafts print "PP3", "OP4", "OP3 bis", "PP5 alt" in the margin: labels, not text.
_MARGIN = re.compile(r"(PP|OP)\s?(\d{1,4})(?:\s?(bis|ter|quater|alt(?:\s?\d)?))?\s*[.:)]?(?:\s+|$)")


def _split_number(block: _Block) -> list[_Block]:
    """Turn "4. Text" into number + text and "(a) Text" into marker + text; a bare "4." keeps only its number."""
    if m := _MARGIN.match(block.text):
        printed = printed_number(m.group(2) + (m.group(3) or ""))
        rest = block.text[m.end():].strip()
        if m.group(1) == "OP":
            return [_Block(rest, number=printed, after_noise=block.after_noise)]
        return [_Block(rest, after_noise=block.after_noise, margin=f"PP{printed}")]
    if m := _OP_NUMBER.match(block.text):
        number = printed_number(m.group(1))
        return [_Block(block.text[m.end():].strip(), number=number, after_noise=block.after_noise)]
    if m := _SUBPARA.match(block.text):
        return [_Block(block.text[m.end():].strip(), after_noise=block.after_noise, sub=m.group(1))]
    return [block]


def _join_continuations(blocks: list[_Block], *, lower_openings: bool = False) -> list[_Block]:
    """Attach number-only blocks to the next block and rejoin paragraphs cut by a page break."""
    out: list[_Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and (prev.number or prev.sub) and not prev.text and block.number is None and block.sub is None:
            prev.text = block.text
            continue
        if prev is not None and block.number is None and block.sub is None and _continues(prev.text, block, lower_openings):
            prev.text = _join(prev.text, block.text)
            continue
        out.append(block)
    return out


def _continues(previous: str, block: _Block, lower_openings: bool = False) -> bool:
    """Does ``block`` continue the paragraph before it (a page break, a wrapped title)?

    No paragraph starts in lower case; and after a dropped page header, a paragraph
    that had not reached its closing punctuation goes on.
    """
    if block.text[:1].islower() and not (previous.endswith((",", ";", ".", ":")) and (lower_openings or _PREAMBLE_OPENER.match(block.text))):
        # (Russian paragraphs open in lower case: "ссылаясь ...", after a comma: a new paragraph.)
        return True
    return block.after_noise and not previous.endswith((",", ";", ".", ":", "!", "?", ")", "]"))


def _build(blocks: list[_Block], *, source: str, dropped: tuple[str, ...]) -> Document:
    first_op = next((i for i, b in enumerate(blocks) if b.number), None)
    if first_op is None:
        return _plain(blocks, source=source, dropped=dropped)
    blocks = list(blocks)
    chapeau = next((i for i, b in enumerate(blocks[:first_op]) if is_chapeau(b.text)), None)
    head_end = chapeau if chapeau is not None else _frame_end(blocks[:first_op])
    # Before the chapeau a "(a)" is no list item: keep it as printed.
    head = heading_part([f"({b.sub}) {b.text}".rstrip() if b.sub is not None else b.text for b in blocks[:head_end]])
    pre_blocks = blocks[head_end + (chapeau is not None):first_op]
    # A heading right before the first operative paragraph ("I. Convention ...") opens the operative part.
    while pre_blocks and pre_blocks[-1].sub is None and _is_heading(pre_blocks[-1].text, blocks[first_op:first_op + 2]):
        first_op -= 1
        blocks[first_op] = _Block(blocks[first_op].text, number=_HEADING_MARK)
        pre_blocks = pre_blocks[:-1]
    preamble = _elements(_attach_subparas(pre_blocks), Section.PREAMBLE)
    ops, footer = _operative_part(blocks[first_op:])
    chap = [Paragraph("CHAPEAU", Section.CHAPEAU, blocks[chapeau].text)] if chapeau is not None else []
    paragraphs = tuple(head + chap + preamble + ops + footer)
    meta = metadata(paragraphs)
    warnings = _numbering_warnings([p for p in ops if not p.level]) + _bracket_warnings(preamble + ops)
    if chapeau is None and not head:
        warnings.insert(0, "the source has no title, symbol line or chapeau (it starts with the first preambular paragraph); they are not compared")
    elif chapeau is None:
        warnings.insert(0, "no chapeau (\"The Commission on Human Rights,\") found; everything before the first numbered paragraph is treated as preamble")
    return Document(paragraphs, source, structured=True, warnings=tuple(warnings), dropped=dropped, **meta)


def _frame_end(blocks: list[_Block]) -> int:
    """Without a chapeau: how many leading blocks are heading lines ("... resolution 2003/73")."""
    n = 0
    while n < len(blocks) and not _PREAMBLE_OPENER.match(blocks[n].text) and (
        HEADING_LINE.fullmatch(blocks[n].text) or NUMBERED_TITLE.fullmatch(blocks[n].text)
    ):
        n += 1
    return n if n < len(blocks) else 0


def _attach_subparas(blocks: list[_Block]) -> list[_Block]:
    """Preambular blocks: text after a colon that is not a sub-paragraph continues its paragraph."""
    out: list[_Block] = []
    for b in blocks:
        if out and b.sub is None and out[-1].text.endswith(":"):
            out[-1] = _Block(out[-1].text + " " + b.text, out[-1].number, sub=out[-1].sub)
        else:
            out.append(b)
    return out


def _operative_part(blocks: list[_Block]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Numbered paragraphs with their sub-paragraphs, then the footer."""
    ops: list[_Block] = []
    rest = len(blocks)
    for i, b in enumerate(blocks):
        if b.number is None and b.sub is None and is_footer(b.text):
            rest = i
            break
        if b.number is None and b.sub is None and ops and _is_heading(b.text, blocks[i + 1:i + 3]):
            ops.append(_Block(b.text, number=_HEADING_MARK))
        elif b.number is None and b.sub is None and ops:
            # Closing words after a list, or text the layout cut off: it belongs to the element before.
            ops[-1] = _Block(ops[-1].text + " " + b.text, ops[-1].number, sub=ops[-1].sub)
        else:
            ops.append(b)
    return _elements(ops, Section.OPERATIVE), footer(_bracketed_as_one(blocks[rest:]))


def _elements(blocks: list[_Block], section: Section) -> list[Paragraph]:
    """Label paragraphs (PP by order, OP by printed number) and their sub-paragraphs (``OP7(a)(i)``)."""
    out: list[Paragraph] = []
    seen: dict[str, int] = {}
    pp = 0
    stack: list[tuple[str, str]] = []
    """The open list levels below the current paragraph: (marker, label), level 1 first."""
    top: str | None = None
    headings = 0
    for b in blocks:
        if b.number == _HEADING_MARK:
            headings += 1
            stack, top = [], None
            out.append(Paragraph(f"H{headings}", section, b.text))
            continue
        if b.sub is not None and top is not None:
            level = _sub_level(b.sub, stack)
            del stack[level - 1:]
            parent = stack[-1][1] if stack else top
            label = _unique(f"{parent}({b.sub})", seen)
            stack.append((b.sub, label))
            out.append(Paragraph(label, section, b.text, number=b.sub, level=level, parent=parent))
            continue
        stack = []
        text, agreed = _status_tag(b.text or "")
        if section is Section.OPERATIVE:
            number = b.number or "?"
            top = _unique(f"OP{number}", seen)
            out.append(Paragraph(top, section, text, number=number, agreed=agreed))
        else:
            pp += 1
            top = _unique(b.margin, seen) if b.margin else f"PP{pp}"
            text = f"({b.sub}) {text}" if b.sub is not None else text
            out.append(Paragraph(top, section, text, agreed=agreed))
    return out


# "(agreed ad ref)", "[ad ref]", "ad ref", "(silence)", "[under silence]" after a draft paragraph.
_STATUS_TAG = re.compile(
    r"\s*(?:[\[(]\s*((?:agreed\s+)?ad\s+ref|agreed|(?:under\s+)?silence(?:\s+broken)?)\s*[\])]|((?:agreed\s+)?ad\s+ref))\.?$",
    re.IGNORECASE,
)


def _status_tag(text: str) -> tuple[str, str | None]:
    """A draft paragraph's text without its status tag, and the tag (lower case); (text, None) without one."""
    m = _STATUS_TAG.search(text)
    if not m or m.start() == 0:
        return text, None
    return text[:m.start()].rstrip(), " ".join((m.group(1) or m.group(2)).lower().split())


_HEADING_MARK = "\x00H"
"""Stands as the ``number`` of a block that is a heading between operative paragraphs."""


def _is_heading(text: str, following: list[_Block]) -> bool:
    """A heading between operative paragraphs ("Follow-up", "II. Financing"): short, no closing
    punctuation, capitalised, and a numbered paragraph follows."""
    if not (len(text.split()) <= 20 and not text.endswith((",", ";", ":", ".", "،", "؛")) and not text[:1].islower()
            and not is_footer(text) and following):
        return False
    # "I" or "أولا" on a line of its own, then the heading's words, then the numbered paragraph.
    return following[0].number is not None or (following[0].sub is None and _is_heading(following[0].text, following[1:2]))


def _unique(label: str, seen: dict[str, int]) -> str:
    """A repeated label gets "#2", "#3": printed numbers are kept as printed."""
    seen[label] = seen.get(label, 0) + 1
    return label if seen[label] == 1 else f"{label}#{seen[label]}"


def _bracketed_as_one(blocks: list[_Block]) -> list[str]:
    """Block texts (numbers written back in front), a "[...]" note over several blocks joined."""
    texts: list[str] = []
    for b in blocks:
        text = f"{b.number}. {b.text}".rstrip() if b.number else f"({b.sub}) {b.text}".rstrip() if b.sub is not None else b.text
        if texts and texts[-1].startswith("[") and "]" not in texts[-1]:
            texts[-1] += " " + text
        else:
            texts.append(text)
    return texts


def _plain(blocks: list[_Block], *, source: str, dropped: tuple[str, ...]) -> Document:
    paragraphs = tuple(Paragraph(f"P{n}", Section.TEXT, t) for n, t in enumerate(_bracketed_as_one(blocks), 1))
    warning = "no numbered operative paragraphs found; compared as plain paragraphs P1..Pn"
    return Document(paragraphs, source, structured=False, warnings=(warning,), dropped=dropped)
