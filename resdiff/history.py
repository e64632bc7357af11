"""Series of versions: what a stored version is, which series it joins, how it evolved.

Pure: computed from parsed ``Document``s and ``Version`` records, no git, no files,
no templates. Owns the normalised text format (one paragraph per line,
``LABEL<TAB>text``), per-version change statistics, and paragraph lineage (first
appeared in, last changed in, labels through the years) from which ``blame`` and
the history report are made. ``store`` keeps versions in git; ``history_report``
renders a ``SeriesHistory``.

Which series a version joins is the rule in ``series.py`` (re-exported here):
each version continues at most one earlier version, chosen (1) among the stored
versions its "Recalling its resolution(s)" paragraphs or its links name, with
the same title, the most recent first; else (2) one with the same title from
one of the three sessions before (biennial and triennial series continue) --
but a generic title ("Report of the ...", "Programme budget ...") links so only
when the wording agrees too (30% of paragraphs alike); else (3) among those its
"Recalling" paragraphs name, one whose title shares half its content words
(titles drift). Versions of one session never continue each other by title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as _date

from .compare import compare
from .errors import StoreError
from .metadata import Votes
from .model import Comparison, Document, Paragraph, Section, Status
from .series import SERIES_NAME, assign_series, check_series_name, fingerprint, linked, recalled, recalled_all, series_slug  # noqa: F401
from .symbols import BODY_NAMES, Symbol, parse_symbol

_COUNTED = (Section.TITLE, Section.PREAMBLE, Section.OPERATIVE, Section.TEXT)


SAFE_PATH = re.compile(r"[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*")
"""The paths a store commits: built only from validated symbol slugs and series names."""


@dataclass(frozen=True)
class Source:
    """The bytes a version was made from, as received."""

    name: str
    """File name (without its directories) or URL."""
    sha256: str
    """Hex digest of the bytes."""
    kind: str
    """Format the bytes were read as: txt, docx, pdf, html, doc."""
    path: str
    """Where the bytes sit inside the series directory (``sources/chr-2003-73.txt``)."""


@dataclass(frozen=True)
class Variant:
    """The same adopted version in another official language (a translation, not a revision)."""

    lang: str
    """ISO 639-1 code: fr, es, ru, ar, zh."""
    source: Source
    title: str
    """Title as printed in that language."""
    text: str = ""
    """Normalised text, as ``Version.text``; empty when read from the index."""


@dataclass(frozen=True)
class Version:
    """One adopted text as the store keeps it."""

    symbol: Symbol
    """The resolution this text is."""
    date: str
    """Adoption date, ISO ``YYYY-MM-DD``."""
    title: str
    """Title as printed (or as given with ``--title``)."""
    text: str
    """Normalised text: one ``LABEL<TAB>text`` line per paragraph."""
    source: Source
    """The bytes it was read from."""
    body: str | None = None
    """Adopting organ as named in the chapeau."""
    meeting: str | None = None
    """Meeting line ("62nd meeting"); None when not printed."""
    adoption: str | None = None
    """Adoption note or vote; None when not printed."""
    recalls: Symbol | None = None
    """The most recent resolution its "Recalling its resolution ..." paragraph names."""
    pin: str | None = None
    """Series named with ``--series``; None when the series is detected."""
    superseded: tuple[Source, ...] = ()
    """Earlier texts under this symbol, replaced with ``--replace`` (oldest first)."""
    given: tuple[str, ...] = ()
    """Fields given on the command line instead of read from the text (symbol, date, title)."""
    recalled: tuple[Symbol, ...] = ()
    """Every earlier resolution of its body that its "Recalling/Reaffirming its resolution(s)" paragraphs name."""
    links: tuple[Symbol, ...] = ()
    """Earlier resolutions of its body that an Akoma Ntoso text links to; empty for other formats."""
    votes: Votes | None = None
    """How it was adopted, from a ``--meta`` file; None when not known."""
    sponsors: tuple[str, ...] = ()
    """Sponsors from a ``--meta`` file; empty when not known."""
    committee: str | None = None
    """Main Committee from a ``--meta`` file; None when not known."""
    originating: str | None = None
    """The draft it was adopted from (an L document, or a committee report), from a ``--meta`` file."""
    fingerprint: str = ""
    """A sketch of its wording (``series.fingerprint``), so series can be told apart without the text."""
    variants: tuple[Variant, ...] = ()
    """The version in other languages, by language code; the version itself is the English text."""

    def variant(self, lang: str) -> Variant | None:
        """The text in ``lang``; None when not stored (``en`` is the version itself, not a variant)."""
        return next((v for v in self.variants if v.lang == lang), None)

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """Every text kept for it: its source, the texts it superseded, its variants' sources."""
        return (self.source, *self.superseded, *(x.source for x in self.variants))

    @property
    def languages(self) -> tuple[str, ...]:
        """Codes of every language it is stored in, English first."""
        return ("en",) + tuple(v.lang for v in self.variants)

    @property
    def order(self) -> tuple[str, str, str, int, str]:
        """Sort key of a series: adoption date, then the symbol (its part letter last)."""
        number = int(self.symbol.number) if self.symbol.number.isdigit() else 0
        return (self.date, self.symbol.body.value, self.symbol.session, number, self.symbol.part)


