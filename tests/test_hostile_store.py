"""The version store under failing environments: read-only, disk full, endless input, hostile names.

Uses real stores (gitpython on a real repository in a temporary directory); the failures are
injected where the platform cannot make them for a root user (a read-only lock file, ENOSPC).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import resdiff.store.plumbing as plumbing
from resdiff.errors import StoreError
from resdiff.store import Store
from resdiff.symbols import parse_symbol

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from resdiff.cli.main import run; run()", *args, "--store", str(store)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def store(tmp_path) -> Path:
    path = tmp_path / "store"
    with Store.open(path):
        pass
    return path


def _read_only(monkeypatch) -> None:
    real_open = os.open

    def fake_open(path, flags, *args):
        if str(path).endswith("resdiff.lock") and flags & (os.O_RDWR | os.O_WRONLY | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(plumbing.os, "open", fake_open)


def test_a_read_only_store_serves_reads_and_refuses_writes_with_a_hint(store, monkeypatch):
    _read_only(monkeypatch)
    with Store.open(store, create=False) as opened:
        assert opened.predecessor(parse_symbol("2003/73")) == parse_symbol("2002/82")
        assert opened.lookup(parse_symbol("2003/73")) is not None
        with pytest.raises(StoreError) as info:
            opened.add([])
    assert "the store is read-only" in info.value.message and info.value.hint


def test_a_full_disk_during_an_add_leaves_the_store_as_it_was(store, monkeypatch):
    before = subprocess.run(["git", "-C", str(store), "show-ref"], capture_output=True, text=True).stdout

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with Store.open(store, create=False) as opened:
        monkeypatch.setattr(opened, "_file", full)
        with pytest.raises(StoreError) as info:
            opened.add([])
    assert "No space left on device; nothing was added" in info.value.message and info.value.hint
    assert subprocess.run(["git", "-C", str(store), "show-ref"], capture_output=True, text=True).stdout == before


def test_add_refuses_an_endless_device_after_the_limit(store):
    run = cli("add", "/dev/zero", store=store)
    assert run.returncode == 2 and "over the limit" in run.stderr and "Traceback" not in run.stderr


def test_a_series_name_with_a_newline_is_refused_not_mangled(store):
    run = cli("add", str(ROOT / "data" / "chr-2003-73.txt"), "--series", "ab\nx", store=store)
    assert run.returncode == 2 and "is not a valid series name" in run.stderr


def test_log_and_show_escape_control_characters_from_a_title(store, tmp_path):
    draft = tmp_path / "t.txt"
    draft.write_text((ROOT / "data" / "chr-2003-73.txt").read_text(encoding="utf-8").replace("2003/73", "2004/91").replace("25 April 2003", "20 April 2004"),
                     encoding="utf-8")
    added = cli("add", str(draft), "--title", "Title \x1b]0;owned\x07\x1b[2J", "--series", "escapes", store=store)
    assert added.returncode == 0, added.stderr
    for args in (("log",), ("log", "escapes"), ("show", "2004/91", "-f", "json")):
        run = cli(*args, store=store)
        assert run.returncode == 0 and "\x1b" not in run.stdout + run.stderr, args


def test_a_stale_git_lock_left_by_a_killed_git_does_not_stop_the_next_add(store, tmp_path):
    ref = next((store / ".git" / "refs" / "heads" / "series").iterdir())
    Path(str(ref) + ".lock").write_text("")  # what a git killed while moving the ref leaves
    later = tmp_path / "v2004.txt"
    later.write_text((ROOT / "data" / "chr-2003-73.txt").read_text(encoding="utf-8")
                     .replace("2003/73", "2004/91").replace("25 April 2003", "20 April 2004"), encoding="utf-8")
    run = cli("add", str(later), store=store)
    assert run.returncode == 0 and "added 2004/91" in run.stderr, run.stderr
    assert not Path(str(ref) + ".lock").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
@pytest.mark.parametrize("args", [("log",), ("show", "2003/73"), ("show", "2003/73", "-f", "source")])
def test_a_full_stdout_is_an_error_line_for_the_store_commands(store, args):
    with open("/dev/full", "wb") as full:
        run = subprocess.run([sys.executable, "-c", "from resdiff.cli.main import run; run()", *args, "--store", str(store)],
                             stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == 2 and "cannot write to standard output: No space left on device" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_full_disk_while_creating_a_store_is_an_error_and_leaves_nothing(tmp_path, monkeypatch):
    import resdiff.store.api as store_module

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "init_repository", full)
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path / "new")
    assert "cannot create the store (No space left on device)" in info.value.message and info.value.hint
    assert list(tmp_path.iterdir()) == []

