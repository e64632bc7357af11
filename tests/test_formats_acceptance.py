"""Acceptance for readers: 2003/73 as .docx, .pdf, .html and .doc (all generated from
the bundled text by tests/readers_fixtures.py) compares with the plain text as
all-unchanged, with no warning but the known numbering gap."""

import json

import pytest
from typer.testing import CliRunner

import readers_fixtures as fx
from conftest import REAL_2003_73
from resdiff.cli.main import app, with_default_command

GAP = "operative numbering jumps from 19 to 21 (no OP20); kept as printed"
needs_soffice = pytest.mark.skipif(fx.soffice() is None, reason="LibreOffice (soffice) is not on PATH")


def assert_all_unchanged(path):
    args = with_default_command([str(REAL_2003_73), str(path), "-f", "json", "--exit-code"])
    result = CliRunner().invoke(app, args)
    data = json.loads(result.stdout)
    changed = [(p["old"], p["new"], p["status"]) for p in data["pairs"] if p["status"] != "unchanged" or p["moved"] or p["renumbered"]]
    assert changed == []
    assert data["warnings"] == [f"old: {GAP}", f"new: {GAP}"]
    assert len(data["pairs"]) == 35 and result.exit_code == 0


def test_docx_with_word_numbering(tmp_path):
    assert_all_unchanged(fx.make_docx(tmp_path / "chr-2003-73.docx", page_furniture=True))


def test_html_page(tmp_path):
    assert_all_unchanged(fx.make_html(tmp_path / "chr-2003-73.html"))


@needs_soffice
def test_pdf_with_running_headers_and_page_numbers(real_pdf):
    assert_all_unchanged(real_pdf)


@needs_soffice
def test_legacy_doc(real_doc):
    assert_all_unchanged(real_doc)


@needs_soffice
def test_pdf_named_txt_is_still_read_as_pdf(real_pdf, tmp_path):
    disguised = tmp_path / "really-a-pdf.txt"
    disguised.write_bytes(real_pdf.read_bytes())
    assert_all_unchanged(disguised)
