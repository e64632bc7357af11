"""Which series a version joins: the rule, read from what the texts say.

Owns what a text says about its predecessors (the symbols its "Recalling its
resolution(s) ..." paragraphs name, and for Akoma Ntoso texts the resolutions it
links to), the rule that turns that and the titles into series, and series names.
Pure: versions in, named groups out; no git, no files. ``history.py`` makes the
versions, ``store/api.py`` files each group as a branch.

The rule (README "Version store", "Series"). Each version gets at most one
predecessor, an earlier version of the same body from an earlier session (a year
for bodies numbered by year), chosen in this order:

1. **Recall, same title**: among the stored versions it recalls (its "Recalling
   its resolution(s)" paragraphs, or its links), one with the same title (or
   where either prints none); the most recent wins. No window: the text names it.
2. **Title**: otherwise a version with the same title (letter case and spacing
   aside) from one of the three sessions before (biennial and triennial
   resolutions continue their series), the nearest first; but a **generic**
   title ("Report of the ...", "Programme budget ...", "Questions relating to
   ...", "Revised estimates ...", "Financial reports and audited financial
   statements ...") never links by title alone: two different resolutions share
   it, so it links only when the wording says so too (at least 30% of
   their paragraphs the same but for numbers and punctuation, estimated from a
   32-value sketch of each text kept in its record).
3. **Recall, drifted title**: otherwise, among the versions its "Recalling its
   resolution(s)" paragraphs name and that no version continues by rules 1-2
   (so a one-off resolution on the same subject, or one of two resolutions
   that alternate year by year, does not join), the most recent whose title
   and this one's have at least half of the longer one's content words in
   common, one of them more than a commemoration's frame ("International",
   "Year", "Day", "Decade", "anniversary", a number): "Follow-up to the
   twentieth anniversary of the International Year of the Family" and
   "Preparations for and observance of the thirtieth anniversary of the
   International Year of the Family" link, the International Years of
   Rangelands and Pastoralists and of the Woman Farmer (both 2026) do not;
   or either prints no title. Two generic titles link this way only when they
   are the same but for their numbers, or the wording agrees (rule 2's test).

Versions linked so form one series (a resolution split in two continues with
both parts). Versions of one session never link by title: they are siblings. A
``pin`` (``--series``) fixes a version's series: its own links are ignored, but
versions that recall it join it. The result is a function of the set of
versions alone, never of the order they were added in.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .errors import StoreError, SymbolError
from .model import Document, Section
from .symbols import BODY_NAMES, Body, Symbol, parse_symbol

if TYPE_CHECKING:
    from .history import Version

SERIES_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TITLE_WINDOW = 3
"""Sessions (or years) back that a title alone may link: biennial and triennial resolutions continue."""
_MAX_SERIES_NAME = 60
_TRAILING = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "by", "with"}
_RECALL = re.compile(r"Recalling\s+(?:also\s+|further\s+|moreover\s+)?(?:the\s+)?(its|[A-Z][A-Za-z ]+?)\s+resolutions?\s+(.*)", re.DOTALL)
_RECALL_OPENING = re.compile(r"(?:Recalling|Reaffirming)\b")
_RECALLED_SYMBOL = re.compile(r"\b((?:E?S-)?\d{1,4})/(\d{1,5})\b")
_GENERIC = re.compile(
    r"(?:reports? of the|(?:proposed )?programme budget|questions relating to|special subjects relating to|"
    r"revised estimates|financial reports and audited financial statements)\b")
SAME_WORDING = 0.3
"""Resemblance from which two texts under a generic title are taken as one resolution's versions."""
_SKETCH = 32
_DIGITS = re.compile(r"[\W\d_]+")
_BODY_LABELS = ("PP", "OP", "A.", "B.", "C.", "P")
_FRAME = {"international", "year", "years", "day", "week", "decade", "world", "global", "anniversary"}
"""Words that frame a commemoration's title ("International Day of ...", "... anniversary of ...") without saying what it is about."""
_STOP = {"the", "of", "and", "on", "in", "to", "for", "a", "an", "its", "by", "with", "at", "from", "as", "or", "all", "united", "nations"}


# ---------------------------------------------------------------- what a text recalls

def recalled(doc: Document, own: Symbol) -> Symbol | None:
    """The latest earlier resolution of the same body named by a "Recalling its resolution" paragraph."""
    own_names = _own_names(own)
    for p in doc.paragraphs:
        if p.section is not Section.PREAMBLE or not (m := _RECALL.match(p.text)) or m.group(1).lower() not in own_names:
            continue  # "Recalling General Assembly resolution 60/251" names another body's series
        found = _earlier(m.group(2), own)
        if found:
            return max(found, key=session_number)
    return None


