"""The version store's git repository, object by object. The only ``import git``.

Owns: creating and opening the repository (pinned to its own directory, whatever
``GIT_*`` variables a hook or shell hands down); blobs, trees and commits written
byte for byte and read back; the commits of a series and of ``main``; the notes
(``refs/notes/resdiff``) of when and from where source bytes arrived; moving refs
in one transaction behind a journal, and rolling an interrupted one forward; the
work tree; stale git locks; the store's ``flock``; the ``RESDIFF_TEST_PAUSE_AT``
hook the fault tests park an add in.

Does not own: what a version is, reading, parsing, merging or grouping texts, the
JSON record of a version and tag names (``records.py``), the other ref names, or
when to lock (``store/api.py``, the only caller).

Determinism: author and committer are the adopting body (``Commission on Human
Rights <chr@resdiff.invalid>``), both dates the adoption date at 12:00:00 +0000
(1970-01-01 for earlier adoptions, which git cannot date; the ``Adopted:`` trailer
keeps the true date), modes 100644. Only the notes carry a wall-clock time.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import re
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from hashlib import sha1, sha256
from pathlib import Path

import git
from gitdb import IStream

from ..errors import StoreError
from ..drafts import Draft, draft_from_record, draft_record, round_name, rounds
from ..history import SAFE_PATH, Version
from ..symbols import BODY_NAMES

MAIN, NOTES = "refs/heads/main", "refs/notes/resdiff"
SERIES_REFS, DRAFT_REFS = "refs/heads/series/", "refs/heads/drafts/"
BACKUP_REFS, SUPERSEDED_REFS = "refs/resdiff/backup/", "refs/resdiff/superseded/"
HINT_DAMAGED = "run git -C {path} fsck to see what is missing; resdiff changed nothing"
LOCK_TIMEOUT = 120.0
"""Seconds ``file_lock`` waits for another resdiff by default."""
_JOURNAL = "resdiff-journal.json"
_ATTRIBUTES = b"# Sources are kept byte for byte: no text diff, no line-ending conversion.\n*/sources/** binary\n"
_PAUSE = "RESDIFF_TEST_PAUSE_AT"
_PACK_FROM = 64
"""A batch of at least this many new objects is written as one pack, fewer as loose objects."""
_PACK_TYPES = {b"commit": 1, b"tree": 2, b"blob": 3, b"tag": 4}


@dataclass(frozen=True)
class Base:
    """Stored commits a rewrite of a series keeps (see ``Repository.plan_base``)."""

    count: int
    """How many versions, from the first, keep their commits (and tags)."""
    commit: str
    """The last of those commits: the new ones start from it."""
    rounds: dict[str, str]
    """The draft branches of their rounds: round name -> tip."""


class Repository:
    """Objects, refs, notes and work tree of one store, written deterministically."""

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
    def open(cls, path: Path) -> Repository:
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

    # series

    def write_source(self, data: bytes) -> str:
        blob = self.write(b"blob", data)
        self._sources[sha256(data).hexdigest()] = blob
        return blob

    def source_blob(self, digest: str) -> str:
        if digest not in self._sources:
            raise StoreError(f"{self.path}: no source with sha256 {digest[:12]} in the store", hint=HINT_DAMAGED.format(path=self.path))
        return self._sources[digest]

    def write_series(self, name: str, versions: Sequence[Version], record: Callable[[Version], bytes],
                     drafts: Sequence[Draft] = (), base: Base | None = None) -> tuple[str, list[str], dict[str, str]]:
        """The commits of one series, oldest first, ``record`` giving each version's JSON; returns
        (tip, the commits written (of the last versions), {round: tip of its drafts branch}).

        The drafts of a round are commits on a side branch that starts at the previous adopted
        version; the adopted version that closes the round merges it (first parent: the previous
        adopted version, so the series' first-parent line is its adopted texts).

        ``base``: the stored commits of the first versions (and their rounds) are exactly what this
        would write again (``plan_base`` checked it); writing starts after them, with the same result."""
        attributes = self.write(b"blob", _ATTRIBUTES)
        files: dict[str, str] = {}
        parent: list[str] = []
        commits: list[str] = []
        by_round = rounds(drafts, versions)
        draft_tips: dict[str, str] = {}
        start = 0
        if base is not None:
            start, parent = base.count, [base.commit]
            files = self.files(self.parse_commit(base.commit)[0], name)
            draft_tips = dict(base.rounds)
        for i, v in enumerate([*versions, None]):
            if i < start:
                continue
            side = self._write_round(name, by_round.get(i, ()), files, parent, attributes)
            if side:
                draft_tips[round_name(i, versions)] = side
            if v is None:
                break
            if not v.text:
                raise StoreError(f"series {name}: no text to write for {v.symbol.short}", hint="this is a bug in resdiff; please report it")
            for s in v.all_sources:
                files[f"{name}/{s.path}"] = self.source_blob(s.sha256)
            files[f"{name}/versions/{v.symbol.slug}.json"] = self.write(b"blob", record(v))
            files[f"{name}/resolution.txt"] = self.write(b"blob", v.text.encode())
            # resolution.fr.txt ...: this version's text in each language it is stored in, and only those.
            for path in [p for p in files if _TRANSLATED.fullmatch(p.removeprefix(f"{name}/"))]:
                del files[path]
            for x in v.variants:
                files[f"{name}/resolution.{x.lang}.txt"] = self.write(b"blob", x.text.encode())
            tree = self._series_tree(name, files, attributes)
            who = f"{BODY_NAMES[v.symbol.body]} <{v.symbol.body.value}@resdiff.invalid>"
            parent = [self.commit(tree, parent + ([side] if side else []), who, _timestamp(v.date), _message(v))]
            commits.append(parent[0])
        return parent[0] if parent else "", commits, draft_tips

    def files(self, tree: str, name: str) -> dict[str, str]:
        """{"<name>/path": blob id} of every file under ``name/`` in a commit's tree."""
        out: dict[str, str] = {}

        def walk(tree_id: str, prefix: str) -> None:
            for entry, (mode, sha) in self.entries(tree_id).items():
                if mode == b"40000":
                    walk(sha, f"{prefix}{entry}/")
                else:
                    out[f"{prefix}{entry}"] = sha

        walk(self.at(tree, name), f"{name}/")
        return out

    def plan_base(self, name: str, tip: str, old: Sequence[Version], new: Sequence[Version], old_drafts: Sequence[Draft],
                  new_drafts: Sequence[Draft], record: Callable[[Version], bytes], round_refs: dict[str, str]) -> Base | None:
        """The stored commits ``write_series`` can keep: those of the versions (and rounds) before the
        first that changes, when the stored history is plainly what writing them again would give
        (the tip's first-parent line names those versions, their records are those blobs); else None."""
        old_rounds, new_rounds = rounds(old_drafts, old), rounds(new_drafts, new)
        k, written = 0, []
        while k < min(len(old), len(new)) and old[k].symbol == new[k].symbol and old_rounds.get(k, ()) == new_rounds.get(k, ()):
            data = record(new[k])
            if old[k] is not new[k] and record(old[k]) != data:
                break
            written.append(data)
            k += 1
        if k == 0:
            return None
        # From the tip back along first parents to version k-1 (only adopted versions are on that line).
        commit: str | None = tip
        for _ in range(len(old) - k):
            commit = (self.parse_commit(commit)[1] or [None])[0]
            if commit is None:
                return None
        tree, _, message = self.parse_commit(commit)
        if f"\nSymbol: {old[k - 1].symbol.full}\n" not in f"\n{message}":
            return None
        try:
            stored = self.entries(self.at(tree, f"{name}/versions"))
        except StoreError:
            return None
        for v, data in zip(new[:k], written):
            if stored.get(f"{v.symbol.slug}.json", (b"", ""))[1] != sha1(b"blob %d\0" % len(data) + data).hexdigest():
                return None
        kept = {round_name(i, new): round_refs.get(round_name(i, new)) for i in range(k) if new_rounds.get(i)}
        if any(ref is None for ref in kept.values()):
            return None
        # Every object the kept history holds is there (git walks it in C: about 30 ms for 300 versions);
        # if not, the caller reads the whole series, which reports the damage before anything is written.
        try:
            self._run("rev_list", "--objects", "--missing=error", tip, *kept.values(), stdout_as_string=False)
        except StoreError:
            return None
        return Base(k, commit, kept)

    def _write_round(self, name: str, drafts: Sequence[Draft], files: dict[str, str], parent: list[str], attributes: str) -> str | None:
        """One commit per stage on top of ``parent``; ``files`` gains each draft's record, text and source
        (so the adopted version's tree holds the negotiation it merges). Returns the round's tip."""
        tip = parent[0] if parent else None
        if not drafts:
            return None
        for d in drafts:
            files[f"{name}/{d.source.path}"] = self.source_blob(d.source.sha256)
            files[f"{name}/drafts/{d.slug}.json"] = self.write(b"blob", draft_record(d))
            files[f"{name}/drafts/{d.slug}.txt"] = self.write(b"blob", d.text.encode())
            staged = {p: b for p, b in files.items() if not _TRANSLATED.fullmatch(p.removeprefix(f"{name}/"))}
            staged[f"{name}/resolution.txt"] = files[f"{name}/drafts/{d.slug}.txt"]
            tree = self._series_tree(name, staged, attributes)
            tip = self.commit(tree, [tip] if tip else [], "resdiff drafts <drafts@resdiff.invalid>", _timestamp(d.date), _draft_message(d))
        return tip

    def _series_tree(self, name: str, files: dict[str, str], attributes: str) -> str:
        if not all(SAFE_PATH.fullmatch(p) for p in files):
            raise StoreError(f"series {name}: unsafe path in the store", hint="this is a bug in resdiff; please report it")
        return self.tree({".gitattributes": attributes, **files})

    def drafts(self, tip: str, name: str) -> list[Draft]:
        """The drafts recorded in a series' tree at ``tip`` (records and texts)."""
        series_tree = self.at(self.parse_commit(tip)[0], name)
        entries = self.entries(series_tree)
        if "drafts" not in entries:
            return []
        files = self.entries(entries["drafts"][1])
        out = []
        for file, (_, blob) in sorted(files.items()):
            if not file.endswith(".json"):
                continue
            text_entry = files.get(file.removesuffix(".json") + ".txt")
            if text_entry is None:
                raise StoreError(f"{self.path}: {name}/drafts/{file} has no text beside it", hint=HINT_DAMAGED.format(path=self.path))
            d = draft_from_record(name, self.read(blob), self.read(text_entry[1]).decode())
            self._sources[d.source.sha256] = self.at(series_tree, d.source.path)
            out.append(d)
        return out

    def write_main(self, tips: dict[str, str], series: dict[str, tuple[Version, ...]]) -> str | None:
        """``main``: the only series' tip, or a merge of every tip so one checkout shows them all."""
        if len(tips) <= 1:
            return next(iter(tips.values()), None)
        names = sorted(tips)
        root = {".gitattributes": (b"100644", self.write(b"blob", _ATTRIBUTES))}
        for name in names:
            root[name] = (b"40000", self.entries(self.parse_commit(tips[name])[0])[name][1])
        tree = self._write_entries(root)
        lines = [f"- {n}: {len(series[n])} versions, {series[n][0].symbol.short} to {series[n][-1].symbol.short}" for n in names]
        when = max(_timestamp(series[n][-1].date) for n in names)
        message = f"resdiff store: {len(names)} series\n\n" + "\n".join(lines) + "\n"
        return self.commit(tree, [tips[n] for n in names], "resdiff <store@resdiff.invalid>", when, message)

    def known_sources(self, blobs: dict[str, str]) -> None:
        """Source blobs known from the store's index (sha256 -> blob id)."""
        self._sources.update(blobs)

    def series_records(self, tip: str, name: str) -> tuple[list[dict], dict[str, str]]:
        """The version records of a series and its sources' blobs (sha256 -> blob id)."""
        records = self.records(tip, name)
        digests = {s["sha256"] for r in records for s in _record_sources(r) if isinstance(s, dict) and "sha256" in s}
        return records, {d: self._sources[d] for d in digests if d in self._sources}

    def records(self, tip: str, name: str) -> list[dict]:
        series_tree = self.at(self.parse_commit(tip)[0], name)
        out = []
        for file, (_, blob) in sorted(self.entries(self.at(series_tree, "versions")).items()):
            try:
                record = json.loads(self.read(blob))
            except ValueError:
                raise StoreError(f"{self.path}: {name}/versions/{file} is not valid JSON", hint=HINT_DAMAGED.format(path=self.path)) from None
            for s in _record_sources(record):
                if isinstance(s, dict) and isinstance(s.get("path"), str) and "sha256" in s:
                    self._sources[s["sha256"]] = self.at(series_tree, s["path"])
            out.append(record)
        return out

    def version_at(self, commit: str, name: str, slug: str) -> tuple[str, dict, str, dict[str, str]]:
        """(its Symbol trailer, its record, resolution.txt, {language: resolution.LANG.txt}) of one version's
        own commit; its sources' blobs become known. ``StoreError`` when something is missing."""
        tree, _, message = self.parse_commit(commit)
        m = re.search(r"^Symbol: (.+)$", message, re.MULTILINE)
        series_tree = self.at(tree, name)
        entries = self.entries(series_tree)
        try:
            record = json.loads(self.read(self.at(series_tree, f"versions/{slug}.json")))
        except ValueError:
            raise StoreError(f"{self.path}: {name}/versions/{slug}.json is not valid JSON", hint=HINT_DAMAGED.format(path=self.path)) from None
        if "resolution.txt" not in entries or not isinstance(record, dict):
            raise StoreError(f"{self.path}: commit {commit[:12]} does not hold a version of {name}", hint=HINT_DAMAGED.format(path=self.path))
        for s in _record_sources(record):
            if isinstance(s, dict) and isinstance(s.get("path"), str) and "sha256" in s:
                self._sources[s["sha256"]] = self.at(series_tree, s["path"])
        translated = {f.split(".")[1]: self.read(blob).decode() for f, (_, blob) in entries.items() if _TRANSLATED.fullmatch(f)}
        return (m.group(1) if m else ""), record, self.read(entries["resolution.txt"][1]).decode(), translated

    def texts(self, tip: str, name: str) -> list[tuple[str, str, dict[str, str]]]:
        """(full symbol from the Symbol trailer, resolution.txt, {language: resolution.LANG.txt}) per commit
        of the series' first-parent line, oldest first."""
        out = []
        commit: str | None = tip
        while commit:
            tree, parents, message = self.parse_commit(commit)
            m = re.search(r"^Symbol: (.+)$", message, re.MULTILINE)
            if m is None and re.search(r"^Stage: ", message, re.MULTILINE):
                commit = parents[0] if parents else None  # a draft before the series' first adoption
                continue
            entries = self.entries(self.at(tree, name))
            translated = {f.split(".")[1]: self.read(blob).decode() for f, (_, blob) in entries.items() if _TRANSLATED.fullmatch(f)}
            if "resolution.txt" not in entries:
                raise StoreError(f"{self.path}: {name}/resolution.txt is missing from commit {commit[:12]}", hint=HINT_DAMAGED.format(path=self.path))
            out.append((m.group(1) if m else "", self.read(entries["resolution.txt"][1]).decode(), translated))
            commit = parents[0] if parents else None
        return out[::-1]

    # notes

    def note(self, blob: str) -> dict[str, str]:
        tip = self.refs(NOTES).get(NOTES)
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
        tip = self.refs(NOTES).get(NOTES)
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
        found = self.refs(ref).get(ref)
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
        if not self.refs(MAIN):
            return
        changed = self._run("status", "--porcelain", "--untracked-files=no").splitlines()
        if changed:
            files = ", ".join(line[3:] for line in changed[:5]) + (" ..." if len(changed) > 5 else "")
            raise StoreError(f"{self.path}: files in the store were edited or deleted ({files}); resdiff changed nothing",
                             hint=f"resdiff reads only what is committed: restore them with git -C {self.path} checkout -- . "
                                  f"(or keep your edits with git -C {self.path} stash)")

    def checkout(self) -> None:
        if self.refs(MAIN):
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


# ---------------------------------------------------------------- commit dates and messages

_TRANSLATED = re.compile(r"resolution\.[a-z]{2}\.txt")


def _record_sources(record: dict) -> list:
    """The source entries of a version record as read (unchecked): its own, superseded and variants'."""
    variants = record.get("variants") or []
    return [record.get("source") or {}] + list(record.get("superseded") or []) + \
        [x.get("source") for x in variants if isinstance(x, dict)]


def _draft_message(d: Draft) -> str:
    subject = f"{d.stage}: {d.title}" if d.title else d.stage
    trailers = [("Stage", d.stage), ("Document", d.document), ("Dated", d.date), ("Source", d.source.name),
                ("Sha256", d.source.sha256), ("Unagreed", str(d.unagreed) if d.unagreed else None)]
    body = "\n".join(f"{k}: {' '.join(str(val).split())}" for k, val in trailers if val)
    return f"{' '.join(subject.split())}\n\n{body}\n"


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
    trailers += [("Languages", ", ".join(v.languages))] if v.variants else []
    body = "\n".join(f"{k}: {' '.join(str(val).split())}" for k, val in trailers if val)
    return f"{' '.join(subject.split())}\n\n{body}\n"
