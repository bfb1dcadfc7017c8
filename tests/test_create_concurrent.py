"""`pepctl new` run several times at once in one folder: distinct numbers, every index row kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from pepctl.fsutil import folder_lock

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fcntl locks")

PROCESS = "# PEP-0000: Process\n\n## Index\n\n| PEP | Title | Status | Author |\n|---|---|---|---|\n"


def spawn(folder, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "pepctl", "--dir", str(folder), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder,
    )


def test_parallel_new_gets_distinct_numbers_and_keeps_every_row(tmp_path):
    index = tmp_path / "PEP-0000-process.md"
    index.write_text(PROCESS)
    count = 8
    children = [spawn(tmp_path, "new", f"Race {i}", "--author", "Ada Lovelace (@ada)") for i in range(count)]
    results = [(child.wait(timeout=120), *child.communicate()) for child in children]
    assert all(code == 0 for code, _, _ in results), results
    names = sorted(n for n in os.listdir(tmp_path) if n != "PEP-0000-process.md")
    assert [n[:8] for n in names] == [f"PEP-{n:04d}" for n in range(1, count + 1)]
    text = index.read_text()
    for name in names:
        assert f"]({name}) |" in text
    assert text.count("\n| [") == count


def test_new_waits_for_the_folder_lock(tmp_path):
    """Deterministic: while the folder is locked, `new` neither picks a number nor writes."""
    (tmp_path / "PEP-0000-process.md").write_text(PROCESS)
    with folder_lock(str(tmp_path)):
        child = spawn(tmp_path, "new", "Patient", "--author", "Ada Lovelace (@ada)")
        time.sleep(1.5)  # ample time to start, read the folder and write, were it not waiting
        assert child.poll() is None
        assert sorted(os.listdir(tmp_path)) == ["PEP-0000-process.md"]
    assert child.wait(timeout=60) == 0, child.communicate()
    assert "PEP-0001-patient.md" in os.listdir(tmp_path)


def test_index_waits_for_the_folder_lock(tmp_path):
    index = tmp_path / "PEP-0000-process.md"
    index.write_text(PROCESS)
    before = index.read_bytes()
    with folder_lock(str(tmp_path)):
        child = spawn(tmp_path, "index")
        time.sleep(1.5)
        assert child.poll() is None
        assert index.read_bytes() == before
    assert child.wait(timeout=60) == 0, child.communicate()
    assert "| [0000](PEP-0000-process.md) |" in index.read_text()


def test_status_waits_for_the_folder_lock(tmp_path):
    """`status` rewrites the index row too: it must not interleave with a `new` or an `index`."""
    (tmp_path / "PEP-0000-process.md").write_text(PROCESS)
    assert spawn(tmp_path, "new", "Short lived", "--author", "Ada Lovelace (@ada)").wait(timeout=60) == 0
    pep = tmp_path / "PEP-0001-short-lived.md"
    before = pep.read_bytes()
    with folder_lock(str(tmp_path)):
        child = spawn(tmp_path, "status", "1", "Withdrawn")
        time.sleep(1.5)
        assert child.poll() is None
        assert pep.read_bytes() == before
    assert child.wait(timeout=60) == 0, child.communicate()
    assert "| Withdrawn |" in pep.read_text()
