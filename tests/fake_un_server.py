"""A local stand-in for the UN document sites, for testing ``resdiff.fetch`` offline.

One ``http.server.ThreadingHTTPServer`` on 127.0.0.1 serves three families of paths:

- ``/ods/api/symbol/access?s=SYMBOL&l=en&t=pdf|doc``  (ODS symbol API)
- ``/ohchr/documents/dpage_e.aspx?si=SYMBOL``          (OHCHR legacy resolver)
- any other path                                        (files, redirect targets)

Tests script each route with ``Reply`` objects: successive requests to a route get
successive replies, the last one repeating. Unscripted routes answer 404. Every
request is recorded (raw path, headers, monotonic arrival time) for assertions.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PDF = b"%PDF-1.4\n" + b"% fake resolution text\n" * 80
DOCX = b"PK\x03\x04" + b"\x00word/document.xml" * 80
DOC = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 1500
HTML_ERROR = b"<!DOCTYPE html><html><head><title>Error</title></head><body>" + b"<p>Sorry.</p>" * 120 + b"</body></html>"


@dataclass(frozen=True)
class Reply:
    """What the server answers to one request."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (cut short when the server stops)."""
    drop: bool = False
    """Close the connection without answering, like a reset by the peer."""


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    route: tuple[str, ...]
    path: str
    """The raw request target, percent-encoding untouched."""
    headers: dict[str, str]
    at: float
    """``time.monotonic()`` on arrival."""


class FakeUN:
    """The scripted server; use as a context manager or call ``start``/``stop``."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, ...], list[Reply]] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self.seen: list[Seen] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        # A short poll keeps shutdown (and so each test's teardown) fast.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def ods_base(self) -> str:
        return self.root + "/ods"

    @property
    def ohchr_base(self) -> str:
        return self.root + "/ohchr/documents"

    # Scripting -------------------------------------------------------------

    def ods(self, symbol: str, type_: str, *replies: Reply) -> None:
        """Script the ODS symbol API for ``symbol`` (decoded, e.g. ``E/CN.4/RES/2003/73``)."""
        self._routes[("ods", symbol, type_)] = list(replies)

    def ohchr(self, symbol: str, *replies: Reply) -> None:
        """Script the OHCHR resolver page for ``symbol``."""
        self._routes[("ohchr", symbol)] = list(replies)

    def file(self, path: str, *replies: Reply) -> None:
        """Script any other path, e.g. ``/files/a.pdf``."""
        self._routes[("file", path)] = list(replies)

    def requests_to(self, route: tuple[str, ...]) -> list[Seen]:
        return [seen for seen in self.seen if seen.route == route]

    # Serving ---------------------------------------------------------------

    def next_reply(self, route: tuple[str, ...], seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            replies = self._routes.get(route)
            if not replies:
                return Reply(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def start(self) -> FakeUN:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wake handlers that are sleeping to provoke timeouts
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeUN:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def route_of(path: str) -> tuple[str, ...]:
    """The route a raw request target belongs to, with the query decoded."""
    parts = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qs(parts.query)
    if parts.path == "/ods/api/symbol/access":
        return ("ods", query.get("s", [""])[0], query.get("t", [""])[0])
    if parts.path == "/ohchr/documents/dpage_e.aspx":
        return ("ohchr", query.get("si", [""])[0])
    return ("file", parts.path)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        fake: FakeUN = self.server.fake  # type: ignore[attr-defined]
        seen = Seen(route_of(self.path), self.path, dict(self.headers.items()), time.monotonic())
        reply = fake.next_reply(seen.route, seen)
        if reply.delay and fake.stopping.wait(reply.delay):
            return
        if reply.drop:
            self.close_connection = True
            return  # nothing written: the client sees the connection closed
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (a timeout test); nothing to report

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean
