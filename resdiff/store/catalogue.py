"""The store's index: which series holds which symbol, without reading every series.

Owns two files in the store's ``.git``, derived data that is never committed:

- ``resdiff-index.json``: for each series branch its tip, the map from symbol
  key to series, and the git blob of every source: small, read by every command;
- ``resdiff-records.json``: the same tips and the JSON records of every series'
  versions (as in ``versions/<slug>.json``), read only by what needs them all
  (``log`` of every series, an ``add``).

A command checks the index against the series refs (one ``git for-each-ref``);
when a tip moved (another resdiff added texts) it re-reads only those series'
records, drops the series that went, and saves both files; a missing or
unreadable file is rebuilt from the refs. So ``show``, ``log SERIES`` and
compare-by-symbol on a store of thousands of versions read one series.

Does not own the refs, the lock or git (``store/api.py``, ``repository.py``, ``plumbing.py``);
reading one series' records is passed in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

INDEX = "resdiff-index.json"
RECORDS = "resdiff-records.json"
_FORMAT = 2

Reader = Callable[[str, str], tuple[list[dict], dict[str, str]]]
"""``read(tip, name)``: the records of one series and its sources' blobs (sha256 -> blob id)."""


@dataclass
class Catalogue:
    """Series tips, where each symbol is, source blobs, and (read on demand) every version record."""

    tips: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    """Symbol key -> series name."""
    blobs: dict[str, str] = field(default_factory=dict)
    """sha256 of source bytes -> git blob id."""
    git_dir: Path | None = None
    read: Reader | None = None
    _records: dict[str, list[dict]] | None = None

    @property
    def names(self) -> list[str]:
        return sorted(self.tips)

    @property
    def records(self) -> dict[str, list[dict]]:
        """Series name -> the JSON records of its versions (any order), read from disk the first time."""
        if self._records is None:
            records = _read_records(self.git_dir, self.tips)
            if records is None:  # missing, or not written with the index: read from the series
                records = {}
                for name, tip in self.tips.items():
                    records[name], blobs = self.read(tip, name)
                    self.blobs.update(blobs)
                save(self.git_dir, self.tips, records, self.blobs)
            self._records = records
        return self._records


def load(git_dir: Path, tips: Mapping[str, str], read: Reader) -> Catalogue:
    """The index brought up to date with ``tips``; only series whose tip moved are read again."""
    cat = _read_index(git_dir)
    cat.git_dir, cat.read = git_dir, read
    if cat.tips == dict(tips):
        return cat
    known = _read_records(git_dir, cat.tips) if cat.tips else None
    old_tips = cat.tips if known is not None else {}
    records = {}
    for name, tip in tips.items():
        if old_tips.get(name) == tip:
            records[name] = known[name]
        else:
            records[name], blobs = read(tip, name)
            cat.blobs.update(blobs)
    save(git_dir, tips, records, cat.blobs)
    return Catalogue(dict(tips), _where(records), cat.blobs, git_dir, read, records)


def save(git_dir: Path, tips: Mapping[str, str], records: Mapping[str, list[dict]], blobs: Mapping[str, str]) -> None:
    """Write both files atomically (records first); a failure only costs the next command a re-read."""
    _write(git_dir / RECORDS, {"format": _FORMAT, "tips": dict(tips), "records": dict(records)})
    _write(git_dir / INDEX, {"format": _FORMAT, "tips": dict(tips), "where": _where(records), "blobs": dict(blobs)})


def _where(records: Mapping[str, list[dict]]) -> dict[str, str]:
    return {r["key"]: name for name, rs in records.items() for r in rs}


def _write(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _load_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and data.get("format") == _FORMAT else None
    except (OSError, ValueError):
        return None  # missing or unreadable: rebuilt from the refs


def _read_index(git_dir: Path) -> Catalogue:
    data = _load_json(git_dir / INDEX)
    try:
        return Catalogue(dict(data["tips"]), dict(data["where"]), dict(data["blobs"])) if data else Catalogue()
    except (KeyError, TypeError, ValueError):
        return Catalogue()


def _read_records(git_dir: Path | None, tips: Mapping[str, str]) -> dict[str, list[dict]] | None:
    """The records file when it was written with these tips; None otherwise."""
    data = _load_json(git_dir / RECORDS) if git_dir else None
    try:
        if not data or data["tips"] != dict(tips) or set(data["records"]) != set(tips):
            return None
        return {k: list(v) for k, v in data["records"].items()}
    except (KeyError, TypeError, AttributeError):
        return None
