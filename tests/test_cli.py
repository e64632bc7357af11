"""The compare command through typer's CliRunner: every option and every error path."""

import json

import pytest
from typer.testing import CliRunner

from conftest import ILLUSTRATIVE_DRAFT, REAL_2003_73
from resdiff.cli.main import app, with_default_command

DRAFT = str(ILLUSTRATIVE_DRAFT)
REAL = str(REAL_2003_73)


def invoke(*args):
    return CliRunner().invoke(app, with_default_command(list(args)))


def assert_user_error(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and any(l.startswith("hint: ") for l in lines), lines
    assert "Traceback" not in result.stderr and result.stdout == ""
    for needle in needles:
        assert needle in result.stderr


def test_default_html_goes_to_a_file_named_after_both_versions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("2003/73", DRAFT)
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "resdiff-2003-73-vs-illustrative-draft-next-year.html"
    assert out.exists() and "<del" in out.read_text()
    assert str(out.name) in result.stderr and result.stdout == ""


def test_output_option_and_stdout(tmp_path):
    target = tmp_path / "r.html"
    assert invoke("2003/73", DRAFT, "-o", str(target), "-q").exit_code == 0
    assert target.read_text().lstrip().lower().startswith("<!doctype html")
    result = invoke("2003/73", DRAFT, "-o", "-", "-q")
    assert result.stdout.lstrip().lower().startswith("<!doctype html") and result.stderr == ""


def test_json_to_stdout_follows_the_contract():
    result = invoke("2003/73", DRAFT, "--format", "json")
    data = json.loads(result.stdout)
    assert data["resdiff"] == 1
    assert data["old"]["symbol"] == "2003/73" and data["old"]["date"] == "2003-04-25"
    assert data["old"]["source"] == "data/chr-2003-73.txt" and data["new"]["symbol"] is None
    assert {"old": ["OP13"], "new": ["OP4"]}.items() <= next(p for p in data["pairs"] if p["old"] == ["OP13"]).items()
    assert "summary" not in result.stdout.split("}")[-1]  # summary table went to stderr, not stdout
    assert "split" in result.stderr


def test_text_format_marks_changes():
    result = invoke("2003/73", DRAFT, "-f", "text", "-q")
    assert "[-eleventh-]" in result.stdout and "{+twelfth+}" in result.stdout


def test_exit_code_option():
    assert invoke("2003/73", DRAFT, "-f", "json", "--exit-code", "-q").exit_code == 1
    assert invoke(REAL, REAL, "-f", "json", "--exit-code", "-q").exit_code == 0


@pytest.mark.parametrize("spelling", ["2003/73", "E/CN.4/RES/2003/73", "chr:2003/73", "e/cn.4/res/2003/73"])
def test_symbol_spellings_name_the_same_text(spelling):
    result = invoke(spelling, REAL, "-f", "json", "-q")
    data = json.loads(result.stdout)
    assert all(p["status"] == "unchanged" for p in data["pairs"])


def test_same_file_twice_is_a_clean_no_differences_report():
    result = invoke(REAL, REAL, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["unchanged"] == 35


def test_cp1252_file_is_read_with_a_warning(tmp_path):
    f = tmp_path / "legacy.txt"
    f.write_bytes(REAL_2003_73.read_text().replace("Recalling", "Recalling \u2018its\u2019").encode("cp1252"))
    result = invoke(REAL, str(f), "-f", "json", "-q")
    assert result.exit_code == 0 and "warning:" in result.stderr and "1252" in result.stderr


def test_missing_file(tmp_path):
    assert_user_error(invoke("2003/73", str(tmp_path / "nope.txt")), "nope.txt")


def test_directory_given_as_input(tmp_path):
    assert_user_error(invoke("2003/73", str(tmp_path)))


def test_binary_file(tmp_path):
    f = tmp_path / "blob.txt"
    f.write_bytes(bytes(range(256)) * 4)
    assert_user_error(invoke("2003/73", str(f)), "binary")


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("  \n\n")
    assert_user_error(invoke("2003/73", str(f)), "empty")


def test_unknown_symbol_lists_what_is_available():
    result = invoke("2001/77", "2003/73")
    assert_user_error(result, "2001/77", "2002/82, 2003/73")


def test_malformed_symbol():
    assert_user_error(invoke("not-a-symbol", "2003/73"), "not-a-symbol")


def test_ambiguous_symbol_asks_for_a_body():
    assert_user_error(invoke("35/2", "2003/73"), "ga:35/2", "hrc:35/2")


def test_output_in_a_missing_directory_writes_nothing(tmp_path):
    target = tmp_path / "missing" / "r.html"
    assert_user_error(invoke("2003/73", DRAFT, "-o", str(target)), "does not exist")
    assert not (tmp_path / "missing").exists()


def test_failed_input_leaves_no_output_file(tmp_path):
    target = tmp_path / "r.html"
    assert_user_error(invoke("2003/73", str(tmp_path / "nope.txt"), "-o", str(target)))
    assert list(tmp_path.iterdir()) == []


def test_output_is_a_directory(tmp_path):
    assert_user_error(invoke("2003/73", DRAFT, "-o", str(tmp_path)), "directory")


def test_unexpected_exception_is_exit_3(monkeypatch):
    import resdiff.compare

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(resdiff.compare, "compare", boom)
    result = invoke("2003/73", DRAFT, "-f", "json")
    assert result.exit_code == 3
    assert "internal error" in result.stderr and "report" in result.stderr


def test_bad_usage_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("RESDIFF_STORE", str(tmp_path / "store"))
    first = invoke("2002/82")  # the first version of its series: nothing before it to compare with
    assert first.exit_code == 2 and "first version of its series" in first.stderr
    assert invoke("2003/73", DRAFT, "--format", "pdf").exit_code == 2


def test_docx_goes_to_a_file_with_tracked_changes_by_the_given_author(tmp_path, monkeypatch):
    import zipfile

    monkeypatch.chdir(tmp_path)
    result = invoke("2003/73", DRAFT, "-f", "docx", "--author", "Penholder", "-q")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "resdiff-2003-73-vs-illustrative-draft-next-year.docx"
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert '<w:ins ' in xml and '<w:del ' in xml and 'w:author="Penholder"' in xml


def test_markdown_to_stdout():
    result = invoke("2003/73", DRAFT, "-f", "md", "-q")
    assert result.exit_code == 0
    assert "<del>eleventh</del>" in result.stdout and "<ins>twelfth</ins>" in result.stdout


@pytest.mark.parametrize(("make", "needle"), [
    (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"), "PDF"),
    (lambda p: __import__("readers_fixtures").make_pdf_without_text(p), "no text layer"),
    (lambda p: p.write_bytes(__import__("readers_fixtures").encrypted_pdf_bytes(["Welcomes the report;"])), "password"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "docx"),
    (lambda p: p.write_bytes(b"\xffWPC" + b"\x00" * 64), "WordPerfect"),
])
def test_unreadable_documents_are_user_errors(tmp_path, make, needle):
    f = tmp_path / "bad.pdf"
    make(f)
    result = invoke("2003/73", str(f))
    assert_user_error(result)
    assert needle.lower() in result.stderr.lower()


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("resdiff 0.")


def test_output_under_a_file_is_a_user_error(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    assert_user_error(invoke("2003/73", DRAFT, "-o", str(blocker / "r.html")), "not a directory")


def test_output_never_overwrites_an_input(tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text(ILLUSTRATIVE_DRAFT.read_text())
    assert_user_error(invoke("2003/73", str(mine), "-f", "text", "-o", str(mine)), "destroy")
    assert mine.read_text() == ILLUSTRATIVE_DRAFT.read_text()


def test_options_may_come_before_the_versions(tmp_path):
    target = tmp_path / "log"
    result = invoke("-o", str(target), "-q", "2003/73", DRAFT)
    assert result.exit_code == 0, result.stderr
    assert target.read_text().lstrip().lower().startswith("<!doctype html")


def test_output_to_a_named_pipe_keeps_the_pipe(tmp_path):
    """-o /dev/null or a FIFO is written to, never replaced by a regular file."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = invoke("2003/73", DRAFT, "-f", "json", "-q", "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"{")


def test_a_version_from_standard_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, with_default_command(["2003/73", "-", "-q"]), input=ILLUSTRATIVE_DRAFT.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "resdiff-2003-73-vs-stdin.html").exists()
    assert_user_error(invoke("-", "-"), "standard input")


def test_the_quick_start_runs_offline_on_a_fresh_store(tmp_path, monkeypatch):
    """README's first commands: the real pair by symbols, then one symbol against its predecessor."""
    monkeypatch.setenv("RESDIFF_STORE", str(tmp_path / "fresh"))
    pair = json.loads(invoke("2002/82", "2003/73", "-f", "json", "-q", "--offline").stdout)
    alone = json.loads(invoke("2003/73", "-f", "json", "-q", "--offline").stdout)
    assert pair["old"]["symbol"] == alone["old"]["symbol"] == "2002/82"
    assert pair["summary"] == alone["summary"]
    assert (pair["summary"]["added"], pair["summary"]["deleted"]) == (2, 2)  # PP6, OP18; OP10, OP16
    assert [p["new"] for p in pair["pairs"] if p["absent"] == "old"] == [["TITLE"], ["HEADING"], ["CHAPEAU"]]
