"""Text that is safe to show: control characters and bidi overrides made visible.

Owns what may reach a terminal or a text, Markdown or HTML file from outside
(document text, titles, file names, URLs): C0 and C1 control characters other
than newline and tab are written as escapes (``\\x1b``), so an escape sequence
in a document cannot clear a screen or retitle a window; bidirectional
embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069), which
can make text display in another order than it is stored, are shown as
``<U+202E>``; bytes of a file name that is not UTF-8 (lone surrogates, as
Python decodes them) are shown as ``\\xff``. Pure; it changes nothing else.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that reorder the display of the text around them."""

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with control characters escaped and bidi controls named; newline and tab kept."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_show, text)


def bidi_controls(text: str) -> list[str]:
    """The bidi control characters in ``text``, as "U+202E", in order of first appearance."""
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in text if c in BIDI_CONTROLS))


def _show(m: re.Match[str]) -> str:
    c = m.group()
    if c in BIDI_CONTROLS:
        return f"<U+{ord(c):04X}>"
    if 0xDC80 <= ord(c) <= 0xDCFF:
        # A byte of a file name that is not UTF-8, as Python decodes it (surrogateescape).
        return f"\\x{ord(c) - 0xDC00:02x}"
    if 0xD800 <= ord(c) <= 0xDFFF:
        return f"<U+{ord(c):04X}>"
    return f"\\x{ord(c):02x}"
