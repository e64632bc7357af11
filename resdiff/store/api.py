"""The version store: adopted texts kept in a git repository, and the API to them.

Owns: where the store is (``--store``, ``$RESDIFF_STORE``, the user data directory),
creating and seeding it, ``Store`` and its reading side (series, find, lookup,
predecessor, history, a series' drafts, ...), the layout below, and when the store is
locked. ``Store`` mixes in how an add files a batch of texts (``filing.py``) and how
drafts are filed and named (``drafting.py``). Does not own what a received text
becomes and how it merges with the stored versions, tag names or the JSON record of a
version: that is ``records.py`` (no git). Does not own git: objects, commits, refs,
notes, the journal and the lock itself are ``plumbing.py`` (the only ``import git``), the
commits of a series ``repository.py``.

Layout (see README "Version store"). Each series is a branch ``series/<name>``
whose commits are its versions in adoption order; every commit's tree holds

    .gitattributes                  sources are binary: no text diff, no CRLF games
    <name>/resolution.txt           that version's text, one ``LABEL<TAB>text`` line per paragraph
    <name>/sources/<slug>.<ext>     the bytes of every version so far, as received
    <name>/versions/<slug>.json     what was read from each text (symbol, dates, title, sha256)

so ``git log -p --word-diff`` and ``git blame`` follow ``resolution.txt`` paragraph
by paragraph. ``main`` (checked out) is the tip of the only series, or a merge of
all series tips. Tags ``chr/2003/73`` name versions. The time a text was received
is a git note (``refs/notes/resdiff``) on its source blob: it is the one thing that
differs between machines, so it stays out of the commits, which are a function of
the series' versions alone (see ``repository.py``).

Safety: one ``flock`` per store; an add writes its objects first and moves its refs
last, behind a journal, so a killed add is rolled forward by the next command; the
previous tips stay under ``refs/resdiff/backup/`` until the new ones are in place.
Paths are built only from validated symbol slugs and series names.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import platformdirs

from ..bundled import bundled_bytes, bundled_meta, bundled_source, bundled_symbols
from ..corpus import series_stats
from ..drafts import OPEN_ROUND, Draft
from ..errors import ResdiffError, StoreError, SymbolError
from ..history import (
    ChangeStats,
    SeriesHistory,
    Source,
    Version,
    build_history,
    document_of,
    language_names,
)
from ..model import Document
from ..negotiation import Round, negotiation
from ..readers import ReadText, read_bytes
from ..symbols import Symbol, parse_symbol
from .catalogue import Catalogue
from .catalogue import load as load_catalogue
from .drafting import Drafting
from .filing import SKIPPED, Added, Filed, Filing  # noqa: F401 - the package's names
from .records import (
    FORMAT,
    Received,
    tag_name,
    version_from_record,
    versions_from_records,
)
from .plumbing import DRAFT_REFS, HINT_DAMAGED, LOCK_TIMEOUT, SERIES_REFS, init_repository, store_format
from .plumbing import file_lock as _file_lock  # under this name too: the lock tests take it from here
from .repository import Repository

ENV = "RESDIFF_STORE"
_LOCK = "resdiff.lock"
_STATS = "resdiff-stats.json"
_LOCK_TIMEOUT = LOCK_TIMEOUT
"""Seconds a command waits for another resdiff; read at each lock, so tests can shorten it."""


def store_path(given: str | os.PathLike[str] | None = None) -> Path:
    """``--store`` if given, else ``$RESDIFF_STORE``, else the per-user data directory; always absolute
    (git is run with the work tree as its directory, where a relative path would mean something else)."""
    if given:
        return Path(given).expanduser().absolute()
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser().absolute()
    return (Path(platformdirs.user_data_dir("resdiff")) / "store").absolute()


def open_existing(path: str | os.PathLike[str] | None = None) -> Store | None:
    """The store at ``store_path(path)`` if one exists there; None, and nothing created, otherwise.

    For ``resdiff compare``: looking a symbol up must not create a store as a side effect.
    """
    return None if _is_vacant(store_path(path)) else Store.open(path, create=False)


class Store(Filing, Drafting):
    """An open store. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, repository: Repository) -> None:
        self.path = path
        self._git = repository
        self._held: str | None = None
        self._read: dict[tuple[str, str], tuple[Version, ...]] = {}
        self.created = False
        """True when this ``open`` created (and seeded) the store."""

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True, seed: bool = True) -> Store:
        """Open the store at ``store_path(path)``, creating and seeding it on first use."""
        where = store_path(path)
        created = False
        if _is_vacant(where):
            if not create:
                raise StoreError(f"{where}: no version store here", hint="add a text first: resdiff add FILE")
            created = _create(where, seed=seed)
        _check_is_store(where)
        store = cls(where, Repository.open(where))
        store.created = created
        store.recover()
        return store

    def close(self) -> None:
        self._git.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ reading

    def series(self) -> dict[str, tuple[Version, ...]]:
        """Every series with its versions (texts included) in adoption order. Reads every series: see ``catalogue``."""
        with self._lock(exclusive=False):
            return {name: self._versions(name, tip) for name, tip in sorted(self._series_tips().items())}

    def catalogue(self) -> dict[str, tuple[Version, ...]]:
        """Every series with its versions in adoption order, from the index: texts are left empty."""
        cat = self._catalogue()
        return {name: versions_from_records(cat.records[name]) for name in sorted(cat.records)}

    def versions(self, name: str) -> tuple[Version, ...]:
        """One series' versions with their texts, in adoption order."""
        with self._lock(exclusive=False):
            tips = self._series_tips()
            if name not in tips:
                raise StoreError(f"{name!r}: no such series in {self.path}", hint="resdiff log lists the series")
            return self._versions(name, tips[name])

    def find(self, symbol: Symbol) -> tuple[str, Version] | None:
        """The series and stored version of ``symbol``; None when not stored. Reads that version's own
        commit (its tag); the whole series only when that commit does not agree with the index."""
        with self._lock(exclusive=False):
            cat = self._catalogue()
            name = cat.where.get(symbol.key)
            if name is None:
                return None
            if (name, cat.tips[name]) not in self._read and (one := self._version_of(name, symbol)) is not None:
                return name, one
            return name, next(v for v in self._versions(name, cat.tips[name]) if v.symbol == symbol)

    def _version_of(self, name: str, symbol: Symbol) -> Version | None:
        """One version read from its tagged commit, or None
        when that commit is not plainly it (the caller then reads and checks the whole series, which reports any damage)."""
        commit = self._git.ref(f"refs/tags/{tag_name(symbol)}")
        if commit is None:
            return None
        try:
            trailer, record, text, translated = self._git.version_at(commit, name, symbol.slug)
            v = version_from_record(record)
        except (ResdiffError, ValueError, KeyError, TypeError):
            return None
        if v.symbol != symbol or trailer != symbol.full or {x.lang for x in v.variants} - set(translated):
            return None
        return replace(v, text=text, variants=tuple(replace(x, text=translated[x.lang]) for x in v.variants))

    def require(self, symbol: Symbol) -> tuple[str, Version]:
        """Like ``find``, but a missing symbol is a ``SymbolError`` with a hint."""
        found = self.find(symbol)
        if found is None:
            raise SymbolError(f"{symbol.short}: {symbol.full} is not in the store {self.path}",
                              hint="add its text first: resdiff add FILE (resdiff log lists what is stored)")
        return found

    def lookup(self, symbol: Symbol, lang: str = "en") -> tuple[ReadText, str, Version] | None:
        """(the stored source read again, "store:chr:2003/73", its version record) or None when not stored;
        with ``lang``, its text in that language ("store:ga:78/198:es"), a ``StoreError`` when that one is not stored."""
        found = self.find(symbol)
        if found is None:
            return None
        version = found[1]
        if lang == "en":
            return read_bytes(self.source_bytes(version), name=version.source.name), f"store:{symbol.key}", version
        variant = version.variant(lang)
        if variant is None:
            raise StoreError(f"{symbol.short} is stored in {language_names(version.languages)}, but not in {language_names([lang])}",
                             hint=f"add its text in that language: resdiff add FILE, or resdiff fetch {symbol.short} --lang {lang}")
        read = read_bytes(self.source_bytes(version, variant.source), name=variant.source.name)
        return read, f"store:{symbol.key}:{lang}", version

    def document(self, symbol: Symbol) -> Document:
        """The stored version of ``symbol`` as a parsed document (exactly as stored)."""
        return document_of(self.require(symbol)[1])

    def predecessor(self, symbol: Symbol) -> Symbol | None:
        """The version before ``symbol`` in its series; None for the first. ``SymbolError`` if not stored."""
        name, _ = self.require(symbol)
        symbols = [v.symbol for v in self.catalogue_of(name)]
        at = symbols.index(symbol)
        return symbols[at - 1] if at else None

    def catalogue_of(self, name: str) -> tuple[Version, ...]:
        """One series' versions in adoption order, texts empty (reads that series' records only)."""
        with self._lock(exclusive=False):
            tip = self._catalogue().tips.get(name)
            return versions_from_records(self._git.records(tip, name)) if tip else ()

    def resolve_series(self, arg: str) -> str:
        """A series name from a name, a unique name prefix, or a symbol stored in it."""
        cat = self._catalogue()
        names = cat.names
        if arg in cat.tips:
            return arg
        starts = [n for n in names if n.startswith(arg.lower())]
        if len(starts) == 1:
            return starts[0]
        try:
            found = cat.where.get(parse_symbol(arg).key)
        except SymbolError:
            found = None
        if found is not None:
            return found
        listed = ", ".join(names[:20]) + (f" ... ({len(names)} in all)" if len(names) > 20 else "") if names else "none yet"
        raise StoreError(f"{arg!r}: no such series in {self.path}" + (" (several names start so)" if starts else ""),
                         hint=f"give a series name or a stored symbol; series: {listed}")

    def history(self, name: str) -> SeriesHistory:
        """The named series (see ``resolve_series``) parsed, compared version by version and traced."""
        name = self.resolve_series(name)
        return build_history(name, self.versions(name))

    def rounds(self, history: SeriesHistory) -> tuple[Round, ...]:
        """The drafting rounds of a series (``history``): each stage compared with the one before it."""
        return negotiation(history, self.drafts(history.name))

    def source_bytes(self, version: Version, source: Source | None = None) -> bytes:
        """The bytes a version (or one of its superseded texts) was received as."""
        src = source or version.source
        return self._git.read(self._git.source_blob(src.sha256))

    def commit_of(self, symbol: Symbol) -> str:
        """Hex id of the commit of a stored version (its tag)."""
        return self._git.resolve(f"refs/tags/{tag_name(symbol)}")

    def received(self, version: Version, source: Source | None = None) -> dict[str, str]:
        """When and from where the source bytes (or ``source``'s) arrived (from the notes); empty when unknown."""
        with self._lock(exclusive=False):
            return self._git.note(self._git.source_blob((source or version.source).sha256))

    def all_stats(self, *, workers: int = 1) -> tuple[dict[str, tuple[Version, ...]], dict[str, tuple[ChangeStats, ...]]]:
        """Every series (texts included) and the change statistics of each of its steps.

        Steps already compared are read from ``.git/resdiff-stats.json`` (derived data,
        keyed by the two texts); the others are compared in ``workers`` processes.
        """
        series = self.series()
        path = self._git.git_dir / _STATS
        try:
            cache = json.loads(path.read_text(encoding="utf-8"))
            cache = cache if isinstance(cache, dict) else {}
        except (OSError, ValueError):
            cache = {}
        known = len(cache)
        stats = series_stats(series, cache, workers=workers)
        if len(cache) != known:
            tmp = path.with_name(f".{_STATS}.{os.getpid()}")
            try:
                tmp.write_text(json.dumps(cache, separators=(",", ":"), sort_keys=True), encoding="utf-8")
                os.replace(tmp, path)
            except OSError:
                tmp.unlink(missing_ok=True)  # only a cache: the next command compares again
        return series, stats

    def _catalogue(self) -> Catalogue:
        with self._lock(exclusive=False):
            cat = load_catalogue(self._git.git_dir, self._series_tips(), self._git.series_records)
            self._git.known_sources(cat.blobs)
            return cat

    def _drafts(self, name: str, tips: Mapping[str, str] | None = None) -> list[Draft]:
        """A series' drafts: those of closed rounds are in its tip, the open round's on ``drafts/<name>/next``."""
        tips = tips if tips is not None else self._series_tips()
        if name not in tips:
            return []
        open_round = self._git.ref(f"{DRAFT_REFS}{name}/{OPEN_ROUND}")
        return self._git.drafts(open_round or tips[name], name)

    # ------------------------------------------------------------ locking and recovery

    def recover(self) -> None:
        """Complete an add that was interrupted after its journal was written."""
        if not self._git.interrupted() and not self._held:
            return
        with self._lock(exclusive=True):
            self._git.roll_forward()

    @contextmanager
    def _lock(self, *, exclusive: bool) -> Iterator[None]:
        """Re-entrant: a method holding the lock may call others that take it."""
        if self._held == "ex" or (self._held == "sh" and not exclusive):
            yield
            return
        assert self._held is None, "a shared lock is never upgraded: take the exclusive one first"
        with _file_lock(self._git.git_dir / _LOCK, exclusive=exclusive, timeout=_LOCK_TIMEOUT):
            self._held = "ex" if exclusive else "sh"
            try:
                yield
            finally:
                self._held = None

    # ------------------------------------------------------------ reading series

    def _series_tips(self) -> dict[str, str]:
        return {ref.removeprefix(SERIES_REFS): sha for ref, sha in self._git.refs(SERIES_REFS).items()}

    def _versions(self, name: str, tip: str) -> tuple[Version, ...]:
        """A series' versions with their texts, as its tip holds them (read once per tip: a commit id names its content)."""
        if (known := self._read.get((name, tip))) is not None:
            return known
        self._read[(name, tip)] = found = self._read_versions(name, tip)
        return found

    def _read_versions(self, name: str, tip: str) -> tuple[Version, ...]:
        records = self._git.records(tip, name)
        texts = self._git.texts(tip, name)
        versions = sorted((version_from_record(r) for r in records), key=lambda v: v.order)
        if [v.symbol.full for v in versions] != [symbol for symbol, _, _ in texts] or \
                any({x.lang for x in v.variants} - set(translated) for v, (_, _, translated) in zip(versions, texts)):
            raise StoreError(f"{self.path}: series {name}: its history does not match its version records",
                             hint=HINT_DAMAGED.format(path=self.path))
        return tuple(replace(v, text=text, variants=tuple(replace(x, text=translated[x.lang]) for x in v.variants))
                     for v, (_, text, translated) in zip(versions, texts))


