"""Views of the drafting rounds (``negotiation.Round``): the rows ``resdiff log`` prints
between adoptions, their JSON, and the view model of the history page's negotiation lanes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from . import render
from .drafts import Draft
from .history import ChangeStats, Version, stored_paragraph
from .negotiation import Round, Stage, Track


@dataclass(frozen=True)
class StageView:
    """One stage of a round as the history page shows it."""

    name: str
    anchor: str
    date: str
    date_iso: str
    adopted: bool
    document: str | None
    """The L-document symbol of a draft that is one."""
    stats: ChangeStats | None
    """Against the previous stage; None for the round's first text."""
    bracketed: int
    agreed: int
    """Paragraphs bracketed in the previous stage and free of brackets in this one."""
    previous: str | None
    pairs: tuple[Any, ...]
    """``render.PairView`` objects for the pairs that changed."""
    unchanged: int


@dataclass(frozen=True)
class RoundView:
    """One round: its lane of stages and its negotiation table."""

    anchor: str
    name: str
    heading: str
    open: bool
    stages: tuple[StageView, ...]
    table: tuple[tuple[Track, str], ...]
    """Each paragraph's track with the first words of its text."""
    drafts: int
    anchors: dict[str, str]
    """Stage name -> the anchor of its redline."""


def round_views(found: Sequence[Round]) -> list[RoundView]:
    out = []
    for r in found:
        anchor = f"round-{r.name}"
        if r.closed_by is not None:
            heading = f"Negotiation of {r.closed_by.symbol.short}"
        else:
            heading = "Negotiation under way (no adopted text yet)"
        stages, previous = [], None
        for k, s in enumerate(r.stages):
            stage_anchor = f"{anchor}-s{k}"
            pairs: list[Any] = []
            if s.comparison is not None and previous is not None:
                views = render.view_context(s.comparison, previous.name, s.name)["pairs"]
                pairs = [replace(p, anchor=f"{stage_anchor}-{p.anchor}") for p in views]
            shown = tuple(p for p in pairs if p.changed)
            stages.append(StageView(
                name=s.name, anchor=stage_anchor, date=render.long_date(s.date), date_iso=s.date, adopted=s.adopted,
                document=s.draft.document if s.draft else None, stats=s.stats if s.comparison is not None else None,
                bracketed=s.bracketed, agreed=_agreed(previous, s) if previous else 0, previous=previous.name if previous else None, pairs=shown, unchanged=len(pairs) - len(shown)))
            previous = s
        out.append(RoundView(anchor, r.name, heading, r.closed_by is None, tuple(stages),
                             tuple((t, excerpt(t.text)) for t in r.table), len(r.drafts),
                             {s.name: s.anchor for s in stages}))
    return out


def _agreed(before: Stage, stage: Stage) -> int:
    """Paragraphs whose brackets this stage removed (by the comparison's pairs)."""
    if stage.comparison is None:
        return 0
    old = {p.label: p for p in before.document.paragraphs}
    new = {p.label: p for p in stage.document.paragraphs}
    return sum(1 for pair in stage.comparison.pairs
               if any(old[x].bracketed for x in pair.old_labels if x in old)
               and pair.new_labels and not any(new[x].bracketed for x in pair.new_labels if x in new))


def excerpt(text: str, words: int = 14) -> str:
    """The first words of a paragraph, for tables that must stay short."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# ---------------------------------------------------------------- log

def stage_rows(r: Round) -> list[tuple[str, str, ChangeStats, int, bool]]:
    """(name, date, changes against the previous stage, paragraphs bracketed, compared) for each draft of
    a round and, when it is closed, the step from its last draft to the adopted text ("adopted");
    ``compared`` is False for a first draft that no stored text comes before."""
    rows = [(f"{s.name}", s.date, s.stats, s.bracketed, s.comparison is not None) for s in r.stages if not s.adopted]
    last = r.stages[-1]
    if last.adopted and r.closed_by is not None and last.comparison is not None and len(r.stages) > 1 and not r.stages[-2].adopted:
        rows.append(("adopted", last.date, last.stats, last.bracketed, True))
    return rows


def stage_json(s: Stage) -> dict[str, object]:
    return {"stage": s.name, "date": s.date, "adopted": s.adopted, "document": s.draft.document if s.draft else None,
            "source": s.draft.source.name if s.draft else None, "paragraphs": s.stats.paragraphs, "bracketed": s.bracketed,
            "changes": asdict(s.stats) if s.comparison is not None else None}


def draft_json(series: str, d: Draft, *, closes: Version | None, received: dict[str, str]) -> str:
    """Everything the store keeps about one draft, paragraphs included (``resdiff show SERIES@stage -f json``)."""
    data = {"series": series, "stage": d.stage, "date": d.date, "document": d.document, "title": d.title, "lang": d.lang,
            "round": closes.symbol.key if closes else None, "bracketed": d.unagreed,
            "source": asdict(d.source) | {"received": received.get("received"), "from": received.get("from")},
            "paragraphs": [{"label": p.label, "section": p.section.value, "text": p.text}
                           for p in map(stored_paragraph, d.text.splitlines()) if p.label]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def round_json(r: Round) -> dict[str, object]:
    return {
        "round": r.name, "opened_by": r.opened_by.symbol.key if r.opened_by else None,
        "closed_by": r.closed_by.symbol.key if r.closed_by else None,
        "stages": [stage_json(s) for s in r.stages],
        "paragraphs": [{"label": t.label, "first": t.first, "changes": t.changes, "last_touched": t.touched,
                        "stable_since": t.stable, "bracketed": t.bracketed} for t in r.table],
    }
