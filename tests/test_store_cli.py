"""The store commands (add, log, show, history, blame) through typer's CliRunner.

Registered on a fresh Typer app here, exactly as ``cli/main.py`` registers them
on ``resdiff``'s. Every series is CONSTRUCTED from the real 2003/73.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

import series_fixtures as sf
from conftest import REAL_2003_73
from resdiff.cli.store_commands import register
from resdiff.compare import compare
from resdiff.store import Store
from resdiff.symbols import parse_symbol

app = typer.Typer(pretty_exceptions_enable=False)
register(app)
SERIES = "regional-cooperation-for-the-promotion-and-protection"


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def ok(*args: str, env: dict[str, str] | None = None):
    result = invoke(*args, env=env)
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    return result


def assert_user_error(result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("error: ") for line in lines) and any(line.startswith("hint: ") for line in lines), lines
    assert "Traceback" not in result.stderr and result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[Path]:
    return sf.write(tmp_path_factory.mktemp("texts"), sf.series(3, last_year=2001))


@pytest.fixture(scope="module")
def store(tmp_path_factory, texts) -> str:
    """A store made through ``resdiff add`` with 1999/69 ... 2002/82 and the seeded real 2003/73."""
    path = tmp_path_factory.mktemp("cli") / "store"
    result = ok("add", *map(str, texts), "--store", str(path))
    assert f"created the version store {path}" in result.stderr and "2003/73" in result.stderr
    assert "added 1999/69 in series " + SERIES in result.stderr and result.stdout == ""
    return str(path)


def test_every_store_command_has_help_with_an_example():
    commands = get_command(app).commands
    assert sorted(commands) == ["add", "blame", "fetch", "history", "log", "show"]
    for name, command in commands.items():
        assert command.help and "Example:" in command.help, name


def test_adding_again_says_nothing_changed(store, texts):
    result = ok("add", str(texts[0]), "--store", store)
    assert "unchanged (already stored): 1999/69" in result.stderr and "nothing changed" in result.stderr


def test_log_lists_series_and_versions(store):
    assert ok("log", "--store", store).stdout.startswith(f"{SERIES}\t5 versions\t1999/69 (1999-04-28) .. 2003/73 (2003-04-25)")
    table = ok("log", "regional", "--store", store).stdout.splitlines()
    assert table[0].startswith("SYMBOL") and [line.split()[0] for line in table[1:]] == ["1999/69", "2000/74", "2001/77", "2002/82", "2003/73"]
    data = json.loads(ok("log", "2003/73", "--format", "json", "--store", store).stdout)
    with Store.open(store) as opened:
        pair = compare(opened.document(parse_symbol("1999/69")), opened.document(parse_symbol("2000/74"))).counts()
    assert data["series"] == SERIES and data["versions"][1]["changes"]["added"] == pair["added"] >= 1


def test_show_prints_the_stored_text_its_record_or_its_source_bytes(store, texts):
    text = ok("show", "2000/74", "--store", store).stdout
    assert text.splitlines()[2] == "HEADING2\t" + sf.CONSTRUCTED_NOTE
    data = json.loads(ok("show", "E/CN.4/RES/2000/74", "-f", "json", "--store", store).stdout)
    assert data["symbol"] == "chr:2000/74" and data["series"] == SERIES and data["source"]["received"]
    assert data["paragraphs"][0]["label"] == "TITLE" and len(data["commit"]) == 40
    source = invoke("show", "chr:2003/73", "--format", "source", "--store", store)
    assert source.exit_code == 0 and source.stdout_bytes == REAL_2003_73.read_bytes()


def test_history_writes_one_html_report(store, tmp_path, monkeypatch):
    target = tmp_path / "history.html"
    result = ok("history", "2003/73", "-o", str(target), "--store", store)
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "Paragraph lineage" in html
    assert f"wrote {target}" in result.stderr and result.stdout == ""
    assert ok("history", SERIES, "-o", "-", "--store", store).stdout == html
    monkeypatch.chdir(tmp_path)
    ok("history", "regional", "--store", store)
    assert (tmp_path / f"resdiff-history-{SERIES}.html").read_text() == html


def test_blame_shows_where_each_paragraph_comes_from(store):
    text = ok("blame", "2003/73", "--store", store).stdout
    assert text.splitlines()[0].split() == ["LABEL", "SINCE", "FIRST", "TEXT"]
    assert any(line.startswith("PP2") and line.split()[1:3] == ["1999/69", "1999/69"] for line in text.splitlines())
    data = json.loads(ok("blame", "2003/73", "-f", "json", "--store", store).stdout)
    pp1 = next(p for p in data["paragraphs"] if p["label"] == "PP1")
    assert pp1["since"] == "chr:2003/73" and pp1["first"] == "chr:1999/69"


def test_the_environment_variable_names_the_store(store):
    assert ok("log", env={"RESDIFF_STORE": store}).stdout.startswith(SERIES)


def test_replace_records_a_correction(tmp_path, texts):
    path = str(tmp_path / "s")
    ok("add", str(texts[0]), "--store", path)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(texts[0].read_text().replace("Stressing that", "Stressing again that"))
    assert_user_error(invoke("add", str(corrected), "--store", path), "already stored with a different text", "--replace")
    assert "replaced the text of 1999/69" in ok("add", "--replace", str(corrected), "--store", path).stderr
    assert "Stressing again" in ok("show", "1999/69", "--store", path).stdout


def test_metadata_options_fill_in_what_the_text_lacks(tmp_path):
    undated = tmp_path / "undated.txt"
    undated.write_text(sf.version(1990, 0, 1, with_date=False).text)
    path = str(tmp_path / "s")
    assert_user_error(invoke("add", str(undated), "--store", path), "no adoption date", "--date")
    ok("add", str(undated), "--date", "1990-03-07", "--series", "constructed", "--store", path)
    data = json.loads(ok("show", "1990/71", "-f", "json", "--store", path).stdout)
    assert data["date"] == "1990-03-07" and data["series"] == "constructed" and data["given"] == ["date"]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["add", "missing.txt"], ["missing.txt: no such file"]),
        (["add", str(REAL_2003_73), "--meta", "missing.json"], ["missing.json: cannot be read"]),
        (["add", "a.txt", "b.txt", "--date", "2003-04-25"], ["describe one text"]),
        (["add", str(REAL_2003_73), "--series", "Not A Name"], ["not a valid series name"]),
        (["add", str(REAL_2003_73), "--symbol", "../../etc"], ["not a resolution symbol"]),
        (["add", str(REAL_2003_73), "--date", "yesterday"], ["not a date"]),
        (["log", "no-such-series"], ["no such series"]),
        (["show", "1990/71"], ["is not in the store"]),
        (["show", "nonsense"], ["not a resolution symbol"]),
        (["blame", "1990/71"], ["is not in the store"]),
        (["history", "2003/73", "-o", "no/such/dir/h.html"], ["does not exist"]),
        (["history", "2003/73", "-o", "."], ["is a directory"]),
    ],
)
def test_user_errors_exit_2_with_error_and_hint(store, args, needles):
    assert_user_error(invoke(*args, "--store", store), *needles)


@pytest.mark.parametrize("command", [["add", str(REAL_2003_73)], ["log"], ["show", "2003/73"], ["history", "2003/73"], ["blame", "2003/73"]])
def test_every_command_refuses_a_git_repository_it_did_not_create(tmp_path, command):
    foreign = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(foreign)], check=True)
    assert_user_error(invoke(*command, "--store", str(foreign)), "did not create", "new or empty directory")
    assert not (foreign / ".git" / "resdiff.lock").exists()


def test_a_damaged_store_is_reported_with_a_hint(tmp_path, texts):
    path = tmp_path / "s"
    ok("add", str(texts[0]), "--store", str(path))
    blob = sf.git(path, "rev-parse", f"chr/1999/69:{SERIES}/versions/chr-1999-69.json").strip()
    (path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    # The list of series comes from the store's index; a command that reads the series finds the damage.
    assert_user_error(invoke("log", "1999/69", "--store", str(path)), "damaged", "fsck")
    assert_user_error(invoke("show", "1999/69", "--store", str(path)), "damaged", "fsck")
    assert_user_error(invoke("add", str(texts[1]), "--store", str(path)), "damaged")


def test_a_relative_store_path_works(tmp_path, monkeypatch, texts):
    monkeypatch.chdir(tmp_path)
    ok("add", *map(str, texts), "--store", "rel-store")
    # The added 1999/69 ... 2001/77 and the seeded 2002/82 and 2003/73: one recall chain, one series.
    assert "5 versions" in ok("log", "--store", "./rel-store").stdout
    monkeypatch.setenv("RESDIFF_STORE", "rel-store")
    assert ok("show", "2003/73").stdout.startswith("TITLE\t")


def test_a_symbol_option_that_contradicts_the_text_is_warned_about(tmp_path):
    from conftest import REAL_2003_73

    result = ok("add", str(REAL_2003_73), "--symbol", "2004/990", "--store", str(tmp_path / "s"))
    assert "warning: " in result.stderr and "prints resolution 2003/73" in result.stderr and "2004/990" in result.stderr
