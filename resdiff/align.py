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
   with a lower bar (``GAP_THRESHOLD``), but only on *evidence* (below): a
   paragraph rewritten in place that still says the same thing is an edit; two
   paragraphs that merely sit in the same place and share an opening verb and
   boilerplate are a deletion plus an addition.
5. **Splits and merges.** A leftover new paragraph whose content words mostly
   come from one old paragraph, next to that paragraph's partner (or next to
   another such leftover) at the same level, joins the group when the group as a
   whole is more similar to the old paragraph than its partner alone: one old
   became several (split). The mirror image gives merges.
6. **Moves.** The longest run of groups that kept their relative order (longest
   increasing subsequence) stays put; every other group, and every group that
   changed section, is flagged moved.

Sub-paragraphs ((a), (i)) are elements of their own: they pair like paragraphs, so
an inserted (e) is an added element, a re-lettered one keeps its partner (and is
flagged renumbered by ``compare``), and one promoted to a paragraph of its own (or
demoted into a list) is found anywhere. Splits and merges never mix levels.

**Evidence for a pair.** Words are not equal witnesses. Function words ("the",
"of", "to") and resolution boilerplate ("human rights", "United Nations",
"States", "resolution", "calls upon", "urges", "welcoming") are shared by almost
any two paragraphs, so they count for nothing (``STOP_WORDS``, ``BOILERPLATE``;
numbers too). Every other word weighs by its rarity across the paragraphs of
both texts (inverse paragraph frequency, ``log(1 + N/df)``): sharing
"hijab", "Bab al-Hawa" or "moratorium" is strong evidence, sharing "concern" is
weak. *Evidence* is the weighted Dice coefficient of the content words;
*weighted containment* is the share of one paragraph's content weight found in
the other. A pair needs, besides its plain word similarity:

- anywhere (near anchor): evidence at least ``NEAR_EVIDENCE``, and at least
  ``CROSS_EVIDENCE`` between a preambular and an operative paragraph: two
  paragraphs that name the same conference are not yet the same paragraph;
- in place (gap), never across the parts: evidence at least ``GAP_THRESHOLD``, or weighted containment
  at least ``CONTAINMENT_THRESHOLD`` (a paragraph expanded to several times its
  length still contains the old one);
- a paragraph with fewer than three content words ("Takes note of the report;")
  has too little to weigh: its plain word similarity decides, as before;
- as part of a split or merge: weighted containment at least
  ``CONTAINMENT_THRESHOLD``.

