"""Versions as the store records them, and how a received text joins the stored ones.

Owns: ``Received`` (bytes handed to ``Store.add``) and turning it into a version
(read, parse, say when ``--symbol`` or ``--date`` contradicts the text); merging a
new version into the stored ones (added, unchanged, replaced, or refused) and what
a correction inherits from the version it replaces; the JSON record of a version
and reading one back; tag names; the store format number.

Does not own: what a version is or which series it joins (``history.py``), git
objects, commits and refs (``repository.py``, ``plumbing.py``), or the store's refs, lock and
layout on disk (``store/api.py``). Everything here is pure: no git, no files, no lock.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shlex
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from .. import lang as languages
from ..errors import InputError, ResdiffError, StoreError, SymbolError
from ..history import SAFE_PATH, Source, Variant, Version, variant_from, version_from
from ..metadata import Recorded, Votes
from ..model import Document
from ..parse import parse
from ..readers import read_bytes
from ..symbols import Symbol, parse_symbol

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
    """A received text read and parsed into a version (or a language variant of one), ready to merge."""

    version: Version | None
    """The version an English text is; None for a text in another language (see ``variant``)."""
    data: bytes
    name: str
    warnings: tuple[str, ...]
    received: str | None = None
    variant: tuple[Symbol, Variant] | None = None
    """For a text in another official language: the version it translates, and the variant it makes."""

    @property
    def symbol(self) -> Symbol:
        return self.version.symbol if self.version is not None else self.variant[0]


def _language(code: str) -> str:
    return languages.table(code).name if code in languages.CODES else code


def prepare(item: Received) -> Incoming:
    # Only the file's own name is committed: a directory differs from machine to machine.
    name = item.name if "://" in item.name else Path(item.name).name
    read = read_bytes(item.data, name=item.name)
    doc = read.document if read.document is not None else parse(read.text, source=item.name)
    source = Source(name=name, sha256=sha256(item.data).hexdigest(), kind=read.kind, path=f"sources/?.{read.kind}")
    if doc.lang != "en":
        if item.date or item.title or item.series:
            raise InputError(f"{item.name}: a {_language(doc.lang)} text joins the English version of its "
                             "resolution, whose date, title and series hold", hint="drop --date, --title and --series")
        symbol, variant = variant_from(doc, source=source, symbol=item.symbol)
        variant = replace(variant, source=replace(source, path=f"sources/{symbol.slug}.{doc.lang}.{read.kind}"))
        return Incoming(None, item.data, item.name, read.warnings + doc.warnings, item.received, variant=(symbol, variant))
    version = version_from(doc, source=source, symbol=item.symbol, date=item.date, title=item.title, pin=item.series)
    version = replace(version, source=replace(source, path=f"sources/{version.symbol.slug}.{read.kind}"))
    return Incoming(version, item.data, item.name, read.warnings + doc.warnings + _overridden(doc, version, item), item.received)


Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: "reading" as texts are read and parsed, "writing" before git objects are written."""
_PARALLEL_FROM = 16
"""Fewer texts than this are read in this process: starting workers costs more than it saves."""


def prepare_all(items: Sequence[Received], *, workers: int = 1, progress: Progress | None = None) -> list[Incoming | ResdiffError]:
    """Each item read and parsed (in ``workers`` processes when there are many), or the error that stopped it."""
    total = len(items)
    if workers <= 1 or total < _PARALLEL_FROM:
        out = []
        for done, item in enumerate(items, start=1):
            out.append(_prepare_or_error(item))
            if progress:
                progress("reading", done, total)
        return out
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    out = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done, (item, got) in enumerate(zip(items, pool.map(_prepare_light, items, chunksize=8)), start=1):
            out.append(replace(got, data=item.data) if isinstance(got, Incoming) else got[0](got[1], hint=got[2]))
            if progress:
                progress("reading", done, total)
    return out


def _prepare_or_error(item: Received) -> Incoming | ResdiffError:
    try:
        return prepare(item)
    except ResdiffError as exc:
        return exc
    except RecursionError:
        return InputError(f"{item.name}: nested too deeply to read", hint="check that this is a resolution")


def _prepare_light(item: Received) -> Incoming | tuple[type[ResdiffError], str, str]:
    """In a worker: the bytes are not sent back (the caller has them); an error as (class, message, hint),
    because an exception's keyword arguments do not survive pickling."""
    got = _prepare_or_error(item)
    return replace(got, data=b"") if isinstance(got, Incoming) else (type(got), got.message, got.hint)


def _overridden(doc: Document, version: Version, item: Received) -> tuple[str, ...]:
    """Say so when --symbol or --date contradicts what the text itself prints."""
    said = []
    if item.symbol and doc.symbol and doc.symbol != version.symbol.short:
        said.append(f"{item.name}: the text prints resolution {doc.symbol}, but it is stored as {version.symbol.short} (--symbol)")
    if item.date and doc.date and doc.date != version.date:
        said.append(f"{item.name}: the text prints the date {doc.date}, but it is stored as {version.date} (--date)")
    return tuple(said)


def with_recorded(version: Version, recorded: Recorded | None) -> Version:
    """The version with what a metadata file says about it (votes, sponsors, committee)."""
    if recorded is None:
        return version
    return replace(version, votes=recorded.votes, sponsors=recorded.sponsors, committee=recorded.committee,
                   originating=recorded.originating)


_RECORDED = ("votes", "sponsors", "committee", "originating")


