"""Word formats older than .docx: .doc through LibreOffice, WordPerfect refused.

Owns telling a Word .doc from other OLE files (Excel, an encrypted .docx),
finding and running LibreOffice to convert a .doc to .docx (private profile,
time limit, killed with its children), and the message for WordPerfect files.
Does not read the converted text: that is ``docx``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from resdiff import readers  # SOFFICE_TIMEOUT is read at call time, so it can be changed
from resdiff.errors import InputError

from .base import ReadText
from .docx import read_docx


def read_wpd(data: bytes, name: str) -> ReadText:
    """Refuse a WordPerfect file (``data`` is unused: this is every reader's signature)."""
    raise InputError(f"{name}: WordPerfect documents are not supported",
                     hint="open it in WordPerfect or LibreOffice and save it as .docx or PDF")


def read_doc(data: bytes, name: str) -> ReadText:
    # Both markers are stream names inside the OLE container, stored as UTF-16.
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError(f"{name}: password-protected Word document",
                         hint="open it in Word, remove the password and save an unprotected .docx")
    if "WordDocument".encode("utf-16-le") not in data:
        raise InputError(f"{name}: an Office file that is not a Word document",
                         hint="open it and save or export the resolution as .docx or PDF")
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise InputError(f"{name}: legacy Word .doc needs LibreOffice",
                         hint="install LibreOffice (soffice on PATH), or open the file "
                              "in Word and save it as .docx")
    with tempfile.TemporaryDirectory(prefix="resdiff-doc-") as tmp:
        converted = _soffice_to_docx(exe, data, Path(tmp), name)
    return ReadText(read_docx(converted, name).text, "doc")


def _soffice_to_docx(exe: str, data: bytes, tmp: Path, name: str) -> bytes:
    """Convert with a private LibreOffice profile, so a running LibreOffice or a
    concurrent conversion cannot lock or hijack ours."""
    timeout = readers.SOFFICE_TIMEOUT
    source = tmp / "input.doc"
    source.write_bytes(data)
    profile = (tmp / "profile").as_uri()
    command = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(tmp), str(source)]
    try:
        # A new session lets us kill soffice.bin too, not just the launcher script.
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        raise InputError(f"{name}: LibreOffice could not be started ({exc.strerror or exc})",
                         hint="check the LibreOffice installation, or save as .docx") from None
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise InputError(f"{name}: LibreOffice took over {timeout} s to convert the .doc",
                         hint="open it in Word or LibreOffice and save it as .docx") from None
    target = tmp / "input.docx"
    if not target.exists():
        raise InputError(f"{name}: LibreOffice could not convert this .doc (damaged?)",
                         hint="open it in Word or LibreOffice and save it as .docx")
    return target.read_bytes()

