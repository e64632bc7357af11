"""The version store: adopted texts kept in a git repository, and the API to them.

Owns: where the store is (``--store``, ``$RESDIFF_STORE``, the user data directory),
creating and seeding it, ``Store`` (add, recover, series, find, lookup, predecessor,
history, ...), how an add files a batch of texts (merge them, replace, assign
to series), the layout below, its refs, and when the store is locked. Does not own
what a received text becomes and how it merges with the stored versions, tag names
or the JSON record of a version: that is ``records.py`` (no git). Does not own git:
objects, commits, refs, notes, the journal and the lock itself are ``repository.py``
(the only ``import git``).

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

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

from .bundled import bundled_bytes, bundled_meta, bundled_source, bundled_symbols
from .errors import StoreError, SymbolError
from .history import SeriesHistory, Source, Version, assign_series, build_history, document_of
from .model import Document
from .readers import ReadText, read_bytes
from .records import FORMAT, Received, merge, prepare, record_bytes, tag_name, version_from_record
from .records import record_of  # noqa: F401  (re-exported: part of this module's API before records.py)
from .repository import HINT_DAMAGED, LOCK_TIMEOUT, MAIN, NOTES, Repository, init_repository, store_format
from .repository import file_lock as _file_lock  # under this name too: the lock tests take it from here
from .symbols import Symbol, parse_symbol

ENV = "RESDIFF_STORE"
_SERIES, _BACKUP, _SUPERSEDED = "refs/heads/series/", "refs/resdiff/backup/", "refs/resdiff/superseded/"
_LOCK = "resdiff.lock"
_LOCK_TIMEOUT = LOCK_TIMEOUT
"""Seconds a command waits for another resdiff; read at each lock, so tests can shorten it."""


@dataclass(frozen=True)
class Added:
    """What ``Store.add`` did with one received text."""

    symbol: Symbol
    outcome: str
    """"added", "unchanged" or "replaced"."""
    series: str
    warnings: tuple[str, ...] = ()


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


class Store:
    """An open store. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, repository: Repository) -> None:
        self.path = path
        self._git = repository
        self._held: str | None = None
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
        """Every series with its versions in adoption order."""
        with self._lock(exclusive=False):
            return {name: self._versions(name, tip) for name, tip in sorted(self._series_tips().items())}

    def find(self, symbol: Symbol) -> tuple[str, Version] | None:
        """The series and stored version of ``symbol``; None when not stored."""
        for name, versions in self.series().items():
            for v in versions:
                if v.symbol == symbol:
                    return name, v
        return None

    def require(self, symbol: Symbol) -> tuple[str, Version]:
        """Like ``find``, but a missing symbol is a ``SymbolError`` with a hint."""
        found = self.find(symbol)
        if found is None:
            raise SymbolError(f"{symbol.short}: {symbol.full} is not in the store {self.path}",
                              hint="add its text first: resdiff add FILE (resdiff log lists what is stored)")
        return found

    def lookup(self, symbol: Symbol) -> tuple[ReadText, str, Version] | None:
        """(the stored source read again, "store:chr:2003/73", its version record) or None when not stored."""
        found = self.find(symbol)
        if found is None:
            return None
        version = found[1]
        read = read_bytes(self.source_bytes(version), name=version.source.name)
        return read, f"store:{symbol.key}", version

    def document(self, symbol: Symbol) -> Document:
        """The stored version of ``symbol`` as a parsed document (exactly as stored)."""
        return document_of(self.require(symbol)[1])

    def predecessor(self, symbol: Symbol) -> Symbol | None:
        """The version before ``symbol`` in its series; None for the first. ``SymbolError`` if not stored."""
        name, version = self.require(symbol)
        versions = self.series()[name]
        at = versions.index(version)
        return versions[at - 1].symbol if at else None

    def resolve_series(self, arg: str) -> str:
        """A series name from a name, a unique name prefix, or a symbol stored in it."""
        names = list(self.series())
        if arg in names:
            return arg
        starts = [n for n in names if n.startswith(arg.lower())]
        if len(starts) == 1:
            return starts[0]
        try:
            found = self.find(parse_symbol(arg))
        except SymbolError:
            found = None
        if found is not None:
            return found[0]
        listed = ", ".join(names) or "none yet"
        raise StoreError(f"{arg!r}: no such series in {self.path}" + (" (several names start so)" if starts else ""),
                         hint=f"give a series name or a stored symbol; series: {listed}")

    def history(self, name: str) -> SeriesHistory:
        """The named series (see ``resolve_series``) parsed, compared version by version and traced."""
        series = self.series()
        name = name if name in series else self.resolve_series(name)
        return build_history(name, series[name])

    def source_bytes(self, version: Version, source: Source | None = None) -> bytes:
        """The bytes a version (or one of its superseded texts) was received as."""
        src = source or version.source
        return self._git.read(self._git.source_blob(src.sha256))

    def commit_of(self, symbol: Symbol) -> str:
        """Hex id of the commit of a stored version (its tag)."""
        return self._git.resolve(f"refs/tags/{tag_name(symbol)}")

    def received(self, version: Version) -> dict[str, str]:
        """When and from where the source bytes arrived (from the notes); empty when unknown."""
        with self._lock(exclusive=False):
            return self._git.note(self._git.source_blob(version.source.sha256))

    # ------------------------------------------------------------ adding

    def add(self, items: Sequence[Received], *, replace_texts: bool = False) -> list[Added]:
        """File versions into the store; one rebuild for the whole batch, all or nothing."""
        incoming = [prepare(item) for item in items]  # parse before locking: PDFs can be slow
        with self._lock(exclusive=True):
            self.recover()
            self._git.check_worktree()
            tips = self._series_tips()
            before = {name: self._versions(name, tip) for name, tip in tips.items()}
            self._check_main(tips, before)
            state = {v.symbol: v for vs in before.values() for v in vs}
            outcomes, superseded, received = [], {}, {}
            for item in incoming:
                outcome = merge(state, item.version, replace_texts=replace_texts, given=item.name)
                if outcome != "unchanged":
                    self._git.write_source(item.data)
                    received[item.version.source.sha256] = (item.name, item.received)
                    superseded.update(_superseded_ref(before, tips, state[item.version.symbol], outcome))
                outcomes.append((item.version.symbol, outcome, item.warnings))
            after = assign_series(state.values())
            if received:
                self._commit(tips, after, received, superseded)
        series_of = {v.symbol: name for name, vs in after.items() for v in vs}
        return [Added(sym, outcome, series_of[sym], warnings) for sym, outcome, warnings in outcomes]

    def _commit(self, tips: dict[str, str], after: dict[str, tuple[Version, ...]],
                received: dict[str, tuple[str, str | None]], superseded: dict[str, str]) -> None:
        """Write every object of the new state, then hand the ref moves to ``_apply``."""
        current = self._git.refs("refs/")
        wanted: dict[str, str | None] = dict(superseded)
        new_tips: dict[str, str] = {}
        for name, versions in after.items():
            new_tips[name], commits = self._git.write_series(name, versions, record_bytes)
            wanted.update({f"refs/tags/{tag_name(v.symbol)}": c for v, c in zip(versions, commits)})
        wanted.update({_SERIES + name: new_tips.get(name) for name in set(tips) | set(new_tips)})
        wanted[MAIN] = self._git.write_main(new_tips, after)
        wanted[NOTES] = self._git.write_notes(received) or current.get(NOTES)
        updates = {ref: value for ref, value in wanted.items() if current.get(ref) != value}
        # Every tip that moves or goes stays reachable from a backup ref until the new ones are in place.
        backups = {_BACKUP + name: tip for name, tip in tips.items() if new_tips.get(name) != tip}
        self._git.move_refs(updates, backups)

    def _check_main(self, tips: dict[str, str], before: dict[str, tuple[Version, ...]]) -> None:
        """``main`` is derived from the series; a commit made on it by hand would be lost by the next add."""
        expected = self._git.write_main(tips, before)
        if self._git.refs(MAIN).get(MAIN) != expected:
            raise StoreError(f"{self.path}: main was changed outside resdiff; resdiff changed nothing",
                             hint=f"keep your commits on a branch of your own (git -C {self.path} branch mine), "
                                  f"then put main back: git -C {self.path} reset --hard {expected}")

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
        return {ref.removeprefix(_SERIES): sha for ref, sha in self._git.refs(_SERIES).items()}

    def _versions(self, name: str, tip: str) -> tuple[Version, ...]:
        records = self._git.records(tip, name)
        texts = self._git.texts(tip, name)
        versions = sorted((version_from_record(r) for r in records), key=lambda v: v.order)
        if [v.symbol.full for v in versions] != [symbol for symbol, _ in texts]:
            raise StoreError(f"{self.path}: series {name}: its history does not match its version records",
                             hint=HINT_DAMAGED.format(path=self.path))
        return tuple(replace(v, text=text) for v, (_, text) in zip(versions, texts))


# ---------------------------------------------------------------- refs kept for replaced texts

def _superseded_ref(before: dict[str, tuple[Version, ...]], tips: dict[str, str], version: Version, outcome: str) -> dict[str, str]:
    """Keep the history that held a replaced text under ``refs/resdiff/superseded/``."""
    if outcome != "replaced":
        return {}
    old = version.superseded[-1]
    for name, versions in before.items():
        if any(v.symbol == version.symbol for v in versions):
            return {f"{_SUPERSEDED}{tag_name(version.symbol)}/{old.sha256[:12]}": tips[name]}
    return {}  # replaced within the same batch: its bytes stay in the tree, there was no history yet


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
    except OSError:
        return False  # another process created the store first (or the path filled up): the check that follows decides
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
