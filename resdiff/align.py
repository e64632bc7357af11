"""(Document, Document) -> pairs: which paragraphs of the old version became which new ones.

No word diffs happen here; this module only decides correspondences.

The algorithm, in plain words:

1. **Fixed parts** — title, heading, chapeau and footer lines — pair by their label.
2. **Exact anchors.** Preambular and operative paragraphs (and plain paragraphs of
   unstructured texts) whose words are identical pair first, whatever their
   position or section. A hash of the words settles most of a yearly revision.
3. **Near anchors.** For each paragraph still unpaired, an index of word pairs
   (bigrams) proposes the few old paragraphs sharing the most bigrams; only those
   are scored (Dice similarity of the word multisets). Pairs scoring at least
   ``MOVE_THRESHOLD`` are taken best first, anywhere in the text, so a paragraph
   that moved and was edited is still found, and one that crossed from the
   preamble to the operative part ("Recognizing that X," -> "Reaffirms that X;")
   is paired across sections. Nothing compares every paragraph with every other.
4. **Gaps.** Between two consecutive in-order anchors, leftover paragraphs pair
   with a lower bar (``GAP_THRESHOLD``): a heavily rewritten paragraph that stayed
   in place is an edit, not a deletion plus an addition.
5. **Splits and merges.** A leftover new paragraph whose words mostly come from
   one old paragraph, next to that paragraph's partner (or next to another such
   leftover), joins the group when the group as a whole is more similar to the
   old paragraph than its partner alone: one old became several (split). The
   mirror image gives merges.
6. **Moves.** The longest run of groups that kept their relative order (longest
   increasing subsequence) stays put; every other group, and every group that
   changed section, is flagged moved.

Everything is deterministic: ties break on position, and no step has a timeout.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import Document, Pair, Paragraph, Section, Status

MOVE_THRESHOLD = 0.5
"""Similarity needed to pair paragraphs anywhere in the text."""
GAP_THRESHOLD = 0.3
"""Similarity needed to pair leftovers that sit between the same two anchors."""
CONTAINMENT_THRESHOLD = 0.6
"""Share of a paragraph's words that must come from the paragraph it split off or merged into."""
_CANDIDATES = 8
_COMMON_BIGRAM = 64

Group = tuple[tuple[int, ...], tuple[int, ...]]
"""Old paragraph indexes paired with new ones: ((i,), (j,)), a split ((i,), (j, k)) or a merge."""

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased words, the unit of similarity."""
    return _WORD.findall(text.lower())


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """Dice coefficient of two word multisets, 0..1."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


@dataclass
class _Side:
    """One document's body paragraphs with their word profiles."""

    idx: list[int]
    bags: dict[int, Counter[str]]
    keys: dict[int, tuple[str, ...]]
    matched: dict[int, int] = field(default_factory=dict)
    pos: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pos = {i: k for k, i in enumerate(self.idx)}

    @classmethod
    def of(cls, paragraphs: Sequence[Paragraph], idx: list[int]) -> _Side:
        toks = {i: words(paragraphs[i].text) for i in idx}
        return cls(idx, {i: Counter(t) for i, t in toks.items()}, {i: tuple(t) for i, t in toks.items()})

    def free(self) -> list[int]:
        return [i for i in self.idx if i not in self.matched]


def align(old: Document, new: Document) -> tuple[Pair, ...]:
    """Pair the paragraphs of two documents; each paragraph is used at most once per side."""
    op, np_ = old.paragraphs, new.paragraphs
    groups: list[Group] = []
    # When either text has no recognised structure, labels mean nothing across the two:
    # every paragraph, title and footer included, is matched by its words.
    both = old.structured and new.structured
    groups += _pair_fixed(op, np_) if both else []
    a = _Side.of(op, [i for i, p in enumerate(op) if p.section.is_body or not both])
    b = _Side.of(np_, [i for i, p in enumerate(np_) if p.section.is_body or not both])
    _exact(a, b)
    _near(a, b)
    _gaps(a, b)
    body = _splits_and_merges(a, b)
    groups += body
    return _finish(groups, op, np_)


def _pair_fixed(op: Sequence[Paragraph], np_: Sequence[Paragraph]) -> list[Group]:
    new_by_label = {p.label: i for i, p in enumerate(np_) if not p.section.is_body}
    out = []
    for i, p in enumerate(op):
        if not p.section.is_body and (j := new_by_label.get(p.label)) is not None:
            out.append(((i,), (j,)))
    return out


