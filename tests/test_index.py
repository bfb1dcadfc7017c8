"""`pepctl index [--check]`: the table under '## Index' and nothing else."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from peptext import small_pep

from pepctl.cli import main
from pepctl.document import Document
from pepctl.index import IndexTable, with_row, with_status

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "commands"



@pytest.fixture(autouse=True)
def no_outside_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def add_pep(folder: Path, n: int, title: str, status: str = "Draft", author: str = "Ada Lovelace (@ada)", slug=None):
    path = folder / f"PEP-{n:04d}-{slug or title.lower().replace(' ', '-')}.md"
    path.write_text(small_pep(n, title, status, author))
    return path


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "PEP-0000-process.md").write_bytes((FIXTURES / "index.md").read_bytes())
    add_pep(tmp_path, 1, "First one")
    add_pep(tmp_path, 3, "Third | piped", "Accepted", "Grace Hopper (@grace)", "third")
    add_pep(tmp_path, 2, "Second", "Under Review")
    return tmp_path


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), "index", *args])
    out, err = capsys.readouterr()
    return code, out, err


EXPECTED_TABLE = (
    "| PEP | Title | Status | Author |\n"
    "|:----|:------|:-------|:-------|\n"
    "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |\n"
    "| [0001](PEP-0001-first-one.md) | First one | Draft | Ada Lovelace (@ada) |\n"
    "| [0002](PEP-0002-second.md) | Second | Under Review | Ada Lovelace (@ada) |\n"
    "| [0003](PEP-0003-third.md) | Third \\| piped | Accepted | Grace Hopper (@grace) |\n"
)


def split_around_table(data: bytes) -> tuple[bytes, bytes]:
    text = data.decode()
    start = text.index("| PEP | Title")
    end = text.index("\n\nRows are sorted")
    return data[: len(text[:start].encode())], data[len(text[:end].encode()) :]


def test_rewrite_changes_only_the_table_rows(folder, capsys):
    index = folder / "PEP-0000-process.md"
    before = index.read_bytes()
    code, out, err = run(capsys, folder)
    assert (code, out, err) == (0, "index updated: 4 rows\n", "")
    after = index.read_bytes()
    assert split_around_table(after) == split_around_table(before)
    assert EXPECTED_TABLE.encode() in after
    assert [n for n in os.listdir(folder) if n.startswith(".pepctl-")] == []


def test_second_run_writes_nothing(folder, capsys):
    index = folder / "PEP-0000-process.md"
    assert run(capsys, folder)[0] == 0
    inode = index.stat().st_ino
    data = index.read_bytes()
    assert run(capsys, folder) == (0, "index up to date\n", "")
    assert index.stat().st_ino == inode  # not even replaced by an identical copy
    assert index.read_bytes() == data


def test_an_index_saved_while_the_peps_were_read_is_kept(folder, capsys, monkeypatch):
    from pepctl.corpus import Corpus

    index = folder / "PEP-0000-process.md"
    saved = index.read_bytes() + b"\nA paragraph saved in an editor meanwhile.\n"
    summaries = Corpus.summaries

    def save_then_read(self, *args, **kwargs):
        index.write_bytes(saved)  # between pepctl's read of the index and its write
        return summaries(self, *args, **kwargs)

    monkeypatch.setattr(Corpus, "summaries", save_then_read)
    code, out, err = run(capsys, folder)
    assert code == 1 and out == ""
    assert f"{index} changed since pepctl read it" in err and "Run the command again" in err
    assert index.read_bytes() == saved


def test_check_prints_a_diff_and_writes_nothing(folder, capsys):
    index = folder / "PEP-0000-process.md"
    before = index.read_bytes()
    code, out, err = run(capsys, folder, "--check")
    assert code == 1
    assert out.startswith(f"--- a/{index}\n+++ b/{index}\n@@ ")
    assert "-| [0001](PEP-0001-first.md)   | First one        | Draft  | Ada Lovelace (@ada) |\n" in out
    assert "+| [0002](PEP-0002-second.md) | Second | Under Review | Ada Lovelace (@ada) |\n" in out
    assert "stale" in err and "pepctl index" in err
    assert index.read_bytes() == before
    assert run(capsys, folder)[0] == 0
    assert run(capsys, folder, "--check") == (0, "index up to date\n", "")


def test_padding_alone_is_not_staleness(folder, capsys):
    index = folder / "PEP-0000-process.md"
    run(capsys, folder)
    padded = index.read_bytes().replace(b"| Second | Under Review |", b"|  Second  |   Under Review |")
    index.write_bytes(padded)
    assert run(capsys, folder, "--check")[0] == 0
    assert index.read_bytes() == padded


def test_crlf_bom_and_no_final_newline_survive(folder, capsys):
    index = folder / "PEP-0000-process.md"
    text = (FIXTURES / "index.md").read_text()
    text = text[: text.index("\nRows are sorted")]  # the table ends the file, no final newline
    original = b"\xef\xbb\xbf" + text.rstrip("\n").replace("\n", "\r\n").encode()
    index.write_bytes(original)
    assert run(capsys, folder)[0] == 0
    after = index.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# PEP-0000: Process\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert after.endswith(b"| [0003](PEP-0003-third.md) | Third \\| piped | Accepted | Grace Hopper (@grace) |")
    head = original[: original.index(b"| [0000]")]
    assert after.startswith(head)
    assert run(capsys, folder, "--check")[0] == 0


def test_index_section_is_added_when_missing(tmp_path, capsys):
    index = tmp_path / "PEP-0000-process.md"
    add_pep(tmp_path, 0, "Process", "Active", "The Maintainers")
    add_pep(tmp_path, 1, "First one")
    before = index.read_bytes()
    assert run(capsys, tmp_path, "--check")[0] == 1
    assert index.read_bytes() == before
    assert run(capsys, tmp_path)[0] == 0
    after = index.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == (
        b"\n## Index\n\n| PEP | Title | Status | Author |\n|---|---|---|---|\n"
        b"| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |\n"
        b"| [0001](PEP-0001-first-one.md) | First one | Draft | Ada Lovelace (@ada) |\n"
    )


def test_configured_index_file(tmp_path, capsys):
    (tmp_path / "pepctl.toml").write_text('index-file = "README.md"\n')
    (tmp_path / "README.md").write_text("# Proposals\n\n## Index\n\nNothing yet.\n")
    add_pep(tmp_path, 1, "First one")
    code = main(["--dir", str(tmp_path), "--config", str(tmp_path / "pepctl.toml"), "index"])
    assert code == 0
    assert (tmp_path / "README.md").read_text() == (
        "# Proposals\n\n## Index\n\n| PEP | Title | Status | Author |\n|---|---|---|---|\n"
        "| [0001](PEP-0001-first-one.md) | First one | Draft | Ada Lovelace (@ada) |\n\nNothing yet.\n"
    )


@pytest.mark.parametrize("configured", [True, False])
def test_an_index_file_that_is_a_folder_is_said_to_be_one(tmp_path, capsys, configured):
    add_pep(tmp_path, 1, "First one")
    if configured:
        (tmp_path / "pepctl.toml").write_text('index-file = "proposals"\n')
        (tmp_path / "proposals").mkdir()
        folder = tmp_path / "proposals"
    else:
        folder = tmp_path / "PEP-0000-index.md"
        folder.mkdir()
    for args in ([], ["--check"]):
        code = main(["--dir", str(tmp_path), "--config", str(tmp_path / "pepctl.toml"), "index", *args] if configured
                    else ["--dir", str(tmp_path), "index", *args])
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert f"the index file {folder} is a folder, not a file (" in err and "does not exist" not in err
        assert "point 'index-file' at the Markdown file holding the '## Index' table" in err


def test_no_index_file_is_a_clear_error(tmp_path, capsys):
    add_pep(tmp_path, 1, "First one")
    code, out, err = run(capsys, tmp_path)
    assert code == 2 and out == ""
    assert "no index file" in err and "index-file" in err


def test_unreadable_index_file_is_reported(tmp_path, capsys):
    (tmp_path / "PEP-0000-process.md").write_bytes(b"\xff\xfe broken")
    add_pep(tmp_path, 1, "First one")
    code, _, err = run(capsys, tmp_path, "--check")
    assert code == 1 and "PEP-0000-process.md:1:1:" in err and "UTF-8" in err


# -- single-row edits used by `new` and `status` ---------------------------------------


def test_with_status_touches_one_cell():
    doc = Document((FIXTURES / "index.md").read_text())
    text = with_status(doc, 1, "Accepted")
    assert text == doc.text.replace("| First one        | Draft  |", "| First one        | Accepted  |")
    assert with_status(doc, 1, "Draft") is None  # already so
    assert with_status(doc, 9, "Draft") is None  # no row


@pytest.mark.parametrize(
    "number, after",
    [(2, "| [0001](PEP-0001-first.md)   |"), (0, None)],
)
def test_with_row_keeps_number_order(number, after):
    doc = Document((FIXTURES / "index.md").read_text())
    if number == 0:
        assert with_row(doc, ["[0000](PEP-0000-process.md)", "Dup", "Active", "x"]) is None
        return
    row = [f"[{number:04d}](PEP-{number:04d}-x.md)", "X", "Draft", "Ada Lovelace (@ada)"]
    text = with_row(doc, row)
    line = f"| [{number:04d}](PEP-{number:04d}-x.md) | X | Draft | Ada Lovelace (@ada) |\n"
    anchor_end = doc.text.index("\n", doc.text.index(after)) + 1
    assert text == doc.text[:anchor_end] + line + doc.text[anchor_end:]
    assert [r[1] for r in IndexTable(Document(text)).rows] == ["Process", "First one", "X"]


def test_with_row_inserts_before_higher_numbers():
    doc = Document((FIXTURES / "index.md").read_text().replace("[0001](PEP-0001-first.md)", "[0009](PEP-0009-first.md)"))
    text = with_row(doc, ["[0004](PEP-0004-x.md)", "X", "Draft", "A (@a)"])
    assert [r[0] for r in IndexTable(Document(text)).rows] == [
        "[0000](PEP-0000-process.md)", "[0004](PEP-0004-x.md)", "[0009](PEP-0009-first.md)",
    ]


# -- the real corpus -------------------------------------------------------------------


@pytest.fixture
def corpus_copy(corpus_dir, tmp_path):
    folder = tmp_path / "peps"
    shutil.copytree(corpus_dir, folder)
    return folder


def test_check_on_the_real_corpus_reports_stale(corpus_copy, pepctl):
    index = corpus_copy / "PEP-0000-process.md"
    before = index.read_bytes()
    result = pepctl("--dir", str(corpus_copy), "index", "--check", cwd=corpus_copy)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "+| [5546](PEP-5546-same-file-memberwise-initializer-extensions.md) |" in result.stdout
    # both files of each duplicated number get a row
    assert result.stdout.count("+| [2071](") == 2 and result.stdout.count("+| [5519](") == 2
    assert index.read_bytes() == before


def test_rewrite_on_the_real_corpus(corpus_copy, capsys):
    index = corpus_copy / "PEP-0000-process.md"
    before = index.read_bytes()
    code, out, _ = run(capsys, corpus_copy)
    assert code == 0
    peps = [n for n in os.listdir(corpus_copy) if n.startswith("PEP-") and n != "PEP-TEMPLATE.md"]
    assert out == f"index updated: {len(peps)} rows\n"
    after = index.read_bytes()
    head = before[: before.index(b"| [0000]")]
    assert after.startswith(head)
    assert after.count(b"\n| [") == len(peps)
    assert run(capsys, corpus_copy, "--check") == (0, "index up to date\n", "")


def test_check_agrees_with_index_on_the_kept_row_of_an_unreadable_file(folder, capsys):
    assert run(capsys, folder)[0] == 0
    with open(folder / "PEP-0002-second.md", "ab") as handle:
        handle.write(b"\xff")  # no longer UTF-8: `index` keeps its row as it was
    code, out, err = run(capsys, folder)
    assert code == 0 and "kept as it was" in err
    code = main(["--dir", str(folder), "check", "--select", "X005"])
    out, err = capsys.readouterr()
    assert code == 0, out  # X005 must not call the kept row stale, nor the file missing


def test_a_backslash_before_a_pipe_survives_into_the_index_row(folder, capsys):
    add_pep(folder, 4, "Paths like a\\|b", slug="paths")
    assert run(capsys, folder)[0] == 0
    table = IndexTable(Document.from_bytes((folder / "PEP-0000-process.md").read_bytes(), "PEP-0000-process.md"))
    assert [row[1] for row in table.rows if "PEP-0004" in row[0]] == ["Paths like a\\|b"]
    code = main(["--dir", str(folder), "check", "--select", "X005"])
    capsys.readouterr()
    assert code == 0


# -- the functions behind `pepctl index`, in process ---------------------------------------

from peptext import PROCESS_HEAD  # noqa: E402

from pepctl.config import Config  # noqa: E402
from pepctl.corpus import Corpus  # noqa: E402
from pepctl.index import (  # noqa: E402
    IndexFormatError,
    Unreadable,
    expected_rows,
    index_problem,
    pep_link,
    rewrite,
    unreadable,
)
from pepctl.model import Pep  # noqa: E402

TABLE_HEAD = "| PEP | Title | Status | Author |\n|---|---|---|---|\n"


def index_doc(rows: str = "", tail: str = "\nMore text.\n", path: str = "peps/PEP-0000-process.md") -> Document:
    return Document(PROCESS_HEAD + TABLE_HEAD + rows + tail, path)


def row(n: int, title: str = "T", status: str = "Draft", link: str | None = None) -> list[str]:
    return [f"[{n:04d}]({link or f'PEP-{n:04d}-x.md'})", title, status, "Ada (@ada)"]


def line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |\n"


def test_pep_link_is_relative_to_the_index():
    assert pep_link("peps/PEP-0001-x.md", "peps/PEP-0000-i.md") == "PEP-0001-x.md"
    assert pep_link("peps/PEP-0001-x.md", "docs/INDEX.md") == "../peps/PEP-0001-x.md"
    assert pep_link("peps/sub/PEP-0001-x.md", "peps/INDEX.md") == "sub/PEP-0001-x.md"


def test_expected_rows_by_number_then_file_name():
    peps = [Pep(Document(small_pep(n, f"T{n}", "Draft", "A (@a)")), f"p/{name}")
            for n, name in ((3, "PEP-0003-c.md"), (1, "PEP-0001-b.md"), (1, "PEP-0001-a.md"))]
    peps.append(Pep(Document("Nothing.\n"), "p/PEP-draft.md"))  # no number anywhere: no row
    assert expected_rows(peps, "p/PEP-0000-i.md") == [
        ["[0001](PEP-0001-a.md)", "T1", "Draft", "A (@a)"],
        ["[0001](PEP-0001-b.md)", "T1", "Draft", "A (@a)"],
        ["[0003](PEP-0003-c.md)", "T3", "Draft", "A (@a)"],
    ]


def test_unreadable_files_say_why_and_where(tmp_path):
    (tmp_path / "PEP-0001-ok.md").write_text(small_pep(1, "Ok"))
    (tmp_path / "PEP-0002-bad.md").write_bytes(b"# PEP-0002: Bad\nline two\n\xff\n")
    (tmp_path / "PEP-0003-empty.md").write_bytes(b"")
    corpus = Corpus(str(tmp_path))
    records = corpus.summaries(lambda pep: pep)
    assert unreadable(corpus, records) == [
        Unreadable(str(tmp_path / "PEP-0002-bad.md"), 2,
                   "the file is not valid UTF-8 (byte 0xff at offset 25); re-save it as UTF-8", 3),
        Unreadable(str(tmp_path / "PEP-0003-empty.md"), 3, "the file is empty", 1),
    ]
    assert Unreadable("p", 1, "r").line == 1


def test_rewrite_writes_a_table_into_an_empty_index_section():
    doc = Document(PROCESS_HEAD + "Nothing yet.\n\n## After\n", "PEP-0000-p.md")
    result = rewrite(doc, [row(1), row(2)])
    # right under the heading, a blank line before; the section's text follows after its own blank line
    assert result.text == (PROCESS_HEAD + TABLE_HEAD + line(row(1)) + line(row(2)) + "\nNothing yet.\n\n## After\n")
    assert (result.kept, result.unlisted, result.rows) == ([], [], 2)


def test_rewrite_adds_the_section_when_missing():
    text = PROCESS_HEAD[: PROCESS_HEAD.index("## Index")].rstrip("\n")
    result = rewrite(Document(text, "PEP-0000-p.md"), [row(1)], [Unreadable("PEP-0007-x.md", 7, "bad")])
    assert result.text == text + "\n\n## Index\n\n" + TABLE_HEAD + line(row(1))
    assert result.unlisted == [Unreadable("PEP-0007-x.md", 7, "bad")] and result.rows == 1
    crlf = rewrite(Document(text.replace("\n", "\r\n") + "\r\n", "PEP-0000-p.md"), [row(1)]).text
    assert crlf.endswith("\r\n\r\n## Index\r\n\r\n| PEP | Title | Status | Author |\r\n|---|---|---|---|\r\n" + line(row(1))[:-1] + "\r\n")


def test_rewrite_in_sync_gives_no_text():
    result = rewrite(index_doc(line(row(1)) + line(row(2))), [row(1), row(2)])
    assert result.text is None and result.rows == 2


def test_rewrite_refuses_a_table_without_a_pep_column():
    doc = Document(PROCESS_HEAD + "| Link | Title |\n|---|---|\n| x | y |\n", "PEP-0000-p.md")
    with pytest.raises(IndexFormatError) as info:
        rewrite(doc, [row(1)])
    assert info.value.line == 13
    assert str(info.value) == ("the Index table's header `| Link | Title |` has no PEP column, so pepctl leaves the table "
                               "alone; name the column holding the PEP links 'PEP' (pepctl fills PEP, Title, Status and "
                               "Author and keeps other columns as they are)")
    assert index_problem(doc) == f"line 13: {info.value}"


def test_rewrite_refuses_a_table_without_a_delimiter_row():
    doc = Document(PROCESS_HEAD + "| PEP | Title |\n| x | y |\n", "PEP-0000-p.md")
    with pytest.raises(IndexFormatError) as info:
        rewrite(doc, [row(1)])
    assert info.value.line == 13 and "has no delimiter row" in str(info.value)
    assert index_problem(doc).startswith("line 13: the Index table at line 13 has no delimiter row")


def test_index_problem():
    assert index_problem(index_doc(line(row(1)))) is None
    assert index_problem(Document("# PEP-0000: P\n\nText.\n")) == "it has no '## Index' section"
    assert index_problem(Document(PROCESS_HEAD + "Text.\n")) == "its '## Index' section has no table"


def test_a_kept_row_is_found_by_its_link_even_with_a_leading_dot_slash():
    old = "| [5](./PEP-0005-bad.md) | Old | Draft | Someone |\n"
    doc = index_doc(line(row(1)) + old + line(row(7)))
    result = rewrite(doc, [row(1), row(7, status="Accepted")], [Unreadable("peps/PEP-0005-bad.md", 5, "bad")],
                     "peps/PEP-0000-process.md")
    assert result.kept == [Unreadable("peps/PEP-0005-bad.md", 5, "bad")] and result.unlisted == []
    # kept in number order (its cell, '[5]', would sort after '[0007]' as text), bytes as they were
    assert result.text == index_doc(line(row(1)) + old + line(row(7, status="Accepted"))).text
    assert result.rows == 3


def test_a_kept_row_is_found_by_its_number_when_its_link_is_stale():
    old = "| [0005](PEP-0005-old-name.md) | Old | Draft | Someone |\n"
    doc = index_doc(line(row(1)) + old)
    result = rewrite(doc, [row(1, "New title")], [Unreadable("peps/PEP-0005-bad.md", 5, "bad")])
    assert result.kept == [Unreadable("peps/PEP-0005-bad.md", 5, "bad")]
    assert result.text == index_doc(line(row(1, "New title")) + old).text


def test_a_kept_row_is_not_taken_by_number_when_a_readable_pep_has_that_number():
    stale = "| [0005](PEP-0005-old-name.md) | Old | Draft | Someone |\n"
    doc = index_doc(stale)
    result = rewrite(doc, [row(5, link="PEP-0005-new.md")], [Unreadable("peps/PEP-0005-bad.md", 5, "bad")])
    assert result.kept == [] and result.unlisted == [Unreadable("peps/PEP-0005-bad.md", 5, "bad")]
    assert result.text == index_doc(line(row(5, link="PEP-0005-new.md"))).text  # the row went to the readable one


def test_a_renamed_file_takes_the_row_of_its_number():
    doc = index_doc("| [0001](PEP-0001-old.md) | T | Draft | Ada (@ada) |\n")
    assert rewrite(doc, [row(1)]).text == index_doc(line(row(1))).text


def test_the_last_row_at_the_end_of_the_file_stays_without_a_newline():
    doc = index_doc(line(row(1)) + line(row(2))[:-1], tail="")
    result = rewrite(doc, [row(1), row(2, status="Accepted")])
    assert result.text == index_doc(line(row(1)) + line(row(2, status="Accepted"))[:-1], tail="").text
    crlf = Document((PROCESS_HEAD + TABLE_HEAD + line(row(1)) + line(row(2))[:-1]).replace("\n", "\r\n"), "PEP-0000-p.md")
    assert rewrite(crlf, [row(1), row(2, "U")]).text == (PROCESS_HEAD + TABLE_HEAD + line(row(1)) + line(row(2, "U"))[:-1]).replace("\n", "\r\n")


def test_with_row_at_the_end_of_a_file_with_a_final_newline():
    doc = index_doc(line(row(1)), tail="")
    assert with_row(doc, row(2)) == doc.text + line(row(2))


def test_with_row_at_the_end_of_a_file_without_a_final_newline():
    doc = index_doc(line(row(1))[:-1], tail="")
    assert with_row(doc, row(2)) == doc.text + "\n" + line(row(2))[:-1]
    inside = index_doc(line(row(1)) + line(row(3)), tail="\nAfter, no final newline")
    assert with_row(inside, row(2)) == index_doc(line(row(1)) + line(row(2)) + line(row(3)), tail="\nAfter, no final newline").text


def test_with_row_refuses_what_it_cannot_place():
    assert with_row(Document("# PEP-0000: P\n"), row(1)) is None  # no table
    assert with_row(index_doc(line(row(1))), ["not a link", "T", "Draft", "A"]) is None  # no number
    no_pep = Document(PROCESS_HEAD + "| Title | Status |\n|---|---|\n| x | y |\n")
    assert with_row(no_pep, row(1)) is None
    assert with_row(index_doc(), row(4)) == index_doc(line(row(4))).text  # an empty table


def test_with_status_needs_a_table_and_both_columns():
    assert with_status(Document("# PEP-0000: P\n"), 1, "Accepted") is None
    no_status = Document(PROCESS_HEAD + "| PEP | Title |\n|---|---|\n| [0001](PEP-0001-x.md) | T |\n")
    assert with_status(no_status, 1, "Accepted") is None
    no_pep = Document(PROCESS_HEAD + "| Title | Status |\n|---|---|\n| T | Draft |\n")
    assert with_status(no_pep, 1, "Accepted") is None
    short = Document(PROCESS_HEAD + "| PEP | Title | Status |\n|---|---|---|\n| [0001](PEP-0001-x.md) | T |\n")
    assert with_status(short, 1, "Accepted") is None  # the row has no Status cell
    two = index_doc(line(row(1)) + line(row(1, link="PEP-0001-y.md")))
    assert with_status(two, 1, "A | B") == index_doc(line(row(1, status="A \\| B")) + line(row(1, status="A \\| B", link="PEP-0001-y.md"))).text


def test_configured_index_file_path(tmp_path):
    (tmp_path / "PEP-0001-x.md").write_text(small_pep(1, "X"))
    assert Corpus(str(tmp_path), Config({"index-file": "INDEX.md"})).index_path == os.path.join(str(tmp_path), "INDEX.md")
    assert Corpus(str(tmp_path)).index_path is None
    (tmp_path / "PEP-0000-p.md").write_text(small_pep(0, "P"))
    assert Corpus(str(tmp_path)).index_path == os.path.join(str(tmp_path), "PEP-0000-p.md")


def test_a_kept_row_linked_with_dot_slash_beside_a_readable_pep_of_the_same_number():
    """Two files numbered 5, one unreadable: its row is found by its link alone (the number is taken)."""
    bad = "| [0005](./PEP-0005-bad.md) | Old | Draft | Someone |\n"
    doc = index_doc(bad + line(row(5, link="PEP-0005-good.md")))
    result = rewrite(doc, [row(5, link="PEP-0005-good.md")], [Unreadable("peps/PEP-0005-bad.md", 5, "bad")])
    assert result.kept == [Unreadable("peps/PEP-0005-bad.md", 5, "bad")] and result.unlisted == []
    assert result.text is None  # both rows stay: the bad one first (same number, file-name order)
