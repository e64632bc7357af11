"""The version-store commands: ``add``, ``fetch``, ``log``, ``show``, ``history``, ``blame``.

Thin wrappers that ``register(app)`` puts on ``resdiff.cli.main.app``: each parses its arguments,
calls ``resdiff.store`` and ``resdiff.history_report``, and writes the artifact
to stdout (or ``-o``); messages go to stderr. Errors become exit codes in
``guarded()``.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from resdiff.errors import InputError

StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", metavar="DIR", help="Store directory. Default: $RESDIFF_STORE, else resdiff's per-user data directory."),
]


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"
    source = "source"


def add(
    files: Annotated[list[str], typer.Argument(help="Adopted texts (.xml, .txt, .docx, .doc, .pdf, .html), directories of them, glob patterns, or - to read paths from standard input.", metavar="FILE|DIR...")],
    series: Annotated[Optional[str], typer.Option("--series", help="Put the texts in this series instead of the one their 'Recalling' paragraphs and titles point to.")] = None,
    symbol: Annotated[Optional[str], typer.Option("--symbol", help="Symbol, when the text does not print it (one FILE only).")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Adoption date YYYY-MM-DD, when the text does not print it (one FILE only).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Title, instead of the one read from the text (one FILE only).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Record a different text under a stored symbol as a correction; the earlier text is kept.")] = False,
    meta: Annotated[Optional[list[str]], typer.Option("--meta", metavar="FILE", help="JSON lines metadata (ga-akn/meta/78.json, or a directory of such .json files): votes, sponsors, committee and originating document of each version, matched by symbol. May be repeated.")] = None,
    draft_of: Annotated[Optional[str], typer.Option("--draft-of", metavar="SERIES|SYMBOL", help="File FILE as a draft (a stage of the negotiation) of this series: a series name, a stored symbol of it, or the L document a stored version was adopted from. Default for a text given --stage: found from its L symbol, recalls or title.")] = None,
    stage: Annotated[Optional[str], typer.Option("--stage", metavar="NAME", help="The draft's stage: zero, rev1, rev2 ..., the L symbol, oral. Default: the L symbol printed in the draft or given with --symbol.")] = None,
    store: StoreOption = None,
) -> None:
    """File adopted texts into the version store, one git commit per version.

    Versions may come in any order: each series is kept in adoption order.
    Adding a text that is already stored changes nothing. With several files
    (a directory, a pattern, or - for paths on standard input), a file that
    cannot be filed is reported and skipped, the others are filed, and the
    exit status is 1; nothing is half-written.

    \b
    Example: resdiff add ga-akn/en/77 ga-akn/en/78 --meta ga-akn/meta/77.json --meta ga-akn/meta/78.json
    Example: resdiff add rev1.docx --draft-of 2002/82 --stage rev1 --date 2003-04-10
    """
    as_draft = draft_of is not None or stage is not None or _is_l_symbol(symbol)
    if not as_draft:
        as_draft = _add_versions(files, series=series, symbol=symbol, date=date, title=title, replace=replace, meta=meta, store=store)
    if as_draft:
        _add_draft(files, draft_of=draft_of, stage=stage, symbol=symbol, date=date, replace=replace,
                   unused={"--series": series, "--title": title, "--meta": meta}, store=store)


def _add_versions(files: list[str], *, series: str | None, symbol: str | None, date: str | None, title: str | None,
                  replace: bool, meta: list[str] | None, store: str | None) -> bool:
    """``add`` of adopted texts; True (nothing filed) when the one FILE turns out to be a draft:
    no resolution symbol found, and its opening lines print an L document's."""
    from resdiff.errors import ResdiffError

    with guarded():
        from resdiff import bulk
        from resdiff.store import Received, Store

        paths, problems = bulk.expand(files, stdin=sys.stdin.read)
        single = len(files) == 1 and files[0] != "-" and not Path(files[0]).is_dir() and not problems
        if (symbol or date or title) and len(paths) != 1:
            raise InputError(f"--symbol, --date and --title describe one text, but {len(paths)} files were given",
                             hint="add that file on its own: resdiff add --date 2003-04-25 FILE")
        recorded = _meta(meta or [])
        given = {"symbol": symbol, "date": date, "title": title, "series": series}
        if single:
            items = [Received(_read(files[0]), files[0], **given)]
        else:
            items, unreadable = bulk.read(paths, **given)
            problems += unreadable
        with Store.open(store) as opened:
            _say_created(opened)
            try:
                filed = opened.file(items, replace_texts=replace, meta=recorded, skip_bad=not single,
                                    progress=_progress() if sys.stderr.isatty() and len(items) > 1 else None,
                                    workers=min(os.cpu_count() or 1, 4))
            except ResdiffError:
                # Read again only now: the common case (an adopted text) reads its file once.
                if single and symbol is None and not (title or series or meta) and _prints_l_symbol(items[0]):
                    return True
                raise
            where = opened.path
        _report(filed, problems, where, verbose=len(items) <= _LIST_EACH)
    if problems or filed.count("skipped"):
        raise typer.Exit(1)
    return False


