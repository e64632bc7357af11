"""Command-line arguments -> texts: the rule for "is this a path or a symbol?".

The rule, documented in README: **an existing path wins**; an argument ending in a
document extension (.txt, .docx, .pdf, ...) is a path even when missing (so the
error says "no such file"); anything else must be
a resolution symbol, which is looked up among the bundled texts in ``data/``.
This module reads files (through ``readers``) but never parses or compares.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from .bundled import bundled_bytes, bundled_meta, bundled_source, bundled_symbols
from . import lang as languages
from .errors import FetchError, InputError, SymbolError
from .model import Document
from .parse import parse
from .readers import read_bytes, read_limited, read_path
from .symbols import Symbol, parse_symbol
from .visible import visible

_DOCUMENT_SUFFIXES = {".txt", ".text", ".docx", ".doc", ".pdf", ".html", ".htm", ".rtf", ".wpd"}


STDIN = "-"
"""The argument that means: read this version from standard input."""


@dataclass(frozen=True)
class Input:
    """One side of a comparison, read and ready to parse."""

    name: str
    """What to call it in reports: the path as typed, or the short symbol."""
    source: str
    """Where the text came from: the path, or ``data/<file>`` for bundled texts."""
    text: str
    """The decoded text."""
    slug: str
    """A file-name-safe form of ``name`` for default output names."""
    warnings: tuple[str, ...] = ()
    """Reading warnings (e.g. the encoding was guessed)."""
    symbol: Symbol | None = None
    """The symbol when the argument was one."""
    stage: str | None = None
    """The stage of the negotiation when the argument named a stored draft."""
    document: Document | None = None
    """The structure read from markup (Akoma Ntoso); None when the text is to be parsed."""
    meta: tuple[tuple[str, str], ...] = ()
    """What is known about the text from elsewhere (store record, ``data/bundled.json``):
    symbol, body, date, meeting, title. Fills what the text itself does not print."""


def load(inp: Input, *, lang: str | None = None) -> Document:
    """The document of one side: the markup's structure, or the text parsed; then the
    recorded metadata fills what the text does not print (never what it does).
    ``lang`` overrides the detected language."""
    if lang is not None and lang not in languages.CODES:
        raise InputError(f"--lang {lang}: not a language resdiff knows",
                         hint=f"give one of the six official languages: {', '.join(languages.CODES)}")
    doc = inp.document if inp.document is not None else parse(inp.text, source=inp.source, lang=lang)
    if inp.stage is not None:
        # A draft is no resolution yet: the symbol it names (in a notice, a recall) is not its own; the date is its stage's.
        doc = replace(doc, symbol=dict(inp.meta).get("document"), date=dict(inp.meta).get("date"), stage=inp.stage)
    fill = {k: v for k, v in inp.meta if k in _FILLABLE and not getattr(doc, k)}
    return replace(doc, source=inp.source, **fill, **({"lang": lang} if lang else {}))


def check_comparable(old: Document, new: Document) -> None:
    """Refuse two languages of one resolution: that is a translation, not a revision."""
    if old.symbol and old.symbol == new.symbol and old.lang != new.lang:
        names = {code: languages.table(code).name for code in (old.lang, new.lang)}
        raise InputError(
            f"both texts are resolution {old.symbol}, in {names[old.lang]} and in {names[new.lang]}: "
            "a translation, not a revision",
            hint="compare two versions in the same language (resdiff OLD NEW --lang CODE reads both as one language)",
        )


_FILLABLE = ("symbol", "body", "date", "meeting", "title")


def resolve(arg: str, *, store: str | None = None, offline: bool = False, lang: str | None = None) -> Input:
    """Read a path if it exists, else look the argument up as a symbol: in the version
    store, then among the bundled texts, then (unless ``offline``) download it into the store.
    A symbol with ``lang`` (other than English) is its text in that language: the stored
    language variant, else downloaded in that language."""
    if arg == STDIN:
        read = read_bytes(read_limited(sys.stdin.buffer, "<stdin>"), name="<stdin>")
        return Input("<stdin>", "<stdin>", read.text, "stdin", read.warnings, document=_markup(read))
    path = Path(arg)
    if path.exists() or path.suffix.lower() in _DOCUMENT_SUFFIXES:
        read = read_path(path)
        shown = visible(arg)  # a file name need not be UTF-8 or free of control characters
        return Input(shown, shown, read.text, _slug(path.stem), read.warnings, document=_markup(read))
    if names_draft(arg):
        return _draft(arg, store)
    symbol = parse_symbol(arg)
    lang = lang or "en"
    found = _stored(symbol, store, lang) or (_bundled(symbol) if lang == "en" else None)
    if found is not None:
        return found
    if offline:
        raise SymbolError(
            f"{symbol.short}: {symbol.full} is not in the version store or bundled ({_available(store)}), and --offline forbids downloading it",
            hint=f"drop --offline to download it from the UN, or add the file yourself: resdiff add FILE --symbol {symbol.short}",
        )
    try:
        download(symbol, store=store, lang=lang)
    except FetchError as exc:
        raise FetchError(f"{symbol.short}: not in the version store ({_available(store)}), and downloading it failed: {exc.message}",
                         hint=_download_hint(symbol, exc)) from None
    stored = _stored(symbol, store, lang)
    assert stored is not None, "a text just added to the store must be found there"
    return stored


@dataclass(frozen=True)
class Downloaded:
    """What ``download`` did: where the bytes came from and what the store made of them."""

    symbol: Symbol
    url: str
    size: int
    sha256: str
    outcome: str
    """"added", "unchanged" or "replaced" (see ``store.Added``)."""
    series: str
    lang: str = "en"
    """The language the text reads as (and was filed as)."""


def download(symbol: Symbol, *, store: str | None = None, replace: bool = False, lang: str = "en") -> Downloaded:
    """Fetch ``symbol`` (in ``lang``) from the UN and file it in the version store with its provenance;
    a text in another language is filed as a language variant of the stored English version."""
    from .fetch import fetch
    from .store import Received, Store

    got = fetch(symbol, lang=lang)
    with Store.open(store) as opened:
        added = opened.add([Received(got.data, got.url, symbol=symbol.key, received=got.received)], replace_texts=replace)[0]
    return Downloaded(symbol, got.url, len(got.data), got.sha256, added.outcome, added.series, added.lang)


def _available(store: str | None) -> str:
    """"available: 2003/73, ..." — what can be compared without the network."""
    from .store import open_existing

    found = set(bundled_symbols())
    opened = open_existing(store)
    if opened is not None:
        with opened:
            found |= {v.symbol for versions in opened.series().values() for v in versions}
    return "available: " + (", ".join(s.short for s in sorted(found)) or "none")


def _download_hint(symbol: Symbol, exc: Exception) -> str:
    if "unreachable" in str(exc):
        return f"connect to the internet and run the command again, or add the file yourself: resdiff add FILE --symbol {symbol.short}"
    return getattr(exc, "hint", "") or f"add the file yourself: resdiff add FILE --symbol {symbol.short}"


def predecessor(arg: str, *, store: str | None = None) -> str:
    """For ``resdiff SYMBOL``: the symbol stored just before ``arg`` in its series."""
    from .store import open_existing

    if names_draft(arg):
        return _stage_before(arg, store)
    symbol = parse_symbol(arg)
    opened = open_existing(store)
    if opened is None and symbol in bundled_symbols():
        # A fresh machine: the store is created with the bundled texts, so 2003/73 finds 2002/82.
        from .store import Store

        opened = Store.open(store)
    if opened is None:
        raise SymbolError(f"{symbol.short}: there is no version store yet, so no earlier version to compare with",
                          hint="add versions first (resdiff add FILE...), or give both: resdiff OLD NEW")
    with opened:
        before = opened.predecessor(symbol)
    if before is None:
        raise SymbolError(f"{symbol.short} is the first version of its series in the store",
                          hint="add an earlier version (resdiff add FILE), or give both: resdiff OLD NEW")
    return before.key


def names_draft(arg: str) -> bool:
    """``SERIES@STAGE``, ``SYMBOL@STAGE`` or an L symbol: an argument naming a stored draft."""
    if "@" in arg:
        return True
    if "/L." not in arg.upper():
        return False  # the common case, decided without loading the drafts module
    from .drafts import is_l_symbol

    return is_l_symbol(arg)


def _draft_store(spec: str, store: str | None):
    """The store a draft argument is looked up in; a ``SymbolError`` when there is none yet."""
    from .store import open_existing

    opened = open_existing(store)
    if opened is None:
        raise SymbolError(f"{spec}: names a draft, and there is no version store yet",
                          hint="add drafts first: resdiff add FILE --draft-of SERIES --stage NAME")
    return opened


def _stage_before(spec: str, store: str | None) -> str:
    """For ``resdiff SERIES@STAGE``: the stored text before that draft (see ``Store.stage_before``)."""
    with _draft_store(spec, store) as opened:
        before = opened.stage_before(spec)
    if before is None:
        raise SymbolError(f"{spec}: no stored text comes before this draft",
                          hint="give both: resdiff OLD NEW")
    return before


def _stored(symbol: Symbol, store: str | None, lang: str = "en") -> Input | None:
    """The text of ``symbol`` (in ``lang``) in the version store; None when there is no store or the
    symbol is not stored; a ``StoreError`` when it is stored, but not in ``lang``."""
    from .store import open_existing

    opened = open_existing(store)
    if opened is None:
        return None
    with opened:
        found = opened.lookup(symbol, lang)
    if found is None:
        return None
    read, source, version = found
    title = version.title if lang == "en" else version.variant(lang).title
    meta = {"symbol": version.symbol.short, "body": version.body, "date": version.date,
            "meeting": version.meeting, "title": title}
    name = symbol.short if lang == "en" else f"{symbol.short} ({lang})"
    slug = symbol.slug if lang == "en" else f"{symbol.slug}-{lang}"
    return Input(name, source, read.text, slug, symbol=symbol, document=_markup(read),
                 meta=tuple((k, v) for k, v in meta.items() if v))


def _draft(spec: str, store: str | None) -> Input:
    """A stored draft: ``SERIES@stage``, ``SYMBOL@stage`` or an L-document symbol."""
    with _draft_store(spec, store) as opened:
        found = opened.find_draft(spec)
        assert found is not None, "a spec with @ or an L symbol always names a draft"
        series, draft = found
        read = read_bytes(opened.draft_bytes(draft), name=draft.source.name)
    name = " ".join(spec.split()) if "@" in spec else draft.document or spec  # as the user wrote it
    meta = {"date": draft.date, "title": draft.title, "document": draft.document}
    return Input(name, f"store:{series}@{draft.stage}", read.text, _slug(f"{series[:24]}-{draft.stage}"), read.warnings,
                 document=_markup(read), meta=tuple((k, v) for k, v in meta.items() if v), stage=draft.stage)


def _bundled(symbol: Symbol) -> Input | None:
    data = bundled_bytes(symbol)
    if data is None:
        return None
    meta = bundled_meta(symbol)
    if "symbol" in meta:
        meta["symbol"] = parse_symbol(meta["symbol"]).short
    return Input(symbol.short, bundled_source(symbol), data.decode("utf-8"), symbol.slug, symbol=symbol,
                 meta=tuple(meta.items()))


def _markup(read) -> Document | None:
    """The structure a reader took from markup (Akoma Ntoso), when it did."""
    return getattr(read, "document", None)


def _slug(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "text"


def default_name(arg: str) -> str:
    """File-safe form of an argument for default output names: ``2003/73`` -> ``2003-73``."""
    if arg == STDIN:
        return "stdin"
    path = Path(arg)
    if path.exists() or path.suffix.lower() in _DOCUMENT_SUFFIXES:
        return _slug(path.stem)
    return _slug(arg.replace("/", "-").replace(":", "-"))
