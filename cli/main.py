"""The ``resdiff`` command's entry point and what its commands share: exit codes, messages, output.

``resdiff OLD NEW`` is short for ``resdiff compare OLD NEW``: when the first
argument is not a command name, ``compare`` is assumed.

The commands, their options and their help are the typer application in
``cli/app.py``. Loading typer costs more than a small comparison itself, so
``run`` takes a plain comparison (two versions and the common options, spelled
out in full) straight to ``compare_versions``; everything else -- help, the
other commands, ``--opt=value``, anything it is unsure of -- goes to typer, which
also words every usage error. Both paths call the same code with the same values.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from resdiff.errors import InputError, OutputError, ResdiffError

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

    if "typer" in sys.modules:  # under typer: its echo, as every command always has
        import typer

        typer.echo(visible(message), err=True)
        return
    # The fast path (no typer): what typer.echo does for a text stderr that is not ASCII (see fast_path).
    sys.stderr.write(visible(message) + "\n")
    sys.stderr.flush()


def _passes_through(exc: BaseException) -> bool:
    """typer's own exits (``typer.Exit``, ``typer.Abort``) raised inside a command: not errors."""
    if "typer" not in sys.modules:
        return False
    import typer

    return isinstance(exc, (typer.Exit, typer.Abort))


@contextmanager
def guarded() -> Iterator[None]:
    """The one place where errors become exit codes: 2 for user errors, 3 for bugs.

    Exits are ``SystemExit``: typer passes it through unchanged, and the fast path needs no typer.
    """
    try:
        yield
    except ResdiffError as exc:
        err(f"error: {exc.message}")
        if exc.hint:
            err(f"hint: {exc.hint}")
        raise SystemExit(EXIT_BAD_INPUT) from None
    except KeyboardInterrupt:
        err("error: interrupted")
        raise SystemExit(130) from None
    except BrokenPipeError:
        # The reader went away (resdiff ... -o - | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(141) from None
    except Exception as exc:  # noqa: BLE001 - any other exception is a bug in resdiff
        if _passes_through(exc):
            raise
        import traceback

        err(f"error: internal error: {type(exc).__name__}: {exc}")
        err("hint: this is a bug in resdiff; please report it with the command you ran and this trace:")
        err("".join(traceback.format_exception(exc, limit=-3)).rstrip())
        raise SystemExit(EXIT_INTERNAL) from None


def compare_versions(old: str, new: str | None = None, *, fmt: Format = Format.html, output: str | None = None,
                     author: str = "resdiff", date: str | None = None, reproducible: bool = False,
                     exit_code: bool = False, quiet: bool = False, store: str | None = None,
                     offline: bool = False, lang: str | None = None) -> None:
    """``resdiff compare``: the options as ``cli.app.compare`` documents them (and with its defaults)."""
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
        raise SystemExit(EXIT_DIFFERENT)


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
    plain = fast_path(args)
    if plain is not None:
        try:
            compare_versions(*plain[0], **plain[1])
        except KeyboardInterrupt:  # typer's answer to an interrupt outside a command's guard
            raise SystemExit(130) from None
        return
    from resdiff.cli.app import app

    app(args=with_default_command(args), prog_name="resdiff")


def with_default_command(args: list[str]) -> list[str]:
    """Insert ``compare`` unless the first argument is a command name or a top-level option.

    Options of the comparison may come first: ``resdiff -o log.html a.txt b.txt``.
    """
    from resdiff.cli.app import app

    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    if not args or args[0] in names or args[0] in ("-h", "--help", "--version"):
        return args
    return ["compare", *args]


_FLAGS = {"-q": "quiet", "--quiet": "quiet", "--reproducible": "reproducible", "--exit-code": "exit_code",
          "--offline": "offline"}
_VALUED = {"-f": "fmt", "--format": "fmt", "-o": "output", "--output": "output", "--author": "author",
           "--date": "date", "--store": "store", "--lang": "lang"}


def fast_path(args: list[str]) -> tuple[list[str], dict[str, object]] | None:
    """A plain ``resdiff OLD [NEW] [options]`` as (versions, options) for ``compare_versions``; None
    when typer must see it. Plain means: the first argument cannot be a command (no bare word), every
    option is one of ``compare``'s spelled as a separate word, every value is a word or "-", a format
    is one typer accepts, and nothing in the environment changes an option or asks for completion.
    Anything else gets typer's parsing and typer's message, so both paths behave the same."""
    if not args or _bare_word(args[0]) or os.environ.get("RESDIFF_OFFLINE") or "_RESDIFF_COMPLETE" in os.environ:
        return None
    if _ascii(sys.stderr):  # typer re-encodes an ASCII stderr as UTF-8; err() writes it as it is
        return None
    versions: list[str] = []
    options: dict[str, object] = {}
    words = iter(args)
    for word in words:
        if word in _FLAGS:
            options[_FLAGS[word]] = True
        elif word in _VALUED:
            value = next(words, None)
            if value is None or (value.startswith("-") and value != "-"):
                return None
            options[_VALUED[word]] = value
        elif word.startswith("-") and word != "-":
            return None
        else:
            versions.append(word)
    if not 1 <= len(versions) <= 2 or options.get("fmt", "html") not in Format.__members__:
        return None
    if "fmt" in options:
        options["fmt"] = Format(options["fmt"])
    return versions, options


def _bare_word(arg: str) -> bool:
    """A word that is, or could one day be, a command name ("log", "show"): typer decides."""
    return arg[:1].isalpha() and arg.replace("-", "").replace("_", "").isalnum() and arg.isascii()


def _ascii(stream) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return True


def __getattr__(name: str):
    """``app``, the typer application, loads on first use (``from resdiff.cli.main import app``)."""
    if name == "app":
        from resdiff.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
