"""Series, versions and lineage -> what the store commands print: HTML, text and JSON.

Owns the outputs of ``log``, ``show``, ``blame`` (text tables and JSON) and the
history report's view model: the timeline (one row and one chart bar
per version), the lineage of every paragraph of the latest text, and each
year's redline (changed paragraphs only, drawn with the compare report's own
``_pair.html`` partial). Templates are rendered through ``render``'s jinja2
environment (this module does not import jinja2); pair views come from
``render`` too, so both reports show a pair the same way. No wall-clock time
unless the caller passes ``generated``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from . import render
from .history import BlameLine, ChangeStats, Lineage, SeriesHistory, Version, document_of
from .model import Comparison, Section
from .negotiation import Round
from .negotiation_report import round_json, round_views, stage_rows

_CHART_HEIGHT = 96
"""Pixels above (inserted) and below (deleted) the chart's middle line."""
_CHART_WIDTH, _LEFT, _LABELS = 900, 48, 64
_VOTE_HEIGHT = 96
"""Pixels of the tallest vote bar."""


@dataclass(frozen=True)
class Bar:
    """One version in the chart: words inserted above the line, deleted below."""

    x: int
    ins_height: int
    del_height: int
    label: str
    anchor: str
    tooltip: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    middle: int
    bars: tuple[Bar, ...]
    bar_width: int
    scale: int
    """Words that a full half-height bar stands for."""


@dataclass(frozen=True)
class VoteBar:
    """One version in the votes chart: three bars side by side, each with its count printed above it."""

    x: int
    label: str
    anchor: str
    heights: tuple[int, int, int]
    """Pixels of the in-favour, against and abstaining bars (0 for a version adopted without a vote)."""
    counts: tuple[int, int, int]
    recorded: bool
    """False: adopted without a vote (or not known); the bar slot says so."""
    tooltip: str


@dataclass(frozen=True)
class VoteChart:
    width: int
    height: int
    base: int
    """y of the bars' foot."""
    bar_width: int
    bars: tuple[VoteBar, ...]


@dataclass(frozen=True)
class VersionRow:
    """A version in the timeline table."""

    anchor: str
    symbol: str
    full: str
    date: str
    date_iso: str
    title: str
    title_changed: bool
    """The title differs from the previous version's (always shown for the first)."""
    stats: ChangeStats
    first: bool
    source: str
    votes: str = ""
    """"135-1-3" (in favour, against, abstaining), "without a vote", or "" when not known."""
    round: str = ""
    """The name of the drafting round this version closed (its slug): the history links it when drafts are stored."""


@dataclass(frozen=True)
class LabelRun:
    """Consecutive versions in which a paragraph kept one label."""

    label: str
    since: str
    until: str
    href: str


@dataclass(frozen=True)
class LineageRow:
    """A paragraph of the latest text and where it comes from."""

    label: str
    anchor: str
    text: str
    section: str
    first: str
    first_href: str
    changed: str
    changed_href: str
    runs: tuple[LabelRun, ...]


@dataclass(frozen=True)
class Redline:
    """One version against its predecessor: the changed pairs, re-anchored for this page."""

    anchor: str
    row: VersionRow
    previous: VersionRow
    pairs: tuple[Any, ...]
    """``render.PairView`` objects for the pairs that changed."""
    unchanged: int
    """Pairs left out because nothing but (perhaps) their number changed."""


def render_history(history: SeriesHistory, rounds: Sequence[Round] = (), *, generated: str | None = None) -> str:
    """The whole series as one HTML page: timeline, chart, lineage, every redline and the drafting rounds."""
    return _environment().get_template("history.html").render(history_context(history, rounds), generated=generated)


def history_context(history: SeriesHistory, rounds: Sequence[Round] = ()) -> dict[str, Any]:
    """The view model the template reads (exposed for tests)."""
    rows = _rows(history)
    redlines = _redlines(history, rows)
    views = round_views(rounds)
    return {
        "rounds": views,
        "round_of": {v.name: v for v in views},
        "series": history.name,
        "title": history.versions[-1].title if history.versions else history.name,
        "rows": rows,
        "chart": _chart(history, rows),
        "votes": _vote_chart(history, rows),
        "lineage": _lineage(history, rows, redlines),
        "redlines": redlines,
        "latest": rows[-1] if rows else None,
    }