def _link(a: _Side, b: _Side, i: int, j: int) -> None:
    a.matched[i] = j
    b.matched[j] = i


def _exact(a: _Side, b: _Side) -> None:
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in a.idx:
        by_key[a.keys[i]].append(i)
    for j in b.idx:
        if by_key.get(b.keys[j]):
            _link(a, b, by_key[b.keys[j]].pop(0), j)


def _bigrams(key: tuple[str, ...]) -> set[tuple[str, str]]:
    return set(zip(key, key[1:])) or {(w, "") for w in key}


def _near(a: _Side, b: _Side) -> None:
    """Best-first pairing of similar paragraphs anywhere, through a bigram index."""
    free_a = a.free()
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in free_a:
        for g in _bigrams(a.keys[i]):
            index[g].append(i)
    edges = []
    for j in b.free():
        for i in _candidates(j, b, index, free_a):
            score = similarity(a.bags[i], b.bags[j])
            if score >= MOVE_THRESHOLD:
                edges.append((-score, abs(_rank(a, i) - _rank(b, j)), i, j))
    for _, _, i, j in sorted(edges):
        if i not in a.matched and j not in b.matched:
            _link(a, b, i, j)


def _rank(side: _Side, i: int) -> float:
    """Relative position in the body, 0..1: breaks ties between equally similar candidates."""
    return side.pos[i] / max(len(side.idx), 1)


def _candidates(j: int, b: _Side, index: dict, free_a: list[int]) -> list[int]:
    counts: Counter[int] = Counter()
    for g in _bigrams(b.keys[j]):
        posting = index.get(g, ())
        if len(posting) <= _COMMON_BIGRAM:
            counts.update(posting)
    if not counts:
        # Only very common word pairs: a short paragraph. Few of these exist.
        return free_a[:_CANDIDATES * 4]
    return [i for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:_CANDIDATES]]


def _in_order_anchors(a: _Side) -> list[tuple[int, int]]:
    pairs = sorted((j, i) for i, j in a.matched.items())
    keep = _lis([i for _, i in pairs])
    return [(pairs[k][1], pairs[k][0]) for k in keep]


def _gaps(a: _Side, b: _Side) -> None:
    """Pair leftovers that sit between the same two in-order anchors."""
    anchors = [(-1, -1)] + _in_order_anchors(a) + [(10**9, 10**9)]
    free_a, free_b = a.free(), b.free()
    for (lo_a, lo_b), (hi_a, hi_b) in zip(anchors, anchors[1:]):
        gap_a = [i for i in free_a if lo_a < i < hi_a and i not in a.matched]
        gap_b = [j for j in free_b if lo_b < j < hi_b and j not in b.matched]
        if not gap_a or not gap_b or len(gap_a) * len(gap_b) > 2500:
            continue
        edges = sorted(
            (-s, abs(ga - gb), i, j)
            for ga, i in enumerate(gap_a)
            for gb, j in enumerate(gap_b)
            if (s := _gap_score(a.bags[i], b.bags[j])) >= GAP_THRESHOLD
        )
        for _, _, i, j in edges:
            if i not in a.matched and j not in b.matched:
                _link(a, b, i, j)


def _gap_score(x: Counter[str], y: Counter[str]) -> float:
    """Similarity for leftovers in place: a paragraph expanded (or cut) to several times
    its length still contains the other, though their Dice score is low."""
    shorter, longer = (x, y) if sum(x.values()) <= sum(y.values()) else (y, x)
    return max(similarity(x, y), 0.9 * _containment(shorter, longer) if sum(shorter.values()) >= 5 else 0.0)


def _containment(part: Counter[str], whole: Counter[str]) -> float:
    n = sum(part.values())
    return sum((part & whole).values()) / n if n else 0.0


def _splits_and_merges(a: _Side, b: _Side) -> list[Group]:
    """Grow one-to-one pairs into one-to-many (split) and then many-to-one (merged) groups."""
    splits = _grow(a, b, {j: i for i, j in a.matched.items()})
    in_split = {i for i, js in splits.items() if len(js) > 1}
    merges = _grow(b, a, {i: j for i, j in a.matched.items() if i not in in_split})
    out = [((i,), tuple(sorted(js))) for i, js in splits.items() if len(js) > 1]
    out += [(tuple(sorted(is_)), (j,)) for j, is_ in merges.items()]
    return out