def recalled_all(doc: Document, own: Symbol) -> tuple[Symbol, ...]:
    """Every earlier resolution of the same body that a "Recalling/Reaffirming its resolution(s)" paragraph names."""
    own_names = _own_names(own)
    found: dict[Symbol, None] = {}
    for p in doc.paragraphs:
        if p.section is not Section.PREAMBLE or not _RECALL_OPENING.match(p.text):
            continue
        head, word, tail = p.text.partition("resolution")
        words = set(re.findall(r"[a-z]+", head.lower()))
        if word and ("its" in words or any(name in head.lower() for name in own_names - {"its"})):
            found.update(dict.fromkeys(_earlier(tail, own)))
    return tuple(sorted(found, key=session_number))


def linked(doc: Document, own: Symbol) -> tuple[Symbol, ...]:
    """Earlier resolutions of the same body that an Akoma Ntoso text links to (``Document.meta`` "recalls")."""
    out: dict[Symbol, None] = {}
    for value in (v for k, v in doc.meta if k == "recalls"):
        for full in value.split():
            try:
                sym = parse_symbol(full)
            except SymbolError:
                continue  # "A/RES/428(V)": older symbols are not supported
            if sym.body is own.body and sym != own and session_number(sym) < session_number(own):
                out[sym] = None
    return tuple(sorted(out, key=session_number))


def _own_names(own: Symbol) -> set[str]:
    return {"its", BODY_NAMES[own.body].lower()} | ({"commission"} if own.body is Body.CHR else set())


def _earlier(text: str, own: Symbol) -> list[Symbol]:
    found = []
    for session, number in _RECALLED_SYMBOL.findall(text):
        try:
            sym = parse_symbol(f"{own.body.value}:{session}/{number}")
        except SymbolError:
            continue
        if sym != own and session_number(sym) <= session_number(own):
            found.append(sym)
    return found


def session_number(sym: Symbol) -> tuple[int, int]:
    """(session or year, number) for ordering; special sessions count as session 0."""
    session = sym.session.removeprefix("S-") if not sym.session.startswith(("S-", "ES-")) else "0"
    return (int(session) if session.isdigit() else 0, int(sym.number) if sym.number.isdigit() else 0)


# ---------------------------------------------------------------- names

def check_series_name(name: str) -> str:
    """Series names become directory and branch names: only a-z, 0-9 and inner hyphens."""
    if len(name) > _MAX_SERIES_NAME or not SERIES_NAME.fullmatch(name) or name != name.strip() or "\n" in name:
        raise StoreError(f"{name!r} is not a valid series name",
                         hint=f"use lowercase letters, digits and hyphens, e.g. --series {series_slug(name) or 'my-series'}")
    return name


def series_slug(title: str) -> str:
    """A series name from a title, cut at a word boundary."""
    words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()
    while len("-".join(words)) > _MAX_SERIES_NAME:
        words.pop()
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()  # "...-and-protection", not "...-and-protection-of"
    return "-".join(words)


def is_generic(title: str) -> bool:
    """A title that different resolutions share ("Report of the ..."): it links only through a recall."""
    return bool(_GENERIC.match(title_key(title)))


def title_key(title: str) -> str:
    return " ".join(title.lower().split())


# ---------------------------------------------------------------- the rule

def assign_series(versions: Iterable[Version]) -> dict[str, tuple[Version, ...]]:
    """Group versions into named series, each in adoption order (the rule is in the module docstring)."""
    vs = sorted(versions, key=lambda v: v.order)
    parent = {v.symbol: v.symbol for v in vs}
    for a, b in _links(vs):
        parent[_root(parent, a)] = _root(parent, b)
    groups: dict[Symbol, list[Version]] = {}
    for v in vs:
        groups.setdefault(_root(parent, v.symbol), []).append(v)
    return _named(list(groups.values()))


def _links(vs: Sequence[Version]) -> Iterable[tuple[Symbol, Symbol]]:
    present = {v.symbol: v for v in vs}
    by_title: dict[tuple[str, str], list[Version]] = {}
    for v in vs:
        if v.pin is None:
            by_title.setdefault((v.symbol.body.value, title_key(v.title)), []).append(v)
    free = [v for v in vs if v.pin is None]
    strong = {v.symbol: found for v in free if (found := continued(v, present, by_title)) is not None}
    taken = {u.symbol for u in strong.values()}
    for v in free:
        before = strong.get(v.symbol) or drifted(v, present, taken)
        if before is not None:
            yield v.symbol, before.symbol
    pinned: dict[str, Symbol] = {}
    for v in vs:
        if v.pin is not None:
            yield v.symbol, pinned.setdefault(v.pin, v.symbol)


def _recalled(v: Version, present: dict[Symbol, Version]) -> tuple[list[Version], list[Version]]:
    """(versions its "Recalling" paragraphs name, versions it only links to), of earlier sessions."""
    strong = [present[s] for s in (*v.recalled, *((v.recalls,) if v.recalls else ())) if s in present]
    weak = [present[s] for s in v.links if s in present]
    keep = [u for u in strong + weak if _session(u) != _session(v) and u.order < v.order]
    names = {u.symbol for u in strong}
    return [u for u in keep if u.symbol in names], [u for u in keep if u.symbol not in names]


