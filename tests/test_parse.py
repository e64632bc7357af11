"""The parser on the real 2003/73 and on constructed layouts."""

import pytest

from conftest import REAL_2003_73
from resdiff.errors import InputError
from resdiff.model import Section
from resdiff.parse import canonical, parse


@pytest.fixture(scope="module")
def real():
    return parse(REAL_2003_73.read_text(encoding="utf-8"), source="data/chr-2003-73.txt")


def test_real_resolution_structure(real):
    labels = [p.label for p in real.paragraphs]
    assert labels[:3] == ["TITLE", "HEADING", "CHAPEAU"]
    assert [l for l in labels if l.startswith("PP")] == [f"PP{n}" for n in range(1, 10)]
    assert [l for l in labels if l.startswith("OP")] == [f"OP{n}" for n in [*range(1, 20), 21]]
    assert labels[-3:] == ["MEETING", "DATE", "ADOPTION"]


def test_real_resolution_metadata(real):
    assert real.title == "Regional cooperation for the promotion and protection of human rights in the Asian and Pacific Region"
    assert (real.symbol, real.body, real.date, real.meeting) == ("2003/73", "Commission on Human Rights", "2003-04-25", "62nd meeting")
    assert real.adoption == "[Adopted without a vote. See chap. XVII. - E/CN.4/2003/L.11/Add.7]"


def test_numbering_gap_is_kept_and_reported(real):
    assert real.by_label()["OP21"].text.startswith("Decides to continue")
    assert "OP20" not in real.by_label()
    assert real.warnings == ("operative numbering jumps from 19 to 21 (no OP20); kept as printed",)


def test_inline_numbers_tabs_and_subparagraphs():
    text = (
        "The General Assembly,\n\nRecalling its resolution 57/1,\n\n"
        "1.\tRequests the Secretary-General:\n(a) To report;\n(b) To consult;\n\n"
        "2. Decides to remain seized of the matter.\n"
    )
    doc = parse(text)
    op1 = doc.by_label()["OP1"]
    assert op1.text == "Requests the Secretary-General:"
    assert [(p.label, p.text, p.level, p.parent) for p in doc.paragraphs if p.level] == [
        ("OP1(a)", "To report;", 1, "OP1"), ("OP1(b)", "To consult;", 1, "OP1"),
    ]
    assert doc.by_label()["OP2"].section is Section.OPERATIVE
    assert doc.body == "General Assembly"


def test_duplicate_number_kept_and_reported():
    doc = parse("The Commission on Human Rights,\n\n1. Welcomes A;\n\n2. Notes B;\n\n2. Decides C.\n")
    assert [p.label for p in doc.paragraphs if p.section is Section.OPERATIVE] == ["OP1", "OP2", "OP2#2"]
    assert any("number 2 is printed twice" in w for w in doc.warnings)


def test_paragraphs_without_blank_lines():
    text = (
        "The Commission on Human Rights,\nRecalling its resolution 2002/82,\nStressing that regional\n"
        "cooperation matters,\n1. Welcomes the report;\n2. Decides to continue.\n"
    )
    doc = parse(text)
    assert [p.text for p in doc.paragraphs if p.section is Section.PREAMBLE] == [
        "Recalling its resolution 2002/82,",
        "Stressing that regional cooperation matters,",
    ]


def test_typographic_variants_are_canonical():
    assert canonical("\u201cA\u201d \u2018b\u2019 c\u00a0d e\u2011f 1995\u20132004 so\u00adft") == "\"A\" 'b' c d e-f 1995-2004 soft"


def test_unstructured_text_degrades_with_warning():
    doc = parse("Just some prose.\n\nAnother paragraph here.\n")
    assert not doc.structured
    assert [p.label for p in doc.paragraphs] == ["P1", "P2"]
    assert "no numbered operative paragraphs" in doc.warnings[0]


@pytest.mark.parametrize("text", ["", "   \n\n\t  \r\n", "page 2\n- 3 -\n"])
def test_text_without_words_is_an_error(text):
    with pytest.raises(InputError) as info:
        parse(text, source="x.txt")
    assert "x.txt" in info.value.message and info.value.hint


GA_STYLE = """United Nations A/RES/58/999

General Assembly Distr.: General
22 December 2003

Resolution adopted by the General Assembly

[on the report of the Third Committee (A/58/508/Add.2)]

58/999. Constructed example of cooperation

The General Assembly,

Recalling its earlier resolutions and the Programme of Action
adopted by the World Conference,

1. Welcomes the report;

2. Decides to continue.

77th plenary meeting
22 December 2003
"""


def test_general_assembly_layout():
    """A constructed text in the General Assembly's layout (masthead, numbered title)."""
    doc = parse(GA_STYLE)
    assert (doc.symbol, doc.title, doc.date, doc.body) == ("58/999", "Constructed example of cooperation", "2003-12-22", "General Assembly")
    assert doc.by_label()["TITLE"].text == "58/999. Constructed example of cooperation"
    assert doc.by_label()["PP1"].text.endswith("Programme of Action adopted by the World Conference,")
    assert [p.label for p in doc.paragraphs][-4:] == ["OP1", "OP2", "MEETING", "DATE"]
    assert doc.meeting == "77th plenary meeting" and doc.warnings == ()


def _all_unchanged(old: str, new: str) -> list:
    from resdiff.compare import compare_texts

    c = compare_texts(old, new)
    return [(p.old_labels, p.new_labels, p.status.value) for p in c.pairs if p.changed]


def test_page_break_inside_a_preambular_paragraph_is_not_a_paragraph_break():
    """Constructed from 2003/73: a running header cuts PP3 after a comma, and PP5 before a capital."""
    real = REAL_2003_73.read_text(encoding="utf-8")
    broken = real.replace("regardless of their political,", "regardless of their political,\n\nE/CN.4/RES/2003/73\npage 2\n\n", 1)
    broken = broken.replace("set by the\nGovernments", "set by the\n\npage 3\n\nGovernments", 1)
    broken = broken.replace("set by the Governments", "set by the\n\npage 3\n\nGovernments", 1)
    assert "page 2" in broken and "page 3" in broken
    assert _all_unchanged(real, broken) == []


def test_hard_wrapped_text_without_blank_lines():
    """Constructed from 2003/73: every paragraph wrapped at 60 columns, no blank lines, and one
    line broken after the hyphen of "non-governmental"."""
    import textwrap

    real = REAL_2003_73.read_text(encoding="utf-8")
    blocks = [" ".join(b.split()) for b in real.split("\n\n") if b.strip()]
    wrapped = "\n".join(line for b in blocks for line in textwrap.wrap(b, 60))
    wrapped = wrapped.replace("non-governmental", "non-\ngovernmental", 1)
    assert "non-\ngovernmental" in wrapped
    assert _all_unchanged(real, wrapped) == []


def test_a_capitalised_name_after_a_comma_does_not_start_a_preambular_paragraph():
    text = ("The Commission on Human Rights,\nRecognizing the contribution of national institutions,\n"
            "United Nations bodies and non-governmental organizations,\nNoting with appreciation the report,\n"
            "1. Decides to continue.\n")
    doc = parse(text)
    assert [p.text[:22] for p in doc.paragraphs if p.section is Section.PREAMBLE] == ["Recognizing the contri", "Noting with appreciati"]
