"""The store's index: which series holds which symbol, without reading every series.

Owns ``.git/resdiff-index.json``: for each series branch its tip, the JSON
records of its versions (as in ``versions/<slug>.json``) and the git blob of each
source, plus a map from symbol key to series. It is derived data, never
committed: a command checks it against the series refs (one ``git
for-each-ref``), re-reads only the series whose tip moved, drops the ones that
went, and rebuilds it when it is missing or unreadable. So ``show``, ``log``
and compare-by-symbol on a store of thousands of versions read one series.

Does not own the refs, the lock or git (``store.py`` and ``repository.py``);
reading a series' records is passed in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

INDEX = "resdiff-index.json"
_FORMAT = 1


@dataclass
class Catalogue:
    """Series tips, version records and source blobs of a store, as of its refs."""

    tips: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[dict]] = field(default_factory=dict)
    """Series name -> the JSON records of its versions (any order)."""
    blobs: dict[str, str] = field(default_factory=dict)
    """sha256 of source bytes -> git blob id."""

    @property
    def where(self) -> dict[str, str]:
        """Symbol key -> series name."""
        return {r["key"]: name for name, rs in self.records.items() for r in rs}


def load(git_dir: Path, tips: Mapping[str, str], read: Callable[[str, str], tuple[list[dict], dict[str, str]]]) -> Catalogue:
    """The index brought up to date with ``tips``; ``read(tip, name)`` gives (records, blobs) of one series."""
    cat, changed = _read(git_dir / INDEX), False
    for name in [n for n in cat.tips if n not in tips]:
        del cat.tips[name], cat.records[name]
        changed = True
    for name, tip in tips.items():
        if cat.tips.get(name) != tip:
            cat.records[name], blobs = read(tip, name)
            cat.blobs.update(blobs)
            cat.tips[name] = tip
            changed = True
    if changed:
        save(git_dir, cat)
    return cat


def save(git_dir: Path, cat: Catalogue) -> None:
    """Write the index atomically; a failure only costs the next command a re-read."""
    path = git_dir / INDEX
    tmp = path.with_name(f".{INDEX}.{os.getpid()}")
    data = {"format": _FORMAT, "tips": cat.tips, "records": cat.records, "blobs": cat.blobs}
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _read(path: Path) -> Catalogue:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return Catalogue()
        cat = Catalogue(dict(data["tips"]), {k: list(v) for k, v in data["records"].items()}, dict(data["blobs"]))
        if set(cat.tips) != set(cat.records):
            return Catalogue()
        return cat
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Catalogue()  # missing or unreadable: rebuilt from the refs
