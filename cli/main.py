"""The ``resdiff`` command: thin wrappers that parse arguments, call the library, map errors.

``resdiff OLD NEW`` is short for ``resdiff compare OLD NEW``: when the first
argument is not a command name, ``compare`` is assumed.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from resdiff.errors import InputError, OutputError, ResdiffError

app = typer.Typer(
    name="resdiff",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and plain usage errors: no boxes in a terminal or a log
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_DIFFERENT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class Format(StrEnum):
    """Output formats of ``compare``."""

    html = "html"
    json = "json"
    text = "text"
    md = "md"
    docx = "docx"


# Formats written to a file by default (named after both versions); the others go to stdout.
_FILE_FORMATS = {Format.html: "html", Format.docx: "docx"}


def err(message: str) -> None:
    """Write one line to stderr (stdout carries only the artifact); control characters escaped."""
    from resdiff.visible import visible

    typer.echo(visible(message), err=True)


@contextmanager
def guarded() -> Iterator[None]:
    """The one place where errors become exit codes: 2 for user errors, 3 for bugs."""
    try:
        yield
    except ResdiffError as exc:
        err(f"error: {exc.message}")
        if exc.hint:
            err(f"hint: {exc.hint}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (typer.Exit, typer.Abort):
        raise
    except KeyboardInterrupt:
        err("error: interrupted")
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader went away (resdiff ... -o - | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None
    except Exception as exc:  # noqa: BLE001 - any other exception is a bug in resdiff
        err(f"error: internal error: {type(exc).__name__}: {exc}")
        err("hint: this is a bug in resdiff; please report it with the command you ran and this trace:")
        err("".join(traceback.format_exception(exc, limit=-3)).rstrip())
        raise typer.Exit(EXIT_INTERNAL) from None


def _version(value: bool) -> None:
    if value:
        from resdiff import __version__

        typer.echo(f"resdiff {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Show how a UN resolution changed from one version to the next.

    resdiff OLD NEW is short for resdiff compare OLD NEW.

    \b
    Example: resdiff 2003/73 data/illustrative-draft-next-year.txt
    """


@app.command()
def compare(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Earlier version: a file path or a symbol (2003/73, E/CN.4/RES/2003/73, chr:2003/73).")],
    new: Annotated[Optional[str], typer.Argument(metavar="NEW", help="Later version: a file path or a symbol. Omit it to compare a stored version with the one before it in its series.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="html (default), json, text, md (Markdown) or docx (Word tracked changes).")] = Format.html,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file; '-' for stdout. Default: ./resdiff-OLD-vs-NEW.html (.docx) for html (docx), stdout otherwise.")] = None,
    author: Annotated[str, typer.Option("--author", help="Author of the tracked changes in --format docx.")] = "resdiff",
    date: Annotated[Optional[str], typer.Option("--date", metavar="YYYY-MM-DD", help="Date of the tracked changes in --format docx. Default: when the redline is made.")] = None,
    reproducible: Annotated[bool, typer.Option("--reproducible", help="Leave the time the report was made out of html, json and docx (SOURCE_DATE_EPOCH, when set, is used instead), so the same inputs give the same bytes.")] = False,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the versions differ (like git diff --exit-code).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    store: Annotated[Optional[str], typer.Option("--store", metavar="DIR", help="Version store to look symbols up in. Default: $RESDIFF_STORE, else resdiff's per-user data directory.")] = None,
    offline: Annotated[bool, typer.Option("--offline", envvar="RESDIFF_OFFLINE", help="Never download: a symbol must be in the store or bundled.")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", metavar="CODE", help="Language of both texts (ar, en, es, fr, ru, zh); default: detected from each text.")] = None,
) -> None:
    """Compare two versions of a resolution and write a redline.

    "-" reads that version from standard input. An existing path always wins
    over a symbol; an argument ending in .txt, .docx,
    .pdf, .html ... is a path. A symbol is looked up in the version store, then
    among the bundled texts, then downloaded from the UN into the store (unless
    --offline). With one symbol, compares that stored version with the one
    before it in its series.

    \b
    Example: resdiff 2003/73 data/illustrative-draft-next-year.txt -o redline.html
    """
    with guarded():
        from resdiff.compare import compare as compare_documents
        from resdiff.render import render_summary
        from resdiff.sources import check_comparable, load, predecessor, resolve

        if new is None:
            old, new = predecessor(old, store=store), old
        if old == new == "-":
            raise InputError("both versions cannot come from standard input", hint="give one of them as a file or symbol: resdiff 2003/73 -")
        target = _target(output, fmt, old, new)
        a, b = resolve(old, store=store, offline=offline, lang=lang), resolve(new, store=store, offline=offline, lang=lang)
        for w in a.warnings + b.warnings:
            err(f"warning: {w}")
        generated = generation_time(reproducible=reproducible)
        docs = load(a, lang=lang), load(b, lang=lang)
        check_comparable(*docs)
        result = compare_documents(*docs)
        _write(target, _render(fmt, result, old_name=a.name, new_name=b.name, author=author, date=date, generated=generated))
        if not quiet:
            err(render_summary(result, old_name=a.name, new_name=b.name).rstrip())
        if target is not None and not quiet:
            err(f"wrote {target}")
    if exit_code and result.differs:
        raise typer.Exit(EXIT_DIFFERENT)


def _render(fmt: Format, result, *, old_name: str, new_name: str, author: str, date: str | None, generated: str | None) -> str | bytes:
    """The artifact in the chosen format (docx is bytes, the others text)."""
    if fmt is Format.docx:
        from resdiff.docx_out import render_docx

        return render_docx(result, old_name=old_name, new_name=new_name, author=author, date=date, generated=generated)
    from resdiff import render

    if fmt in (Format.html, Format.json):
        renderer = render.render_html if fmt is Format.html else render.render_json
        return renderer(result, old_name=old_name, new_name=new_name, generated=generated)
    renderer = render.render_text if fmt is Format.text else render.render_md
    return renderer(result, old_name=old_name, new_name=new_name)


def generation_time(*, reproducible: bool) -> str | None:
    """When the report is made, as 2026-12-02T03:10:00Z: SOURCE_DATE_EPOCH when set, None with --reproducible, else now."""
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970",
                             hint="set it to an integer such as 1700000000, or unset it") from None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if reproducible:
        return None
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _target(output: str | None, fmt: Format, old: str, new: str) -> Path | None:
    """Where the artifact goes (None: stdout); checked before any work is done."""
    if output == "-" or (output is None and fmt not in _FILE_FORMATS):
        if fmt is Format.docx and sys.stdout.isatty():
            raise OutputError("a .docx is binary and stdout is a terminal", hint="write it to a file: -o redline.docx")
        return None
    if output is None:
        from resdiff.sources import default_name

        output = f"resdiff-{default_name(old)}-vs-{default_name(new)}.{_FILE_FORMATS[fmt]}"
    return output_path(output, inputs=(old, new))


