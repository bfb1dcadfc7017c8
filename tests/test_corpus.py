"""The PEP folder (pepctl.corpus): which files are PEPs, loading them, finding the folder, numbers."""

from __future__ import annotations

import os
import subprocess

import pytest

from peptext import small_pep

from pepctl.config import Config, ConfigError, load_config
from pepctl.corpus import Corpus, Entry, find_pep_dir, holds_peps, is_pep_file, is_pep_name, load_entry


def write(folder, name: str, text: str | bytes):
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


# -- one file ----------------------------------------------------------------------------


def test_load_entry_parses_or_says_why_not(tmp_path):
    good = write(tmp_path, "PEP-0001-a.md", small_pep(1, "A"))
    entry = load_entry(good)
    assert entry.path == good and entry.error is None and entry.pep.number == 1
    assert entry.pep.path == good and entry.pep.document.path == good
    assert entry.size == len(small_pep(1, "A").encode()) and entry.number == 1
    bad = write(tmp_path, "PEP-0002-b.md", b"\x00")
    entry = load_entry(bad)
    assert entry.pep is None and entry.error.kind == "binary" and entry.size == 1 and entry.number == 2
    missing = load_entry(str(tmp_path / "PEP-0003-gone.md"))
    assert missing.pep is None and missing.size == 0 and missing.number == 3
    assert (missing.error.kind, missing.error.message) == ("unreadable", "cannot read the file: No such file or directory")


def test_an_entry_numbers_by_its_content_then_its_name(tmp_path):
    entry = load_entry(write(tmp_path, "PEP-0005-a.md", small_pep(7, "A")))
    assert entry.number == 7
    assert Entry("x/PEP-0009-y.md", None, None, 0).number == 9


@pytest.mark.parametrize("name, pep", [
    ("PEP-0001-x.md", True), ("PEP-.md", True), ("pep-0001-x.md", False), ("PEP-0001-x.txt", False),
    ("PEP-0001-x.md.bak", False), ("README.md", False),
])
def test_is_pep_name(name, pep):
    assert is_pep_name(name) is pep


def test_is_pep_file_leaves_out_the_template_and_excluded_names():
    assert is_pep_file("PEP-0001-x.md", "PEP-TEMPLATE.md")
    assert not is_pep_file("PEP-TEMPLATE.md", "PEP-TEMPLATE.md")
    assert not is_pep_file("PEP-TEMPLATE.md", "templates/PEP-TEMPLATE.md")  # a path: its last part counts
    assert not is_pep_file("PEP-TEMPLATE.md", "templates\\PEP-TEMPLATE.md")
    assert is_pep_file("PEP-TEMPLATE.md", "OTHER.md")
    assert not is_pep_file("PEP-9999-draft.md", "T.md", ["PEP-9*", "x"])
    assert is_pep_file("PEP-0999-draft.md", "T.md", ["PEP-9*"])
    assert not is_pep_file("notes.md", "T.md")


def test_holds_peps(tmp_path):
    assert not holds_peps(str(tmp_path))
    assert not holds_peps(str(tmp_path / "missing"))
    write(tmp_path, "PEP-0001-x.md", "x")
    assert holds_peps(str(tmp_path))


# -- finding the folder -----------------------------------------------------------------------


def test_an_explicit_folder_is_used_as_given(tmp_path):
    assert find_pep_dir(Config(), str(tmp_path), cwd="/") == str(tmp_path)
    with pytest.raises(ConfigError) as info:
        find_pep_dir(Config(), str(tmp_path / "nope"))
    assert str(info.value) == f"--dir {tmp_path / 'nope'}: no such folder"


def test_pep_dir_from_the_config_relative_to_the_current_folder(tmp_path):
    (tmp_path / "proposals").mkdir()
    (tmp_path / "pepctl.toml").write_text('pep-dir = "proposals"\n')
    config = load_config(str(tmp_path / "pepctl.toml"))
    assert find_pep_dir(config, cwd=str(tmp_path)) == "proposals"
    (tmp_path / "x").mkdir()
    assert find_pep_dir(config, cwd=str(tmp_path / "x")) == os.path.join("..", "proposals")


