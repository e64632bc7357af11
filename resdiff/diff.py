"""Paragraph pair -> word operations. The only module that imports diff_match_patch.

Texts are cut into tokens — words (``E/CN.4/2003/109``, ``step-by-step`` and
``2002-2004`` are one word each), single punctuation marks and whitespace — and
each distinct token is mapped to one private character. diff-match-patch then
diffs those character strings (so no change can split a word), the result gets
its semantic cleanup, and the characters are mapped back to the tokens.
``Diff_Timeout = 0`` makes the result depend only on the input.

Invariant: joining the old-side operations (equal + delete) rebuilds the old
text and joining the new-side ones (equal + insert) rebuilds the new text, both
exactly. The one exception is ``fold_case=True`` (used for a title printed in
capitals), where equal runs carry the new side's spelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

Op = tuple[int, str]

_TOKEN = re.compile(r"\w+(?:[-/.'&]\w+)*|\s+|[^\w\s]", re.UNICODE)
# Private-use plane: never collides with text and holds 65k distinct tokens.
_BASE = 0xF0000


def tokens(text: str) -> list[str]:
    """Words, punctuation marks and whitespace runs; their concatenation is ``text``."""
    return _TOKEN.findall(text)


def word_ops(old: str, new: str, *, fold_case: bool = False) -> tuple[Op, ...]:
    """Word-level operations turning ``old`` into ``new`` (0 equal, -1 delete, 1 insert)."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    key = str.casefold if fold_case else _identity
    codes: dict[str, str] = {}
    old_chars = _encode(old_tokens, codes, key)
    new_chars = _encode(new_tokens, codes, key)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(old_chars, new_chars, False)
    dmp.diff_cleanupSemantic(diffs)
    return tuple(_decode(diffs, old_tokens, new_tokens))


def _identity(token: str) -> str:
    return token


def _encode(toks: Sequence[str], codes: dict[str, str], key) -> str:
    out = []
    for tok in toks:
        k = " " if tok.isspace() else key(tok)
        if k not in codes:
            codes[k] = chr(_BASE + len(codes))
        out.append(codes[k])
    return "".join(out)


def _decode(diffs: list[tuple[int, str]], old_tokens: list[str], new_tokens: list[str]) -> list[Op]:
    """Map character runs back to the real tokens of each side, merging neighbours."""
    out: list[Op] = []
    i = j = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 0:
            text = "".join(new_tokens[j:j + n])
            old_text = "".join(old_tokens[i:i + n])
            i, j = i + n, j + n
            if old_text != text and old_text.casefold() != text.casefold():
                # Only whitespace differed (keys fold it); keep both texts rebuildable.
                _append(out, -1, old_text)
                _append(out, 1, text)
                continue
        elif op == -1:
            text = "".join(old_tokens[i:i + n])
            i += n
        else:
            text = "".join(new_tokens[j:j + n])
            j += n
        _append(out, op, text)
    return out


def _append(out: list[Op], op: int, text: str) -> None:
    if not text:
        return
    if out and out[-1][0] == op:
        out[-1] = (op, out[-1][1] + text)
    else:
        out.append((op, text))


def side_text(ops: Sequence[Op], side: int) -> str:
    """Rebuild one side from operations: ``side=-1`` the old text, ``1`` the new text."""
    return "".join(text for op, text in ops if op in (0, side))


def split_ops(ops: Sequence[Op], side: int, cuts: Sequence[int]) -> list[list[Op]]:
    """Cut operations where ``side``'s text reaches each offset in ``cuts``.

    Used to show a split (or merged) pair paragraph by paragraph: the offsets are
    where one paragraph of that side ends inside the joined text.
    """
    pieces: list[list[Op]] = [[]]
    pos = 0
    pending = sorted(cuts)
    for op, text in ops:
        while op in (0, side) and pending and pos < pending[0] <= pos + len(text):
            k = pending.pop(0) - pos
            if text[:k]:
                pieces[-1].append((op, text[:k]))
            pieces.append([])
            text, pos = text[k:], pos + k
        if text:
            pieces[-1].append((op, text))
        if op in (0, side):
            pos += len(text)
    return pieces
