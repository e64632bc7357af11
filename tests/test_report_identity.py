"""Report identity: which resdiff made a report, when (UTC) and from which inputs.

The CLI stamps html, json and docx with the time they are made; --reproducible
leaves the time out and SOURCE_DATE_EPOCH fixes it, so the same inputs can give
the same bytes. Uses the bundled real 2003/73 and the constructed draft.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from resdiff.cli.main import app
from resdiff.render import resdiff_version

ARGS = ["compare", "2003/73", "data/illustrative-draft-next-year.txt", "-q", "--offline"]
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def run(*extra: str, env: dict[str, str] | None = None) -> bytes:
    result = CliRunner().invoke(app, [*ARGS, *extra, "-o", "-"], env={"SOURCE_DATE_EPOCH": "", **(env or {})})
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.fixture(autouse=True)
def _store(tmp_path, monkeypatch):
    monkeypatch.setenv("RESDIFF_STORE", str(tmp_path / "store"))


def test_json_names_the_generator_the_time_and_the_inputs() -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    gen = json.loads(run("-f", "json"))["generator"]
    assert gen["name"] == "resdiff" and gen["version"] == resdiff_version()
    assert gen["inputs"] == {"old": "2003/73", "new": "data/illustrative-draft-next-year.txt"}
    assert STAMP.fullmatch(gen["generated"])
    made = datetime.strptime(gen["generated"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs((made - before).total_seconds()) < 120


def test_reproducible_leaves_the_time_out_and_gives_the_same_bytes() -> None:
    first = run("-f", "json", "--reproducible")
    assert json.loads(first)["generator"]["generated"] is None
    assert run("-f", "json", "--reproducible") == first
    html = run("-f", "html", "--reproducible")
    assert html == run("-f", "html", "--reproducible")
    assert b"UTC" not in html.split(b'<footer class="colophon">')[1]


def test_source_date_epoch_fixes_the_time_everywhere() -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert json.loads(run("-f", "json", env=env))["generator"]["generated"] == "2023-11-14T22:13:20Z"
    html = run("-f", "html", env=env).decode()
    assert f"Made by resdiff {resdiff_version()} on 2023-11-14 22:13 UTC from 2003/73 and illustrative-draft-next-year.txt." in html
    docx_bytes = run("-f", "docx", env=env)
    assert run("-f", "docx", env=env) == docx_bytes
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        document = z.read("word/document.xml").decode()
    assert set(re.findall(r'w:date="([^"]+)"', document)) == {"2023-11-14T22:13:20Z"}


def test_date_option_dates_the_tracked_changes() -> None:
    docx_bytes = run("-f", "docx", "--date", "2004-04-20", env={"SOURCE_DATE_EPOCH": "1700000000"})
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        document = z.read("word/document.xml").decode()
    assert set(re.findall(r'w:date="([^"]+)"', document)) == {"2004-04-20T00:00:00Z"}


def test_a_bad_source_date_epoch_says_what_to_do() -> None:
    result = CliRunner().invoke(app, [*ARGS, "-f", "json", "-o", "-"], env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr and "hint:" in result.stderr


def test_text_and_markdown_carry_no_time() -> None:
    for fmt in ("text", "md"):
        assert run("-f", fmt) == run("-f", fmt, "--reproducible")
