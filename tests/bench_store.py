"""Benchmark (not a test): the version store with a 20-version series.

Run:  python tests/bench_store.py

Builds 20 CONSTRUCTED versions of the series of 2003/73 (tests/series_fixtures.py:
the real 2003/73 edited year by year; not UN documents), then times, each in a
fresh temporary store seeded with the real 2003/73:
  (a) ``resdiff add`` of all 20 files in one call, then the history report;
  (b) the 20 files added one call each, in a shuffled order (every add that
      lands before existing versions rebuilds the series);
  (c) ``resdiff history`` alone on the 21-version series, and ``resdiff blame``.
Target: (a) under 2 s. Prints a table; asserts nothing.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import series_fixtures  # noqa: E402
from resdiff.history import blame  # noqa: E402
from resdiff.history_report import render_history  # noqa: E402
from resdiff.store import Received, Store  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def received(paths: list[Path]) -> list[Received]:
    return [Received(p.read_bytes(), str(p)) for p in paths]


def batch(tmp: Path, paths: list[Path]) -> int:
    with Store.open(tmp / "batch") as store:
        store.add(received(paths))
        name = store.resolve_series("2003/73")
        return len(render_history(store.history(name)))


def one_by_one(tmp: Path, paths: list[Path]) -> None:
    shuffled = paths[:]
    random.Random(3).shuffle(shuffled)
    with Store.open(tmp / "shuffled") as store:
        for p in shuffled:
            store.add(received([p]))


def report_only(tmp: Path) -> None:
    with Store.open(tmp / "batch") as store:
        history = store.history(store.resolve_series("2003/73"))
        render_history(history)
        blame(history, history.versions[-1].symbol)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        paths = series_fixtures.write(tmp / "texts", series_fixtures.series(20))
        rows = [
            ("(a) add 20 versions in one call + history report", *timed(lambda: batch(tmp, paths))),
            ("(b) add 20 versions one call each, shuffled", *timed(lambda: one_by_one(tmp, paths))),
            ("(c) history report + blame of 21 versions", *timed(lambda: report_only(tmp))),
        ]
    print(f"{'case':<52} {'seconds':>8}")
    for label, seconds, _ in rows:
        print(f"{label:<52} {seconds:>8.2f}")
    print(f"history report size: {rows[0][2] // 1024} KiB; target for (a): < 2 s")


if __name__ == "__main__":
    main()
