"""`pepctl index` and `pepctl new` follow the Index table's own header, and keep
the rows of PEP files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from peptext import PROCESS_HEAD, small_pep

from pepctl.cli import main
from pepctl.document import Document
from pepctl.index import IndexFormatError, IndexTable, column_key, with_row, with_status

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


# -- the table as it stands, in detail --------------------------------------------------------

from pepctl.indextable import cell_number, link_target, row_number  # noqa: E402


@pytest.mark.parametrize("cell, target", [
    ("[0001](PEP-0001-x.md)", "PEP-0001-x.md"),
    ("[](PEP-0001-x.md)", "PEP-0001-x.md"),
    ("[a]( ./PEP-0001-x.md ) and [b](y)", "./PEP-0001-x.md"),
    ("[a](unclosed", None),
    ("plain 0001", None),
    ("", None),
])
def test_link_target(cell, target):
    assert link_target(cell) == target


@pytest.mark.parametrize("cells, number", [
    (["[0042](PEP-0042-x.md)"], 42), (["PEP-0042"], 42), (["42"], 42), (["[0042](PEP-0043-x.md)"], 42),
    (["0042, 0043"], None), (["none"], None), (["x"], None), ([], None),
])
def test_row_number(cells, number):
    assert row_number(cells) == number
    if cells:
        assert cell_number(cells[0]) == number


def table(text: str) -> IndexTable:
    return IndexTable(Document(PROCESS.format(table=text)))


def test_where_the_table_and_its_rows_are():
    text = "| PEP | Title |\n|---|---|\n| [0001](a.md) | A |\r\n| [0002](b.md) | B \\| c |\n\n| not | a row |\n"
    t = table(text)
    doc_text = t.document.text
    assert t.found and t.line == 13 and t.header == ["PEP", "Title"] and t.columns == ["pep", "title"]
    assert doc_text[t.header_end:].startswith("| [0001]") and doc_text[t.body_end:].startswith("\n| not")
    assert [doc_text[a:b] for a, b in t.spans] == ["| [0001](a.md) | A |", "| [0002](b.md) | B \\| c |"]
    assert t.endings == ["\r\n", "\n"]
    assert t.raw_rows == [["[0001](a.md)", "A"], ["[0002](b.md)", "B \\| c"]]
    assert t.rows == [["[0001](a.md)", "A", "", ""], ["[0002](b.md)", "B | c", "", ""]]
    assert t.pep_cell(1) == "[0002](b.md)" and t.column("title") == 1 and t.column("status") is None
    assert t.problem is None


def test_a_column_named_twice_is_filled_once():
    t = table("| PEP | Title | Title |\n|---|---|---|\n")
    assert t.columns == ["pep", "title", None]
    assert t.render(["[1](x)", "New", "Draft", "A"], None) == ["[1](x)", "New", ""]


def test_no_section_or_no_table():
    none = IndexTable(Document("# PEP-0000: P\n"))
    assert (none.found, none.heading, none.line, none.problem) == (False, None, 1, None)
    empty = table("Nothing.\n")
    assert not empty.found and empty.heading is not None and empty.line == 11 and empty.problem is None  # the heading's line


def test_a_pep_cell_missing_from_a_short_row_reads_as_nothing():
    t = table("| Title | PEP |\n|---|---|\n| Only a title |\n")
    assert t.pep_cell(0) == "" and t.rows == [["", "Only a title", "", ""]]


def test_render_keeps_unknown_and_extra_cells_of_the_row_it_replaces():
    t = table("| PEP | Notes | Title |\n|---|---|---|\n| [1](x.md) | keep | Old | extra \\| cell |\n")
    assert t.render(["[0001](x.md)", "New | t", "Draft", "A"], 0) == ["[0001](x.md)", "keep", "New \\| t", "extra \\| cell"]
    assert t.render(["[0001](x.md)", "New", "Draft", "A"], None) == ["[0001](x.md)", "", "New"]


@pytest.mark.parametrize("delimiter, cells, line", [
    ("|---|---|", ["a", "b"], "| a | b |"),
    ("---|---", ["a", "b"], "a | b"),
    ("|---|---", ["a", "b"], "| a | b"),
    ("---|---|", ["a", "b"], "a | b |"),
    ("---|---", ["", "b"], "|  | b |"),  # an empty first cell needs the outer pipes
    ("---|---", ["a", ""], "| a |  |"),
])
def test_rows_follow_the_delimiter_rows_style(delimiter, cells, line):
    t = table(f"PEP | Title\n{delimiter}\n")
    assert t.found
    assert t.line_of(cells) == line


def test_refuse_raises_the_problem():
    t = table("| PEP | Title |\n| [1](x) | y |\n")
    assert t.problem == (
        "the Index table at line 13 has no delimiter row (like `|---|---|`) under its header, so pepctl cannot tell its "
        "header from its rows and leaves it alone; add the delimiter row", 13)
    with pytest.raises(IndexFormatError) as info:
        t.refuse()
    assert info.value.line == 13 and str(info.value) == t.problem[0]
    table("| PEP |\n|---|\n").refuse()  # nothing to refuse


def test_a_table_in_a_later_section_is_not_the_index():
    doc = Document(PROCESS_HEAD + "Text.\n\n## Other\n\n| PEP | Title |\n|---|---|\n")
    assert not IndexTable(doc).found


def test_a_pipe_in_text_before_the_table_is_not_the_table():
    t = table("Links are kept | as they are.\n\n| PEP | Title |\n|---|---|\n| [0001](a.md) | A |\n")
    assert t.found and t.problem is None and t.raw_rows == [["[0001](a.md)", "A"]] and t.line == 15


def test_the_table_ends_at_the_first_line_without_a_pipe():
    t = table("| PEP | Title |\n|---|---|\n| [0001](a.md) | A |\nText right after the table.\n| [0002](b.md) | B |\n")
    assert t.raw_rows == [["[0001](a.md)", "A"]]
    assert t.document.text[t.body_end:].startswith("Text right after")