def merge(state: dict[Symbol, Version], new: Version, *, replace_texts: bool, given: str) -> str:
    """Put ``new`` into ``state``: "added", "unchanged", "updated" (only its metadata changed)
    or "replaced" (a different text without ``replace_texts`` is an error)."""
    old = state.get(new.symbol)
    if old is None:
        state[new.symbol] = new
        return "added"
    new = _inherit(old, new)
    differs = [f for f in ("text", "date", "title", "meeting", "adoption", "pin") if getattr(old, f) != getattr(new, f)]
    if not differs:
        if all(getattr(old, f) == getattr(new, f) for f in _RECORDED):
            return "unchanged"
        state[new.symbol] = replace(old, **{f: getattr(new, f) for f in _RECORDED})
        return "updated"
    if not replace_texts:
        what = "text" if "text" in differs else ", ".join("series" if f == "pin" else f for f in differs)
        raise StoreError(
            f"{new.symbol.short} is already stored with a different {what} (from {old.source.name}, sha256 {old.source.sha256[:12]})",
            hint=f"to record this as a correction, add it again with --replace; to see what differs: resdiff {new.symbol.key} {shlex.quote(given)}",
        )
    moved = replace(old.source, path=f"sources/superseded/{old.symbol.slug}.{old.source.sha256[:12]}.{old.source.kind}")
    state[new.symbol] = replace(new, superseded=old.superseded + (moved,))
    return "replaced"


def merge_variant(state: dict[Symbol, Version], symbol: Symbol, new: Variant, *, replace_texts: bool, given: str) -> str:
    """Attach a text in another language to the stored version of ``symbol``: "added", "unchanged" or
    "replaced" (a different text in a stored language without ``replace_texts`` is an error)."""
    version = state.get(symbol)
    what = _language(new.lang)
    if version is None:
        raise StoreError(f"{given}: a {what} text of {symbol.short}, whose English text is not stored",
                         hint=f"a translation is kept with its English version: add the English text of {symbol.short} "
                              "first (or in the same command)")
    old = version.variant(new.lang)
    if old is not None and old.source.sha256 == new.source.sha256:
        return "unchanged"
    superseded = version.superseded
    if old is not None:
        if not replace_texts:
            raise StoreError(f"{symbol.short} is already stored in {what} with a different text (from {old.source.name}, "
                             f"sha256 {old.source.sha256[:12]})", hint="to record this as a correction, add it again with --replace")
        superseded += (replace(old.source, path=f"sources/superseded/{symbol.slug}.{new.lang}.{old.source.sha256[:12]}.{old.source.kind}"),)
    variants = tuple(sorted([v for v in version.variants if v.lang != new.lang] + [new], key=lambda v: v.lang))
    state[symbol] = replace(version, variants=variants, superseded=superseded)
    return "added" if old is None else "replaced"


def _inherit(old: Version, new: Version) -> Version:
    """What was given with ``--series`` or ``--title`` before holds until it is given again."""
    if new.pin is None and old.pin is not None:
        new = replace(new, pin=old.pin)
    if old.variants and not new.variants:
        new = replace(new, variants=old.variants)  # a corrected English text keeps its translations
    if "title" in old.given and "title" not in new.given:
        new = replace(new, title=old.title, given=new.given + ("title",))
    if all(not getattr(new, f) for f in _RECORDED):
        new = replace(new, **{f: getattr(old, f) for f in _RECORDED})  # added again without --meta: keep what is known
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
        "recalled": [s.key for s in v.recalled], "links": [s.key for s in v.links],
        "votes": v.votes.as_dict() if v.votes else None, "sponsors": list(v.sponsors), "committee": v.committee,
        **({"originating": v.originating} if v.originating else {}),
        "fingerprint": v.fingerprint,
        **({"variants": [{"lang": x.lang, "title": x.title, "source": asdict(x.source)} for x in v.variants]} if v.variants else {}),
    }


@lru_cache(maxsize=1 << 16)
def _symbol(key: str) -> Symbol:
    """``parse_symbol`` for the keys records hold: a store of thousands of versions names the same ones again and again."""
    return parse_symbol(key)


def version_from_record(r: dict) -> Version:
    """A version from its record, text still empty; a malformed record is damage."""
    try:
        sources = [Source(**r["source"])] + [Source(**s) for s in r["superseded"]]
        variants = tuple(Variant(lang=str(x["lang"]), title=str(x["title"]), source=Source(**x["source"])) for x in r.get("variants", ()))
        if not all(SAFE_PATH.fullmatch(s.path) for s in sources + [x.source for x in variants]) or \
                not all(re.fullmatch(r"[a-z]{2}", x.lang) for x in variants):
            raise ValueError("unsafe source path")
        return Version(
            symbol=_symbol(r["key"]), date=r["date"], title=r["title"], text="", source=sources[0],
            body=r["body"], meeting=r["meeting"], adoption=r["adoption"],
            recalls=_symbol(r["recalls"]) if r["recalls"] else None, pin=r["series"],
            superseded=tuple(sources[1:]), given=tuple(r["given"]),
            recalled=tuple(_symbol(k) for k in r.get("recalled", ())), links=tuple(_symbol(k) for k in r.get("links", ())),
            votes=Votes.from_dict(r["votes"]) if r.get("votes") else None, sponsors=tuple(r.get("sponsors", ())),
            committee=r.get("committee"), originating=r.get("originating"), fingerprint=str(r.get("fingerprint") or ""), variants=variants,
        )
    except (KeyError, TypeError, ValueError, SymbolError) as exc:
        raise StoreError(f"a version record in the store is malformed ({exc})", hint="it was edited outside resdiff; restore it with git") from None


def versions_from_records(records: Sequence[dict]) -> tuple[Version, ...]:
    """A series' versions from their records, in adoption order (texts empty)."""
    return tuple(sorted((version_from_record(r) for r in records), key=lambda v: v.order))


def record_bytes(v: Version) -> bytes:
    """The bytes of ``versions/<slug>.json``: sorted keys, UTF-8, so the same version is the same blob."""
    return (json.dumps(record_of(v), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
