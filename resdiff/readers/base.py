"""What every format reader shares: the result, the output layout, list numbers.

Owns ``ReadText``; how paragraphs are laid out in the text a reader returns
(one block per paragraph, blank lines between); the errors for a file with no
text; and writing a list counter the way Word and HTML show it ("iv", "aa").
Does not know any file format, and does not hold the package's settings
(``MAX_BYTES``, ``SOFFICE_TIMEOUT``): those live in ``resdiff.readers``.
"""

from __future__ import annotations

from dataclasses import dataclass

from resdiff.errors import InputError
from resdiff.model import Document


@dataclass(frozen=True)
class ReadText:
    """The plain text of one file and what had to be guessed to get it."""

    text: str
    """Plain text; paragraphs separated by blank lines ("\\n\\n"), "\\n" line ends."""
    kind: str
    """The format actually read: "txt", "docx", "pdf", "html", "doc" or "akn"."""
    warnings: tuple[str, ...] = ()
    """One line each, naming the file, e.g. about a guessed encoding."""
    document: Document | None = None
    """The document built from the file's own structure (Akoma Ntoso); None when ``text`` is to be parsed."""


def join(paragraphs: list[str]) -> str:
    """One paragraph per block, no blank lines inside, blank line between."""
    blocks = []
    for paragraph in paragraphs:
        lines = [line.rstrip() for line in paragraph.strip().split("\n")]
        if any(lines):
            blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(blocks)


def require_text(text: str, name: str, what: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: {what} contains no text",
                         hint="check that this is the document you meant; resdiff needs its text")
    return text


def empty(name: str) -> InputError:
    return InputError(f"{name}: empty file",
                      hint="check that the file was saved or downloaded completely")


def size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"


def to_int(value: str | None, default: int) -> int:
    try:
        return int(value.strip()) if value else default
    except ValueError:
        return default


def counter_text(value: int, fmt: str) -> str:
    """``value`` in a Word number format; unknown formats fall back to decimal."""
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        # Word repeats the letter after z: 27 -> "aa".
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        return _roman(value) if fmt == "lowerRoman" else _roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                            (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                            (5, "v"), (4, "iv"), (1, "i")):
        count, value = divmod(value, number)
        out += numeral * count
    return out
