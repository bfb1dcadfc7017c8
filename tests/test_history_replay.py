"""`read_history` against a model: random edit histories of real git repositories.

`pepctl history` never reads a PEP file at each commit: it replays `git log -p -U0` and follows
the header's Status row through the hunks (line numbers shift with every line added or removed
above it; a hunk may replace it, move it, or sit beside it; git writes "\\ No newline at end of
file" inside hunks; files are renamed, deleted and created again). Each scenario below makes a
repository commit by commit from a small model of its files (the lines of each, which one is
the header's Status row), and the model says what the history must be: for every file alive at
the end, each commit after which its Status row holds another value. Every file also carries a
decoy: a Status row in a table of its body, whose changes are never status changes, so a row
followed one line off shows.
"""

from __future__ import annotations

import os
import random
import subprocess

import pytest

from pepctl.history import read_history

STATES = ["Draft", "Under Review", "Accepted", "Declined", "Deferred", "Implementing", "Complete", "Withdrawn"]
FOLDER = "docs/peps"


class Pep:
    """The model of one PEP file: its lines, the index of the header's Status row, its status."""

    def __init__(self, number: int, name: str, rng: random.Random, commit: int):
        self.number, self.name = number, name
        self.status = rng.choice(STATES)
        self.events: list[tuple[int, str | None, str]] = [(commit, None, self.status)]  # (commit index, old, new)
        self.lines = [
            f"# PEP-{number:04d}: Title {number}",
            "",
            "| Field | Value |",
            "|---|---|",
            f"| **PEP** | {number:04d} |",
            f"| **Title** | Title {number} |",
            f"| **Status** | {self.status} |",
            "| **Author(s)** | Ada Lovelace (@ada) |",
            "| **Created** | 2026-01-05 |",
            "",
            "## Summary",
            "",
            *(f"Line {i} of the text." for i in range(rng.randint(0, 4))),
            "| Field | Meaning |",
            "|---|---|",
            f"| **Status** | {rng.choice(STATES)} |",
            *(f"Closing line {i}." for i in range(rng.randint(0, 3))),
        ]
        self.row = 6
        self.final_newline = rng.random() < 0.7

    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.final_newline else "")

    def table_rows(self) -> range:
        """Indexes of the header table's field rows (the Status row may go anywhere among them)."""
        start = self.lines.index("|---|---|") + 1
        end = start
        while end < len(self.lines) and self.lines[end].startswith("| **"):
            end += 1
        return range(start, end)

    def decoy(self) -> int:
        return len(self.lines) - 1 - self.lines[::-1].index("| Field | Meaning |") + 2

    def insert(self, at: int, line: str) -> None:
        self.lines.insert(at, line)
        if at <= self.row:
            self.row += 1

    def delete(self, at: int) -> None:
        assert at != self.row
        del self.lines[at]
        if at < self.row:
            self.row -= 1

    def edit(self, rng: random.Random, serial: int) -> None:
        """One random change of the kinds a hunk can hold."""
        kind = rng.choice(["status", "status", "above", "above-title", "field", "body", "drop", "decoy", "move", "newline"])
        rows = self.table_rows()
        if kind == "status":
            self.status = rng.choice([s for s in STATES if s != self.status])
            self.lines[self.row] = f"| **Status** | {self.status} |"
        elif kind == "above":  # a field row added just above (or anywhere above) the Status row
            self.insert(rng.randint(rows.start, self.row), f"| **Note{serial}** | n{serial} |")
        elif kind == "above-title":  # the whole header moves down
            self.insert(0, f"<!-- note {serial} -->")
        elif kind == "field":  # a field row anywhere in the table
            self.insert(rng.randint(rows.start, rows.stop), f"| **Extra{serial}** | e{serial} |")
        elif kind == "body":
            self.insert(rng.randint(rows.stop, len(self.lines)), f"Body line {serial}.")
        elif kind == "drop":  # a line that is neither Status row, nor structure the model needs
            spare = [i for i, line in enumerate(self.lines)
                     if line.startswith(("<!--", "| **Note", "| **Extra", "Body line", "Line ", "Closing"))]
            if spare:
                self.delete(rng.choice(spare))
        elif kind == "decoy":
            self.lines[self.decoy()] = f"| **Status** | {rng.choice(STATES)} {serial} |"
        elif kind == "move":  # the Status row goes elsewhere in the table, its value kept
            line = self.lines.pop(self.row)
            others = [i for i in self.table_rows()]
            self.row = rng.choice(others + [others[-1] + 1])
            self.lines.insert(self.row, line)
        else:
            self.final_newline = not self.final_newline


class Repo:
    def __init__(self, root):
        self.root = root
        self.day = 0
        root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        stamp = f"2026-02-01T{self.day // 60:02d}:{self.day % 60:02d}:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                               *args], cwd=self.root, env=env, capture_output=True, text=True, check=True).stdout

    def write(self, pep: Pep) -> None:
        path = self.root / FOLDER / pep.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pep.text().encode())

    def commit(self) -> None:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", f"commit {self.day}")


def run_scenario(seed: int, tmp_path, commits: int = 10):
    """Make the repository of scenario `seed`; (what read_history says, what the model says)."""
    rng = random.Random(seed)
    repo = Repo(tmp_path / "repo")
    alive: list[Pep] = []
    done: list[Pep] = []  # deleted: their history goes with them
    numbers = iter(range(1, 100))
    shas: list[str] = []

    def create(index: int) -> Pep:
        number = next(numbers)
        pep = Pep(number, f"PEP-{number:04d}-proposal-{number}.md", rng, index)
        alive.append(pep)
        return pep

    create(0), create(0), create(0)
    for index in range(commits):
        created = []
        # at most one file is created, deleted or renamed per commit, so git cannot pair
        # a deleted file with an added one as a rename the model does not know
        special = rng.choice(["", "", "", "", "", "", "create", "delete", "rename", "rename"])
        if index == 0:
            special = ""
        if special == "create" or (special == "delete" and len(alive) < 2):
            created.append(create(index))
        elif special == "delete":
            pep = rng.choice(alive)
            alive.remove(pep)
            done.append(pep)
            (repo.root / FOLDER / pep.name).unlink()
        elif special == "rename":
            pep = rng.choice(alive)
            new = f"PEP-{pep.number:04d}-renamed-{index}.md"
            repo.git("mv", f"{FOLDER}/{pep.name}", f"{FOLDER}/{new}")
            pep.name = new  # and maybe edited below, in the same commit
        for pep in alive:
            if index and pep not in created and rng.random() < 0.7:
                before = pep.status
                for step in range(rng.randint(1, 4)):  # several hunks in one file
                    pep.edit(rng, index * 10 + step)
                if pep.status != before:
                    pep.events.append((index, before, pep.status))
        for pep in alive:
            repo.write(pep)
        repo.commit()
        shas.append(repo.git("rev-parse", "HEAD").strip())
    expected = sorted(((index, pep.name), (pep.name, shas[index], old, new))
                      for pep in alive for index, old, new in pep.events)
    got = [(os.path.basename(c.path), c.commit, c.old, c.new)
           for c in read_history(str(repo.root / FOLDER)).changes]
    return got, [row for _, row in expected]


@pytest.mark.parametrize("seed", range(12))
def test_history_follows_the_status_row_through_random_edits(seed, tmp_path):
    got, expected = run_scenario(seed, tmp_path)
    assert [old for _, _, old, _ in expected if old is not None]  # the scenario changes a status, not only creates
    assert got == expected
