"""Docs that cannot go stale: every command has help with an example and is in README."""

import re

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
