"""The PEP folder in the repository and the local checkout read as data (pepctl.github.folder)."""

from __future__ import annotations

from pepctl.github.folder import LocalRepo, PepFolder


def test_pep_folder_holds_only_pep_files_of_the_folder():
    folder = PepFolder("docs/peps", "PEP-TEMPLATE.md", ["PEP-9*"])
    assert folder.holds("docs/peps/PEP-0042-x.md")
    assert not folder.holds("docs/peps/PEP-TEMPLATE.md")
    assert not folder.holds("docs/peps/PEP-9000-x.md")
    assert not folder.holds("docs/peps/sub/PEP-0042-x.md")
    assert not folder.holds("PEP-0042-x.md")
    assert not folder.holds("docs/peps/README.md")
    assert PepFolder(".").holds("PEP-0001-x.md")


def test_history_of_a_folder_outside_git_says_why(tmp_path):
    folder = tmp_path / "docs" / "peps"
    folder.mkdir(parents=True)
    history, error = LocalRepo(str(tmp_path), str(folder)).history(PepFolder("docs/peps"))
    assert history is None and "git" in error
    history, error = LocalRepo(str(tmp_path), None).history(PepFolder("docs/peps"))
    assert history is None and "not in the local checkout" in error