# ---------------------------------------------------------------- versions from documents

def version_from(doc: Document, *, source: Source, symbol: str | None = None, date: str | None = None,
                 title: str | None = None, pin: str | None = None) -> Version:
    """A ``Version`` from a parsed text; options override what the text says."""
    sym = _symbol_of(doc, symbol)
    when = _date_of(doc, date, sym)
    given = tuple(name for name, value in (("symbol", symbol), ("date", date), ("title", title)) if value)
    if pin is not None:
        check_series_name(pin)
    text = normalise(doc)
    return Version(
        symbol=sym, date=when, title=title if title else doc.title, text=text, source=source, fingerprint=fingerprint(text),
        body=doc.body or BODY_NAMES[sym.body], meeting=doc.meeting, adoption=doc.adoption,
        recalls=recalled(doc, sym), pin=pin, given=given, recalled=recalled_all(doc, sym), links=linked(doc, sym),
    )


def variant_from(doc: Document, *, source: Source, symbol: str | None = None) -> tuple[Symbol, Variant]:
    """The symbol a non-English text is of, and the variant it makes."""
    return _symbol_of(doc, symbol), Variant(lang=doc.lang, source=source, title=doc.title, text=normalise(doc))


def _symbol_of(doc: Document, given: str | None) -> Symbol:
    if given:
        return parse_symbol(given)
    if not doc.symbol:
        raise StoreError(f"{doc.source}: no symbol found in the text (no \"... resolution 2003/73\" line)",
                         hint="pass it: resdiff add --symbol 2003/73 FILE")
    body = next((b for b, name in BODY_NAMES.items() if doc.body and name.lower() == doc.body.lower()), None)
    return parse_symbol(f"{body.value}:{doc.symbol}" if body else doc.symbol)


def _date_of(doc: Document, given: str | None, sym: Symbol) -> str:
    if given:
        try:
            return _date.fromisoformat(given).isoformat()
        except ValueError:
            raise StoreError(f"--date {given!r} is not a date", hint="write it as YYYY-MM-DD, e.g. --date 2003-04-25") from None
    if not doc.date:
        raise StoreError(f"{doc.source}: no adoption date found in the text of {sym.short}",
                         hint=f"pass it: resdiff add --date YYYY-MM-DD {doc.source}")
    return doc.date


# ---------------------------------------------------------------- normalised text

def normalise(doc: Document) -> str:
    """One ``LABEL<TAB>text`` line per paragraph, so git's line and word diffs follow paragraphs."""
    return "".join(f"{p.label}\t{p.text}\n" for p in doc.paragraphs)


