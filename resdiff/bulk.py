"""Command-line arguments of ``resdiff add`` -> the files they name, read.

Owns the rule for what an argument of ``add`` means: an existing file is that
file; a directory is every file in it and below whose name ends in a document
extension (hidden files and folders skipped), in name order; an argument with
``*``, ``?`` or ``[`` that names no file is a glob pattern that resdiff expands
itself (for shells that did not); ``-`` reads one path per line from standard
input. Each file is listed once. What cannot be found or read becomes a
``Problem`` (the path and one line why) instead of stopping the others.

Does not own reading a file's format (``readers``) or filing it (``store``).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import readers
from .errors import InputError
from .store.records import Received

EXTENSIONS = (".xml", ".txt", ".text", ".docx", ".doc", ".pdf", ".html", ".htm", ".xhtml")
"""Files a directory contributes; a file named on its own may have any name."""
_GLOB = set("*?[")


@dataclass(frozen=True)
class Problem:
    """An argument or file left out of a bulk add, and why (one line)."""

    name: str
    reason: str


def expand(args: Sequence[str], *, stdin: Callable[[], str]) -> tuple[list[str], list[Problem]]:
    """The files the arguments name, in order and each once, and the arguments that name none."""
    paths: dict[str, None] = {}
    problems = []
    for arg in args:
        if arg == "-":
            found = [line.strip() for line in stdin().splitlines() if line.strip()]
            problems += [Problem("-", "standard input lists no paths")] if not found else []
            more, bad = expand([a for a in found if a != "-"], stdin=lambda: "")
            paths.update(dict.fromkeys(more))
            problems += bad
        elif os.path.isdir(arg):
            found = _walk(arg)
            paths.update(dict.fromkeys(found))
            problems += [] if found else [Problem(arg, f"directory holds no {', '.join(EXTENSIONS[:6])} ... files")]
        elif os.path.exists(arg) or not (_GLOB & set(arg)):
            paths[arg] = None
        else:
            found = sorted(glob.glob(arg, recursive=True))
            paths.update(dict.fromkeys(f for f in found if os.path.isfile(f)))
            problems += [] if found else [Problem(arg, "no file matches this pattern")]
    return list(paths), problems


def read(paths: Sequence[str], **given: str | None) -> tuple[list[Received], list[Problem]]:
    """Each file's bytes as received (``given``: ``symbol``, ``date``, ``title``, ``series``), or why it cannot be read."""
    items, problems = [], []
    for path in paths:
        try:
            items.append(Received(readers.read_file(Path(path)), path, **given))
        except InputError as exc:
            # The reason without the path, which the skipped line names already.
            problems.append(Problem(path, exc.message.removeprefix(f"{path}: ")))
    return items, problems


def _walk(top: str) -> list[str]:
    out = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(root, f) for f in sorted(files) if not f.startswith(".") and f.lower().endswith(EXTENSIONS)]
    return out
