"""How ``Store`` files received texts: ``add`` and ``file``, one all-or-nothing transaction per batch.

Owns: merging a batch with the stored versions (``records.merge``), assigning series, the stored
commits a rewrite keeps (``Repository.plan_base``), writing the series that changed with their
drafts, moving the refs, the catalogue after an add, and what became of each text (``Added``,
``Filed``). Does not own reading the store or its lock: ``Filing`` is mixed into ``Store``
(``api.py``) and uses its reading and locking methods. Does not own git (``repository.py``, ``plumbing.py``).
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..drafts import Draft, rounds
from ..errors import ResdiffError, StoreError
from ..history import Version
from ..metadata import Recorded
from ..series import assign_series
from ..symbols import Symbol
from .catalogue import save as save_catalogue
from .records import (
    Incoming,
    Progress,
    Received,
    merge,
    merge_variant,
    prepare_all,
    record_bytes,
    record_of,
    tag_name,
    versions_from_records,
    with_recorded,
)
from .plumbing import BACKUP_REFS, DRAFT_REFS, MAIN, NOTES, SERIES_REFS, SUPERSEDED_REFS
from .repository import Base, Repository

SKIPPED = "skipped"


@dataclass(frozen=True)
class Added:
    """What ``Store.add`` did with one received text."""

    symbol: Symbol | None
    """None when the text was skipped before its symbol was known."""
    outcome: str
    """"added", "unchanged", "updated" (only its votes, sponsors or committee), "replaced" or "skipped"."""
    series: str
    """The series it is in; empty when skipped."""
    warnings: tuple[str, ...] = ()
    name: str = ""
    """The path or URL as given."""
    reason: str = ""
    """Why it was skipped: one line."""
    lang: str = "en"
    """The language of the text: ``en`` for a version, another code for a language variant of one."""
    stages: int = 0
    """An added version that closes a drafting round: how many stored drafts that round holds."""


@dataclass(frozen=True)
class Filed:
    """What one ``Store.file`` did: each text's outcome, and the series it made or grew."""

    results: tuple[Added, ...]
    created: tuple[str, ...] = ()
    """Series that did not exist before."""
    extended: tuple[str, ...] = ()
    """Series that existed and gained versions."""

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)


