"""A brief fuzz run over the readers and the parser (Hypothesis): any bytes are either read or
refused with an ``InputError``; any text parses or is refused as empty. Never another exception.

Kept short for CI (a few hundred examples); raise ``FUZZ_EXAMPLES`` for a longer run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiff.errors import InputError
from resdiff.parse import parse
from resdiff.readers import read_bytes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))

MAGIC = [b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xffWPC", b"\xef\xbb\xbf", b"\xff\xfe",
         b"<?xml version='1.0'?>", b"<html><body>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
         b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">', b""]
FRAGMENTS = ["The General Assembly,", "Recalling its resolution 1/1,", "1.", "(a)", "(i)", "62nd meeting", "25 April 2003",
             "[Adopted without a vote.", "page PAGE 2 EMBED Word.Picture.8", "E/CN.4/RES/2003/73", "\u202e", "\x1b[2J",
             "\u200d", "\f", "\r\n", "\t", "9999.", "I. Heading", ""]

documents = st.builds(lambda head, body: head + body, st.sampled_from(MAGIC), st.binary(max_size=2048))
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=25).map("\n".join)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_readers_read_or_refuse_any_bytes(data):
    try:
        read = read_bytes(data, name="fuzz")
    except InputError as exc:
        assert exc.message.startswith("fuzz") and exc.hint
        return
    assert isinstance(read.text, str) and read.text.strip()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_the_parser_parses_or_refuses_any_text(text):
    try:
        doc = parse(text, source="fuzz")
    except InputError as exc:
        assert "empty text" in exc.message
        return
    assert doc.paragraphs and all(p.label for p in doc.paragraphs)
    assert len({p.label for p in doc.paragraphs}) == len(doc.paragraphs), [p.label for p in doc.paragraphs]
