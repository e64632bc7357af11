"""The six official languages of the United Nations as data: one table per language.

Each module (``en``, ``fr``, ``es``, ``ru``, ``ar``, ``zh``) defines ``TABLE``, a
``Language`` holding what the parser and the comparison read: how the chapeau
names the adopting organ, how the heading and the footer lines (meeting, date)
are printed, the month names, how preambular paragraphs open, the operative
verbs with their strength, the modifiers that follow or precede a verb, and the
words of a routine yearly update (ordinals). The parser uses the union of all
tables, so a text in any of them parses without being told its language;
``detect`` names the language (script first, then function words) for the word
diff, the routine-update rules and the reports. No code here branches on a
language: adding one means adding a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Language:
    """What resdiff knows of one language's resolution texts."""

    code: str
    """ISO 639-1: "en", "fr", "es", "ru", "ar", "zh"."""
    name: str
    """The language's English name."""
    organs: tuple[str, ...]
    """Adopting organs as the chapeau names them, without article or comma ("Assemblée générale")."""
    chapeau: str
    """Regular expression of a chapeau line; group ``organ`` names the organ."""
    heading: str
    """Regular expression of the line naming the resolution before its title."""
    meeting: str
    """Regular expression of the meeting line ("52e séance plénière")."""
    date: str
    """Regular expression of a date line with groups ``day``, ``month`` and ``year``."""
    months: tuple[str, ...]
    """Month names as they appear in ``date`` (January first); lower case."""
    preamble_openers: tuple[str, ...] = ()
    """Words that open a preambular paragraph (participles: "Rappelant", "Recordando")."""
    verbs: dict[str, int] = field(default_factory=dict)
    """Operative verbs (lower case) and their strength, 1 (weakest, "invites") to 5 ("demands")."""
    modifiers: tuple[str, ...] = ()
    """Words around a verb that belong to it ("also", "également", "также")."""
    ordinals: str = r"(?!)"
    """Regular expression of an ordinal word (a session, a workshop): a routine yearly update."""
    numerals: str = ""
    """Characters that write numbers besides ASCII digits (Arabic-Indic, Chinese)."""
    rtl: bool = False
    """Written right to left."""
    spaced: bool = True
    """Words are separated by spaces (False for Chinese: the word diff segments it)."""
    function_words: tuple[str, ...] = ()
    """Frequent short words that tell Latin-script languages apart."""
    lower_openings: bool = False
    """Paragraphs open in lower case (Russian: "ссылаясь ...", "просит ..."), so a lower-case
    start after closing punctuation begins a new paragraph instead of continuing one."""


CODES = ("en", "fr", "es", "ru", "ar", "zh")


@cache
def table(code: str) -> Language:
    """The table of language ``code``; ``ValueError`` for a language resdiff does not know."""
    if code not in CODES:
        raise ValueError(f"unknown language {code!r}; resdiff knows {', '.join(CODES)}")
    from importlib import import_module

    return import_module(f"{__name__}.{code}").TABLE


def tables() -> tuple[Language, ...]:
    return tuple(table(c) for c in CODES)


_SCRIPTS = (("ar", "\u0600", "\u06ff"), ("ru", "\u0400", "\u04ff"), ("zh", "\u4e00", "\u9fff"))
"""The non-Latin scripts, as the first and last code point of their letters."""
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def _script_counts(sample: str) -> dict[str, int]:
    """Letters of each non-Latin script in ``sample``. A script whose letters all lie above the
    sample's highest character counts none without a pattern (compiling the Han one costs ~2 ms)."""
    top = max(sample, default="\0")
    return {code: len(_script(first, last).findall(sample)) if top >= first else 0 for code, first, last in _SCRIPTS}


@cache
def _script(first: str, last: str) -> re.Pattern[str]:
    return re.compile(f"[{first}-{last}]")


def detect(text: str) -> str:
    """The language of ``text``: the script with most letters, then, for Latin script, the
    language whose function words are most frequent. English when nothing tells."""
    sample = text[:20000]
    counts = _script_counts(sample)
    latin = len(_LATIN.findall(sample))
    best = max(counts, key=counts.get)
    if counts[best] > latin:
        return best
    words = [w.lower() for w in _WORD.findall(sample)]
    scores = {}
    for code in ("en", "fr", "es"):
        vocabulary = set(table(code).function_words)
        scores[code] = sum(1 for w in words if w in vocabulary)
    return max(("en", "fr", "es"), key=lambda c: (scores[c], c == "en"))


def recognised(text: str) -> bool:
    """False when ``text`` shows none of the six languages: a Latin-script text with (almost) none of
    the English, French or Spanish function words (German, say). Other scripts count as recognised."""
    sample = text[:20000]
    if max(_script_counts(sample).values()) > len(_LATIN.findall(sample)):
        return True
    words = [w.lower() for w in _WORD.findall(sample)]
    known = set().union(*(table(c).function_words for c in ("en", "fr", "es")))
    return not words or sum(1 for w in words if w in known) >= 0.05 * len(words)


def union(attribute: str) -> str:
    """One regular expression matching ``attribute`` (a pattern field) of any language."""
    return "|".join(f"(?:{getattr(t, attribute)})" for t in tables())
