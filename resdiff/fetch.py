"""Downloading resolutions: a ``Symbol`` in, the document's bytes out.

Owns every URL, HTTP request, retry and politeness rule of resdiff: this is the
only module that touches the network. It tries the UN Official Document System
(ODS) first, as PDF then as a word-processor file, and for the years the OHCHR
legacy resolver covers, that resolver last. It sniffs the bytes so that an HTML
error page is never taken for a resolution.

It does not read the documents (see ``readers``), store them (see ``store``), or
decide when to go online (the CLI's ``--offline``); it never prints.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import re
import shlex
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from importlib import metadata
from typing import Any, Protocol

from .errors import FetchError, SymbolError
from .readers import sniff as sniff_format
from .symbols import Body, Symbol, parse_symbol

# --- Every URL resdiff knows, in one place (see docs/domain.md, "Where texts come from").
ODS_BASE = "https://documents.un.org"
OHCHR_BASE = "https://ap.ohchr.org/documents"
ODS_URL = "{base}/api/symbol/access?s={symbol}&l={lang}&t={type}"
OHCHR_PAGE_URL = "{base}/dpage_e.aspx?si={symbol}"
OHCHR_FILE_ROOT = "{base}/"
HOMEPAGE = "https://github.com/resdiff/resdiff"

#: Bodies shorter than this are an ODS "not yet published" placeholder, not a resolution.
MIN_DOCUMENT_BYTES = 1000
#: OHCHR resolver pages shorter than this say the symbol is unknown.
MIN_OHCHR_PAGE_BYTES = 500
#: The years and sessions the OHCHR legacy resolver holds.
OHCHR_CHR_YEARS = range(1993, 2006)
OHCHR_HRC_SESSIONS = range(1, 12)

#: Kinds (from ``readers.sniff``) that a resolution file may be; anything else is refused.
DOCUMENT_KINDS = frozenset({"pdf", "docx", "doc", "wpd"})


def _version() -> str:
    try:
        return metadata.version("resdiff")
    except metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"resdiff/{_version()} (+{HOMEPAGE})"


@dataclass(frozen=True)
class FetchConfig:
    """Where and how politely to download."""

    ods_base: str = ODS_BASE
    """Root of the Official Document System; tests point it at a local server."""
    ohchr_base: str = OHCHR_BASE
    """Root of the OHCHR legacy documents site (the resolver and its files)."""
    timeout: float = 30.0
    """Seconds to wait for a connection or for the next bytes of a response."""
    retries: int = 3
    """Attempts per URL for transient failures (timeouts, resets, refused, 5xx, 429)."""
    backoff: float = 1.0
    """Seconds before the second attempt; doubled before each further one."""
    min_interval: float = 1.0
    """At least this many seconds between the starts of any two requests of the process."""

    @classmethod
    def from_env(cls) -> FetchConfig:
        """Defaults, overridable by RESDIFF_ODS_BASE, RESDIFF_OHCHR_BASE, RESDIFF_FETCH_TIMEOUT,
        RESDIFF_FETCH_RETRIES, RESDIFF_FETCH_BACKOFF and RESDIFF_FETCH_INTERVAL (seconds)."""
        env = os.environ
        return cls(
            ods_base=env.get("RESDIFF_ODS_BASE") or ODS_BASE,
            ohchr_base=env.get("RESDIFF_OHCHR_BASE") or OHCHR_BASE,
            timeout=_env_number("RESDIFF_FETCH_TIMEOUT", cls.timeout),
            retries=int(_env_number("RESDIFF_FETCH_RETRIES", cls.retries)),
            backoff=_env_number("RESDIFF_FETCH_BACKOFF", cls.backoff),
            min_interval=_env_number("RESDIFF_FETCH_INTERVAL", cls.min_interval),
        )


def _env_number(name: str, default: float) -> float:
    """A non-negative number from the environment; a bad value is a user error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise FetchError(f"{name}={raw!r} is not a non-negative number", hint=f"unset {name} or give seconds/attempts, e.g. {default:g}")
    return value


@dataclass(frozen=True)
class Download:
    """The bytes of one resolution and where and when they came from."""

    symbol: Symbol
    """The resolution that was asked for."""
    data: bytes
    """The file exactly as received."""
    url: str
    """The final URL, after redirects."""
    sha256: str
    """Hex SHA-256 of ``data``, for recording the source next to the text."""
    received: str
    """ISO 8601 UTC time of receipt, e.g. ``2026-10-01T12:00:00Z``."""
    kind: str
    """What the bytes are, by their magic number: pdf, docx, doc or wpd (see ``sniff``)."""


class Opener(Protocol):
    """What ``fetch`` needs from an opener: ``urllib.request.OpenerDirector.open``."""

    def open(self, fullurl: urllib.request.Request, data: None = None, timeout: float = ...) -> Any: ...


