"""`check --changed-since` also checks the files a change breaks without touching them.

The index when a PEP comes, goes or changes its row; PEPs that link to a
file that was deleted or renamed; the other side of a Supersedes link. Old
problems in untouched, unrelated files stay out of the report.
"""

from __future__ import annotations

import json
import os

import pytest

from pepctl import gitutil
from peptext import small_pep
from test_gitutil import GitRepo


INDEX = """# PEP-0000: Index

| Field | Value |
|---|---|
| **PEP** | 0000 |
| **Title** | Index |
| **Status** | Active |
| **Author(s)** | Plano Maintainers |
| **Created** | 2026-01-05 |

## Index

| PEP | Title | Status | Author |
|---|---|---|---|
"""

PEPS = "docs/peps"


def write_pep(repo, name, n, title=None, status="Draft", body="Text.", extra=""):
    repo.write(f"{PEPS}/{name}", small_pep(n, title or f"Title {n}", status, extra=extra, body=body))


@pytest.fixture
def repo(tmp_path, pepctl):
    """An index and three PEPs, the index up to date, all committed.

    PEP-0002 links to PEP-0001; PEP-0003 has an old broken link of its own.
    """
    repo = GitRepo(tmp_path / "repo")
    repo.write(f"{PEPS}/PEP-0000-index.md", INDEX)
    write_pep(repo, "PEP-0001-one.md", 1)
    write_pep(repo, "PEP-0002-two.md", 2, body="Builds on [PEP-0001](PEP-0001-one.md).")
    write_pep(repo, "PEP-0003-three.md", 3, body="See [the lost one](PEP-0099-lost.md).")
    done = pepctl("index", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    repo.commit("start")
    return repo


def check_x(pepctl, repo, ref="HEAD"):
    """(exit status, {(file name, code)}) of `check --changed-since REF --select X`."""
    done = pepctl("check", "--changed-since", ref, "--select", "X", "--format", "json", cwd=repo.root)
    assert done.returncode in (0, 1), done.stderr
    found = {(os.path.basename(d["path"]), d["code"]) for d in json.loads(done.stdout)}
    return done.returncode, found


def test_full_check_sees_only_the_old_broken_link(repo, pepctl):
    done = pepctl("check", "--select", "X", "--format", "json", cwd=repo.root)
    assert {(os.path.basename(d["path"]), d["code"]) for d in json.loads(done.stdout)} == {("PEP-0003-three.md", "X004")}


def test_new_uncommitted_pep_checks_the_index(repo, pepctl):
    write_pep(repo, "PEP-0005-new.md", 5)
    assert check_x(pepctl, repo) == (1, {("PEP-0000-index.md", "X005")})


def test_new_pep_committed_after_the_ref_checks_the_index(repo, pepctl):
    base = repo.git("rev-parse", "HEAD")
    write_pep(repo, "PEP-0005-new.md", 5)
    repo.commit("add 5")
    assert check_x(pepctl, repo, base) == (1, {("PEP-0000-index.md", "X005")})
    # once the index is brought up to date, the change is clean
    assert pepctl("index", cwd=repo.root).returncode == 0
    assert check_x(pepctl, repo, base) == (0, set())


def test_git_mv_checks_the_index_and_the_files_linking_to_the_old_name(repo, pepctl):
    repo.git("mv", f"{PEPS}/PEP-0001-one.md", f"{PEPS}/PEP-0001-first.md")
    code, found = check_x(pepctl, repo)
    assert code == 1
    # the index row points at the old name; PEP-0002's link too. PEP-0003's old broken link stays out.
    assert found == {("PEP-0000-index.md", "X005"), ("PEP-0000-index.md", "X004"), ("PEP-0002-two.md", "X004")}


def test_deleted_pep_checks_the_index_and_the_files_linking_to_it(repo, pepctl):
    repo.git("rm", "-q", f"{PEPS}/PEP-0001-one.md")
    repo.commit("drop 1")
    code, found = check_x(pepctl, repo, "HEAD~1")
    assert code == 1
    assert found == {("PEP-0000-index.md", "X005"), ("PEP-0000-index.md", "X004"), ("PEP-0002-two.md", "X004")}


def test_title_or_status_change_checks_the_index(repo, pepctl):
    write_pep(repo, "PEP-0001-one.md", 1, title="A Better Title")
    assert check_x(pepctl, repo) == (1, {("PEP-0000-index.md", "X005")})
    write_pep(repo, "PEP-0001-one.md", 1, status="Under Review")
    assert check_x(pepctl, repo) == (1, {("PEP-0000-index.md", "X005")})


def test_body_change_leaves_a_stale_index_alone(repo, pepctl):
    # an index already stale before the ref is an old problem, not this change's
    write_pep(repo, "PEP-0004-unlisted.md", 4)
    repo.commit("add 4 without the index")
    write_pep(repo, "PEP-0001-one.md", 1, body="Reworded text.")
    assert check_x(pepctl, repo) == (0, set())


def test_dropping_a_supersedes_link_checks_the_other_side(repo, pepctl):
    write_pep(repo, "PEP-0001-one.md", 1, status="Draft", extra="\n| **Superseded-By** | PEP-0002 |")
    write_pep(repo, "PEP-0002-two.md", 2, body="Builds on [PEP-0001](PEP-0001-one.md).",
              extra="\n| **Supersedes** | PEP-0001 |")
    repo.commit("supersede")
    assert pepctl("check", "--select", "X003", cwd=repo.root).returncode == 0
    write_pep(repo, "PEP-0002-two.md", 2, body="Builds on [PEP-0001](PEP-0001-one.md).")
    assert check_x(pepctl, repo) == (1, {("PEP-0001-one.md", "X003")})


def test_deleting_a_superseded_pep_checks_who_names_its_number(repo, pepctl):
    write_pep(repo, "PEP-0003-three.md", 3, body="Text.", extra="\n| **Supersedes** | PEP-0001 |")
    repo.commit("3 supersedes 1, one-sided")
    repo.git("rm", "-q", f"{PEPS}/PEP-0001-one.md")
    code, found = check_x(pepctl, repo)
    assert ("PEP-0003-three.md", "X002") in found


def test_named_file_limits_the_extra_files_too(repo, pepctl):
    write_pep(repo, "PEP-0005-new.md", 5)
    done = pepctl("check", "--changed-since", "HEAD", "--select", "X", f"{PEPS}/PEP-0005-new.md", cwd=repo.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def test_changes_tell_renames_deletions_and_edits_apart(repo):
    repo.git("mv", f"{PEPS}/PEP-0001-one.md", f"{PEPS}/PEP-0001-first.md")
    repo.git("rm", "-q", f"{PEPS}/PEP-0003-three.md")
    write_pep(repo, "PEP-0002-two.md", 2, body="Edited.")
    write_pep(repo, "PEP-0005-new.md", 5)
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        changes = gitutil.changes_since(PEPS, "HEAD")
    finally:
        os.chdir(cwd)
    peps = os.path.realpath(repo.root / PEPS)
    assert changes.added == {os.path.join(peps, "PEP-0001-first.md"), os.path.join(peps, "PEP-0005-new.md")}
    assert changes.removed == {
        os.path.join(peps, "PEP-0001-one.md"): f"{PEPS}/PEP-0001-one.md",
        os.path.join(peps, "PEP-0003-three.md"): f"{PEPS}/PEP-0003-three.md",
    }
    assert changes.modified == {os.path.join(peps, "PEP-0002-two.md"): f"{PEPS}/PEP-0002-two.md"}
    assert changes.files == [os.path.join(PEPS, n) for n in ("PEP-0001-first.md", "PEP-0002-two.md", "PEP-0005-new.md")]
    then = changes.contents_then([f"{PEPS}/PEP-0002-two.md", f"{PEPS}/PEP-0003-three.md", f"{PEPS}/PEP-0042-never.md"])
    assert b"Builds on [PEP-0001]" in then[f"{PEPS}/PEP-0002-two.md"]
    assert then[f"{PEPS}/PEP-0003-three.md"].startswith(b"# PEP-0003: Title 3\n")
    assert then[f"{PEPS}/PEP-0042-never.md"] is None


def test_turning_supersedes_around_checks_the_other_side(repo, pepctl):
    write_pep(repo, "PEP-0001-one.md", 1, extra="\n| **Superseded-By** | PEP-0002 |")
    write_pep(repo, "PEP-0002-two.md", 2, body="Builds on [PEP-0001](PEP-0001-one.md).",
              extra="\n| **Supersedes** | PEP-0001 |")
    repo.commit("supersede")
    write_pep(repo, "PEP-0002-two.md", 2, body="Builds on [PEP-0001](PEP-0001-one.md).",
              extra="\n| **Superseded-By** | PEP-0001 |")
    code, found = check_x(pepctl, repo)
    assert ("PEP-0001-one.md", "X003") in found


def test_renaming_a_pep_leaves_its_supersede_partners_alone(repo, pepctl):
    # PEP-0003's old broken link is reported only if PEP-0003 is wrongly pulled in
    write_pep(repo, "PEP-0001-one.md", 1, extra="\n| **Supersedes** | PEP-0003 |")
    repo.commit("1 supersedes 3, one-sided")
    repo.git("mv", f"{PEPS}/PEP-0001-one.md", f"{PEPS}/PEP-0001-first.md")
    code, found = check_x(pepctl, repo)
    assert not any(name == "PEP-0003-three.md" for name, _ in found)


def test_looking_for_links_to_a_deleted_pep_reads_no_pipe_and_no_link_out(repo, pepctl, tmp_path):
    """Such a search reads every PEP file: a pipe would hang it, a link to /dev/zero exhaust memory."""
    secret = tmp_path / "outside.md"
    secret.write_text("Links to [one](PEP-0001-one.md).\n")
    os.remove(repo.root / PEPS / "PEP-0001-one.md")
    os.mkfifo(repo.root / PEPS / "PEP-0008-pipe.md")
    os.symlink(secret, repo.root / PEPS / "PEP-0009-outside.md")
    done = pepctl("check", "--changed-since", "HEAD", "--format", "json", cwd=repo.root)  # 120 s timeout
    assert done.returncode == 1, done.stderr
    found = {(os.path.basename(d["path"]), d["code"]) for d in json.loads(done.stdout)}
    assert ("PEP-0002-two.md", "X004") in found  # the real referrer is still found
    assert not any(name == "PEP-0009-outside.md" and code == "X004" for name, code in found)
