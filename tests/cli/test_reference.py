"""docs/commands.md is the command reference written from the click definitions: it must be what
`python -m pepctl.cli.reference` writes now, and name every command and option."""

from __future__ import annotations

from pathlib import Path

import click

from pepctl.cli.group import COMMANDS, cli
from pepctl.cli.reference import markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "commands.md"


def test_the_page_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == markdown(), (
        "docs/commands.md is out of date: run `python -m pepctl.cli.reference > docs/commands.md`")


def test_every_command_and_option_is_on_the_page():
    text = markdown()
    root = click.Context(cli, info_name="pepctl")
    for name in COMMANDS:
        command = cli.get_command(root, name)
        assert f"## `pepctl {name}`" in text
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert f"`{param.opts[0]}`" in text, (name, param.opts[0])
