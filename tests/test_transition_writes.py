"""pepctl.transition writing a planned status change: the index row changed with the PEP, the diff of
both files, and both files written or neither."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from peptext import FIXTURES, write_fixture

from pepctl import transition
from pepctl.config import Config
from pepctl.corpus import Corpus
from pepctl.policy import Policy

TODAY = datetime.date(2026, 3, 1)


def plan(folder: Path, number, state):
    config = Config()
    return transition.plan(Corpus(str(folder), config), Policy(config), str(number), state, None, TODAY)


def listed_draft(folder: Path) -> tuple[Path, Path]:
    """The index file, PEP-0000, and PEP-0001, a Draft its table lists: (index, PEP-0001)."""
    index = folder / "PEP-0000-process.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes())
    return index, write_fixture(folder, "ready.md", 1, "Draft", "first")


# -- index ---------------------------------------------------------------------------


def test_index_row_status_changes_and_nothing_else(tmp_path):
    index, _ = listed_draft(tmp_path)
    before = index.read_bytes()
    change = plan(tmp_path, 1, "Under Review")
    transition.apply(change)
    assert index.read_bytes() == before.replace(
        b"| First one        | Draft  |", b"| First one        | Under Review  |"
    )


def test_missing_index_row_is_left_alone(tmp_path):
    index = tmp_path / "PEP-0000-process.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes())
    write_fixture(tmp_path, "ready.md", 7, "Draft")
    before = index.read_bytes()
    change = plan(tmp_path, 7, "Under Review")
    assert change.index_after is None
    transition.apply(change)
    assert index.read_bytes() == before


def test_diff_shows_both_files(tmp_path):
    listed_draft(tmp_path)
    diff = transition.diff(plan(tmp_path, 1, "Under Review"))
    assert "-| **Status** | Draft |" in diff and "+| **Status** | Under Review |" in diff
    assert "+| [0001](PEP-0001-first.md)   | First one        | Under Review  |" in diff


# -- both files or neither -----------------------------------------------------------


def failing_writes(monkeypatch, fail_on, fail_restore=False):
    """Make transition's atomic_write fail for paths ending in `fail_on` (and, optionally, every later write)."""
    real = transition.atomic_write
    calls = []

    def write(path, data, **kwargs):
        calls.append(path)
        if str(path).endswith(fail_on) or (fail_restore and len(calls) > 2):
            raise IsADirectoryError(21, "Is a directory")
        real(path, data, **kwargs)

    monkeypatch.setattr(transition, "atomic_write", write)
    return calls


def test_index_write_failure_puts_the_pep_back(tmp_path, monkeypatch):
    index, pep = listed_draft(tmp_path)
    before_pep, before_index = pep.read_bytes(), index.read_bytes()
    change = plan(tmp_path, 1, "Under Review")
    calls = failing_writes(monkeypatch, "PEP-0000-process.md")
    with pytest.raises(transition.TransitionError) as err:
        transition.apply(change)
    assert type(err.value) is transition.TransitionError  # refused, not a usage error
    message = err.value.message
    assert str(index) in message and "Is a directory" in message
    assert "nothing was changed" in message and str(pep) in message and "put back" in message
    assert pep.read_bytes() == before_pep and index.read_bytes() == before_index
    assert calls == [str(pep), str(index), str(pep)]  # written, failed, restored
    assert not [n for n in __import__("os").listdir(tmp_path) if n.startswith(".pepctl-")]


def test_pep_write_failure_touches_nothing(tmp_path, monkeypatch):
    index, pep = listed_draft(tmp_path)
    before_pep, before_index = pep.read_bytes(), index.read_bytes()
    change = plan(tmp_path, 1, "Under Review")
    calls = failing_writes(monkeypatch, "PEP-0001-first.md")
    with pytest.raises(transition.TransitionError) as err:
        transition.apply(change)
    assert "nothing was changed" in err.value.message and str(pep) in err.value.message
    assert calls == [str(pep)]
    assert pep.read_bytes() == before_pep and index.read_bytes() == before_index


def test_failed_restore_says_what_was_left_and_how_to_mend_it(tmp_path, monkeypatch):
    index, pep = listed_draft(tmp_path)
    change = plan(tmp_path, 1, "Under Review")
    failing_writes(monkeypatch, "PEP-0000-process.md", fail_restore=True)
    with pytest.raises(transition.TransitionError) as err:
        transition.apply(change)
    message = err.value.message
    assert "nothing was changed" not in message
    assert f"{pep} now says Under Review" in message and "pepctl index" in message
    assert b"| Under Review |" in pep.read_bytes()


# -- a file changed underneath -------------------------------------------------


@pytest.mark.parametrize("edited", ["pep", "index"])
def test_a_file_saved_between_plan_and_write_is_kept_and_nothing_is_written(tmp_path, edited):
    index, pep = listed_draft(tmp_path)
    change = plan(tmp_path, 1, "Under Review")
    saved = (pep if edited == "pep" else index)
    saved.write_bytes(saved.read_bytes() + b"\nA paragraph saved in an editor meanwhile.\n")
    other = index if edited == "pep" else pep
    before = {saved: saved.read_bytes(), other: other.read_bytes()}
    with pytest.raises(transition.TransitionError, match=f"{saved.name} changed since pepctl read it"):
        transition.apply(change)
    assert {path: path.read_bytes() for path in before} == before


def test_a_pep_saved_while_it_was_read_is_refused(tmp_path, monkeypatch):
    _, pep = listed_draft(tmp_path)
    corpus = Corpus(str(tmp_path), Config())
    corpus.find(1)[0].pep  # parsed now; the file is read once more before the edit
    pep.write_bytes(pep.read_bytes() + b"\nSaved in an editor meanwhile.\n")
    with pytest.raises(transition.TransitionError, match=f"{pep.name} changed since pepctl read it"):
        transition.plan(corpus, Policy(Config()), "1", "Under Review", None, TODAY)
