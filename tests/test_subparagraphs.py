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


# ---------------------------------------------------------------- alignment of sub-paragraphs

LIST_OLD = HEAD + (
    "1. Calls upon all States:\n\n"
    "(a) To ratify the Convention on the protection of migratory birds without reservations;\n\n"
    "(b) To report to the Secretariat on measures taken against poaching in wetlands;\n\n"
    "(c) To cooperate with neighbouring countries on the restoration of river deltas;\n\n"
    "(d) To establish a moratorium on the drainage of peat bogs pending scientific review;\n\n"
    "2. Decides to remain seized of the matter.\n"
)


def _pairs(old, new):
    c = compare_texts(old, new)
    return {(p.old_labels, p.new_labels): p for p in c.pairs}


def test_an_inserted_item_is_added_and_the_items_after_it_are_relettered():
    new = LIST_OLD.replace("(c) To cooperate", "(c) To fund the monitoring of coastal lagoons by regional observatories;\n\n(d) To cooperate") \
        .replace("(d) To establish", "(e) To establish")
    pairs = _pairs(LIST_OLD, new)
    assert pairs[((), ("OP1(c)",))].status.value == "added"
    relettered = pairs[(("OP1(c)",), ("OP1(d)",))]
    assert relettered.status.value == "unchanged" and relettered.renumbered
    assert pairs[(("OP1(d)",), ("OP1(e)",))].renumbered
    # Neighbouring items are untouched: nothing of (b) is struck and re-inserted.
    assert pairs[(("OP1(b)",), ("OP1(b)",))].ops == ((0, "To report to the Secretariat on measures taken against poaching in wetlands;"),)


def test_an_item_promoted_to_a_paragraph_of_its_own_is_paired_with_it():
    new = LIST_OLD.replace(
        "(d) To establish a moratorium on the drainage of peat bogs pending scientific review;\n\n2. Decides",
        "2. Calls upon all States to establish a moratorium on the drainage of peat bogs pending scientific review;\n\n3. Decides")
    pairs = _pairs(LIST_OLD, new)
    promoted = pairs[(("OP1(d)",), ("OP2",))]
    assert promoted.status.value == "modified"
    assert any(n.startswith("promoted: sub-paragraph OP1(d) became paragraph OP2") for n in promoted.notes)


def test_a_paragraph_demoted_into_a_list_is_paired_with_its_item():
    old = LIST_OLD.replace("2. Decides", "2. Calls upon all States to fund the monitoring of coastal lagoons by regional observatories;\n\n3. Decides")
    new = LIST_OLD.replace("(d) To establish", "(e) To fund the monitoring of coastal lagoons by regional observatories;\n\n(d) To establish")
    pairs = _pairs(old, new)
    demoted = pairs[(("OP2",), ("OP1(e)",))]
    assert any(n.startswith("demoted: paragraph OP2 became sub-paragraph OP1(e)") for n in demoted.notes)


def test_every_output_puts_each_item_on_its_own_indented_line():
    from resdiff.render import render_html, render_text

    c = compare_texts(LIST_OLD, LIST_OLD.replace("without reservations", "without delay"))
    text = render_text(c, old_name="old", new_name="new")
    assert "\n    OP1(a)  [modified]\n    To ratify the Convention on the protection of migratory birds without [-reservations-]{+delay+};" in text
    html = render_html(c, old_name="old", new_name="new")
    assert html.count('level-1"') + html.count("level-1 ") >= 8  # 4 items x 2 views


def test_html_prints_each_items_letter_before_its_text():
    """The letter is shown as the resolution prints it: kept, re-lettered (struck and inserted), added or deleted."""
    from resdiff.render import render_html

    new = LIST_OLD.replace("(c) To cooperate", "(c) To fund the monitoring of coastal lagoons by regional observatories;\n\n(d) To cooperate") \
        .replace("(d) To establish", "(e) To establish")
    html = render_html(compare_texts(LIST_OLD, new), old_name="old", new_name="new")
    assert '<span class="marker">(a)</span> To ratify' in html
    assert '<ins class="marker">(c)</ins> <ins>To fund' in html  # the added item
    assert '<del class="marker">(c)</del><ins class="marker">(d)</ins> To cooperate' in html  # re-lettered
    # Side by side, each column prints its own letter, plainly.
    assert '<span class="marker">(c)</span> To cooperate' in html and '<span class="marker">(d)</span> To cooperate' in html
    deleted = render_html(compare_texts(LIST_OLD, LIST_OLD.replace("(d) To establish a moratorium on the drainage of peat bogs pending scientific review;\n\n", "")),
                          old_name="old", new_name="new")
    assert '<del class="marker">(d)</del> <del>To establish' in deleted
