"""Golden cases: one folder per case under tests/cases (constructed texts, each with a README).

A case holds ``old.txt``, ``new.txt`` and ``expected.txt``: the alignment as a user
reads it, one pair per line in NEW's reading order::

    OP13 -> OP4 modified moved renumbered
    - -> PP9 added

Optionally ``expected.json`` holds keys that must match the JSON report
(``summary``, ``warnings``, and ``changed``: the ``old``/``new``/``ops`` of
every pair that is not unchanged). Adding a test means adding a folder.
"""

from __future__ import annotations

from pathlib import Path

from resdiff.model import Comparison, PairDiff

CASES = Path(__file__).parent / "cases"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "old.txt").exists())


def read_case(name: str) -> tuple[str, str]:
    folder = CASES / name
    return (folder / "old.txt").read_bytes().decode("utf-8"), (folder / "new.txt").read_bytes().decode("utf-8")


def pair_line(p: PairDiff) -> str:
    flags = [p.status.value] + (["moved"] if p.moved else []) + (["renumbered"] if p.renumbered else [])
    flags += [f"absent-{p.absent}"] if p.absent else []
    return f"{'+'.join(p.old_labels) or '-'} -> {'+'.join(p.new_labels) or '-'} {' '.join(flags)}"


def alignment_text(c: Comparison) -> str:
    return "\n".join(pair_line(p) for p in c.pairs) + "\n"
