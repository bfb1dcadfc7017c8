"""Status timelines from git: `pepctl.history` and `pepctl history`, on real repositories."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from pepctl import gitutil
from pepctl.cli.group import cli
from pepctl.history import Change, History, _earliest, diff_paths, read_history, unquote_path

PEP = """# PEP-{n:04d}: Title {n}

| Field | Value |
|---|---|
| **PEP** | {n:04d} |
| **Title** | Title {n} |
{status_row}
| **Author(s)** | Ada Lovelace (@ada) |
| **Created** | 2026-01-05 |

## Summary

{body}
"""


def pep_text(number: int, status: str, body: str = "Text.", status_row: str | None = None) -> str:
    row = status_row if status_row is not None else f"| **Status** | {status} |"
    return PEP.format(n=number, status_row=row, body=body)


class GitRepo:
    """A real repository in a temporary folder; commit N is dated 2026-01-(N+1)."""

    def __init__(self, root, peps: str = "docs/peps"):
        self.root = root
        self.peps = peps
        self.day = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, authored: int | None = None) -> str:
        stamp = f"2026-01-{self.day + 1:02d}T12:00:00+00:00"
        author = f"2026-01-{authored + 1:02d}T08:00:00+00:00" if authored is not None else stamp
        env = {**os.environ, "GIT_AUTHOR_DATE": author, "GIT_COMMITTER_DATE": stamp,
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(
            ["git", "-c", "user.name=Test Author", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
             *args],
            cwd=self.root, env=env, capture_output=True, text=True, check=True,
        )
        return done.stdout.strip()

    def path(self, name: str):
        return self.root / self.peps / name if "/" not in name else self.root / name

    def write(self, name: str, text: str, newline: str = "\n") -> None:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))

    def pep(self, name: str, number: int, status: str, **kwargs) -> None:
        newline = kwargs.pop("newline", "\n")
        self.write(name, pep_text(number, status, **kwargs), newline)

    def commit(self, message: str = "change", authored: int | None = None) -> str:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, authored=authored)
        return self.git("rev-parse", "HEAD")


def history(repo, **kwargs):
    return read_history(str(repo.root / repo.peps), **kwargs)


def rows(result):
    """(file name, date, old, new) per change: what a reader looks at."""
    return [(os.path.basename(c.path), c.date[:10], c.old, c.new) for c in result.changes]


@pytest.fixture
def repo(tmp_path):
    """PEP-0001 goes Draft -> Under Review -> Accepted; PEP-0002 is created on day 2."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("README.md", "project\n")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.commit("PEP-0001")
    repo.pep("PEP-0001-first.md", 1, "Under Review")
    repo.pep("PEP-0002-second.md", 2, "Draft")
    repo.commit("review PEP-0001, add PEP-0002")
    repo.pep("PEP-0001-first.md", 1, "Accepted", body="Text, revised.")
    repo.commit("accept PEP-0001")
    return repo


def test_status_changes_in_order_with_dates_and_commits(repo):
    result = history(repo)
    shas = repo.git("log", "--reverse", "--format=%H").split()
    assert rows(result) == [
        ("PEP-0001-first.md", "2026-01-02", None, "Draft"),
        ("PEP-0001-first.md", "2026-01-03", "Draft", "Under Review"),
        ("PEP-0002-second.md", "2026-01-03", None, "Draft"),
        ("PEP-0001-first.md", "2026-01-04", "Under Review", "Accepted"),
    ]
    assert [c.commit for c in result.changes] == [shas[0], shas[1], shas[1], shas[2]]
    assert [c.number for c in result.changes] == [1, 1, 2, 1]
    assert result.changes[0].date == "2026-01-02T12:00:00+00:00"
    assert result.warning is None
    assert result.changes[0].path == os.path.join(str(repo.root / "docs/peps"), "PEP-0001-first.md")


def test_dates_are_when_the_change_landed(repo):
    """A commit written on day 1 and applied (rebased, cherry-picked) on day 5 counts on day 5."""
    repo.pep("PEP-0002-second.md", 2, "Under Review")
    repo.commit(authored=0)
    assert history(repo).changes[-1].date == "2026-01-05T12:00:00+00:00"


