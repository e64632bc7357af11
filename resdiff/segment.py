"""Cutting text into words where the script does not: Chinese.

The one home of the segmenter (``rjieba``, the Python binding of jieba-rs); without
it, Han characters are the units. ``diff`` (word operations) and ``align`` (word
profiles) both cut Chinese here, so that a clause is never one "word".
"""

from __future__ import annotations

import re
from functools import cache

_FIRST_HAN = "\u3400"


@cache
def _han() -> re.Pattern[str]:
    # Compiled on first use: a pattern over 28,000 code points costs ~2 ms to compile, and
    # texts without Han characters never need it (``has_han`` answers for them first).
    return re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Han character."""
    return bool(text) and max(text) >= _FIRST_HAN and _han().search(text) is not None


def split_han(token: str) -> list[str]:
    """``token`` with each run of Han characters cut into words; other text kept as it is."""
    if not has_han(token):
        return [token]
    han = _han()
    return [piece for part in han.split(token) if part for piece in (segment(part) if han.fullmatch(part) else [part])]


def segment(han: str) -> list[str]:
    """Words of a run of Han characters (characters when no segmenter is installed)."""
    cut = _cutter()
    return [w for w in cut(han) if w] if cut else list(han)


@cache
def _cutter():
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.cut
