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

import json
import errno
import os
import shutil
import tempfile
from hashlib import sha256
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

from ..bundled import bundled_bytes, bundled_meta, bundled_source, bundled_symbols
from .catalogue import Catalogue
from .catalogue import load as load_catalogue
from .catalogue import save as save_catalogue
from ..drafts import OPEN_ROUND, Draft, draft_from, find_l_symbol, is_l_symbol, merge_draft, normalise_l_symbol, round_of
from ..drafts import l_base, l_symbols_in, rounds, stage_slug, with_source_path
from ..errors import InputError, ResdiffError, StoreError, SymbolError
from ..corpus import series_stats
from ..history import ChangeStats, SeriesHistory, Source, Version, build_history, document_of, language_names
from ..metadata import Recorded
from ..model import Document
from ..readers import ReadText, read_bytes
from .records import FORMAT, Incoming, Progress, Received, merge, merge_variant, prepare_all, record_bytes, record_of, tag_name
from .records import version_from_record, with_recorded
from ..series import assign_series
from .repository import HINT_DAMAGED, LOCK_TIMEOUT, MAIN, NOTES, Base, Repository, init_repository, store_format
from .repository import file_lock as _file_lock  # under this name too: the lock tests take it from here
from ..negotiation import Round, negotiation
from ..parse import parse
from ..series import recalled_all, session_number, title_key
from ..symbols import BODY_NAMES, Symbol, parse_symbol

