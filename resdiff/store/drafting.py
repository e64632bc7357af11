"""How ``Store`` files and finds drafts: ``add_draft``, ``SERIES@stage``, ``SYMBOL@stage`` and L symbols.

Owns: which series a draft belongs to (``--draft-of``, its L symbol, recalls or title), filing it
in the same transaction as an add (``Filing``), and naming a stored stage. Does not own what a
draft is or its rounds (``resdiff/drafts.py``) or reading a series' stored drafts (``api.py``):
``Drafting`` is mixed into ``Store`` and uses its reading, locking and filing methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from hashlib import sha256
from pathlib import Path

from ..drafts import (
    Draft,
    draft_from,
    find_l_symbol,
    is_l_symbol,
    l_base,
    l_symbols_in,
    merge_draft,
    normalise_l_symbol,
    round_of,
    stage_slug,
    with_source_path,
)
from ..errors import InputError, StoreError, SymbolError
from ..history import Source, Version
from ..model import Document
from ..parse import parse
from ..readers import read_bytes
from ..series import recalled_all, session_number, title_key
from ..symbols import BODY_NAMES, Symbol, parse_symbol
from .filing import kept_count, with_texts
from .records import Received, versions_from_records
from .repository import Repository


class Drafting:
    """The drafts half of ``Store``: mixed into it (``api.py``), whose reading, locking and filing it uses."""

    path: Path
    _git: Repository

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
            before = {name: versions_from_records(cat.records[name]) for name in cat.records}
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
                plans = self._plans(tips, before, before, {name}, {name: drafts}, {name: stored})
                where = {v.symbol: name for v in versions}
                texts = self._stored_versions(tips, where, {v.symbol for v in versions[kept_count(plans[name]):]})
                after = dict(before) | {name: tuple(with_texts(v, texts.get(v.symbol)) for v in versions)}
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


def _written(symbol: Symbol) -> str:
    """A symbol as a user would write it: short ("2003/73") when that names it, else with its body ("hrc:S-1/1")."""
    try:
        return symbol.short if parse_symbol(symbol.short) == symbol else symbol.key
    except SymbolError:
        return symbol.key
