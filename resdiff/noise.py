"""Layout noise: what a page prints that is not the resolution's text.

Owns recognising running headers repeating a symbol, page and job numbers
("page 2", "- 3 -", "GE.03-12345") and the Word field codes that text extraction
runs into the text ("page PAGE 2 EMBED Word.Picture.8 OFFICE OF THE HIGH
COMMISSIONER ..."), on a line of their own or run onto a paragraph's end. Pure;
``parse`` sets what it finds aside in ``Document.dropped``.
"""

from __future__ import annotations

import re

_FULL_SYMBOL = r"(?:[AES]/(?:[A-Z0-9.\-]+/)*[A-Z0-9.\-()]+)"
_NOISE = (
    re.compile(rf"{_FULL_SYMBOL}(?:\s+(?:page\s+)?\d{{1,3}})?", re.IGNORECASE),
    re.compile(r"(?:page|p\.)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?", re.IGNORECASE),
    re.compile(r"-\s*\d{1,3}\s*-|\d{1,3}"),
    re.compile(r"GE\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?.*"),
)
# Word field codes that text extraction runs into the text: "page PAGE 2", "EMBED Word.Picture.8",
# "PAGE \* MERGEFORMAT", "NUMPAGES", "SHAPE \* MERGEFORMAT", with the letterhead they sit in.
_FIELD_CODE = re.compile(
    r"(?:\bpage\s+)?\bPAGE\b(?:\s*\\\*\s*MERGEFORMAT)?(?:\s+\d{1,4})?|\bEMBED\s+[\w.]+(?:\s*\\s)?|\bNUMPAGES\b(?:\s+\d{1,4})?"
    r"|\b(?:SHAPE|INCLUDEPICTURE|MERGEFIELD|FILENAME|DATE\s+\\@)\b[^A-Za-z]*?\\\*\s*MERGEFORMAT|\\\*\s*MERGEFORMAT"
)
# What may stand around field codes in a debris line: an upper-case letterhead, numbers, punctuation.
_LETTERHEAD = re.compile(r"[A-Z0-9][A-Z0-9'&.,/\-]*|[-–|•·]")


def is_layout_noise(line: str) -> bool:
    """True for a line that is page layout, not text: running header, page or job number."""
    line = " ".join(line.split())
    return bool(line) and any(p.fullmatch(line) for p in _NOISE)


_FIELD_KEYS = ("PAGE", "EMBED", "MERGEFORMAT", "NUMPAGES")
"""Every field code holds one of these: a cheap test before the regular expression."""


def _is_field_debris(line: str) -> bool:
    """A line made only of Word field codes and the letterhead around them.

    "page PAGE 2 EMBED Word.Picture.8 OFFICE OF THE HIGH COMMISSIONER FOR HUMAN RIGHTS page PAGE 1":
    without the codes, only upper-case words, numbers and punctuation remain.
    """
    if not any(k in line for k in _FIELD_KEYS) or not _FIELD_CODE.search(line):
        return False
    rest = _FIELD_CODE.sub(" ", line).split()
    return all(_LETTERHEAD.fullmatch(w) for w in rest)


def _cut_field_debris(line: str) -> tuple[str, str]:
    """Text with field-code debris run onto its end, split into (text, debris)."""
    m = _FIELD_CODE.search(line) if any(k in line for k in _FIELD_KEYS) else None
    if not m:
        return line, ""
    # Back over the letterhead words right before the first code.
    start = m.start()
    words = line[:start].split(" ")
    while len(words) > 1 and words[-1] == "":
        words.pop()
    while words and words[-1] and _LETTERHEAD.fullmatch(words[-1]) and not words[-1].isdigit() and len(words[-1]) > 1:
        words.pop()
    head = " ".join(words).rstrip()
    tail = line[len(head):].strip()
    if not head or not _is_field_debris(tail):
        return line, ""
    return head, tail