def sniff(data: bytes) -> str | None:
    """The kind of file ``data`` is by its first bytes: pdf/docx/doc/wpd, "html", or None.

    ``readers.sniff`` decides; its "txt" and "binary" both mean "not a resolution" here.
    """
    kind = sniff_format(data)
    return kind if kind in DOCUMENT_KINDS or kind == "html" else None


def candidate_urls(symbol: Symbol, config: FetchConfig, lang: str = "en") -> list[tuple[str, str]]:
    """(source name, URL) for every source that may hold ``symbol`` in ``lang``, in the order tried.
    The OHCHR legacy resolver serves English pages only."""
    quoted = urllib.parse.quote(_url_symbol(symbol), safe="")
    ods = config.ods_base.rstrip("/")
    urls = [
        ("ODS pdf", ODS_URL.format(base=ods, symbol=quoted, lang=lang, type="pdf")),
        ("ODS doc", ODS_URL.format(base=ods, symbol=quoted, lang=lang, type="doc")),
    ]
    if lang == "en" and _in_ohchr_resolver(symbol):
        urls.append(("OHCHR", OHCHR_PAGE_URL.format(base=config.ohchr_base.rstrip("/"), symbol=quoted)))
    return urls


def _url_symbol(symbol: Symbol) -> str:
    # ODS writes Security Council symbols without the space: S/RES/1325(2000).
    return symbol.full.replace(" ", "") if symbol.body is Body.SC else symbol.full


def _in_ohchr_resolver(symbol: Symbol) -> bool:
    if not symbol.session.isdigit():
        return False  # SC symbols and HRC special sessions (S-1) are not covered
    if symbol.body is Body.CHR:
        return int(symbol.session) in OHCHR_CHR_YEARS
    return symbol.body is Body.HRC and int(symbol.session) in OHCHR_HRC_SESSIONS


def fetch(symbol: Symbol, *, config: FetchConfig | None = None, opener: Opener | None = None,
          lang: str = "en") -> Download:
    """Download ``symbol`` in ``lang`` (the ODS ``l=`` parameter) from the first source that has it;
    raise ``FetchError`` otherwise.

    ``config`` defaults to ``FetchConfig.from_env()``. ``opener`` replaces urllib's
    default opener (which follows redirects); anything with its ``open`` will do.
    """
    config = config or FetchConfig.from_env()
    opener = opener or urllib.request.build_opener()
    failures: list[tuple[str, _SourceFailed]] = []
    dead_hosts: set[str] = set()
    for source, url in candidate_urls(symbol, config, lang):
        host = urllib.parse.urlsplit(url).netloc
        if host in dead_hosts:
            # Retrying an unreachable host for every source only delays the answer.
            failures.append((source, _SourceFailed("unreachable", "skipped, host unreachable")))
            continue
        try:
            return _from_source(symbol, source, url, config, opener)
        except _SourceFailed as failure:
            failures.append((source, failure))
            if failure.kind == "unreachable":
                dead_hosts.add(host)
    raise _summarise(symbol, failures)


def _from_source(symbol: Symbol, source: str, url: str, config: FetchConfig, opener: Opener) -> Download:
    if source == "OHCHR":
        url = _ohchr_file_url(url, config, opener)
    reply = _request(url, config, opener)
    kind = _check_document(reply)
    return Download(
        symbol=symbol,
        data=reply.body,
        url=reply.url,
        sha256=hashlib.sha256(reply.body).hexdigest(),
        received=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        kind=kind,
    )


# --- Outcomes of one source. Internal: only ``FetchError`` leaves this module.


