"""Constructed series for the store tests and the store benchmark.

Every text made here is CONSTRUCTED by editing the one real resolution, 2003/73
(data/chr-2003-73.txt), and says so in a heading line: "Constructed test text
derived from resolution 2003/73; not a UN document." The symbols and dates are
labels for temporary stores (the later ones follow the series' public symbol
table in docs/domain.md so that the real 2002/82, which recalls 2001/77, and the
real 2003/73 that every store is seeded with join the chain); the wording is not
that of any real resolution of those years. Series filed in a store end in 2001:
the real 2002/82 is bundled and seeded, and a constructed text under its symbol
would contradict it.

Edits grow with the years the way a penholder's would: the recalled resolution,
workshop and session ordinals, report symbols and dates change every year; the
title changes in 1999 ("Regional arrangements" -> "Regional cooperation");
paragraphs appear over time (so later ones are renumbered); one opening verb is
strengthened ("Invites" -> "Encourages").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import REAL_2003_73
from resdiff.model import Section
from resdiff.parse import parse

CONSTRUCTED_NOTE = "Constructed test text derived from resolution 2003/73; not a UN document."
# Without a symbol heading the note above would be read as one ("resolution 2003/73"): this wording is not.
CONSTRUCTED_NOTE_NO_SYMBOL = "Constructed test text derived from the text of 2003/73; not a UN document."
OLD_TITLE = "Regional arrangements for the promotion and protection of human rights in the Asian and Pacific region"
# Symbols and adoption dates of this series as listed in docs/domain.md (2001/77: day not confirmed, so constructed).
KNOWN = {
    1988: ("1988/73", "10 March 1988"), 1989: ("1989/50", "7 March 1989"), 1990: ("1990/71", "7 March 1990"),
    1991: ("1991/28", "5 March 1991"), 1992: ("1992/40", "28 February 1992"), 1993: ("1993/57", "9 March 1993"),
    1994: ("1994/48", "4 March 1994"), 1995: ("1995/48", "3 March 1995"), 1996: ("1996/64", "23 April 1996"),
    1997: ("1997/45", "11 April 1997"), 1998: ("1998/44", "17 April 1998"), 1999: ("1999/69", "28 April 1999"),
    2000: ("2000/74", "27 April 2000"), 2001: ("2001/77", "20 April 2001"), 2002: ("2002/82", "26 April 2002"),
}
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy"}
_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
_MONTHS = "January February March April May June July August September October November December".split()
_REAL = parse(REAL_2003_73.read_text(encoding="utf-8"), source="data/chr-2003-73.txt")


@dataclass(frozen=True)
class Constructed:
    """One constructed version: its label, its date and its text."""

    symbol: str
    date: str
    """As printed ("7 March 1990")."""
    iso: str
    text: str


def ordinal(n: int) -> str:
    """English ordinal word: 11 -> "eleventh", 60 -> "sixtieth"."""
    if n < 20:
        word = _ONES[n]
        return _IRREGULAR.get(word, word[:-1] + "th" if word.endswith("t") else word + "th")
    tens, ones = divmod(n, 10)
    if not ones:
        return _TENS[n][:-1] + "ieth"
    return f"{_TENS[tens * 10]}-{ordinal(ones)}"


def label(year: int) -> tuple[str, str]:
    """(symbol, printed date) for a constructed version of ``year``."""
    if year in KNOWN:
        return KNOWN[year]
    return f"{year}/{60 + year % 10}", f"{1 + year % 27} March {year}"


def iso(printed: str) -> str:
    day, month, year = printed.split()
    return f"{year}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"


def series(n: int, *, last_year: int = 2002) -> list[Constructed]:
    """``n`` constructed versions, one a year, ending in ``last_year``, oldest first."""
    years = list(range(last_year - n + 1, last_year + 1))
    return [version(year, k, n) for k, year in enumerate(years)]


def version(year: int, k: int, n: int, *, with_date: bool = True, with_symbol: bool = True) -> Constructed:
    """The ``k``-th of ``n`` constructed versions, adopted in ``year``."""
    symbol, printed = label(year)
    prev_symbol, prev_date = label(year - 1)
    title = OLD_TITLE if year < 1999 else _REAL.title
    head = [title, ""]
    if with_symbol:
        head += [f"Commission on Human Rights resolution {symbol}", "", CONSTRUCTED_NOTE, ""]
    else:
        head += [CONSTRUCTED_NOTE_NO_SYMBOL, ""]
    head += ["The Commission on Human Rights,", ""]
    pps = [f"Recalling its resolution {prev_symbol} of {prev_date},"] + [_edit(p.text, year, k) for p in _body(Section.PREAMBLE)[1:]]
    ops = [_edit(p.text, year, k) for p in _body(Section.OPERATIVE)]
    pps, ops = _grow(pps, ops, k, n)
    lines = head + [p + "\n" for p in pps] + [f"{i}.\n{t}\n" for i, t in enumerate(ops, 1)]
    lines += [f"{_numbered(50 + k % 12)} meeting", ""] + ([printed, ""] if with_date else []) + ["[Adopted without a vote. Constructed for resdiff tests.]"]
    return Constructed(symbol, printed, iso(printed), "\n".join(lines) + "\n")


def _numbered(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _body(section: Section) -> list:
    return [p for p in _REAL.paragraphs if p.section is section]


def _edit(text: str, year: int, k: int) -> str:
    workshop = max(1, year - 1992)
    text = text.replace("eleventh", ordinal(workshop)).replace("twelfth", ordinal(workshop + 1))
    text = text.replace("sixtieth session", f"{ordinal(max(1, year - 1943))} session")
    text = text.replace("E/CN.4/2003/109", f"E/CN.4/{year}/{100 + k}").replace("Annual Appeal 2003", f"Annual Appeal {year}")
    return text.replace("resolution 2002/82 of 26 April 2002", "resolution {} of {}".format(*label(year - 1)))


def _grow(pps: list[str], ops: list[str], k: int, n: int) -> tuple[list[str], list[str]]:
    """Paragraphs appear as the series goes on; one verb gets stronger halfway."""
    if k < n // 2:
        ops = [t.replace("Encourages Governments", "Invites Governments") for t in ops]
        ops = [t for t in ops if not t.startswith("Recognizes the importance of good governance")]
    if k < n // 3:
        ops = [t for t in ops if not t.startswith("Welcomes the efforts of the Office")]
    if k < 2:
        pps = [t for t in pps if not t.startswith("Recognizing further")]
    return pps, ops


def write(directory: Path, versions: list[Constructed]) -> list[Path]:
    """Write each version to ``<directory>/constructed-<year>-<n>.txt``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for v in versions:
        path = directory / f"constructed-{v.symbol.replace('/', '-')}.txt"
        path.write_text(v.text, encoding="utf-8")
        paths.append(path)
    return paths