def output_path(output: str, *, inputs: tuple[str, ...] = ()) -> Path:
    """Check an output file name before any work: its directory exists and it is not an input."""
    path = Path(output)
    if path.is_dir():
        raise OutputError(f"{output}: is a directory", hint="give a file name, e.g. -o redline.html")
    if not path.parent.exists():
        raise OutputError(f"{output}: directory {path.parent} does not exist", hint="create it first or choose another -o path")
    if not path.parent.is_dir():
        raise OutputError(f"{output}: {path.parent} is a file, not a directory", hint="choose another -o path")
    if path.exists() and any(Path(i).exists() and Path(i).resolve() == path.resolve() for i in inputs):
        raise OutputError(f"{output}: is one of the versions being compared; writing there would destroy it",
                          hint="choose another -o path")
    return path


def write_stdout(data: bytes) -> None:
    """The artifact to stdout; a full or failing device is an error line, a closed pipe ends quietly."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        # Nothing more can reach stdout: drop what is buffered so the interpreter's exit does not retry.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}",
                          hint="free some space or write to a file with -o PATH") from None


def _write(target: Path | None, artifact: str | bytes) -> None:
    """Write atomically: a temporary file beside the target, renamed at the end.

    A target that exists and is not a regular file (/dev/null, a named pipe) is
    written to as it is: renaming over it would replace the device itself.
    """
    data = artifact.encode("utf-8") if isinstance(artifact, str) else artifact
    if target is None:
        write_stdout(data)
        return
    if target.exists() and not target.is_file():
        try:
            with open(target, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}", hint="check the path and its permissions") from None
        return
    tmp = target.with_name(f".{target.name}.resdiff-tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the temporary file was never created
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}", hint="check the path and its permissions") from None


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``compare`` is the default command."""
    args = list(sys.argv[1:] if argv is None else argv)
    app(args=with_default_command(args), prog_name="resdiff")


def with_default_command(args: list[str]) -> list[str]:
    """Insert ``compare`` unless the first argument is a command name or a top-level option.

    Options of the comparison may come first: ``resdiff -o log.html a.txt b.txt``.
    """
    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    if not args or args[0] in names or args[0] in ("-h", "--help", "--version"):
        return args
    return ["compare", *args]


# The store commands (add, log, show, history, blame) live in their own module.
from resdiff.cli.store_commands import register as _register_store_commands  # noqa: E402

_register_store_commands(app)
