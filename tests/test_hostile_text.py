"""Hostile characters in documents: nothing reaches a terminal or a report as a live control,
and canonicalisation removes only the invisible characters it documents. Texts are constructed."""

import subprocess
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.compare import compare_texts
from resdiff.parse import _CHAR_MAP, REMOVED, canonical, parse
from resdiff.render import render_html, render_md, render_text
from resdiff.visible import visible

BASE = "Constructed test text, not a UN document\n\nThe General Assembly,\n\nRecalling its resolution 1/1,\n\n1. Welcomes the report;\n"
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m"


def test_visible_escapes_controls_and_names_bidi_overrides():
    assert visible("a\x1b[2Jb\tc\nd") == "a\\x1b[2Jb\tc\nd"
    assert visible("abc\u202edef") == "abc<U+202E>def"
    assert visible("\x9b") == "\\x9b"
    assert visible("plain text, «guillemets», 中文") == "plain text, «guillemets», 中文"


def test_text_markdown_and_html_reports_carry_no_live_escape_sequence():
    c = compare_texts(BASE, BASE.replace("the report", f"the report {ESCAPES}"), old_source="a", new_source=f"b{ESCAPES}")
    for out in (render_text(c, old_name="a", new_name=f"b{ESCAPES}"), render_md(c, old_name="a", new_name="b"),
                render_html(c, old_name="a", new_name=f"b{ESCAPES}")):
        assert "\x1b" not in out and "\x07" not in out
        assert "\\x1b" in out


def test_cli_messages_and_stdout_escape_controls(tmp_path):
    path = tmp_path / f"draft{chr(27)}[2J.txt"
    path.write_text(BASE.replace("the report", f"the report {ESCAPES}"), encoding="utf-8")
    old = tmp_path / "old.txt"
    old.write_text(BASE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "from resdiff.cli.main import run; run()", str(old), str(path), "-f", "text", "-o", "-"],
                         capture_output=True, text=True, env={"RESDIFF_STORE": str(tmp_path / "store"), "PATH": ""})
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x1b" not in run.stderr
    assert "\\x1b[2J" in run.stderr  # the file name, as written in the summary


def test_bidi_override_is_a_warning_and_visible():
    doc = parse(BASE.replace("the report", "the report \u202eetats lla\u202c"))
    assert any("U+202E" in w for w in doc.warnings)
    c = compare_texts(BASE, BASE.replace("the report", "the report \u202eetats lla\u202c"))
    assert "&lt;U+202E&gt;" in render_html(c, old_name="a", new_name="b")


def test_zero_width_joiners_are_kept():
    text = "Recalling its resolution 1/1 \u200d and \u200c,"
    assert "\u200d" in canonical(text) and "\u200c" in canonical(text)


_MAPPED = set(_CHAR_MAP) | {ord("\r")}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_canonical_removes_no_code_point_outside_the_documented_list(raw):
    # Compare with what NFKC and the typographic map make of each character: nothing else may vanish.
    text = unicodedata.normalize("NFKC", raw)
    kept = "".join(c for c in text if ord(c) not in _MAPPED)
    out = canonical(kept)
    expected = "".join(c for c in kept if c not in REMOVED)
    assert out == unicodedata.normalize("NFKC", expected).translate(_CHAR_MAP) or out == expected
