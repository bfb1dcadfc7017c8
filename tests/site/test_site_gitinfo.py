"""What the site reads from git: timelines and last commits (reused while HEAD stays), repository links."""

from __future__ import annotations

from sitehelpers import copy_fixtures, git, history_repo

from pepctl.config import Config
from pepctl.corpus import is_pep_file
from pepctl.site.gitinfo import Repository, last_commits, read_git, repository


def pep_files(name: str) -> bool:
    return is_pep_file(name, "PEP-TEMPLATE.md")


def test_outside_git_there_is_no_history_and_nothing_to_say(tmp_path):
    info = read_git(str(copy_fixtures(tmp_path)), Config(), pep_files)
    assert info.history is None and info.last_changes == {} and info.cache is None and info.warnings == []


def test_timelines_and_last_commits_from_git_reused_while_head_stays(tmp_path, monkeypatch):
    folder = history_repo(tmp_path)
    info = read_git(str(folder), Config(), pep_files)
    assert info.last_changes["PEP-0002-beta.md"]["date"].startswith("2024-03-02")
    assert {c.path.rsplit("/", 1)[-1] for c in info.history.changes} >= {"PEP-0001-alpha.md", "PEP-0002-beta.md"}

    def fail(*args, **kwargs):
        raise AssertionError("read the git history again")

    monkeypatch.setattr("pepctl.site.gitinfo.read_history", fail)
    again = read_git(str(folder), Config(), pep_files, info.cache)
    assert [c.to_json() for c in again.history.changes] == [c.to_json() for c in info.history.changes]
    assert again.last_changes == info.last_changes and again.cache == info.cache
    monkeypatch.undo()
    (folder / "PEP-0005-withdrawn.md").write_text("# PEP-0005: Changed\n", encoding="utf-8")
    git(folder.parent, "commit", "-q", "-am", "change", date="2024-04-01T09:00:00+00:00")
    newer = read_git(str(folder), Config(), pep_files, info.cache)
    assert newer.last_changes["PEP-0005-withdrawn.md"]["date"].startswith("2024-04-01")


def test_last_commits_know_file_names_git_would_quote(tmp_path):
    folder = history_repo(tmp_path)
    odd = folder / 'PEP-0009-a "quoted" tab\tname.md'
    odd.write_text("# PEP-0009: Odd\n", encoding="utf-8")
    git(folder.parent, "add", ".")
    git(folder.parent, "commit", "-q", "-m", "odd", date="2024-05-01T09:00:00+00:00")
    assert last_commits(str(folder))[odd.name]["date"].startswith("2024-05-01")


def test_repository_links_point_into_the_pep_folder(tmp_path):
    folder = history_repo(tmp_path)
    assert repository(Config(), str(folder), None) == Repository()
    config = Config({"repository-url": "https://github.com/o/r.git", "repository-branch": "trunk"})
    links = repository(config, str(folder), None)
    assert links.blob == "https://github.com/o/r/blob/trunk/peps/"
    assert links.root_raw == "https://github.com/o/r/raw/trunk/" and links.issues == "https://github.com/o/r/issues/"
    outside = repository(config, str(copy_fixtures(tmp_path / "plain")), None)
    assert outside.edit == "https://github.com/o/r/edit/trunk/docs/peps/"  # no repository here: the default folder
