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
