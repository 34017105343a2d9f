"""The README documents every command and the Quickstart, as sqlite-utils' docs test does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .test_cli import all_commands

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    assert f"geokg {' '.join(command)}" in README


def test_quickstart_has_exactly_the_two_commands() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, flags=re.S)
    commands = [
        line.strip() for block in blocks for line in block.splitlines() if line.strip()
    ]
    assert commands == ["make demo", "make test"]