def _is_l_symbol(symbol: str | None) -> bool:
    from resdiff.drafts import is_l_symbol

    return symbol is not None and is_l_symbol(symbol)


def _prints_l_symbol(item) -> bool:
    """The opening lines of a text print an L document's symbol (and no resolution's)."""
    from resdiff.drafts import find_l_symbol
    from resdiff.readers import read_bytes

    try:
        text = read_bytes(item.data, name=item.name).text
    except Exception:  # noqa: BLE001 - unreadable: the error already raised says so
        return False
    head = "\n".join(text.splitlines()[:12])
    return find_l_symbol(head) is not None and "/RES/" not in head.upper()


def _add_draft(files: list[str], *, draft_of: str | None, stage: str | None, symbol: str | None, date: str | None,
               replace: bool, unused: dict[str, object], store: str | None) -> None:
    with guarded():
        from resdiff.store import Received, Store

        given = [name for name, value in unused.items() if value]
        if given:
            raise InputError(f"{', '.join(given)}: not for a draft", hint="a draft takes --draft-of, --stage, --symbol (its L document) and --date")
        if len(files) != 1 or files[0] == "-" or Path(files[0]).is_dir():
            raise InputError(f"a draft is one file, but {len(files)} were given" if len(files) != 1 else f"{files[0]}: a draft is one file",
                             hint="add each stage on its own: resdiff add FILE --draft-of SERIES --stage NAME")
        item = Received(_read(files[0]), files[0], symbol=symbol, date=date)
        with Store.open(store) as opened:
            _say_created(opened)
            name, draft, outcome, warnings = opened.add_draft(item, draft_of=draft_of, stage=stage, replace_texts=replace)
        for w in warnings:
            err(f"warning: {w}")
        what = f"stage {draft.stage}" + (f" ({draft.document})" if draft.document and draft.document != draft.stage else "")
        verb = {"added": "added", "replaced": "replaced", "unchanged": "unchanged (already stored):"}[outcome]
        brackets = f"; {draft.unagreed} paragraph{'s' if draft.unagreed > 1 else ''} still bracketed" if draft.unagreed else ""
        err(f"{verb} {what} of {draft.date} to series {name}{brackets}")


_LIST_EACH = 20
"""Up to this many texts, each one's outcome is listed; beyond, only the summary (and every skipped one)."""


def _report(filed, problems, where, *, verbose: bool) -> None:
    from resdiff.store import SKIPPED

    for p in problems:
        err(f"skipped {p.name}: {p.reason}")
    for r in filed.results:
        for w in r.warnings if verbose else ():
            err(f"warning: {w}")
        if r.outcome == SKIPPED:
            err(f"skipped {r.name}: {r.reason}")
        elif verbose:
            verb = {"added": "added", "replaced": "replaced the text of", "updated": "updated the metadata of",
                    "unchanged": "unchanged (already stored):"}[r.outcome]
            closes = f"; it closes a drafting round of {r.stages} stored stage{'s' if r.stages != 1 else ''}" if r.stages else ""
            err(f"{verb} {r.symbol.short}{'' if r.lang == 'en' else f' ({r.lang})'} in series {r.series}{closes}")
    counts = {o: filed.count(o) for o in ("added", "updated", "replaced", "unchanged")}
    skipped = filed.count(SKIPPED) + len(problems)
    if not verbose or skipped:
        done = ", ".join(f"{n} {o}" for o, n in counts.items() if n) or "nothing filed"
        err(f"{done}; {skipped} skipped; series: {len(filed.created)} created, {len(filed.extended)} extended")
    if all(r.outcome in ("unchanged", SKIPPED) for r in filed.results):
        err(f"nothing changed in {where}")


