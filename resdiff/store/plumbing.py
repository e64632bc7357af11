"""The version store's git repository, object by object: the plumbing. The only ``import git``.

Owns: creating and opening the repository (pinned to its own directory, whatever
``GIT_*`` variables a hook or shell hands down); blobs, trees and commits written
byte for byte (loose, or one pack per batch) and read back; source blobs by their
sha256; the notes (``refs/notes/resdiff``) of when and from where source bytes
arrived; the ref names; reading refs (once per transaction) and moving them in one
transaction behind a journal, and rolling an interrupted one forward; the work
tree; stale git locks; the store's ``flock``; the ``RESDIFF_TEST_PAUSE_AT`` hook the
fault tests park an add in.

Does not own: what a series' commits hold (``repository.py``, which builds on this),
what a version is or its JSON record (``records.py``), or when to lock (``api.py``).
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from hashlib import sha1, sha256
from pathlib import Path

import git
from gitdb import IStream

from ..errors import StoreError

MAIN, NOTES = "refs/heads/main", "refs/notes/resdiff"
SERIES_REFS, DRAFT_REFS = "refs/heads/series/", "refs/heads/drafts/"
BACKUP_REFS, SUPERSEDED_REFS = "refs/resdiff/backup/", "refs/resdiff/superseded/"
HINT_DAMAGED = "run git -C {path} fsck to see what is missing; resdiff changed nothing"
LOCK_TIMEOUT = 120.0
"""Seconds ``file_lock`` waits for another resdiff by default."""
_JOURNAL = "resdiff-journal.json"
_PAUSE = "RESDIFF_TEST_PAUSE_AT"
_PACK_FROM = 64
"""A batch of at least this many new objects is written as one pack, fewer as loose objects."""
_PACK_TYPES = {b"commit": 1, b"tree": 2, b"blob": 3, b"tag": 4}


class Plumbing:
    """Objects, refs, notes and work tree of one store's repository, written deterministically."""

    def __init__(self, path: Path) -> None:
        self.repo = git.Repo(path)
        self.path = path
        self._sources: dict[str, str] = {}  # sha256 of source bytes -> blob id
        self._pending: dict[bytes, tuple[bytes, bytes]] | None = None  # objects of a batch, written as one pack
        # Trees parsed so far, by id: a tree's id names its content, so an entry never goes stale. A series'
        # sources/ and versions/ trees are read once, not once per version (quadratic in a long series).
        self._trees: dict[str, dict[str, tuple[bytes, str]]] = {}
        self._refs: dict[str, str] | None = None  # every ref, while ``steady_refs`` holds them
        # A GIT_DIR or GIT_WORK_TREE inherited from a hook or a shell would point git at another repository.
        self.repo.git.update_environment(**_pinned_environment(path))

    @classmethod
    def open(cls, path: Path) -> Plumbing:
        """Like the constructor, but a missing or unreadable repository is a ``StoreError``."""
        try:
            return cls(path)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise StoreError(f"{path}: the store's git repository cannot be opened", hint=HINT_DAMAGED.format(path=path)) from None

    def close(self) -> None:
        self.repo.close()

    @property
    def git_dir(self) -> Path:
        return self.path / ".git"

    # objects

    def write(self, kind: bytes, data: bytes) -> str:
        raw = b"%s %d\0" % (kind, len(data)) + data
        binsha = sha1(raw).digest()
        if self._pending is not None:
            self._pending.setdefault(binsha, (kind, data))
        elif not self.repo.odb.has_object(binsha):
            # With its id given, gitdb copies a compressed loose object in Python;
            # without, gitpython would start one `git hash-object` per object.
            self.repo.odb.store(IStream(kind, len(data), io.BytesIO(zlib.compress(raw)), sha=binsha))
        return binsha.hex()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Objects written inside go to disk at the end, many of them as one pack (thousands of loose files are slow)."""
        self._pending = {}
        try:
            yield
            pending, self._pending = self._pending, None
            self._flush(pending)
        finally:
            self._pending = None

    def _flush(self, pending: dict[bytes, tuple[bytes, bytes]]) -> None:
        fresh = {k: v for k, v in pending.items() if not (self.git_dir / "objects" / k.hex()[:2] / k.hex()[2:]).exists()}
        if len(fresh) < _PACK_FROM:
            for kind, data in fresh.values():
                self.write(kind, data)
            return
        with tempfile.TemporaryFile() as f:
            _write_pack(f, fresh.values())
            f.seek(0)
            self._run("index_pack", "--stdin", istream=f)

    def read(self, hexsha: str) -> bytes:
        if self._pending is not None and (found := self._pending.get(bytes.fromhex(hexsha))) is not None:
            return found[1]
        try:
            return self.repo.odb.stream(bytes.fromhex(hexsha)).read()
        except Exception as exc:  # noqa: BLE001 - gitdb raises many kinds for a missing or corrupt object
            raise StoreError(f"{self.path}: the store is damaged: object {hexsha} cannot be read ({type(exc).__name__})",
                             hint=HINT_DAMAGED.format(path=self.path)) from None

    def entries(self, tree: str) -> dict[str, tuple[bytes, str]]:
        """{name: (mode, id)} of a tree (the caller must not change the dict: it is cached)."""
        if (known := self._trees.get(tree)) is not None:
            return known
        data, out, i = self.read(tree), {}, 0
        while i < len(data):
            space, nul = data.index(b" ", i), data.index(b"\0", i)
            out[data[space + 1:nul].decode()] = (data[i:space], data[nul + 1:nul + 21].hex())
            i = nul + 21
        self._trees[tree] = out
        return out

    def at(self, tree: str, path: str) -> str:
        for part in path.split("/"):
            entry = self.entries(tree).get(part)
            if entry is None:
                raise StoreError(f"{self.path}: the store is damaged: {path} is missing", hint=HINT_DAMAGED.format(path=self.path))
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

    def _write_entries(self, entries: dict[str, tuple[bytes, str]]) -> str:
        """Write one tree of {name: (mode, id)} as ``entries`` reads it back."""
        rows = sorted((n.encode() + (b"/" if m == b"40000" else b""), m, h) for n, (m, h) in entries.items())
        return self.write(b"tree", b"".join(b"%s %s\0" % (m, n.rstrip(b"/")) + bytes.fromhex(h) for n, m, h in rows))

    def commit(self, tree: str, parents: Sequence[str], who: str, when: int, message: str) -> str:
        lines = [f"tree {tree}"] + [f"parent {p}" for p in parents]
        lines += [f"author {who} {when} +0000", f"committer {who} {when} +0000", "", message]
        return self.write(b"commit", "\n".join(lines).encode())

    def parse_commit(self, hexsha: str) -> tuple[str, list[str], str]:
        head, _, message = self.read(hexsha).decode().partition("\n\n")
        fields = [line.split(" ", 1) for line in head.splitlines()]
        return next(v for k, v in fields if k == "tree"), [v for k, v in fields if k == "parent"], message

    # source bytes, by their sha256

    def write_source(self, data: bytes) -> str:
        blob = self.write(b"blob", data)
        self._sources[sha256(data).hexdigest()] = blob
        return blob

    def source_blob(self, digest: str) -> str:
        if digest not in self._sources:
            raise StoreError(f"{self.path}: no source with sha256 {digest[:12]} in the store", hint=HINT_DAMAGED.format(path=self.path))
        return self._sources[digest]

    def known_sources(self, blobs: dict[str, str]) -> None:
        """Source blobs known from the store's index (sha256 -> blob id)."""
        self._sources.update(blobs)

    # notes

    def note(self, blob: str) -> dict[str, str]:
        tip = self.ref(NOTES)
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
        tip = self.ref(NOTES)
        entries = dict(self.entries(self.parse_commit(tip)[0])) if tip else {}
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        new = {self._sources[d]: (name, when or now) for d, (name, when) in received.items() if self._sources[d] not in entries}
        if not new:
            return None
        for blob, (name, when) in new.items():
            entries[blob] = (b"100644", self.write(b"blob", f"Received: {when}\nFrom: {name}\n".encode()))
        tree = self._write_entries(entries)
        message = "Received " + ", ".join(sorted(name for name, _ in new.values())) + "\n"
        return self.commit(tree, [tip] if tip else [], "resdiff <store@resdiff.invalid>", int(time.time()), message)

    # refs

    def refs(self, prefix: str) -> dict[str, str]:
        """The refs named ``prefix`` or under it (``refs/tags/`` or ``refs/heads/main``), as git's for-each-ref matches them."""
        if self._refs is None:
            return self._read_refs(prefix)
        return {ref: sha for ref, sha in self._refs.items()
                if ref.startswith(prefix) and (prefix.endswith("/") or len(ref) == len(prefix) or ref[len(prefix)] == "/")}

    def ref(self, name: str) -> str | None:
        """The commit one ref names (``refs/heads/main``, ``refs/tags/chr/2003/73``); None when it does not exist."""
        return self._refs.get(name) if self._refs is not None else self._read_refs(name).get(name)

    def _read_refs(self, prefix: str) -> dict[str, str]:
        out = self.repo.git.for_each_ref("--format=%(refname) %(objectname)", prefix)
        return dict(line.split(" ", 1) for line in out.splitlines() if line)

    @contextmanager
    def steady_refs(self) -> Iterator[None]:
        """Read the refs once for a whole transaction. Only while the store's lock is held: then
        only this process moves them, through ``update_refs``, which keeps the copy in step."""
        if self._refs is not None:  # already held by the caller
            yield
            return
        self._refs = self._read_refs("refs/")
        try:
            yield
        finally:
            self._refs = None

    def resolve(self, ref: str) -> str:
        found = self.ref(ref)
        if found is None:
            raise StoreError(f"{self.path}: {ref} is missing", hint=HINT_DAMAGED.format(path=self.path))
        return found

    def update_refs(self, updates: dict[str, str | None]) -> None:
        """One ``git update-ref --stdin`` transaction (None deletes)."""
        if not updates:
            return
        commands = "".join(f"update {r} {v}\n" if v else f"delete {r}\n" for r, v in sorted(updates.items()))
        with tempfile.TemporaryFile() as f:
            f.write(commands.encode())
            f.seek(0)
            try:
                self._run("update_ref", "--stdin", istream=f)
            except StoreError:
                if self._refs is not None:  # git's transaction moved nothing; read them again all the same
                    self._refs = self._read_refs("refs/")
                raise
        if self._refs is not None:
            for ref, value in updates.items():
                if value:
                    self._refs[ref] = value
                else:
                    self._refs.pop(ref, None)

    # the journal: refs move last, all or nothing

    def move_refs(self, updates: dict[str, str | None], backups: dict[str, str]) -> None:
        """Journal, ``backups`` (refs that keep old tips reachable), ``updates``, the work tree, then clean up."""
        journal = {"updates": updates, "backups": backups}
        self.pause("before-journal")
        _write_json_atomic(self.git_dir / _JOURNAL, journal)
        self.pause("before-refs")
        # One transaction: the backups are in place whenever the updates are.
        self.update_refs(backups | updates)
        self._settle(journal)

    def interrupted(self) -> bool:
        """True when the journal of an add that did not finish is in place."""
        return (self.git_dir / _JOURNAL).exists()

    def roll_forward(self) -> None:
        """Finish the ref moves of an interrupted add, if any. The caller holds the store's lock."""
        journal_path = self.git_dir / _JOURNAL
        for stale in self.git_dir.glob(f".{_JOURNAL}.*"):
            stale.unlink(missing_ok=True)  # a journal never put in place: no ref had moved
        if not journal_path.exists():
            return  # nothing interrupted, or another process recovered while we waited
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise StoreError(f"{journal_path}: the journal of an interrupted add is unreadable",
                             hint=f"inspect it, then delete it and run git -C {self.path} status") from None
        self.remove_stale_locks()
        self.update_refs(journal["updates"])
        self._settle(journal)

    def _settle(self, journal: dict[str, dict[str, str | None]]) -> None:
        """After the refs moved: the work tree follows main, then the backups go, then the journal."""
        self.pause("before-worktree")
        self.checkout()
        self.update_refs(dict.fromkeys(journal["backups"]))
        (self.git_dir / _JOURNAL).unlink()

    # work tree and git's own locks

    def check_worktree(self) -> None:
        if self.ref(MAIN) is None:
            return
        changed = self._run("status", "--porcelain", "--untracked-files=no").splitlines()
        if changed:
            files = ", ".join(line[3:] for line in changed[:5]) + (" ..." if len(changed) > 5 else "")
            raise StoreError(f"{self.path}: files in the store were edited or deleted ({files}); resdiff changed nothing",
                             hint=f"resdiff reads only what is committed: restore them with git -C {self.path} checkout -- . "
                                  f"(or keep your edits with git -C {self.path} stash)")

    def checkout(self) -> None:
        if self.ref(MAIN) is not None:
            self._run("reset", "--hard", "--quiet", "HEAD")

    def remove_stale_locks(self) -> None:
        """Locks left by a git process that died with the resdiff that ran it (we hold the store lock)."""
        git_dir = self.git_dir
        for lock in [git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / "packed-refs.lock", *git_dir.glob("refs/**/*.lock")]:
            lock.unlink(missing_ok=True)

    def _run(self, command: str, *args: str, **kwargs: object) -> str:
        try:
            return getattr(self.repo.git, command)(*args, **kwargs)
        except git.GitCommandError as exc:
            detail = " ".join(str(exc.stderr).split())[:300]
            raise StoreError(f"{self.path}: git {command.replace('_', '-')} failed: {detail}",
                             hint=HINT_DAMAGED.format(path=self.path)) from None

    @staticmethod
    def pause(point: str) -> None:
        # Test hook: the fault tests kill a process parked here to prove an interrupted add recovers.
        if os.environ.get(_PAUSE) == point:
            Path(os.environ[_PAUSE + "_FILE"]).write_text(point)
            time.sleep(120)


