"""A CONSTRUCTED negotiation for resdiff's tests and README: four drafts of the round that
Commission on Human Rights resolution 2003/73 closed, made by editing the real adopted text
(data/chr-2003-73.txt) the way negotiators do: margin markers, [square brackets] around
language still in dispute, an alternative paragraph, an "OP3 bis", status tags, and the
L document tabled before adoption. None of these drafts is a UN document; the symbol
E/CN.4/2003/L.11 is used only as the form an L document's symbol takes.

    python tests/negotiation.py          # (re)writes tests/data/negotiation/*.txt

``tests/test_negotiation.py`` checks that the files are what this script makes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADOPTED = ROOT / "data" / "chr-2003-73.txt"
OUT = Path(__file__).resolve().parent / "data" / "negotiation"

NOTICE = ("CONSTRUCTED TEST DRAFT: not a United Nations document. Made for resdiff's tests by editing "
          "Commission on Human Rights resolution 2003/73 (source: United Nations).")

# (file, stage, date, the L symbol printed on it)
STAGES = (
    ("1-zero.txt", "zero", "2003-03-20", None),
    ("2-rev1.txt", "rev1", "2003-04-02", None),
    ("3-rev2.txt", "rev2", "2003-04-10", None),
    ("4-L11.txt", "E/CN.4/2003/L.11", "2003-04-17", "E/CN.4/2003/L.11"),
)


def _body() -> tuple[str, list[str], list[str]]:
    """(title, preambular paragraphs, operative paragraphs) of the adopted text."""
    text = ADOPTED.read_text(encoding="utf-8")
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
    title = f"{blocks[0]} {blocks[1]}"
    start = blocks.index("The Commission on Human Rights,") + 1
    first_op = next(i for i, b in enumerate(blocks) if re.match(r"1\. ", b))
    preamble = blocks[start:first_op]
    operative = []
    for b in blocks[first_op:]:
        m = re.match(r"(\d+)\. (.*)", b)
        if not m:
            break
        operative.append(m.group(2))
    return title, preamble, operative


def _informal(title: str, preamble: list[str], operative: list[tuple[str, str]], heading: str) -> str:
    """An informal draft: margin markers (PP1, OP3 bis ...) before each paragraph."""
    lines = [NOTICE, heading, "", title, "", "The Commission on Human Rights,", ""]
    lines += [f"PP{i} {p}\n" for i, p in enumerate(preamble, start=1)]
    lines += [f"{marker} {p}\n" for marker, p in operative]
    return "\n".join(lines)


def drafts() -> dict[str, str]:
    title, pp, op = _body()
    ops = {n: text for n, text in enumerate(op, start=1)}

    # Zero draft: no OP4 (the host's thanks), a stronger OP12 and OP17 in brackets, an alternative OP5.
    zero_pp = pp[:3] + [pp[3].replace("an important role", "[a crucial][an important] role")] + pp[4:]
    zero = [(f"OP{n}", t) for n, t in ops.items() if n < 4]
    zero += [(f"OP{n - 1}", t) for n, t in ops.items() if 4 < n <= 5]
    zero += [("OP4 alt", "[Takes note of the conclusions of the eleventh Workshop on the next steps to be taken;]")]
    for n, t in ops.items():
        if n <= 5:
            continue
        if n == 12:
            t = t.replace("Encourages Governments", "[Strongly encourages][Urges] Governments")
        if n == 17:
            t = t.replace("calls upon the High Commissioner", "[calls upon][requests] the High Commissioner")
        zero.append((f"OP{n - 1}", t))

    # rev1: brackets of PP4 agreed; OP3 bis (the host's thanks) added; the alternative dropped.
    rev1_pp = pp
    rev1 = [(m, t) for m, t in zero if m != "OP4 alt"]
    rev1.insert(3, ("OP3 bis", ops[4]))
    rev1 = [(m, t.replace("[Strongly encourages][Urges]", "[Strongly encourages]")) for m, t in rev1]

    # rev2: OP17's brackets agreed; two paragraphs tagged as agreed ad ref.
    rev2 = [(m, t.replace("[calls upon][requests]", "calls upon")) for m, t in rev1]
    rev2 = [(m, t + " (agreed ad ref)" if m in ("OP1", "OP2") else t) for m, t in rev2]

    # L.11: the tabled draft, numbered 1., 2. ... with no brackets; OP12 still "Strongly encourages".
    tabled = [t.replace(" (agreed ad ref)", "").replace("[Strongly encourages]", "Strongly encourages") for _, t in rev2]
    l11 = [NOTICE, "E/CN.4/2003/L.11, 17 April 2003, draft resolution", "", title, "",
           "The Commission on Human Rights,", ""]
    l11 += [f"{p}\n" for p in pp]
    l11 += [f"{n}. {t}\n" for n, t in enumerate(tabled, start=1)]

    return {
        "1-zero.txt": _informal(title, zero_pp, zero, "Zero draft, 20 March 2003"),
        "2-rev1.txt": _informal(title, rev1_pp, rev1, "Revision 1, 2 April 2003"),
        "3-rev2.txt": _informal(title, pp, rev2, "Revision 2, 10 April 2003"),
        "4-L11.txt": "\n".join(l11),
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in drafts().items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(STAGES)} constructed drafts to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