ENV = "RESDIFF_STORE"
_SERIES, _BACKUP, _SUPERSEDED = "refs/heads/series/", "refs/resdiff/backup/", "refs/resdiff/superseded/"
_DRAFTS = "refs/heads/drafts/"
_LOCK = "resdiff.lock"
_STATS = "resdiff-stats.json"
_LOCK_TIMEOUT = LOCK_TIMEOUT
"""Seconds a command waits for another resdiff; read at each lock, so tests can shorten it."""


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
        return {name: _from_records(cat.records[name]) for name in sorted(cat.records)}

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

    def _version_of(self, name: str, symbol: Symbol, tags: Mapping[str, str] | None = None) -> Version | None:
        """One version read from its tagged commit (``tags``: every tag's commit, when already read), or None
        when that commit is not plainly it (the caller then reads and checks the whole series, which reports any damage)."""
        ref = f"refs/tags/{tag_name(symbol)}"
        commit = (tags if tags is not None else self._git.refs(ref)).get(ref)
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
            return _from_records(self._git.records(tip, name)) if tip else ()

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

    # ------------------------------------------------------------ adding

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
        before = {name: _from_records(cat.records[name]) for name in cat.records}
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
            draft_refs = self._git.refs(_DRAFTS)
            drafts = self._drafts_after(tips, after, changed, draft_refs)
            plans = self._plans(tips, before, after, changed, drafts, draft_refs)
            # Texts only for the versions whose commits are written again (after those a plan keeps).
            need = {v.symbol for n in changed for v in after[n][_kept(plans[n]):] if v.symbol in where and v.symbol not in touched}
            texts = known | self._stored_versions(tips, where, need - set(known))
            after = {n: tuple(v if n not in changed else _with_texts(v, texts.get(v.symbol)) for v in vs) for n, vs in after.items()}
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
        tags = self._git.refs("refs/tags/") if symbols else {}
        out: dict[Symbol, Version] = {}
        wanted: dict[str, list[Symbol]] = {}
        for s in symbols:
            wanted.setdefault(where[s], []).append(s)
        for name, asked in sorted(wanted.items()):
            found = [self._version_of(name, s, tags) for s in asked] if len(asked) <= 16 else [None]
            if any(v is None for v in found):
                out.update({v.symbol: v for v in self._versions(name, tips[name]) if v.symbol in asked})
            else:
                out.update({v.symbol: v for v in found if v is not None})
        return out

    def _full(self, tips: dict[str, str], names: set[str]) -> dict[str, tuple[Version, ...]]:
        return {name: self._versions(name, tips[name]) for name in sorted(names)}

    def _commit(self, tips: dict[str, str], after: dict[str, tuple[Version, ...]], changed: set[str], sources: dict[str, bytes],
                received: dict[str, tuple[str, str | None]], superseded: dict[str, str],
                drafts: Mapping[str, Sequence[Draft]], plans: Mapping[str, Base | None]) -> None:
        """Write the new sources and the objects of the series that changed (one pack), then move the refs.
        ``drafts``: the drafts of each changed series; ``plans``: the stored commits each keeps (``_plans``)."""
        current = self._git.refs("refs/")
        wanted: dict[str, str | None] = dict(superseded)
        new_tips = {name: tip for name, tip in tips.items() if name in after and name not in changed}
        # A changed (or vanished) series' draft branches are made again from its drafts.
        wanted.update({ref: None for ref in current if ref.startswith(_DRAFTS) and
                       (ref.removeprefix(_DRAFTS).rsplit("/", 1)[0] in changed or ref.removeprefix(_DRAFTS).rsplit("/", 1)[0] not in after)})
        with self._git.batch():
            for data in sources.values():
                self._git.write_source(data)
            for name in sorted(changed):
                new_tips[name], commits, rounds = self._git.write_series(name, after[name], record_bytes, drafts.get(name, ()),
                                                                         base=plans.get(name))
                # The versions a plan kept keep their tags; the others' commits are the last ones.
                wanted.update({f"refs/tags/{tag_name(v.symbol)}": c for v, c in zip(after[name][len(after[name]) - len(commits):], commits)})
                wanted.update({f"{_DRAFTS}{name}/{cycle}": tip for cycle, tip in rounds.items()})
            wanted.update({_SERIES + name: new_tips.get(name) for name in set(tips) | set(new_tips)})
            wanted[MAIN] = self._git.write_main(new_tips, after)
            wanted[NOTES] = self._git.write_notes(received) or current.get(NOTES)
        updates = {ref: value for ref, value in wanted.items() if current.get(ref) != value}
        # Every tip that moves or goes stays reachable from a backup ref until the new ones are in place.
        backups = {_BACKUP + name: tip for name, tip in tips.items() if new_tips.get(name) != tip}
        self._git.move_refs(updates, backups)
        self._save_catalogue(new_tips, after)

    def _plans(self, tips: dict[str, str], before: Mapping[str, tuple[Version, ...]], after: Mapping[str, tuple[Version, ...]],
               changed: set[str], drafts: Mapping[str, Sequence[Draft]], refs: Mapping[str, str] | None = None) -> dict[str, Base | None]:
        """For each changed series, the stored commits its rewrite keeps (those before its first change), or None
        (``refs``: the draft branches, when already read)."""
        refs = refs if refs is not None else self._git.refs(_DRAFTS)
        out: dict[str, Base | None] = {}
        for name in changed:
            if name not in tips or name not in before:
                out[name] = None
                continue
            prefix = f"{_DRAFTS}{name}/"
            round_refs = {ref.removeprefix(prefix): sha for ref, sha in refs.items() if ref.startswith(prefix) and "/" not in ref.removeprefix(prefix)}
            out[name] = self._git.plan_base(name, tips[name], before[name], after[name], self._drafts(name, tips, refs),
                                            drafts.get(name, ()), record_bytes, round_refs)
        return out

    def _drafts_after(self, tips: dict[str, str], after: dict[str, tuple[Version, ...]], changed: set[str],
                      refs: Mapping[str, str]) -> dict[str, list[Draft]]:
        """The stored drafts of the series that change or go, under the name of the series their adopted
        versions are in now (a series renamed or merged by an add keeps its negotiations)."""
        series_of = {v.symbol: name for name, vs in after.items() for v in vs}
        out: dict[str, list[Draft]] = {}
        for old in sorted(set(tips) & (changed | (set(tips) - set(after)))):
            found = self._drafts(old, tips, refs)
            if not found:
                continue
            last = self._catalogue().records.get(old, [])
            keys = [r["key"] for r in last]
            new = next((series_of[v.symbol] for vs in [after.get(old, ())] for v in vs), None) or \
                next((series_of[s] for s in series_of if s.key in keys), old)
            out.setdefault(new, []).extend(replace(d, series=new) for d in found)
        return out

    def _drafts(self, name: str, tips: Mapping[str, str] | None = None, refs: Mapping[str, str] | None = None) -> list[Draft]:
        """A series' drafts: those of closed rounds are in its tip, the open round's on ``drafts/<name>/next``
        (``refs``: the draft branches, when already read)."""
        tips = tips if tips is not None else self._series_tips()
        if name not in tips:
            return []
        ref = f"{_DRAFTS}{name}/{OPEN_ROUND}"
        open_round = (refs if refs is not None else self._git.refs(ref)).get(ref)
        return self._git.drafts(open_round or tips[name], name)

    # ------------------------------------------------------------ drafts

    def drafts(self, name: str) -> tuple[Draft, ...]:
        """One series' drafts (see ``resolve_series``), in date and stage order."""
        with self._lock(exclusive=False):
            return tuple(sorted(self._drafts(self.resolve_series(name)), key=lambda d: d.order))

    def add_draft(self, item: Received, *, draft_of: str | None, stage: str | None, replace_texts: bool = False) -> tuple[str, Draft, str, tuple[str, ...]]:
        """File one draft in its series: (series, the draft, "added" | "unchanged" | "replaced", warnings).

        The series is ``draft_of`` (a series name, a stored symbol, or an L symbol a stored version
        came from), else the one whose version its L symbol, its recalls or its title name."""
        read = read_bytes(item.data, name=item.name)
        doc = read.document if read.document is not None else parse(read.text, source=item.name)
        if not doc.paragraphs:
            raise InputError(f"{item.name}: the draft has no text", hint="check the file")
        with self._lock(exclusive=True), self._git.steady_refs():
            self.recover()
            self._git.remove_stale_locks()
            self._git.check_worktree()
            tips = self._series_tips()
            cat = self._catalogue()
            before = {name: _from_records(cat.records[name]) for name in cat.records}
            self._check_main(tips, before)
            name = self._draft_series(doc, read.text, draft_of, item.symbol, before)
            versions = before[name]
            source = Source(name=item.name if "://" in item.name else Path(item.name).name,
                            sha256=sha256(item.data).hexdigest(), kind=read.kind, path="")
            draft = with_source_path(draft_from(doc, series=name, stage=stage, date=item.date, symbol=item.symbol,
                                                source=source, text=read.text), read.kind)
            stored = self._drafts(name, tips)
            drafts, outcome = merge_draft(stored, draft, versions, replace_texts=replace_texts)
            if outcome != "unchanged":
                plans = self._plans(tips, before, before, {name}, {name: drafts})
                where = {v.symbol: name for v in versions}
                texts = self._stored_versions(tips, where, {v.symbol for v in versions[_kept(plans[name]):]})
                after = dict(before) | {name: tuple(_with_texts(v, texts.get(v.symbol)) for v in versions)}
                self._commit(tips, after, {name}, {source.sha256: item.data}, {source.sha256: (item.name, item.received)}, {},
                             drafts={name: drafts}, plans=plans)
        return name, draft, outcome, read.warnings + doc.warnings

    def _draft_series(self, doc: Document, text: str, draft_of: str | None, symbol: str | None,
                      before: Mapping[str, tuple[Version, ...]]) -> str:
        document = normalise_l_symbol(symbol) if symbol else find_l_symbol(text)
        if draft_of and not is_l_symbol(draft_of):
            return self.resolve_series(draft_of)
        wanted = normalise_l_symbol(draft_of) if draft_of else document
        if wanted:
            # The metadata may name the draft with its revision and addenda ("A/76/L.8/Rev.1 and A/76/L.8/Rev.1/Add.1").
            for name, vs in before.items():
                if any(l_base(wanted) in {l_base(s) for s in l_symbols_in(v.originating)} for v in vs):
                    return name
            if draft_of:
                raise StoreError(f"--draft-of {draft_of}: no stored version came from that draft",
                                 hint="give the series or a stored symbol: --draft-of regional-cooperation or --draft-of 2002/82")
        where = {v.symbol: name for name, vs in before.items() for v in vs}
        body = next((b for b, n in BODY_NAMES.items() if doc.body and n.lower() == doc.body.lower()), None)
        if body is not None:
            named = [s for s in recalled_all(doc, Symbol(body, "9999", "0")) if s in where]
            if named:
                return where[max(named, key=session_number)]
        key = title_key(doc.title or "")
        by_title = sorted((v.date, name) for name, vs in before.items() for v in vs if key and title_key(v.title) == key)
        if by_title:
            return by_title[-1][1]
        raise InputError(f"{doc.source}: which series is this a draft of? Its recalls and title name no stored version",
                         hint="say so: resdiff add FILE --draft-of SERIES (or a stored symbol of the series) --stage NAME")

    def find_draft(self, spec: str) -> tuple[str, Draft] | None:
        """The stored draft that ``spec`` names: ``SERIES@stage``, ``SYMBOL@stage`` (the round that
        SYMBOL closes), or an L-document symbol; None when ``spec`` is none of these forms."""
        if "@" in spec:
            where, _, stage = spec.rpartition("@")
            if not where.strip() or not stage.strip():
                raise InputError(f"{spec!r}: name a stored draft as SERIES@STAGE or SYMBOL@STAGE",
                                 hint="e.g. regional-cooperation@rev1, 2003/73@zero (resdiff log SERIES lists the stages)")
            name = self.resolve_series(where)
            drafts = sorted(self._drafts(name), key=lambda d: d.order)
            versions = self.catalogue_of(name)
            try:
                closing = parse_symbol(where)
            except SymbolError:
                closing = None
            every = drafts
            if closing is not None and any(v.symbol == closing for v in versions):
                at = [v.symbol for v in versions].index(closing)
                drafts = [d for d in drafts if round_of(d, versions) == at]
            found = [d for d in drafts if d.stage.lower() == stage.lower() or stage_slug(d.stage) == stage_slug(stage)]
            if not found:
                listed = ", ".join(dict.fromkeys(d.stage for d in drafts)) or "none"
                where_ = f"the round {where} closed" if len(drafts) != len(every) else name
                others = [f"{versions[round_of(d, versions)].symbol.short if round_of(d, versions) < len(versions) else 'the open round'}@{d.stage}"
                          for d in every if d not in drafts]
                hint = f"stages stored for {where_}: {listed}" + (f"; elsewhere in the series: {', '.join(others[:6])}" if others else "")
                raise StoreError(f"{spec}: no stage {stage!r} stored for {where_}", hint=hint)
            return name, found[-1]
        if is_l_symbol(spec):
            wanted = normalise_l_symbol(spec)
            for name in self._catalogue().names:
                found = [d for d in self._drafts(name) if d.document == wanted]
                if found:
                    return name, max(found, key=lambda d: d.order)
            raise StoreError(f"{wanted}: no draft with that symbol in the store {self.path}",
                             hint="add it first: resdiff add FILE --draft-of SERIES --stage NAME")
        return None

    def stage_before(self, spec: str) -> str | None:
        """For ``resdiff SERIES@STAGE``: the text before that draft, as an argument ``resolve`` reads
        (the stage before it in its round, else the adopted version the round starts from); None for
        a draft that nothing stored comes before."""
        found = self.find_draft(spec)
        assert found is not None
        name, draft = found
        versions = self.catalogue_of(name)
        at = round_of(draft, versions)
        same = sorted((d for d in self._drafts(name) if round_of(d, versions) == at), key=lambda d: d.order)
        earlier = same[:same.index(draft)] if draft in same else []
        if earlier:
            prev = earlier[-1]
            return f"{_written(versions[at].symbol)}@{prev.stage}" if at < len(versions) else f"{name}@{prev.stage}"
        return _written(versions[at - 1].symbol) if at > 0 else None

    def closing_version(self, name: str, draft: Draft) -> Version | None:
        """The stored adopted version that closes a draft's round; None while the round is open."""
        versions = self.catalogue_of(name)
        at = round_of(draft, versions)
        return versions[at] if at < len(versions) else None

    def draft_received(self, draft: Draft) -> dict[str, str]:
        """When and from where a draft's bytes arrived (from the notes); empty when unknown."""
        with self._lock(exclusive=False):
            return self._git.note(self._git.source_blob(draft.source.sha256))

    def draft_bytes(self, draft: Draft) -> bytes:
        """The bytes a draft was received as (after ``drafts`` or ``find_draft`` read it)."""
        return self._git.read(self._git.source_blob(draft.source.sha256))

    def _save_catalogue(self, tips: dict[str, str], after: dict[str, tuple[Version, ...]]) -> None:
        records = {name: [record_of(v) for v in vs] for name, vs in after.items()}
        digests = {s.sha256 for vs in after.values() for v in vs for s in v.all_sources}
        blobs = {d: self._git.source_blob(d) for d in digests}
        save_catalogue(self._git.git_dir, tips, records, blobs)

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


def _with_texts(v: Version, stored: Version | None) -> Version:
    """``v`` with the texts (its own and its variants') that only the stored version read from git has."""
    if stored is None:
        return v
    known = {x.lang: x.text for x in stored.variants}
    variants = tuple(x if x.text else replace(x, text=known.get(x.lang, "")) for x in v.variants)
    return replace(v, text=v.text or stored.text, variants=variants)


def _written(symbol: Symbol) -> str:
    """A symbol as a user would write it: short ("2003/73") when that names it, else with its body ("hrc:S-1/1")."""
    try:
        return symbol.short if parse_symbol(symbol.short) == symbol else symbol.key
    except SymbolError:
        return symbol.key


def _kept(plan: Base | None) -> int:
    """How many versions, from the first, a rewrite keeps as stored."""
    return plan.count if plan else 0


def _from_records(records: Sequence[dict]) -> tuple[Version, ...]:
    return tuple(sorted((version_from_record(r) for r in records), key=lambda v: v.order))


def _reason(exc: ResdiffError, name: str) -> str:
    """One line: what happened (without the file name that the caller prints before it)."""
    return exc.message.removeprefix(f"{name}: ")


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
