"""The version store: adopted texts kept in a git repository. The only ``import git``.

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
differs between machines, so it stays out of the commits.

Determinism: a series' commits are a function of its versions alone. Author and
committer are the adopting body (``Commission on Human Rights <chr@resdiff.invalid>``),
both dates the adoption date at 12:00:00 +0000 (1970-01-01 for earlier adoptions,
which git cannot date; the ``Adopted:`` trailer keeps the true date), modes 100644.

Safety: one ``flock`` per store; objects are written first and refs moved last,
after a journal names the new refs, so a killed add is rolled forward by the next
command; the previous tips stay under ``refs/resdiff/backup/`` until the new ones
are in place. Paths are built only from validated symbol slugs and series names.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import shutil
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from hashlib import sha1, sha256
from importlib import resources
from pathlib import Path

import git
import platformdirs
from gitdb import IStream

from .errors import StoreError, SymbolError
from .history import SeriesHistory, Source, Version, assign_series, build_history, document_of, version_from
from .model import Document
from .parse import parse
from .readers import read_bytes
from .symbols import BODY_NAMES, Symbol, parse_symbol

FORMAT = 1
"""Version of the store layout, kept in the repository's config as ``resdiff.format``."""
ENV = "RESDIFF_STORE"
_SERIES, _MAIN, _NOTES = "refs/heads/series/", "refs/heads/main", "refs/notes/resdiff"
_BACKUP, _SUPERSEDED = "refs/resdiff/backup/", "refs/resdiff/superseded/"
_JOURNAL, _LOCK = "resdiff-journal.json", "resdiff.lock"
_HINT_DAMAGED = "run git -C {path} fsck to see what is missing; resdiff changed nothing"


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


@dataclass(frozen=True)
class Added:
    """What ``Store.add`` did with one received text."""

    symbol: Symbol
    outcome: str
    """"added", "unchanged" or "replaced"."""
    series: str
    warnings: tuple[str, ...] = ()


def store_path(given: str | os.PathLike[str] | None = None) -> Path:
    """``--store`` if given, else ``$RESDIFF_STORE``, else the per-user data directory."""
    if given:
        return Path(given).expanduser()
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    return Path(platformdirs.user_data_dir("resdiff")) / "store"


def open_existing(path: str | os.PathLike[str] | None = None) -> Store | None:
    """The store at ``store_path(path)`` if one exists there; None, and nothing created, otherwise.

    For ``resdiff compare``: looking a symbol up must not create a store as a side effect.
    """
    return None if _is_vacant(store_path(path)) else Store.open(path, create=False)


