"""Docs that cannot go stale: every command has help with an example and is in README."""

import re
from pathlib import Path

from typer.main import get_command

from conftest import ROOT
from resdiff.cli.main import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands():
    group = get_command(app)
    return group.commands


def test_every_command_has_help_with_an_example():
    for name, command in _commands().items():
        assert command.help and "Example:" in command.help, name


def test_every_command_is_documented_in_readme():
    for name in _commands():
        assert re.search(rf"^### `resdiff {name}\b", README, re.M), f"README has no section for resdiff {name}"


def test_every_option_is_documented_in_readme():
    for name, command in _commands().items():
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"{name} {opt} missing from README"


def test_readme_quick_start_commands_exist():
    assert "pip install -e '.[test]'" in README
    assert "resdiff 2003/73 data/illustrative-draft-next-year.txt" in README
    assert "python -m pytest" in README


def _section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    return README[start:README.index("\n## ", start + 1)]


def test_readme_negotiation_example_runs_as_written(tmp_path):
    """The "Following a negotiation" commands, run as a shell would, give the log the README shows."""
    import os
    import shutil
    import subprocess
    import sys

    section = _section("Following a negotiation")
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands[0].startswith("export RESDIFF_STORE=")
    env = {**os.environ, "RESDIFF_STORE": str(tmp_path / "store"), "RESDIFF_OFFLINE": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    assert shutil.which("resdiff", path=env["PATH"]), "resdiff is not installed in this environment"
    outputs = {}
    for command in commands[1:]:
        r = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                           executable="/bin/bash") if not command.startswith("resdiff add") else \
            subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode in (0, 1), (command, r.stderr)
        outputs[command] = r.stdout + r.stderr
    shown = section.split("`resdiff log 2003/73`:\n\n```\n", 1)[1].split("```", 1)[0].splitlines()
    printed = outputs["resdiff log 2003/73"].splitlines()
    assert len(printed) == len(shown)
    for want, got in zip(shown, printed):  # the README shortens the title
        assert got.startswith(want.removesuffix(" ...")), (want, got)
    graph = outputs['git -C "$RESDIFF_STORE" log --graph --oneline --all']
    for line in section.split("And git:\n\n```\n", 1)[1].split("```", 1)[0].splitlines():
        assert any(g.startswith(line.removesuffix(" ...").rstrip("\\")) or g.rstrip() == line.rstrip() for g in graph.splitlines()), line
    assert (tmp_path / "history.html").is_file()
