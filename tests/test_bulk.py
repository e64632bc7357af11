"""Bulk import (``resdiff add DIR...``), ``--meta`` votes, corpus-level ``log`` and the store's index.

Real components: real git stores in temporary directories, the CLI through
typer's CliRunner. The Akoma Ntoso files are the real UN resolutions of
``tests/data/akn`` (see its README); the metadata lines below are CONSTRUCTED
in the format of ``ga-akn/meta/78.json`` (numbers and names made up for the
test, not the real votes). Every broken or hostile file is constructed here.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import series_fixtures as sf
from resdiff import readers
from resdiff.store.catalogue import INDEX
from resdiff.cli.store_commands import register
from resdiff.metadata import parse_meta
from resdiff.store.records import Received
from resdiff.store import Store
from resdiff.symbols import parse_symbol

app = typer.Typer(pretty_exceptions_enable=False)
register(app)
AKN = Path(__file__).parent / "data" / "akn"
GOOD = ["A_RES_78_20-2324507E.xml", "A_RES_78_246-2326260E.xml", "A_RES_78_255-2326245E.xml"]
NS = 'xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"'
BAD = {
    "malformed.xml": b"<?xml version='1.0'?><akomaNtoso " + NS.encode() + b"><act><mainBody>",
    "other.xml": b"<?xml version='1.0'?><catalogue><book/></catalogue>",
    "laughs.xml": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                   b"<akomaNtoso " + NS.encode() + b"><act><mainBody><p>&lol2;</p></mainBody></act></akomaNtoso>"),
    "external.xml": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     b"<akomaNtoso " + NS.encode() + b"><act><mainBody><p>&x;</p></mainBody></act></akomaNtoso>"),
    "nobody.xml": b"<?xml version='1.0'?><akomaNtoso " + NS.encode() + b"><act><preface><p>Title</p></preface></act></akomaNtoso>",
}
META = "\n".join(json.dumps(row) for row in [
    {"symbol": "A/RES/78/20", "adoption_type": "By a recorded vote", "MS_in_favour_count": "150", "MS_against_count": "N.A.",
     "MS_abstaining_count": "2", "MS_in_favour": ["ALPHA"] * 150, "MS_against": [], "MS_abstaining": ["BETA", "GAMMA"],
     "sponsors": ["DELTA"], "additional_sponsors": ["EPSILON"], "committee": "Sixth Committee"},
    {"symbol": "A/RES/78/246", "adoption_type": "Without a vote", "MS_in_favour_count": "N.A.", "sponsors": [],
     "committee": "Fifth Committee"},
]) + "\n"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """Three real AKN resolutions, the real French 77/259, and every kind of bad file, in one directory tree."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    for name in GOOD[:2]:
        shutil.copy(AKN / name, root / name)
    shutil.copy(AKN / GOOD[2], root / "sub" / GOOD[2])
    shutil.copy(AKN / "fr-A_RES_77_259.xml", root / "sub" / "fr-A_RES_77_259.xml")
    for name, data in BAD.items():
        (root / name).write_bytes(data)
    (root / ".hidden.xml").write_bytes(b"not read")
    (root / "notes.md").write_text("not a document extension: not read")
    return root


def skipped(stderr: str) -> dict[str, str]:
    return {line.split(": ", 1)[0].removeprefix("skipped "): line.split(": ", 1)[1]
            for line in stderr.splitlines() if line.startswith("skipped ")}


def test_a_directory_is_filed_and_each_bad_file_is_named_with_one_reason(tmp_path, corpus):
    store = tmp_path / "store"
    result = invoke("add", str(corpus), "--store", str(store))
    assert result.exit_code == 1, result.stderr
    reasons = skipped(result.stderr)
    assert sorted(Path(k).name for k in reasons) == sorted([*BAD, "fr-A_RES_77_259.xml"])
    by_name = {Path(k).name: v for k, v in reasons.items()}
    assert "not well-formed XML" in by_name["malformed.xml"]
    assert "not an Akoma Ntoso document" in by_name["other.xml"]
    assert "DOCTYPE" in by_name["laughs.xml"] and "DOCTYPE" in by_name["external.xml"]
    assert "without a mainBody" in by_name["nobody.xml"]
    assert by_name["fr-A_RES_77_259.xml"] == "a French text of 77/259, whose English text is not stored"
    assert "3 added; 6 skipped; series: 3 created, 0 extended" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    with Store.open(store) as opened:
        assert sorted(v.symbol.short for vs in opened.catalogue().values() for v in vs if v.symbol.body.value == "ga") == \
            ["78/20", "78/246", "78/255"]
    assert sf.git(store, "status", "--porcelain") == "" and sf.git(store, "fsck", "--strict", "--no-dangling") == ""


