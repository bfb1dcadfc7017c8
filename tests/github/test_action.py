"""The composite action, the documented workflows and the pre-commit hooks, read as text."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_blocks(text: str) -> list[str]:
    """The scripts of every `run:` key in a YAML text (block or one-line form)."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        match = re.match(r"^(\s*)(?:- )?run:\s*(.*)$", lines[i])
        i += 1
        if not match:
            continue
        indent, rest = len(match.group(1)), match.group(2)
        if rest and rest[0] not in "|>":
            blocks.append(rest)
            continue
        body = []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            body.append(lines[i])
            i += 1
        blocks.append("\n".join(body))
    return blocks


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, re.DOTALL)


def test_action_is_composite_and_never_interpolates_into_scripts():
    text = (REPO / "action.yml").read_text()
    assert re.search(r"^runs:\n  using: composite", text, re.MULTILINE)
    scripts = run_blocks(text)
    assert len(scripts) == 2
    for script in scripts:
        assert "${{" not in script
    assert "PEPCTL_ACTION_PATH: ${{ github.action_path }}" in text
    assert '"${PEPCTL_ACTION_PATH}[github,related]"' in scripts[0]  # related: the summary lists PEPs like a new one
    assert '"$RUNNER_TEMP/pepctl-venv/bin/pepctl" "${args[@]}"' in scripts[1]
    assert "GITHUB_PATH" not in text  # pepctl is called by path: nothing leaks into the caller's job
    for permission in ("contents: read", "pull-requests: write", "issues: write", "statuses: write"):
        assert permission in text


@pytest.fixture
def action_script(tmp_path):
    """The action's run step as a bash script, with a stub pepctl that prints its arguments."""
    script = run_blocks((REPO / "action.yml").read_text())[1]
    stub = tmp_path / "pepctl-venv" / "bin" / "pepctl"  # where the install step puts it
    stub.parent.mkdir(parents=True)
    stub.write_text('#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done\necho\n')
    stub.chmod(0o755)

    def run(**env):
        full = {"PATH": os.environ["PATH"], "RUNNER_TEMP": str(tmp_path), "PEPCTL_COMMAND": "gate",
                "PEPCTL_PR": "", "PEPCTL_DRY_RUN": "false", **env}
        return subprocess.run(["bash", "-c", script], env=full, capture_output=True, text=True)

    return run


def test_action_script_builds_the_command(action_script):
    assert action_script().stdout == "[gate]\n"
    assert action_script(PEPCTL_PR="12", PEPCTL_DRY_RUN="true").stdout == "[gate][--pr][12][--dry-run]\n"
    assert action_script(PEPCTL_COMMAND="remind", PEPCTL_PR="12").stdout == "[remind]\n"
    assert action_script(PEPCTL_COMMAND="sla", PEPCTL_DRY_RUN="true").stdout == "[sla]\n"


def test_action_script_input_is_data_not_code(action_script, tmp_path):
    marker = tmp_path / "pwned"
    result = action_script(PEPCTL_PR=f"1; touch {marker}; $(touch {marker})")
    assert not marker.exists()
    assert result.stdout == f"[gate][--pr][1; touch {marker}; $(touch {marker})]\n"
    bad = action_script(PEPCTL_COMMAND=f"gate; touch {marker}")
    assert bad.returncode == 2 and not marker.exists()


def test_documented_workflows_are_safe_for_forks():
    text = (REPO / "docs" / "github.md").read_text()
    blocks = yaml_blocks(text)
    gate = next(b for b in blocks if "pull_request_target" in b)
    assert "issue_comment" in gate and "pull_request_review" in gate
    for permission in ("contents: read", "pull-requests: write", "issues: write", "statuses: write"):
        assert permission in gate
    # the base branch only, named for review events too (which would check out the merge commit)
    assert "actions/checkout" in gate
    assert re.findall(r"^\s*ref: (.*)$", gate, re.MULTILINE) == ["${{ github.event.pull_request.base.ref }}"]
    assert "head.sha" not in gate and "paths:" not in gate
    remind = next(b for b in blocks if "schedule:" in b)
    assert "command: remind" in remind
    scripts = [script for block in blocks for script in run_blocks(block)]
    assert scripts, "no run: script found in the documented workflows"
    for script in scripts:
        assert "${{" not in script, script
    assert "pep/process" in text and "Rulesets" in text and "Branch protection" in text


def test_pre_commit_hooks():
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    hooks = re.split(r"^- ", text, flags=re.MULTILINE)[1:]
    by_id = {re.search(r"id: (\S+)", h).group(1): h for h in hooks}
    assert set(by_id) == {"pepctl-check", "pepctl-index"}
    assert "entry: pepctl check\n" in by_id["pepctl-check"]
    assert r"files: PEP-.*\.md$" in by_id["pepctl-check"]
    assert "entry: pepctl index --check\n" in by_id["pepctl-index"]
    assert "pass_filenames: false" in by_id["pepctl-index"]
    assert re.fullmatch(r"PEP-.*\.md", "PEP-0001-x.md")
