"""Sub-paragraphs as structure: their own labels, levels and alignment.

Every text here is constructed for resdiff's tests; none is a UN document.
"""

from resdiff.compare import compare_texts
from resdiff.model import Section
from resdiff.parse import parse

HEAD = "Constructed test text, not a UN document\n\nThe General Assembly,\n\nRecalling its resolution 1/1,\n\n"


def _labels(text):
    return [(p.label, p.level, p.parent) for p in parse(HEAD + text).paragraphs if p.section is Section.OPERATIVE]


def test_letters_and_nested_roman_numerals():
    text = ("1. Calls upon all States:\n\n(a) To ratify the Convention;\n\n(b) To report on:\n\n"
            "(i) Measures taken;\n\n(ii) Obstacles met;\n\n(c) To cooperate;\n\n2. Decides to remain seized.\n")
    assert _labels(text) == [
        ("OP1", 0, None), ("OP1(a)", 1, "OP1"), ("OP1(b)", 1, "OP1"), ("OP1(b)(i)", 2, "OP1(b)"),
        ("OP1(b)(ii)", 2, "OP1(b)"), ("OP1(c)", 1, "OP1"), ("OP2", 0, None),
    ]


def test_letter_i_after_h_is_a_letter_not_a_numeral():
    items = "".join(f"({c}) Item {c};\n\n" for c in "abcdefghij")
    labels = _labels("1. Decides:\n\n" + items)
    assert [l for l, level, _ in labels if level == 1] == [f"OP1({c})" for c in "abcdefghij"]


def test_roman_list_at_first_level():
    labels = _labels("1. Decides:\n\n(i) One;\n\n(ii) Two;\n\n(iii) Three;\n\n(iv) Four;\n")
    assert [(l, level) for l, level, _ in labels][1:] == [("OP1(i)", 1), ("OP1(ii)", 1), ("OP1(iii)", 1), ("OP1(iv)", 1)]


def test_marker_and_text_on_separate_lines():
    doc = parse(HEAD + "1. Requests:\n\n(a)\n\nTo report;\n\n(b) To consult.\n")
    assert doc.by_label()["OP1(a)"].text == "To report;"


def test_closing_words_after_a_list_stay_with_the_last_item():
    doc = parse(HEAD + "1. Requests:\n\n(a) To report;\n\n(b) To consult,\n\nand to do so annually;\n\n2. Decides.\n")
    assert doc.by_label()["OP1(b)"].text == "To consult, and to do so annually;"
