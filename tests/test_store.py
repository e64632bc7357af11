"""resdiff.store on real git repositories in temporary directories.

Every series is CONSTRUCTED from the real 2003/73 (tests/series_fixtures.py) and
says so in its text; the bundled 2003/73 is the only real resolution.
Checks go through the real ``git`` where users would look: log, blame, fsck.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import series_fixtures as sf
from conftest import REAL_2003_73
from resdiff.store import api as store_module
from resdiff.errors import StoreError, SymbolError
from resdiff.store import Store, store_path, tag_name
from resdiff.symbols import parse_symbol

SERIES = "regional-cooperation-for-the-promotion-and-protection"
ADD = """
import sys
from pathlib import Path
from resdiff.store import Received, Store
with Store.open(sys.argv[1]) as store:
    store.add([Received(Path(f).read_bytes(), f) for f in sys.argv[2:]])
"""


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[Path]:
    """Constructed 1997/45 ... 2002/82, oldest first."""
    return sf.write(tmp_path_factory.mktemp("texts"), sf.series(6))


def build(path: Path, files: list[Path], *, seed: bool = False, batches: list[list[Path]] | None = None) -> Path:
    with Store.open(path, seed=seed) as store:
        for batch in batches or [files]:
            store.add(sf.received(batch))
    return path


def symbols(path: Path) -> list[str]:
    with Store.open(path) as store:
        return [v.symbol.short for vs in store.series().values() for v in vs]


# ---------------------------------------------------------------- layout, commits, git's own view


@pytest.fixture(scope="module")
def full(tmp_path_factory, texts) -> Path:
    """A seeded store with the constructed 1997-2001 and the real 2002/82 and 2003/73."""
    return build(tmp_path_factory.mktemp("full") / "store", list(reversed(texts[:-1])), seed=True)


def test_commits_are_dated_on_adoption_at_noon_utc_by_the_adopting_body(full):
    log = sf.git(full, "log", "--format=%an <%ae>|%cn|%ad|%cd|%s", "--date=iso-strict").splitlines()
    assert len(log) == 7
    assert log[0] == ("Commission on Human Rights <chr@resdiff.invalid>|Commission on Human Rights|2003-04-25T12:00:00+00:00|"
                      "2003-04-25T12:00:00+00:00|2003/73: Regional cooperation for the promotion and protection of human rights in the Asian and Pacific Region")
    assert log[-1].split("|")[2] == "1997-04-11T12:00:00+00:00" and "Regional arrangements" in log[-1]


def test_commit_messages_carry_trailers_and_every_version_has_a_tag(full):
    fmt = "%(trailers:key=Symbol,valueonly,separator=)|%(trailers:key=Adopted,valueonly,separator=)|%(trailers:key=Source,valueonly,separator=)|%(trailers:key=Sha256,valueonly,separator=)"
    first = sf.git(full, "log", "-1", f"--format={fmt}").strip()
    assert first == "E/CN.4/RES/2003/73|2003-04-25|chr-2003-73.txt|3abb7678dde8b0bf9de38d245b3ff9c6cd0334e4f5eaffc456237ed4a7c119a4"
    message = sf.git(full, "log", "-1", "--format=%B", "chr/1999/69")
    assert "Meeting: 52nd meeting" in message and "Adoption: [Adopted without a vote." in message
    assert sf.git(full, "tag").split() == ["chr/1997/45", "chr/1998/44", "chr/1999/69", "chr/2000/74", "chr/2001/77", "chr/2002/82", "chr/2003/73"]


def test_the_series_file_has_one_labelled_paragraph_per_line_and_sources_are_kept_byte_for_byte(full, texts):
    lines = (full / SERIES / "resolution.txt").read_text().splitlines()
    assert lines[3] == "PP1\tRecalling its resolution 2002/82 of 26 April 2002,"
    assert (full / SERIES / "sources" / "chr-2003-73.txt").read_bytes() == REAL_2003_73.read_bytes()
    assert (full / SERIES / "sources" / "chr-1999-69.txt").read_bytes() == texts[2].read_bytes()
    assert sf.git(full, "status", "--porcelain") == "" and sf.git(full, "fsck", "--strict") == ""


def test_git_word_diff_and_blame_work_paragraph_by_paragraph(full):
    diff = sf.git(full, "log", "-p", "--word-diff", "-1", "--format=", "--", f"{SERIES}/resolution.txt")
    # The real 2002/82 -> 2003/73: a paragraph was added before it, so git sees PP8 become PP9.
    assert "[-PP8-]{+PP9+}\tWelcoming the convening of the [-tenth-]{+eleventh+} Workshop" in diff
    by_label = blamed(full, f"{SERIES}/resolution.txt")
    # The real 2002/82 prints no title or chapeau, so for git they come back with 2003/73.
    assert by_label["TITLE"] == by_label["CHAPEAU"] == by_label["PP1"] == "2003/73"
    assert by_label["PP2"] == "1997/45"


def blamed(path: Path, file: str) -> dict[str, str]:
    """Label -> short symbol of the commit ``git blame`` gives for that line."""
    out, summary = {}, ""
    for line in sf.git(path, "blame", "--line-porcelain", file).splitlines():
        if line.startswith("summary "):
            summary = line.split()[1].rstrip(":")
        elif line.startswith("\t"):
            out[line[1:].split("\t")[0]] = summary
    return out


def test_provenance_keeps_the_time_received_outside_the_commits(full):
    with Store.open(full) as store:
        _, version = store.require(parse_symbol("1999/69"))
        received = store.received(version)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", received["received"]) and received["from"].endswith("constructed-1999-69.txt")
    record = (full / SERIES / "versions" / "chr-1999-69.json").read_text()
    assert "received" not in record and '"sha256"' in record and '"constructed-1999-69.txt"' in record


# ---------------------------------------------------------------- determinism and order


def test_same_versions_give_the_same_commit_ids_in_any_store(tmp_path, texts, full):
    elsewhere = tmp_path / "texts"
    copies = [elsewhere / "sub" / p.name for p in texts[:-1]]
    for src, dst in zip(texts, copies):
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(src.read_bytes())
    other = build(tmp_path / "other", copies, seed=True, batches=[[c] for c in copies])
    assert sf.all_refs(other) == sf.all_refs(full)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(5)), cuts=st.sets(st.integers(1, 4), max_size=3))
def test_any_insertion_order_gives_identical_commit_ids(tmp_path_factory, texts, order, cuts):
    files = [texts[i] for i in order]
    bounds = [0, *sorted(cuts), 5]
    batches = [files[a:b] for a, b in zip(bounds, bounds[1:])]
    root = tmp_path_factory.mktemp("order")
    shuffled = build(root / "shuffled", files, batches=batches)
    in_order = build(root / "in-order", texts[:5])
    assert sf.all_refs(shuffled) == sf.all_refs(in_order)
    assert not any(r.startswith("refs/resdiff/") for r in sf.all_refs(shuffled))


def test_an_append_keeps_the_stored_commits_and_writes_what_a_full_rewrite_would(tmp_path, texts, monkeypatch):
    """Appending writes only the new version's commit (the earlier ones are kept, not written again);
    the result is what a store given every version at once holds."""
    from resdiff.store.repository import Repository

    path = build(tmp_path / "appended", texts[:4])
    before = sf.all_refs(path)
    written: list[str] = []
    original = Repository.commit

    def counting(self, tree, parents, who, when, message):
        written.append(message.splitlines()[0])
        return original(self, tree, parents, who, when, message)

    monkeypatch.setattr(Repository, "commit", counting)
    build(path, [texts[4]])
    monkeypatch.setattr(Repository, "commit", original)
    assert [m.split(":")[0] for m in written if not m.startswith(("resdiff store", "Received "))] == ["2001/77"]
    after = sf.all_refs(path)
    assert all(after[ref] == sha for ref, sha in before.items() if ref.startswith("refs/tags/"))
    assert after == sf.all_refs(build(tmp_path / "at-once", texts[:5]))


def test_an_add_reads_the_refs_once_and_moves_them_in_two_git_transactions(tmp_path, texts, monkeypatch):
    """Under its lock an add keeps one copy of the refs in step with its own moves: git is asked for
    them once; the new tips and their backups move together, then the backups go. Same refs as at once."""
    path = build(tmp_path / "traced", texts[:3])
    trace = tmp_path / "git-trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    build(path, [texts[3]])
    monkeypatch.delenv("GIT_TRACE")
    commands = [line.split("built-in: git ", 1)[1].split()[0] for line in trace.read_text().splitlines() if "built-in: git " in line]
    assert commands.count("for-each-ref") == 1 and commands.count("update-ref") == 2, commands
    assert sf.all_refs(path) == sf.all_refs(build(tmp_path / "at-once", texts[:4]))


def test_a_title_change_renames_the_series_branch_and_moves_the_tags(tmp_path, texts):
    path = build(tmp_path / "s", texts[:2])
    assert list(sf.all_refs(path)) == ["refs/heads/main", "refs/heads/series/regional-arrangements-for-the-promotion-and-protection",
                                       "refs/tags/chr/1997/45", "refs/tags/chr/1998/44"]
    before = sf.git(path, "rev-parse", "chr/1998/44").strip()
    build(path, texts[2:3])
    refs = sf.all_refs(path)
    assert f"refs/heads/series/{SERIES}" in refs and not any("arrangements" in r for r in refs)
    assert refs["refs/tags/chr/1998/44"] != before and not (path / "regional-arrangements-for-the-promotion-and-protection").exists()


def test_two_series_are_merged_on_main_and_both_stay_blameable(tmp_path, texts):
    path = tmp_path / "s"
    with Store.open(path, seed=False) as store:
        store.add(sf.received(texts[3:5]))
        store.add(sf.received(texts[:2], series="other-series"))
        assert list(store.series()) == ["other-series", SERIES]
    parents = sf.git(path, "log", "-1", "--format=%P").split()
    assert len(parents) == 2 and sf.git(path, "status", "--porcelain") == ""
    assert set(blamed(path, "other-series/resolution.txt").values()) == {"1997/45", "1998/44"}
    assert "2001/77" in sf.git(path, "log", "--format=%s") and "1997/45" in sf.git(path, "log", "--format=%s")


# ---------------------------------------------------------------- idempotence and corrections


def test_the_same_text_again_changes_nothing(tmp_path, texts):
    path = build(tmp_path / "s", texts[:2])
    refs = sf.all_refs(path, notes=True)
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(texts[0].read_bytes().replace(b"\n", b"\r\n"))
    with Store.open(path) as store:
        results = store.add(sf.received([texts[1], crlf]))
    assert [r.outcome for r in results] == ["unchanged", "unchanged"]
    assert sf.all_refs(path, notes=True) == refs


def test_a_different_text_under_a_stored_symbol_needs_replace_and_keeps_the_earlier_text(tmp_path, texts):
    path = build(tmp_path / "s", texts[:3])
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(texts[1].read_text().replace("Stressing that regional", "Stressing also that regional"))
    refs = sf.all_refs(path)
    with Store.open(path) as store, pytest.raises(StoreError) as info:
        store.add(sf.received([corrected]))
    assert "already stored with a different text" in info.value.message and "--replace" in info.value.hint
    assert sf.all_refs(path) == refs
    with Store.open(path) as store:
        [result] = store.add(sf.received([corrected]), replace_texts=True)
        assert result.outcome == "replaced" and "Stressing also" in store.require(parse_symbol("1998/44"))[1].text
    old_tip = next(v for r, v in sf.all_refs(path).items() if r.startswith("refs/resdiff/superseded/chr/1998/44/"))
    assert old_tip == refs["refs/heads/series/regional-cooperation-for-the-promotion-and-protection"]
    assert "Stressing also" not in sf.git(path, "show", f"{old_tip}~1:{SERIES}/resolution.txt")
    kept = list((path / SERIES / "sources" / "superseded").iterdir())
    assert [p.read_bytes() for p in kept] == [texts[1].read_bytes()]
    assert "Supersedes: sha256 " in sf.git(path, "log", "-1", "--format=%B", "chr/1998/44")


# ---------------------------------------------------------------- location, creation, refusal


def test_store_location_option_then_environment_then_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RESDIFF_STORE", str(tmp_path / "env"))
    monkeypatch.chdir(tmp_path)
    assert store_path("given") == tmp_path / "given" and store_path(None) == tmp_path / "env"  # always absolute
    monkeypatch.delenv("RESDIFF_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store_path(None) == tmp_path / "xdg" / "resdiff" / "store"


def test_a_new_store_is_seeded_with_the_bundled_real_texts_only(tmp_path):
    with Store.open(tmp_path / "new") as store:
        assert store.created and [v.symbol.key for vs in store.series().values() for v in vs] == ["chr:2002/82", "chr:2003/73"]
    with Store.open(tmp_path / "new") as store:
        assert not store.created
    assert "illustrative" not in sf.git(tmp_path / "new", "ls-files")
    assert not list(tmp_path.glob(".new.resdiff-new-*")), "the build directory is renamed into place"


@pytest.mark.parametrize("kind", ["foreign-repo", "non-empty", "file", "newer"])
def test_refuses_to_write_anywhere_it_did_not_create(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "foreign-repo":
        subprocess.run(["git", "init", "-q", str(target)], check=True)
    elif kind == "non-empty":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    elif kind == "file":
        target.write_text("mine")
    else:
        build(target, [])
        sf.git(target, "config", "resdiff.format", "99")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(StoreError) as info:
        Store.open(target)
    assert info.value.hint and sorted(p.name for p in tmp_path.rglob("*")) == before


# ---------------------------------------------------------------- library functions for compare


def test_lookup_predecessor_and_document(full):
    with Store.open(full) as store:
        read, source, version = store.lookup(parse_symbol("2003/73"))
        assert read.text == REAL_2003_73.read_text(encoding="utf-8") and source == "store:chr:2003/73"
        assert (version.symbol.short, version.date) == ("2003/73", "2003-04-25")
        assert store.lookup(parse_symbol("1990/71")) is None
        assert store.predecessor(parse_symbol("2003/73")) == parse_symbol("2002/82")
        assert store.predecessor(parse_symbol("1997/45")) is None
        with pytest.raises(SymbolError) as info:
            store.predecessor(parse_symbol("1990/71"))
        assert "resdiff add" in info.value.hint
        assert store.document(parse_symbol("1999/69")).paragraphs[0].text.startswith("Regional cooperation")
        assert store.resolve_series("2001/77") == store.resolve_series("regional-coop") == SERIES
    with pytest.raises(StoreError):
        Store.open(full.parent / "missing", create=False)


# ---------------------------------------------------------------- faults


def test_paths_are_built_only_from_validated_symbols_and_series_names(tmp_path, texts):
    path = build(tmp_path / "s", [])
    with Store.open(path) as store:
        with pytest.raises(SymbolError):
            store.add(sf.received(texts[:1], symbol="../../../escape/1"))
        with pytest.raises(StoreError):
            store.add(sf.received(texts[:1], series="../../escape"))
        store.add(sf.received(texts[:1], symbol="hrc:S-1/1"))
    assert not list(tmp_path.glob("**/escape*"))
    assert tag_name(parse_symbol("hrc:S-1/1")) == "hrc/S-1/1" and "refs/tags/hrc/S-1/1" in sf.all_refs(path)
    assert sf.git(path, "ls-files").split()[1:] == [f"{SERIES.replace('cooperation', 'arrangements')}/resolution.txt",
                                                    f"{SERIES.replace('cooperation', 'arrangements')}/sources/hrc-s-1-1.txt",
                                                    f"{SERIES.replace('cooperation', 'arrangements')}/versions/hrc-s-1-1.json"]


def test_a_missing_object_is_reported_and_nothing_is_written(tmp_path, texts):
    path = build(tmp_path / "s", texts[:3])
    blob = sf.git(path, "rev-parse", f"chr/1998/44:{SERIES}/resolution.txt").strip()
    (path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    refs = sf.all_refs(path, notes=True)
    with Store.open(path) as store:
        with pytest.raises(StoreError) as info:
            store.series()
        assert "damaged" in info.value.message and "fsck" in info.value.hint
        with pytest.raises(StoreError):
            store.add(sf.received(texts[3:4]))
    assert sf.all_refs(path, notes=True) == refs


def test_edited_files_in_the_store_stop_an_add_and_are_left_as_they_are(tmp_path, texts):
    path = build(tmp_path / "s", texts[:2])
    edited = path / "regional-arrangements-for-the-promotion-and-protection" / "resolution.txt"
    edited.write_text("my own notes\n")
    refs = sf.all_refs(path, notes=True)
    with Store.open(path) as store:
        with pytest.raises(StoreError) as info:
            store.add(sf.received(texts[2:3]))
        assert "edited" in info.value.message and "checkout" in info.value.hint
        assert len(store.series()) == 1, "reading uses what is committed"
    assert edited.read_text() == "my own notes\n" and sf.all_refs(path, notes=True) == refs


def test_a_held_lock_makes_others_wait_then_fail_cleanly(tmp_path, texts, monkeypatch):
    path = build(tmp_path / "s", texts[:1])
    monkeypatch.setattr(store_module, "_LOCK_TIMEOUT", 0.3)
    with store_module._file_lock(path / ".git" / "resdiff.lock", exclusive=True), Store.open(path) as store:
        start = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.add(sf.received(texts[1:2]))
        assert time.monotonic() - start >= 0.3 and "locked" in info.value.message and "try again" in info.value.hint


def _spawn(path: Path, files: list[Path], *, pause: str | None = None, flag: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    if pause:
        env.update(RESDIFF_TEST_PAUSE_AT=pause, RESDIFF_TEST_PAUSE_AT_FILE=str(flag))
    return subprocess.Popen([sys.executable, "-c", ADD, str(path), *map(str, files)], env=env, stderr=subprocess.PIPE)


def _wait_for(flag: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the add never reached its pause point"
        time.sleep(0.02)


def test_several_processes_adding_at_once_all_land(tmp_path, texts):
    path = tmp_path / "fresh"  # created by the racing processes themselves
    procs = [_spawn(path, [t]) for t in texts[:4]]
    for p in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read().decode()
    assert symbols(path) == ["1997/45", "1998/44", "1999/69", "2000/74", "2002/82", "2003/73"]
    assert sf.all_refs(path) == sf.all_refs(build(tmp_path / "ref", texts[:4], seed=True))
    assert sf.git(path, "fsck", "--strict", "--no-dangling") == "" and sf.git(path, "status", "--porcelain") == ""


@pytest.mark.parametrize(("point", "lands"), [("before-journal", False), ("before-refs", True), ("before-worktree", True)])
def test_a_kill_during_an_add_leaves_a_consistent_store_that_the_next_command_recovers(tmp_path, texts, point, lands):
    path = build(tmp_path / "s", texts[:2])
    flag = tmp_path / "paused"
    proc = _spawn(path, [texts[3]], pause=point, flag=flag)
    _wait_for(flag, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if point == "before-worktree":
        (path / ".git" / "index.lock").write_text("")  # as if git itself died checking out
    assert symbols(path) == (["1997/45", "1998/44", "2000/74"] if lands else ["1997/45", "1998/44"])
    assert not (path / ".git" / "resdiff-journal.json").exists()
    assert not any(r.startswith("refs/resdiff/") for r in sf.all_refs(path))
    assert sf.git(path, "status", "--porcelain") == "" and sf.git(path, "fsck", "--strict", "--no-dangling") == ""
    build(path, [texts[3], texts[2]])
    assert sf.all_refs(path) == sf.all_refs(build(tmp_path / "ref", texts[:4]))


def test_a_second_add_waits_for_the_first_and_then_both_land(tmp_path, texts):
    path = build(tmp_path / "s", texts[:1])
    flag = tmp_path / "paused"
    first = _spawn(path, [texts[1]], pause="before-worktree", flag=flag)
    _wait_for(flag, first)
    second = _spawn(path, [texts[2]])
    time.sleep(0.8)
    assert second.poll() is None, "the second add waits for the lock"
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert second.wait(timeout=60) == 0, second.stderr.read().decode()
    assert symbols(path) == ["1997/45", "1998/44", "1999/69"]


def test_a_commit_made_on_main_by_hand_is_not_overwritten(tmp_path, texts):
    path = build(tmp_path / "s", texts[:2])
    (path / "notes.txt").write_text("mine\n")
    sf.git(path, "add", "notes.txt")
    sf.git(path, "commit", "-q", "-m", "my notes")
    mine = sf.git(path, "rev-parse", "HEAD").strip()
    with Store.open(path) as store, pytest.raises(StoreError) as info:
        store.add(sf.received(texts[2:3]))
    assert "main was changed outside resdiff" in info.value.message and "reset --hard" in info.value.hint
    assert sf.git(path, "rev-parse", "main").strip() == mine


def test_re_adding_without_the_options_given_before_changes_nothing(tmp_path, texts):
    path = tmp_path / "s"
    with Store.open(path, seed=False) as store:
        store.add(sf.received(texts[:1], series="mine", title="A title given by hand"))
        assert [r.outcome for r in store.add(sf.received(texts[:1]))] == ["unchanged"]
        with pytest.raises(StoreError) as info:
            store.add(sf.received(texts[:1], series="other"))
        assert "different series" in info.value.message


def test_git_variables_inherited_from_a_hook_never_redirect_writes(tmp_path, texts, monkeypatch):
    foreign = tmp_path / "foreign"
    subprocess.run(["git", "init", "-q", str(foreign)], check=True)
    before = sorted(str(p.relative_to(foreign)) for p in foreign.rglob("*"))
    monkeypatch.setenv("GIT_DIR", str(foreign / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(foreign))
    with Store.open(tmp_path / "s") as store:
        store.add(sf.received(texts[:2]))
        assert [v.symbol.short for vs in store.series().values() for v in vs] == ["1997/45", "1998/44", "2002/82", "2003/73"]
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_WORK_TREE")
    assert sorted(str(p.relative_to(foreign)) for p in foreign.rglob("*")) == before
    assert sf.git(tmp_path / "s", "status", "--porcelain") == "" and len(sf.git(tmp_path / "s", "tag").split()) == 4


def test_an_existing_empty_directory_becomes_a_store(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with Store.open(empty) as store:
        assert store.created and (empty / ".git").is_dir()