class Store:
    """An open store. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, repo: git.Repo) -> None:
        self.path = path
        self.repo = repo
        self._git = _Git(repo, path)
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
        try:
            store = cls(where, git.Repo(where))
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise StoreError(f"{where}: the store's git repository cannot be opened", hint=_HINT_DAMAGED.format(path=where)) from None
        store.created = created
        store.recover()
        return store

    def close(self) -> None:
        self.repo.close()

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
                              hint=f"add its text first: resdiff add FILE (resdiff log lists what is stored)")
        return found

    def lookup(self, symbol: Symbol) -> tuple[str, str] | None:
        """(decoded text of the stored source, "store:chr:2003/73") or None when not stored."""
        found = self.find(symbol)
        if found is None:
            return None
        version = found[1]
        read = read_bytes(self.source_bytes(version), name=version.source.name)
        return read.text, f"store:{symbol.key}"

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
        incoming = [_prepare(item) for item in items]  # parse before locking: PDFs can be slow
        with self._lock(exclusive=True):
            self.recover()
            self._git.check_worktree()
            tips = self._series_tips()
            before = {name: self._versions(name, tip) for name, tip in tips.items()}
            self._check_main(tips, before)
            state = {v.symbol: v for vs in before.values() for v in vs}
            outcomes, superseded, received = [], {}, {}
            for item in incoming:
                outcome = _merge(state, item.version, replace_texts=replace_texts)
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
            new_tips[name], commits = self._git.write_series(name, versions)
            wanted.update({f"refs/tags/{tag_name(v.symbol)}": c for v, c in zip(versions, commits)})
        wanted.update({_SERIES + name: new_tips.get(name) for name in set(tips) | set(new_tips)})
        wanted[_MAIN] = self._git.write_main(new_tips, after)
        wanted[_NOTES] = self._git.write_notes(received) or current.get(_NOTES)
        updates = {ref: value for ref, value in wanted.items() if current.get(ref) != value}
        # Every tip that moves or goes stays reachable from a backup ref until the new ones are in place.
        backups = {_BACKUP + name: tip for name, tip in tips.items() if new_tips.get(name) != tip}
        self._apply({"updates": updates, "backups": backups})

    def _check_main(self, tips: dict[str, str], before: dict[str, tuple[Version, ...]]) -> None:
        """``main`` is derived from the series; a commit made on it by hand would be lost by the next add."""
        expected = self._git.write_main(tips, before)
        if self._git.refs(_MAIN).get(_MAIN) != expected:
            raise StoreError(f"{self.path}: main was changed outside resdiff; resdiff changed nothing",
                             hint=f"keep your commits on a branch of your own (git -C {self.path} branch mine), "
                                  f"then put main back: git -C {self.path} reset --hard {expected}")

    # ------------------------------------------------------------ refs, journal and recovery

    def _apply(self, journal: dict[str, dict[str, str | None]]) -> None:
        """Move refs last: journal, backups, the new refs, the work tree, then clean up."""
        self._git.pause("before-journal")
        _write_json_atomic(self._git_dir / _JOURNAL, journal)
        self._git.pause("before-refs")
        self._git.update_refs(journal["backups"])
        self._finish(journal)

    def _finish(self, journal: dict[str, dict[str, str | None]]) -> None:
        self._git.update_refs(journal["updates"])
        self._git.pause("before-worktree")
        self._git.checkout()
        self._git.update_refs(dict.fromkeys(journal["backups"]))
        (self._git_dir / _JOURNAL).unlink()

    def recover(self) -> None:
        """Complete an add that was interrupted after its journal was written."""
        journal_path = self._git_dir / _JOURNAL
        if not journal_path.exists() and not self._held:
            return
        with self._lock(exclusive=True):
            for stale in self._git_dir.glob(f".{_JOURNAL}.*"):
                stale.unlink(missing_ok=True)  # a journal never put in place: no ref had moved
            if not journal_path.exists():
                return  # nothing interrupted, or another process recovered while we waited
            try:
                journal = json.loads(journal_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise StoreError(f"{journal_path}: the journal of an interrupted add is unreadable",
                                 hint=f"inspect it, then delete it and run git -C {self.path} status") from None
            self._git.remove_stale_locks()
            self._finish(journal)

    @property
    def _git_dir(self) -> Path:
        return self.path / ".git"

    @contextmanager
    def _lock(self, *, exclusive: bool) -> Iterator[None]:
        """Re-entrant: a method holding the lock may call others that take it."""
        if self._held == "ex" or (self._held == "sh" and not exclusive):
            yield
            return
        assert self._held is None, "a shared lock is never upgraded: take the exclusive one first"
        with _file_lock(self._git_dir / _LOCK, exclusive=exclusive):
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
                             hint=_HINT_DAMAGED.format(path=self.path))
        return tuple(replace(v, text=text) for v, (_, text) in zip(versions, texts))


# ---------------------------------------------------------------- preparing and merging versions

@dataclass(frozen=True)
class _Incoming:
    version: Version
    data: bytes
    name: str
    warnings: tuple[str, ...]
    received: str | None = None


def _prepare(item: Received) -> _Incoming:
    # Only the file's own name is committed: a directory differs from machine to machine.
    name = item.name if "://" in item.name else Path(item.name).name
    read = read_bytes(item.data, name=item.name)
    doc = parse(read.text, source=item.name)
    source = Source(name=name, sha256=sha256(item.data).hexdigest(), kind=read.kind, path=f"sources/?.{read.kind}")
    version = version_from(doc, source=source, symbol=item.symbol, date=item.date, title=item.title, pin=item.series)
    version = replace(version, source=replace(source, path=f"sources/{version.symbol.slug}.{read.kind}"))
    return _Incoming(version, item.data, item.name, read.warnings + doc.warnings, item.received)


def _merge(state: dict[Symbol, Version], new: Version, *, replace_texts: bool) -> str:
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
            hint=f"to record this as a correction, add it again with --replace; to see what differs: resdiff {new.symbol.key} {new.source.name}",
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
    fmt = _store_format(path)
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
        _init_repository(tmp, FORMAT)
        if seed:
            with Store(tmp, git.Repo(tmp)) as store:
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
    from .sources import bundled_symbols

    data = resources.files("resdiff.data")
    return [Received(data.joinpath(f"{s.slug}.txt").read_bytes(), f"data/{s.slug}.txt") for s in bundled_symbols()]


def _write_json_atomic(path: Path, value: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ---------------------------------------------------------------- records and names

_SAFE_PATH = re.compile(r"[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*")
_SAFE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_ATTRIBUTES = b"# Sources are kept byte for byte: no text diff, no line-ending conversion.\n*/sources/** binary\n"
_LOCK_TIMEOUT = 120.0
_PAUSE = "RESDIFF_TEST_PAUSE_AT"


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
        if not all(_SAFE_PATH.fullmatch(s.path) for s in sources):
            raise ValueError("unsafe source path")
        return Version(
            symbol=parse_symbol(r["key"]), date=r["date"], title=r["title"], text="", source=sources[0],
            body=r["body"], meeting=r["meeting"], adoption=r["adoption"],
            recalls=parse_symbol(r["recalls"]) if r["recalls"] else None, pin=r["series"],
            superseded=tuple(sources[1:]), given=tuple(r["given"]),
        )
    except (KeyError, TypeError, ValueError, SymbolError) as exc:
        raise StoreError(f"a version record in the store is malformed ({exc})", hint="it was edited outside resdiff; restore it with git") from None


def _record_bytes(v: Version) -> bytes:
    return (json.dumps(record_of(v), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _timestamp(iso: str) -> int:
    """Seconds for noon UTC of the adoption date; git cannot date commits before 1970."""
    noon = datetime.fromisoformat(iso).replace(hour=12, tzinfo=timezone.utc)
    return max(int(noon.timestamp()), 12 * 3600)


def _message(v: Version) -> str:
    subject = f"{v.symbol.short}: {v.title}" if v.title else v.symbol.short
    trailers = [("Symbol", v.symbol.full), ("Adopted", v.date), ("Meeting", v.meeting), ("Adoption", v.adoption),
                ("Source", v.source.name), ("Sha256", v.source.sha256)]
    trailers += [("Supersedes", f"sha256 {s.sha256} ({s.name})") for s in v.superseded]
    trailers += [("Given", ", ".join(v.given))] if v.given else []
    body = "\n".join(f"{k}: {' '.join(str(val).split())}" for k, val in trailers if val)
    return f"{' '.join(subject.split())}\n\n{body}\n"


# ---------------------------------------------------------------- git plumbing

class _Git:
    """Objects, refs, notes and work tree of one store, written deterministically."""

    def __init__(self, repo: git.Repo, path: Path) -> None:
        self.repo = repo
        self.path = path
        self._sources: dict[str, str] = {}  # sha256 of source bytes -> blob id
        # A GIT_DIR or GIT_WORK_TREE inherited from a hook or a shell would point git at another repository.
        repo.git.update_environment(**_pinned_environment(path))

    # objects

    def write(self, kind: bytes, data: bytes) -> str:
        raw = b"%s %d\0" % (kind, len(data)) + data
        binsha = sha1(raw).digest()
        if not self.repo.odb.has_object(binsha):
            # With its id given, gitdb copies a compressed loose object in Python;
            # without, gitpython would start one `git hash-object` per object.
            self.repo.odb.store(IStream(kind, len(data), io.BytesIO(zlib.compress(raw)), sha=binsha))
        return binsha.hex()

    def read(self, hexsha: str) -> bytes:
        try:
            return self.repo.odb.stream(bytes.fromhex(hexsha)).read()
        except Exception as exc:  # noqa: BLE001 - gitdb raises many kinds for a missing or corrupt object
            raise StoreError(f"{self.path}: the store is damaged: object {hexsha} cannot be read ({type(exc).__name__})",
                             hint=_HINT_DAMAGED.format(path=self.path)) from None

    def entries(self, tree: str) -> dict[str, tuple[bytes, str]]:
        data, out, i = self.read(tree), {}, 0
        while i < len(data):
            space, nul = data.index(b" ", i), data.index(b"\0", i)
            out[data[space + 1:nul].decode()] = (data[i:space], data[nul + 1:nul + 21].hex())
            i = nul + 21
        return out

    def at(self, tree: str, path: str) -> str:
        for part in path.split("/"):
            entry = self.entries(tree).get(part)
            if entry is None:
                raise StoreError(f"{self.path}: the store is damaged: {path} is missing", hint=_HINT_DAMAGED.format(path=self.path))
            tree = entry[1]
        return tree

    def tree(self, files: dict[str, str]) -> str:
        """Write nested trees for {path: blob id}; git's order sorts a directory as "name/"."""
        here: dict[str, str] = {}
        below: dict[str, dict[str, str]] = {}
        for path, blob in files.items():
            head, _, rest = path.partition("/")
            if rest:
                below.setdefault(head, {})[rest] = blob
            else:
                here[head] = blob
        rows = [(name.encode(), b"100644", blob) for name, blob in here.items()]
        rows += [(name.encode() + b"/", b"40000", self.tree(sub)) for name, sub in below.items()]
        rows.sort()
        return self.write(b"tree", b"".join(b"%s %s\0" % (mode, name.rstrip(b"/")) + bytes.fromhex(h) for name, mode, h in rows))

    def commit(self, tree: str, parents: Sequence[str], who: str, when: int, message: str) -> str:
        lines = [f"tree {tree}"] + [f"parent {p}" for p in parents]
        lines += [f"author {who} {when} +0000", f"committer {who} {when} +0000", "", message]
        return self.write(b"commit", "\n".join(lines).encode())

    def parse_commit(self, hexsha: str) -> tuple[str, list[str], str]:
        head, _, message = self.read(hexsha).decode().partition("\n\n")
        fields = [line.split(" ", 1) for line in head.splitlines()]
        return next(v for k, v in fields if k == "tree"), [v for k, v in fields if k == "parent"], message

    # series

    def write_source(self, data: bytes) -> str:
        blob = self.write(b"blob", data)
        self._sources[sha256(data).hexdigest()] = blob
        return blob

    def source_blob(self, digest: str) -> str:
        if digest not in self._sources:
            raise StoreError(f"{self.path}: no source with sha256 {digest[:12]} in the store", hint=_HINT_DAMAGED.format(path=self.path))
        return self._sources[digest]

    def write_series(self, name: str, versions: Sequence[Version]) -> tuple[str, list[str]]:
        """The commits of one series, oldest first; returns (tip, commits)."""
        attributes = self.write(b"blob", _ATTRIBUTES)
        files: dict[str, str] = {}
        parent: list[str] = []
        commits = []
        for v in versions:
            for s in (v.source, *v.superseded):
                files[f"{name}/{s.path}"] = self.source_blob(s.sha256)
            files[f"{name}/versions/{v.symbol.slug}.json"] = self.write(b"blob", _record_bytes(v))
            files[f"{name}/resolution.txt"] = self.write(b"blob", v.text.encode())
            if not all(_SAFE_PATH.fullmatch(p) for p in files):
                raise StoreError(f"series {name}: unsafe path in the store", hint="this is a bug in resdiff; please report it")
            tree = self.tree({".gitattributes": attributes, **files})
            who = f"{BODY_NAMES[v.symbol.body]} <{v.symbol.body.value}@resdiff.invalid>"
            parent = [self.commit(tree, parent, who, _timestamp(v.date), _message(v))]
            commits.append(parent[0])
        return parent[0], commits

    def write_main(self, tips: dict[str, str], series: dict[str, tuple[Version, ...]]) -> str | None:
        """``main``: the only series' tip, or a merge of every tip so one checkout shows them all."""
        if len(tips) <= 1:
            return next(iter(tips.values()), None)
        names = sorted(tips)
        root = {".gitattributes": (b"100644", self.write(b"blob", _ATTRIBUTES))}
        for name in names:
            root[name] = (b"40000", self.entries(self.parse_commit(tips[name])[0])[name][1])
        rows = sorted((n.encode() + (b"/" if m == b"40000" else b""), m, h) for n, (m, h) in root.items())
        tree = self.write(b"tree", b"".join(b"%s %s\0" % (m, n.rstrip(b"/")) + bytes.fromhex(h) for n, m, h in rows))
        lines = [f"- {n}: {len(series[n])} versions, {series[n][0].symbol.short} to {series[n][-1].symbol.short}" for n in names]
        when = max(_timestamp(series[n][-1].date) for n in names)
        message = f"resdiff store: {len(names)} series\n\n" + "\n".join(lines) + "\n"
        return self.commit(tree, [tips[n] for n in names], "resdiff <store@resdiff.invalid>", when, message)

    def records(self, tip: str, name: str) -> list[dict]:
        series_tree = self.at(self.parse_commit(tip)[0], name)
        out = []
        for file, (_, blob) in sorted(self.entries(self.at(series_tree, "versions")).items()):
            try:
                record = json.loads(self.read(blob))
            except ValueError:
                raise StoreError(f"{self.path}: {name}/versions/{file} is not valid JSON", hint=_HINT_DAMAGED.format(path=self.path)) from None
            for s in [record.get("source") or {}] + list(record.get("superseded") or []):
                if isinstance(s, dict) and isinstance(s.get("path"), str) and "sha256" in s:
                    self._sources[s["sha256"]] = self.at(series_tree, s["path"])
            out.append(record)
        return out

    def texts(self, tip: str, name: str) -> list[tuple[str, str]]:
        """(full symbol from the Symbol trailer, resolution.txt) per commit, oldest first."""
        out = []
        commit: str | None = tip
        while commit:
            tree, parents, message = self.parse_commit(commit)
            m = re.search(r"^Symbol: (.+)$", message, re.MULTILINE)
            out.append((m.group(1) if m else "", self.read(self.at(tree, f"{name}/resolution.txt")).decode()))
            commit = parents[0] if parents else None
        return out[::-1]

    # notes

    def note(self, blob: str) -> dict[str, str]:
        tip = self.refs(_NOTES).get(_NOTES)
        if tip is None:
            return {}
        entries = self.entries(self.parse_commit(tip)[0])
        found = entries.get(blob) or (entries.get(blob[:2]) and self.entries(entries[blob[:2]][1]).get(blob[2:]))
        if not found:
            return {}
        lines = self.read(found[1]).decode().splitlines()
        return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines) if v}

    def write_notes(self, received: dict[str, tuple[str, str | None]]) -> str | None:
        """Note when and from where new source bytes arrived; None when there is nothing new."""
        tip = self.refs(_NOTES).get(_NOTES)
        entries = self.entries(self.parse_commit(tip)[0]) if tip else {}
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        new = {self._sources[d]: (name, when or now) for d, (name, when) in received.items() if self._sources[d] not in entries}
        if not new:
            return None
        for blob, (name, when) in new.items():
            entries[blob] = (b"100644", self.write(b"blob", f"Received: {when}\nFrom: {name}\n".encode()))
        rows = sorted((n.encode() + (b"/" if m == b"40000" else b""), m, h) for n, (m, h) in entries.items())
        tree = self.write(b"tree", b"".join(b"%s %s\0" % (m, n.rstrip(b"/")) + bytes.fromhex(h) for n, m, h in rows))
        message = "Received " + ", ".join(sorted(name for name, _ in new.values())) + "\n"
        return self.commit(tree, [tip] if tip else [], "resdiff <store@resdiff.invalid>", int(time.time()), message)

    # refs and work tree

    def refs(self, prefix: str) -> dict[str, str]:
        out = self.repo.git.for_each_ref("--format=%(refname) %(objectname)", prefix)
        return dict(line.split(" ", 1) for line in out.splitlines() if line)

    def resolve(self, ref: str) -> str:
        found = self.refs(ref).get(ref)
        if found is None:
            raise StoreError(f"{self.path}: {ref} is missing", hint=_HINT_DAMAGED.format(path=self.path))
        return found

    def update_refs(self, updates: dict[str, str | None]) -> None:
        """One ``git update-ref --stdin`` transaction (None deletes)."""
        if not updates:
            return
        commands = "".join(f"update {r} {v}\n" if v else f"delete {r}\n" for r, v in sorted(updates.items()))
        with tempfile.TemporaryFile() as f:
            f.write(commands.encode())
            f.seek(0)
            self._run("update_ref", "--stdin", istream=f)

    def check_worktree(self) -> None:
        if not self.refs(_MAIN):
            return
        changed = self._run("status", "--porcelain", "--untracked-files=no").splitlines()
        if changed:
            files = ", ".join(line[3:] for line in changed[:5]) + (" ..." if len(changed) > 5 else "")
            raise StoreError(f"{self.path}: files in the store were edited or deleted ({files}); resdiff changed nothing",
                             hint=f"resdiff reads only what is committed: restore them with git -C {self.path} checkout -- . "
                                  f"(or keep your edits with git -C {self.path} stash)")

    def checkout(self) -> None:
        if self.refs(_MAIN):
            self._run("reset", "--hard", "--quiet", "HEAD")

    def remove_stale_locks(self) -> None:
        """Locks left by a git process that died with the resdiff that ran it (we hold the store lock)."""
        git_dir = self.path / ".git"
        for lock in [git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / "packed-refs.lock", *git_dir.glob("refs/**/*.lock")]:
            lock.unlink(missing_ok=True)

    def _run(self, command: str, *args: str, **kwargs: object) -> str:
        try:
            return getattr(self.repo.git, command)(*args, **kwargs)
        except git.GitCommandError as exc:
            detail = " ".join(str(exc.stderr).split())[:300]
            raise StoreError(f"{self.path}: git {command.replace('_', '-')} failed: {detail}",
                             hint=_HINT_DAMAGED.format(path=self.path)) from None

    @staticmethod
    def pause(point: str) -> None:
        # Test hook: the fault tests kill a process parked here to prove an interrupted add recovers.
        if os.environ.get(_PAUSE) == point:
            Path(os.environ[_PAUSE + "_FILE"]).write_text(point)
            time.sleep(120)