def test_a_single_bad_file_is_an_error_with_a_hint(tmp_path, corpus):
    for name in [*BAD, "sub/fr-A_RES_77_259.xml"]:
        result = invoke("add", str(corpus / name), "--store", str(tmp_path / "store"))
        assert result.exit_code == 2, (name, result.stderr)
        lines = result.stderr.splitlines()
        assert any(x.startswith("error: ") for x in lines) and any(x.startswith("hint: ") for x in lines), name


def test_paths_from_standard_input_and_patterns_resdiff_expands_itself(tmp_path, corpus):
    store = str(tmp_path / "store")
    listed = "\n".join(str(corpus / name) for name in GOOD[:2]) + "\n"
    result = invoke("add", "-", "--store", store, input=listed)
    assert result.exit_code == 0, result.stderr
    assert "added 78/20 in series " in result.stderr and "added 78/246 in series " in result.stderr
    result = invoke("add", str(corpus / "sub" / "A_RES_*.xml"), str(corpus / "none-*.xml"), "--store", store)
    assert result.exit_code == 1 and "added 78/255 in series " in result.stderr
    assert skipped(result.stderr) == {str(corpus / "none-*.xml"): "no file matches this pattern"}


def test_a_file_over_the_size_limit_is_skipped_before_it_is_read(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 20_000)  # 78/20 is 46,818 bytes, 78/246 10,515
    result = invoke("add", str(corpus / GOOD[0]), str(corpus / GOOD[1]), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1
    assert "over the" in skipped(result.stderr)[str(corpus / GOOD[0])] and "limit" in skipped(result.stderr)[str(corpus / GOOD[0])]
    assert "added 78/246" in result.stderr


def test_a_conflicting_text_is_skipped_and_the_rest_land_in_one_transaction(tmp_path, texts6):
    store = tmp_path / "store"
    with Store.open(store, seed=False) as opened:
        opened.add(sf.received(texts6[:2]))
    changed = tmp_path / "changed-1998.txt"
    changed.write_text(texts6[1].read_text().replace("Stressing that regional", "Stressing also that regional"))
    result = invoke("add", str(changed), str(texts6[2]), str(texts6[3]), "--store", str(store))
    assert result.exit_code == 1
    assert "already stored with a different text" in skipped(result.stderr)[str(changed)]
    assert sf.git(store, "tag").split() == ["chr/1997/45", "chr/1998/44", "chr/1999/69", "chr/2000/74"]


@pytest.fixture(scope="module")
def texts6(tmp_path_factory) -> list[Path]:
    return sf.write(tmp_path_factory.mktemp("texts"), sf.series(6))


def test_bulk_batches_give_the_same_commits_as_one_file_at_a_time(tmp_path, texts6):
    one = tmp_path / "one"
    for path in reversed(texts6[:5]):
        assert invoke("add", str(path), "--store", str(one)).exit_code == 0
    folder = tmp_path / "texts"
    folder.mkdir()
    for path in texts6[:5]:  # the constructed 2002/82 would contradict the real one every store is seeded with
        shutil.copy(path, folder / path.name)
    bulk = tmp_path / "bulk"
    assert invoke("add", str(folder), "--store", str(bulk)).exit_code == 0
    assert sf.all_refs(bulk) == sf.all_refs(one)


# ---------------------------------------------------------------- --meta: votes, sponsors, committee

@pytest.fixture()
def voted(tmp_path, corpus) -> Path:
    meta = tmp_path / "78.json"
    meta.write_text(META)
    store = tmp_path / "store"
    result = invoke("add", *(str(corpus / n) for n in GOOD[:2]), "--meta", str(meta), "--store", str(store))
    assert result.exit_code == 0, result.stderr
    return store


def test_votes_sponsors_and_committee_are_kept_in_the_record_and_shown(voted):
    shown = json.loads(invoke("show", "ga:78/20", "-f", "json", "--store", str(voted)).stdout)
    assert shown["votes"]["kind"] == "recorded vote"
    assert (shown["votes"]["in_favour"], shown["votes"]["against"], shown["votes"]["abstaining"]) == (150, 0, 2)
    assert shown["votes"]["members"]["abstaining"] == ["BETA", "GAMMA"]
    assert shown["sponsors"] == ["DELTA", "EPSILON"] and shown["committee"] == "Sixth Committee"
    record = json.loads(sf.git(voted, "show", f"ga/78/20:{shown['series']}/versions/ga-78-20.json"))
    assert record["votes"]["in_favour"] == 150, "the votes are committed with the version"
    log = invoke("log", "ga:78/246", "--store", str(voted)).stdout.splitlines()
    assert "VOTES" in log[0] and "no vote" in log[1]
    data = json.loads(invoke("log", "ga:78/20", "-f", "json", "--store", str(voted)).stdout)
    assert data["versions"][0]["votes"]["in_favour"] == 150


def test_adding_again_with_meta_updates_and_without_keeps_the_votes(tmp_path, corpus, voted):
    again = invoke("add", str(corpus / GOOD[0]), "--store", str(voted))
    assert again.exit_code == 0 and "unchanged (already stored): 78/20" in again.stderr
    other = tmp_path / "other.json"
    other.write_text(META.replace('"150"', '"149"'))
    updated = invoke("add", str(corpus / GOOD[0]), "--meta", str(other), "--store", str(voted))
    assert "updated the metadata of 78/20" in updated.stderr
    assert json.loads(invoke("show", "ga:78/20", "-f", "json", "--store", str(voted)).stdout)["votes"]["in_favour"] == 149


def test_a_malformed_meta_file_is_bad_usage_and_nothing_is_filed(tmp_path, corpus):
    meta = tmp_path / "bad.json"
    meta.write_text('{"symbol": "A/RES/78/20"}\nnot json\n')
    result = invoke("add", str(corpus / GOOD[0]), "--meta", str(meta), "--store", str(tmp_path / "s"))
    assert result.exit_code == 2 and "line 2 is not a metadata record" in result.stderr and "hint: " in result.stderr
    assert not (tmp_path / "s").exists()


def test_meta_lines_give_votes_by_symbol():
    table = parse_meta(META, name="78.json")
    assert table[parse_symbol("A/RES/78/20")].votes.summary == "150-0-2"
    assert table[parse_symbol("ga:78/246")].votes.summary == "without a vote"


# ---------------------------------------------------------------- corpus-level log

def test_log_of_every_series_as_csv_and_json_and_sorted_by_churn(tmp_path, texts6):
    store = tmp_path / "store"
    assert invoke("add", *map(str, texts6[:3]), "--store", str(store)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(invoke("log", "-f", "csv", "--store", str(store)).stdout)))
    symbols = [r["symbol"] for r in rows]
    assert symbols[:3] == ["chr:1997/45", "chr:1998/44", "chr:1999/69"] and "chr:2003/73" in symbols
    assert rows[0]["words_inserted"] == "" and int(rows[1]["words_inserted"]) > 0 and rows[1]["position"] == "2"
    data = json.loads(invoke("log", "-f", "json", "--store", str(store)).stdout)
    assert {s["first"] for s in data["series"]} >= {"chr:1997/45"}
    one = next(s for s in data["series"] if s["first"] == "chr:1997/45")
    assert one["churn"] == sum(v["changes"]["words_inserted"] + v["changes"]["words_deleted"] for v in one["versions"][1:])
    assert (store / ".git" / "resdiff-stats.json").exists(), "steps are compared once and kept"
    churn = invoke("log", "--sort", "churn", "--store", str(store)).stdout.splitlines()
    assert len(churn) == len(data["series"]) and "words changed" in churn[0]
    assert invoke("log", "1999/69", "-f", "csv", "--store", str(store)).exit_code == 2


# ---------------------------------------------------------------- the index

def test_the_index_is_rebuilt_when_missing_and_refreshed_when_stale(tmp_path, texts6):
    store = tmp_path / "store"
    with Store.open(store, seed=False) as opened:
        opened.add(sf.received(texts6[:2]))
    (store / ".git" / INDEX).unlink()
    with Store.open(store) as a, Store.open(store) as b:
        assert a.find(parse_symbol("1998/44"))[1].text
        b.add([Received(texts6[2].read_bytes(), str(texts6[2]))])  # moves a tip behind a's back
        assert a.find(parse_symbol("1999/69")) is not None and a.predecessor(parse_symbol("1999/69")) == parse_symbol("1998/44")
    (store / ".git" / INDEX).write_text("{not json")
    with Store.open(store) as opened:
        assert len(opened.catalogue()) == 1 and opened.resolve_series("1997/45") == sf_series()


def sf_series() -> str:
    return "regional-cooperation-for-the-promotion-and-protection"