def _grow(src: _Side, dst: _Side, owner: dict[int, int]) -> dict[int, list[int]]:
    """Attach free ``dst`` paragraphs to the group of an adjacent paragraph they came from.

    ``owner`` maps paired ``dst`` paragraphs to their ``src`` partner; the result maps
    each ``src`` paragraph to its ``dst`` group. Two passes let a paragraph split in
    three attach whichever side its matched part is on.
    """
    groups = {s: [d] for d, s in owner.items()}
    order = dst.idx
    for sweep in (range(len(order)), range(len(order) - 1, -1, -1)):
        for k in sweep:
            d = order[k]
            if d in owner or d in dst.matched:
                continue
            partners = [owner[order[x]] for x in (k - 1, k + 1) if 0 <= x < len(order) and order[x] in owner]
            share, s = max(((_attach_score(src, dst, groups, s, d), s) for s in partners), default=(0.0, -1))
            if share > 0:
                groups[s].append(d)
                owner[d] = s
    return groups


def _attach_score(src: _Side, dst: _Side, groups: dict[int, list[int]], s: int, d: int) -> float:
    """Containment of ``d`` in ``s`` when attaching it makes the group closer to ``s``; else 0."""
    share = _containment(dst.bags[d], src.bags[s])
    if share < CONTAINMENT_THRESHOLD:
        return 0.0
    group = sum((dst.bags[x] for x in groups[s]), Counter())
    if similarity(src.bags[s], group + dst.bags[d]) <= similarity(src.bags[s], group):
        return 0.0
    return share


def _lis(seq: Sequence[int]) -> list[int]:
    """Positions of one longest strictly increasing subsequence (leftmost choices)."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        p = bisect_left(tails, v)
        if p == len(tails):
            tails.append(v)
            tails_at.append(k)
        else:
            tails[p] = v
            tails_at[p] = k
        prev[k] = tails_at[p - 1] if p else -1
    out, k = [], tails_at[-1] if tails_at else -1
    while k != -1:
        out.append(k)
        k = prev[k]
    return out[::-1]


def _finish(groups, op: Sequence[Paragraph], np_: Sequence[Paragraph]) -> tuple[Pair, ...]:
    """Statuses, move flags, unmatched paragraphs, and NEW's reading order."""
    ordered = sorted(groups, key=lambda g: g[1][0])
    in_order = set(_lis([g[0][0] for g in ordered]))
    pairs: list[Pair] = []
    for k, (o, n) in enumerate(ordered):
        crossed = _crossed({op[i].section for i in o}, {np_[j].section for j in n})
        pairs.append(Pair(o, n, _status(o, n, op, np_), moved=k not in in_order or crossed))
    used_new = {j for p in pairs for j in p.new}
    pairs += [Pair((), (j,), Status.ADDED) for j in range(len(np_)) if j not in used_new]
    pairs.sort(key=lambda p: p.new[0])
    return tuple(_place_deleted(pairs, op))


def _crossed(before: set[Section], after: set[Section]) -> bool:
    """Moved between preamble and operative part (plain TEXT has no parts to cross)."""
    parts = {Section.PREAMBLE, Section.OPERATIVE}
    return before != after and before <= parts and after <= parts


def _status(o, n, op, np_) -> Status:
    if len(o) > 1:
        return Status.MERGED
    if len(n) > 1:
        return Status.SPLIT
    return Status.UNCHANGED if op[o[0]].text == np_[n[0]].text else Status.MODIFIED


def _place_deleted(pairs: list[Pair], op: Sequence[Paragraph]) -> list[Pair]:
    """Put each deleted paragraph right after the pair holding the old paragraph before it."""
    where = {i: k for k, p in enumerate(pairs) for i in p.old if not p.moved}
    used_old = {i for p in pairs for i in p.old}
    keyed = [((k, 0, 0), p) for k, p in enumerate(pairs)]
    for i in range(len(op)):
        if i in used_old:
            continue
        anchor = max((where[x] for x in range(i) if x in where), default=-1)
        keyed.append(((anchor, 1, i), Pair((i,), (), Status.DELETED)))
    keyed.sort(key=lambda kp: kp[0])
    return [p for _, p in keyed]
