"""Cutting text into words where the script does not: Chinese.

The one home of the segmenter (``rjieba``, the Python binding of jieba-rs); without
it, Han characters are the units. ``diff`` (word operations) and ``align`` (word
profiles) both cut Chinese here, so that a clause is never one "word".
"""

from __future__ import annotations

import re
from functools import cache

HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def split_han(token: str) -> list[str]:
    """``token`` with each run of Han characters cut into words; other text kept as it is."""
    if not HAN.search(token):
        return [token]
    return [piece for part in HAN.split(token) if part for piece in (segment(part) if HAN.fullmatch(part) else [part])]


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