def document_of(version: Version, lang: str = "en") -> Document:
    """The parsed document back from a stored version, or from its variant in ``lang``
    (labels and sections exactly as stored); a language it is not stored in is a ``StoreError``."""
    text, title, source = version.text, version.title, f"store:{version.symbol.key}"
    if lang != "en":
        variant = version.variant(lang)
        if variant is None:
            raise StoreError(f"{version.symbol.short} is stored in {language_names(version.languages)}, not in {language_names([lang])}",
                             hint=f"add its text in that language: resdiff add FILE (or resdiff fetch {version.symbol.short} --lang {lang})")
        text, title, source = variant.text, variant.title, f"{source}:{lang}"
    paragraphs = tuple(stored_paragraph(line) for line in text.splitlines() if line)
    return Document(
        paragraphs, source, title=title, symbol=version.symbol.short,
        body=version.body, date=version.date, meeting=version.meeting, adoption=version.adoption,
        structured=any(p.section in (Section.PREAMBLE, Section.OPERATIVE) for p in paragraphs), lang=lang,
    )


def language_names(codes: Sequence[str]) -> str:
    """"English, French": the languages' names (a code resdiff does not know as itself)."""
    from . import lang as languages

    return ", ".join(languages.table(c).name if c in languages.CODES else c for c in codes)


def stored_paragraph(line: str) -> Paragraph:
    """A paragraph back from one ``LABEL<TAB>text`` line of a stored text (its section from its label)."""
    label, _, text = line.partition("\t")
    if label.startswith("ANNEX"):
        return Paragraph(label, Section.TEXT, text)
    # "A.OP3": resolution A of a collection; the part after the letter says what it is.
    prefix = re.match(r"(?:[A-Z]\.)?([A-Z]+)", label)
    kind = prefix.group(1) if prefix else ""
    if markers := re.findall(r"\(([a-z]+)\)", label):
        # A sub-paragraph: "OP7(a)(i)" belongs to "OP7(a)", which belongs to "OP7".
        section = Section.OPERATIVE if kind == "OP" else Section.PREAMBLE if kind == "PP" else Section.TEXT
        return Paragraph(label, section, text, number=markers[-1], level=len(markers), parent=label.rsplit("(", 1)[0])
    if kind == "OP":
        return Paragraph(label, Section.OPERATIVE, text, number=label.split("OP", 1)[1].split("#")[0])
    if kind == "H":
        return Paragraph(label, Section.OPERATIVE, text)
    section = {
        "TITLE": Section.TITLE, "HEADING": Section.HEADING, "CHAPEAU": Section.CHAPEAU, "PP": Section.PREAMBLE,
        "MEETING": Section.FOOTER, "DATE": Section.FOOTER, "ADOPTION": Section.FOOTER, "NOTE": Section.FOOTER,
    }.get(kind, Section.TEXT)
    return Paragraph(label, section, text)


# ---------------------------------------------------------------- change statistics

@dataclass(frozen=True)
class ChangeStats:
    """How much one version changed against the previous one in its series.

    Counts cover the title, preambular and operative paragraphs: the heading and
    closing lines (symbol, meeting, date) change every year and would drown them.
    """

    paragraphs: int
    """Counted paragraphs in this version."""
    words_inserted: int = 0
    words_deleted: int = 0
    added: int = 0
    deleted: int = 0
    modified: int = 0
    """Edited, split or merged paragraphs."""
    routine: int = 0
    """Of the modified ones, those where only numbers, dates, ordinals or symbols changed."""
    moved: int = 0

    @property
    def volume(self) -> int:
        """Words inserted plus deleted: the height of this version's bar in the chart."""
        return self.words_inserted + self.words_deleted


def change_stats(doc: Document, comparison: Comparison | None) -> ChangeStats:
    """Statistics of ``doc``; all changes zero when it is the first of its series."""
    paragraphs = sum(1 for p in doc.paragraphs if p.section in _COUNTED)
    if comparison is None:
        return ChangeStats(paragraphs)
    pairs = [p for p in comparison.pairs if p.sections and Section(p.sections[0]) in _COUNTED]
    status = [p.status for p in pairs]
    return ChangeStats(
        paragraphs=paragraphs,
        words_inserted=sum(p.words_inserted for p in pairs),
        words_deleted=sum(p.words_deleted for p in pairs),
        added=status.count(Status.ADDED),
        deleted=status.count(Status.DELETED),
        modified=sum(s in (Status.MODIFIED, Status.SPLIT, Status.MERGED) for s in status),
        routine=sum(p.routine for p in pairs),
        moved=sum(p.moved for p in pairs),
    )


# ---------------------------------------------------------------- lineage

