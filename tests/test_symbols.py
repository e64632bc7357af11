"""Symbol spellings, including the General Assembly's parts and special sessions seen in the real corpus."""

import pytest

from resdiff.errors import SymbolError
from resdiff.symbols import Body, parse_symbol


@pytest.mark.parametrize(("given", "key", "full", "slug"), [
    ("2003/73", "chr:2003/73", "E/CN.4/RES/2003/73", "chr-2003-73"),
    ("E/CN.4/RES/2003/73", "chr:2003/73", "E/CN.4/RES/2003/73", "chr-2003-73"),
    ("ga:58/123", "ga:58/123", "A/RES/58/123", "ga-58-123"),
    ("A/RES/78/183 A", "ga:78/183 A", "A/RES/78/183 A", "ga-78-183-a"),
    ("ga:78/80 A-B", "ga:78/80 A-B", "A/RES/78/80 A-B", "ga-78-80-a-b"),
    ("A/RES/S-32/1", "ga:S-32/1", "A/RES/S-32/1", "ga-s-32-1"),
    ("A/RES/ES-11/1", "ga:ES-11/1", "A/RES/ES-11/1", "ga-es-11-1"),
    ("ES-11/1", "ga:ES-11/1", "A/RES/ES-11/1", "ga-es-11-1"),
    ("S-1/1", "hrc:S-1/1", "A/HRC/RES/S-1/1", "hrc-s-1-1"),
])
def test_spellings(given, key, full, slug):
    symbol = parse_symbol(given)
    assert (symbol.key, symbol.full, symbol.slug) == (key, full, slug)
    assert parse_symbol(symbol.key) == symbol == parse_symbol(symbol.full)


def test_parts_are_different_resolutions():
    assert parse_symbol("ga:78/183 A") != parse_symbol("ga:78/183 B") != parse_symbol("ga:78/183")
    assert parse_symbol("ga:78/183 A").body is Body.GA


@pytest.mark.parametrize("given", ["chr:2003/73 A", "hrc:ES-1/1", "chr:S-1/1"])
def test_parts_and_sessions_of_the_wrong_body_are_refused_with_a_hint(given):
    with pytest.raises(SymbolError) as info:
        parse_symbol(given)
    assert info.value.hint
