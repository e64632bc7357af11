"""The C++ fast-diff-match-patch gives exactly the operations of the pure-Python reference.

resdiff uses the C++ engine when it is installed (``pip install 'resdiff[fast]'``); these
tests compare the two on random token strings and on every pair of real and constructed
texts the suite knows. Texts are real (data/) or constructed (tests/cases).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resdiff.diff as diff
from resdiff.compare import compare_texts

pytestmark = pytest.mark.skipif(importlib.util.find_spec("fast_diff_match_patch") is None,
                                reason="fast-diff-match-patch is not installed (pip install 'resdiff[fast]')")

ROOT = Path(__file__).resolve().parent.parent


def _both(old: str, new: str, monkeypatch) -> tuple[tuple, tuple]:
    diff._fast.cache_clear()
    fast = diff.word_ops(old, new)
    monkeypatch.setenv("RESDIFF_PURE_DIFF", "1")
    diff._fast.cache_clear()
    try:
        pure = diff.word_ops(old, new)
    finally:
        monkeypatch.delenv("RESDIFF_PURE_DIFF")
        diff._fast.cache_clear()
    return fast, pure


words = st.lists(st.sampled_from(["Urges", "the", "States", ";", ",", "2004", "eleventh", "twelfth", "of", "and", "  ", "\n"]),
                 max_size=60).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_random_texts_give_identical_operations(old, new):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, pure = _both(old, new, monkeypatch)
    assert fast == pure


def test_every_paragraph_pair_of_the_bundled_and_golden_texts_gives_identical_operations(monkeypatch):
    pairs = [(ROOT / "data" / "chr-2002-82.txt", ROOT / "data" / "chr-2003-73.txt"),
             (ROOT / "data" / "chr-2003-73.txt", ROOT / "data" / "illustrative-draft-next-year.txt")]
    pairs += [(case / "old.txt", case / "new.txt") for case in sorted((ROOT / "tests" / "cases").iterdir()) if (case / "old.txt").exists()]
    checked = 0
    for old_path, new_path in pairs:
        c = compare_texts(old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8"))
        for p in c.pairs:
            old = diff.side_text(p.ops, -1)
            new = diff.side_text(p.ops, 1)
            fast, pure = _both(old, new, monkeypatch)
            assert fast == pure, (old_path.name, p.old_labels, p.new_labels)
            checked += 1
    assert checked > 200  # every pair of 2 real and all golden comparisons
