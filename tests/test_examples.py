"""The example PEP folder the README starts with: the README's first command, run as written.

The commands are parsed from the README (its first ``sh`` block), so the README and this test
cannot drift apart: change the command there and this test runs the new one.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "peps"


def first_command() -> list[list[str]]:
    """The README's first shell block, as its `&&`-joined commands."""
    block = re.search(r"```sh\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert block, "README.md has no ```sh block"
    lines = [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, "the README's first block is one command line"
    return [shlex.split(part) for part in lines[0].split("&&")]


def test_the_readme_starts_by_installing_pepctl_from_the_clone():
    commands = first_command()
    assert commands[0] == ["python3", "-m", "venv", ".venv"]
    assert commands[1][:2] == [".venv/bin/pip", "install"] and "." in commands[1]


def test_the_readme_commands_run_on_the_example_folder_and_pass():
    pepctl_runs = [c for c in first_command() if c[0] == ".venv/bin/pepctl"]
    assert [c[-1] for c in pepctl_runs] == ["list", "check"]
    for command in pepctl_runs:
        assert command[1:3] == ["--dir", "examples/peps"]  # nothing beside the clone is needed
        # the installed pepctl of this test run stands for .venv/bin/pepctl
        done = subprocess.run([sys.executable, "-m", "pepctl", *command[1:]], cwd=REPO, capture_output=True,
                              text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=60)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert "warning" not in done.stderr and "error" not in done.stderr
        if command[-1] == "list":
            rows = [line.split()[0] for line in done.stdout.splitlines() if line[:1].isdigit()]  # below the header
            assert rows == ["0000", "0001", "0002", "0003", "0004", "0005"]
        else:
            assert done.stdout == ""  # clean: no finding at all


def test_the_example_shows_each_part_of_the_lifecycle():
    from pepctl import Corpus, Policy, load_config

    config = load_config(start=str(EXAMPLE))
    assert config.source and config.source.endswith("pepctl.toml")
    corpus = Corpus(str(EXAMPLE), config)
    peps = {entry.pep.number: entry.pep for entry in corpus.entries if entry.pep}
    statuses = {pep.status for pep in peps.values()}
    assert {"Active", "Draft", "Under Review", "Accepted", "Declined", "Complete"} <= statuses
    policy = Policy(config)
    for pep in peps.values():
        if pep.status in ("Accepted", "Complete"):
            assert pep.document.get("Tracking Issue").startswith("#")
        if pep.status == "Declined":
            assert policy.rationale(pep.document)[1]


def test_the_example_template_is_the_built_in_one():
    from pepctl.create import builtin_template

    assert (EXAMPLE / "PEP-TEMPLATE.md").read_text(encoding="utf-8") == builtin_template()