def test_timelines_are_keyed_by_current_path(repo):
    timelines = history(repo).timelines
    assert sorted(os.path.basename(p) for p in timelines) == ["PEP-0001-first.md", "PEP-0002-second.md"]
    first = timelines[next(p for p in timelines if p.endswith("PEP-0001-first.md"))]
    assert [(c.old, c.new) for c in first] == [(None, "Draft"), ("Draft", "Under Review"), ("Under Review", "Accepted")]


def test_edits_that_keep_the_status_are_not_changes(repo):
    repo.pep("PEP-0002-second.md", 2, "Draft", body="Rewritten summary.")
    repo.commit()
    repo.pep("PEP-0002-second.md", 2, "Draft", status_row="|   **Status**   |   Draft   |")  # padding only
    repo.commit()
    assert len(history(repo).for_number(2)) == 1


@pytest.mark.parametrize(
    "row, expected",
    [
        ("| Status | Deferred |", "Deferred"),
        ("|**STATUS**|Deferred|", "Deferred"),
        ("   | __Status__ |    Deferred    |", "Deferred"),
        ("| *Status* | Deferred", "Deferred"),
        ("| **Status** | Under\tReview |", "Under\tReview"),
    ],
)
def test_status_row_spellings(repo, row, expected):
    repo.pep("PEP-0002-second.md", 2, "", status_row=row)
    repo.commit()
    assert rows(history(repo))[-1] == ("PEP-0002-second.md", "2026-01-05", "Draft", expected)


