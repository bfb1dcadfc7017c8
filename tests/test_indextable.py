"""`pepctl index` and `pepctl new` follow the Index table's own header, and keep
the rows of PEP files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from peptext import PROCESS_HEAD, small_pep

from pepctl.cli import main
from pepctl.document import Document
from pepctl.index import IndexTable, column_key, with_row, with_status

PROCESS = PROCESS_HEAD + "{table}\nRows are kept by `pepctl index`.\n"



@pytest.fixture(autouse=True)
def no_outside_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def add_pep(folder: Path, n: int, title: str, status: str = "Draft") -> Path:
    path = folder / f"PEP-{n:04d}-{title.lower().replace(' ', '-')}.md"
    path.write_text(small_pep(n, title, status))
    return path


def make(folder: Path, *table_lines: str) -> Path:
    index = folder / "PEP-0000-process.md"
    index.write_text(PROCESS.format(table="".join(line + "\n" for line in table_lines)))
    return index


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def table_lines(index: Path) -> list[str]:
    text = index.read_text()
    start = text.index("## Index\n\n") + len("## Index\n\n")
    return text[start : text.index("\nRows are kept")].splitlines()


# -- columns by header ------------------------------------------------------------------


def test_unknown_columns_keep_their_cells(tmp_path, capsys):
    index = make(
        tmp_path,
        "| PEP | Title | Status | Author | Notes |",
        "|---|---|---|---|---|",
        "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers | how we work |",
        "| [0001](PEP-0001-first.md) | Old title | Draft | Ada Lovelace (@ada) | see \\| the *thread* |",
    )
    add_pep(tmp_path, 1, "First", "Accepted")
    add_pep(tmp_path, 2, "Second")
    code, out, err = run(capsys, tmp_path, "index")
    assert (code, out, err) == (0, "index updated: 3 rows\n", "")
    assert table_lines(index) == [
        "| PEP | Title | Status | Author | Notes |",
        "|---|---|---|---|---|",
        "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers | how we work |",
        "| [0001](PEP-0001-first.md) | First | Accepted | Ada Lovelace (@ada) | see \\| the *thread* |",
        "| [0002](PEP-0002-second.md) | Second | Draft | Ada Lovelace (@ada) |  |",
    ]
    assert run(capsys, tmp_path, "index", "--check") == (0, "index up to date\n", "")
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 0


def test_reordered_header_is_followed_by_index_new_and_status(tmp_path, capsys):
    index = make(
        tmp_path,
        "| PEP | Status | Title | Authors |",
        "|---|---|---|---|",
        "| [0000](PEP-0000-process.md) | Active | Process | The Maintainers |",
    )
    add_pep(tmp_path, 1, "First")
    assert run(capsys, tmp_path, "index")[0] == 0
    code, out, err = run(capsys, tmp_path, "new", "Second", "--author", "Grace Hopper (@grace)")
    assert code == 0, err
    assert table_lines(index)[2:] == [
        "| [0000](PEP-0000-process.md) | Active | Process | The Maintainers |",
        "| [0001](PEP-0001-first.md) | Draft | First | Ada Lovelace (@ada) |",
        "| [0002](PEP-0002-second.md) | Draft | Second | Grace Hopper (@grace) |",
    ]
    assert run(capsys, tmp_path, "index", "--check") == (0, "index up to date\n", "")
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 0
    text = with_status(Document(index.read_text()), 2, "Accepted")
    assert "| [0002](PEP-0002-second.md) | Accepted | Second | Grace Hopper (@grace) |" in text


def test_new_row_fills_unknown_columns_with_nothing(tmp_path):
    doc = Document(PROCESS.format(table=(
        "| Notes | PEP | Title | Status | Author |\n|---|---|---|---|---|\n"
        "| x | [0000](PEP-0000-process.md) | Process | Active | M |\n"
    )))
    text = with_row(doc, ["[0001](PEP-0001-a.md)", "A", "Draft", "Ada Lovelace (@ada)"])
    assert "| x | [0000](PEP-0000-process.md) | Process | Active | M |\n| " \
           " | [0001](PEP-0001-a.md) | A | Draft | Ada Lovelace (@ada) |\n" in text


@pytest.mark.parametrize(
    "name, key",
    [("PEP", "pep"), ("pep", "pep"), ("**PEP**", "pep"), ("#", "pep"), ("Number", "pep"),
     ("Title", "title"), ("TITLE", "title"), ("Status", "status"), ("State", "status"),
     ("Author", "authors"), ("Authors", "authors"), ("Author(s)", "authors"), ("**author(s)**", "authors"),
     ("Notes", None), ("Discussion", None), ("", None)],
)
def test_column_names(name, key):
    assert column_key(name) == key


@pytest.mark.parametrize("author", ["Author", "Authors", "Author(s)", "AUTHOR(S)"])
def test_author_column_spellings(tmp_path, capsys, author):
    index = make(tmp_path, f"| PEP | Title | Status | {author} |", "|---|---|---|---|")
    assert run(capsys, tmp_path, "index")[0] == 0
    assert table_lines(index)[2] == "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |"


def test_renamed_file_keeps_its_notes(tmp_path, capsys):
    index = make(
        tmp_path,
        "| PEP | Title | Status | Author | Notes |",
        "|---|---|---|---|---|",
        "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers | |",
        "| [0001](PEP-0001-old-name.md) | First | Draft | Ada Lovelace (@ada) | keep me |",
    )
    add_pep(tmp_path, 1, "First")
    assert run(capsys, tmp_path, "index")[0] == 0
    assert table_lines(index)[3] == "| [0001](PEP-0001-first.md) | First | Draft | Ada Lovelace (@ada) | keep me |"


def test_table_without_pep_column_is_refused(tmp_path, capsys):
    index = make(
        tmp_path,
        "| Link | Title | Status | Author |",
        "|---|---|---|---|",
        "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |",
    )
    add_pep(tmp_path, 1, "First")
    before = index.read_bytes()
    for args in (["index"], ["index", "--check"]):
        code, out, err = run(capsys, tmp_path, *args)
        assert code == 1 and out == ""
        assert "PEP-0000-process.md:13:" in err and "no PEP column" in err and "'PEP'" in err
        assert "Traceback" not in err
    code, out, err = run(capsys, tmp_path, "new", "Second", "--author", "Ada Lovelace (@ada)")
    assert code == 0 and out.strip().endswith("PEP-0002-second.md")
    assert "was not updated" in err and "no PEP column" in err
    assert index.read_bytes() == before


def test_rows_read_by_header_for_other_rules():
    doc = Document(PROCESS.format(table=(
        "| Status | PEP | Notes | Title |\n|---|---|---|---|\n"
        "| Active | [0000](PEP-0000-process.md) | n | Process |\n"
    )))
    assert IndexTable(doc).rows == [["[0000](PEP-0000-process.md)", "Process", "Active", ""]]


# -- files that cannot be read ----------------------------------------------------------------


def test_row_of_an_unreadable_file_is_kept(tmp_path, capsys):
    index = make(tmp_path, "| PEP | Title | Status | Author |", "|---|---|---|---|")
    add_pep(tmp_path, 1, "First")
    broken = add_pep(tmp_path, 5, "Foo")
    add_pep(tmp_path, 7, "Seventh")
    assert run(capsys, tmp_path, "index")[0] == 0
    row = "| [0005](PEP-0005-foo.md) | Foo | Draft | Ada Lovelace (@ada) |"
    assert row in table_lines(index)
    with broken.open("ab") as handle:
        handle.write(b"\xff")
    add_pep(tmp_path, 7, "Seventh", "Accepted")  # and something else changes
    code, out, err = run(capsys, tmp_path, "index")
    assert code == 0
    assert out == "index updated: 4 rows (1 kept as it was: the file cannot be read)\n"
    assert "PEP-0005-foo.md:" in err and "UTF-8" in err and "kept as it was" in err
    assert table_lines(index)[2:] == [
        "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |",
        "| [0001](PEP-0001-first.md) | First | Draft | Ada Lovelace (@ada) |",
        row,
        "| [0007](PEP-0007-seventh.md) | Seventh | Accepted | Ada Lovelace (@ada) |",
    ]
    code, out, err = run(capsys, tmp_path, "index", "--check")
    assert (code, out) == (0, "index up to date\n") and "kept as it was" in err


def test_kept_row_keeps_its_bytes(tmp_path, capsys):
    odd = "|[0005](PEP-0005-foo.md)|  Foo   |Draft| Somebody |"
    index = make(
        tmp_path,
        "| PEP | Title | Status | Author |",
        "|---|---|---|---|",
        "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |",
        odd,
    )
    (tmp_path / "PEP-0005-foo.md").write_bytes(b"# PEP-0005: Foo\n\xff\n")
    add_pep(tmp_path, 3, "Third")
    assert run(capsys, tmp_path, "index")[0] == 0
    assert table_lines(index)[3:] == ["| [0003](PEP-0003-third.md) | Third | Draft | Ada Lovelace (@ada) |", odd]


def test_unreadable_file_without_a_row_is_said(tmp_path, capsys):
    make(tmp_path, "| PEP | Title | Status | Author |", "|---|---|---|---|")
    (tmp_path / "PEP-0004-bad.md").write_bytes(b"\xff")
    code, out, err = run(capsys, tmp_path, "index")
    assert code == 0 and "PEP-0004-bad.md:" in err and "has no index row" in err