def test_an_absolute_pep_dir_stays_absolute(tmp_path):
    (tmp_path / "proposals").mkdir()
    config = Config({"pep-dir": str(tmp_path / "proposals")}, str(tmp_path / "pepctl.toml"), "/elsewhere")
    assert find_pep_dir(config, cwd=str(tmp_path)) == str(tmp_path / "proposals")


def test_a_configured_pep_dir_that_is_missing(tmp_path):
    (tmp_path / "pepctl.toml").write_text('pep-dir = "nope"\n')
    config = load_config(str(tmp_path / "pepctl.toml"))
    with pytest.raises(ConfigError) as info:
        find_pep_dir(config, cwd=str(tmp_path))
    assert str(info.value) == (f"{tmp_path / 'pepctl.toml'}: 'pep-dir' is 'nope', but {tmp_path / 'nope'} "
                               "is not a folder")


def test_docs_peps_under_the_git_root_then_the_current_folder(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "src").mkdir()
    write(tmp_path / "src", "PEP-0001-x.md", "x")
    assert find_pep_dir(Config(), cwd=str(tmp_path / "src")) == "."  # no docs/peps: the folder holding PEPs
    (tmp_path / "docs" / "peps").mkdir(parents=True)
    assert find_pep_dir(Config(), cwd=str(tmp_path / "src")) == os.path.join("..", "docs", "peps")


def test_no_folder_found_says_what_was_looked_for(tmp_path):
    with pytest.raises(ConfigError) as info:
        find_pep_dir(Config(), cwd=str(tmp_path))
    assert str(info.value) == (
        "no PEP folder found: expected docs/peps under the git root, or PEP-*.md files in the current folder; "
        "name it with --dir PATH or set 'pep-dir' in pepctl.toml")


# -- the folder ----------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    for n, name in ((2, "PEP-0002-b.md"), (1, "PEP-0001-a.md"), (1, "PEP-0001-twin.md")):
        write(tmp_path, name, small_pep(n, name))
    write(tmp_path, "PEP-0007-seven.md", small_pep(3, "Renumbered inside"))
    write(tmp_path, "PEP-0009-bad.md", b"\xff")
    write(tmp_path, "PEP-TEMPLATE.md", "# PEP-XXXX: T\n")
    write(tmp_path, "README.md", "x")
    return tmp_path


def test_paths_are_the_pep_files_in_name_order(folder):
    corpus = Corpus(str(folder))
    names = ["PEP-0001-a.md", "PEP-0001-twin.md", "PEP-0002-b.md", "PEP-0007-seven.md", "PEP-0009-bad.md"]
    assert corpus.paths() == [os.path.join(str(folder), n) for n in names]
    assert corpus.template_path == os.path.join(str(folder), "PEP-TEMPLATE.md")
    assert Corpus(str(folder), Config({"exclude": ["*-twin.md"]})).paths() == [
        os.path.join(str(folder), n) for n in names if "twin" not in n]


def test_paths_in_the_current_folder_have_no_prefix(folder, monkeypatch):
    monkeypatch.chdir(folder)
    assert Corpus(".").paths()[0] == "PEP-0001-a.md"
    assert Corpus("./").paths()[0] == "PEP-0001-a.md"
    assert Corpus(f"{folder}/./").paths()[0] == os.path.join(str(folder), "PEP-0001-a.md")


def test_a_folder_that_cannot_be_listed(tmp_path):
    with pytest.raises(ConfigError) as info:
        Corpus(str(tmp_path / "nope")).paths()
    assert str(info.value) == f"{tmp_path / 'nope'}: cannot list the PEP folder: No such file or directory"