def test_crlf_file(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.pep("PEP-0003-crlf.md", 3, "Draft", newline="\r\n")
    repo.commit()
    repo.pep("PEP-0003-crlf.md", 3, "Under Review", newline="\r\n")
    repo.commit()
    assert rows(history(repo)) == [
        ("PEP-0003-crlf.md", "2026-01-02", None, "Draft"),
        ("PEP-0003-crlf.md", "2026-01-03", "Draft", "Under Review"),
    ]


def test_non_utf8_bytes_in_the_patch(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    path = repo.path("PEP-0004-latin.md")
    path.parent.mkdir(parents=True)
    path.write_bytes(pep_text(4, "Draft", body="Caf\xe9").encode("latin-1"))
    repo.commit()
    path.write_bytes(pep_text(4, "Under Review", body="Caf\xe9 cr\xe8me").encode("latin-1"))
    repo.commit()
    path.write_bytes(pep_text(4, "Accepted \xe9", body="x").encode("latin-1"))
    repo.commit()
    assert rows(history(repo)) == [
        ("PEP-0004-latin.md", "2026-01-02", None, "Draft"),
        ("PEP-0004-latin.md", "2026-01-03", "Draft", "Under Review"),
        ("PEP-0004-latin.md", "2026-01-04", "Under Review", "Accepted \ufffd"),
    ]


def test_files_git_treats_as_binary(tmp_path):
    """`*.md -diff` (or `binary`) in .gitattributes: git would print "Binary files differ" without --text."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(".gitattributes", "*.md -diff\n")
    repo.pep("PEP-0005-binary.md", 5, "Draft")
    repo.commit()
    repo.pep("PEP-0005-binary.md", 5, "Under Review")
    repo.commit()
    assert rows(history(repo)) == [
        ("PEP-0005-binary.md", "2026-01-02", None, "Draft"),
        ("PEP-0005-binary.md", "2026-01-03", "Draft", "Under Review"),
    ]


def test_a_nul_byte_for_one_commit_hides_no_change(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    path = repo.path("PEP-0006-nul.md")
    path.parent.mkdir(parents=True)
    path.write_bytes(pep_text(6, "Draft").encode())
    repo.commit()
    path.write_bytes(pep_text(6, "Draft", body="Pasted \x00 by mistake, and \xff\xfe too.\nMore.").encode("latin-1"))
    repo.commit()
    path.write_bytes(pep_text(6, "Under Review", body="Fixed.").encode())  # the NUL goes, the status changes
    repo.commit()
    path.write_bytes(pep_text(6, "Accepted", body="\x00\x01\x02").encode())  # changed along with a NUL
    repo.commit()
    assert rows(history(repo)) == [
        ("PEP-0006-nul.md", "2026-01-02", None, "Draft"),
        ("PEP-0006-nul.md", "2026-01-04", "Draft", "Under Review"),
        ("PEP-0006-nul.md", "2026-01-05", "Under Review", "Accepted"),
    ]


def test_status_row_on_the_last_line_without_a_newline(tmp_path):
    """git's "\\ No newline at end of file" line in a hunk does not shift the status row."""
    repo = GitRepo(tmp_path / "repo")
    path = repo.path("PEP-0007-x.md")
    path.parent.mkdir(parents=True)
    head = "# PEP-0007: X\n\n| Field | Value |\n|---|---|\n| **PEP** | 0007 |\n"
    for status in ("Draft", "Under Review", "Accepted", "Implementing"):
        path.write_bytes((head + f"| **Status** | {status} |").encode())
        repo.commit()
    assert [(old, new) for _, _, old, new in rows(history(repo))] == [
        (None, "Draft"), ("Draft", "Under Review"), ("Under Review", "Accepted"), ("Accepted", "Implementing"),
    ]


def test_rename_keeps_the_timeline(repo):
    repo.git("mv", "docs/peps/PEP-0002-second.md", "docs/peps/PEP-0002-renamed.md")
    repo.commit("rename only")
    repo.pep("PEP-0002-renamed.md", 2, "Under Review")
    repo.commit()
    repo.git("mv", "docs/peps/PEP-0002-renamed.md", "docs/peps/PEP-0002-final.md")
    repo.pep("PEP-0002-final.md", 2, "Withdrawn")  # renamed and changed in one commit
    repo.commit()
    changes = history(repo).for_number(2)
    assert [(os.path.basename(c.path), c.old, c.new) for c in changes] == [
        ("PEP-0002-final.md", None, "Draft"),
        ("PEP-0002-final.md", "Draft", "Under Review"),
        ("PEP-0002-final.md", "Under Review", "Withdrawn"),
    ]


def test_only_the_pep_folder_is_read(repo, monkeypatch):
    """The log is limited to the folder by a literal path, which git can prune cheaply."""
    calls = []
    real = gitutil.run_git

    def recording(args, cwd, *rest, **kwargs):
        calls.append(list(args))
        return real(args, cwd, *rest, **kwargs)

    monkeypatch.setattr(gitutil, "run_git", recording)
    history(repo)
    log = next(args for args in calls if "log" in args)
    assert log[log.index("--") + 1 :] == [":(literal)docs/peps"]


def test_pep_folder_at_the_repository_root(tmp_path):
    repo = GitRepo(tmp_path / "repo", peps=".")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.write("src/code.py", "print()\n")
    repo.commit()
    repo.pep("PEP-0001-first.md", 1, "Under Review")
    repo.commit()
    assert rows(history(repo))[-1] == ("PEP-0001-first.md", "2026-01-03", "Draft", "Under Review")


def test_deleted_pep_leaves_the_history_and_a_new_file_starts_afresh(repo):
    repo.git("rm", "-q", "docs/peps/PEP-0002-second.md")
    repo.commit()
    assert history(repo).for_number(2) == []
    repo.pep("PEP-0002-second.md", 2, "Under Review")
    repo.commit()
    assert [(c.old, c.new, c.date[:10]) for c in history(repo).for_number(2)] == [(None, "Under Review", "2026-01-06")]


def test_files_outside_the_folder_and_the_template_are_left_out(repo):
    repo.pep("other/PEP-0050-elsewhere.md", 50, "Draft")
    repo.pep("PEP-TEMPLATE.md", 0, "Draft")
    repo.pep("archive/PEP-0060-old.md", 60, "Draft")
    repo.commit()
    names = {os.path.basename(c.path) for c in history(repo, is_pep_file=lambda n: n != "PEP-TEMPLATE.md").changes}
    assert names == {"PEP-0001-first.md", "PEP-0002-second.md"}


def test_a_status_row_in_a_body_table_is_not_a_status_change(repo):
    table = "| Field | Meaning |\n|---|---|\n| **Status** | {} |"
    repo.pep("PEP-0002-second.md", 2, "Draft", body=table.format("shown to users"))
    repo.commit()
    repo.pep("PEP-0002-second.md", 2, "Draft", body=table.format("hidden"))
    repo.commit()
    assert [(c.old, c.new) for c in history(repo).for_number(2)] == [(None, "Draft")]


def test_status_row_tracked_when_lines_above_it_change(repo):
    # a field added above the Status row moves it down; a later body row is still not the status
    text = pep_text(2, "Draft").replace("| **Title** |", "| **Sponsor** | Bob (@bob) |\n| **Extra** | x |\n| **Title** |")
    repo.write("PEP-0002-second.md", text)
    repo.commit()
    repo.write("PEP-0002-second.md", text.replace("Text.", "| **Status** | Accepted |"))
    repo.commit()
    repo.write("PEP-0002-second.md", text.replace("Text.", "| **Status** | Accepted |").replace("| Draft |", "| Under Review |"))
    repo.commit()
    assert [(c.old, c.new) for c in history(repo).for_number(2)] == [(None, "Draft"), ("Draft", "Under Review")]


def test_status_added_after_creation(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("PEP-0009-late.md", "# PEP-0009: Late\n\nNo table yet.\n")
    repo.commit()
    repo.pep("PEP-0009-late.md", 9, "Draft")
    repo.commit()
    assert rows(history(repo)) == [("PEP-0009-late.md", "2026-01-03", None, "Draft")]


def test_merges_count_once_on_the_first_parent(repo):
    """A branch's intermediate statuses do not show; the merge carries the change, dated when it landed."""
    repo.git("checkout", "-q", "-b", "feature")
    repo.pep("PEP-0002-second.md", 2, "Under Review")
    repo.commit("review")
    repo.pep("PEP-0002-second.md", 2, "Withdrawn")
    repo.commit("withdraw")
    repo.git("checkout", "-q", "main")
    repo.write("README.md", "project, updated\n")
    repo.commit("unrelated")
    repo.day += 1
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    merge = repo.git("rev-parse", "HEAD")
    changes = history(repo).for_number(2)
    assert [(c.old, c.new, c.commit, c.date[:10]) for c in changes] == [
        (None, "Draft", changes[0].commit, "2026-01-03"),
        ("Draft", "Withdrawn", merge, "2026-01-08"),
    ]


def test_repository_without_commits(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    result = history(repo)
    assert result.changes == [] and result.warning is None
    assert os.path.realpath(result.repo_root) == os.path.realpath(repo.root)  # the repository is still named


def test_not_a_repository(tmp_path):
    (tmp_path / "PEP-0001-first.md").write_text(pep_text(1, "Draft"))
    with pytest.raises(gitutil.GitError) as caught:
        read_history(str(tmp_path))
    assert "not inside a git repository" in str(caught.value)


def test_shallow_clone_warns_and_invents_no_creation(repo, tmp_path):
    repo.pep("PEP-0002-second.md", 2, "Under Review")
    repo.commit()  # day 5
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True)
    result = read_history(str(clone / "docs" / "peps"))
    assert result.warning == (
        "history starts at 2026-01-04: the clone is shallow; run `git fetch --unshallow` for the full history"
    )
    # the oldest commit of the clone shows every file as new; that is not a creation
    assert rows(result) == [("PEP-0002-second.md", "2026-01-05", "Draft", "Under Review")]


def test_one_git_log_pass(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    for step, status in enumerate(("Draft", "Under Review", "Accepted")):
        for number in range(1, 21):
            repo.pep(f"PEP-{number:04d}-p.md", number, status)
        repo.commit(f"step {step}")
    calls = []
    real = gitutil.run_git

    def counting(args, cwd, *rest, **kwargs):
        calls.append(list(args))
        return real(args, cwd, *rest, **kwargs)

    monkeypatch.setattr(gitutil, "run_git", counting)
    result = history(repo)
    assert len(result.changes) == 60
    assert sum("log" in args for args in calls) == 1
    assert len(calls) == 2  # plus one `git rev-parse` for the repository's layout


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("a/docs/peps/PEP-1.md b/docs/peps/PEP-1.md", ("docs/peps/PEP-1.md", "docs/peps/PEP-1.md")),
        ("a/my peps/PEP 1.md b/my peps/PEP 1.md", ("my peps/PEP 1.md", "my peps/PEP 1.md")),
        ("a/x b/ b b/x b/ b", ("x b/ b", "x b/ b")),
        ('"a/say \\"hi\\".md" "b/say \\"hi\\".md"', ('say "hi".md', 'say "hi".md')),
        ('"a/tab\\there.md" "b/tab\\there.md"', ("tab\there.md", "tab\there.md")),
        ('a/plain.md "b/tab\\there.md"', ("plain.md", "tab\there.md")),  # renamed to a name git quotes
        ('"a/tab\\there.md" b/plain.md', ("tab\there.md", "plain.md")),
        ("a/old.md b/new b/dir.md", ("old.md", "new b/dir.md")),  # renamed: split at the first ' b/'
        ("a/one.md b/two.md", ("one.md", "two.md")),
    ],
)
def test_diff_paths(spec, expected):
    assert diff_paths(spec) == expected


def test_unquote_path_octal_bytes():
    assert unquote_path('"caf\\303\\251.md"') == "café.md"
    assert unquote_path("plain name.md") == "plain name.md"


def test_odd_file_names(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    names = ['PEP-0001-say "hi".md', "PEP-0002-café au lait.md", "PEP-0003-tab\there.md"]
    for number, name in enumerate(names, start=1):
        repo.pep(name, number, "Draft")
    repo.commit()
    for number, name in enumerate(names, start=1):
        repo.pep(name, number, "Under Review")
    repo.commit()
    assert sorted(rows(history(repo))) == sorted(
        [(n, "2026-01-02", None, "Draft") for n in names] + [(n, "2026-01-03", "Draft", "Under Review") for n in names]
    )


@pytest.mark.parametrize("quoted, plain", [
    ('"say \\"hi\\".md"', 'say "hi".md'),
    ('"back\\\\slash.md"', "back\\slash.md"),
    ('"bell\\a\\b\\t\\n\\v\\f\\r.md"', "bell\a\b\t\n\v\f\r.md"),
    ('"odd\\qescape.md"', "oddqescape.md"),  # an escape git never writes: the character itself
    ('"caf\\303\\251 \\344\\270\\255.md"', "café 中.md"),
    ('"trailing\\', "trailing\\"),  # a lone backslash at the end is kept
    ('"unterminated\\t', "unterminated\t"),  # an escape just before the end is still read
    ('"a\\tb\udcff.md"', "a\tb\udcff.md"),  # bytes that were not UTF-8 in git's output stay as they were
    ('"stops" here', "stops"),
    ('"bad\\377byte.md"', "bad\udcffbyte.md"),  # not UTF-8: kept as a surrogate escape
])
def test_unquote_path_escapes(quoted, plain):
    assert unquote_path(quoted) == plain


def test_earliest_date_whatever_the_offsets():
    dates = ["2026-01-05T12:00:00+00:00", "garbage", "2026-01-05T13:00:00+02:00", "2026-01-06T00:00:00Z"]
    assert _earliest(dates) == "2026-01-05T13:00:00+02:00"
    assert _earliest(["garbage", "2026-01-01T00:00:00Z"]) == "2026-01-01T00:00:00Z"
    assert _earliest([]) is None


def test_shallow_clone_whose_oldest_commit_is_outside_the_folder(tmp_path):
    """The boundary commit does not touch the PEP folder, so the log never shows it: its date is
    asked of git."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("notes/README.md", "one\n")  # a name with a folder is written from the repository root
    repo.commit("day 1")
    repo.write("notes/README.md", "two\n")
    repo.commit("day 2: not in the folder")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.commit("day 3")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True)
    result = read_history(str(clone / "docs" / "peps"))
    assert result.warning == (
        "history starts at 2026-01-03: the clone is shallow; run `git fetch --unshallow` for the full history"
    )
    assert rows(result) == [("PEP-0001-first.md", "2026-01-04", None, "Draft")]


def test_a_rename_in_a_folder_whose_name_looks_like_a_diff_prefix(tmp_path):
    """git's `diff --git a/X b/Y` line cannot be split reliably when a folder name holds ' b/';
    the `rename from`/`rename to` lines say which file it was."""
    repo = GitRepo(tmp_path / "repo", peps="plan b/peps")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.commit()
    repo.git("mv", "plan b/peps/PEP-0001-first.md", "plan b/peps/PEP-0001-renamed.md")
    repo.pep("PEP-0001-renamed.md", 1, "Under Review")
    repo.commit()
    assert rows(history(repo)) == [("PEP-0001-renamed.md", "2026-01-02", None, "Draft"),
                                   ("PEP-0001-renamed.md", "2026-01-03", "Draft", "Under Review")]


def test_a_shallow_clone_whose_start_git_cannot_name(repo, tmp_path, monkeypatch):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    monkeypatch.setattr(gitutil.RepoInfo, "shallow_commits", lambda self: set())
    assert read_history(str(clone / "docs" / "peps")).warning == (
        "history starts at an unknown date: the clone is shallow; run `git fetch --unshallow` for the full history")


def test_the_status_row_right_below_a_replaced_line_is_still_followed(tmp_path):
    """A hunk that replaces the line just above the Status row with two lines moves the row down."""
    repo = GitRepo(tmp_path / "repo")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.commit()
    text = pep_text(1, "Draft").replace("| **Title** | Title 1 |\n", "| **Title** | Title one |\n| **Discussion** | #4 |\n")
    repo.write("PEP-0001-first.md", text)
    repo.commit()
    repo.write("PEP-0001-first.md", text.replace("| **Status** | Draft |", "| **Status** | Accepted |"))
    repo.commit()
    assert rows(history(repo)) == [("PEP-0001-first.md", "2026-01-02", None, "Draft"),
                                   ("PEP-0001-first.md", "2026-01-04", "Draft", "Accepted")]


def test_old_git_without_diff_merges_is_named(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.commit()
    real = gitutil.run_git

    def old_git(args, cwd, *rest, **kwargs):
        if "log" in args:
            raise gitutil.GitError("`git log` failed", ["git", *args], "fatal: unrecognized argument: --diff-merges=first-parent")
        return real(args, cwd, *rest, **kwargs)

    monkeypatch.setattr(gitutil, "run_git", old_git)
    with pytest.raises(gitutil.GitError) as caught:
        history(repo)
    assert str(caught.value) == "`pepctl history` needs git 2.31 or newer (for --diff-merges)"
    assert caught.value.stderr == "fatal: unrecognized argument: --diff-merges=first-parent"
    assert caught.value.command[1:4] == ["-c", "core.quotepath=false", "log"]


def test_other_git_failures_pass_through(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "repo")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    repo.commit()
    real = gitutil.run_git
    failure = gitutil.GitError("`git log` failed: disk on fire", ["git", "log"], "disk on fire")

    def broken(args, cwd, *rest, **kwargs):
        if "log" in args:
            raise failure
        return real(args, cwd, *rest, **kwargs)

    monkeypatch.setattr(gitutil, "run_git", broken)
    with pytest.raises(gitutil.GitError) as caught:
        history(repo)
    assert caught.value is failure


def test_a_custom_choice_of_pep_files(repo):
    result = read_history(str(repo.root / repo.peps), is_pep_file=lambda name: name.startswith("PEP-0002"))
    assert {os.path.basename(c.path) for c in result.changes} == {"PEP-0002-second.md"}


def test_change_records():
    change = Change(7, "d/PEP-0007-x.md", "2026-01-05T12:00:00+00:00", "abcdef0123", None, "Draft")
    assert change.to_json() == {"number": 7, "path": "d/PEP-0007-x.md", "date": "2026-01-05T12:00:00+00:00",
                                "commit": "abcdef0123", "from": None, "to": "Draft"}
    assert repr(change) == "Change('d/PEP-0007-x.md', 2026-01-05, abcdef0, None -> 'Draft')"
    result = History([change, change._replace(number=None, path="d/PEP-x.md"), change._replace(old="Draft", new="Accepted")])
    assert result.for_number(7) == [change, change._replace(old="Draft", new="Accepted")]
    assert result.numbers() == {7}
    assert list(result.timelines) == ["d/PEP-0007-x.md", "d/PEP-x.md"]
    assert len(result.timelines["d/PEP-0007-x.md"]) == 2


# -- the command ------------------------------------------------------------


def invoke(repo, *args):
    cwd = os.getcwd()
    os.chdir(repo.root)
    try:
        return CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)
    finally:
        os.chdir(cwd)


def test_cli_text(repo):
    result = invoke(repo, "history")
    assert result.return_value == 0
    shas = [s[:7] for s in repo.git("log", "--reverse", "--format=%H").split()]
    assert result.output.splitlines() == [
        f"2026-01-02  {shas[0]}  PEP-0001  (new) -> Draft",
        f"2026-01-03  {shas[1]}  PEP-0001  Draft -> Under Review",
        f"2026-01-03  {shas[1]}  PEP-0002  (new) -> Draft",
        f"2026-01-04  {shas[2]}  PEP-0001  Under Review -> Accepted",
    ]


@pytest.mark.parametrize("spelling", ["1", "0001", "PEP-0001", "pep-1"])
def test_cli_one_pep(repo, spelling):
    result = invoke(repo, "history", spelling)
    assert result.return_value == 0
    assert [line.split("  ")[2] for line in result.output.splitlines()] == ["PEP-0001"] * 3


def test_cli_unknown_pep_exits_1(repo):
    result = invoke(repo, "history", "42")
    assert result.return_value == 1
    assert "no PEP numbered 0042" in result.output


def test_cli_not_a_number_exits_2(repo):
    result = invoke(repo, "history", "forty-two")
    assert result.return_value == 2


def test_cli_json_end_to_end(repo, pepctl):
    done = pepctl("history", "--format", "json", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [sorted(item) for item in data] == [["commit", "date", "from", "number", "path", "to"]] * 4
    assert data[0] == {
        "number": 1,
        "path": os.path.join("docs", "peps", "PEP-0001-first.md"),
        "date": "2026-01-02T12:00:00+00:00",
        "commit": repo.git("rev-list", "--max-parents=0", "HEAD"),
        "from": None,
        "to": "Draft",
    }
    assert [(d["from"], d["to"]) for d in data if d["number"] == 2] == [(None, "Draft")]


def test_cli_not_a_repository_exits_2(tmp_path, pepctl):
    (tmp_path / "PEP-0001-first.md").write_text(pep_text(1, "Draft"))
    done = pepctl("--dir", str(tmp_path), "history")
    assert done.returncode == 2
    assert "not inside a git repository" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_shallow_clone_warns_on_stderr(repo, tmp_path, pepctl):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    done = pepctl("history", "--format", "json", cwd=clone)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert "pepctl: warning: history starts at 2026-01-04: the clone is shallow" in done.stderr


def test_cli_empty_repository(tmp_path, pepctl):
    repo = GitRepo(tmp_path / "repo")
    repo.pep("PEP-0001-first.md", 1, "Draft")
    done = pepctl("history", cwd=repo.root)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr


# -- a format whose files carry no status: a Rust RFC is accepted by the commit that adds it ----------


RFC = "- Feature Name: {name}\n- Start Date: 2020-01-02\n- RFC PR: #{n}\n\n# Summary\n\n{body}\n"


def rust_history(repo):
    from pepctl import formats

    fmt = formats.get("rust-rfc")
    return read_history(str(repo.root / repo.peps), is_pep_file=fmt.is_proposal, header_format=fmt)


def rust_rows(result):
    return [(os.path.basename(c.path), c.number, c.date[:10], c.old, c.new) for c in result.changes]


@pytest.fixture
def rfcs(tmp_path):
    repo = GitRepo(tmp_path / "repo", peps="text")
    repo.write("README.md", "rfcs\n")
    repo.write("text/0002-bee.md", RFC.format(name="bee", n=2, body="B."))
    repo.write("text/0001-ant.md", RFC.format(name="ant", n=1, body="A."))
    a = repo.commit("merge RFCs 1 and 2")  # day 2
    repo.write("text/0001-ant.md", RFC.format(name="ant", n=1, body="A, amended."))
    repo.write("text/0003-cat.md", RFC.format(name="cat", n=3, body="C."))
    repo.write("./0000-template.md", RFC.format(name="template", n=0, body="T."))  # beside text/, not in it
    b = repo.commit("amend RFC 1, merge RFC 3")  # day 3
    repo.git("mv", "text/0002-bee.md", "text/0002-bumblebee.md")
    repo.commit("rename RFC 2")  # day 4
    repo.git("rm", "-q", "text/0003-cat.md")
    repo.commit("remove RFC 3")  # day 5
    return repo, a, b


def test_rust_rfcs_are_accepted_by_the_commit_that_adds_them(rfcs):
    repo, first, second = rfcs
    result = rust_history(repo)
    # one change per file, whatever happened to it later: edits and renames add none; a removed
    # file leaves the history, as a removed PEP does
    assert rust_rows(result) == [
        ("0001-ant.md", 1, "2026-01-02", None, "Accepted"),
        ("0002-bumblebee.md", 2, "2026-01-02", None, "Accepted"),
    ]
    assert [c.commit for c in result.changes] == [first, first]
    assert result.warning is None


def test_a_rust_rfc_added_again_after_its_removal_is_accepted_again(rfcs):
    repo, _, second = rfcs
    repo.write("text/0003-cat.md", RFC.format(name="cat", n=3, body="C, again."))
    again = repo.commit("merge RFC 3 again")  # day 6
    result = rust_history(repo)
    assert rust_rows(result)[-1] == ("0003-cat.md", 3, "2026-01-06", None, "Accepted")
    assert len(result.changes) == 3 and result.changes[-1].commit == again != second


def test_a_shallow_clone_invents_no_acceptance_of_rust_rfcs(rfcs, tmp_path):
    repo, _, _ = rfcs
    repo.write("text/0004-dog.md", RFC.format(name="dog", n=4, body="D."))
    repo.commit("merge RFC 4")  # day 6
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True)
    from pepctl import formats

    fmt = formats.get("rust-rfc")
    result = read_history(str(clone / "text"), is_pep_file=fmt.is_proposal, header_format=fmt)
    # the clone's oldest commit shows every file as new: only RFC 4, added after it, was accepted in view
    assert rust_rows(result) == [("0004-dog.md", 4, "2026-01-06", None, "Accepted")]
    assert result.warning.startswith("history starts at 2026-01-05")


def test_a_status_format_keeps_its_written_statuses(rfcs):
    # Plano's files carry their status: the commit that adds one is no change by itself
    repo, _, _ = rfcs
    repo.pep("text/PEP-0009-nine.md", 9, "Draft")
    repo.commit()
    repo.pep("text/PEP-0009-nine.md", 9, "Under Review")
    repo.commit()
    assert [(c.old, c.new) for c in read_history(str(repo.root / "text")).changes] == [(None, "Draft"), ("Draft", "Under Review")]


def test_text_shows_control_characters_in_a_status_escaped():
    from pepctl.cli.history import render_text

    change = Change(7, "d/PEP-0007-x.md", "2026-01-05T12:00:00+00:00", "abcdef0123", "Dr\x00aft", "Done\x1b[2J")
    assert render_text([change]) == "2026-01-05  abcdef0  PEP-0007  Dr\\x00aft -> Done\\x1b[2J\n"
