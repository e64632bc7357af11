"""Benchmark (not a test): resdiff against the tools a user would otherwise pick.

Run:  python tests/bench.py          (under a minute)
      python tests/bench.py --full   (adds the slow baselines and the 8,700-paragraph pair)

Whole-process times (a new interpreter per run, nothing preloaded, as a user runs it;
the processes compared with each other run in turns, so that load on the machine
weighs on each alike) beside in-process ones, medians, for
  (a) the real 2003/73 against the bundled illustrative next-year draft, and
  (b) a generated omnibus-size pair (~880 distinct paragraphs, ~44,000 words) with
      realistic edits: word changes, additions, deletions, moves (some edited),
      splits and merges, so that every later paragraph is renumbered,
beside like-for-like baselines: a ``python3 -c`` process running difflib.HtmlDiff on
the same two files' lines, ``git diff --no-index --word-diff`` as a process, and
(--full) diff-match-patch on the whole text at word level. Also: ``resdiff --help``
against ``python3 -c pass``; the pure-Python and C++ diff engines on one long
paragraph; the floor under the start-up targets (a process that only imports the
libraries an output needs); and (--full) ten times the omnibus, with the growth exponent. The
generated text is random words from 2003/73's vocabulary: constructed, not a UN
document. Prints tables; asserts nothing.
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diff_match_patch import diff_match_patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resdiff.compare import compare_texts  # noqa: E402
from resdiff.render import render_html  # noqa: E402

VERBS = ["Welcomes", "Encourages", "Urges", "Requests", "Calls upon", "Invites", "Decides", "Notes", "Stresses", "Reaffirms"]


def timed(fn, *, repeat: int = 5) -> float:
    """Median wall time of ``fn`` in seconds."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def omnibus_pair(seed: int = 7, paragraphs: int = 800, words: int = 50) -> tuple[str, str]:
    rng = random.Random(seed)
    vocab = sorted(set(re.findall(r"[a-z]{3,}", (ROOT / "data" / "chr-2003-73.txt").read_text().lower())))
    def para() -> str:
        return f"{rng.choice(VERBS)} " + " ".join(rng.choice(vocab) for _ in range(words - 1)) + ";"
    old = [para() for _ in range(paragraphs)]
    new = list(old)
    for k in rng.sample(range(len(new)), 80):  # 10% edited in place
        ws = new[k].split()
        for _ in range(3):
            ws[rng.randrange(1, len(ws))] = rng.choice(vocab)
        new[k] = " ".join(ws)
    for k in sorted(rng.sample(range(len(new)), 24), reverse=True):  # 3% deleted
        del new[k]
    for _ in range(24):  # 3% added
        new.insert(rng.randrange(len(new)), para())
    for _ in range(16):  # 2% moved, half of them edited
        p = new.pop(rng.randrange(len(new)))
        if rng.random() < 0.5:
            p = p.replace(";", " as appropriate;")
        new.insert(rng.randrange(len(new)), p)
    for _ in range(8):  # splits
        k = rng.randrange(len(new))
        ws = new[k].split()
        new[k:k + 1] = [" ".join(ws[:25]) + ";", "Also " + " ".join(ws[25:])]
    for _ in range(8):  # merges
        k = rng.randrange(len(new) - 1)
        new[k:k + 2] = [new[k].rstrip(";") + ", and " + new[k + 1][0].lower() + new[k + 1][1:]]
    return _document(old), _document(new)


def _document(ops: list[str]) -> str:
    head = "Constructed omnibus benchmark text (not a UN document)\n\nThe General Assembly,\n\nRecalling its earlier resolutions,\n\n"
    return head + "\n\n".join(f"{n}. {t}" for n, t in enumerate(ops, 1)) + "\n"


def resdiff_run(old: str, new: str) -> None:
    render_html(compare_texts(old, new), old_name="old", new_name="new")