# ---------------------------------------------------------------- creating, locking

def init_repository(path: Path, fmt: int) -> None:
    """A new repository at ``path`` on branch main, marked as store format ``fmt``."""
    repo = git.Repo.init(path, initial_branch="main", env=_pinned_environment(path))
    with repo.config_writer("repository") as config:
        config.set_value("resdiff", "format", fmt)
        config.set_value("core", "autocrlf", "false")
        config.set_value("user", "name", "resdiff")
        config.set_value("user", "email", "store@resdiff.invalid")
    repo.close()


def store_format(path: Path) -> int | None:
    """``resdiff.format`` from the repository's config; None when absent or not a number."""
    reader = git.GitConfigParser(str(path / ".git" / "config"), read_only=True)
    try:
        if not reader.has_option("resdiff", "format"):
            return None
        return int(reader.get_value("resdiff", "format"))
    except (ValueError, TypeError):
        return None
    finally:
        reader.release()


@contextmanager
def file_lock(path: Path, *, exclusive: bool, timeout: float | None = None) -> Iterator[None]:
    """``flock`` on a file in the store's .git: writers exclusive, readers shared; the kernel frees it if we die."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        if exclusive:
            raise StoreError(f"{path.parent.parent}: the store is read-only ({exc.strerror}); nothing was written",
                             hint="copy it somewhere writable, or give --store a writable directory") from None
        # A read-only store: nothing can change it, so readers need no lock (a shared one when the file exists).
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            yield
            return
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


def _write_pack(out: io.BufferedIOBase, objects: Iterable[tuple[bytes, bytes]]) -> None:
    """A version 2 pack of whole (undeltified) objects; ``git index-pack`` checks it and writes its index."""
    objects = list(objects)
    digest = sha1()

    def put(chunk: bytes) -> None:
        digest.update(chunk)
        out.write(chunk)

    put(b"PACK" + (2).to_bytes(4, "big") + len(objects).to_bytes(4, "big"))
    for kind, data in objects:
        size, head = len(data), []
        byte = (_PACK_TYPES[kind] << 4) | (size & 0x0F)
        size >>= 4
        while size:
            head.append(byte | 0x80)
            byte, size = size & 0x7F, size >> 7
        head.append(byte)
        put(bytes(head) + zlib.compress(data, 1))
    out.write(digest.digest())


def _pinned_environment(path: Path) -> dict[str, str]:
    git_dir = path / ".git"
    return {"GIT_DIR": str(git_dir), "GIT_WORK_TREE": str(path), "GIT_INDEX_FILE": str(git_dir / "index"),
            "GIT_OBJECT_DIRECTORY": str(git_dir / "objects")}


def _write_json_atomic(path: Path, value: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
