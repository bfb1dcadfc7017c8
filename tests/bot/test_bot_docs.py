"""docs/bot.md says what the code has: every setting, every metric, every command."""

from __future__ import annotations

import re
from pathlib import Path

from pepctl.bot.config import SETTINGS
from pepctl.bot.metrics import FROM_DATABASE, Metrics

DOC = (Path(__file__).resolve().parents[2] / "docs" / "bot.md").read_text()


def test_every_setting_is_in_the_config_table():
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z_]+)` \|", DOC, re.M)}
    assert rows == {s.env for s in SETTINGS}
    for setting in SETTINGS:
        if setting.flag:
            assert f"| `{setting.env}` | `{setting.flag}` |" in DOC


def test_every_metric_is_explained():
    names = set()
    for family in Metrics().registry.collect():
        names.add(family.name + ("_total" if family.type == "counter" else ""))
    names |= set(FROM_DATABASE)  # read at scrape time
    documented = set(re.findall(r"^\| `(pepctl_bot_[a-z_]+)", DOC, re.M))
    assert documented == names


def test_every_command_is_listed():
    from pepctl.cli.bot import command

    for name in command.commands:
        assert f"`pepctl bot {name}" in DOC, name
