"""Shell completion: the scripts `pepctl completion SHELL` prints, and what the shell gets back when
it calls pepctl with _PEPCTL_COMPLETE set: commands, status names and the folder's PEP numbers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from peptext import small_pep


def complete(words: str, cwd, shell="bash"):
    """What pepctl answers the shell for the command line `words` (the last word being typed)."""
    parts = words.split(" ")
    env = {**os.environ, "_PEPCTL_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = subprocess.run([sys.executable, "-m", "pepctl"], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line]


@pytest.fixture
def folder(tmp_path):
    for n, status in ((1, "Draft"), (7, "Accepted"), (42, "Under Review")):
        (tmp_path / f"PEP-{n:04d}-p.md").write_text(small_pep(n, f"P{n}", status), encoding="utf-8")
    return tmp_path


def test_commands_complete(folder):
    assert complete("pepctl ch", folder) == ["check"]
    assert "completion" in complete("pepctl co", folder)


def test_pep_numbers_complete_from_the_folder(folder):
    assert complete(f"pepctl --dir {folder} show ", folder) == ["0001", "0007", "0042"]
    assert complete(f"pepctl --dir {folder} show 4", folder) == ["0042"]
    assert complete(f"pepctl --dir {folder} show PEP-000", folder) == ["0001", "0007", "0042"]


def test_status_names_complete_from_the_configuration(folder):
    assert complete("pepctl list --status und", folder) == ["Under Review"]
    (folder / "pepctl.toml").write_text('states = ["Draft", "Under Review", "Shipped"]\n'
                                        'initial-states = ["Draft"]\nfinal-states = ["Shipped"]\n'
                                        '[transitions]\nDraft = ["Under Review"]\n"Under Review" = ["Shipped"]\n'
                                        '[deciders]\n', encoding="utf-8")
    assert complete("pepctl list --status s", folder) == ["Shipped"]


def test_a_broken_folder_completes_nothing_and_never_fails(tmp_path):
    assert complete(f"pepctl --dir {tmp_path / 'missing'} show ", tmp_path) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script_for_each_shell(shell, tmp_path):
    result = subprocess.run([sys.executable, "-m", "pepctl", "completion", shell], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "_PEPCTL_COMPLETE" in result.stdout and f"{shell}_complete" in result.stdout
