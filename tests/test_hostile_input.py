"""Hostile input and failing environments: bounded reads, clean errors, no tracebacks.

Each case runs the real command in a subprocess with an address-space limit (1 GiB) and a
generous timeout, which guard against runaway memory or hangs; nothing here measures speed.
Texts are constructed; none is a UN document.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from resdiff.parse import parse

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "data" / "illustrative-draft-next-year.txt"
LIMIT = 1 << 30


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def resdiff(*args: str, stdin=None, tmp: Path, timeout: int = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "RESDIFF_STORE": str(tmp / "store"), "RESDIFF_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", "from resdiff.cli.main import run; run()", *args],
                          stdin=stdin, capture_output=True, env=env, timeout=timeout, preexec_fn=_limit)


def assert_clean_error(run: subprocess.CompletedProcess, needle: str) -> None:
    err = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 2, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ") and needle in lines[0], err
    assert lines[1].startswith("hint: ") and "Traceback" not in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_after_the_limit(tmp_path, device):
    assert_clean_error(resdiff("2003/73", device, "-f", "json", tmp=tmp_path), "over the limit")


def test_an_endless_stdin_is_refused_after_the_limit(tmp_path):
    with open("/dev/zero", "rb") as zero:
        assert_clean_error(resdiff("2003/73", "-", "-f", "json", stdin=zero, tmp=tmp_path), "<stdin>: more than")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
def test_a_full_stdout_is_an_error_line(tmp_path):
    with open("/dev/full", "wb") as full:
        run = subprocess.run([sys.executable, "-c", "from resdiff.cli.main import run; run()", "2003/73", str(DRAFT), "-f", "json", "-q"],
                             stdout=full, stderr=subprocess.PIPE, env={**os.environ, "RESDIFF_STORE": str(tmp_path / "s")}, timeout=60)
    err = run.stderr.decode()
    assert run.returncode == 2 and "error: cannot write to standard output: No space left on device" in err and "Traceback" not in err


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    name = os.fsencode(tmp_path) + b"/dr\xffaft.txt"
    with open(name, "wb") as f:
        f.write(DRAFT.read_bytes())
    run = resdiff("2003/73", os.fsdecode(name), "-f", "json", "-q", tmp=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    assert json.loads(run.stdout)["new"]["source"].endswith("dr\\xffaft.txt")
    missing = resdiff("2003/73", os.fsdecode(os.fsencode(tmp_path) + b"/gone\xfe.txt"), tmp=tmp_path)
    assert_clean_error(missing, "gone\\xfe.txt: no such file")


def test_operative_numbers_past_999_are_read_as_printed():
    doc = parse("The General Assembly,\n\n" + "".join(f"{n}. Decides on item {n};\n\n" for n in range(1, 1031)))
    ops = [p for p in doc.paragraphs if p.label.startswith("OP")]
    assert len(ops) == 1030 and ops[-1].label == "OP1030" and ops[-1].text == "Decides on item 1030;"
    assert doc.warnings == ()


def test_thousands_of_repeated_numbers_give_a_dozen_warnings():
    doc = parse("The General Assembly,\n\n" + "".join(f"1. Decides on item {n};\n\n" for n in range(6000)))
    assert len(doc.paragraphs) == 6001
    assert len(doc.warnings) == 12 and doc.warnings[-1].startswith("... and 5988 more")


def test_a_docx_that_inflates_far_beyond_its_size_is_refused(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (60 * 2**20) + "</w:document>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 2**20
    assert_clean_error(resdiff("2003/73", str(path), tmp=tmp_path), "not a plausible Word document")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_with_a_warning(tmp_path, codec):
    path = tmp_path / "draft.txt"
    path.write_bytes(DRAFT.read_text(encoding="utf-8").encode(codec))
    run = resdiff("2003/73", str(path), "-f", "json", tmp=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    assert f"UTF-16 without a byte order mark; read as {codec.upper()}" in run.stderr.decode()
    assert json.loads(run.stdout)["summary"]["split"] == 1


@pytest.mark.parametrize("charset", ["rot13", "hex", "base64", "zip"])
def test_an_html_charset_that_is_no_text_encoding_is_ignored_with_a_warning(tmp_path, charset):
    body = "".join(f"<p>{line}</p>" for line in DRAFT.read_text(encoding="utf-8").split("\n\n"))
    path = tmp_path / "draft.html"
    path.write_text(f'<html><head><meta charset="{charset}"></head><body>{body}</body></html>', encoding="utf-8")
    run = resdiff("2003/73", str(path), "-f", "json", tmp=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    assert f"charset '{charset}' is not a text encoding; ignored" in run.stderr.decode()


def test_a_pdf_damaged_inside_is_read_with_a_warning_not_silently(tmp_path):
    import readers_fixtures as fx

    if fx.soffice() is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    pdf = fx.make_pdf(tmp_path / "real.pdf")
    data = bytearray(pdf.read_bytes())
    at = data.find(b"stream", len(data) // 2)
    data[at + 20:at + 60] = b"\x00" * 40  # damage one object's bytes; the file still opens
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    run = resdiff("2003/73", str(damaged), "-f", "json", tmp=tmp_path)
    err = run.stderr.decode()
    assert run.returncode == 0 and "the PDF reader reported a problem" in err and "may be damaged" in err
    assert not any(line.startswith(("WARNING", "ERROR")) for line in err.splitlines()), err  # no raw pdfminer lines


def test_an_html_internal_dtd_subset_leaves_nothing_in_the_text():
    from resdiff.readers import read_bytes

    page = (b'<!DOCTYPE html [<!ENTITY x "expanded">]><html><body><p>Recalling its resolution 1/1, &x;</p>'
            b"<p>1. Welcomes the report;</p></body></html>")
    text = read_bytes(page, name="dtd.html").text
    assert text.startswith("Recalling its resolution 1/1,") and "]>" not in text and "expanded" not in text


def test_a_page_with_a_hundred_thousand_lines_is_refused_before_layout_analysis(tmp_path):
    import readers_fixtures as fx

    path = fx.make_simple_pdf(tmp_path / "dense.pdf", [[f"{i}. Decides on item {i};"] for i in range(100_000)])
    assert_clean_error(resdiff("2003/73", str(path), tmp=tmp_path), "page 1 holds 100,000 pieces of text")


def test_a_text_of_hundreds_of_thousands_of_paragraphs_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("The General Assembly,\n\n" + "".join(f"{n % 9000 + 1}. Decides item {n};\n\n" for n in range(300_000)))
    assert_clean_error(resdiff(str(path), str(path), "-f", "json", tmp=tmp_path), "300,001 paragraphs, more than resdiff compares (20,000)")


def test_lines_repeated_on_every_page_are_kept_when_they_are_most_of_the_text(monkeypatch):
    import resdiff.readers.pdf as pdf
    from resdiff.readers import _Row, read_bytes

    def row(text: str, y: float):
        return _Row(text=text, x0=72.0, x1=300.0, top=y + 10, bottom=y)

    # A 40-page PDF whose every page prints the same two lines: a header rule would drop all of it.
    pages = [[row("1. Decides to remain seized of the matter;", 700), row("2. Requests a report;", 680)] for _ in range(40)]
    monkeypatch.setattr(pdf, "_pdf_rows_and_problems", lambda data, name: (pages, []))
    read = read_bytes(b"%PDF-1.4\n%%EOF\n", name="repeated.pdf")
    assert "Decides to remain seized" in read.text
    assert any("lines repeated on every page were kept" in w for w in read.warnings)
