"""Bytes of a user's file -> plain text: the only package that knows file formats.

Owns the public API (``read_path``, ``read_bytes``, ``sniff``, ``ReadText``) and
the settings every reader obeys (``MAX_BYTES``, ``SOFFICE_TIMEOUT``); recognising
a format by its magic bytes (never the extension); the size limit, unreadable
paths, empty and binary files; and handing the bytes to the module for their
format: ``text`` (.txt and encodings), ``docx`` (Word, with its list numbers),
``pdf`` (without page furniture, hard wraps joined), ``html`` (main content
only), ``legacy`` (.doc through LibreOffice; WordPerfect refused) and ``akn``
(Akoma Ntoso XML, whose reader also returns the ``Document`` built from the
markup in ``ReadText.document``; any other XML is refused). Output paragraphs
are separated by blank lines (see ``base``).

Does not own what the paragraphs mean or the layout noise inside a .txt: that
is ``parse``. The only home of python-docx, pdfminer.six and lxml, imported
lazily so that the CLI starts fast.

Readers look ``MAX_BYTES`` and ``SOFFICE_TIMEOUT`` up here when they run, so
setting ``resdiff.readers.MAX_BYTES`` changes every limit at once.
"""

from __future__ import annotations

import re
import shutil  # noqa: F401  tests patch readers.shutil.which to hide LibreOffice from legacy
from pathlib import Path
from typing import BinaryIO

from resdiff.errors import InputError

from importlib import import_module

from .akn import xml_kind
from .base import ReadText, empty, size
from .text import bom

MAX_BYTES = 20 * 1024 * 1024
"""Largest file read, in bytes. Resolutions are well under 1 MB even as PDF."""

SOFFICE_TIMEOUT = 60
"""Seconds a LibreOffice .doc conversion may take before it is killed."""

__all__ = ["MAX_BYTES", "SOFFICE_TIMEOUT", "ReadText", "read_bytes", "read_file", "read_limited", "read_path", "sniff"]

_SUPPORTED = "resdiff reads .txt, .docx, .doc, .pdf and .html files, and Akoma Ntoso .xml"

_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# Bytes that plain text does not contain: C0 controls except tab, LF, FF, CR, ESC.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff(data: bytes) -> str:
    """The format of ``data`` from its first bytes: "pdf", "docx", "doc", "wpd",
    "html", "akn" (an ``akomaNtoso`` root in the Akoma Ntoso 3.0 namespace),
    "xml" (other XML: the AKN reader parses it safely, then refuses it), "txt"
    or "binary". File names are never consulted; an XHTML page
    (``<?xml ...?><html>``) is "html"."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # Zip member names are stored uncompressed, so a bytes search suffices.
        return "docx" if b"word/document.xml" in data else "binary"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"\xffWPC"):
        return "wpd"
    found = bom(data)
    if found is not None:
        head = data[found[0]:found[0] + 4096].decode(found[1], errors="ignore")
        return "html" if _HTML_START.match(head) else xml_kind(data) or "txt"
    if _HTML_START.match(data[:4096].decode("latin-1")):
        return "html"
    if (kind := xml_kind(data)) is not None:
        return kind
    return "binary" if _looks_binary(data) else "txt"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters (text with a BOM is handled before)."""
    if b"\x00" in data:
        return _utf16_without_bom(data) is None
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return bool(sample) and controls > 0.3 * len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``data`` is UTF-16 text without a byte order mark.

    Such text has a NUL in every other byte for Latin script: every even (big-endian)
    or odd (little-endian) byte of the sample is NUL, and it decodes to printable text.
    """
    if len(data) % 2 or len(data) < 8:
        return None
    sample = data[:4096]
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if all(c.isprintable() or c in "\r\n\t\f" for c in text[:2048]):
                return codec
    return None


def read_path(path: Path) -> ReadText:
    """Read the file at ``path``; every failure is an ``InputError`` with a hint."""
    return read_bytes(read_file(path), name=str(path))


def read_file(path: Path) -> bytes:
    """The bytes of the file at ``path``, exactly as they are and at most ``MAX_BYTES`` of them;
    every failure is an ``InputError`` naming the file, with a hint."""
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file",
                             hint="give the path of one .txt, .docx, .doc, .pdf or .html file")
        if path.stat().st_size > MAX_BYTES:
            raise _too_large(str(path), path.stat().st_size)
        # The size a device, pipe or /proc file reports is no bound: read at most one byte past the limit.
        with path.open("rb") as stream:
            return read_limited(stream, str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file",
                         hint="check the spelling and the directory you run resdiff from") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied",
                         hint="check its permissions, or copy it somewhere readable") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})",
                         hint="check the path points to an ordinary file") from None


def read_limited(stream: BinaryIO, name: str) -> bytes:
    """All of ``stream`` (a file, pipe, device or stdin), refusing it once it passes ``MAX_BYTES``."""
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(1 << 20, MAX_BYTES + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:
            raise InputError(f"{name}: more than {size(MAX_BYTES)} of input, over the limit",
                             hint="a resolution is far smaller; check that this is the right file or stream")


def read_bytes(data: bytes, *, name: str) -> ReadText:
    """Extract plain text from ``data``; ``name`` is used only in messages."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data:
        raise empty(name)
    kind = sniff(data)
    if kind == "binary":
        raise _binary(name, data)
    if kind == "txt" and (codec := _utf16_without_bom(data)) is not None:
        text = data.decode(codec).replace("\r\n", "\n").replace("\r", "\n")
        return ReadText(text, "txt", (f"{name}: UTF-16 without a byte order mark; read as {codec.upper()}",))
    module, function = _READERS[kind]
    # Each format's module is imported when a file of that format arrives: a start-up cost saved.
    return getattr(import_module(f".{module}", __name__), function)(data, name)


def _too_large(name: str, n: int) -> InputError:
    return InputError(f"{name}: file is {size(n)}, over the {size(MAX_BYTES)} limit",
                      hint="a resolution is far smaller; check that this is the right file")


def _binary(name: str, data: bytes) -> InputError:
    if data.startswith(b"PK\x03\x04"):
        from .docx import zip_error

        return zip_error(name, data)
    return InputError(f"{name}: binary file, not a text document",
                      hint=f"{_SUPPORTED}; save or export the document as one of these")


_READERS: dict[str, tuple[str, str]] = {
    "txt": ("text", "read_txt"), "docx": ("docx", "read_docx"), "pdf": ("pdf", "read_pdf"), "html": ("html", "read_html"),
    "doc": ("legacy", "read_doc"), "wpd": ("legacy", "read_wpd"), "akn": ("akn", "read_akn"), "xml": ("akn", "read_akn"),
}
"""Format -> (module of this package, its reader function)."""


def __getattr__(name: str):
    # The PDF reader's internals, for tests: imported on first use like the reader itself.
    if name in ("_drop_furniture", "_pdf_paragraphs", "_Row"):
        return getattr(import_module(".pdf", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
