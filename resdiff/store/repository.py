"""The store's layout in its git repository: a series' commits, its drafts' branches and ``main``.

Owns: the commits of a series (one per adopted version, oldest first; a round's drafts on a
side branch merged by the version that closes it), the stored commits an add can keep
(``plan_base``), ``main`` (a merge of every series tip), and reading versions, texts and
drafts back from those trees. Builds on ``plumbing.py`` (objects, refs, notes, journal,
locks: the only ``import git``).

Does not own: what a version is, reading, parsing, merging or grouping texts, the JSON
record of a version and tag names (``records.py``), or when to lock (``api.py``).

Determinism: author and committer are the adopting body (``Commission on Human
Rights <chr@resdiff.invalid>``), both dates the adoption date at 12:00:00 +0000
(1970-01-01 for earlier adoptions, which git cannot date; the ``Adopted:`` trailer
keeps the true date), modes 100644. Only the notes carry a wall-clock time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from hashlib import sha1

from ..drafts import Draft, draft_from_record, draft_record, round_name, rounds
from ..errors import StoreError
from ..history import SAFE_PATH, Version
from ..symbols import BODY_NAMES
from .plumbing import HINT_DAMAGED, Plumbing

_ATTRIBUTES = b"# Sources are kept byte for byte: no text diff, no line-ending conversion.\n*/sources/** binary\n"

@dataclass(frozen=True)
class Base:
    """Stored commits a rewrite of a series keeps (see ``Repository.plan_base``)."""

    count: int
    """How many versions, from the first, keep their commits (and tags)."""
    commit: str
    """The last of those commits: the new ones start from it."""
    rounds: dict[str, str]
    """The draft branches of their rounds: round name -> tip."""


class Repository(Plumbing):
    """The store's layout on top of the plumbing: a series' commits (with their drafts) and ``main``, written and read."""

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
