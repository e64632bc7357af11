"""Drafts of a resolution between two adoptions: stages, rounds, L-document symbols.

Between two adopted versions of a series a text is negotiated: a zero draft, revisions
(rev1, rev2 ...), the official draft tabled as an **L document** (``E/CN.4/2003/L.11``,
``A/HRC/52/L.12``, ``A/C.3/78/L.20/Rev.1``, ``A/78/L.9``), oral revisions at adoption.
A ``Draft`` is one such stage as the store keeps it. The **round** of a draft is the
negotiation that the first adopted version dated on or after it closes (the drafts
that follow the last adopted version before its date); a round no adopted version
closes yet is open (``next``).

Pure: no git, no files. The store commits drafts (``repository.write_series``); this
module says what a draft is, how stages are ordered and which round each is in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

from .errors import InputError, StoreError
from .history import SAFE_PATH, Source, Version, normalise
from .model import Document

OPEN_ROUND = "next"
"""The name of the round that no stored adopted version closes yet."""

_L_SYMBOL = re.compile(
    r"(?<![A-Za-z0-9/.])((?:A|E|S)(?:/(?:C\.\d|CN\.\d{1,2}|HRC|AC\.\d{1,3}|CONF\.\d{1,3}|\d{1,4}|ES-\d{1,2}|S-\d{1,2}))*"
    r"/L\.\d{1,4}(?:/(?:Rev|Add|Corr)\.\d{1,3})*)(?![A-Za-z0-9])", re.IGNORECASE)


def find_l_symbol(text: str) -> str | None:
    """The first L-document symbol printed in the opening lines of a text, normalised; None if none."""
    head = "\n".join(text.splitlines()[:12])
    m = _L_SYMBOL.search(head)
    return normalise_l_symbol(m.group(1)) if m else None


def normalise_l_symbol(symbol: str) -> str:
    """``a/c.3/78/l.20/rev.1`` -> ``A/C.3/78/L.20/Rev.1``; anything else is an ``InputError``."""
    raw = " ".join(symbol.split())
    m = _L_SYMBOL.fullmatch(raw)
    if not m:
        raise InputError(f"{raw!r} is not the symbol of a draft (an L document)",
                         hint="write it as printed: E/CN.4/2003/L.11, A/HRC/52/L.12, A/C.3/78/L.20/Rev.1, A/78/L.9")
    parts = raw.split("/")
    out = []
    for part in parts:
        head, dot, tail = part.partition(".")
        if head.lower() in ("rev", "add", "corr"):
            out.append(head.capitalize() + dot + tail)
        else:
            out.append(part.upper())
    return "/".join(out)


def l_symbols_in(text: str | None) -> list[str]:
    """Every L-document symbol in a text such as an ``originating_document`` ("A/76/L.3 and A/76/L.3/Add.1"), normalised."""
    return [normalise_l_symbol(m.group(1)) for m in _L_SYMBOL.finditer(text or "")]


def l_base(symbol: str) -> str:
    """The draft a revision, addendum or corrigendum belongs to: ``A/76/L.8/Rev.1/Add.1`` -> ``A/76/L.8``."""
    return re.sub(r"(?:/(?:Rev|Add|Corr)\.\d+)+$", "", symbol)


def is_l_symbol(text: str) -> bool:
    return bool(_L_SYMBOL.fullmatch(" ".join(text.split())))


# ---------------------------------------------------------------- stages

_STAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/()-]{0,79}")


def check_stage(name: str) -> str:
    """A stage name as given (free text: ``zero``, ``rev1``, an L symbol, ``oral``), checked."""
    name = " ".join(name.split())
    if not _STAGE.fullmatch(name):
        raise InputError(f"--stage {name!r}: a stage name is 1-80 letters, digits, spaces and . _ / ( ) -",
                         hint="e.g. --stage zero, --stage rev1, --stage E/CN.4/2003/L.11, --stage oral")
    return name


def stage_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def stage_rank(name: str) -> tuple[int, int]:
    """Order of stages on one day: zero draft, revisions by number, other names, the L document
    (and its revisions), oral revisions last."""
    low = name.lower()
    if low.startswith("zero") or low in ("0", "draft", "first"):
        return (0, 0)
    if m := re.fullmatch(r"rev(?:ision)?[ .]*(\d+)", low):
        return (1, int(m.group(1)))
    if is_l_symbol(name):
        rev = re.search(r"/rev\.(\d+)", low)
        return (3, int(rev.group(1)) if rev else 0)
    if low.startswith("oral"):
        return (4, 0)
    return (2, 0)


# ---------------------------------------------------------------- drafts

@dataclass(frozen=True)
class Draft:
    """One stage of a negotiation as the store keeps it."""

    series: str
    stage: str
    date: str
    """ISO date of the stage (circulated, tabled, or adopted with oral revisions)."""
    title: str
    text: str
    """Normalised text (``history.normalise``): margin markers as labels, brackets kept."""
    source: Source
    document: str | None = None
    """The L-document symbol, when the draft is one (printed in it or given with ``--symbol``)."""
    lang: str = "en"

    @property
    def slug(self) -> str:
        """``2003-04-10-rev1``: unique in its series (one stage name a day)."""
        return f"{self.date}-{stage_slug(self.stage)}"

    @property
    def order(self) -> tuple[str, tuple[int, int], str]:
        return (self.date, stage_rank(self.stage), self.stage.lower())

    @property
    def unagreed(self) -> int:
        """Paragraphs with text still in [square brackets]."""
        return sum(1 for line in self.text.splitlines() if "[" in line.partition("\t")[2])


def draft_from(doc: Document, *, series: str, stage: str | None, date: str | None, symbol: str | None,
               source: Source, text: str) -> Draft:
    """A ``Draft`` from a parsed text and what was given on the command line."""
    document = normalise_l_symbol(symbol) if symbol else find_l_symbol(text)
    name = check_stage(stage) if stage else document
    if not name:
        raise InputError(f"{doc.source}: which stage of the negotiation is this draft?",
                         hint="name it: --stage zero (rev1, rev2, oral ...), or give the L document with --symbol")
    when = date or doc.date
    if not when:
        raise InputError(f"{doc.source}: no date found in the draft", hint="give the date it was circulated: --date YYYY-MM-DD")
    return Draft(series=series, stage=name, date=_iso(when), title=doc.title, text=normalise(doc),
                 source=source, document=document, lang=doc.lang)


def _iso(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"--date {value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. --date 2003-04-10") from None


def round_of(draft: Draft, adopted: Sequence[Version]) -> int:
    """Index of the adopted version that closes the draft's round (the first dated on or after it);
    ``len(adopted)`` for the open round."""
    return next((i for i, v in enumerate(adopted) if v.date >= draft.date), len(adopted))


def rounds(drafts: Iterable[Draft], adopted: Sequence[Version]) -> dict[int, tuple[Draft, ...]]:
    """Drafts by the index of the adopted version that closes their round, each round in stage order."""
    out: dict[int, list[Draft]] = {}
    for d in drafts:
        out.setdefault(round_of(d, adopted), []).append(d)
    return {k: tuple(sorted(v, key=lambda d: d.order)) for k, v in sorted(out.items())}


def round_name(index: int, adopted: Sequence[Version]) -> str:
    """The branch part of a round: the slug of the version that closes it, or ``next``."""
    return adopted[index].symbol.slug if index < len(adopted) else OPEN_ROUND


def same_stage(a: Draft, b: Draft, adopted: Sequence[Version]) -> bool:
    return a.stage.lower() == b.stage.lower() and round_of(a, adopted) == round_of(b, adopted)


def merge_draft(stored: Sequence[Draft], new: Draft, adopted: Sequence[Version], *, replace_texts: bool) -> tuple[list[Draft], str]:
    """The series' drafts with ``new`` in: "added", "unchanged" or "replaced" (a stage of the same
    round under the same name with another text needs ``replace_texts``)."""
    clash = next((d for d in stored if same_stage(d, new, adopted)), None)
    if clash is None:
        return [*stored, new], "added"
    if clash.source.sha256 == new.source.sha256 and clash.date == new.date and clash.document == new.document:
        return list(stored), "unchanged"
    if not replace_texts:
        raise StoreError(f"stage {clash.stage!r} of this round of {new.series} is already stored "
                         f"(dated {clash.date}, from {clash.source.name})",
                         hint="to record this text in its place, add it again with --replace; or give it another --stage name")
    return [d for d in stored if d is not clash] + [new], "replaced"


# ---------------------------------------------------------------- records

def draft_record(d: Draft) -> bytes:
    """``drafts/<slug>.json``: sorted keys, UTF-8 (its text is ``drafts/<slug>.txt``)."""
    data = {"stage": d.stage, "date": d.date, "title": d.title, "document": d.document, "lang": d.lang,
            "source": asdict(d.source)}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def draft_from_record(series: str, raw: bytes, text: str) -> Draft:
    try:
        r = json.loads(raw)
        d = Draft(series=series, stage=check_stage(str(r["stage"])), date=_iso(str(r["date"])), title=str(r["title"]),
                  text=text, source=Source(**r["source"]), document=r.get("document"), lang=str(r.get("lang") or "en"))
    except (ValueError, KeyError, TypeError, InputError) as exc:
        raise StoreError(f"a draft record of series {series} is malformed ({exc})",
                         hint="it was edited outside resdiff; restore it with git") from None
    if not SAFE_PATH.fullmatch(d.source.path):
        raise StoreError(f"a draft record of series {series} names an unsafe path", hint="restore it with git")
    return d


def with_source_path(d: Draft, kind: str) -> Draft:
    return replace(d, source=replace(d.source, path=f"sources/drafts/{d.slug}.{kind}"))