@dataclass(frozen=True)
class Lineage:
    """The history of one paragraph of one version, as indexes into the series."""

    first: int
    """Version where the paragraph (or the one it grew from) first appeared."""
    changed: int
    """Version whose wording it still has: the last one that changed it."""
    labels: tuple[tuple[int, str], ...]
    """(version, label) for every version it was in, oldest first."""


@dataclass(frozen=True)
class SeriesHistory:
    """A series with every version parsed, compared with its predecessor and traced."""

    name: str
    versions: tuple[Version, ...]
    """In adoption order."""
    documents: tuple[Document, ...]
    comparisons: tuple[Comparison | None, ...]
    """Against the previous version; None for the first."""
    stats: tuple[ChangeStats, ...]
    lineages: tuple[tuple[Lineage, ...], ...]
    """Per version, one lineage per paragraph, in the document's order."""

    def index(self, symbol: Symbol) -> int:
        """Position of ``symbol`` in the series."""
        return next(i for i, v in enumerate(self.versions) if v.symbol == symbol)


def build_history(name: str, versions: Sequence[Version]) -> SeriesHistory:
    """Parse, compare consecutive versions and trace every paragraph."""
    docs = tuple(document_of(v) for v in versions)
    comparisons = (None,) + tuple(compare(a, b) for a, b in zip(docs, docs[1:]))
    return SeriesHistory(
        name=name, versions=tuple(versions), documents=docs, comparisons=comparisons,
        stats=tuple(change_stats(d, c) for d, c in zip(docs, comparisons)),
        lineages=_lineages(docs, comparisons),
    )


def _lineages(docs: Sequence[Document], comparisons: Sequence[Comparison | None]) -> tuple[tuple[Lineage, ...], ...]:
    if not docs:
        return ()
    current = tuple(Lineage(0, 0, ((0, p.label),)) for p in docs[0].paragraphs)
    out = [current]
    for i, c in enumerate(comparisons[1:], start=1):
        assert c is not None
        current = _next_lineages(i, current, docs[i - 1], docs[i], c)
        out.append(current)
    return tuple(out)


def _next_lineages(i: int, previous: Sequence[Lineage], old: Document, new: Document, c: Comparison) -> tuple[Lineage, ...]:
    old_at = {p.label: k for k, p in reversed(list(enumerate(old.paragraphs)))}
    new_at = {p.label: k for k, p in reversed(list(enumerate(new.paragraphs)))}
    found: dict[int, Lineage] = {}
    for pair in c.pairs:
        olds = [previous[old_at[label]] for label in pair.old_labels if label in old_at]
        for label in pair.new_labels:
            if label not in new_at:
                continue
            if not olds:
                found[new_at[label]] = Lineage(i, i, ((i, label),))
                continue
            # A merged paragraph dates from the oldest of the paragraphs it was made from.
            base = min(olds, key=lambda lin: lin.first)
            changed = base.changed if pair.status is Status.UNCHANGED else i
            found[new_at[label]] = Lineage(base.first, changed, base.labels + ((i, label),))
    return tuple(found.get(k, Lineage(i, i, ((i, p.label),))) for k, p in enumerate(new.paragraphs))


@dataclass(frozen=True)
class BlameLine:
    """One paragraph of a version with where its wording comes from."""

    label: str
    text: str
    first: Version
    """Version in which the paragraph first appeared."""
    changed: Version
    """Version its present wording dates from (its last change)."""
    labels: tuple[tuple[str, str], ...]
    """(short symbol, label) through the versions, oldest first."""
    stage: str | None = None
    """With drafting rounds stored: the stage of the round that ``changed`` closed whose wording this is
    ("rev1"; the version's own symbol when it changed at adoption); None when no draft says."""


def blame(history: SeriesHistory, symbol: Symbol) -> list[BlameLine]:
    """Each paragraph of ``symbol``'s version with its first and its last-changing version."""
    j = history.index(symbol)
    vs = history.versions
    return [
        BlameLine(p.label, p.text, vs[lin.first], vs[lin.changed], tuple((vs[k].symbol.short, lab) for k, lab in lin.labels))
        for p, lin in zip(history.documents[j].paragraphs, history.lineages[j])
    ]
