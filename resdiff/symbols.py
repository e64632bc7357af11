"""Resolution symbols: parsing the forms users type into one canonical ``Symbol``.

Owns the rules for short forms (``2003/73``), body prefixes (``chr:2003/73``) and
full symbols (``E/CN.4/RES/2003/73``), and the ambiguity between them. It does not
know where texts live (see ``library`` and ``store``) or how to download them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .errors import SymbolError

#: Last Human Rights Council session held when this table was written (late 2026).
#: Short forms ``S/N`` with 31 <= S <= this number are ambiguous between GA and HRC.
HRC_LAST_KNOWN_SESSION = 63
#: The Commission on Human Rights held its last session in 2006.
CHR_LAST_YEAR = 2006

_EXAMPLES = "2003/73, chr:2003/73, E/CN.4/RES/2003/73, hrc:35/2, ga:58/123, sc:1325"


class Body(StrEnum):
    """The organ that adopted a resolution; the value is the prefix users type."""

    CHR = "chr"
    HRC = "hrc"
    GA = "ga"
    SC = "sc"
    ECOSOC = "ecosoc"


BODY_NAMES = {
    Body.CHR: "Commission on Human Rights",
    Body.HRC: "Human Rights Council",
    Body.GA: "General Assembly",
    Body.SC: "Security Council",
    Body.ECOSOC: "Economic and Social Council",
}


@dataclass(frozen=True, order=True)
class Symbol:
    """One resolution, named independently of how the user spelled it."""

    body: Body
    """The adopting organ."""
    session: str
    """Year (CHR, ECOSOC), session ("7", "S-1") (HRC, GA); empty for the SC."""
    number: str
    """Resolution number within the session or year."""
    year: str = ""
    """Year of adoption for SC resolutions ("2000"); empty when not part of the symbol."""
    part: str = ""
    """A lettered part of a resolution adopted in parts ("A", "B"), or the parts one text holds ("A-B"); empty otherwise."""

    @property
    def short(self) -> str:
        """The short form printed in resolutions: ``2003/73``, ``7/12``, ``1325 (2000)``."""
        if self.body is Body.SC:
            return f"{self.number} ({self.year})" if self.year else self.number
        return f"{self.session}/{self.number} {self.part}" if self.part else f"{self.session}/{self.number}"

    @property
    def full(self) -> str:
        """The document symbol: ``E/CN.4/RES/2003/73``."""
        prefix = {
            Body.CHR: "E/CN.4/RES/",
            Body.HRC: "A/HRC/RES/",
            Body.GA: "A/RES/",
            Body.ECOSOC: "E/RES/",
            Body.SC: "S/RES/",
        }[self.body]
        return prefix + self.short

    @property
    def key(self) -> str:
        """Prefixed, unambiguous form: ``chr:2003/73``."""
        return f"{self.body.value}:{self.short}"

    @property
    def slug(self) -> str:
        """File- and tag-safe form: ``chr-2003-73``."""
        raw = f"{self.body.value}-{self.session}-{self.number}" if self.session else f"{self.body.value}-{self.number}"
        if self.part:
            raw += f"-{self.part}"
        if self.body is Body.SC and self.year:
            raw += f"-{self.year}"
        return re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")

    def __str__(self) -> str:
        return self.short


_NUM = r"(\d{1,5})(?:\s*([A-Z](?:-[A-Z])?))?"
_SESSION = r"(E?S-\d{1,3}|\d{1,4})"
_FULL_PATTERNS: tuple[tuple[re.Pattern[str], Body], ...] = (
    (re.compile(rf"E/CN\.4/RES/(\d{{4}})/{_NUM}"), Body.CHR),
    (re.compile(rf"A/HRC/RES/{_SESSION}/{_NUM}"), Body.HRC),
    (re.compile(rf"A/RES/((?:E?S-)?\d{{1,3}})/{_NUM}"), Body.GA),
    (re.compile(rf"E/RES/(\d{{4}})/{_NUM}"), Body.ECOSOC),
)
_SC = re.compile(r"(?:S/RES/)?(\d{1,5})\s*(?:\((\d{4})\))?")
_SHORT = re.compile(rf"{_SESSION}/{_NUM}")


def parse_symbol(text: str) -> Symbol:
    """Read a symbol in any accepted form; raise ``SymbolError`` with a hint otherwise."""
    raw = text.strip()
    prefix, sep, rest = raw.partition(":")
    if sep and prefix.lower() in Body._value2member_map_:
        return _with_body(Body(prefix.lower()), rest.strip(), raw)
    upper = raw.upper()
    for pattern, body in _FULL_PATTERNS:
        if m := pattern.fullmatch(upper):
            return _make(body, m.group(1), m.group(2), m.group(3))
    if upper.startswith("S/RES/") and (m := _SC.fullmatch(upper)):
        return Symbol(Body.SC, "", str(int(m.group(1))), m.group(2) or "")
    if m := _SHORT.fullmatch(upper):
        return _make(_guess_body(m.group(1), raw), m.group(1), m.group(2), m.group(3))
    if re.fullmatch(r"\d{1,5}\s*\(\d{4}\)", upper):
        m = _SC.fullmatch(upper)
        assert m is not None
        return Symbol(Body.SC, "", str(int(m.group(1))), m.group(2))
    raise SymbolError(
        f"{raw!r} is not a resolution symbol or an existing file",
        hint=f"give a file path, or a symbol such as {_EXAMPLES}",
    )


def _with_body(body: Body, rest: str, raw: str) -> Symbol:
    upper = rest.upper()
    if body is Body.SC:
        if m := _SC.fullmatch(upper):
            return Symbol(Body.SC, "", str(int(m.group(1))), m.group(2) or "")
    else:
        for pattern, pbody in _FULL_PATTERNS:
            if pbody is body and (m := pattern.fullmatch(upper)):
                return _make(body, m.group(1), m.group(2), m.group(3))
        if m := _SHORT.fullmatch(upper):
            return _make(body, m.group(1), m.group(2), m.group(3))
    raise SymbolError(
        f"{raw!r} is not a valid {BODY_NAMES[body]} symbol",
        hint=f"examples: {_EXAMPLES}",
    )


def _make(body: Body, session: str, number: str, part: str | None = None) -> Symbol:
    session = session.upper()
    if body in (Body.CHR, Body.ECOSOC) and not re.fullmatch(r"(19[4-9]\d|20\d\d)", session):
        raise SymbolError(
            f"{session}/{number}: {BODY_NAMES[body]} symbols start with a four-digit year",
            hint="write the year in full, e.g. 2003/73",
        )
    if body is Body.CHR and int(session) > CHR_LAST_YEAR:
        raise SymbolError(
            f"{session}/{number}: the Commission on Human Rights adopted no resolutions after {CHR_LAST_YEAR}",
            hint=f"for the Economic and Social Council write ecosoc:{session}/{number}",
        )
    if session.startswith("ES-") and body is not Body.GA:
        raise SymbolError(f"{session}/{number}: emergency special sessions (ES-n) are the General Assembly's",
                          hint=f"write ga:{session}/{number}")
    if session.startswith("S-") and body not in (Body.HRC, Body.GA):
        raise SymbolError(
            f"{session}/{number}: special sessions are numbered S-n only for the Human Rights Council and the General Assembly",
            hint=f"write hrc:{session}/{number} or ga:{session}/{number}",
        )
    if part and body is not Body.GA:
        raise SymbolError(f"{session}/{number} {part}: only General Assembly resolutions are adopted in lettered parts",
                          hint=f"write ga:{session}/{number} {part}, or drop the letter")
    return Symbol(body, session, str(int(number)), part=part or "")


def _guess_body(session: str, raw: str) -> Body:
    """The rule for unprefixed short forms, as documented in README."""
    if session.startswith("ES-"):
        return Body.GA
    if session.startswith("S-"):
        return Body.HRC
    value = int(session)
    if value >= 1946:
        return Body.CHR if value <= CHR_LAST_YEAR else Body.ECOSOC
    if value <= 30:
        return Body.HRC
    if value <= HRC_LAST_KNOWN_SESSION:
        raise SymbolError(
            f"{raw!r} is ambiguous: General Assembly and Human Rights Council sessions both reach {value}",
            hint=f"say which body: ga:{raw} or hrc:{raw}",
        )
    return Body.GA
