"""A large check split over processes gives exactly what one process gives."""

from __future__ import annotations

import datetime
import os
import shutil

import pytest

from pepctl import fanout
from pepctl import lint as lint_module
from pepctl.config import Config, ConfigError
from pepctl.corpus import Corpus
from pepctl.policy import Policy

TODAY = datetime.date(2026, 6, 1)

PEP = """# PEP-{n:04d}: {title}

| Field | Value |
|---|---|
| **PEP** | {field} |
| **Title** | {title} |
| **Status** | Draft |
| **Author(s)** | Ada (@ada) |
| **Created** | 2026-01-05 |

## Summary

See [the other one](PEP-{link}.md).
"""

INDEX = """# PEP-0000: Process

| Field | Value |
|---|---|
| **PEP** | 0000 |
| **Title** | Process |
| **Status** | Active |
| **Authors** | Plano Maintainers |
| **Created** | 2026-01-05 |

## Index

| PEP | Title | Status | Author |
|---|---|---|---|
| [0000](PEP-0000-process.md) | Process | Active | Plano Maintainers |
"""


def folder_with_edge_cases(tmp_path):
    folder = tmp_path / "peps"
    folder.mkdir()
    (folder / "PEP-0000-process.md").write_text(INDEX)
    for n in range(1, 40):
        (folder / f"PEP-{n:04d}-idea-{n}.md").write_text(
            PEP.format(n=n, field=f"{n:04d}", title=f"Idea {n}", link=f"{n + 1:04d}-idea-{n + 1}")
        )
    # same number by file name, and by PEP field only
    (folder / "PEP-0007-twin.md").write_text(PEP.format(n=7, field="0007", title="Twin", link="0001-idea-1"))
    (folder / "PEP-0050-claims-nine.md").write_text(PEP.format(n=50, field="0009", title="Nine", link="0001-idea-1"))
    (folder / "PEP-0060-binary.md").write_bytes(b"\x00\x01\x02")
    (folder / "PEP-0061-latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    return folder


def serial(folder, monkeypatch):
    monkeypatch.setenv("PEPCTL_JOBS", "1")
    return lint_module.lint(Corpus(str(folder), Config()), Policy(), today=TODAY)


def split(folder, monkeypatch, jobs):
    monkeypatch.setenv("PEPCTL_JOBS", str(jobs))
    monkeypatch.setattr(fanout, "MIN_ITEMS", 1)
    return lint_module.lint(Corpus(str(folder), Config()), Policy(), today=TODAY)


def as_rows(diagnostics):
    return [d.to_json() for d in diagnostics]


@pytest.mark.parametrize("jobs", [2, 3, 7])
def test_split_run_equals_single_process_run(tmp_path, monkeypatch, jobs):
    folder = folder_with_edge_cases(tmp_path)
    expected = as_rows(serial(folder, monkeypatch))
    codes = {row["code"] for row in expected}
    assert {"X001", "X004", "X005", "F002", "F003"} <= codes  # the edge cases are really there
    assert as_rows(split(folder, monkeypatch, jobs)) == expected


def test_split_run_equals_single_process_run_on_the_corpus(corpus_dir, tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    shutil.copytree(corpus_dir, folder)
    assert as_rows(split(folder, monkeypatch, 2)) == as_rows(serial(folder, monkeypatch))


def test_a_failing_worker_share_is_checked_by_the_parent(tmp_path, monkeypatch):
    folder = folder_with_edge_cases(tmp_path)
    expected = as_rows(serial(folder, monkeypatch))
    parent = os.getpid()
    real = lint_module._check_share

    def flaky(ctx, selection, paths, *more):
        if os.getpid() != parent:
            raise RuntimeError("worker died")
        return real(ctx, selection, paths, *more)

    monkeypatch.setattr(lint_module, "_check_share", flaky)
    assert as_rows(split(folder, monkeypatch, 2)) == expected


def test_bad_jobs_setting_is_a_config_error(tmp_path, monkeypatch):
    folder = folder_with_edge_cases(tmp_path)
    monkeypatch.setenv("PEPCTL_JOBS", "many")
    with pytest.raises(ConfigError, match="PEPCTL_JOBS"):
        lint_module.lint(Corpus(str(folder), Config()), Policy(), today=TODAY)


def test_map_items_keeps_order_and_survives_a_failing_child(monkeypatch):
    parent = os.getpid()

    def square(x):
        if os.getpid() != parent and x == 5:
            raise RuntimeError("child failure")
        return x * x

    items = list(range(50))
    assert fanout.map_items(square, items, jobs=3, min_items=1) == [x * x for x in items]
    assert fanout.map_items(square, items, jobs=1) == [x * x for x in items]
