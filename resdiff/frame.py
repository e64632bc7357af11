"""The frame of a resolution: what stands before its preamble and after its operative part.

Owns recognising the title and the heading lines that name the resolution ("... resolution
2003/73", "58/123. Title"), the chapeau ("The Commission on Human Rights,") and the organ it
names, the footer (meeting, date, adoption note), and the metadata a document takes from
them (title, symbol, body, ISO date, meeting, adoption). The patterns of each language come
from ``lang``. Does not own blocks, paragraph roles or numbering: ``parse.py``, the only
caller, decides where the frame ends.
"""

from __future__ import annotations

import re
from datetime import date

from . import lang as languages
from .model import Paragraph, Section


def _plain_groups(pattern: str) -> str:
    """A pattern with its named groups made plain, so that several languages' patterns can be joined."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# The chapeau ("The Commission on Human Rights,", "L'Assemblée générale,", "大会,"): one pattern per language.
_CHAPEAUS = tuple((t, re.compile(t.chapeau)) for t in languages.tables())
_HEADING = re.compile(
    r"(?:.*\b(?:resolution|decision)\s+(?:\d{1,4}|E?S-\d+)/\d+\b.*"
    r"|Resolution adopted by the .+|(?:\d{1,4}|E?S-\d+)/\d+\.?\s.+"
    r"|.*\bdraft resolution\b.*|Illustrative draft\b.*"
    rf"|{_plain_groups(languages.union('heading'))})",
    re.IGNORECASE,
)
_HEADING_SYMBOL = re.compile(
    r"\b(?:resolution|decision)\s+((?:\d{1,4}|S-\d+)/\d+)|\b(?:E/CN\.4|A/HRC|A|E)/RES/((?:\d{1,4}|S-\d+)/\d+)\b",
    re.IGNORECASE,
)
# The General Assembly and Human Rights Council print "58/123. Title" after their masthead.
# (Arabic texts print no dot: "77/142 مسألة كاليدونيا الجديدة".)
NUMBERED_TITLE = re.compile(r"((?:\d{1,4}|E?S-\d+)/\d+)\.?\s+(\D.*)")
MEETING = re.compile(_plain_groups(languages.union("meeting")), re.IGNORECASE)
_DATES = tuple((t, re.compile(t.date, re.IGNORECASE)) for t in languages.tables())
DATE = re.compile(_plain_groups(languages.union("date")), re.IGNORECASE)
_ADOPTION = re.compile(r"\[?\s*(?:Adopted|Rejected|Not adopted)\b|\[?See chap")
# Lines that name the resolution before its chapeau, as printed on a line of their own.
HEADING_LINE = re.compile(
    r"(?:(?:Commission on Human Rights|Human Rights Council|General Assembly|Economic and Social Council"
    r"|Security Council)\s+(?:resolution|decision)\s+\S+|Resolution adopted by the .+"
    rf"|{_plain_groups(languages.union('heading'))})"
)


def is_chapeau(text: str) -> bool:
    return _chapeau_organ(text) is not None and len(text.split()) <= 10


def _chapeau_organ(text: str) -> str | None:
    """The organ a chapeau names, in English ("General Assembly" for "L'Assemblée générale,"); None if none."""
    for language, pattern in _CHAPEAUS:
        if m := pattern.fullmatch(text):
            organ = m.groupdict().get("organ") or m.groupdict().get("organ2")
            if organ in language.organs:
                return languages.table("en").organs[language.organs.index(organ)]
            return organ
    return None


def heading_part(texts: list[str]) -> list[Paragraph]:
    """The TITLE and the heading lines before the chapeau, in reading order.

    A numbered title ("58/123. Title", General Assembly and Council style) is the
    TITLE and everything else is heading (masthead, "Resolution adopted by ...").
    Otherwise (Commission style) lines naming the resolution are headings and the
    rest, joined, is the title.
    """
    numbered = next((i for i, t in enumerate(texts) if NUMBERED_TITLE.fullmatch(t)), None)
    is_title = [i == numbered if numbered is not None else not _HEADING.fullmatch(t) for i, t in enumerate(texts)]
    title = " ".join(t for t, titled in zip(texts, is_title) if titled)
    out: list[Paragraph] = []
    for t, titled in zip(texts, is_title):
        if not titled:
            n = sum(p.section is Section.HEADING for p in out)
            out.append(Paragraph("HEADING" if n == 0 else f"HEADING{n + 1}", Section.HEADING, t))
        elif not any(p.section is Section.TITLE for p in out):
            out.append(Paragraph("TITLE", Section.TITLE, title))
    return out


def is_footer(text: str) -> bool:
    return bool(MEETING.fullmatch(text) or DATE.fullmatch(text) or _ADOPTION.match(text))


def footer(texts: list[str]) -> list[Paragraph]:
    """Meeting, date and adoption note (``texts``: the blocks after the operative part, a bracketed note as one)."""
    labels: dict[str, int] = {}
    out = []
    for text in texts:
        kind = "MEETING" if MEETING.fullmatch(text) else "DATE" if DATE.fullmatch(text) else "ADOPTION" if _ADOPTION.match(text) else "NOTE"
        labels[kind] = labels.get(kind, 0) + 1
        out.append(Paragraph(kind if labels[kind] == 1 else f"{kind}{labels[kind]}", Section.FOOTER, text))
    return out


def metadata(paragraphs: tuple[Paragraph, ...]) -> dict[str, str | None]:
    by_label = {p.label: p.text for p in paragraphs}
    heading = " ".join(p.text for p in paragraphs if p.section is Section.HEADING)
    title = by_label.get("TITLE", "")
    numbered = NUMBERED_TITLE.fullmatch(title)
    symbol = numbered.group(1) if numbered else None
    if symbol is None and (m := _HEADING_SYMBOL.search(heading)):
        symbol = m.group(1) or m.group(2)
    chapeau = by_label.get("CHAPEAU")
    body = _chapeau_organ(chapeau) if chapeau else None
    return {
        "title": numbered.group(2) if numbered else title,
        "symbol": symbol,
        "body": body,
        "date": _iso_date(by_label.get("DATE")),
        "meeting": by_label.get("MEETING"),
        "adoption": by_label.get("ADOPTION"),
    }


def _iso_date(text: str | None) -> str | None:
    """A date line in any language as ``YYYY-MM-DD``; None when it is not one or not a real date."""
    for language, pattern in _DATES if text else ():
        if not (m := pattern.fullmatch(text)):
            continue
        month = m.group("month").casefold()
        months = [name.casefold() for name in language.months]
        if month not in months:
            continue
        try:
            return date(int(m.group("year")), months.index(month) + 1, int(m.group("day"))).isoformat()
        except ValueError:
            return None
    return None
