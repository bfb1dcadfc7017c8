"""`pepctl index`, X005, `new` and `status` agree on which table is the index: one
taken inside the folder lock, outside code and comments, with or without outer
pipes, keeping every cell and line ending it had."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peptext import PROCESS_HEAD, small_pep

from pepctl.cli import main
from pepctl.document import Document
from pepctl.index import IndexTable, index_problem, with_row, with_status

HEAD = PROCESS_HEAD
ROW0 = "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers |"
ROW1 = "| [0001](PEP-0001-first.md) | First | Draft | Ada Lovelace (@ada) |"
ROW2 = "| [0002](PEP-0002-second.md) | Second | Draft | Ada Lovelace (@ada) |"
HEADER = "| PEP | Title | Status | Author |\n|---|---|---|---|\n"


@pytest.fixture(autouse=True)
def no_outside_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def add_pep(folder: Path, n: int, title: str, status: str = "Draft") -> Path:
    path = folder / f"PEP-{n:04d}-{title.lower()}.md"
    path.write_text(small_pep(n, title, status))
    return path


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def index_file(folder: Path, body: str) -> Path:
    path = folder / "PEP-0000-process.md"
    path.write_bytes((HEAD + body).encode())
    return path


# -- 1: the folder is read inside the lock ------------------------------------------


def _waiting_on_lock(pid: int) -> bool:
    with open("/proc/locks") as f:
        return any("->" in line and f" {pid} " in line for line in f)


@pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="needs /proc/locks to see the waiting process")
def test_index_waiting_for_the_lock_keeps_the_row_new_wrote(tmp_path):
    index = index_file(tmp_path, HEADER + ROW0 + "\n" + ROW1 + "\n")
    add_pep(tmp_path, 1, "First")
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a `new` holding the lock does
    try:
        proc = subprocess.Popen([sys.executable, "-m", "pepctl", "--dir", str(tmp_path), "index"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not _waiting_on_lock(proc.pid):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "index never waited for the lock"
            time.sleep(0.02)
        add_pep(tmp_path, 2, "Second")  # `new` writes the PEP and its row while index waits
        index.write_text(index.read_text() + ROW2 + "\n")
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert ROW2 in index.read_text()


# -- 2: an index file that is not a PEP is checked by X005 -------------------------


def test_x005_checks_an_index_file_that_is_not_a_pep(tmp_path, capsys):
    (tmp_path / "pepctl.toml").write_text('index-file = "INDEX.md"\n')
    add_pep(tmp_path, 1, "First")
    add_pep(tmp_path, 2, "Second")
    index = tmp_path / "INDEX.md"
    index.write_text("# Index of PEPs\n\n## Index\n\n" + HEADER + ROW1 + "\n")
    assert run(capsys, tmp_path, "index", "--check")[0] == 1
    code, out, err = run(capsys, tmp_path, "check", "--select", "X005")
    assert code == 1
    assert "INDEX.md" in out + err and "X005" in out + err and "0002" in out + err
    assert run(capsys, tmp_path, "index")[0] == 0
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 0
    # checking one PEP does not report the index (as with a PEP-0000 index)
    index.write_text("# Index of PEPs\n\n## Index\n\n" + HEADER + ROW1 + "\n")
    assert run(capsys, tmp_path, "check", "--select", "X005", str(tmp_path / "PEP-0001-first.md"))[0] == 0


# -- 3: tables in code fences and comments are not the index -----------------------


@pytest.mark.parametrize("wrap", [("```markdown\n", "```\n"), ("~~~\n", "~~~\n"), ("<!--\n", "-->\n")])
def test_example_table_in_code_or_comment_is_not_the_index(tmp_path, capsys, wrap):
    example = wrap[0] + HEADER + "| [0009](PEP-0009-x.md) | Example | Draft | Someone |\n" + wrap[1]
    index = index_file(tmp_path, "For example:\n\n" + example + "\n" + HEADER + ROW0 + "\n")
    add_pep(tmp_path, 1, "First")
    table = IndexTable(Document(index.read_text()))
    assert table.found and [r[1] for r in table.rows] == ["Process"]
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 1
    assert run(capsys, tmp_path, "index", "--check")[0] == 1
    assert run(capsys, tmp_path, "index")[0] == 0
    text = index.read_text()
    assert example in text  # the example is untouched
    assert text.endswith(HEADER + ROW0 + "\n" + ROW1 + "\n")
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 0
    assert with_status(Document(text), 1, "Accepted").count("| Accepted |") == 1
    assert example in with_status(Document(text), 1, "Accepted")


# -- 4: GFM tables without outer pipes ------------------------------------------------


def test_table_without_outer_pipes_is_the_index(tmp_path, capsys):
    body = ("PEP | Title | Status | Author\n---|---|---|---\n"
            "[0000](PEP-0000-process.md) | Process | Active | The Maintainers\n"
            "[0001](PEP-0001-first.md) | Old | Draft | Ada Lovelace (@ada)\n\nAfter.\n")
    index = index_file(tmp_path, body)
    add_pep(tmp_path, 1, "First")
    add_pep(tmp_path, 2, "Second")
    assert IndexTable(Document(index.read_text())).found
    code, out, err = run(capsys, tmp_path, "check", "--select", "X005")
    assert code == 1 and "no table" not in out + err
    assert run(capsys, tmp_path, "index") == (0, "index updated: 3 rows\n", "")
    assert index.read_text() == HEAD + (
        "PEP | Title | Status | Author\n---|---|---|---\n"
        "[0000](PEP-0000-process.md) | Process | Active | The Maintainers\n"
        "[0001](PEP-0001-first.md) | First | Draft | Ada Lovelace (@ada)\n"
        "[0002](PEP-0002-second.md) | Second | Draft | Ada Lovelace (@ada)\n\nAfter.\n"
    )
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 0
    text = with_row(Document(index.read_text()), ["[0003](PEP-0003-third.md)", "Third", "Draft", "Ann"])
    assert "[0002](PEP-0002-second.md) | Second | Draft | Ada Lovelace (@ada)\n[0003](PEP-0003-third.md) | Third | Draft | Ann\n" in text


# -- 5: cells past the header are kept ----------------------------------------------


def test_extra_cells_beyond_the_header_are_kept(tmp_path, capsys):
    row0 = "| [0000](PEP-0000-process.md) | Process | Active | The Maintainers | EXTRA |"
    index = index_file(tmp_path, HEADER + row0 + "\n| [0001](PEP-0001-first.md) | Old | Draft | Ada Lovelace (@ada) | more |\n")
    add_pep(tmp_path, 1, "First")
    assert run(capsys, tmp_path, "index")[0] == 0
    text = index.read_text()
    assert row0 + "\n" in text
    assert "| [0001](PEP-0001-first.md) | First | Draft | Ada Lovelace (@ada) | more |\n" in text
    assert run(capsys, tmp_path, "index", "--check") == (0, "index up to date\n", "")
    assert run(capsys, tmp_path, "check", "--select", "X005")[0] == 0


# -- 6: no delimiter row; mixed line endings -------------------------------------------


def test_table_without_delimiter_row_is_refused(tmp_path, capsys):
    body = "| PEP | Title | Status | Author |\n" + ROW0 + "\n" + ROW1 + "\n"
    index = index_file(tmp_path, body)
    add_pep(tmp_path, 1, "First")
    before = index.read_bytes()
    code, out, err = run(capsys, tmp_path, "index")
    assert code == 1 and "delimiter row" in err and ":13:" in err
    assert index.read_bytes() == before
    code, out, err = run(capsys, tmp_path, "check", "--select", "X005")
    assert code == 1 and "delimiter row" in out + err
    assert "delimiter row" in index_problem(Document(before.decode()))
    assert with_row(Document(before.decode()), ["[0002](PEP-0002-x.md)", "X", "Draft", "A"]) is None


def test_rewritten_rows_keep_their_own_line_endings(tmp_path, capsys):
    body = (HEADER + ROW0 + "\r\n| [0001](PEP-0001-first.md) | Old | Draft | Ada Lovelace (@ada) |\r\n"
            + "\nAfter.\n")
    index = index_file(tmp_path, body)
    add_pep(tmp_path, 1, "First")
    assert run(capsys, tmp_path, "index")[0] == 0
    assert index.read_bytes() == (HEAD + HEADER + ROW0 + "\r\n" + ROW1 + "\r\n\nAfter.\n").encode()
