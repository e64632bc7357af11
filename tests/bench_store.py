"""Benchmark (not a test): the version store with a 20-version series.

Run:  python tests/bench_store.py

Builds 20 CONSTRUCTED versions of the series of 2003/73 (tests/series_fixtures.py:
the real 2003/73 edited year by year; not UN documents), then times, each in a
fresh temporary store seeded with the real 2003/73:
  (a) ``resdiff add`` of all 20 files in one call, then the history report;
  (b) the 20 files added one call each, in a shuffled order (every add that
      lands before existing versions rebuilds the series);
  (c) ``resdiff history`` alone on the 21-version series, and ``resdiff blame``.
Target: (a) under 2 s.

Then, when the real General Assembly corpus is beside the project
(``../shared/corpus/ga-akn``, sessions 74-78, about 1,640 Akoma Ntoso files;
source: United Nations), with whole-process times of the ``resdiff`` command:
  (d) ``resdiff add ga-akn/en/7[4-8] --meta ga-akn/meta`` into a fresh store, and
      the same import in this process split into reading + parsing (parallel),
      series detection and git writes;
  (e) on that big store and on a small store holding only one series (oceans
      and the law of the sea, five versions of about 450 paragraphs): ``log``,
      ``show``, compare by symbol, ``log SERIES``, ``history`` and ``blame``; and
      ``log --format json`` of every series on the big store, first (every step
      compared) and again (from the store's cache).
  (f) one process per command on a series of 20, 100 and 300 CONSTRUCTED versions
      (series_fixtures.long_series): add the next version, add a stored one again, compare
      two stored versions by symbol: flat in the series' length is the target.
``--series-only`` skips the corpus part. Prints tables; asserts nothing.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
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
        paths = series_fixtures.write(tmp / "texts", series_fixtures.series(20, last_year=2001))
        rows = [
            ("(a) add 20 versions in one call + history report", *timed(lambda: batch(tmp, paths))),
            ("(b) add 20 versions one call each, shuffled", *timed(lambda: one_by_one(tmp, paths))),
            ("(c) history report + blame of 21 versions", *timed(lambda: report_only(tmp))),
        ]
    print(f"{'case':<52} {'seconds':>8}")
    for label, seconds, _ in rows:
        print(f"{label:<52} {seconds:>8.2f}")
    print(f"history report size: {rows[0][2] // 1024} KiB; target for (a): < 2 s")


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "ga-akn"
SERIES_FILES = ["74/74_19.xml", "75/75_239_E.xml", "76/A_RES_76_72-2118581E_Reissue.xml", "77/A_RES_77_248-2300140E.xml", "78/A_RES_78_69-2324917E.xml"]


def command(*args: str) -> float:
    """Whole-process seconds of one resdiff command (its output discarded)."""
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "resdiff"), *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, env={**os.environ, "RESDIFF_OFFLINE": "1"})
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(f"resdiff {' '.join(args[:3])} ... failed ({done.returncode}): {done.stderr.decode()[-300:]}")
    return seconds


def phases(tmp: Path) -> list[tuple[str, float]]:
    """The corpus import in this process, phase by phase."""
    from resdiff.bulk import expand, read
    from resdiff.store.records import prepare_all
    from resdiff.series import assign_series

    paths, _ = expand([str(CORPUS / "en" / str(s)) for s in range(74, 79)], stdin=lambda: "")
    items, _ = read(paths)
    t0 = time.perf_counter()
    prepared = prepare_all(items, workers=os.cpu_count() or 1)
    t1 = time.perf_counter()
    versions = {p.version.symbol: p.version for p in prepared if getattr(p, "version", None) is not None}
    assign_series(versions.values())
    t2 = time.perf_counter()
    with Store.open(tmp / "phases", seed=False) as store:
        store.file(items, skip_bad=True, workers=os.cpu_count() or 1)
    t3 = time.perf_counter()
    return [(f"  read + parse {len(items)} files ({os.cpu_count()} processes)", t1 - t0),
            (f"  series detection ({len(versions)} versions)", t2 - t1),
            ("  whole import in-process (parse again + series + git writes)", t3 - t2),
            ("  of which git writes and the rest (whole - parse - series)", (t3 - t2) - (t1 - t0) - (t2 - t1))]


def corpus(tmp: Path) -> None:
    if not (CORPUS / "en" / "78").is_dir():
        print("\n(the General Assembly corpus is not beside the project: corpus figures skipped)")
        return
    big, small = tmp / "big", tmp / "small"
    dirs = [str(CORPUS / "en" / str(s)) for s in range(74, 79)]
    rows = [("(d) resdiff add en/74 .. en/78 --meta meta/ (fresh store)", command("add", *dirs, "--meta", str(CORPUS / "meta"), "--store", str(big)))]
    rows += phases(tmp)
    command("add", *(str(CORPUS / "en" / f) for f in SERIES_FILES), "--meta", str(CORPUS / "meta"), "--store", str(small))
    print(f"\n{'corpus import':<66} {'seconds':>8}")
    for label, seconds in rows:
        print(f"{label:<66} {seconds:>8.2f}")
    cases = [("log", ["log"]), ("show 78/69", ["show", "ga:78/69"]), ("compare 77/248 78/69 -f json", ["ga:77/248", "ga:78/69", "-f", "json", "-q"]),
             ("log oceans-and-the-law-of-the-sea", ["log", "oceans-and-the-law-of-the-sea"]),
             ("history oceans-and-the-law-of-the-sea -o -", ["history", "oceans-and-the-law-of-the-sea", "-o", "-"]),
             ("blame 78/69", ["blame", "ga:78/69"])]
    print(f"\n{'(e) command (whole process)':<44} {'small':>8} {'big':>8} {'ratio':>6}")
    for label, args in cases:
        s, b = command(*args, "--store", str(small)), command(*args, "--store", str(big))
        print(f"{label:<44} {s:>8.2f} {b:>8.2f} {b / s:>6.2f}")
    first, again = command("log", "-f", "json", "--store", str(big)), command("log", "-f", "json", "--store", str(big))
    print(f"{'log -f json of every series (cold)':<44} {'':>8} {first:>8.2f}")
    print(f"{'log -f json of every series (cached)':<44} {'':>8} {again:>8.2f}")
    with Store.open(big) as store:
        catalogue = store.catalogue()
    five = sum(1 for vs in catalogue.values() if len(vs) == 5)
    print(f"big store: {sum(map(len, catalogue.values()))} versions in {len(catalogue)} series, {five} with five versions")


def long_series(tmp: Path, lengths=(20, 100, 300)) -> None:
    """(f) One process per command on a series of 20, 100 and 300 CONSTRUCTED versions
    (series_fixtures.long_series; not UN documents): add the next version, add a stored one again,
    compare the last two stored versions by symbol. Target: flat in the series' length, adds <= 0.4 s."""
    print(f"\n{'(f) one process per command (medians of 5), series of N':<52} " + " ".join(f"{'N=' + str(n):>8}" for n in lengths))
    rows: dict[str, list[float]] = {"add the next version": [], "add a stored version again (unchanged)": [],
                                    "compare the last two stored versions": [], "  (building the series in-process)": []}
    for n in lengths:
        where = tmp / f"long-{n}"
        paths = series_fixtures.write(where / "texts", series_fixtures.long_series(n + 1))
        start = time.perf_counter()
        with Store.open(where / "store", seed=False) as store:
            store.add(received(paths[:-1]))
        rows["  (building the series in-process)"].append(time.perf_counter() - start)
        store_dir = str(where / "store")
        adds = []
        for k in range(5):  # each add into a fresh copy of the series, so that it really adds
            copy = where / f"copy-{k}"
            shutil.copytree(store_dir, copy)
            adds.append(command("add", str(paths[-1]), "--store", str(copy)))
        rows["add the next version"].append(statistics.median(adds))
        rows["add a stored version again (unchanged)"].append(statistics.median(command("add", str(paths[-2]), "--store", store_dir) for _ in range(5)))
        rows["compare the last two stored versions"].append(statistics.median(
            command(f"ga:{n - 1}/17", f"ga:{n}/17", "-f", "json", "-q", "--store", store_dir) for _ in range(5)))
    for label, values in rows.items():
        print(f"{label:<52} " + " ".join(f"{v:>8.2f}" for v in values))


if __name__ == "__main__":
    main()
    with tempfile.TemporaryDirectory() as name:
        long_series(Path(name))
    if "--series-only" not in sys.argv:
        with tempfile.TemporaryDirectory() as name:
            corpus(Path(name))
