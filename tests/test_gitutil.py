"""git helpers and `pepctl check --changed-since`, on real throwaway repositories."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from pepctl import gitutil
from pepctl.config import ConfigError

PEP = """# PEP-{n:04d}: Title {n}

| Field | Value |
|---|---|
| **PEP** | {n:04d} |
| **Title** | Title {n} |
| **Status** | {status} |
| **Author(s)** | Ada Lovelace (@ada) |
| **Created** | 2026-01-05 |

## Summary

Text.
"""


class GitRepo:
    """A real repository in a temporary folder, with fixed commit dates."""

    def __init__(self, root):
        self.root = root
        self.day = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, day: int | None = None) -> str:
        stamp = f"2026-01-{(day if day is not None else self.day) + 1:02d}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(
            ["git", "-c", "user.name=Test Author", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
             *args],
            cwd=self.root, env=env, capture_output=True, text=True, check=True,
        )
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def pep(self, rel: str, number: int, status: str = "Draft") -> None:
        self.write(rel, PEP.format(n=number, status=status))

    def commit(self, message: str = "change") -> str:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitignore", "*.tmp.md\n")
    repo.write("README.md", "project\n")
    for number in (1, 2, 3, 4):
        repo.pep(f"docs/peps/PEP-{number:04d}-t.md", number)
    repo.pep("other/PEP-0050-elsewhere.md", 50)
    repo.commit("start")
    return repo


def test_run_git_outside_a_repository_says_so(tmp_path):
    with pytest.raises(gitutil.GitError) as caught:
        gitutil.repo_info(str(tmp_path))
    assert "not inside a git repository" in str(caught.value)
    assert isinstance(caught.value, ConfigError)


def test_run_git_failure_names_the_command_and_quotes_git(repo):
    with pytest.raises(gitutil.GitError) as caught:
        gitutil.run_git(["cat-file", "-p", "no-such-object"], str(repo.root))
    message = str(caught.value)
    assert "`git cat-file -p no-such-object` failed" in message
    assert caught.value.stderr and caught.value.stderr in message
    assert caught.value.command == ["git", "cat-file", "-p", "no-such-object"]


def test_run_git_without_git_installed(repo, tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(gitutil.GitError) as caught:
        gitutil.run_git(["status"], str(repo.root))
    assert "git is not installed" in str(caught.value)


def test_repo_info_before_the_first_commit(tmp_path):
    repo = GitRepo(tmp_path / "fresh")
    (repo.root / "docs").mkdir()
    info = gitutil.repo_info(str(repo.root / "docs"))
    assert info.head is None
    assert os.path.samefile(info.root, repo.root)
    assert info.shallow is False


def test_repo_info_knows_head(repo):
    info = gitutil.repo_info(str(repo.root / "docs" / "peps"))
    assert info.head == repo.git("rev-parse", "HEAD")
    assert os.path.samefile(info.git_dir, repo.root / ".git")


def test_is_shallow(repo, tmp_path):
    repo.pep("docs/peps/PEP-0001-t.md", 1, "Under Review")
    repo.commit()
    repo.pep("docs/peps/PEP-0001-t.md", 1, "Accepted")
    repo.commit()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    assert gitutil.is_shallow(str(clone)) is True
    assert gitutil.is_shallow(str(repo.root)) is False


def changed(repo, ref="HEAD", paths=()):
    """changes_since(...).files run from the repository root, as `pepctl` would be."""
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        return gitutil.changes_since("docs/peps", ref, list(paths)).files
    finally:
        os.chdir(cwd)


def test_changed_since_counts_modified_staged_untracked_and_committed(repo):
    base = repo.git("rev-parse", "HEAD")
    repo.pep("docs/peps/PEP-0001-t.md", 1, "Under Review")  # committed after the ref
    repo.commit()
    repo.pep("docs/peps/PEP-0002-t.md", 2, "Withdrawn")  # staged
    repo.git("add", "docs/peps/PEP-0002-t.md")
    repo.pep("docs/peps/PEP-0003-t.md", 3, "Under Review")  # modified, not staged
    repo.pep("docs/peps/PEP-0005-new.md", 5)  # untracked
    (repo.root / "docs/peps/PEP-0004-t.md").unlink()  # deleted: nothing to check
    repo.pep("docs/peps/PEP-0006-scratch.tmp.md", 6)  # untracked but ignored
    repo.write("docs/peps/notes.md", "not a PEP\n")  # untracked, not a PEP file
    repo.pep("other/PEP-0050-elsewhere.md", 50, "Accepted")  # outside the PEP folder
    assert changed(repo, base) == [
        os.path.join("docs/peps", name)
        for name in ("PEP-0001-t.md", "PEP-0002-t.md", "PEP-0003-t.md", "PEP-0005-new.md")
    ]
    # against HEAD the committed change no longer counts
    assert "docs/peps/PEP-0001-t.md" not in changed(repo, "HEAD")
    assert "docs/peps/PEP-0002-t.md" in changed(repo, "HEAD")


def test_changed_since_leaves_out_committed_deletions(repo):
    base = repo.git("rev-parse", "HEAD")
    repo.git("rm", "-q", "docs/peps/PEP-0004-t.md")
    repo.commit()
    assert changed(repo, base) == []


def test_changed_since_with_no_changes_is_empty(repo):
    assert changed(repo, "HEAD") == []


def test_changed_since_limited_to_named_paths(repo):
    repo.pep("docs/peps/PEP-0001-t.md", 1, "Under Review")
    repo.pep("docs/peps/PEP-0003-t.md", 3, "Under Review")
    assert changed(repo, "HEAD", ["docs/peps/PEP-0003-t.md"]) == ["docs/peps/PEP-0003-t.md"]
    assert changed(repo, "HEAD", ["docs/peps/PEP-0002-t.md"]) == []
    assert changed(repo, "HEAD", ["docs/peps"]) == ["docs/peps/PEP-0001-t.md", "docs/peps/PEP-0003-t.md"]


def test_changed_since_file_names_with_spaces_and_unicode(repo):
    repo.pep("docs/peps/PEP-0007-café au lait.md", 7)
    assert changed(repo, "HEAD") == ["docs/peps/PEP-0007-café au lait.md"]


def test_unknown_ref_is_a_config_error_naming_it(repo):
    with pytest.raises(ConfigError) as caught:
        changed(repo, "no-such-branch")
    assert "no-such-branch" in str(caught.value)
    with pytest.raises(ConfigError):
        changed(repo, "--output=/tmp/x")


def test_changed_since_outside_a_repository(tmp_path):
    folder = tmp_path / "peps"
    folder.mkdir()
    (folder / "PEP-0001-t.md").write_text(PEP.format(n=1, status="Draft"))
    with pytest.raises(ConfigError) as caught:
        gitutil.changes_since(str(folder), "HEAD")
    assert "not inside a git repository" in str(caught.value)


def test_check_changed_since_unknown_ref_exits_2(repo, pepctl):
    done = pepctl("check", "--changed-since", "no-such-ref", cwd=repo.root)
    assert done.returncode == 2
    assert "no-such-ref" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_changed_since_checks_only_changed_files(repo, pepctl):
    # every PEP here has the same defect (no sections); only the touched one is reported
    base = repo.git("rev-parse", "HEAD")
    repo.pep("docs/peps/PEP-0002-t.md", 2, "Under Review")
    done = pepctl("check", "--changed-since", base, "--format", "json", cwd=repo.root)
    assert done.returncode in (0, 1), done.stderr
    paths = {d["path"] for d in json.loads(done.stdout)}
    assert paths <= {os.path.join("docs", "peps", "PEP-0002-t.md")}
    full = pepctl("check", "--format", "json", cwd=repo.root)
    assert len({d["path"] for d in json.loads(full.stdout)}) > 1, "the fixture PEPs should all have findings"
    assert paths, "the changed file has the same findings as the others"


def test_check_changed_since_nothing_changed_exits_0(repo, pepctl):
    done = pepctl("check", "--changed-since", "HEAD", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_run_git_gives_up_after_its_timeout(tmp_path):
    """A git that hangs (here: waiting on an editor that sleeps) is a GitError, not a hang."""
    import subprocess
    import time

    from pepctl import gitutil

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    start = time.monotonic()
    with pytest.raises(gitutil.GitError, match="took longer than 0.5 s"):
        gitutil.run_git(["-c", "core.editor=sleep 30; true", "-c", "user.name=a", "-c", "user.email=a@b", "commit",
                         "--allow-empty"], str(tmp_path), timeout=0.5)
    assert time.monotonic() - start < 20