class Filing:
    """The adding half of ``Store``: mixed into it (``api.py``), whose reading and locking it uses."""

    path: Path
    _git: Repository

    def add(self, items: Sequence[Received], *, replace_texts: bool = False, meta: Mapping[Symbol, Recorded] | None = None,
            skip_bad: bool = False, progress: Progress | None = None, workers: int = 1) -> list[Added]:
        """File versions into the store (see ``file``); the outcome of each item."""
        return list(self.file(items, replace_texts=replace_texts, meta=meta, skip_bad=skip_bad, progress=progress, workers=workers).results)

    def file(self, items: Sequence[Received], *, replace_texts: bool = False, meta: Mapping[Symbol, Recorded] | None = None,
             skip_bad: bool = False, progress: Progress | None = None, workers: int = 1) -> Filed:
        """File versions into the store: one transaction for the whole batch, all or nothing.

        ``meta`` adds votes, sponsors and committee by symbol. With ``skip_bad`` a text
        that cannot be read, or conflicts with a stored one, is skipped with its reason
        (outcome "skipped") and the rest are filed; without it the first problem is raised.
        ``progress(stage, done, total)`` is called as texts are read and filed; ``workers``
        processes read them.
        """
        prepared = prepare_all(items, workers=workers, progress=progress)
        if not skip_bad:
            for p in prepared:
                if isinstance(p, ResdiffError):
                    raise p
        with self._lock(exclusive=True), self._git.steady_refs():
            self.recover()
            # resdiff runs git only under its own lock, which we hold: a git lock file now is a dead git's.
            self._git.remove_stale_locks()
            self._git.check_worktree()
            try:
                return self._file(items, prepared, replace_texts=replace_texts, meta=meta or {}, skip_bad=skip_bad, progress=progress)
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                    raise
                # Objects come first and refs last: what was written is unreferenced, the store is as it was.
                raise StoreError(f"{self.path}: {exc.strerror}; nothing was added, the store is as it was",
                                 hint="free some space (or use a writable store) and add again") from None

    def _file(self, items: Sequence[Received], prepared: Sequence[Incoming | ResdiffError], *, replace_texts: bool,
              meta: Mapping[Symbol, Recorded], skip_bad: bool, progress: Progress | None) -> Filed:
        tips = self._series_tips()
        cat = self._catalogue()
        before = {name: versions_from_records(cat.records[name]) for name in cat.records}
        self._check_main(tips, before)
        where = {v.symbol: name for name, vs in before.items() for v in vs}
        # Texts are needed only where a symbol arrives again (to compare) and in series that change.
        known = self._stored_versions(tips, where, {p.symbol for p in prepared if isinstance(p, Incoming) and p.symbol in where})
        state = {v.symbol: v for vs in before.values() for v in vs} | known
        results: list[Added | None] = [None] * len(items)
        touched, superseded, received, sources = set(), {}, {}, {}
        # English texts first, so that a translation finds its version whatever the order of the batch.
        for at in sorted(range(len(items)), key=lambda k: isinstance(prepared[k], Incoming) and prepared[k].version is None):
            item, p = items[at], prepared[at]
            if isinstance(p, ResdiffError):
                results[at] = Added(None, SKIPPED, "", (), name=item.name, reason=_reason(p, item.name))
                continue
            try:
                if p.version is None:
                    outcome = merge_variant(state, p.symbol, p.variant[1], replace_texts=replace_texts, given=p.name)
                else:
                    outcome = merge(state, with_recorded(p.version, meta.get(p.symbol)), replace_texts=replace_texts, given=p.name)
            except ResdiffError as exc:
                if not skip_bad:
                    raise
                results[at] = Added(p.symbol, SKIPPED, "", p.warnings, name=item.name, reason=_reason(exc, item.name))
                continue
            if outcome != "unchanged":
                touched.add(p.symbol)
                if outcome != "updated":
                    digest = (p.version or p.variant[1]).source.sha256
                    sources[digest] = p.data
                    received[digest] = (p.name, p.received)
                    if p.version is not None:
                        superseded.update(_superseded_ref(before, tips, state[p.symbol], outcome))
            results[at] = Added(p.symbol, outcome, "", p.warnings, name=item.name,
                                lang=p.variant[1].lang if p.variant else "en")
        after = assign_series(state.values())
        changed = {n for n, vs in after.items() if [v.symbol for v in vs] != [v.symbol for v in before.get(n, ())]
                   or any(v.symbol in touched for v in vs)}
        drafts: dict[str, list[Draft]] = {}
        if changed or set(before) - set(after):
            if progress:
                progress("writing", 0, len(changed))
            stored = {old: self._drafts(old, tips) for old in sorted(set(tips) & (changed | (set(tips) - set(after))))}
            drafts = self._drafts_after(stored, before, after)
            plans = self._plans(tips, before, after, changed, drafts, stored)
            # Texts only for the versions whose commits are written again (after those a plan keeps).
            need = {v.symbol for n in changed for v in after[n][kept_count(plans[n]):] if v.symbol in where and v.symbol not in touched}
            texts = known | self._stored_versions(tips, where, need - set(known))
            after = {n: tuple(v if n not in changed else with_texts(v, texts.get(v.symbol)) for v in vs) for n, vs in after.items()}
            self._commit(tips, after, changed, sources, received, superseded, drafts=drafts, plans=plans)
        series_of = {v.symbol: name for name, vs in after.items() for v in vs}
        results = [replace(r, series=series_of.get(r.symbol, "")) if r.outcome != SKIPPED else r for r in results]
        if changed:
            # An adopted text that closes a round of stored drafts says so.
            closing = {after[n][i].symbol: len(ds) for n in changed for i, ds in rounds(drafts.get(n, ()), after[n]).items()
                       if i < len(after[n])}
            results = [replace(r, stages=closing.get(r.symbol, 0)) if r.outcome == "added" and r.lang == "en" else r for r in results]
        created = tuple(sorted(n for n in after if n not in before))
        extended = tuple(sorted(n for n in after if n in before and len(after[n]) > len(before[n])))
        return Filed(tuple(results), created, extended)

    def _stored_versions(self, tips: dict[str, str], where: Mapping[Symbol, str], symbols: set[Symbol]) -> dict[Symbol, Version]:
        """The stored versions of ``symbols`` with their texts: each from its own commit, or, for a
        series where that does not serve (or many of its versions are asked for), from the whole series."""
        out: dict[Symbol, Version] = {}
        wanted: dict[str, list[Symbol]] = {}
        for s in symbols:
            wanted.setdefault(where[s], []).append(s)
        for name, asked in sorted(wanted.items()):
            found = [self._version_of(name, s) for s in asked] if len(asked) <= 16 else [None]
            if any(v is None for v in found):
                out.update({v.symbol: v for v in self._versions(name, tips[name]) if v.symbol in asked})
            else:
                out.update({v.symbol: v for v in found if v is not None})
        return out

    def _commit(self, tips: dict[str, str], after: dict[str, tuple[Version, ...]], changed: set[str], sources: dict[str, bytes],
                received: dict[str, tuple[str, str | None]], superseded: dict[str, str],
                drafts: Mapping[str, Sequence[Draft]], plans: Mapping[str, Base | None]) -> None:
        """Write the new sources and the objects of the series that changed (one pack), then move the refs.
        ``drafts``: the drafts of each changed series; ``plans``: the stored commits each keeps (``_plans``)."""
        current = self._git.refs("refs/")
        wanted: dict[str, str | None] = dict(superseded)
        new_tips = {name: tip for name, tip in tips.items() if name in after and name not in changed}
        # A changed (or vanished) series' draft branches are made again from its drafts.
        wanted.update({ref: None for ref in current if ref.startswith(DRAFT_REFS) and
                       (ref.removeprefix(DRAFT_REFS).rsplit("/", 1)[0] in changed or ref.removeprefix(DRAFT_REFS).rsplit("/", 1)[0] not in after)})
        with self._git.batch():
            for data in sources.values():
                self._git.write_source(data)
            for name in sorted(changed):
                new_tips[name], commits, rounds = self._git.write_series(name, after[name], record_bytes, drafts.get(name, ()),
                                                                         base=plans.get(name))
                # The versions a plan kept keep their tags; the others' commits are the last ones.
                wanted.update({f"refs/tags/{tag_name(v.symbol)}": c for v, c in zip(after[name][len(after[name]) - len(commits):], commits)})
                wanted.update({f"{DRAFT_REFS}{name}/{cycle}": tip for cycle, tip in rounds.items()})
            wanted.update({SERIES_REFS + name: new_tips.get(name) for name in set(tips) | set(new_tips)})
            wanted[MAIN] = self._git.write_main(new_tips, after)
            wanted[NOTES] = self._git.write_notes(received) or current.get(NOTES)
        updates = {ref: value for ref, value in wanted.items() if current.get(ref) != value}
        # Every tip that moves or goes stays reachable from a backup ref until the new ones are in place.
        backups = {BACKUP_REFS + name: tip for name, tip in tips.items() if new_tips.get(name) != tip}
        self._git.move_refs(updates, backups)
        self._save_catalogue(new_tips, after)

    def _plans(self, tips: dict[str, str], before: Mapping[str, tuple[Version, ...]], after: Mapping[str, tuple[Version, ...]],
               changed: set[str], drafts: Mapping[str, Sequence[Draft]], stored: Mapping[str, Sequence[Draft]]) -> dict[str, Base | None]:
        """For each changed series, the stored commits its rewrite keeps (those before its first change), or None.
        ``drafts``: each changed series' drafts after the add; ``stored``: its drafts as stored."""
        refs = self._git.refs(DRAFT_REFS)
        out: dict[str, Base | None] = {}
        for name in changed:
            if name not in tips or name not in before:
                out[name] = None
                continue
            prefix = f"{DRAFT_REFS}{name}/"
            round_refs = {ref.removeprefix(prefix): sha for ref, sha in refs.items() if ref.startswith(prefix) and "/" not in ref.removeprefix(prefix)}
            out[name] = self._git.plan_base(name, tips[name], before[name], after[name], stored.get(name, ()),
                                            drafts.get(name, ()), record_bytes, round_refs)
        return out

    @staticmethod
    def _drafts_after(stored: Mapping[str, list[Draft]], before: Mapping[str, tuple[Version, ...]],
                      after: Mapping[str, tuple[Version, ...]]) -> dict[str, list[Draft]]:
        """The stored drafts of the series that change or go (``stored``, by their old name), under the name of
        the series their adopted versions are in now (a series renamed or merged by an add keeps its negotiations)."""
        series_of = {v.symbol: name for name, vs in after.items() for v in vs}
        out: dict[str, list[Draft]] = {}
        for old, found in stored.items():
            if not found:
                continue
            keys = {v.symbol.key for v in before.get(old, ())}
            new = next((series_of[v.symbol] for v in after.get(old, ())), None) or \
                next((series_of[s] for s in series_of if s.key in keys), old)
            out.setdefault(new, []).extend(replace(d, series=new) for d in found)
        return out

    def _save_catalogue(self, tips: dict[str, str], after: dict[str, tuple[Version, ...]]) -> None:
        records = {name: [record_of(v) for v in vs] for name, vs in after.items()}
        digests = {s.sha256 for vs in after.values() for v in vs for s in v.all_sources}
        blobs = {d: self._git.source_blob(d) for d in digests}
        save_catalogue(self._git.git_dir, tips, records, blobs)

    def _check_main(self, tips: dict[str, str], before: dict[str, tuple[Version, ...]]) -> None:
        """``main`` is derived from the series; a commit made on it by hand would be lost by the next add."""
        expected = self._git.write_main(tips, before)
        if self._git.ref(MAIN) != expected:
            raise StoreError(f"{self.path}: main was changed outside resdiff; resdiff changed nothing",
                             hint=f"keep your commits on a branch of your own (git -C {self.path} branch mine), "
                                  f"then put main back: git -C {self.path} reset --hard {expected}")