On the real General Assembly country resolutions (77th -> 78th session) this
separates rewrites that keep their subject (the expanded "Demands that all
parties ..." paragraph, evidence 0.30, containment 0.93) from replacements that
share only form (a "Welcoming the statements ..." paragraph replaced by
"Welcoming Human Rights Council resolution S-35/1 ...", evidence 0.17).

Everything is deterministic: ties break on position, and no step has a timeout.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import lang as languages
from .model import Document, Pair, Paragraph, Section, Status
from .segment import has_han, split_han

MOVE_THRESHOLD = 0.5
"""Similarity needed to pair paragraphs anywhere in the text."""
NEAR_EVIDENCE = 0.25
"""Evidence (weighted Dice of content words) needed, besides ``MOVE_THRESHOLD``, to pair anywhere."""
CROSS_EVIDENCE = 0.5
"""Evidence needed to pair a preambular with an operative paragraph (a move across the parts)."""
GAP_THRESHOLD = 0.2
"""Evidence needed to pair leftovers that sit between the same two anchors."""
CONTAINMENT_THRESHOLD = 0.6
"""Share of a paragraph's content weight that must come from the paragraph it expanded from,
split off or merged into."""

STOP_WORDS = frozenset("""
a an the of and or in on at to for by with from as that this these those which who whom whose
its it their his her be is are was were been being has have had not no nor but also further all
any each other such into upon under within without between among including inter alia through
about against before after during over more most well very so than then there thereof thereby
may shall should would could can will must do does did per via both either same own only just
""".split())
"""Function words: shared by any two paragraphs, they are no evidence that two paragraphs correspond."""
BOILERPLATE = frozenset("""
united nations general assembly resolution resolutions human rights international state states
government governments secretary report session council commission relevant recalling reaffirming
noting welcoming expressing concern calls upon urges requests decides welcomes encourages invites
notes takes note recognizes recognizing reaffirms stresses stressing emphasizes emphasizing
acknowledges acknowledging condemns condemning expresses strongly deeply
""".split())
"""Words of the resolution form itself (English): no evidence either."""
_CANDIDATES = 8
_COMMON_BIGRAM = 64

Group = tuple[tuple[int, ...], tuple[int, ...]]
"""Old paragraph indexes paired with new ones: ((i,), (j,)), a split ((i,), (j, k)) or a merge."""

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased words, the unit of similarity (Chinese cut into words, see ``segment``)."""
    found = _WORD.findall(text.lower())
    if not has_han(text):
        return found
    return [w for token in found for w in split_han(token)]


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
    levels: dict[int, int] = field(default_factory=dict)
    sections: dict[int, Section] = field(default_factory=dict)
    matched: dict[int, int] = field(default_factory=dict)
    pos: dict[int, int] = field(default_factory=dict)
    content: dict[int, dict[str, float]] = field(default_factory=dict)
    """Per paragraph: content word -> count x weight (see "Evidence" above)."""

    def __post_init__(self) -> None:
        self.pos = {i: k for k, i in enumerate(self.idx)}

    @classmethod
    def of(cls, paragraphs: Sequence[Paragraph], idx: list[int]) -> _Side:
        toks = {i: words(paragraphs[i].text) for i in idx}
        return cls(idx, {i: Counter(t) for i, t in toks.items()}, {i: tuple(t) for i, t in toks.items()},
                   levels={i: paragraphs[i].level for i in idx}, sections={i: paragraphs[i].section for i in idx})

    def free(self) -> list[int]:
        return [i for i in self.idx if i not in self.matched]

    def weigh(self, weight: dict[str, float]) -> None:
        self.content = {i: {w: c * weight[w] for w, c in bag.items() if weight.get(w)} for i, bag in self.bags.items()}


def _weights(a: _Side, b: _Side) -> dict[str, float]:
    """Inverse paragraph frequency of every content word over both texts; 0 for stop words."""
    df: Counter[str] = Counter()
    for side in (a, b):
        for bag in side.bags.values():
            df.update(bag.keys())
    n = len(a.idx) + len(b.idx)
    return {w: 0.0 if _no_evidence(w) else math.log(1 + n / k) for w, k in df.items()}


def _no_evidence(word: str) -> bool:
    return (word in STOP_WORDS or word in BOILERPLATE or word in _FUNCTION_WORDS or word.isdigit()
            or (len(word) < 2 and not "\u4e00" <= word <= "\u9fff"))


_FUNCTION_WORDS = frozenset(w for t in languages.tables() for w in t.function_words)
"""The other languages' function words (``resdiff.lang``): no evidence either."""


def evidence(x: dict[str, float], y: dict[str, float]) -> float:
    """Weighted Dice coefficient of two content-word profiles, 0..1 (0 when either is empty)."""
    total = sum(x.values()) + sum(y.values())
    if not total:
        return 0.0
    return 2 * sum(min(v, y[w]) for w, v in x.items() if w in y) / total


def weighted_containment(part: dict[str, float], whole: dict[str, float]) -> float:
    """Share of ``part``'s content weight found in ``whole``, 0..1."""
    n = sum(part.values())
    return sum(min(v, whole[w]) for w, v in part.items() if w in whole) / n if n else 0.0


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
    weight = _weights(a, b)
    a.weigh(weight)
    b.weigh(weight)
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
            bar = CROSS_EVIDENCE if _crossed({a.sections[i]}, {b.sections[j]}) else NEAR_EVIDENCE
            if score >= MOVE_THRESHOLD and _evident(a, b, i, j, bar):
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
    free_a, free_b = a.free(), b.free()  # sorted, as the sides' indexes are
    for (lo_a, lo_b), (hi_a, hi_b) in zip(anchors, anchors[1:]):
        # Each gap's leftovers by bisection: linear overall, not gaps x leftovers.
        gap_a = [i for i in free_a[bisect_right(free_a, lo_a):bisect_left(free_a, hi_a)] if i not in a.matched]
        gap_b = [j for j in free_b[bisect_right(free_b, lo_b):bisect_left(free_b, hi_b)] if j not in b.matched]
        if not gap_a or not gap_b or len(gap_a) * len(gap_b) > 2500:
            continue
        edges = sorted(
            (-s, abs(ga - gb), i, j)
            for ga, i in enumerate(gap_a)
            for gb, j in enumerate(gap_b)
            if not _crossed({a.sections[i]}, {b.sections[j]}) and (s := _gap_score(a, b, i, j)) > 0
        )
        for _, _, i, j in edges:
            if i not in a.matched and j not in b.matched:
                _link(a, b, i, j)


_FEW = 3
"""Fewer content words than this: a paragraph too short for evidence; plain similarity decides."""
_SHORT_GAP_THRESHOLD = 0.3


def _evident(a: _Side, b: _Side, i: int, j: int, bar: float) -> bool:
    """Enough shared content to pair; paragraphs too short to weigh pass on their plain similarity."""
    x, y = a.content[i], b.content[j]
    if min(len(x), len(y)) < _FEW:
        return True
    return evidence(x, y) >= bar


def _gap_score(a: _Side, b: _Side, i: int, j: int) -> float:
    """How well two leftovers in place correspond, 0 when the evidence is too weak.

    A paragraph expanded (or cut) to several times its length still contains the
    other, though their Dice score is low: weighted containment counts then.
    """
    x, y = a.content[i], b.content[j]
    if min(len(x), len(y)) < _FEW:
        # Too short to weigh ("Takes note of the report;" -> "Welcomes the report;"): plain words decide.
        s = similarity(a.bags[i], b.bags[j])
        return s if s >= _SHORT_GAP_THRESHOLD else 0.0
    shorter, longer = (x, y) if sum(x.values()) <= sum(y.values()) else (y, x)
    contained = weighted_containment(shorter, longer) if len(shorter) >= 4 else 0.0
    score = evidence(x, y)
    if score >= GAP_THRESHOLD or contained >= CONTAINMENT_THRESHOLD:
        return max(score, 0.9 * contained)
    return 0.0


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
            partners = [owner[order[x]] for x in (k - 1, k + 1)
                        if 0 <= x < len(order) and order[x] in owner and dst.levels[order[x]] == dst.levels[d]]
            share, s = max(((_attach_score(src, dst, groups, s, d), s) for s in partners), default=(0.0, -1))
            if share > 0:
                groups[s].append(d)
                owner[d] = s
    return groups


def _attach_score(src: _Side, dst: _Side, groups: dict[int, list[int]], s: int, d: int) -> float:
    """Containment of ``d`` in ``s`` when attaching it makes the group closer to ``s``; else 0."""
    share = weighted_containment(dst.content[d], src.content[s]) if dst.content[d] else _containment(dst.bags[d], src.bags[s])
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
    anchor = -1  # the furthest place, so far, of an old paragraph before this one (a running max)
    for i in range(len(op)):
        if i not in used_old:
            keyed.append(((anchor, 1, i), Pair((i,), (), Status.DELETED)))
        anchor = max(anchor, where.get(i, -1))
    keyed.sort(key=lambda kp: kp[0])
    return [p for _, p in keyed]