def test_entries_are_read_once_and_found_by_any_spelling(folder):
    corpus = Corpus(str(folder))
    path = os.path.join(str(folder), "PEP-0002-b.md")
    assert corpus.cached(path) is None
    entry = corpus.entry(os.path.join(str(folder), ".", "PEP-0002-b.md"))
    assert corpus.entry(path) is entry and corpus.cached(path) is entry
    assert corpus.cached(os.path.join(str(folder), ".", "PEP-0002-b.md")) is entry
    assert corpus.cached(os.path.join(str(folder), "PEP-0001-a.md")) is None


def test_contains(folder, tmp_path_factory):
    corpus = Corpus(str(folder))
    assert corpus.contains(os.path.join(str(folder), "PEP-0002-b.md"))
    assert corpus.contains(os.path.join(str(folder), "PEP-0042-not-yet.md"))  # a PEP name in the folder
    assert not corpus.contains(os.path.join(str(folder), "README.md"))
    assert not corpus.contains(os.path.join(str(folder), "PEP-TEMPLATE.md"))
    other = tmp_path_factory.mktemp("other")
    assert not corpus.contains(os.path.join(str(other), "PEP-0002-b.md"))
    assert not corpus.contains(os.path.join(str(folder), "missing", "PEP-0002-b.md"))


def test_contains_a_bare_name_means_the_current_folder(folder, monkeypatch):
    monkeypatch.chdir(folder)
    assert Corpus(str(folder)).contains("PEP-0002-b.md")


def test_peps_entries_and_summaries(folder):
    corpus = Corpus(str(folder))
    assert [e.error is None for e in corpus.entries] == [True, True, True, True, False]
    assert [p.number for p in corpus.peps()] == [1, 1, 2, 3]
    assert corpus.summaries(lambda pep: pep.title) == ["PEP-0001-a.md", "PEP-0001-twin.md", "PEP-0002-b.md", "Renumbered inside"]
    assert Corpus(str(folder)).summaries(lambda pep: pep.number) == [1, 1, 2, 3]  # read afresh


def test_numbers_by_content_once_parsed_else_by_name(folder):
    corpus = Corpus(str(folder))
    p = lambda name: os.path.join(str(folder), name)  # noqa: E731
    assert corpus.numbers() == {1: [p("PEP-0001-a.md"), p("PEP-0001-twin.md")], 2: [p("PEP-0002-b.md")],
                                7: [p("PEP-0007-seven.md")], 9: [p("PEP-0009-bad.md")]}
    corpus.entry(p("PEP-0007-seven.md"))
    assert corpus.numbers()[3] == [p("PEP-0007-seven.md")] and 7 not in corpus.numbers()


def test_find_by_name_then_by_content(folder):
    corpus = Corpus(str(folder))
    assert [os.path.basename(e.path) for e in corpus.find(1)] == ["PEP-0001-a.md", "PEP-0001-twin.md"]
    assert [os.path.basename(e.path) for e in corpus.find(3)] == ["PEP-0007-seven.md"]  # no file named 3
    assert [os.path.basename(e.path) for e in corpus.find(7)] == ["PEP-0007-seven.md"]  # named so, says 3
    assert corpus.find(42) == []


def test_next_number(folder, tmp_path_factory):
    assert Corpus(str(folder)).next_number() == 10
    # sequential (PEP-0000 "Numbering", as R016 counts): a number an open pull request claims is
    # skipped only when it is next in line, so {10, 12} gives 11, not one past the highest claim
    assert Corpus(str(folder)).next_number({10, 12}) == 11
    assert Corpus(str(folder)).next_number({10, 11}) == 12
    assert Corpus(str(tmp_path_factory.mktemp("empty"))).next_number() == 1
    zero = tmp_path_factory.mktemp("zero")
    write(zero, "PEP-0000-index.md", "x")
    assert Corpus(str(zero)).next_number() == 1
