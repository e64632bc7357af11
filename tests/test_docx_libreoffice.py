"""The Word redline in a real word processor: LibreOffice applies Accept All and Reject All.

tests/test_docx_out.py simulates both on the XML; here headless LibreOffice
(through its own python3 and ``uno``, see tests/lo_accept.py) applies them to
the redlines of both bundled pairs (real 2002/82 -> real 2003/73, real 2003/73
-> the constructed draft), and the resolution paragraphs it is left with must be
the new (old) text paragraph for paragraph, numbers as printed. resdiff's
comments are taken out of the copy first: LibreOffice 7.4 headless closes its
connection when a document has any comment, even one it wrote itself.
Without soffice or python3-uno the test is skipped, unless
RESDIFF_REQUIRE_BROWSER=1 turns the skip into a failure.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from resdiff.compare import compare_texts
from resdiff.docx_out import STYLE_OF_SECTION, render_docx

DATA = Path(__file__).resolve().parent.parent / "data"
HELPER = Path(__file__).resolve().parent / "lo_accept.py"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SYSTEM_PYTHON = "/usr/bin/python3"
PAIRS = [("chr-2002-82.txt", "chr-2003-73.txt"), ("chr-2003-73.txt", "illustrative-draft-next-year.txt")]
# Constructed: the first paragraph moves to the end and one word in it changes (a Word move with edits inside).
MOVED = ("1. Welcomes alpha beta gamma delta epsilon report;\n\n2. Notes zeta;\n\n3. Decides eta;",
         "1. Notes zeta;\n\n2. Decides eta;\n\n3. Welcomes alpha beta gamma delta omega report;")


def _missing() -> str | None:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed"
    if subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        return "LibreOffice's python3 bridge is not installed (apt-get install python3-uno)"
    return None


@pytest.fixture(scope="module", autouse=True)
def _needs_libreoffice() -> None:
    reason = _missing()
    if reason:
        if os.environ.get("RESDIFF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RESDIFF_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def without_comments(data: bytes) -> bytes:
    """The same package without comment anchors, references or the comments relationship."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(body)
                for el in list(root.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}commentReference")):
                    target = el.getparent() if el.tag == f"{W}commentReference" else el
                    target.getparent().remove(target)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "word/_rels/document.xml.rels":
                root = etree.fromstring(body)
                for rel in list(root):
                    if rel.get("Type", "").endswith("/comments"):
                        root.remove(rel)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "word/comments.xml":
                continue
            dst.writestr(info.filename, body)
    return out.getvalue()


def libreoffice(path: Path, mode: str, port: int, profile: Path) -> list[str]:
    run = subprocess.run([SYSTEM_PYTHON, str(HELPER), str(path), mode, str(port), str(profile)],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    styles = set(STYLE_OF_SECTION.values())
    rows = [line.split("\x1f", 1) for line in run.stdout.splitlines()]
    texts = [text for style, text in rows if style in styles]
    # The document's last paragraph mark cannot go: when the paragraph before it
    # is removed, that empty last paragraph takes its style.
    while texts and texts[-1] == "":
        texts.pop()
    return texts


@pytest.mark.parametrize("k", range(len(PAIRS) + 1), ids=["2002-82_to_2003-73", "2003-73_to_draft", "edited_move"])
def test_libreoffice_accept_all_gives_the_new_text_and_reject_all_the_old(k: int, tmp_path: Path) -> None:
    old, new = PAIRS[k] if k < len(PAIRS) else ("old", "new")
    texts = [(DATA / name).read_text(encoding="utf-8") for name in (old, new)] if k < len(PAIRS) else MOVED
    c = compare_texts(*texts)
    if k == len(PAIRS):
        assert any(p.moved and p.status.value == "modified" for p in c.pairs)
    path = tmp_path / "redline.docx"
    path.write_bytes(without_comments(render_docx(c, old_name=old, new_name=new, generated="2026-12-02T03:00:00Z")))

    def printed(doc) -> list[str]:
        return [f"{p.marker}\t{p.text}" if p.marker else p.text for p in doc.paragraphs]

    port = 2700 + 10 * k
    assert libreoffice(path, "accept", port, tmp_path / "profile") == printed(c.new)
    assert libreoffice(path, "reject", port + 1, tmp_path / "profile") == printed(c.old)
