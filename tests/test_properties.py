"""Hypothesis property tests for resdiff's invariants.

Texts are constructed from paragraphs of the real 2003/73, random words and layout
noise; none of them is a real document.
"""

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REAL_2003_73
from resdiff.align import align
from resdiff.diff import side_text, tokens, word_ops
from resdiff.errors import InputError
from resdiff.parse import canonical, is_layout_noise, parse

REAL = REAL_2003_73.read_text(encoding="utf-8")
REAL_PARAGRAPHS = [b.strip() for b in REAL.split("\n\n") if len(b.split()) > 3]
WORD = re.compile(r"\w+")

words = st.text(alphabet="abcdefghij ABC,;.:()-/'\"\u201c\u201d\u00a0\u2013\n\t0123", max_size=80)
lines = st.one_of(
    st.sampled_from(REAL_PARAGRAPHS),
    st.integers(1, 40).map(lambda n: f"{n}."),
    st.integers(1, 40).map(lambda n: f"{n}.\tDecides to act;"),
    st.sampled_from(["(a) To report;", "(ii) to consult,", "The Commission on Human Rights,", "E/CN.4/RES/2003/73", "page 2", "- 4 -", "62nd meeting", "25 April 2003", "[Adopted without a vote.", "See chap. XVII.]"]),
    words,
    st.just(""),
)
documents = st.builds(lambda ls, sep: sep.join(ls), st.lists(lines, min_size=1, max_size=30), st.sampled_from(["\n", "\r\n", "\n\n"]))


def _words_of_document(doc) -> Counter:
    out = Counter()
    for p in doc.paragraphs:
        out.update(WORD.findall(p.text))
        if p.number:
            out.update(WORD.findall(p.number))
    for line in doc.dropped:
        out.update(WORD.findall(line))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_parsing_loses_no_word(text):
    """Every word of the input lands in exactly one element (or the dropped layout lines)."""
    expected = Counter(WORD.findall(canonical(text)))
    if not expected:
        return
    try:
        doc = parse(text)
    except InputError:
        # Only allowed when every line with words is layout noise (page numbers, headers).
        assert all(is_layout_noise(line) for line in canonical(text).split("\n") if WORD.search(line))
        return
    assert _words_of_document(doc) == expected


texts = st.one_of(words, st.lists(st.sampled_from(REAL_PARAGRAPHS + ["", "Urges", "the", ";", "2004/1"]), max_size=6).map(" ".join))


@settings(max_examples=400, deadline=None)
@given(texts, texts)
def test_word_ops_rebuild_both_texts(old, new):
    ops = word_ops(old, new)
    assert side_text(ops, -1) == old
    assert side_text(ops, 1) == new
    assert all(op in (-1, 0, 1) and t for op, t in ops)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_word_ops_never_split_a_word(old, new):
    """Every operation starts and ends on a token boundary of the side(s) it belongs to."""
    ops = word_ops(old, new)
    for side, whole in ((-1, old), (1, new)):
        bounds, pos = {0}, 0
        for tok in tokens(whole):
            pos += len(tok)
            bounds.add(pos)
        pos = 0
        for op, t in ops:
            if op in (0, side):
                assert pos in bounds and pos + len(t) in bounds, (op, t)
                pos += len(t)


paragraph_lists = st.lists(st.sampled_from(REAL_PARAGRAPHS[3:]), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(paragraph_lists, paragraph_lists)
def test_alignment_uses_each_paragraph_once(olds, news):
    def doc(ps):
        return parse("The Commission on Human Rights,\n\n" + "\n\n".join(f"{n}. {t}" for n, t in enumerate(ps, 1)))

    a, b = doc(olds), doc(news)
    pairs = align(a, b)
    old_used = [i for p in pairs for i in p.old]
    new_used = [j for p in pairs for j in p.new]
    assert sorted(old_used) == list(range(len(a.paragraphs)))
    assert sorted(new_used) == list(range(len(b.paragraphs)))
    assert align(a, b) == pairs  # deterministic