# ---------------------------------------------------------------- timeline and chart

def _anchor(v: Version) -> str:
    return f"v-{v.symbol.slug}"


def _rows(history: SeriesHistory) -> list[VersionRow]:
    rows = []
    for i, (v, stats) in enumerate(zip(history.versions, history.stats)):
        rows.append(VersionRow(
            anchor=_anchor(v), symbol=v.symbol.short, full=v.symbol.full, date=render.long_date(v.date),
            date_iso=v.date, title=v.title, title_changed=i == 0 or v.title != history.versions[i - 1].title,
            stats=stats, first=i == 0, source=v.source.name, votes=v.votes.summary if v.votes else "", round=v.symbol.slug,
        ))
    return rows


def _chart(history: SeriesHistory, rows: Sequence[VersionRow]) -> Chart:
    peak = max([max(s.words_inserted, s.words_deleted) for s in history.stats] + [1])
    scale = _round_up(peak)
    # Bars share the page width: wide for a few versions, at least 14 px each for many.
    step = max(14, min(72, (_CHART_WIDTH - _LEFT) // max(len(rows), 1)))
    bar = max(10, step * 2 // 3)
    bars = []
    for i, (row, s) in enumerate(zip(rows, history.stats)):
        bars.append(Bar(
            x=_LEFT + i * step,
            ins_height=round(_CHART_HEIGHT * s.words_inserted / scale),
            del_height=round(_CHART_HEIGHT * s.words_deleted / scale),
            label=row.symbol, anchor=row.anchor,
            tooltip=f"{row.symbol} ({row.date}): first version" if row.first
            else f"{row.symbol} ({row.date}): +{s.words_inserted} / -{s.words_deleted} words, "
                 f"{s.added} added, {s.deleted} deleted, {s.modified} modified paragraphs",
        ))
    width = _LEFT + len(rows) * step + 8
    return Chart(width=width, height=2 * _CHART_HEIGHT + _LABELS + 8, middle=_CHART_HEIGHT + 4,
                 bars=tuple(bars), bar_width=bar, scale=scale)


def _vote_chart(history: SeriesHistory, rows: Sequence[VersionRow]) -> VoteChart | None:
    """The recorded votes per version on the word chart's x positions; None when no version has votes."""
    if not any(v.votes for v in history.versions):
        return None
    step = max(14, min(72, (_CHART_WIDTH - _LEFT) // max(len(rows), 1)))
    bar = max(3, (step * 2 // 3) // 3)
    peak = max([max(v.votes.in_favour, v.votes.against, v.votes.abstaining) for v in history.versions if v.votes] + [1])
    bars = []
    for i, (v, row) in enumerate(zip(history.versions, rows)):
        counts = (v.votes.in_favour, v.votes.against, v.votes.abstaining) if v.votes and v.votes.recorded else (0, 0, 0)
        recorded = bool(v.votes and v.votes.recorded)
        what = f"{counts[0]} in favour, {counts[1]} against, {counts[2]} abstaining" if recorded \
            else "adopted without a vote" if v.votes else "votes not known"
        bars.append(VoteBar(x=_LEFT + i * step, label=row.symbol, anchor=row.anchor,
                            heights=tuple(round(_VOTE_HEIGHT * c / peak) for c in counts), counts=counts,
                            recorded=recorded, tooltip=f"{row.symbol} ({row.date}): {what}"))
    return VoteChart(width=_LEFT + len(rows) * step + 8, height=_VOTE_HEIGHT + 16 + _LABELS, base=_VOTE_HEIGHT + 14,
                     bar_width=bar, bars=tuple(bars))


def _round_up(n: int) -> int:
    """A round number of words for the chart's scale: 1, 2, 5, 10, 20, 50 ..."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= n:
                return step * m
        step *= 10


# ---------------------------------------------------------------- redlines

def _redlines(history: SeriesHistory, rows: Sequence[VersionRow]) -> list[Redline]:
    out = []
    for i in range(1, len(rows)):
        c = history.comparisons[i]
        assert c is not None
        pairs = [replace(p, anchor=f"{rows[i].anchor}-{p.anchor}") for p in _pair_views(c, rows[i - 1].symbol, rows[i].symbol)]
        shown = tuple(p for p in pairs if p.changed)
        out.append(Redline(anchor=f"{rows[i].anchor}-redline", row=rows[i], previous=rows[i - 1],
                           pairs=shown, unchanged=len(pairs) - len(shown)))
    return out


def _pair_views(c: Comparison, old_name: str, new_name: str) -> list[Any]:
    # render owns how a pair is shown; its view model is reused so both reports agree.
    return list(render.view_context(c, old_name, new_name)["pairs"])


def _environment() -> Any:
    # The one jinja2 environment (autoescape, StrictUndefined, package loader) lives in render.
    return render.environment()


# ---------------------------------------------------------------- lineage

def _lineage(history: SeriesHistory, rows: Sequence[VersionRow], redlines: Sequence[Redline]) -> list[LineageRow]:
    if not rows:
        return []
    where = _pair_anchors(history, redlines)
    last = len(rows) - 1
    out = []
    for p, lin in zip(history.documents[last].paragraphs, history.lineages[last]):
        if p.section in (Section.HEADING, Section.FOOTER):
            continue  # symbol, meeting and date lines change every year by nature
        out.append(LineageRow(
            label=p.label, anchor=f"para-{p.label.replace('#', '-')}", text=p.text, section=p.section.value,
            first=rows[lin.first].symbol, first_href=_href(where, rows, lin.first, _label_at(lin, lin.first)),
            changed=rows[lin.changed].symbol, changed_href=_href(where, rows, lin.changed, _label_at(lin, lin.changed)),
            runs=_runs(lin, rows, where),
        ))
    return out


def _pair_anchors(history: SeriesHistory, redlines: Sequence[Redline]) -> dict[tuple[int, str], str]:
    """(version index, new label) -> anchor of the shown pair that holds it."""
    out = {}
    for i, red in enumerate(redlines, start=1):
        for pair in red.pairs:
            for label in pair.new_label.split(" + "):
                out[(i, label)] = pair.anchor
    return out


def _label_at(lin: Lineage, index: int) -> str:
    return next((label for k, label in lin.labels if k == index), "")


def _href(where: dict[tuple[int, str], str], rows: Sequence[VersionRow], index: int, label: str) -> str:
    return "#" + where.get((index, label), rows[index].anchor)


def _runs(lin: Lineage, rows: Sequence[VersionRow], where: dict[tuple[int, str], str]) -> tuple[LabelRun, ...]:
    runs: list[LabelRun] = []
    for k, label in lin.labels:
        if runs and runs[-1].label == label:
            runs[-1] = replace(runs[-1], until=rows[k].symbol)
        else:
            runs.append(LabelRun(label, rows[k].symbol, rows[k].symbol, _href(where, rows, k, label)))
    return tuple(runs)


# ---------------------------------------------------------------- text and JSON for the other commands

def series_list_text(series: Mapping[str, Sequence[Version]], churns: Mapping[str, int] | None = None) -> str:
    """One line per series: name, number of versions, first and last, (words changed,) latest title."""
    lines = []
    for name, vs in series.items():
        span = f"{vs[0].symbol.short} ({vs[0].date}) .. {vs[-1].symbol.short} ({vs[-1].date})"
        churn = f"\t{churns[name]} words changed" if churns is not None else ""
        lines.append(f"{name}\t{len(vs)} version{'s' if len(vs) != 1 else ''}\t{span}{churn}\t{vs[-1].title}")
    return "".join(line + "\n" for line in lines)


def series_list_json(series: Mapping[str, Sequence[Version]]) -> str:
    data = [{"series": name, "versions": [v.symbol.key for v in vs], "title": vs[-1].title} for name, vs in series.items()]
    return _dump({"series": data})


def corpus_json(series: Mapping[str, Sequence[Version]], stats: Mapping[str, Sequence[ChangeStats]]) -> str:
    """Every series with each version's changes against the previous one and its votes when known."""
    out = []
    for name, vs in series.items():
        steps = stats[name]
        out.append({"series": name, "title": vs[-1].title, "first": vs[0].symbol.key, "last": vs[-1].symbol.key,
                    "churn": sum(s.volume for s in steps[1:]),
                    "versions": [_version_row(v, s, first=i == 0) for i, (v, s) in enumerate(zip(vs, steps))]})
    return _dump({"series": out})


_CSV_COLUMNS = ("series", "position", "symbol", "full", "date", "title", "paragraphs", "words_inserted", "words_deleted",
                "paragraphs_added", "paragraphs_deleted", "paragraphs_modified", "routine", "adoption",
                "in_favour", "against", "abstaining", "committee")


def corpus_csv(series: Mapping[str, Sequence[Version]], stats: Mapping[str, Sequence[ChangeStats]]) -> str:
    """One row per version of every series (changes empty for the first of a series, votes when known)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for name, vs in series.items():
        for i, (v, s) in enumerate(zip(vs, stats[name])):
            changes = ["", "", "", "", "", ""] if i == 0 else [s.words_inserted, s.words_deleted, s.added, s.deleted, s.modified, s.routine]
            votes = ["", "", "", ""] if v.votes is None else \
                [v.votes.kind, *([v.votes.in_favour, v.votes.against, v.votes.abstaining] if v.votes.recorded else ["", "", ""])]
            writer.writerow([name, i + 1, v.symbol.key, v.symbol.full, v.date, v.title, s.paragraphs, *changes, *votes, v.committee or ""])
    return buffer.getvalue()


def _version_row(v: Version, s: ChangeStats, *, first: bool) -> dict[str, object]:
    return {"symbol": v.symbol.key, "full": v.symbol.full, "date": v.date, "title": v.title, "paragraphs": s.paragraphs,
            "changes": None if first else asdict(s), **_recorded(v)}


def _recorded(v: Version) -> dict[str, object]:
    """What a --meta file said about a version (nulls and empty lists when nothing was given)."""
    return {"votes": v.votes.as_dict() if v.votes else None, "sponsors": list(v.sponsors), "committee": v.committee,
            "originating": v.originating}


def votes_text(v: Version) -> str:
    """"115-6-31", "no vote" (adopted without a vote), or "-" when not known."""
    if v.votes is None:
        return "-"
    return v.votes.summary if v.votes.recorded else "no vote"


def log_text(history: SeriesHistory, rounds: Sequence[Round] = ()) -> str:
    """A table of the series' versions with their change against the previous one (and votes, when known);
    with ``rounds``, each adoption is preceded by its drafts (indented), each against the stage before it."""
    votes = any(v.votes for v in history.versions)
    closing = {r.closed_by.symbol if r.closed_by else None: stage_rows(r) for r in rounds}
    staged = [row for rows in closing.values() for row in rows]
    width = max([10] + [len(v.symbol.short) for v in history.versions] + [len(name) + 2 for name, *_ in staged])
    head = (f"{'SYMBOL':<{width}} {'ADOPTED' if not staged else 'DATE':<10} {'PARAS':>5} {'+WORDS':>6} {'-WORDS':>6} "
            f"{'ADDED':>5} {'DELETED':>7} {'MODIFIED':>8} {'ROUTINE':>7}") + (f" {'BRACKETED':>9}" if staged else "")
    lines = [head + (f"  {'VOTES':<11}" if votes else "") + "  TITLE (when it changed)"]

    def stage_lines(rows: Sequence[tuple[str, str, ChangeStats, int, bool]]) -> None:
        for name, when, s, bracketed, compared in rows:
            a, b, c, d, e, f = [s.words_inserted, s.words_deleted, s.added, s.deleted, s.modified, s.routine] if compared else ["-"] * 6
            lines.append(f"{'  ' + name:<{width}} {when:<10} {s.paragraphs:>5} {a:>6} {b:>6} "
                         f"{c:>5} {d:>7} {e:>8} {f:>7} {bracketed or '-':>9}")

    for i, (v, s) in enumerate(zip(history.versions, history.stats)):
        stage_lines(closing.get(v.symbol, ()))
        changes = ["-"] * 6 if i == 0 else [s.words_inserted, s.words_deleted, s.added, s.deleted, s.modified, s.routine]
        title = v.title if i == 0 or v.title != history.versions[i - 1].title else ""
        a, b, c, d, e, f = changes
        vote = f"  {votes_text(v):<11}" if votes else ""
        brackets = f" {'-':>9}" if staged else ""
        lines.append(f"{v.symbol.short:<{width}} {v.date:<10} {s.paragraphs:>5} {a:>6} {b:>6} {c:>5} {d:>7} {e:>8} {f:>7}{brackets}{vote}  {title}".rstrip())
    if None in closing:
        lines.append(f"{'(open)':<{width}}  drafts of the next version, not adopted yet:")
        stage_lines(closing[None])
    return "\n".join(lines) + "\n"


def log_json(history: SeriesHistory, rounds: Sequence[Round] = ()) -> str:
    versions = [_version_row(v, s, first=i == 0) for i, (v, s) in enumerate(zip(history.versions, history.stats))]
    return _dump({"series": history.name, "versions": versions, "rounds": [round_json(r) for r in rounds]})


def blame_text(lines: Sequence[BlameLine], *, stages: bool = False) -> str:
    """Label, the version the wording dates from, the version it first appeared in, the text;
    with ``stages``, the drafting stage of that version's round the wording dates from too."""
    width = max([len(b.label) for b in lines] + [5])
    sw = max([len(b.stage or "-") for b in lines] + [5]) if stages else 0
    stage = (lambda b: f"{b.stage or '-':<{sw}} ") if stages else (lambda b: "")
    out = [f"{'LABEL':<{width}}  {'SINCE':<10} " + (f"{'STAGE':<{sw}} " if stages else "") + f"{'FIRST':<10} TEXT"]
    out += [f"{b.label:<{width}}  {b.changed.symbol.short:<10} {stage(b)}{b.first.symbol.short:<10} {b.text}" for b in lines]
    return "\n".join(out) + "\n"


def blame_json(lines: Sequence[BlameLine]) -> str:
    return _dump({"paragraphs": [
        {"label": b.label, "text": b.text, "since": b.changed.symbol.key, "stage": b.stage, "first": b.first.symbol.key,
         "labels": [{"symbol": s, "label": label} for s, label in b.labels]}
        for b in lines
    ]})


def version_json(version: Version, *, series: str, commit: str, received: Mapping[str, str], lang: str = "en") -> str:
    """Everything the store keeps about one version, paragraphs included (in ``lang``: its variant's)."""
    doc = document_of(version, lang)
    variant = version.variant(lang)
    source = variant.source if variant else version.source
    return _dump({
        "symbol": version.symbol.key, "full": version.symbol.full, "series": series, "commit": commit,
        "title": doc.title, "date": version.date, "body": version.body, "meeting": version.meeting,
        "adoption": version.adoption, "recalls": version.recalls.key if version.recalls else None,
        "lang": lang, "languages": list(version.languages),
        "source": asdict(source) | {"received": received.get("received"), "from": received.get("from")},
        "variants": [{"lang": x.lang, "title": x.title, "source": asdict(x.source)} for x in version.variants],
        "superseded": [asdict(s) for s in version.superseded], "given": list(version.given), **_recorded(version),
        "paragraphs": [{"label": p.label, "section": p.section.value, "text": p.text} for p in doc.paragraphs],
    })


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
