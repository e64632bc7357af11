"""Versions as the store records them, and how a received text joins the stored ones.

Owns: ``Received`` (bytes handed to ``Store.add``) and turning it into a version
(read, parse, say when ``--symbol`` or ``--date`` contradicts the text); merging a
new version into the stored ones (added, unchanged, replaced, or refused) and what
a correction inherits from the version it replaces; the JSON record of a version
and reading one back; tag names; the store format number.

Does not own: what a version is or which series it joins (``history.py``), git
objects, commits and refs (``repository.py``), or the store's refs, lock and
layout on disk (``store.py``). Everything here is pure: no git, no files, no lock.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import asdict, dataclass, replace
from hashlib import sha256
from pathlib import Path

from .errors import StoreError, SymbolError
from .history import SAFE_PATH, Source, Version, version_from
from .model import Document
from .parse import parse
from .readers import read_bytes
from .symbols import Symbol, parse_symbol

FORMAT = 1
"""Version of the store layout, kept in the repository's config as ``resdiff.format``."""


@dataclass(frozen=True)
class Received:
    """Bytes handed to ``Store.add``, with what the user said about them."""

    data: bytes
    name: str
    """The path or URL as given (only its last part is committed)."""
    symbol: str | None = None
    date: str | None = None
    title: str | None = None
    series: str | None = None
    received: str | None = None
    """ISO 8601 UTC time the bytes arrived (a download's); None: the time of the add."""


# ---------------------------------------------------------------- preparing and merging versions

@dataclass(frozen=True)
class Incoming:
    """A received text read and parsed into a version, ready to merge."""

    version: Version
    data: bytes
    name: str
    warnings: tuple[str, ...]
    received: str | None = None


def prepare(item: Received) -> Incoming:
    # Only the file's own name is committed: a directory differs from machine to machine.
    name = item.name if "://" in item.name else Path(item.name).name
    read = read_bytes(item.data, name=item.name)
    doc = read.document if read.document is not None else parse(read.text, source=item.name)
    source = Source(name=name, sha256=sha256(item.data).hexdigest(), kind=read.kind, path=f"sources/?.{read.kind}")
    version = version_from(doc, source=source, symbol=item.symbol, date=item.date, title=item.title, pin=item.series)
    version = replace(version, source=replace(source, path=f"sources/{version.symbol.slug}.{read.kind}"))
    return Incoming(version, item.data, item.name, read.warnings + doc.warnings + _overridden(doc, version, item), item.received)


def _overridden(doc: Document, version: Version, item: Received) -> tuple[str, ...]:
    """Say so when --symbol or --date contradicts what the text itself prints."""
    said = []
    if item.symbol and doc.symbol and doc.symbol != version.symbol.short:
        said.append(f"{item.name}: the text prints resolution {doc.symbol}, but it is stored as {version.symbol.short} (--symbol)")
    if item.date and doc.date and doc.date != version.date:
        said.append(f"{item.name}: the text prints the date {doc.date}, but it is stored as {version.date} (--date)")
    return tuple(said)


def merge(state: dict[Symbol, Version], new: Version, *, replace_texts: bool, given: str) -> str:
    """Put ``new`` into ``state``; "added", "unchanged" or "replaced" (a difference without ``replace_texts`` is an error)."""
    old = state.get(new.symbol)
    if old is None:
        state[new.symbol] = new
        return "added"
    new = _inherit(old, new)
    differs = [f for f in ("text", "date", "title", "meeting", "adoption", "pin") if getattr(old, f) != getattr(new, f)]
    if not differs:
        return "unchanged"
    if not replace_texts:
        what = "text" if "text" in differs else ", ".join("series" if f == "pin" else f for f in differs)
        raise StoreError(
            f"{new.symbol.short} is already stored with a different {what} (from {old.source.name}, sha256 {old.source.sha256[:12]})",
            hint=f"to record this as a correction, add it again with --replace; to see what differs: resdiff {new.symbol.key} {shlex.quote(given)}",
        )
    moved = replace(old.source, path=f"sources/superseded/{old.symbol.slug}.{old.source.sha256[:12]}.{old.source.kind}")
    state[new.symbol] = replace(new, superseded=old.superseded + (moved,))
    return "replaced"


def _inherit(old: Version, new: Version) -> Version:
    """What was given with ``--series`` or ``--title`` before holds until it is given again."""
    if new.pin is None and old.pin is not None:
        new = replace(new, pin=old.pin)
    if "title" in old.given and "title" not in new.given:
        new = replace(new, title=old.title, given=new.given + ("title",))
    return new


# ---------------------------------------------------------------- records and names

_SAFE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def tag_name(symbol: Symbol) -> str:
    """The tag of a version: ``chr/2003/73``, ``hrc/S-1/1``, ``sc/2000/1325``."""
    parts = [symbol.body.value, symbol.session or symbol.year, symbol.number]
    parts = [p for p in parts if p]
    if not all(_SAFE_PART.fullmatch(p) for p in parts):
        raise SymbolError(f"{symbol.short}: cannot be used as a tag name", hint="check the symbol")
    return "/".join(parts)


def record_of(v: Version) -> dict[str, object]:
    """The JSON record of a version (its text lives in ``resolution.txt``)."""
    return {
        "format": FORMAT, "symbol": v.symbol.full, "key": v.symbol.key, "date": v.date, "title": v.title,
        "body": v.body, "meeting": v.meeting, "adoption": v.adoption,
        "recalls": v.recalls.key if v.recalls else None, "series": v.pin,
        "source": asdict(v.source), "superseded": [asdict(s) for s in v.superseded], "given": list(v.given),
    }


def version_from_record(r: dict) -> Version:
    """A version from its record, text still empty; a malformed record is damage."""
    try:
        sources = [Source(**r["source"])] + [Source(**s) for s in r["superseded"]]
        if not all(SAFE_PATH.fullmatch(s.path) for s in sources):
            raise ValueError("unsafe source path")
        return Version(
            symbol=parse_symbol(r["key"]), date=r["date"], title=r["title"], text="", source=sources[0],
            body=r["body"], meeting=r["meeting"], adoption=r["adoption"],
            recalls=parse_symbol(r["recalls"]) if r["recalls"] else None, pin=r["series"],
            superseded=tuple(sources[1:]), given=tuple(r["given"]),
        )
    except (KeyError, TypeError, ValueError, SymbolError) as exc:
        raise StoreError(f"a version record in the store is malformed ({exc})", hint="it was edited outside resdiff; restore it with git") from None


def record_bytes(v: Version) -> bytes:
    """The bytes of ``versions/<slug>.json``: sorted keys, UTF-8, so the same version is the same blob."""
    return (json.dumps(record_of(v), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
