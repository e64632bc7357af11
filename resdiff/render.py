"""Comparison -> HTML report, JSON, plain-text redline and a short summary.

The only module that imports jinja2. It owns the formats of a finished
``Comparison``: the jinja2 environment, the JSON contract and Markdown
escaping; the view model the templates read lives in ``report_view`` (and is
re-exported here). It does not parse, align or diff, and it reads no files but
its own templates: the caller passes the names to show and writes the result.

Every format is deterministic: the same comparison renders to the same string,
and no wall-clock time appears unless the caller passes ``generated`` (an ISO
``YYYY-MM-DDTHH:MM:SSZ`` stamp, the time the report was made, in UTC).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # jinja2 is imported when a template is first needed: JSON never pays for it
    from jinja2 import BaseLoader, BytecodeCache, Environment

from .model import Comparison, Document, PairDiff
from .report_view import (  # noqa: F401 - re-exported: render is where callers look for the view model
    PART_OF_SECTION, PART_TITLES, Block, Change, Ghost, Part, PairView, Version, display_name, generator,
    generator_line, long_date, pair_blocks, resdiff_version, summary, view_context,
)
from .visible import visible

JSON_VERSION = 1
"""Version of the JSON contract; bump it on any incompatible change."""


# ---------------------------------------------------------------- public API

def render_json(c: Comparison, *, old_name: str, new_name: str, generated: str | None = None) -> str:
    """The comparison as JSON contract version 1 (see README), newline-terminated.

    ``generator`` records resdiff's version, ``generated`` (null unless given)
    and the inputs as the user named them.
    """
    data = {
        "resdiff": JSON_VERSION,
        "generator": generator(old_name, new_name, generated),
        "old": _json_document(c.old),
        "new": _json_document(c.new),
        "pairs": [_json_pair(p) for p in c.pairs],
        "summary": summary(c),
        "warnings": list(c.warnings),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_html(c: Comparison, *, old_name: str, new_name: str, generated: str | None = None) -> str:
    """A self-contained HTML redline: inline CSS, no external resource, works with JavaScript off."""
    return environment().get_template("report.html").render(
        view_context(c, old_name, new_name, generated=generated, short_names=True))


def render_text(c: Comparison, *, old_name: str, new_name: str) -> str:
    """A plain-text redline in wdiff notation: ``[-deleted-]`` and ``{+inserted+}``."""
    return environment().get_template("report.txt").render(view_context(c, old_name, new_name))


def render_summary(c: Comparison, *, old_name: str, new_name: str) -> str:
    """About a dozen lines for stderr: both versions, counts, words, warnings."""
    return environment().get_template("summary.txt").render(view_context(c, old_name, new_name))


# ---------------------------------------------------------------- environment

@cache
def environment() -> Environment:
    """The one jinja2 environment of resdiff: autoescape (but for .txt and .md), StrictUndefined."""
    from jinja2 import Environment, StrictUndefined, select_autoescape

    # .txt templates produce plain text: escaping there would print "&amp;".
    # .md templates escape for Markdown instead, with the "md" filter.
    env = Environment(
        loader=_loader(),
        # Templates change only with resdiff itself: compiled once, kept in the user's cache directory.
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(disabled_extensions=("txt", "md"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every value a template prints: control characters escaped, bidi overrides named.
        finalize=lambda value: visible(value) if isinstance(value, str) else value,
    )
    env.filters["md"] = markdown_escape
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that nothing in it can end (every non-alphanumeric escaped)."""
    body = "".join(ch if ch.isalnum() and ch.isascii() else ("\\%x " % ord(ch)) for ch in text)
    return Markup(f'"{body}"')


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates in ``<user cache>/resdiff/templates-<version>``; None (compile each run) when
    that directory cannot be made. A cache that cannot be read or written is skipped, never an error."""
    import os

    from jinja2 import FileSystemBytecodeCache

    if os.environ.get("RESDIFF_NO_TEMPLATE_CACHE") == "1":
        return None

    class _Quiet(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    try:
        from platformdirs import user_cache_dir

        where = Path(user_cache_dir("resdiff")) / f"templates-{resdiff_version()}"
        where.mkdir(parents=True, exist_ok=True)
    except (OSError, ImportError):
        return None
    return _Quiet(str(where))


def _loader() -> BaseLoader:
    from jinja2 import FileSystemLoader, PackageLoader

    try:
        # Installed (wheel or editable): setuptools maps templates/ to resdiff.templates.
        return PackageLoader("resdiff.templates", "")
    except (ModuleNotFoundError, ValueError):
        # A bare checkout on PYTHONPATH: the folder sits beside the package.
        return FileSystemLoader(Path(__file__).resolve().parent.parent / "templates")


# ---------------------------------------------------------------- JSON

def _json_document(d: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"symbol": d.symbol, "title": d.title, "date": d.date, "source": d.source, "lang": d.lang}
    if d.footnotes:
        out["footnotes"] = [{"on": label, "text": text} for label, text in d.footnotes]
    if d.meta:
        out["meta"] = dict(d.meta)
    if d.dropped:
        out["dropped"] = list(d.dropped)
    return out


def _json_pair(p: PairDiff) -> dict[str, Any]:
    return {
        "old": list(p.old_labels),
        "new": list(p.new_labels),
        "status": p.status.value,
        "moved": p.moved,
        "renumbered": p.renumbered,
        "ops": [[op, text] for op, text in p.ops],
        "notes": list(p.notes),
        "routine": p.routine,
        "level": p.level,
        "absent": p.absent,
    }


# ---------------------------------------------------------------- Markdown

def render_md(c: Comparison, *, old_name: str, new_name: str) -> str:
    """A Markdown redline for issue trackers and e-mail.

    Deletions are ``<del>``, insertions ``<ins>``: GitHub and GitLab render both
    wherever they stand, while ``~~x~~`` fails next to punctuation
    (``Region~~;~~`` stays literal), which word diffs produce all the time.
    Every text from the documents goes through ``markdown_escape``.
    """
    return environment().get_template("report.md").render(view_context(c, old_name, new_name))


# Inline constructs: emphasis, code, strikethrough, links, HTML, table cells.
_MD_INLINE = re.compile(r"([\\`*_~\[\]<|])|&(?=#?\w+;)")
# Line-start constructs: headings, lists, block quotes, thematic breaks, setext.
_MD_LINE_START = re.compile(r"^(?:([-+#>=])|(\d+)([.)]))")


def markdown_escape(text: str, line_start: bool = False) -> str:
    """``text`` as Markdown that renders to exactly ``text``: no formatting, link or tag.

    ``line_start``: the text begins a line, where "- ", "# " or "1." would open a
    block; its leading blanks go (Markdown drops them anyway, and four would
    open a code block).
    """
    out = _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)
    if line_start:
        out = _MD_LINE_START.sub(_escape_marker, out.lstrip(" \t"), count=1)
    # A line break would end the paragraph or the table row: texts are single-line.
    return re.sub(r"[\r\n]+", " ", out)


def _escape_marker(m: re.Match[str]) -> str:
    return "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3)
