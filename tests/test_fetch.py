"""resdiff.fetch against a local fake of the UN sites (tests/fake_un_server.py).

Nothing here touches the internet: every base URL points at 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import re
import socket
import urllib.parse
import urllib.request

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fake_un_server import DOC, DOCX, HTML_ERROR, PDF, FakeUN, Reply
from resdiff import fetch as fetch_module
from resdiff.errors import FetchError
from resdiff.fetch import Download, FetchConfig, candidate_urls, fetch, sniff
from resdiff.symbols import parse_symbol

CHR = parse_symbol("2003/73")  # E/CN.4/RES/2003/73, also on the OHCHR resolver
GA = parse_symbol("ga:58/123")  # A/RES/58/123, ODS only
SC = parse_symbol("sc:1325 (2000)")
OHCHR_PAGE = (
    b"<html><head><title>E/CN.4/RES/2003/73</title></head><body>"
    + b"<p>Regional cooperation for the promotion and protection of human rights.</p>" * 6
    + b'<a href="/documents/help.aspx">Help</a>'
    + b'<a href="E/CN.4/RES/2003/73.doc">Word</a> <a href="E/CN.4/RES/2003/73.pdf">PDF</a>'
    + b"</body></html>"
)
PAGE_WITHOUT_LINK = b"<html><body>" + b"<p>No document is available in this language.</p>" * 12 + b"</body></html>"
AS_PDF = {"Content-Type": "application/pdf"}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a developer's proxy must not see these requests
    with FakeUN() as server:
        yield server


def config_for(fake: FakeUN, **overrides: float) -> FetchConfig:
    settings = {"timeout": 2.0, "retries": 3, "backoff": 0.01, "min_interval": 0.0} | overrides
    return FetchConfig(ods_base=fake.ods_base, ohchr_base=fake.ohchr_base, **settings)


def fetch_error(symbol, config: FetchConfig) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(symbol, config=config)
    assert info.value.hint, "every fetch error carries a hint"
    return info.value


# --- Success paths ----------------------------------------------------------


def test_pdf_via_ods_redirect(fake: FakeUN) -> None:
    fake.ods(CHR.full, "pdf", Reply(302, headers={"Location": "/files/gen/G03/73.pdf"}))
    fake.file("/files/gen/G03/73.pdf", Reply(200, PDF, AS_PDF))
    download = fetch(CHR, config=config_for(fake))
    assert isinstance(download, Download)
    assert (download.symbol, download.data, download.kind) == (CHR, PDF, "pdf")
    assert download.url == fake.root + "/files/gen/G03/73.pdf"
    assert download.sha256 == hashlib.sha256(PDF).hexdigest()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", download.received)
    first, redirected = fake.seen
    assert first.path == "/ods/api/symbol/access?s=E%2FCN.4%2FRES%2F2003%2F73&l=en&t=pdf"
    for seen in (first, redirected):
        assert seen.headers["User-Agent"] == fetch_module.USER_AGENT
        assert re.fullmatch(r"resdiff/\S+ \(\+https://github\.com/resdiff/resdiff\)", seen.headers["User-Agent"])


def test_docx_only_via_t_doc(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(404))
    fake.ods(GA.full, "doc", Reply(200, DOCX, {"Content-Type": "application/msword"}))
    download = fetch(GA, config=config_for(fake))
    assert (download.kind, download.data) == ("docx", DOCX)
    assert download.url == fake.ods_base + "/api/symbol/access?s=A%2FRES%2F58%2F123&l=en&t=doc"
    assert [seen.route[-1] for seen in fake.seen] == ["pdf", "doc"]


def test_ohchr_resolver_relative_doc_link(fake: FakeUN) -> None:
    fake.ohchr(CHR.full, Reply(200, OHCHR_PAGE, {"Content-Type": "text/html"}))
    fake.file("/ohchr/documents/E/CN.4/RES/2003/73.doc", Reply(200, DOC))
    download = fetch(CHR, config=config_for(fake))
    assert (download.kind, download.data) == ("doc", DOC)
    assert download.url == fake.ohchr_base + "/E/CN.4/RES/2003/73.doc"
    assert download.sha256 == hashlib.sha256(DOC).hexdigest()
    paths = [seen.path for seen in fake.seen]
    assert paths[2] == "/ohchr/documents/dpage_e.aspx?si=E%2FCN.4%2FRES%2F2003%2F73"
    assert paths[3] == "/ohchr/documents/E/CN.4/RES/2003/73.doc"  # the first .doc/.pdf link, not Help


def test_security_council_symbol_has_no_space_in_url(fake: FakeUN) -> None:
    fake.ods("S/RES/1325(2000)", "pdf", Reply(200, PDF, AS_PDF))
    assert fetch(SC, config=config_for(fake)).kind == "pdf"
    assert fake.seen[0].path == "/ods/api/symbol/access?s=S%2FRES%2F1325%282000%29&l=en&t=pdf"


def test_html_served_as_pdf_is_skipped(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(200, HTML_ERROR, AS_PDF))
    fake.ods(GA.full, "doc", Reply(200, PDF, AS_PDF))  # t=doc may well answer with a PDF
    download = fetch(GA, config=config_for(fake))
    assert download.kind == "pdf"
    assert download.url.endswith("t=doc")


def test_injected_opener_is_used(fake: FakeUN) -> None:
    class RecordingOpener:
        def __init__(self) -> None:
            self.inner = urllib.request.build_opener()
            self.urls: list[str] = []

        def open(self, request, data=None, timeout=None):
            self.urls.append(request.full_url)
            return self.inner.open(request, timeout=timeout)

    fake.ods(GA.full, "pdf", Reply(200, PDF, AS_PDF))
    opener = RecordingOpener()
    fetch(GA, config=config_for(fake), opener=opener)
    assert opener.urls == [candidate_urls(GA, config_for(fake))[0][1]]


# --- Retries ----------------------------------------------------------------


@pytest.mark.parametrize("first", [Reply(503), Reply(429), Reply(drop=True)], ids=["503", "429", "reset"])
def test_transient_failure_is_retried(fake: FakeUN, first: Reply) -> None:
    fake.ods(GA.full, "pdf", first, Reply(200, PDF, AS_PDF))
    assert fetch(GA, config=config_for(fake)).kind == "pdf"
    assert len(fake.requests_to(("ods", GA.full, "pdf"))) == 2


def test_persistent_503_gives_up_after_retries(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(503))
    fake.ods(GA.full, "doc", Reply(503))
    error = fetch_error(GA, config_for(fake, retries=3))
    assert error.message == (
        "A/RES/58/123: could not be downloaded (ODS pdf: HTTP 503 after 3 attempts; ODS doc: HTTP 503 after 3 attempts)"
    )
    assert "try again later" in error.hint and "resdiff add FILE --symbol ga:58/123" in error.hint
    assert len(fake.requests_to(("ods", GA.full, "pdf"))) == 3


def test_404_is_not_retried(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(404))
    fetch_error(GA, config_for(fake))
    assert len(fake.requests_to(("ods", GA.full, "pdf"))) == 1


def test_timeout_retries_then_moves_on(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(200, PDF, AS_PDF, delay=5))
    fake.ods(GA.full, "doc", Reply(200, DOCX))
    download = fetch(GA, config=config_for(fake, timeout=0.2, retries=2))
    assert download.kind == "docx"
    assert len(fake.requests_to(("ods", GA.full, "pdf"))) == 2


def test_timeout_everywhere(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(200, PDF, delay=5))
    fake.ods(GA.full, "doc", Reply(200, PDF, delay=5))
    error = fetch_error(GA, config_for(fake, timeout=0.2, retries=1))
    assert error.message == (
        "A/RES/58/123: could not be downloaded (ODS pdf: timed out after 1 attempt; ODS doc: timed out after 1 attempt)"
    )


# --- Not available ----------------------------------------------------------


def test_not_found_anywhere(fake: FakeUN) -> None:
    fake.ohchr(CHR.full, Reply(200, PAGE_WITHOUT_LINK, {"Content-Type": "text/html"}))
    error = fetch_error(CHR, config_for(fake))
    assert error.message == "E/CN.4/RES/2003/73: not found (ODS pdf: 404; ODS doc: 404; OHCHR: no document link)"
    assert error.hint == "check the symbol, or add the file yourself: resdiff add FILE --symbol 2003/73"


def test_empty_and_tiny_bodies_mean_not_yet_published(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(200, b"", AS_PDF))
    fake.ods(GA.full, "doc", Reply(200, b"%PDF-1.4\n%%EOF\n", AS_PDF))
    error = fetch_error(GA, config_for(fake))
    assert error.message == (
        "A/RES/58/123: not found (ODS pdf: empty body: not yet published?; "
        "ODS doc: only 15 bytes: not yet published?)"
    )
    assert "resdiff add FILE --symbol ga:58/123" in error.hint


def test_short_ohchr_page_and_missing_linked_file(fake: FakeUN) -> None:
    fake.ohchr(CHR.full, Reply(200, b"<html><body>Error</body></html>"))
    assert "OHCHR: no such document: page of only 31 bytes" in fetch_error(CHR, config_for(fake)).message
    fake.ohchr(CHR.full, Reply(200, OHCHR_PAGE))  # links to a file the server does not have
    assert fetch_error(CHR, config_for(fake)).message.endswith("; OHCHR: 404)")


def test_waf_challenge_is_reported(fake: FakeUN) -> None:
    challenge = Reply(202, b"", {"x-amzn-waf-action": "challenge", "Content-Type": "text/html"})
    fake.ods(GA.full, "pdf", challenge)
    fake.ods(GA.full, "doc", Reply(404))
    error = fetch_error(GA, config_for(fake))
    assert error.message == (
        "A/RES/58/123: could not be downloaded (ODS pdf: HTTP 202: the UN site asked for a JavaScript "
        "challenge that resdiff cannot answer; ODS doc: 404)"
    )
    assert "browser" in error.hint and "resdiff add FILE" in error.hint
    assert len(fake.requests_to(("ods", GA.full, "pdf"))) == 1  # a challenge is not retried


def test_html_error_page_everywhere(fake: FakeUN) -> None:
    fake.ods(GA.full, "pdf", Reply(200, HTML_ERROR, AS_PDF))
    fake.ods(GA.full, "doc", Reply(403))
    error = fetch_error(GA, config_for(fake))
    assert error.message == (
        "A/RES/58/123: could not be downloaded (ODS pdf: an HTML page served as application/pdf; ODS doc: HTTP 403)"
    )


def test_connection_refused_everywhere() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    config = FetchConfig(ods_base=base, ohchr_base=base + "/documents", retries=2, backoff=0.01, min_interval=0)
    error = fetch_error(CHR, config)
    assert error.message == (
        "E/CN.4/RES/2003/73: the network is unreachable (ODS pdf: connection refused after 2 attempts; "
        "ODS doc: skipped, host unreachable; OHCHR: skipped, host unreachable)"
    )
    assert "--offline" in error.hint and "resdiff add FILE --symbol 2003/73" in error.hint


def test_hint_quotes_security_council_symbols(fake: FakeUN) -> None:
    assert "resdiff add FILE --symbol '1325 (2000)'" in fetch_error(SC, config_for(fake)).hint


# --- Politeness -------------------------------------------------------------


def test_min_interval_spaces_requests(fake: FakeUN) -> None:
    fake.ohchr(CHR.full, Reply(200, PAGE_WITHOUT_LINK))
    fetch_error(CHR, config_for(fake, min_interval=0.2))
    arrivals = [seen.at for seen in fake.seen]
    assert len(arrivals) == 3
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= 0.18, gaps


# --- Pure parts: URLs, sniffing, configuration --------------------------------


def test_candidate_urls_cover_ohchr_only_for_its_years() -> None:
    config = FetchConfig()
    sources = lambda text: [name for name, _ in candidate_urls(parse_symbol(text), config)]  # noqa: E731
    assert sources("2003/73") == ["ODS pdf", "ODS doc", "OHCHR"]
    assert sources("hrc:7/12") == ["ODS pdf", "ODS doc", "OHCHR"]
    assert sources("hrc:12/1") == sources("1990/71") == sources("ga:58/123") == ["ODS pdf", "ODS doc"]
    assert candidate_urls(CHR, config) == [
        ("ODS pdf", "https://documents.un.org/api/symbol/access?s=E%2FCN.4%2FRES%2F2003%2F73&l=en&t=pdf"),
        ("ODS doc", "https://documents.un.org/api/symbol/access?s=E%2FCN.4%2FRES%2F2003%2F73&l=en&t=doc"),
        ("OHCHR", "https://ap.ohchr.org/documents/dpage_e.aspx?si=E%2FCN.4%2FRES%2F2003%2F73"),
    ]


@given(year=st.integers(1946, 2006), number=st.integers(1, 400))
def test_symbol_survives_the_url(year: int, number: int) -> None:
    symbol = parse_symbol(f"chr:{year}/{number}")
    for _, url in candidate_urls(symbol, FetchConfig()):
        query = urllib.parse.urlsplit(url).query
        assert "/" not in query
        params = urllib.parse.parse_qs(query)
        assert (params.get("s") or params.get("si")) == [symbol.full]


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PDF, "pdf"), (DOCX, "docx"), (DOC, "doc"), (b"\xffWPC" + b"\0" * 10, "wpd"), (HTML_ERROR, "html"), (b"hello", None)],
)
def test_sniff(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


def test_config_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESDIFF_ODS_BASE", raising=False)
    monkeypatch.delenv("RESDIFF_OHCHR_BASE", raising=False)
    for knob in ("TIMEOUT", "RETRIES", "BACKOFF", "INTERVAL"):
        monkeypatch.delenv(f"RESDIFF_FETCH_{knob}", raising=False)
    assert FetchConfig.from_env() == FetchConfig()
    monkeypatch.setenv("RESDIFF_ODS_BASE", "http://127.0.0.1:9/ods")
    monkeypatch.setenv("RESDIFF_OHCHR_BASE", "http://127.0.0.1:9/ohchr")
    config = FetchConfig.from_env()
    assert (config.ods_base, config.ohchr_base) == ("http://127.0.0.1:9/ods", "http://127.0.0.1:9/ohchr")
    monkeypatch.setenv("RESDIFF_FETCH_RETRIES", "5")
    monkeypatch.setenv("RESDIFF_FETCH_INTERVAL", "2.5")
    assert (FetchConfig.from_env().retries, FetchConfig.from_env().min_interval) == (5, 2.5)
    monkeypatch.setenv("RESDIFF_FETCH_TIMEOUT", "soon")
    with pytest.raises(FetchError) as info:
        FetchConfig.from_env()
    assert "RESDIFF_FETCH_TIMEOUT" in info.value.message and info.value.hint


def test_a_language_is_asked_for_with_the_ods_l_parameter_and_ohchr_only_serves_english() -> None:
    config = FetchConfig(ods_base="https://documents.un.org", ohchr_base="https://ap.ohchr.org/documents")
    french = candidate_urls(CHR, config, "fr")
    assert [name for name, _ in french] == ["ODS pdf", "ODS doc"]
    assert all("&l=fr&" in url for _, url in french)
