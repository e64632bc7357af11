"""The wheel carries what resdiff needs at run time: templates and bundled data."""

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_carries_templates_and_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("resdiff-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"resdiff/templates/report.html", "resdiff/templates/report.css", "resdiff/cli/main.py"} <= names
    assert {"resdiff/data/chr-2003-73.txt", "resdiff/data/chr-2003-73.source.md"} <= names
    assert not any(n.startswith(("tests/", "resdiff/tests/")) for n in names)
    # Every library module of the source tree is in the wheel (a new subpackage must be listed).
    sources = {f"resdiff/{p.relative_to(ROOT / 'resdiff').as_posix()}" for p in (ROOT / "resdiff").rglob("*.py")}
    sources |= {f"resdiff/cli/{p.name}" for p in (ROOT / "cli").glob("*.py")}
    assert sources <= names, sorted(sources - names)