def _meta(paths: list[str]):
    """The entries of every --meta file by symbol; an unreadable or malformed file is bad usage."""
    from resdiff.metadata import merge_meta, parse_meta

    tables = []
    for path in [str(f) for p in paths for f in (sorted(Path(p).glob("*.json")) if Path(p).is_dir() else [p])]:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"--meta {path}: cannot be read ({getattr(exc, 'strerror', None) or exc})",
                             hint="give a JSON lines metadata file such as ga-akn/meta/78.json") from None
        tables.append(parse_meta(text, name=path))
    return merge_meta(tables)


def _progress():
    """A progress line on stderr (called only for a terminal), rewritten in place."""

    def show(stage: str, done: int, total: int) -> None:
        if stage != "reading":
            sys.stderr.write(f"{stage} {total} series\n")
        elif done == total or done % 10 == 0:
            sys.stderr.write(f"\rreading {done}/{total}" + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show


class LogFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


class LogSort(StrEnum):
    name = "name"
    churn = "churn"


def log(
    series: Annotated[Optional[str], typer.Argument(help="A series name (or its start), or a symbol stored in it. Omit for every series.")] = None,
    fmt: Annotated[LogFormat, typer.Option("--format", "-f", help="text (default), json, or csv (csv and json of every series carry each step's changes and the votes).")] = LogFormat.text,
    sort: Annotated[LogSort, typer.Option("--sort", help="Order of the series: name (default) or churn (most words changed first).")] = LogSort.name,
    store: StoreOption = None,
) -> None:
    """List the series in the store, or one series' versions with what changed in each.

    For each version: symbol, adoption date, paragraphs, words inserted and
    deleted, paragraphs added, deleted and modified against the previous
    version, and the votes when a --meta file gave them. Stored drafts are
    listed (indented) before the version they led to, each against the stage
    before it, with the paragraphs still bracketed. Without SERIES,
    --format json or csv and --sort churn compare every step of every series
    (once: the results are kept in the store).

    \b
    Example: resdiff log --sort churn --format csv > series.csv
    """
    with guarded():
        from resdiff import history_report as out
        from resdiff.corpus import churn
        from resdiff.store import Store

        with Store.open(store) as opened:
            _say_created(opened)
            if series is not None:
                if fmt is LogFormat.csv:
                    raise InputError("--format csv lists every series", hint="omit SERIES: resdiff log --format csv")
                history = opened.history(opened.resolve_series(series))
                rounds = opened.rounds(history)
                text = out.log_json(history, rounds) if fmt is LogFormat.json else out.log_text(history, rounds)
            elif fmt is LogFormat.text and sort is LogSort.name:
                text = out.series_list_text(opened.catalogue())
            else:
                everything, stats = opened.all_stats(workers=min(os.cpu_count() or 1, 4))
                churns = {name: churn(s) for name, s in stats.items()}
                if sort is LogSort.churn:
                    everything = dict(sorted(everything.items(), key=lambda item: (-churns[item[0]], item[0])))
                text = {LogFormat.text: lambda: out.series_list_text(everything, churns),
                        LogFormat.json: lambda: out.corpus_json(everything, stats),
                        LogFormat.csv: lambda: out.corpus_csv(everything, stats)}[fmt]()
        _stdout(text)


def show(
    symbol: Annotated[str, typer.Argument(help="A stored symbol: 2003/73, chr:2003/73, E/CN.4/RES/2003/73; or a stored draft: SERIES@stage, SYMBOL@stage, an L symbol.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="text (one LABEL<TAB>paragraph per line), json, or source (the bytes as received).")] = ShowFormat.text,
    lang: Annotated[str, typer.Option("--lang", metavar="CODE", help="Show its text in this language (a stored language variant); default en.")] = "en",
    store: StoreOption = None,
) -> None:
    """Print a stored version: its text, everything kept about it, or its source bytes.

    \b
    Example: resdiff show 2003/73 --format json
    Example: resdiff show 78/198 --lang fr
    Example: resdiff show regional-cooperation@rev1
    """
    from resdiff.sources import names_draft

    if names_draft(symbol):
        _show_draft(symbol, fmt=fmt, lang=lang, store=store)
        return
    with guarded():
        from resdiff import history_report as out
        from resdiff.store import Store
        from resdiff.symbols import parse_symbol

        sym = parse_symbol(symbol)
        with Store.open(store) as opened:
            _say_created(opened)
            name, version = opened.require(sym)
            variant = None
            if lang != "en":
                from resdiff.history import document_of

                document_of(version, lang)  # a language it is not stored in: the error says which it is in
                variant = version.variant(lang)
            if fmt is ShowFormat.source:
                from resdiff.cli.main import write_stdout

                write_stdout(opened.source_bytes(version, variant.source if variant else None))
                return
            if fmt is ShowFormat.json:
                text = out.version_json(version, series=name, commit=opened.commit_of(sym), lang=lang,
                                        received=opened.received(version, variant.source if variant else None))
            else:
                text = variant.text if variant else version.text
        _stdout(text)


def _show_draft(spec: str, *, fmt: ShowFormat, lang: str, store: str | None) -> None:
    with guarded():
        from resdiff.negotiation_report import draft_json
        from resdiff.store import Store

        with Store.open(store) as opened:
            _say_created(opened)
            series, draft = opened.find_draft(spec)
            if lang != draft.lang:
                from resdiff.history import language_names

                raise InputError(f"{spec}: the draft is stored in {language_names([draft.lang])}, not in {language_names([lang])}",
                                 hint="a draft is kept in the language it was filed in; omit --lang")
            if fmt is ShowFormat.source:
                from resdiff.cli.main import write_stdout

                write_stdout(opened.draft_bytes(draft))
                return
            if fmt is ShowFormat.json:
                text = draft_json(series, draft, closes=opened.closing_version(series, draft), received=opened.draft_received(draft))
            else:
                text = draft.text
        _stdout(text)


def history(
    series: Annotated[str, typer.Argument(help="A series name (or its start), or a symbol stored in it.")],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file; '-' for stdout. Default: ./resdiff-history-SERIES.html.")] = None,
    store: StoreOption = None,
) -> None:
    """Write one HTML report of a whole series: timeline, change chart, paragraph lineage, every year's redline,
    and each drafting round (its stages, their redlines and a negotiation table per paragraph).

    \b
    Example: resdiff history 2003/73 -o history.html
    """
    with guarded():
        from resdiff.cli.main import _write
        from resdiff.history_report import render_history
        from resdiff.store import Store

        with Store.open(store) as opened:
            _say_created(opened)
            name = opened.resolve_series(series)
            target = _target(output, name)
            found = opened.history(name)
            html = render_history(found, opened.rounds(found))
        _write(target, html)
        if target is not None:
            err(f"wrote {target}")


def blame(
    symbol: Annotated[str, typer.Argument(help="A stored symbol.")],
    fmt: Annotated[TextOrJson, typer.Option("--format", "-f", help="text (default) or json.")] = TextOrJson.text,
    stages: Annotated[bool, typer.Option("--stages", help="Also the drafting stage (zero, rev1, the L document ...) of that version's round the wording dates from, where drafts are stored.")] = False,
    store: StoreOption = None,
) -> None:
    """Show each paragraph of a version with the version its wording dates from and the one it first appeared in.

    Paragraphs are followed through renumbering, moves, splits and merges;
    with --stages, into the drafts of the round that produced the wording.

    \b
    Example: resdiff blame 2003/73 --stages
    """
    with guarded():
        from resdiff import history_report as out
        from resdiff.history import blame as blame_lines
        from resdiff.store import Store
        from resdiff.symbols import parse_symbol

        sym = parse_symbol(symbol)
        with Store.open(store) as opened:
            _say_created(opened)
            name, _ = opened.require(sym)
            found = opened.history(name)
            lines = blame_lines(found, sym)
            if stages:
                from resdiff.negotiation import blame_stages

                lines = blame_stages(found, opened.rounds(found), sym, lines)
        _stdout(out.blame_json(lines) if fmt is TextOrJson.json else out.blame_text(lines, stages=stages))


def fetch(
    symbols: Annotated[list[str], typer.Argument(help="Symbols to download: 2002/82, E/CN.4/RES/2002/82, chr:2002/82, hrc:7/12 ...", metavar="SYMBOL...")],
    replace: Annotated[bool, typer.Option("--replace", help="Record the downloaded text as a correction when a different text is stored under the symbol.")] = False,
    lang: Annotated[str, typer.Option("--lang", metavar="CODE", help="Language to download (ar, en, es, fr, ru, zh); a text in another language than English is filed as a language variant of the stored English version.")] = "en",
    store: StoreOption = None,
) -> None:
    """Download resolutions from the UN by symbol and file them in the version store.

    Tries the UN Official Document System (PDF, then Word), then the OHCHR
    resolver for Commission texts; politely (one request a second), naming
    resdiff in the User-Agent. Each download is kept with its URL, sha256 and
    time received. Base URLs: $RESDIFF_ODS_BASE, $RESDIFF_OHCHR_BASE.

    \b
    Example: resdiff fetch 2002/82 2001/77
    Example: resdiff fetch 78/198 --lang es
    """
    with guarded():
        from resdiff import lang as languages
        from resdiff.sources import download
        from resdiff.symbols import parse_symbol

        if lang not in languages.CODES:
            raise InputError(f"--lang {lang}: not a language resdiff knows",
                             hint=f"give one of the six official languages: {', '.join(languages.CODES)}")
        wanted = [parse_symbol(s) for s in symbols]  # all malformed symbols fail before any request
        for symbol in wanted:
            got = download(symbol, store=store, replace=replace, lang=lang)
            verb = {"added": "fetched", "replaced": "fetched (replacing the stored text of)", "unchanged": "fetched (already stored, unchanged):"}[got.outcome]
            what = symbol.short if got.lang == "en" else f"{symbol.short} in {languages.table(got.lang).name}"
            err(f"{verb} {what} from {got.url} ({got.size} bytes, sha256 {got.sha256[:12]}) in series {got.series}")
            if got.lang != lang:
                err(f"warning: asked for {languages.table(lang).name}, but the text downloaded reads as {languages.table(got.lang).name}, and was filed so")


@contextmanager
def guarded() -> Iterator[None]:
    # main.py imports this module to register the commands, so main is imported late, at call time.
    from resdiff.cli.main import guarded as main_guarded

    with main_guarded():
        yield


def err(message: str) -> None:
    from resdiff.cli.main import err as main_err

    main_err(message)


def register(app: typer.Typer) -> None:
    """Add the store commands to ``app`` (main.py does this for the ``resdiff`` command)."""
    for command in (add, fetch, log, show, history, blame):
        app.command()(command)


def _say_created(opened) -> None:
    if opened.created:
        seeded = ", ".join(v.symbol.short for vs in opened.series().values() for v in vs) or "nothing"
        err(f"created the version store {opened.path} (with the bundled texts: {seeded})")


def _read(path: str) -> bytes:
    """The bytes of a file exactly as they are: the store keeps them unchanged."""
    from resdiff.readers import read_file

    return read_file(Path(path))


def _target(output: str | None, series: str) -> Path | None:
    """Where the report goes (None: stdout), checked before the work is done."""
    if output == "-":
        return None
    from resdiff.cli.main import output_path

    return output_path(output or f"resdiff-history-{series}.html")


def _stdout(text: str) -> None:
    from resdiff.cli.main import write_stdout
    from resdiff.visible import visible

    write_stdout(visible(text).encode("utf-8"))  # no live control characters; a full stdout is an error line