@contextmanager
def _file_lock(path: Path, *, exclusive: bool, timeout: float | None = None) -> Iterator[None]:
    """``flock`` on a file in the store's .git: writers exclusive, readers shared; the kernel frees it if we die."""
    timeout = _LOCK_TIMEOUT if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"{path.parent.parent}: the store stayed locked by another resdiff for {timeout:.0f} s",
                                     hint="wait for the other resdiff command to finish, then try again") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def _store_format(path: Path) -> int | None:
    reader = git.GitConfigParser(str(path / ".git" / "config"), read_only=True)
    try:
        if not reader.has_option("resdiff", "format"):
            return None
        return int(reader.get_value("resdiff", "format"))
    except (ValueError, TypeError):
        return None
    finally:
        reader.release()


def _pinned_environment(path: Path) -> dict[str, str]:
    git_dir = path / ".git"
    return {"GIT_DIR": str(git_dir), "GIT_WORK_TREE": str(path), "GIT_INDEX_FILE": str(git_dir / "index"),
            "GIT_OBJECT_DIRECTORY": str(git_dir / "objects")}


def _init_repository(path: Path, fmt: int) -> None:
    repo = git.Repo.init(path, initial_branch="main", env=_pinned_environment(path))
    with repo.config_writer("repository") as config:
        config.set_value("resdiff", "format", fmt)
        config.set_value("core", "autocrlf", "false")
        config.set_value("user", "name", "resdiff")
        config.set_value("user", "email", "store@resdiff.invalid")
    repo.close()
