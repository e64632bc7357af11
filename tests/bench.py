"""Benchmark (not a test): resdiff against the tools a user would otherwise pick.

Run:  python tests/bench.py

Times, on this machine, the whole in-process pipeline (parse + align + word diff +
HTML render) for
  (a) the real 2003/73 against the bundled illustrative next-year draft, and
  (b) a generated omnibus-size pair (~800 distinct paragraphs, ~40,000 words) with
      realistic edits: word changes, additions, deletions, moves (some edited),
      splits and merges, so that every later paragraph is renumbered,
beside difflib.HtmlDiff on paragraphs, ``git diff --no-index --word-diff`` and
diff-match-patch on the whole text at word level; and ``resdiff --help``.
The generated text is random words from 2003/73's vocabulary: constructed, not a
UN document. Prints a table; asserts nothing.
"""

from __future__ import annotations

import difflib
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


def difflib_run(old: str, new: str) -> None:
    difflib.HtmlDiff().make_file(old.split("\n\n"), new.split("\n\n"))


def dmp_words_run(old: str, new: str) -> None:
    tok = re.compile(r"\w+|\s+|[^\w\s]")
    codes: dict[str, str] = {}
    def enc(text: str) -> str:
        return "".join(codes.setdefault(t, chr(0xF0000 + len(codes))) for t in tok.findall(text))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(enc(old), enc(new), False)
    dmp.diff_cleanupSemantic(diffs)


def git_run(old_path: Path, new_path: Path) -> None:
    subprocess.run(["git", "diff", "--no-index", "--word-diff", str(old_path), str(new_path)], capture_output=True, check=False)


def bench_pair(label: str, old: str, new: str, *, repeat: int) -> list[tuple[str, str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "old.txt"), Path(tmp, "new.txt")
        a.write_text(old)
        b.write_text(new)
        rows = [
            (label, "resdiff (parse+align+diff+html)", timed(lambda: resdiff_run(old, new), repeat=repeat)),
            (label, "difflib.HtmlDiff (paragraphs)", timed(lambda: difflib_run(old, new), repeat=repeat)),
            (label, "git diff --no-index --word-diff", timed(lambda: git_run(a, b), repeat=repeat)),
            (label, "diff-match-patch, whole text, words", timed(lambda: dmp_words_run(old, new), repeat=repeat)),
        ]
    return rows


def help_time() -> float:
    cmd = [sys.executable, "-c", "import sys; sys.argv=['resdiff','--help']; from resdiff.cli.main import run; run()"]
    return timed(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat=5)


def main() -> None:
    real = (ROOT / "data" / "chr-2003-73.txt").read_text()
    draft = (ROOT / "data" / "illustrative-draft-next-year.txt").read_text()
    big_old, big_new = omnibus_pair()
    print(f"(b) omnibus pair: {big_old.count(chr(10) * 2)} / {big_new.count(chr(10) * 2)} paragraphs, "
          f"{len(big_old.split())} / {len(big_new.split())} words")
    rows = bench_pair("(a) 2003/73 vs draft", real, draft, repeat=21)
    rows += bench_pair("(b) omnibus", big_old, big_new, repeat=3)
    print(f"{'case':<22} {'tool':<38} {'median':>10} {'vs resdiff':>11}")
    base = {}
    for case, tool, secs in rows:
        base.setdefault(case, secs)
        print(f"{case:<22} {tool:<38} {secs * 1000:>8.1f}ms {secs / base[case]:>10.1f}x")
    print(f"{'resdiff --help':<22} {'(python -c, new process)':<38} {help_time() * 1000:>8.1f}ms")


if __name__ == "__main__":
    main()
