"""Every command, run as a user runs it, ends cleanly on every file of the real corpus.

The corpus is copied into a throwaway git repository (so `history` has
something to read); each command must exit 0 or 1 and never print a
traceback or an internal error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from pathlib import Path

from pepctl.cli.group import cli  # noqa: F401  (imported so a broken CLI fails here too)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "plano-1k"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Plano",
    "GIT_AUTHOR_EMAIL": "plano@example.org",
    "GIT_COMMITTER_NAME": "Plano",
    "GIT_COMMITTER_EMAIL": "plano@example.org",
    "GIT_AUTHOR_DATE": "2026-04-07T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-04-07T12:00:00Z",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory, request):
    if not CORPUS.is_dir():
        pytest.skip("the plano-1k corpus is not beside this checkout")
    root = tmp_path_factory.mktemp("plano")
    folder = root / "docs" / "peps"
    shutil.copytree(CORPUS, folder)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "Import the PEPs"], check=True, env=env)
    return root


def clean(result):
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "internal error" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--format", "sarif"],
        ["check", "--format", "github"],
        ["check", "--changed-since", "HEAD"],
        ["rules"],
        ["list"],
        ["list", "--format", "json"],
        ["list", "--format", "csv"],
        ["index", "--check"],
        ["history"],
        ["history", "--format", "json"],
        ["next"],
        ["config"],
    ],
    ids=lambda a: " ".join(a),
)
def test_command_ends_cleanly_on_the_corpus(repo, pepctl, args):
    clean(pepctl(*args, cwd=repo))


def test_check_reports_the_real_duplicate_numbers(repo, pepctl):
    result = clean(pepctl("check", "--select", "X001", "--format", "json", cwd=repo))
    files = sorted(os.path.basename(d["path"]) for d in json.loads(result.stdout))
    assert files == [
        "PEP-2071-impl-trait-existential-types.md",
        "PEP-2071-impl-trait-type-alias.md",
        "PEP-5519-borrow-inout-types.md",
        "PEP-5519-ref-and-mutableref-types-for-safe.md",
    ]
    assert result.returncode == 1


def test_show_and_dry_run_status_on_every_pep(repo):
    """In-process, so all 1,187 PEPs go through `show` and a dry-run `status`."""
    from click.testing import CliRunner

    from pepctl.cli.group import cli

    runner = CliRunner()
    folder = str(repo / "docs" / "peps")
    numbers = sorted({int(n[4:8]) for n in os.listdir(folder) if n[4:8].isdigit()})
    assert len(numbers) > 1000
    for number in numbers:
        for args in (["show", str(number), "--format", "json"], ["status", str(number), "Complete", "--dry-run"]):
            result = runner.invoke(cli, ["--dir", folder, *args])
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)


def test_index_then_history_then_check_on_the_corpus(repo, pepctl, tmp_path):
    work = tmp_path / "copy"
    shutil.copytree(repo, work)
    assert clean(pepctl("index", cwd=work)).returncode == 0
    assert clean(pepctl("index", "--check", cwd=work)).returncode == 0
    history = json.loads(clean(pepctl("history", "--format", "json", cwd=work)).stdout)
    assert len({item["path"] for item in history}) >= 1187
    created = clean(pepctl("new", "A brand new idea", "--author", "Ada Lovelace (@ada)", cwd=work))
    assert "PEP-5547-a-brand-new-idea.md" in created.stdout
