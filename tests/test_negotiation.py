"""Drafting rounds in the store: zero draft -> rev1 -> rev2 -> L document -> adopted text.

The adopted texts are real (data/chr-2002-82.txt and data/chr-2003-73.txt, source: the
United Nations). The four drafts in tests/data/negotiation/ are CONSTRUCTED by
tests/negotiation.py from the real 2003/73; they are not UN documents.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import negotiation
from resdiff.cli.main import app, with_default_command
from resdiff.store import Received, Store
from series_fixtures import git

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = Path(__file__).parent / "data" / "negotiation"
ADOPTED = {"2002/82": ROOT / "data" / "chr-2002-82.txt", "2003/73": ROOT / "data" / "chr-2003-73.txt"}
STAGES = [(DRAFTS / f, stage, date) for f, stage, date, _ in negotiation.STAGES]
DATES = {"2002/82": "2002-04-26", "2003/73": "2003-04-25"}
SERIES = "regional-cooperation-for-the-promotion-and-protection"


def invoke(*args: str):
    return CliRunner().invoke(app, with_default_command(list(args)))


def refs(store: Path) -> str:
    """The branches and tags of a store with their commits (the notes hold wall-clock times)."""
    return git(store, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")


def adopted(symbol: str) -> Received:
    path = ADOPTED[symbol]  # the bundled texts do not print their symbol and date: given as a user would
    return Received(path.read_bytes(), str(path), symbol=symbol, date=DATES[symbol])


def add_stage(s: Store, path: Path, stage: str, date: str):
    return s.add_draft(Received(path.read_bytes(), str(path), date=date), draft_of=None, stage=stage)


def build(where: Path, steps: list[tuple]) -> Store:
    with Store.open(where, seed=False) as s:
        for step in steps:
            if step[0] == "adopted":
                s.add([adopted(step[1])])
            else:
                add_stage(s, *step[1:])
    return s


IN_ORDER = [("adopted", "2002/82"), *[("draft", *st) for st in STAGES], ("adopted", "2003/73")]


@pytest.fixture(scope="module")
def negotiated(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("negotiation") / "store"
    build(where, IN_ORDER)
    return where


def test_the_constructed_drafts_are_what_the_script_makes() -> None:
    made = negotiation.drafts()
    assert sorted(made) == sorted(p.name for p in DRAFTS.glob("*.txt"))
    for name, text in made.items():
        assert (DRAFTS / name).read_text(encoding="utf-8") == text, f"run: python tests/negotiation.py ({name})"
        assert text.startswith("CONSTRUCTED TEST DRAFT: not a United Nations document")


def test_a_round_is_a_side_branch_merged_by_the_adopted_text(negotiated: Path) -> None:
    found = refs(negotiated)
    assert f"refs/heads/drafts/{SERIES}/chr-2003-73 " in found
    assert f"refs/heads/drafts/{SERIES}/next" not in found  # 2003/73 closed the round
    # The adopted 2003/73 is a merge: its first parent is 2002/82, its second the L document.
    parents = git(negotiated, "rev-list", "--parents", "-n", "1", "chr/2003/73").split()[1:]
    assert len(parents) == 2
    assert git(negotiated, "rev-parse", "chr/2002/82").strip() == parents[0]
    assert parents[1] == git(negotiated, "rev-parse", f"drafts/{SERIES}/chr-2003-73").strip()
    # The side branch holds one commit per stage, dated on the stage's date, starting at 2002/82.
    stages = git(negotiated, "log", "--format=%ad %s", "--date=short", f"chr/2002/82..drafts/{SERIES}/chr-2003-73").splitlines()
    assert [line.split(" ", 1)[0] for line in stages] == ["2003-04-17", "2003-04-10", "2003-04-02", "2003-03-20"]
    assert "E/CN.4/2003/L.11" in stages[0] and "rev2" in stages[1] and "zero" in stages[3]
    graph = git(negotiated, "log", "--graph", "--oneline", "--all")
    assert "|\\" in graph or "|/" in graph  # git draws the round as a side branch
    # The adopted texts' own history (texts(), blame) skips the drafts.
    assert git(negotiated, "rev-list", "--count", "--first-parent", f"series/{SERIES}").strip() == "2"


def test_shuffled_adds_give_the_same_commits(negotiated: Path, tmp_path: Path) -> None:
    steps = IN_ORDER[:]
    random.Random(3).shuffle(steps)
    # A draft cannot find its series before an adopted text of it is stored: keep one first.
    steps.sort(key=lambda st: st[0] != "adopted")
    steps.insert(0, steps.pop(1))  # 2003/73 (or 2002/82) first, drafts in between, the other adopted last
    build(tmp_path / "shuffled", steps)
    assert refs(tmp_path / "shuffled") == refs(negotiated)
    # Re-adding every stage changes nothing.
    with Store.open(tmp_path / "shuffled", seed=False) as s:
        outcomes = [add_stage(s, *st)[2] for st in STAGES]
    assert outcomes == ["unchanged"] * 4
    assert refs(tmp_path / "shuffled") == refs(negotiated)


def test_drafts_added_after_the_adoption_join_the_same_round(negotiated: Path, tmp_path: Path) -> None:
    steps = [("adopted", "2002/82"), ("adopted", "2003/73"), *[("draft", *st) for st in reversed(STAGES)]]
    build(tmp_path / "late", steps)
    assert refs(tmp_path / "late") == refs(negotiated)


def test_an_open_round_has_its_own_branch_until_the_adoption(tmp_path: Path) -> None:
    where = tmp_path / "store"
    build(where, [("adopted", "2002/82"), ("draft", *STAGES[0]), ("draft", *STAGES[1])])
    found = refs(where)
    # One stored version: its series is named after it until a second one names it by its title.
    (ref,) = [line.split()[0] for line in found.splitlines() if line.startswith("refs/heads/drafts/")]
    assert ref.endswith("/next")
    tip = git(where, "rev-parse", ref).strip()
    assert git(where, "rev-parse", f"{tip}^").strip() != git(where, "rev-parse", "chr/2002/82").strip()  # two stages
    assert git(where, "rev-parse", f"{tip}^^").strip() == git(where, "rev-parse", "chr/2002/82").strip()
    with Store.open(where) as s:
        s.add([adopted("2003/73")])
        assert [d.stage for d in s.drafts(SERIES)] == ["zero", "rev1"]  # carried into the renamed series
    after = refs(where)
    assert ref not in after
    assert f"refs/heads/drafts/{SERIES}/next" not in after
    assert f"refs/heads/drafts/{SERIES}/chr-2003-73 " in after


def test_the_cli_files_drafts_and_compares_stages(tmp_path: Path) -> None:
    store = str(tmp_path / "store")  # created on first use with the bundled 2002/82 and 2003/73
    for path, stage, date in STAGES[:3]:
        r = invoke("add", str(path), "--draft-of", "2002/82", "--stage", stage, "--date", date, "--store", store)
        assert r.exit_code == 0, r.output
    assert "added stage rev2 of 2003-04-10 to series" in r.output
    # The L document is recognised from the symbol it prints: no --stage or --draft-of needed.
    r = invoke("add", str(STAGES[3][0]), "--date", "2003-04-17", "--store", store)
    assert r.exit_code == 0, r.output
    assert "E/CN.4/2003/L.11" in r.output
    r = invoke(f"{SERIES}@rev1", f"{SERIES}@rev2", "--format", "json", "--store", store)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    labels = {label for p in data["pairs"] for label in p["new"]}
    assert any(label.startswith("OP") for label in labels), labels
    assert "OP3bis" in labels or "OP3 bis" in labels, labels  # the margin marker is the label
    notes = " ".join(n for p in data["pairs"] for n in p.get("notes", []))
    assert "bracket" in notes.lower()
    assert data["summary"]["bracketed"] >= 1
    r = invoke("E/CN.4/2003/L.11", "2002/82", "--format", "text", "--store", store)
    assert r.exit_code in (0, 1), r.output


def test_a_draft_of_an_unknown_series_asks_for_draft_of(tmp_path: Path) -> None:
    store = str(tmp_path / "store")  # created on first use with the bundled 2002/82 and 2003/73
    Store.open(store).close()
    other = tmp_path / "other.txt"
    other.write_text("CONSTRUCTED TEST DRAFT\n\nQuestion of something else entirely\n\nThe Commission on Human Rights,\n\n"
                     "Noting the constructed text,\n\n1. Decides to continue its consideration of the matter.\n", encoding="utf-8")
    before = refs(tmp_path / "store")
    r = invoke("add", str(other), "--stage", "zero", "--date", "2003-03-01", "--store", store)
    assert r.exit_code == 2
    assert "--draft-of" in r.output and "Traceback" not in r.output
    assert refs(tmp_path / "store") == before


def test_a_stage_name_that_collides_asks_for_replace(tmp_path: Path) -> None:
    store = str(tmp_path / "store")  # created on first use with the bundled 2002/82 and 2003/73
    path, stage, date = STAGES[1]
    Store.open(store).close()
    assert invoke("add", str(path), "--draft-of", "2002/82", "--stage", "rev1", "--date", date, "--store", store).exit_code == 0
    before = refs(tmp_path / "store")
    other = STAGES[2][0]
    r = invoke("add", str(other), "--draft-of", "2002/82", "--stage", "rev1", "--date", date, "--store", store)
    assert r.exit_code == 2
    assert "--replace" in r.output
    assert refs(tmp_path / "store") == before
    r = invoke("add", str(other), "--draft-of", "2002/82", "--stage", "rev1", "--date", date, "--replace", "--store", store)
    assert r.exit_code == 0 and "replaced" in r.output
    assert refs(tmp_path / "store") != before


def test_unknown_stages_and_l_symbols_are_clear_errors(negotiated: Path) -> None:
    for spec, words in ((f"{SERIES}@rev9", "stages stored"), ("E/CN.4/2003/L.99", "no draft"),
                        ("no-such-series@rev1", "series")):
        r = invoke(spec, "2003/73", "--store", str(negotiated))
        assert r.exit_code == 2, (spec, r.output)
        assert words in r.output and "Traceback" not in r.output


# ---------------------------------------------------------------- views: log, history, blame

def bracketed_in(path: Path) -> int:
    """Paragraphs of a draft file with a [bracket] (counted from the file, not by resdiff)."""
    return sum(1 for block in path.read_text(encoding="utf-8").split("\n\n") if "[" in block)


def test_log_lists_the_stages_before_their_adoption(negotiated: Path) -> None:
    r = invoke("log", "2003/73", "--store", str(negotiated))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    names = [line.split()[0] for line in lines[1:]]
    assert names == ["2002/82", "zero", "rev1", "rev2", "E/CN.4/2003/L.11", "adopted", "2003/73"]
    assert "BRACKETED" in lines[0]
    for (path, stage, _), line in zip(STAGES, lines[2:6]):
        assert line.startswith(f"  {stage} ")
        assert line.split()[9] == (str(bracketed_in(path)) if bracketed_in(path) else "-")
    data = json.loads(invoke("log", "2003/73", "-f", "json", "--store", str(negotiated)).stdout)
    (rnd,) = data["rounds"]
    assert (rnd["opened_by"], rnd["closed_by"]) == ("chr:2002/82", "chr:2003/73")
    assert [s["stage"] for s in rnd["stages"]] == ["2002/82", "zero", "rev1", "rev2", "E/CN.4/2003/L.11", "2003/73"]
    assert [s["bracketed"] for s in rnd["stages"][1:5]] == [bracketed_in(p) for p, _, _ in STAGES]
    table = {p["label"]: p for p in rnd["paragraphs"]}
    # The host's thanks (OP4 of 2003/73) came in with rev1 as "OP3 bis".
    assert table["OP4"]["first"] == "rev1"
    # OP12: bracketed in the zero draft, narrowed in rev1, unbracketed in the L document,
    # revised orally at adoption ("Strongly encourages" -> "Encourages").
    assert table["OP12"]["changes"] == 4 and table["OP12"]["last_touched"] == "2003/73"
    # PP2 was never touched in the round.
    assert table["PP2"] == {**table["PP2"], "changes": 0, "last_touched": "2002/82", "bracketed": False}


def test_blame_stops_at_the_stage_a_wording_dates_from(negotiated: Path) -> None:
    r = invoke("blame", "2003/73", "--stages", "-f", "json", "--store", str(negotiated))
    assert r.exit_code == 0, r.output
    stage = {p["label"]: p["stage"] for p in json.loads(r.stdout)["paragraphs"]}
    assert stage["OP4"] == "rev1" and stage["OP12"] == "2003/73" and stage["OP1"] == "zero"
    assert stage["PP2"] is None  # its wording is 2002/82's: no stage of this round made it
    text = invoke("blame", "2003/73", "--stages", "--store", str(negotiated)).stdout
    assert text.splitlines()[0].split() == ["LABEL", "SINCE", "STAGE", "FIRST", "TEXT"]


def test_history_page_has_the_round_and_its_table(negotiated: Path, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    r = invoke("history", "2003/73", "-o", str(out), "--store", str(negotiated))
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert 'id="round-chr-2003-73"' in html and 'class="negotiation-table"' in html
    assert html.count('class="redline stage-redline"') == 6
    assert 'href="#round-chr-2003-73"' in html  # from the timeline


def test_last_touched_and_stable_since_differ_when_only_brackets_go() -> None:
    """CONSTRUCTED texts: OP1 is bracketed in the zero draft and agreed as is in rev1."""
    from resdiff.compare import compare
    from resdiff.history import change_stats
    from resdiff.negotiation import Stage, _table
    from resdiff.parse import parse

    head = "Constructed\n\nThe Commission on Human Rights,\n\nNoting the constructed text,\n\n"
    texts = [head + "1. Decides to act.\n\n2. Requests a report.\n",
             head + "1. [Decides to act.]\n\n2. Requests a [short] report.\n",
             head + "1. Decides to act.\n\n2. Requests a report.\n"]
    docs = [parse(t, source=f"s{i}") for i, t in enumerate(texts)]
    stages = [Stage(name, "2003-01-0" + str(i + 1), None, d, compare(docs[i - 1], d) if i else None,
                    change_stats(d, None), sum(p.bracketed for p in d.paragraphs))
              for i, (name, d) in enumerate(zip(["before", "zero", "rev1"], docs))]
    table = {t.label: t for t in _table(stages)}
    assert (table["OP1"].changes, table["OP1"].touched, table["OP1"].stable) == (2, "rev1", "before")
    assert (table["OP2"].changes, table["OP2"].touched, table["OP2"].stable) == (2, "rev1", "rev1")


# ---------------------------------------------------------------- real metadata: originating documents

AKN = Path(__file__).parent / "data" / "akn" / "originating"


def constructed_draft_of(xml: Path, heading: str) -> str:
    """A CONSTRUCTED draft: the real adopted text as a plain draft, the opening verb of OP1 put in brackets."""
    from resdiff.readers import read_bytes

    doc = read_bytes(xml.read_bytes(), name=xml.name).document
    body = [p.text for p in doc.paragraphs if p.label.startswith(("PP", "OP"))]
    ops = [p for p in doc.paragraphs if p.label.startswith("OP")]
    pps = body[:len(body) - len(ops)]
    lines = ["CONSTRUCTED TEST DRAFT: not a United Nations document.", heading, "", doc.title, "",
             "The General Assembly,", ""]
    lines += [f"{t}\n" for t in pps]
    lines += [f"{i}. {'[' + p.text.replace(' ', '] ', 1) if i == 1 else p.text}\n" for i, p in enumerate(ops, start=1)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def ga_store(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("ga") / "store"
    r = invoke("add", str(AKN), "--meta", str(AKN / "meta.json"), "--store", str(where))
    assert r.exit_code == 0, r.output
    return where


def test_the_originating_document_is_recorded_and_shown(ga_store: Path) -> None:
    data = json.loads(invoke("show", "A/RES/78/7", "-f", "json", "--store", str(ga_store)).stdout)
    assert data["originating"] == "A/78/L.5"
    log = json.loads(invoke("log", "78/7", "-f", "json", "--store", str(ga_store)).stdout)
    assert [v["originating"] for v in log["versions"]] == ["A/77/L.5", "A/78/L.5"]


@pytest.mark.parametrize("draft_of", ["A/78/L.5", "a/78/l.5/Rev.1"])
def test_draft_of_an_l_symbol_named_in_the_metadata_finds_the_series(ga_store: Path, tmp_path: Path, draft_of: str) -> None:
    store = tmp_path / "store"
    shutil.copytree(ga_store, store)  # one import, a copy per case
    draft = tmp_path / "zero.txt"
    draft.write_text(constructed_draft_of(AKN / "A_RES_78_7-2321472E.xml", "Zero draft"), encoding="utf-8")
    r = invoke("add", str(draft), "--draft-of", draft_of, "--stage", "zero", "--date", "2023-10-20", "--store", str(store))
    assert r.exit_code == 0, r.output
    series = json.loads(invoke("show", "78/7", "-f", "json", "--store", str(store)).stdout)["series"]
    assert f"to series {series}" in r.output and "still bracketed" in r.output
    assert f"refs/heads/drafts/{series}/ga-78-7" in refs(store)


# ---------------------------------------------------------------- symbols and stage order

@pytest.mark.parametrize("given, normal", [
    ("E/CN.4/2003/L.11", "E/CN.4/2003/L.11"),
    ("a/hrc/52/l.12", "A/HRC/52/L.12"),
    ("A/C.3/78/L.20/REV.1", "A/C.3/78/L.20/Rev.1"),
    ("A/78/L.9", "A/78/L.9"),
    ("A/76/L.3/Add.1", "A/76/L.3/Add.1"),
    ("A/HRC/S-34/L.1", "A/HRC/S-34/L.1"),
])
def test_l_symbols_in_every_spelling(given: str, normal: str) -> None:
    from resdiff.drafts import find_l_symbol, is_l_symbol, normalise_l_symbol

    assert is_l_symbol(given) and normalise_l_symbol(given) == normal
    assert find_l_symbol(f"Distr.: Limited\n{given}\n10 April 2003") == normal


def test_not_l_symbols() -> None:
    from resdiff.drafts import find_l_symbol, is_l_symbol, l_base, l_symbols_in

    for text in ("E/CN.4/RES/2003/73", "A/RES/78/7", "2003/73", "A/78/434", "L.11"):
        assert not is_l_symbol(text), text
    assert find_l_symbol("Recalling its resolution 2002/82 of 26 April 2002,") is None
    assert l_symbols_in("A/76/L.8/Rev.1 and A/76/L.8/Rev.1/Add.1") == ["A/76/L.8/Rev.1", "A/76/L.8/Rev.1/Add.1"]
    assert l_base("A/76/L.8/Rev.1/Add.1") == "A/76/L.8"


def test_stages_of_one_day_are_ordered_as_negotiated() -> None:
    from resdiff.drafts import stage_rank

    names = ["oral", "A/78/L.9/Rev.1", "rev10", "informal", "A/78/L.9", "rev2", "zero"]
    assert sorted(names, key=stage_rank) == ["zero", "rev2", "rev10", "informal", "A/78/L.9", "A/78/L.9/Rev.1", "oral"]


def test_reports_of_stages_say_dated_not_adopted(negotiated: Path, tmp_path: Path) -> None:
    import docx

    spec = (f"{SERIES}@rev2", "E/CN.4/2003/L.11")
    text = invoke(*spec, "-f", "text", "-o", "-", "-q", "--store", str(negotiated)).stdout
    assert "(stage rev2, dated 10 April 2003)" in text and "(stage E/CN.4/2003/L.11, dated 17 April 2003)" in text
    assert "adopted" not in text.splitlines()[1] + text.splitlines()[2]
    assert "bracketed: 0 paragraphs of the new version still in [brackets]" in text  # rev2 had one; the L document none
    md = invoke(*spec, "-f", "md", "-o", "-", "-q", "--store", str(negotiated)).stdout
    assert "| Stage | rev2 | E/CN.4/2003/L.11 |" in md and "| Dated |" in md and "Adopted on" not in md
    assert "| Still bracketed | 0 |" in md
    html = tmp_path / "r.html"
    assert invoke("2003/73@zero", "2003/73@rev1", "-o", str(html), "-q", "--store", str(negotiated)).exit_code == 0
    assert f"<b>{bracketed_in(STAGES[1][0])}</b> paragraphs still bracketed" in html.read_text(encoding="utf-8")
    out = tmp_path / "r.docx"
    assert invoke(*spec, "-f", "docx", "-o", str(out), "-q", "--store", str(negotiated)).exit_code == 0
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in docx.Document(str(out)).tables[0].rows}
    assert rows["Stage"] == ["rev2", "E/CN.4/2003/L.11"] and rows["Dated"] == ["10 April 2003", "17 April 2003"]
    assert "Adopted on" not in rows
    counts = {r.cells[0].text: r.cells[1].text for r in docx.Document(str(out)).tables[1].rows}
    assert counts["Still bracketed"] == "0"


def test_show_prints_a_stored_draft(negotiated: Path) -> None:
    store = str(negotiated)
    path, stage, date = STAGES[1]
    text = invoke("show", f"{SERIES}@rev1", "--store", store).stdout
    assert text.splitlines()[3].startswith("PP1\t") and "OP3bis\t" in text
    data = json.loads(invoke("show", "e/cn.4/2003/l.11", "-f", "json", "--store", store).stdout)
    assert (data["stage"], data["date"], data["document"], data["round"]) == ("E/CN.4/2003/L.11", "2003-04-17", "E/CN.4/2003/L.11", "chr:2003/73")
    assert data["source"]["name"] == "4-L11.txt" and data["bracketed"] == 0
    source = CliRunner().invoke(app, ["show", "2003/73@rev1", "-f", "source", "--store", store]).stdout_bytes
    assert source == path.read_bytes()
    r = invoke("show", "2003/73@rev1", "--lang", "fr", "--store", store)
    assert r.exit_code == 2 and "stored in English, not in French" in r.output


def test_a_draft_older_than_the_first_stored_version(tmp_path: Path) -> None:
    """A round with no adopted version before it: its drafts come first, the first version merges nothing."""
    where = tmp_path / "store"
    path = STAGES[0][0]
    build(where, [("adopted", "2002/82"), ("draft", path, "zero", "2002-03-01")])
    parents = git(where, "rev-list", "--parents", "-n", "1", "chr/2002/82").split()[1:]
    assert len(parents) == 1 and "zero" in git(where, "log", "-1", "--format=%B", parents[0])
    log = invoke("log", "2002/82", "--store", str(where)).stdout.splitlines()
    assert log[1].split()[:4] == ["zero", "2002-03-01", "30", "-"]  # nothing stored before it to compare with
    assert log[2].split()[0] == "adopted" and log[3].split()[0] == "2002/82"
    out = tmp_path / "h.html"
    assert invoke("history", "2002/82", "-o", str(out), "--store", str(where)).exit_code == 0
    assert 'id="round-chr-2002-82"' in out.read_text(encoding="utf-8")
    stage = {p["label"]: p["stage"] for p in json.loads(invoke("blame", "2002/82", "--stages", "-f", "json", "--store", str(where)).stdout)["paragraphs"]}
    assert stage["PP2"] == "zero"  # the wording the zero draft already had


def test_adding_the_adopted_text_says_it_closes_the_round(tmp_path: Path) -> None:
    where = tmp_path / "store"
    build(where, [("adopted", "2002/82"), *[("draft", *st) for st in STAGES]])
    r = invoke("add", str(ADOPTED["2003/73"]), "--symbol", "2003/73", "--date", "2003-04-25", "--store", str(where))
    assert r.exit_code == 0, r.output
    assert "added 2003/73 in series" in r.output and "it closes a drafting round of 4 stored stages" in r.output


def test_one_stage_alone_is_compared_with_the_text_before_it(negotiated: Path) -> None:
    store = str(negotiated)
    for spec, before in ((f"{SERIES}@zero", "old: 2002/82 (symbol 2002/82"), ("2003/73@rev2", "old: 2003/73@rev1 (stage rev1"),
                         ("E/CN.4/2003/L.11", "old: 2003/73@rev2 (stage rev2")):
        r = invoke(spec, "-f", "text", "-o", "-", "-q", "--store", store)
        assert r.exit_code == 0, r.output
        assert r.stdout.splitlines()[1].startswith(before), (spec, r.stdout.splitlines()[1])
    for spec in ("@", "2003/73@", "@rev1"):
        r = invoke(spec, "2003/73", "--store", store)
        assert r.exit_code == 2 and "SERIES@STAGE" in r.output and "Traceback" not in r.output
