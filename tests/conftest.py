import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

REAL_2003_73 = ROOT / "data" / "chr-2003-73.txt"
ILLUSTRATIVE_DRAFT = ROOT / "data" / "illustrative-draft-next-year.txt"


import pytest  # noqa: E402

import readers_fixtures as fx  # noqa: E402


@pytest.fixture(scope="session")
def lo_dir(tmp_path_factory) -> Path:
    """One LibreOffice profile and output folder for the whole session (slow to start)."""
    return tmp_path_factory.mktemp("libreoffice")


@pytest.fixture(scope="session")
def real_pdf(lo_dir) -> Path:
    """2003/73 as a LibreOffice PDF with a running header, page numbers and a job number."""
    return fx.make_pdf(lo_dir / "chr-2003-73.pdf", profile=lo_dir / "profile")


@pytest.fixture(scope="session")
def real_doc(lo_dir) -> Path:
    """2003/73 as a legacy Word 97 .doc made by LibreOffice."""
    return fx.make_doc(lo_dir / "chr-2003-73.doc", profile=lo_dir / "profile")


@pytest.fixture(autouse=True)
def _no_user_store(tmp_path_factory, monkeypatch):
    """Tests never see the developer's own version store: RESDIFF_STORE points nowhere."""
    monkeypatch.setenv("RESDIFF_STORE", str(tmp_path_factory.getbasetemp() / "no-store-here"))


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Tests never reach the UN: downloads go to a closed local port and fail at once."""
    monkeypatch.setenv("RESDIFF_ODS_BASE", "http://127.0.0.1:9")
    monkeypatch.setenv("RESDIFF_OHCHR_BASE", "http://127.0.0.1:9")
    monkeypatch.setenv("RESDIFF_FETCH_RETRIES", "1")
    monkeypatch.setenv("RESDIFF_FETCH_BACKOFF", "0")
    monkeypatch.setenv("RESDIFF_FETCH_INTERVAL", "0")
    monkeypatch.delenv("RESDIFF_OFFLINE", raising=False)
