"""The real resolution texts that ship with resdiff in ``data/`` (package ``resdiff.data``).

Owns which files count as bundled texts (``<body>-<session>-<number>.txt``; the
illustrative draft does not) and reading them. Knows nothing of stores or downloads.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from .symbols import Symbol, parse_symbol

_BUNDLED = re.compile(r"(chr|hrc|ga|sc|ecosoc)-[a-z0-9-]+\.txt")


def bundled_symbols() -> list[Symbol]:
    """Symbols of the real texts that ship with resdiff."""
    found = [_symbol_of(entry.name) for entry in resources.files("resdiff.data").iterdir() if _BUNDLED.fullmatch(entry.name)]
    return sorted(found)


def bundled_bytes(symbol: Symbol) -> bytes | None:
    """The bundled file of ``symbol`` exactly as shipped; None when it is not bundled."""
    entry = resources.files("resdiff.data").joinpath(f"{symbol.slug}.txt")
    return entry.read_bytes() if entry.is_file() else None


def bundled_meta(symbol: Symbol) -> dict[str, str]:
    """What is recorded about a bundled text beside it (``data/bundled.json``): symbol, body,
    date, meeting. Fills what the text itself does not print (2002/82 has no symbol line)."""
    return dict(_recorded().get(f"{symbol.slug}.txt", {}))


@cache
def _recorded() -> dict[str, dict[str, str]]:
    entry = resources.files("resdiff.data").joinpath("bundled.json")
    return json.loads(entry.read_text(encoding="utf-8")) if entry.is_file() else {}


def bundled_source(symbol: Symbol) -> str:
    """How reports name a bundled text: ``data/chr-2003-73.txt``."""
    return f"data/{symbol.slug}.txt"


def _symbol_of(file_name: str) -> Symbol:
    body, _, rest = file_name.removesuffix(".txt").partition("-")
    session, _, number = rest.rpartition("-")
    return parse_symbol(f"{body}:{session}/{number}")
