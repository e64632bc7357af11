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

Scripts: Chinese has no spaces, so a run of Han characters is cut into words by
jieba's segmenter (the ``rjieba`` binding of jieba-rs), or into characters when
it is not installed. Measured on the 23 session-77 -> 78 Chinese pairs of the
corpus (477 modified paragraphs): unsegmented, a change marked 70.6 characters
per paragraph; by characters 19.6 in 3.5 runs; by words 22.1 in 3.4 runs, never
cutting a word — the choice. Arabic vowel marks (tashkeel) and the tatweel are
not compared: a word that differs only in them is an equal word, reported as an
orthographic change (``orthographic``) rather than a substantive one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import cache

from .segment import has_han, split_han

Op = tuple[int, str]

_TOKEN = re.compile(r"\w+(?:[-/.'&]\w+)*|\s+|[^\w\s]", re.UNICODE)
# Private-use plane: never collides with text and holds 65k distinct tokens.
_BASE = 0xF0000


_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
"""Arabic vowel and recitation marks, and the tatweel (a stretching stroke): optional in writing."""


def tokens(text: str) -> list[str]:
    """Words, punctuation marks and whitespace runs; their concatenation is ``text``.
    A run of Han characters is cut into words (see the module docstring)."""
    found = _TOKEN.findall(text)
    if not has_han(text):
        return found
    return [piece for token in found for piece in split_han(token)]


def orthographic(text: str) -> str:
    """``text`` without the marks writing may leave out (Arabic tashkeel and tatweel)."""
    return _TASHKEEL.sub("", text)


def word_ops(old: str, new: str, *, fold_case: bool = False) -> tuple[Op, ...]:
    """Word-level operations turning ``old`` into ``new`` (0 equal, -1 delete, 1 insert)."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    marked = bool(_TASHKEEL.search(old) or _TASHKEEL.search(new))
    key = _folded if fold_case else orthographic if marked else _identity
    codes: dict[str, str] = {}
    old_chars = _encode(old_tokens, codes, key)
    new_chars = _encode(new_tokens, codes, key)
    if len(old_chars) + len(new_chars) > LONG:
        diffs = _by_sentences(old_tokens, new_tokens, old_chars, new_chars)
    else:
        diffs = _diff_chars(old_chars, new_chars)
    return tuple(_decode(diffs, old_tokens, new_tokens))


LONG = 6000
"""Tokens (both sides together) above which a pair is diffed sentence by sentence first: the
word-level diff grows faster than linearly with the length, and a 50,000-word paragraph
rewritten throughout would take minutes. Shorter pairs (every real paragraph) are unaffected."""


def _diff_chars(a: str, b: str) -> list[tuple[int, str]]:
    """diff-match-patch on two code strings, semantic cleanup, no timeout.

    The C++ ``fast-diff-match-patch`` (``pip install 'resdiff[fast]'``) is used when
    installed: the same operations (tests check it) in a fraction of the time.
    """
    fast = _fast()
    if fast is not None:
        return [(_FAST_OPS[op], text) for op, text in
                fast(a, b, timelimit=0, checklines=False, cleanup="Semantic", counts_only=False)]
    from diff_match_patch import diff_match_patch  # the reference; loaded only when the C++ one is absent

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


_FAST_OPS = {"=": 0, "-": -1, "+": 1}


@cache
def _fast():
    if os.environ.get("RESDIFF_PURE_DIFF") == "1":  # the reference implementation, for tests and benchmarks
        return None
    try:
        from fast_diff_match_patch import diff
    except ImportError:
        return None
    return diff


def _sentences(toks: Sequence[str]) -> list[int]:
    """Token offsets where each sentence ("...;", "...." before a space) ends, the last one included."""
    ends = [k + 1 for k, t in enumerate(toks[:-1]) if t in (";", ".") and toks[k + 1].isspace()]
    return [e for e in ends if e < len(toks)] + [len(toks)]


def _by_sentences(old_tokens, new_tokens, old_chars: str, new_chars: str) -> list[tuple[int, str]]:
    """Diff sentence by sentence, then word by word inside the sentences that changed."""
    old_ends, new_ends = _sentences(old_tokens), _sentences(new_tokens)
    codes: dict[str, str] = {}
    old_spans = list(zip([0, *old_ends[:-1]], old_ends))
    new_spans = list(zip([0, *new_ends[:-1]], new_ends))
    a = "".join(_code(old_chars[x:y], codes) for x, y in old_spans)
    b = "".join(_code(new_chars[x:y], codes) for x, y in new_spans)
    out: list[tuple[int, str]] = []
    i = j = 0
    pending_old, pending_new = "", ""
    for op, run in _diff_chars(a, b) + [(0, "")]:
        if op == 0:
            if pending_old or pending_new:
                out += _diff_chars(pending_old, pending_new) if len(pending_old) + len(pending_new) <= LONG \
                    else [(-1, pending_old), (1, pending_new)]
                pending_old = pending_new = ""
            for _ in run:
                out.append((0, old_chars[old_spans[i][0]:old_spans[i][1]]))
                i, j = i + 1, j + 1
        elif op == -1:
            for _ in run:
                pending_old += old_chars[old_spans[i][0]:old_spans[i][1]]
                i += 1
        else:
            for _ in run:
                pending_new += new_chars[new_spans[j][0]:new_spans[j][1]]
                j += 1
    return [(op, text) for op, text in out if text]


def _code(text: str, codes: dict[str, str]) -> str:
    if text not in codes:
        codes[text] = chr(_BASE + len(codes))
    return codes[text]


def _identity(token: str) -> str:
    return token


def _folded(token: str) -> str:
    return orthographic(token).casefold()


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
            for before, after in zip(old_tokens[i:i + n], new_tokens[j:j + n]):
                if before == after or before.casefold() == after.casefold():
                    _append(out, 0, after)
                else:
                    # Only whitespace or vowel marks differed (keys fold them): keep both texts rebuildable.
                    _append(out, -1, before)
                    _append(out, 1, after)
            i, j = i + n, j + n
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
