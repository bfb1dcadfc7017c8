"""`pepctl supersede OLD NEW`: both fields written together, losslessly; refusals write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pepctl import supersede
from pepctl.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "peps"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE, tmp_path / "peps")
    return tmp_path / "peps"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), "supersede", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_writes_supersedes_and_superseded_by_and_nothing_else(folder, capsys):
    before = snapshot(folder)
    code, out, err = run(capsys, folder, "1", "PEP-0005")
    assert (code, out) == (0, "PEP-0005 supersedes PEP-0001\n"), err
    after = snapshot(folder)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"PEP-0001-retry-policies.md", "PEP-0005-job-dependencies.md"}
    old = before["PEP-0001-retry-policies.md"].decode()
    assert after["PEP-0001-retry-policies.md"].decode() == old.replace(
        "| **Target Release** | 1.4 |\n", "| **Target Release** | 1.4 |\n| **Superseded-By** | PEP-0005 |\n")
    new = before["PEP-0005-job-dependencies.md"].decode()
    assert after["PEP-0005-job-dependencies.md"].decode() == new.replace(
        "| **Created** | 2026-04-02 |\n", "| **Created** | 2026-04-02 |\n| **Supersedes** | PEP-0001 |\n")
    assert main(["--dir", str(folder), "check"]) == 0  # X002/X003 are satisfied


def test_running_it_again_changes_nothing(folder, capsys):
    run(capsys, folder, "1", "5")
    before = snapshot(folder)
    code, out, _ = run(capsys, folder, "1", "5")
    assert code == 0 and "already" in out
    assert snapshot(folder) == before


def test_a_second_superseded_pep_is_added_to_the_list(folder, capsys):
    run(capsys, folder, "1", "5")
    code, _, err = run(capsys, folder, "2", "5")
    assert code == 0, err
    assert "| **Supersedes** | PEP-0001, PEP-0002 |" in (folder / "PEP-0005-job-dependencies.md").read_text()


def test_an_empty_field_is_filled_in_place(folder, capsys):
    path = folder / "PEP-0002-job-priorities.md"
    path.write_text(path.read_text().replace("| **Tracking Issue** | #27 |\n", "| **Tracking Issue** | #27 |\n| **Superseded-By** | |\n"))
    code, _, err = run(capsys, folder, "2", "5")
    assert code == 0, err
    assert path.read_text().count("Superseded-By") == 1 and "| **Superseded-By** | PEP-0005 |" in path.read_text()


@pytest.mark.parametrize("old, status", [("5", "Draft"), ("4", "Under Review"), ("3", "Declined")])
def test_refuses_an_old_pep_that_is_not_decided(folder, capsys, old, status):
    before = snapshot(folder)
    code, _, err = run(capsys, folder, old, "1" if old != "1" else "2")
    assert code == 1 and f"is {status}; only a decided PEP (Accepted, Implementing, Complete" in err
    assert snapshot(folder) == before


def test_refuses_a_new_pep_that_does_not_exist(folder, capsys):
    before = snapshot(folder)
    code, _, err = run(capsys, folder, "1", "9")
    assert code == 1 and "no PEP-0009" in err and "pepctl list" in err
    assert snapshot(folder) == before


def test_refuses_itself_and_a_pep_superseded_by_another(folder, capsys):
    code, _, err = run(capsys, folder, "1", "1")
    assert code == 1 and "cannot supersede itself" in err
    run(capsys, folder, "1", "5")
    before = snapshot(folder)
    code, _, err = run(capsys, folder, "1", "4")
    assert code == 1 and "already Superseded-By PEP-0005" in err
    assert snapshot(folder) == before


def test_a_bad_number_is_a_usage_error(folder, capsys):
    assert run(capsys, folder, "one", "5")[0] == 2


def test_dry_run_shows_the_diff_and_writes_nothing(folder, capsys):
    before = snapshot(folder)
    code, out, _ = run(capsys, folder, "1", "5", "--dry-run")
    assert code == 0 and "+| **Superseded-By** | PEP-0005 |" in out and "+| **Supersedes** | PEP-0001 |" in out
    assert snapshot(folder) == before


def test_when_the_second_write_fails_the_first_file_is_put_back(folder, capsys, monkeypatch):
    real = supersede.atomic_write
    calls = []

    def failing(path, data, **kw):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, data, **kw)

    monkeypatch.setattr(supersede, "atomic_write", failing)
    before = snapshot(folder)
    code, _, err = run(capsys, folder, "1", "5")
    assert code == 1 and "No space left on device" in err and "nothing was changed" in err
    assert snapshot(folder) == before


def test_plans_and_writes_under_the_folder_lock(folder, capsys, monkeypatch):
    import pepctl.fsutil

    held = []

    class Lock:
        def __init__(self, path):
            self.path = path

        def __enter__(self):
            held.append(self.path)

        def __exit__(self, *exc):
            held.remove(self.path)

    real_plan, real_apply = supersede.plan, supersede.apply
    seen = []
    monkeypatch.setattr(pepctl.fsutil, "folder_lock", Lock)
    monkeypatch.setattr(supersede, "plan", lambda *a, **k: (seen.append(list(held)), real_plan(*a, **k))[1])
    monkeypatch.setattr(supersede, "apply", lambda *a, **k: (seen.append(list(held)), real_apply(*a, **k))[1])
    assert run(capsys, folder, "1", "5")[0] == 0
    assert len(seen) == 2 and all(len(h) == 1 and Path(h[0]).resolve() == folder.resolve() for h in seen)


def test_a_pep_saved_between_plan_and_write_is_kept_and_nothing_is_written(folder, capsys, monkeypatch):
    real_apply = supersede.apply
    saved = folder / "PEP-0005-job-dependencies.md"

    def editor_saves_first(change):
        saved.write_bytes(saved.read_bytes() + b"\nA paragraph saved in an editor meanwhile.\n")
        return real_apply(change)

    monkeypatch.setattr(supersede, "apply", editor_saves_first)
    code, _, err = run(capsys, folder, "1", "5")
    after = snapshot(folder)
    assert code == 1 and f"{saved} changed since pepctl read it" in err and "nothing was changed" in err
    assert after["PEP-0005-job-dependencies.md"].endswith(b"saved in an editor meanwhile.\n")
    assert b"Superseded-By" not in after["PEP-0001-retry-policies.md"]
