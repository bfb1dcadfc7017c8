"""The workflows users copy, and the action they run, pass zizmor and actionlint.

What is checked: every fenced YAML block of README.md and docs/*.md that is a whole workflow
(``on:`` and ``jobs:``) or action (``runs:``), ``action.yml``, any workflow or action YAML
shipped in ``src/pepctl/``, and the repository's own ``.github/workflows/`` if it has one.
A YAML block that is neither must be a known partial snippet (``PARTIAL`` below, each with
its reason), so a new snippet cannot slip past the linters by being incomplete.

- zizmor (the security linter), offline, default persona, no configuration file: no finding.
  The only inline ``# zizmor: ignore[...]`` allowed are the ``dangerous-triggers`` the gate
  is built on (``pull_request_target``, ``issue_comment``, ``workflow_run``), each with its
  reason beside it; ``--no-ignores`` proves nothing else hides behind them.
- actionlint, with ShellCheck for the ``run:`` scripts, and the pepctl steps pointed at this
  repository's ``action.yml`` (``uses: ./``) so their ``with:`` inputs are checked against it.
  actionlint checks workflows only, so the action's own scripts go to ShellCheck directly.

The docs write the pepctl step as ``OWNER/pepctl@PEPCTL_SHA # vX.Y.Z``: the reader fills in
the repository and the commit of the release. zizmor sees a 40-hex stand-in there (it only
checks the form offline); actionlint sees ``./``.

The tools come with the ``test`` extra; a missing one fails the test rather than skipping it,
and ``test_the_linters_catch_a_bad_workflow`` shows each one does flag what it must, so these
tests cannot pass by a tool silently doing nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # in the test extra

REPO = Path(__file__).resolve().parents[2]

PEPCTL_PLACEHOLDER = "OWNER/pepctl@PEPCTL_SHA"
STAND_IN_SHA = "0" * 40  # never a real reference: the form zizmor checks offline is all it stands for
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")

# Fenced YAML blocks that are not whole workflows or actions, and why each is left out.
PARTIAL = {
    "pre-commit": (lambda data: isinstance(data, dict) and "repos" in data,
                   "a .pre-commit-config.yaml excerpt for pepctl's hooks: no workflow, no action"),
}

# The findings the inline ignores may hide: the triggers the gate needs (docs/github.md says why).
DESIGN_TRIGGERS = {"pull_request_target", "issue_comment", "workflow_run"}

# What each job may ask of GITHUB_TOKEN: exactly what pepctl calls (docs/github.md, "Permissions").
GATE = {"contents": "read", "pull-requests": "write", "issues": "write", "statuses": "write"}
PERMISSIONS = {
    ("PEP process", "gate"): GATE,
    ("PEP review relay", "relay"): {},
    ("PEP process (after a review)", "number"): {"actions": "read"},
    ("PEP process (after a review)", "gate"): GATE,
    ("PEP reminders", "remind"): {"contents": "read", "pull-requests": "write", "issues": "write"},
}

TIMEOUT = 120


# --- the tools ---------------------------------------------------------------------------------

def tool(name: str) -> str:
    """A linter from the test extra: beside this Python first, then on PATH. Never skipped."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' brings it (see pyproject.toml)")
    return found


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "ZIZMOR_RENDER_LINKS": "never"}
    for token in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"):
        env.pop(token, None)  # offline anyway; never hand a token to a linter
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def zizmor(tree: Path, *extra: str) -> subprocess.CompletedProcess:
    return run([tool("zizmor"), "--offline", "--no-config", "--strict-collection", "--no-progress",
                "--color", "never", *extra, "."], tree)


def zizmor_findings(tree: Path, *extra: str) -> list[dict]:
    done = zizmor(tree, "--format", "json", *extra)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 0: clean, 1x: findings
    return json.loads(done.stdout)


def audited(done: subprocess.CompletedProcess) -> set[str]:
    """The inputs zizmor says it audited (its log lines on stderr)."""
    return {m.group(1) for m in re.finditer(r"completed \./(\S+)", done.stderr)}


def actionlint(tree: Path, files: list[str]) -> subprocess.CompletedProcess:
    return run([tool("actionlint"), "-no-color", "-oneline", f"-shellcheck={tool('shellcheck')}",
                "-pyflakes=", *files], tree)


def shellcheck(script: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("shellcheck"), "--shell=bash", "--format=gcc", "-"], input=script, cwd=cwd,
                          capture_output=True, text=True, timeout=TIMEOUT)


# --- what users copy ---------------------------------------------------------------------------

