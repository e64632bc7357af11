"""Download by symbol through the CLI, against a local server started by the test.

The document served for the made-up symbol 2004/990 is CONSTRUCTED: the bundled
illustrative draft with a heading naming that (non-existent) symbol and a date.
"""

import json
import subprocess
import zipfile

import pytest
from typer.testing import CliRunner

from conftest import ILLUSTRATIVE_DRAFT
import readers_fixtures as fx
from fake_un_server import FakeUN, Reply
from resdiff.cli.main import app, with_default_command

SYMBOL = "E/CN.4/RES/2004/990"


def constructed_docx(path):
    import docx

    text = ILLUSTRATIVE_DRAFT.read_text(encoding="utf-8").replace(
        "ILLUSTRATIVE DRAFT", "Commission on Human Rights resolution 2004/990\n\nILLUSTRATIVE DRAFT", 1)
    document = docx.Document()
    for block in (text + "\n\n21 April 2004").split("\n\n"):
        document.add_paragraph(" ".join(block.split()))
    document.save(path)
    return path.read_bytes()


@pytest.fixture
def fake(monkeypatch, tmp_path):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with FakeUN() as server:
        monkeypatch.setenv("RESDIFF_ODS_BASE", server.ods_base)
        monkeypatch.setenv("RESDIFF_OHCHR_BASE", server.ohchr_base)
        yield server


def invoke(*args):
    return CliRunner().invoke(app, with_default_command(list(args)))


def test_compare_downloads_a_missing_symbol_into_the_store(fake, tmp_path):
    store = tmp_path / "store"
    fake.ods(SYMBOL, "pdf", Reply(404))
    fake.ods(SYMBOL, "doc", Reply(200, constructed_docx(tmp_path / "x.docx"), {"Content-Type": "application/msword"}))
    result = invoke("2003/73", "chr:2004/990", "-f", "json", "-q", "--store", str(store))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["new"]["symbol"] == "2004/990" and data["summary"]["split"] == 1
    assert fake.requests_to(("ods", SYMBOL, "doc"))[0].headers["User-Agent"].startswith("resdiff/")
    # Filed with its provenance: the URL in the commit trailers and the source bytes kept as received.
    log = subprocess.run(["git", "-C", str(store), "log", "--all", "--format=%B"], capture_output=True, text=True).stdout
    assert "Source: " + fake.ods_base in log and "Sha256: " in log
    shown = invoke("show", "2004/990", "--format", "source", "--store", str(store))
    assert zipfile.is_zipfile(__import__("io").BytesIO(shown.stdout_bytes))
    # Second time: no request, the store has it.
    before = len(fake.seen)
    assert invoke("2003/73", "chr:2004/990", "-f", "json", "-q", "--store", str(store)).exit_code == 0
    assert len(fake.seen) == before


def test_fetch_command_reports_and_is_idempotent(fake, tmp_path):
    store = str(tmp_path / "store")
    fake.ods(SYMBOL, "pdf", Reply(200, constructed_docx(tmp_path / "x.docx")))
    first = invoke("fetch", "2004/990", "--store", store)
    assert first.exit_code == 0, first.stderr
    assert "fetched 2004/990 from " + fake.ods_base in first.stderr and "sha256" in first.stderr
    again = invoke("fetch", "2004/990", "--store", store)
    assert again.exit_code == 0 and "already stored" in again.stderr


def test_offline_makes_no_request_and_names_both_ways_forward(fake, tmp_path):
    result = invoke("2001/77", "2003/73", "--offline", "--store", str(tmp_path / "store"))
    assert result.exit_code == 2 and fake.seen == []
    assert "2001/77" in result.stderr and "--offline" in result.stderr
    assert "hint: drop --offline" in result.stderr and "resdiff add FILE --symbol 2001/77" in result.stderr


def test_unreachable_network_says_what_is_missing_and_how_to_go_on(tmp_path):
    # conftest points the UN base URLs at a closed local port.
    result = invoke("2001/77", "2003/73", "--store", str(tmp_path / "store"))
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: 2001/77: not in the version store") and "unreachable" in lines[0]
    assert lines[1] == "hint: connect to the internet and run the command again, or add the file yourself: resdiff add FILE --symbol 2001/77"


def test_not_found_anywhere(fake, tmp_path):
    result = invoke("fetch", "2004/991", "--store", str(tmp_path / "store"))
    assert result.exit_code == 2
    assert "not found" in result.stderr and "hint: " in result.stderr


def test_malformed_symbol_is_refused_before_any_request(fake, tmp_path):
    result = invoke("fetch", "2004/990", "nonsense", "--store", str(tmp_path / "store"))
    assert result.exit_code == 2 and fake.seen == []
    assert "nonsense" in result.stderr


@pytest.mark.skipif(fx.soffice() is None, reason="LibreOffice (soffice) is not on PATH")
def test_a_downloaded_pdf_of_2003_73_matches_the_bundled_text(fake, tmp_path, real_pdf):
    """The PDF generated from the bundled text, served as ODS would, reads back as the same text."""
    fake.ods("E/CN.4/RES/2003/73", "pdf", Reply(302, b"", {"Location": fake.root + "/files/2003-73.pdf"}))
    fake.file("/files/2003-73.pdf", Reply(200, real_pdf.read_bytes(), {"Content-Type": "application/pdf"}))
    result = invoke("fetch", "E/CN.4/RES/2003/73", "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.stderr
    assert "already stored, unchanged" in result.stderr and "/files/2003-73.pdf" in result.stderr