def with_texts(v: Version, stored: Version | None) -> Version:
    """``v`` with the texts (its own and its variants') that only the stored version read from git has."""
    if stored is None:
        return v
    known = {x.lang: x.text for x in stored.variants}
    variants = tuple(x if x.text else replace(x, text=known.get(x.lang, "")) for x in v.variants)
    return replace(v, text=v.text or stored.text, variants=variants)


def kept_count(plan: Base | None) -> int:
    """How many versions, from the first, a rewrite keeps as stored."""
    return plan.count if plan else 0


def _reason(exc: ResdiffError, name: str) -> str:
    """One line: what happened (without the file name that the caller prints before it)."""
    return exc.message.removeprefix(f"{name}: ")


def _superseded_ref(before: dict[str, tuple[Version, ...]], tips: dict[str, str], version: Version, outcome: str) -> dict[str, str]:
    """Keep the history that held a replaced text under ``refs/resdiff/superseded/``."""
    if outcome != "replaced":
        return {}
    old = version.superseded[-1]
    for name, versions in before.items():
        if any(v.symbol == version.symbol for v in versions):
            return {f"{SUPERSEDED_REFS}{tag_name(version.symbol)}/{old.sha256[:12]}": tips[name]}
    return {}  # replaced within the same batch: its bytes stay in the tree, there was no history yet