def git(store: Path, *args: str) -> str:
    """Run the real git in a store and return its stdout (tests check what git itself shows)."""
    import subprocess

    done = subprocess.run(["git", "-C", str(store), *args], capture_output=True, text=True, check=True)
    return done.stdout


def received(paths: list[Path], **options: str):
    """``Received`` items for ``Store.add`` from files."""
    from resdiff.store import Received

    return [Received(p.read_bytes(), str(p), **options) for p in paths]


def all_refs(store: Path, *, notes: bool = False) -> dict[str, str]:
    """Every ref of a store with its object id (the notes ref holds wall-clock times: left out by default)."""
    lines = git(store, "for-each-ref", "--format=%(refname) %(objectname)").splitlines()
    refs = dict(line.split(" ", 1) for line in lines)
    return refs if notes else {k: v for k, v in refs.items() if not k.startswith("refs/notes/")}


def long_series(n: int) -> list[Constructed]:
    """``n`` CONSTRUCTED General Assembly versions (sessions 1 ... n, one resolution 17 each, the
    real 2003/73's paragraphs edited a little each session): for benchmarks of long series.
    Sessions past today's are dated in the future; these are not UN documents."""
    out = []
    for k in range(n):
        session = k + 1
        year = 1945 + session
        date = f"{1 + session % 27} December {year}"
        pps = [f"Recalling its resolution {session - 1}/17 of {1 + (session - 1) % 27} December {year - 1},"] if k else []
        pps += [p.text for p in _body(Section.PREAMBLE)[1:]]
        ops = [p.text.replace("eleventh", ordinal(1 + k % 19)) for p in _body(Section.OPERATIVE)]
        ops[k % len(ops)] = ops[k % len(ops)].replace("the", f"the {ordinal(1 + k % 19)}", 1)
        lines = [_REAL.title, "", f"General Assembly resolution {session}/17", "", CONSTRUCTED_NOTE, "",
                 "The General Assembly,", ""] + [p + "\n" for p in pps] + [f"{i}.\n{t}\n" for i, t in enumerate(ops, 1)]
        lines += [f"{_numbered(50 + k % 12)} plenary meeting", "", date, ""]
        out.append(Constructed(f"ga:{session}/17", date, iso(date), "\n".join(lines) + "\n"))
    return out