def dmp_words_run(old: str, new: str) -> None:
    tok = re.compile(r"\w+|\s+|[^\w\s]")
    codes: dict[str, str] = {}
    def enc(text: str) -> str:
        return "".join(codes.setdefault(t, chr(0xF0000 + len(codes))) for t in tok.findall(text))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(enc(old), enc(new), False)
    dmp.diff_cleanupSemantic(diffs)


DIFFLIB = ("import difflib,sys; a=open(sys.argv[1]).read().splitlines(); b=open(sys.argv[2]).read().splitlines(); "
           "open(sys.argv[3],'w').write(difflib.HtmlDiff().make_file(a,b))")


def process(args: list[str], **env: str) -> float:
    """Wall time of one process. Bytecode is written and reused (PYTHONDONTWRITEBYTECODE dropped), as for
    an installed resdiff, whose .pyc files pip writes: without it every run recompiles resdiff (~60 ms)."""
    import os

    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False, env={**environ, **env})
    return time.perf_counter() - t


def interleaved(commands: dict[str, list[str]], repeat: int, **env: str) -> dict[str, float]:
    """Median wall time of each command, run in turns (one of each per round, after one unmeasured
    round), so that a burst of load on the machine weighs on every ratio alike."""
    for args in commands.values():
        process(args, **env)
    runs: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(repeat):
        for label, args in commands.items():
            runs[label].append(process(args, **env))
    return {label: statistics.median(times) for label, times in runs.items()}