def markdown_files() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def fenced_yaml(text: str) -> list[tuple[int, str]]:
    """(line number, body) of each ```yaml / ```yml block."""
    return [(text.count("\n", 0, m.start()) + 1, m.group(1))
            for m in re.finditer(r"^```ya?ml[ \t]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE)]


def kind(data) -> str | None:
    if isinstance(data, dict) and "jobs" in data and ("on" in data or True in data):  # YAML 1.1: on == True
        return "workflow"
    if isinstance(data, dict) and "runs" in data:
        return "action"
    return None


def copied_yaml() -> list[tuple[str, str, str]]:
    """(where, kind, text) of every workflow and action users are told to copy or run."""
    found = []
    for path in markdown_files():
        for line, body in fenced_yaml(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(REPO)}:{line}"
            what = kind(yaml.safe_load(body))
            if what:
                found.append((where, what, body))
                continue
            reasons = [reason for test, reason in PARTIAL.values() if test(yaml.safe_load(body))]
            assert reasons, (f"{where}: a YAML block that is neither a whole workflow nor an action; "
                             "make it whole, or add it to PARTIAL with the reason it is left out")
    found.append(("action.yml", "action", (REPO / "action.yml").read_text(encoding="utf-8")))
    shipped = [p for p in (REPO / "src" / "pepctl").rglob("*") if p.suffix in (".yml", ".yaml")]
    own = REPO / ".github" / "workflows"
    shipped += sorted(p for p in own.glob("*") if p.suffix in (".yml", ".yaml")) if own.is_dir() else []
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        what = kind(yaml.safe_load(text))
        assert what, f"{path.relative_to(REPO)}: YAML that is neither a workflow nor an action"
        found.append((str(path.relative_to(REPO)), what, text))
    return found


def slug(where: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", where).strip("-").lower()


def lay_out(tree: Path, items: list[tuple[str, str, str]], pepctl: str) -> dict[str, str]:
    """Write the items as a repository: workflows in .github/workflows, actions in folders.

    ``action.yml`` goes to the root, so ``uses: ./`` is this repository's action. Returns
    {file written: where it came from}.
    """
    (tree / ".github" / "workflows").mkdir(parents=True)
    written = {}
    for where, what, text in items:
        text = text.replace(PEPCTL_PLACEHOLDER, pepctl)
        if where == "action.yml":
            name = "action.yml"
        elif what == "action":
            name = f"actions/{slug(where)}/action.yml"
        else:
            name = f".github/workflows/{slug(where)}.yml"
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text, encoding="utf-8")
        written[name] = where
    subprocess.run(["git", "init", "-q", str(tree)], check=True)  # actionlint finds local actions in a repository
    return written


@pytest.fixture(scope="module")
def items():
    found = copied_yaml()
    assert sum(what == "workflow" for _, what, _ in found) >= 4, found  # gate, relay, after review, reminders
    return found


# --- the tests ---------------------------------------------------------------------------------

def test_zizmor_finds_nothing(items, tmp_path):
    written = lay_out(tmp_path, items, f"OWNER/pepctl@{STAND_IN_SHA}")
    done = zizmor(tmp_path)
    assert done.returncode == 0, f"zizmor findings (files: {written}):\n{done.stdout}\n{done.stderr}"
    assert audited(done) == set(written), (written, done.stderr)  # every file audited, none skipped


def test_only_the_design_triggers_are_ignored(items, tmp_path):
    lay_out(tmp_path, items, f"OWNER/pepctl@{STAND_IN_SHA}")
    hidden = zizmor_findings(tmp_path, "--no-ignores")
    assert hidden, "no finding behind the ignores: remove the ignore comments that are not needed"
    for finding in hidden:
        assert finding["ident"] == "dangerous-triggers", json.dumps(finding, indent=1)
    triggers = {location["symbolic"]["route"]["route"][-1].get("Key")
                for finding in hidden for location in finding["locations"]
                if location["symbolic"]["kind"] == "Primary"}
    assert triggers <= DESIGN_TRIGGERS, triggers
    # zizmor honours an ignore anywhere in the `on:` block: require one on each trigger's own
    # line, with its reason after it, so no trigger is waved through by its neighbour's comment
    for finding in hidden:
        for location in finding["locations"]:
            if location["symbolic"]["kind"] == "Primary":
                path = tmp_path / location["symbolic"]["key"]["Local"]["verbatim_path"]
                line = path.read_text().splitlines()[location["concrete"]["location"]["start_point"]["row"]]
                assert re.fullmatch(r"\s*(\w+): # zizmor: ignore\[dangerous-triggers\] \S.{15,}", line), (path, line)
    for _, _, text in items:
        for line in text.splitlines():
            if "zizmor: ignore" in line:
                match = re.fullmatch(r"\s*(\w+): # zizmor: ignore\[dangerous-triggers\] (\S.{15,})", line)
                assert match and match.group(1) in DESIGN_TRIGGERS, line


def test_actionlint_finds_nothing(items, tmp_path):
    written = lay_out(tmp_path, items, "./")
    workflows = sorted(name for name in written if name.startswith(".github/"))
    done = actionlint(tmp_path, workflows)
    assert done.returncode == 0, f"actionlint findings (files: {written}):\n{done.stdout}\n{done.stderr}"


def test_action_scripts_pass_shellcheck(items, tmp_path):
    for where, what, text in items:
        if what != "action":
            continue
        steps = yaml.safe_load(text)["runs"].get("steps") or []
        scripts = [step["run"] for step in steps if "run" in step]
        assert scripts or where != "action.yml"
        for script in scripts:
            done = shellcheck(script, tmp_path)
            assert done.returncode == 0, f"{where}: ShellCheck:\n{done.stdout}\n{script}"


def test_every_action_is_pinned_to_a_commit_with_its_version(items):
    for where, _, text in items:
        for line in text.splitlines():
            match = re.match(r"^\s*(?:- )?uses: (\S+)", line)
            if not match or match.group(1).startswith("./"):
                continue
            if match.group(1) == PEPCTL_PLACEHOLDER:
                assert line.endswith(f"{PEPCTL_PLACEHOLDER} # vX.Y.Z"), (where, line)
                continue
            assert PINNED.match(line), f"{where}: not pinned to a full commit SHA with a '# vX.Y.Z' comment: {line}"


def test_permissions_start_from_none_and_each_job_names_its_own(items):
    seen = set()
    for where, what, text in items:
        if what != "workflow":
            continue
        workflow = yaml.safe_load(text)
        assert workflow.get("permissions") == {}, f"{where}: the top level must be `permissions: {{}}`"
        for name, job in workflow["jobs"].items():
            key = (workflow["name"], name)
            assert key in PERMISSIONS, f"{where}: job {key} is new: add what it needs to PERMISSIONS"
            assert job.get("permissions") == PERMISSIONS[key], (where, name, job.get("permissions"))
            seen.add(key)
            for step in job.get("steps") or []:
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert (step.get("with") or {}).get("persist-credentials") is False, (where, name)
    assert seen == set(PERMISSIONS)


# --- the linters do flag what they must --------------------------------------------------------

BAD_WORKFLOW = """\
name: bad
on:
  pull_request_target:
jobs:
  bad:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}" && echo $HOME
      - uses: ./
        with:
          no-such-input: 1
"""

BAD_ACTION = """\
name: bad
description: bad
inputs:
  what:
    description: anything
runs:
  using: composite
  steps:
    - shell: bash
      run: echo ${{ inputs.what }}
"""


def test_the_linters_catch_a_bad_workflow(items, tmp_path):
    """The same helpers as above, on a workflow and an action with the faults they guard against."""
    good_action = next(text for where, _, text in items if where == "action.yml")
    written = lay_out(tmp_path, [("bad", "workflow", BAD_WORKFLOW), ("action.yml", "action", good_action),
                                 ("bad action", "action", BAD_ACTION)], "./")
    assert {".github/workflows/bad.yml", "actions/bad-action/action.yml"} <= set(written)

    idents = {f["ident"] for f in zizmor_findings(tmp_path)}
    for expected in ("dangerous-triggers", "excessive-permissions", "unpinned-uses", "template-injection",
                     "artipacked"):
        assert expected in idents, (expected, idents)
    assert zizmor(tmp_path).returncode != 0

    done = actionlint(tmp_path, [".github/workflows/bad.yml"])
    assert done.returncode != 0
    assert '"github.event.pull_request.title" is potentially untrusted' in done.stdout, done.stdout
    assert "SC2086" in done.stdout, done.stdout  # ShellCheck really ran
    assert 'input "no-such-input" is not defined in action' in done.stdout, done.stdout  # ./ is action.yml

    action_script = yaml.safe_load(BAD_ACTION)["runs"]["steps"][0]["run"].replace("${{ inputs.what }}", "$WHAT")
    assert "SC2086" in shellcheck(action_script, tmp_path).stdout


def test_a_partial_yaml_block_is_refused(monkeypatch, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("```yaml\njobs:\n  x:\n    runs-on: ubuntu-latest\n```\n")
    (tmp_path / "action.yml").write_text("runs:\n  using: composite\n  steps: []\n")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    with pytest.raises(AssertionError, match="neither a whole workflow nor an action"):
        copied_yaml()
