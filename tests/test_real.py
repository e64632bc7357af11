"""The real-text regression suite: successive real resolutions, aligned as a reader would.

Every folder under tests/real is one case: ``old.*`` and ``new.*`` (real UN texts,
copied from shared/corpus with their source in ``source.md``), ``checked.txt`` (the
correspondences verified by reading both texts, one golden line each, with the
reason after ``#``) and ``expected.txt`` (the whole alignment, reviewed when the case
was added; it guards every other pair against regressions). The United Nations is
the source of every text here.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from golden import alignment_text
from resdiff.compare import compare
from resdiff.model import Document
from resdiff.parse import parse
from resdiff.readers import read_path

REAL = Path(__file__).parent / "real"


def case_names() -> list[str]:
    return sorted(p.name for p in REAL.iterdir() if (p / "checked.txt").exists())


def load(path: Path) -> Document:
    read = read_path(path)
    return read.document if read.document is not None else parse(read.text, source=path.name)


def aligned(name: str) -> str:
    folder = REAL / name
    (old,) = folder.glob("old.*")
    (new,) = folder.glob("new.*")
    return alignment_text(compare(load(old), load(new)))


def checked(name: str) -> list[tuple[str, str]]:
    out = []
    for line in (REAL / name / "checked.txt").read_text(encoding="utf-8").splitlines():
        pair, _, why = line.partition("#")
        if pair.strip():
            out.append((pair.strip(), why.strip()))
    return out


@pytest.mark.parametrize("name", case_names())
def test_checked_correspondences(name):
    got = aligned(name).splitlines()
    missing = [f"{pair}   ({why})" for pair, why in checked(name) if pair not in got]
    assert not missing, f"case {name!r}: these correspondences, verified by reading, are not found:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", case_names())
def test_whole_alignment(name):
    got = aligned(name)
    want = (REAL / name / "expected.txt").read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "got"))
    assert got == want, f"alignment of real case {name!r} differs:\n{diff}"


def test_the_suite_covers_what_real_series_do():
    """Roll-over, heavy rewrite, split, merge, a move across the parts, sub-paragraph insertion,
    re-lettering and promotion each appear in at least one verified line."""
    lines = [pair for name in case_names() for pair, _ in checked(name)]
    words = {w for line in lines for w in line.split()[3:]}
    assert {"modified", "added", "deleted", "split", "merged", "moved", "renumbered", "absent-old"} <= words
    assert any("(" in line.split(" -> ")[1] and line.endswith("added") for line in lines), "an inserted sub-paragraph"
    assert any("(" in line.split(" -> ")[0] and "(" not in line.split(" -> ")[1].split()[0] for line in lines), "a promotion"
    assert any(line.split(" -> ")[0].startswith("PP") != line.split(" -> ")[1].startswith("PP") and "moved" in line
               for line in lines if "-" not in (line.split(" -> ")[0], line.split(" -> ")[1].split()[0])), "a move across the parts"
