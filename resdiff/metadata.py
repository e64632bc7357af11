"""What a metadata file says about adopted resolutions: votes, sponsors, committee.

Owns reading the JSON lines of the UN's Akoma Ntoso metadata extract
(``ga-akn/meta/78.json``: one object per line and resolution, with ``symbol``
"A/RES/78/1", ``adoption_type``, ``MS_in_favour_count`` ... and the member
states' names, ``sponsors``, ``additional_sponsors``, ``committee``) into
``Recorded`` entries keyed by symbol, and the ``Votes`` data type the store
keeps in each version's record.

Does not own where the file comes from (the CLI reads it) or which version an
entry is given to (``store/api.py`` matches them by symbol). Pure: text in, data out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import InputError, SymbolError
from .symbols import Symbol, parse_symbol

WITHOUT_A_VOTE = "without a vote"
RECORDED = "recorded vote"


@dataclass(frozen=True)
class Votes:
    """How a resolution was adopted: by consensus, or by a recorded vote with its counts."""

    kind: str
    """``"recorded vote"`` or ``"without a vote"``."""
    in_favour: int = 0
    against: int = 0
    abstaining: int = 0
    members_in_favour: tuple[str, ...] = ()
    """Member states voting in favour, as the metadata names them; empty without a recorded vote."""
    members_against: tuple[str, ...] = ()
    members_abstaining: tuple[str, ...] = ()

    @property
    def recorded(self) -> bool:
        """True for a recorded vote (counts are meaningful)."""
        return self.kind == RECORDED

    @property
    def summary(self) -> str:
        """"115-6-31" (in favour, against, abstaining) or "without a vote"."""
        return f"{self.in_favour}-{self.against}-{self.abstaining}" if self.recorded else WITHOUT_A_VOTE

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "in_favour": self.in_favour, "against": self.against, "abstaining": self.abstaining,
                "members": {"in_favour": list(self.members_in_favour), "against": list(self.members_against),
                            "abstaining": list(self.members_abstaining)}}

    @classmethod
    def from_dict(cls, d: Mapping) -> Votes:
        members = d.get("members") or {}
        return cls(str(d["kind"]), int(d["in_favour"]), int(d["against"]), int(d["abstaining"]),
                   tuple(members.get("in_favour", ())), tuple(members.get("against", ())), tuple(members.get("abstaining", ())))


@dataclass(frozen=True)
class Recorded:
    """What a metadata file records about one resolution."""

    votes: Votes | None
    """None when the file does not say how it was adopted."""
    sponsors: tuple[str, ...] = ()
    """Sponsors, then additional sponsors, as named in the file."""
    committee: str | None = None
    """The Main Committee whose report it came from, or "Without reference to a Main Committee"."""
    originating: str | None = None
    """Its ``originating_document``: the draft (``A/78/L.9``) or committee report it was adopted from."""


def parse_meta(text: str, *, name: str) -> dict[Symbol, Recorded]:
    """Entries of one JSON lines file by symbol; a malformed line is an ``InputError`` naming it."""
    out: dict[Symbol, Recorded] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            symbol = parse_symbol(str(row["symbol"]))
            out[symbol] = _recorded(row)
        except (ValueError, KeyError, TypeError, AttributeError, SymbolError) as exc:
            what = exc.message if isinstance(exc, SymbolError) else f"{type(exc).__name__}: {exc}"
            raise InputError(f"{name}: line {n} is not a metadata record ({what})",
                             hint="--meta takes the JSON lines files of ga-akn/meta/ (one object with a \"symbol\" per line)") from None
    return out


def merge_meta(tables: Iterable[Mapping[Symbol, Recorded]]) -> dict[Symbol, Recorded]:
    """Several files' entries; a later file wins for a symbol listed twice."""
    out: dict[Symbol, Recorded] = {}
    for table in tables:
        out.update(table)
    return out


def _recorded(row: Mapping) -> Recorded:
    sponsors = tuple(_names(row.get("sponsors"))) + tuple(_names(row.get("additional_sponsors")))
    committee = str(row["committee"]).strip() if row.get("committee") else None
    originating = " ".join(str(row.get("originating_document") or "").split()) or None
    return Recorded(_votes(row), tuple(dict.fromkeys(sponsors)), committee,
                    originating if originating and originating.upper() not in ("N.A.", "N/A") else None)


def _votes(row: Mapping) -> Votes | None:
    kind = str(row.get("adoption_type") or "").strip().lower()
    if "without" in kind:
        return Votes(WITHOUT_A_VOTE)
    if "recorded" not in kind and "vote" not in kind:
        return None
    yes, no, abstain = (tuple(_names(row.get(k))) for k in ("MS_in_favour", "MS_against", "MS_abstaining"))
    return Votes(RECORDED, _count(row, "MS_in_favour_count", yes), _count(row, "MS_against_count", no),
                 _count(row, "MS_abstaining_count", abstain), yes, no, abstain)


def _count(row: Mapping, key: str, members: tuple[str, ...]) -> int:
    """The count as given; "N.A." or nothing (the extract's way of saying none) counts the names listed."""
    value = str(row.get(key) or "").strip()
    return int(value) if value.isdigit() else len(members)


def _names(value: object) -> list[str]:
    if not value:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a list of names, got {type(value).__name__}")
    return [" ".join(str(v).split()) for v in value if str(v).strip()]
