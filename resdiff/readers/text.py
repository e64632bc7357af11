"""Plain-text files and text encodings.

Owns byte order marks and the choice of codec (BOM, then a declared charset,
then UTF-8, else Windows-1252 with a warning), and reading a .txt: decoded and
with line ends made "\\n", its layout otherwise left alone. Does not own the
layout noise inside a .txt (that is ``parse``) nor how an HTML page declares
its charset (that is ``html``).
"""

from __future__ import annotations

import codecs

from .base import ReadText, empty

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom(data: bytes) -> tuple[int, str] | None:
    """(BOM length, codec) when ``data`` starts with a Unicode byte order mark."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return len(mark), codec
    return None


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode by BOM, then ``declared``, then UTF-8, else Windows-1252 with a warning."""
    found = bom(data)
    if found is not None:
        data, declared = data[found[0]:], found[1]
    for codec in [c for c in (declared, "utf-8") if c]:
        try:
            return data.decode(codec), []
        except UnicodeDecodeError:
            if codec == declared:
                return data.decode(codec, errors="replace"), [
                    f"{name}: not valid {codec}; undecodable bytes replaced"]
    # cp1252 leaves five bytes undefined; "replace" keeps going rather than failing.
    return data.decode("cp1252", errors="replace"), [
        f"{name}: not UTF-8; decoded as Windows-1252"]


def read_txt(data: bytes, name: str) -> ReadText:
    text, warnings = decode(data, name)
    if not text.strip():
        raise empty(name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ReadText(text, "txt", tuple(warnings))
