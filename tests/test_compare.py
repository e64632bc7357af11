"""Pair-level observations: opening verbs and routine yearly updates (constructed texts)."""

import pytest

from resdiff.compare import _opening_verb, compare_texts, is_routine_word

HEAD = "The Commission on Human Rights,\n\nRecalling its resolution 2002/82 of 26 April 2002,\n\n"


def one_op(old: str, new: str):
    c = compare_texts(HEAD + f"1. {old}\n", HEAD + f"1. {new}\n")
    return next(p for p in c.pairs if p.old_labels == ("OP1",))


@pytest.mark.parametrize(("text", "verb"), [
    ("Welcomes the report;", "Welcomes"),
    ("Also welcomes the report;", "Also welcomes"),
    ("Strongly encourages all States;", "Strongly encourages"),
    ("Calls upon all States;", "Calls upon"),
    ("Takes note with appreciation of the report;", "Takes note with appreciation"),
])
def test_opening_verb(text, verb):
    assert _opening_verb(text) == verb


def test_verb_change_is_noted():
    pair = one_op("Takes note of the report;", "Welcomes the report;")
    assert pair.notes == ("opening verb: Takes note -> Welcomes (stronger)",)


@pytest.mark.parametrize("word", ["2004", "April", "eleventh", "sixty-first", "sixtieth", "62nd", "E/CN.4/2004/91", "2003/73", "xx"])
def test_routine_words(word):
    assert is_routine_word(word)


@pytest.mark.parametrize("word", ["Pakistan", "Urges", "human", "rights", "not"])
def test_substantive_words(word):
    assert not is_routine_word(word)


def test_session_and_workshop_updates_are_routine():
    pair = one_op("Requests a report at its sixtieth session on the twelfth Workshop;",
                  "Requests a report at its sixty-first session on the thirteenth Workshop;")
    assert pair.routine and pair.status.value == "modified"


def test_a_new_host_country_is_not_routine():
    pair = one_op("Commends Pakistan as host of the eleventh Workshop;", "Commends Qatar as host of the twelfth Workshop;")
    assert not pair.routine


def test_unchanged_pair_is_not_routine():
    assert not one_op("Decides to continue;", "Decides to continue;").routine


def test_a_punctuation_only_change_is_not_routine():
    pair = one_op("Stresses that capacities provides the foundation;", "Stresses that capacities, provides the foundation;")
    assert pair.status.value == "modified" and not pair.routine


def test_structured_against_unstructured_pairs_by_words_without_moves():
    """2003/73 against a constructed copy with its paragraph numbers removed (no operative part)."""
    import re

    from conftest import REAL_2003_73

    real = REAL_2003_73.read_text(encoding="utf-8")
    plain = re.sub(r"(?m)^\d+\.\n", "", real)
    c = compare_texts(real, plain)
    assert not c.new.structured
    assert [p for p in c.pairs if p.moved] == []
    assert {p.status.value for p in c.pairs} == {"unchanged"}
    assert len(c.pairs) == len(c.old.paragraphs)
