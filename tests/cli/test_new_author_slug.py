"""`pepctl new`: the author from git, --slug for titles that give no file name, and the file put
back when the index cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pepctl import create
from pepctl.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "commands"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


def git_config(tmp_path, monkeypatch, text: str) -> None:
    path = tmp_path.parent / f"{tmp_path.name}.gitconfig"
    path.write_text(text)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(path))


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), "new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def authors(path: str) -> str:
    from pepctl.document import Document

    return Document.read(path).get("Authors")


def test_the_author_comes_from_git_name_and_github_user(tmp_path, capsys, monkeypatch):
    git_config(tmp_path, monkeypatch, "[user]\n\tname = Ada Lind\n\temail = ada@example.org\n[github]\n\tuser = ada-l\n")
    code, out, err = run(capsys, tmp_path, "Response cache")
    assert code == 0, err
    assert authors(out.strip()) == "Ada Lind (@ada-l)"
    assert "next:" not in err


def test_the_handle_comes_from_a_github_noreply_email(tmp_path, capsys, monkeypatch):
    git_config(tmp_path, monkeypatch, "[user]\n\tname = Ada Lind\n\temail = 1234+ada-l@users.noreply.github.com\n")
    code, out, _ = run(capsys, tmp_path, "Response cache")
    assert code == 0 and authors(out.strip()) == "Ada Lind (@ada-l)"


def test_without_a_handle_the_placeholder_stays_and_the_hint_says_why(tmp_path, capsys, monkeypatch):
    git_config(tmp_path, monkeypatch, "[user]\n\tname = Ada Lind\n\temail = ada@example.org\n")
    code, out, err = run(capsys, tmp_path, "Response cache")
    assert code == 0
    assert authors(out.strip()) == create.AUTHOR_PLACEHOLDER
    assert "no GitHub handle" in err and "git config github.user" in err


def test_author_option_wins_over_git(tmp_path, capsys, monkeypatch):
    git_config(tmp_path, monkeypatch, "[user]\n\tname = Ada Lind\n[github]\n\tuser = ada-l\n")
    code, out, _ = run(capsys, tmp_path, "Response cache", "--author", "Grace Hopper (@grace)")
    assert code == 0 and authors(out.strip()) == "Grace Hopper (@grace)"


def test_a_chinese_title_without_slug_is_a_usage_error_naming_slug(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, "响应缓存")
    assert code == 2 and out == ""
    assert "--slug" in err and "no ASCII letters" in err
    assert os.listdir(tmp_path) == []


def test_slug_names_the_file_and_the_title_is_kept(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, "响应缓存", "--slug", "response-cache", "--author", "Ada Lind (@ada-l)")
    assert code == 0, err
    assert out.strip() == os.path.join(str(tmp_path), "PEP-0001-response-cache.md")
    text = Path(out.strip()).read_text(encoding="utf-8")
    assert text.startswith("# PEP-0001: 响应缓存\n") and "| **Title** | 响应缓存 |" in text


def test_slug_also_overrides_a_usable_title(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "A very long title about caching responses", "--slug", "cache")
    assert code == 0 and out.strip().endswith("PEP-0001-cache.md")


@pytest.mark.parametrize("slug", ["Response Cache", "réponse", "-cache", "a--b", "x" * 51, ""])
def test_a_bad_slug_is_a_usage_error(tmp_path, capsys, slug):
    code, _, err = run(capsys, tmp_path, "Cache", "--slug", slug)
    assert code == 2 and "--slug" in err
    assert os.listdir(tmp_path) == []


def test_when_the_index_cannot_be_written_the_new_file_is_removed(tmp_path, capsys, monkeypatch):
    index = tmp_path / "PEP-0000-process.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes())
    (tmp_path / "PEP-0001-first.md").write_text("# PEP-0001: First one\n")  # the index lists it
    before = sorted(os.listdir(tmp_path)), index.read_bytes()
    real = create.atomic_write

    def failing(path, data, **kw):
        if os.path.samefile(os.path.dirname(path) or ".", tmp_path) and os.path.basename(path) == index.name:
            raise OSError(30, "Read-only file system")
        real(path, data, **kw)

    monkeypatch.setattr(create, "atomic_write", failing)
    code, out, err = run(capsys, tmp_path, "Response cache", "--author", "Ada Lind (@ada-l)")
    assert code == 1 and out == ""
    assert "Read-only file system" in err and "nothing was written" in err
    assert (sorted(os.listdir(tmp_path)), index.read_bytes()) == before
