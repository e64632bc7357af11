"""Numbers and letters as printed: sub-paragraph levels, numbering and bracket warnings.

Owns reading "(i)" as a letter or a roman numeral, the warnings about gaps and
duplicates in the operative numbering (kept as printed, never renumbered), and
about unbalanced [brackets] in a draft. Pure; ``parse`` and the Akoma Ntoso
reader call it.
"""

from __future__ import annotations

import re

from .model import Paragraph

_ROMAN = re.compile(r"[ivxlc]+")


def printed_number(text: str) -> str:
    """An operative number as a label carries it: ASCII digits, no spaces ("٣٦" -> "36", "3 bis" -> "3bis")."""
    return "".join(str(int(c)) if c.isdigit() else c for c in text.replace(" ", ""))


def _sub_level(marker: str, stack: list[tuple[str, str]]) -> int:
    """1 for a lettered item, 2 for a roman numeral inside one.

    "(i)" is ambiguous: it is the letter after "(h)" (and "(v)" after "(u)", "(x)"
    after "(w)"...), else a roman numeral, which nests under an open lettered item.
    """
    if not _ROMAN.fullmatch(marker) or not stack:
        return 1
    letter = stack[0][0]
    if marker == _next_letter(letter):
        return 1
    if _ROMAN.fullmatch(letter) and len(stack) == 1 and _roman_follows(letter, marker):
        return 1  # a list numbered (i), (ii), (iii) at the first level
    return 2


def _next_letter(marker: str) -> str | None:
    """The lettered marker after ``marker``: "b" -> "c", "z" -> "aa", "bb" -> "cc"; None for others."""
    if len(set(marker)) != 1 or not marker.isalpha():
        return None
    c = marker[0]
    return "a" * (len(marker) + 1) if c == "z" else chr(ord(c) + 1) * len(marker)


def _roman_follows(before: str, after: str) -> bool:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

    def value(r: str) -> int:
        total = 0
        for a, b in zip(r, r[1:] + " "):
            total += -values[a] if b != " " and values[a] < values[b] else values[a]
        return total

    return value(after) == value(before) + 1


def _bracket_warnings(paragraphs: list[Paragraph]) -> list[str]:
    """Unbalanced [brackets] in a draft: a warning each (a dozen at most); the text stays as printed."""
    out = []
    for p in paragraphs:
        depth = 0
        for ch in p.text:
            depth += (ch == "[") - (ch == "]")
            if depth < 0:
                break
        if depth:
            out.append(f"unbalanced brackets in {p.label}; kept as printed")
    return out[:12]


_MAX_NUMBERING_WARNINGS = 12


def _numbering_warnings(ops: list[Paragraph]) -> list[str]:
    """Report gaps and duplicates in the printed operative numbers; never renumber.

    Linear in the paragraphs, and at most ``_MAX_NUMBERING_WARNINGS`` lines: a list of
    thousands of "1." gets a dozen lines and a count, not one line each.
    """
    numbers = [int(m.group()) for p in ops if p.number and (m := re.match(r"\d+", p.number))]
    suffixed = {int(m.group()) for p in ops if p.number and (m := re.match(r"\d+", p.number)) and m.group() != p.number}
    warnings = []
    if numbers and numbers[0] != 1:
        warnings.append(f"operative numbering starts at {numbers[0]}, not 1")
    for a, b in zip(numbers, numbers[1:]):
        if b > a + 1:
            missing = f"OP{a + 1}" if b == a + 2 else f"OP{a + 1}-OP{b - 1}"
            warnings.append(f"operative numbering jumps from {a} to {b} (no {missing}); kept as printed")
        elif b == a and b not in suffixed:
            warnings.append(f"operative number {b} is printed twice (OP{b} and OP{b}#2); kept as printed")
        elif b < a:
            warnings.append(f"operative number {b} follows {a}; kept as printed")
    if len(warnings) > _MAX_NUMBERING_WARNINGS:
        more = len(warnings) - _MAX_NUMBERING_WARNINGS + 1
        warnings = warnings[:_MAX_NUMBERING_WARNINGS - 1] + [f"... and {more} more irregularities in the operative numbering"]
    return warnings
