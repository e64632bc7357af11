"""Compiled templates are cached in the user's cache directory: the report is byte-identical
with a cold cache, a warm one, no cache, and a cache directory that cannot be written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = [str(ROOT / "data" / "chr-2003-73.txt"), str(ROOT / "data" / "illustrative-draft-next-year.txt"), "-q", "-o", "-", "--reproducible"]


def report(tmp_path: Path, cache: Path, **env: str) -> bytes:
    run = subprocess.run([sys.executable, "-c", "from resdiff.cli.main import run; run()", *ARGS], capture_output=True,
                         env={**os.environ, "XDG_CACHE_HOME": str(cache), "RESDIFF_STORE": str(tmp_path / "s"), **env})
    assert run.returncode == 0, run.stderr.decode()
    return run.stdout


def test_cold_warm_absent_and_unwritable_caches_give_the_same_report(tmp_path):
    cache = tmp_path / "cache"
    cold = report(tmp_path, cache)
    assert list((cache / "resdiff").glob("templates-*/*")), "compiled templates were kept"
    warm = report(tmp_path, cache)
    none = report(tmp_path, cache, RESDIFF_NO_TEMPLATE_CACHE="1")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory would be")
    unwritable = report(tmp_path, blocked)
    assert cold == warm == none == unwritable and cold.startswith(b"<!DOCTYPE html>")
