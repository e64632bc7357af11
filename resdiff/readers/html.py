"""HTML pages: the main text, with list numbers, as paragraphs.

Owns the page's declared charset (decoding itself is ``text``'s), a forgiving
element tree built with the standard library's HTMLParser, choosing the main
content (<main>, else the largest <article>, else the page) while dropping
navigation, scripts and hidden elements, and turning blocks into paragraphs
with "N." before ordered-list items. Does not fetch pages (that is ``fetch``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterator

from .base import ReadText, counter_text, join, require_text, to_int
from .text import decode

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
_DROP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
         "template", "head", "svg", "button", "select", "iframe"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
          "ul", "ol", "dl", "dt", "dd", "blockquote", "section", "article", "main",
          "body", "pre", "hr", "center", "address", "figure", "figcaption", "caption"}
# Implied end tags: opening the key closes an open element named in the value.
_CLOSES = {"p": {"p"}, "li": {"li", "p"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
           "th": {"td", "th"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}}
_MAX_DEPTH = 200
_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Browsers read these labels as Windows-1252, and a UTF-16 label that could be
# read in ASCII as UTF-8 (WHATWG Encoding Standard).
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
_AS_UTF8 = {"utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list  # of _Node | str


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unknown end tags are ignored, common implied
    end tags (p, li, td, ...) are applied."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, [])
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        closes = _CLOSES.get(tag, set()) | ({"p"} if tag in _BLOCK - {"br"} else set())
        while self._stack[-1].tag in closes:
            self._stack.pop()
        node = _Node(tag, {k: v or "" for k, v in attrs}, [])
        self._stack[-1].children.append(node)
        # Past _MAX_DEPTH (unclosed tags pile up on bad pages) content stays in
        # the parent, so rendering cannot exhaust Python's recursion limit.
        if tag not in _VOID and len(self._stack) < _MAX_DEPTH:
            self._stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


class _Blocks:
    """Collects text into paragraphs; a pending list label goes before the
    first text of its item."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self.label = ""

    def text(self, text: str) -> None:
        if self.label and text.strip():
            self._buffer.append(self.label + " ")
            self.label = ""
        self._buffer.append(text)

    def preformatted(self, text: str) -> None:
        """<pre> keeps its lines, as a .txt does; blank lines separate paragraphs."""
        self.brk()
        self.paragraphs.extend(p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip())

    def brk(self) -> None:
        # HTML collapses ASCII whitespace only; a no-break space is text.
        paragraph = re.sub(r"[ \t\n\r\f]+", " ", "".join(self._buffer)).strip()
        if paragraph:
            self.paragraphs.append(paragraph)
        self._buffer = []


def read_html(data: bytes, name: str) -> ReadText:
    text, warnings = _html_decode(data, name)
    # A DOCTYPE with an internal subset ("<!DOCTYPE html [ ... ]>") is no text; Python's parser
    # would end it at the first ">" and leave "]>" behind. Its entities are never expanded.
    text = _INTERNAL_SUBSET.sub("", text, count=1)
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    blocks = _Blocks()
    _render(_main_node(builder.root), blocks)
    blocks.brk()
    return ReadText(require_text(join(blocks.paragraphs), name, "the web page"), "html",
                    tuple(warnings))


def _html_decode(data: bytes, name: str) -> tuple[str, list[str]]:
    match = _CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii").lower() if match else None
    if declared in _AS_CP1252:
        declared = "cp1252"
    elif declared in _AS_UTF8:
        declared = "utf-8"
    try:
        info = codecs.lookup(declared) if declared else None
    except LookupError:
        return decode(data, name)[0], [f"{name}: unknown charset {declared!r}; read as UTF-8"]
    if info is not None and not getattr(info, "_is_text_encoding", True):
        # "rot13", "hex", "base64", "zip" are transforms, not character sets.
        text, warnings = decode(data, name)
        return text, [f"{name}: charset {declared!r} is not a text encoding; ignored", *warnings]
    return decode(data, name, info.name if info else None)


def _main_node(root: _Node) -> _Node:
    """<main> (or role=main), else the <article> with most text, else everything."""
    nodes = list(_iter_nodes(root))
    for node in nodes:
        if node.tag == "main" or node.attrs.get("role") == "main":
            return node
    articles = [n for n in nodes if n.tag == "article"]
    return max(articles, key=lambda n: len(_plain(n))) if articles else root


def _iter_nodes(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if isinstance(child, _Node) and not _dropped(child):
            yield child
            yield from _iter_nodes(child)


def _plain(node: _Node) -> str:
    return "".join(c if isinstance(c, str) else _plain(c) for c in node.children
                   if isinstance(c, str) or not _dropped(c))


def _dropped(node: _Node) -> bool:
    return (node.tag in _DROP or node.attrs.get("role") in _DROP_ROLES
            or "hidden" in node.attrs)


def _render(node: _Node, out: _Blocks) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.text(child)
        elif _dropped(child):
            continue
        elif child.tag == "ol":
            out.brk()
            _render_list(child, out)
        elif child.tag == "pre":
            out.preformatted(_plain(child))
        elif child.tag in _BLOCK:
            out.brk()
            _render(child, out)
            out.brk()
        elif child.tag in ("td", "th"):
            out.text(" ")
            _render(child, out)
            out.text(" ")
        else:
            _render(child, out)


def _render_list(ol: _Node, out: _Blocks) -> None:
    """Render <ol> items with "N." before each, honouring start/value/reversed."""
    items = [c for c in ol.children if isinstance(c, _Node) and c.tag == "li"]
    step = -1 if "reversed" in ol.attrs else 1
    number = to_int(ol.attrs.get("start"), len(items) if step < 0 else 1)
    fmt = _OL_TYPES.get(ol.attrs.get("type", ""), "decimal")
    for child in ol.children:
        if isinstance(child, _Node) and child.tag == "li" and not _dropped(child):
            number = to_int(child.attrs.get("value"), number)
            out.brk()
            out.label = counter_text(number, fmt) + "."
            _render(child, out)
            out.brk()
            out.label = ""
            number += step
        elif isinstance(child, _Node):
            _render(_Node("div", {}, [child]), out)