def continued(v: Version, present: dict[Symbol, Version], by_title: dict[tuple[str, str], list[Version]]) -> Version | None:
    """The version ``v`` continues by rule 1 (recall, same title) or 2 (title) of the module docstring."""
    key = title_key(v.title)
    strong, weak = _recalled(v, present)
    same = [u for u in strong + weak if title_key(u.title) == key or not u.title or not key]
    if same:
        return max(same, key=lambda u: u.order)
    here, generic = _session_index(v), is_generic(v.title)
    titled = [u for u in by_title.get((v.symbol.body.value, key), ()) if key
              and u.order < v.order and 0 < here - _session_index(u) <= TITLE_WINDOW
              and (not generic or resemblance(u.fingerprint, v.fingerprint) >= SAME_WORDING)]
    if titled:
        return max(titled, key=lambda u: (_session_index(u), resemblance(u.fingerprint, v.fingerprint), u.order))
    return None


def drifted(v: Version, present: dict[Symbol, Version], taken: set[Symbol]) -> Version | None:
    """Rule 3: a recalled version with a similar title that no version continues by rules 1-2."""
    strong, _ = _recalled(v, present)
    # Two generic titles ("Questions relating to the proposed programme budget for 2021" and "Special
    # subjects relating to the proposed programme budget for 2021") are two resolutions of every session:
    # they link only when the titles are the same but for their numbers, or the wording agrees.
    generic = is_generic(v.title)
    found = [u for u in strong if u.symbol not in taken and (not u.title or not v.title or _similar(u.title, v.title))
             and not (generic and is_generic(u.title)
                      and _DIGITS.sub("#", title_key(u.title)) != _DIGITS.sub("#", title_key(v.title))
                      and resemblance(u.fingerprint, v.fingerprint) < SAME_WORDING)]
    return max(found, key=lambda u: u.order) if found else None


# ---------------------------------------------------------------- wording

def fingerprint(text: str) -> str:
    """A bottom-k sketch of a normalised text's preambular and operative paragraphs, each taken without its
    numbers and punctuation (so a yearly update of dates and symbols keeps a paragraph the same): 32 hex values."""
    paragraphs = {_DIGITS.sub(" ", line.partition("\t")[2].lower()) for line in text.splitlines() if line.startswith(_BODY_LABELS)}
    hashes = sorted({zlib.crc32(" ".join(p.split()).encode()) for p in paragraphs})[:_SKETCH]
    return "".join(f"{h:08x}" for h in hashes)


def resemblance(a: str, b: str) -> float:
    """Estimated share of paragraphs two texts have in common (0 when either sketch is missing)."""
    if not a or not b:
        return 0.0
    sa, sb = _values(a), _values(b)
    union = sorted(sa | sb)[:_SKETCH]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def _values(sketch: str) -> set[int]:
    return {int(sketch[i:i + 8], 16) for i in range(0, len(sketch), 8)}


def _similar(a: str, b: str) -> bool:
    wa, wb = _content_words(a), _content_words(b)
    shared = wa & wb
    # "International Year of Rangelands and Pastoralists, 2026" and "International Year of the Woman
    # Farmer, 2026" share only the frame: the titles must also share a word that says what it is about.
    return bool(wa and wb) and len(shared) * 2 >= max(len(wa), len(wb)) and any(w not in _FRAME and not w.isdigit() for w in shared)


def _content_words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in _STOP}


def _session(v: Version) -> tuple[str, str]:
    return (v.symbol.body.value, v.symbol.session or v.symbol.year)


def _session_index(v: Version) -> int:
    """The session (or year) as a number; special sessions count from their regular one's year of adoption."""
    s = v.symbol.session or v.symbol.year
    return int(s) if s.isdigit() else int(v.date[:4]) - 1945


def _root(parent: dict[Symbol, Symbol], s: Symbol) -> Symbol:
    while parent[s] != s:
        parent[s] = parent[parent[s]]
        s = parent[s]
    return s


def _named(groups: list[list[Version]]) -> dict[str, tuple[Version, ...]]:
    """Pinned versions keep their pin; the rest take a pin of their group or a name from the latest title."""
    out: dict[str, list[Version]] = {}
    auto: list[list[Version]] = []
    for group in groups:
        pins = sorted({v.pin for v in group if v.pin})
        if not pins:
            auto.append(group)
            continue
        for v in group:
            out.setdefault(v.pin or pins[0], []).append(v)
    for group in sorted(auto, key=lambda g: (g[0].order, g[0].symbol)):
        base = series_slug(group[-1].title) or f"series-{group[-1].symbol.slug}"
        name, n = base, 1
        while name in out:
            n += 1
            name = f"{base}-{n}"
        out[name] = group
    return {name: tuple(sorted(g, key=lambda v: v.order)) for name, g in sorted(out.items())}