class _SourceFailed(Exception):
    """One source did not yield the document; ``kind`` groups outcomes for the summary."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind  # missing | challenge | transient | unreachable | rejected | invalid
        self.detail = detail


class _Transient(Exception):
    """A failure worth another attempt; ``unreachable`` when no connection was made."""

    def __init__(self, detail: str, *, unreachable: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.unreachable = unreachable


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: Any
    body: bytes
    url: str


def _check_document(reply: _Reply) -> str:
    """The sniffed kind of a reply that really is a resolution file."""
    size = len(reply.body)
    if size == 0:
        raise _SourceFailed("missing", "empty body: not yet published?")
    if size < MIN_DOCUMENT_BYTES:
        raise _SourceFailed("missing", f"only {size} bytes: not yet published?")
    kind = sniff(reply.body)
    if kind in DOCUMENT_KINDS:
        return kind
    what = "an HTML page" if kind == "html" else "not a PDF or Word file"
    ctype = reply.headers.get("Content-Type") or "no content type"
    raise _SourceFailed("invalid", f"{what} served as {ctype}")


# --- The OHCHR resolver: an HTML page whose first .doc/.pdf link is the file.


class _FirstDocumentLink(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a" or self.href is not None:
            return
        href = dict(attrs).get("href") or ""
        if re.search(r"\.(doc|pdf)$", urllib.parse.urlsplit(href.strip()).path, re.IGNORECASE):
            self.href = href.strip()


def _ohchr_file_url(page_url: str, config: FetchConfig, opener: Opener) -> str:
    """The URL of the file the resolver page links to."""
    page = _request(page_url, config, opener)
    if len(page.body) < MIN_OHCHR_PAGE_BYTES:
        raise _SourceFailed("missing", f"no such document: page of only {len(page.body)} bytes")
    parser = _FirstDocumentLink()
    parser.feed(page.body.decode("utf-8", errors="replace"))
    if parser.href is None:
        raise _SourceFailed("missing", "no document link")
    # Links are relative to the documents root, not to the page (see domain.md).
    root = OHCHR_FILE_ROOT.format(base=config.ohchr_base.rstrip("/"))
    url = urllib.parse.urljoin(root, parser.href)
    # http.client refuses spaces and control characters; keep existing %-escapes.
    return urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~")


# --- One URL: politeness, attempts and the classification of what came back.


def _request(url: str, config: FetchConfig, opener: Opener) -> _Reply:
    """GET ``url``, retrying transient failures with exponential backoff."""
    attempts = max(1, config.retries)
    for attempt in range(attempts):
        if attempt:
            time.sleep(config.backoff * 2 ** (attempt - 1))
        try:
            return _attempt(url, config, opener)
        except _Transient as exc:
            last = exc
    kind = "unreachable" if last.unreachable else "transient"
    times = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    raise _SourceFailed(kind, f"{last.detail} after {times}")


def _attempt(url: str, config: FetchConfig, opener: Opener) -> _Reply:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    _CLOCK.wait(config.min_interval)
    try:
        with opener.open(request, timeout=config.timeout) as response:
            reply = _Reply(response.status, response.headers, response.read(), response.geturl())
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _http_failure(exc.code, exc.headers) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _network_failure(exc) from None
    if _is_challenge(reply.headers):
        raise _challenge(reply.status)
    return reply


def _is_challenge(headers: Any) -> bool:
    return bool(headers) and (headers.get("x-amzn-waf-action") or "").lower() in ("challenge", "captcha")


def _challenge(status: int) -> _SourceFailed:
    return _SourceFailed(
        "challenge", f"HTTP {status}: the UN site asked for a JavaScript challenge that resdiff cannot answer"
    )


def _http_failure(code: int, headers: Any) -> Exception:
    if _is_challenge(headers):
        return _challenge(code)
    if code in (404, 410):
        return _SourceFailed("missing", str(code))
    if code == 429 or code >= 500:
        return _Transient(f"HTTP {code}")
    return _SourceFailed("rejected", f"HTTP {code}")


def _network_failure(exc: BaseException) -> _Transient:
    """Name a connection-level failure; ``urllib`` wraps some in ``URLError.reason``."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return _Transient("connection refused", unreachable=True)
    if isinstance(reason, socket.gaierror):
        return _Transient("host name not resolved", unreachable=True)
    if isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return _Transient("network unreachable", unreachable=True)
    if isinstance(reason, TimeoutError):
        return _Transient("timed out")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return _Transient("connection reset")
    return _Transient(str(reason) or type(reason).__name__)


class _Clock:
    """The process-wide request clock: the only mutable state of this module."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = float("-inf")

    def wait(self, interval: float) -> None:
        """Sleep until ``interval`` seconds have passed since the previous request began."""
        with self._lock:  # held while sleeping, so concurrent callers queue up in turn
            delay = self._last + interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._last = time.monotonic()


_CLOCK = _Clock()


# --- The one-line summary when every source failed.


def _summarise(symbol: Symbol, failures: list[tuple[str, _SourceFailed]]) -> FetchError:
    kinds = {failure.kind for _, failure in failures}
    details = "; ".join(f"{source}: {failure.detail}" for source, failure in failures)
    add = f"resdiff add FILE --symbol {_typed_form(symbol)}"
    if kinds == {"unreachable"}:
        return FetchError(
            f"{symbol.full}: the network is unreachable ({details})",
            hint=f"check your connection, or work with --offline and add the file yourself: {add}",
        )
    if kinds == {"missing"}:
        return FetchError(
            f"{symbol.full}: not found ({details})",
            hint=f"check the symbol, or add the file yourself: {add}",
        )
    if "challenge" in kinds:
        hint = f"download the file in a web browser, then add it: {add}"
    else:
        hint = f"try again later, check the symbol, or add the file yourself: {add}"
    return FetchError(f"{symbol.full}: could not be downloaded ({details})", hint=hint)


def _typed_form(symbol: Symbol) -> str:
    """The shortest form a user can type that means ``symbol`` again (``2003/73``, ``hrc:35/2``)."""
    try:
        typed = symbol.short if parse_symbol(symbol.short) == symbol else symbol.key
    except SymbolError:  # the short form is ambiguous (GA and HRC sessions 31-63)
        typed = symbol.key
    return shlex.quote(typed)  # SC symbols contain a space: '1325 (2000)'