def bench_pair(label: str, old: str, new: str, *, repeat: int, full: bool) -> list[tuple[str, str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        a, b, out = Path(tmp, "old.txt"), Path(tmp, "new.txt"), Path(tmp, "out.html")
        a.write_text(old)
        b.write_text(new)
        resdiff = [sys.executable, "-c", "from resdiff.cli.main import run; run()", str(a), str(b), "-q"]
        processes = interleaved({
            "resdiff -> html (process)": [*resdiff, "-o", str(out)],
            "resdiff -> json (process)": [*resdiff, "-f", "json"],
            # Without -q the summary on stderr is a jinja2 template: what a user's default JSON run costs.
            "resdiff -> json + summary (process)": [*resdiff[:-1], "-f", "json"],
            "difflib.HtmlDiff (python3 -c process)": [sys.executable, "-c", DIFFLIB, str(a), str(b), str(out)],
            "git diff --no-index --word-diff": ["git", "diff", "--no-index", "--word-diff", str(a), str(b)],
        }, repeat, RESDIFF_STORE=tmp + "/s")
        rows = [(label, tool, secs) for tool, secs in processes.items()]
        rows.append((label, "resdiff in-process (parse..html)", timed(lambda: resdiff_run(old, new), repeat=repeat)))
        if full:
            rows.append((label, "diff-match-patch, whole text, words", timed(lambda: dmp_words_run(old, new), repeat=1)))
    return rows


def long_paragraph() -> list[tuple[str, str, float]]:
    """One 50,000-word paragraph rewritten throughout, with both diff engines."""
    import resdiff.diff as engine

    rnd = random.Random(5)
    sentence = lambda: " ".join(f"w{rnd.randint(0, 5000)}" for _ in range(20)) + ";"  # noqa: E731
    old, new = " ".join(sentence() for _ in range(2500)), " ".join(sentence() for _ in range(2500))
    rows = []
    for name, pure in (("C++ fast-diff-match-patch", "0"), ("pure-Python diff-match-patch", "1")):
        import os

        os.environ["RESDIFF_PURE_DIFF"] = pure
        engine._fast.cache_clear()
        if pure == "0" and engine._fast() is None:
            continue
        rows.append(("50k-word paragraph", name, timed(lambda: engine.word_ops(old, new), repeat=3)))
    os.environ.pop("RESDIFF_PURE_DIFF", None)
    engine._fast.cache_clear()
    return rows


# What a process costs before resdiff does anything: the libraries each output needs, imported and nothing else
# (json, html: against the difflib.HtmlDiff process of (a); --help: against python3 -c pass).
FLOORS = [
    ("json: import json, re, dataclasses, diff_match_patch", "import json, re, dataclasses, diff_match_patch", "difflib"),
    ("html: the same and jinja2", "import json, re, dataclasses, diff_match_patch, jinja2", "difflib"),
    ("--help: import typer", "import typer", "pass"),
]


def main() -> None:
    import math

    full = "--full" in sys.argv
    real = (ROOT / "data" / "chr-2003-73.txt").read_text()
    draft = (ROOT / "data" / "illustrative-draft-next-year.txt").read_text()
    big_old, big_new = omnibus_pair(paragraphs=880)
    print(f"(b) omnibus pair: {big_old.count(chr(10) * 2)} / {big_new.count(chr(10) * 2)} paragraphs, "
          f"{len(big_old.split())} / {len(big_new.split())} words")
    rows = bench_pair("(a) 2003/73 vs draft", real, draft, repeat=11, full=full)
    rows += bench_pair("(b) omnibus", big_old, big_new, repeat=3, full=full)
    rows += long_paragraph()
    print(f"{'case':<22} {'tool':<40} {'median':>10} {'vs resdiff':>11}")
    base = {}
    for case, tool, secs in rows:
        base.setdefault(case, secs)
        print(f"{case:<22} {tool:<40} {secs * 1000:>8.1f}ms {secs / base[case]:>10.2f}x")
    small = {tool: secs for case, tool, secs in rows if case.startswith("(a)")}
    difflib_secs = small["difflib.HtmlDiff (python3 -c process)"]
    print("issue 11 target 1, (a) against the difflib.HtmlDiff process: "
          f"html {small['resdiff -> html (process)'] / difflib_secs:.2f}x (target 1.3x), "
          f"json {small['resdiff -> json (process)'] / difflib_secs:.2f}x (target 1.1x), "
          f"json + summary {small['resdiff -> json + summary (process)'] / difflib_secs:.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        a, b, out = Path(tmp, "old.txt"), Path(tmp, "new.txt"), Path(tmp, "out.html")
        a.write_text(real)
        b.write_text(draft)
        startup = interleaved({
            "pass": [sys.executable, "-c", "pass"],
            "difflib": [sys.executable, "-c", DIFFLIB, str(a), str(b), str(out)],
            "help": [sys.executable, "-c", "import sys; sys.argv=['resdiff','--help']; from resdiff.cli.main import run; run()"],
            **{label: [sys.executable, "-c", code] for label, code, _ in FLOORS},
        }, 21)
    py_pass, helped, difflib_secs = startup["pass"], startup["help"], startup["difflib"]
    print(f"{'resdiff --help':<22} {'(new process)':<40} {helped * 1000:>8.1f}ms {helped / py_pass:>10.2f}x python3 -c pass (target 3x)")
    print("floor under target 1 (a process that only imports, nothing else):")
    for label, _, against in FLOORS:
        secs = startup[label]
        ratio, name = (secs / difflib_secs, "the difflib.HtmlDiff process") if against == "difflib" else (secs / py_pass, "python3 -c pass")
        print(f"  {label:<58} {secs * 1000:>8.1f}ms {ratio:>6.2f}x {name}")
    if full:
        huge_old, huge_new = omnibus_pair(paragraphs=8800, seed=11)
        small = timed(lambda: resdiff_run(big_old, big_new), repeat=3)
        large = timed(lambda: resdiff_run(huge_old, huge_new), repeat=1)
        print(f"{'(c) 10x omnibus':<22} {'resdiff in-process (parse..html)':<40} {large * 1000:>8.1f}ms "
              f"{large / small:>10.2f}x the omnibus; exponent {math.log(large / small) / math.log(10):.2f}")


if __name__ == "__main__":
    main()
