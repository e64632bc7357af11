"""The typer application: ``resdiff``'s commands, options and help.

``resdiff.cli.main.run`` loads this module for everything but a plain comparison
(see ``main.fast_path``); tests and ``main.app`` reach it the same way. The
commands are thin: ``compare`` calls ``main.compare_versions``, the store
commands live in ``store_commands``.
"""

from typing import Annotated, Optional

import typer

from resdiff.cli.main import Format, compare_versions

app = typer.Typer(
    name="resdiff",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and plain usage errors: no boxes in a terminal or a log
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    compare_versions(old, new, fmt=fmt, output=output, author=author, date=date, reproducible=reproducible,
                     exit_code=exit_code, quiet=quiet, store=store, offline=offline, lang=lang)


# The store commands (add, fetch, log, show, history, blame) live in their own module.
from resdiff.cli.store_commands import register as _register_store_commands  # noqa: E402

_register_store_commands(app)
