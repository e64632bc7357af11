"""Negotiation drafts: printed margin markers, [bracketed] text, "ad ref" / "silence" tags.

The drafts here are CONSTRUCTED for resdiff's tests by editing the real 2003/73 the way
negotiators do (margin markers, brackets, an alternative paragraph); they are not UN documents.
"""

from resdiff.compare import compare_texts
from resdiff.parse import parse

ZERO = """Constructed test draft (zero draft), derived from resolution 2003/73; not a UN document

The Commission on Human Rights,

PP1 Recalling its resolution 2002/82 of 26 April 2002,

PP2 Stressing that regional cooperation can play an important role [in promoting universal respect for human rights],

OP1 Welcomes the report of the Secretary-General (E/CN.4/2003/109);

OP2 [Strongly encourages][Encourages] all States in the region to take concrete steps at the national level;

OP3 Requests the Secretary-General to submit a report at its sixtieth session; (agreed ad ref)

OP3 alt [Requests the Secretary-General to report orally at its sixtieth session;]

OP4 Decides to continue its consideration of the question at its sixtieth session.
"""

REV1 = (ZERO.replace("zero draft", "rev.1")
        .replace("[in promoting universal respect for human rights]", "in promoting universal respect for human rights")
        .replace("[Strongly encourages][Encourages]", "[Strongly encourages]")
        .replace("OP3 alt [Requests the Secretary-General to report orally at its sixtieth session;]\n\n", "")
        .replace("OP1 Welcomes the report", "OP1 Welcomes [with appreciation] the report"))


def test_margin_markers_are_labels_not_text():
    doc = parse(ZERO)
    labels = [p.label for p in doc.paragraphs if p.section.is_body]
    assert labels == ["PP1", "PP2", "OP1", "OP2", "OP3", "OP3alt", "OP4"]
    assert doc.by_label()["PP1"].text.startswith("Recalling its resolution")
    assert doc.by_label()["OP3alt"].number == "3alt"


def test_brackets_mark_unagreed_text_and_tags_give_a_status():
    doc = parse(ZERO)
    by = doc.by_label()
    assert by["PP2"].bracketed and by["OP2"].bracketed and not by["OP4"].bracketed
    assert by["OP3"].agreed == "agreed ad ref" and by["OP3"].text.endswith("sixtieth session;")


def test_a_redline_between_rounds_shows_bracket_changes_and_counts_what_is_still_bracketed():
    c = compare_texts(ZERO, REV1)
    pairs = {(p.old_labels, p.new_labels): p for p in c.pairs}
    assert "brackets removed: language agreed" in pairs[(("PP2",), ("PP2",))].notes
    assert "brackets added" in pairs[(("OP1",), ("OP1",))].notes
    assert pairs[(("OP3alt",), ())].status.value == "deleted"
    assert "still bracketed" in pairs[(("OP2",), ("OP2",))].notes[-1]
    assert c.counts()["bracketed"] == 2  # OP1 and OP2 are still in dispute in rev.1


def test_unbalanced_brackets_are_a_warning_and_the_text_is_kept():
    doc = parse(ZERO.replace("[in promoting", "in promoting"))
    assert any("unbalanced brackets in PP2" in w for w in doc.warnings)
    assert doc.by_label()["PP2"].text.endswith("for human rights],")
