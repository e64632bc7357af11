"""Every folder under tests/cases is one golden case (see tests/golden.py)."""

import difflib
import json

import pytest

from golden import CASES, alignment_text, case_names, read_case
from resdiff.compare import compare_texts


@pytest.mark.parametrize("name", case_names())
def test_alignment(name):
    old, new = read_case(name)
    got = alignment_text(compare_texts(old, new))
    want = (CASES / name / "expected.txt").read_text()
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "got"))
    assert got == want, f"alignment of case {name!r} differs:\n{diff}"


@pytest.mark.parametrize("name", [n for n in case_names() if (CASES / n / "expected.json").exists()])
def test_json(name):
    from resdiff.render import render_json

    old, new = read_case(name)
    got = json.loads(render_json(compare_texts(old, new), old_name="old", new_name="new"))
    want = json.loads((CASES / name / "expected.json").read_text())
    changed = [{k: p[k] for k in ("old", "new", "ops")} for p in got["pairs"] if p["status"] != "unchanged"]
    got_view = {"summary": got["summary"], "warnings": got["warnings"], "changed": changed}
    assert got_view == want


def test_every_status_and_flag_is_covered():
    """The suite must exercise each status and flag at least once."""
    seen = set()
    for name in case_names():
        for line in (CASES / name / "expected.txt").read_text().splitlines():
            seen.update(line.split()[3:])
    assert {"unchanged", "modified", "added", "deleted", "split", "merged", "moved", "renumbered"} <= seen