# ---------------------------------------------------------------- creating

def _is_vacant(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _check_is_store(path: Path) -> None:
    if not path.is_dir():
        raise StoreError(f"{path}: is not a directory", hint="give --store a directory (it is created if missing)")
    if not (path / ".git").is_dir():
        raise StoreError(f"{path}: is not empty and is not a resdiff store; resdiff will not write there",
                         hint="give --store (or RESDIFF_STORE) a new or empty directory")
    fmt = store_format(path)
    if fmt is None:
        raise StoreError(f"{path}: is a git repository that resdiff did not create; resdiff will not write there",
                         hint="give --store (or RESDIFF_STORE) a new or empty directory; resdiff keeps versions in its own repository")
    if fmt > FORMAT:
        raise StoreError(f"{path}: store format {fmt} is newer than this resdiff understands ({FORMAT})",
                         hint="upgrade resdiff")


def _create(path: Path, *, seed: bool) -> bool:
    """Build the store beside its final place, then rename it there (atomic; a concurrent creator wins)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.resdiff-new-", dir=path.parent))
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the store ({exc.strerror})", hint="check the path and its permissions") from None
    try:
        init_repository(tmp, FORMAT)
        if seed:
            with Store(tmp, Repository(tmp)) as store:
                store.add(_bundled())
        os.rename(tmp, path)
        return True
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StoreError(f"{path}: cannot create the store ({exc.strerror}); nothing was left behind",
                             hint="free some space, or give --store a directory on another disk") from None
        return False  # another process created the store first: the check that follows decides
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _bundled() -> list[Received]:
    """The real texts that ship with resdiff (the illustrative draft is not one of them)."""
    out = []
    for s in bundled_symbols():
        meta = bundled_meta(s)
        out.append(Received(bundled_bytes(s) or b"", bundled_source(s), symbol=meta.get("symbol"), date=meta.get("date")))
    return out
