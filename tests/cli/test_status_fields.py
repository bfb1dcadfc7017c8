"""`pepctl status` fills in what the target status needs: --tracking-issue, --target-release,
--sponsor, --decided-by; and records --reason for every status that keeps one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pepctl.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "commands"


@pytest.fixture(autouse=True)
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write_pep(folder: Path, status: str, *, drop=(), number: int = 42, decision: bool = True) -> Path:
    """ready.md (every section written), without the header rows named in `drop` (and without its
    Decision section unless `decision`)."""
    text = (FIXTURES / "ready.md").read_text(encoding="utf-8").replace("NNNN", f"{number:04d}").replace("STATUS", status)
    if not decision:
        text = re.sub(r"\n## Decision\n(?:(?!\n## ).)*", "", text, flags=re.S)
        assert "## Decision" not in text
    for name in drop:
        text = re.sub(rf"^\| \*\*{re.escape(name)}\*\* \|.*\n", "", text, flags=re.M)
    path = folder / f"PEP-{number:04d}-proposal.md"
    path.write_text(text)
    return path


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), "status", *args])
    out, err = capsys.readouterr()
    return code, out, err


def field(path: Path, name: str) -> str | None:
    found = re.search(rf"^\| \*\*{re.escape(name)}\*\* \| (.*?) \|$", path.read_text(), re.M)
    return found.group(1) if found else None


def test_implementing_without_a_tracking_issue_is_refused_with_the_option_to_pass(tmp_path, capsys):
    path = write_pep(tmp_path, "Accepted", drop=["Tracking Issue", "Target Release"])
    before = path.read_bytes()
    code, _, err = run(capsys, tmp_path, "42", "Implementing")
    assert code == 1 and "Tracking Issue" in err and "--tracking-issue" in err
    assert path.read_bytes() == before


def test_tracking_issue_is_added_and_the_move_made(tmp_path, capsys):
    path = write_pep(tmp_path, "Accepted", drop=["Tracking Issue", "Target Release"])
    code, out, err = run(capsys, tmp_path, "42", "Implementing", "--tracking-issue", "#7")
    assert (code, out) == (0, "PEP-0042: Accepted -> Implementing\n"), err
    assert field(path, "Tracking Issue") == "#7" and field(path, "Status") == "Implementing"
    lines = path.read_text().splitlines()
    assert lines.index("| **Tracking Issue** | #7 |") == lines.index("| **Created** | 2026-01-05 |") + 1


def test_an_existing_field_is_replaced_in_place(tmp_path, capsys):
    path = write_pep(tmp_path, "Implementing")
    before = path.read_text()
    code, _, err = run(capsys, tmp_path, "42", "Complete", "--target-release", "2.0")
    assert code == 0, err
    assert path.read_text() == before.replace("| **Target Release** | 1.4 |", "| **Target Release** | 2.0 |").replace(
        "| **Status** | Implementing |", "| **Status** | Complete |")


@pytest.mark.parametrize("issue", ["#0", "#00", "12", "issue 12", "#3, #0"])
def test_tracking_issue_zero_or_no_issue_is_a_usage_error(tmp_path, capsys, issue):
    path = write_pep(tmp_path, "Accepted", drop=["Tracking Issue"])
    before = path.read_bytes()
    code, _, err = run(capsys, tmp_path, "42", "Implementing", "--tracking-issue", issue)
    assert code == 2 and "is not an issue" in err
    assert path.read_bytes() == before


def test_tracking_issue_zero_in_the_file_is_a_finding(tmp_path, capsys):
    path = write_pep(tmp_path, "Implementing")
    path.write_text(path.read_text().replace("#12, https://github.com/example/plano/issues/13", "#0"))
    assert main(["--dir", str(tmp_path), "check"]) == 1
    assert "L003" in capsys.readouterr().out


def test_sponsor_is_set_for_review(tmp_path, capsys):
    (tmp_path / "pepctl.toml").write_text('maintainers = ["grace"]\n')
    path = write_pep(tmp_path, "Draft", drop=["Sponsor"])
    code, _, err = run(capsys, tmp_path, "42", "Under Review")
    assert code == 1 and "--sponsor" in err
    code, _, err = run(capsys, tmp_path, "42", "Under Review", "--sponsor", "Grace Hopper (@grace)")
    assert code == 0, err
    assert field(path, "Sponsor") == "Grace Hopper (@grace)"


@pytest.mark.parametrize("state", ["Deferred", "Withdrawn", "Declined"])
def test_reason_is_recorded_for_every_state_that_keeps_one(tmp_path, capsys, state):
    path = write_pep(tmp_path, "Under Review", decision=False)
    code, _, err = run(capsys, tmp_path, "42", state, "--reason", "Not before the 2.0 release.")
    assert code == 0, err
    assert "not recorded" not in err
    assert re.search(rf"\n## Decision\n\n{state} on \d{{4}}-\d\d-\d\d: Not before the 2\.0 release\.\n$", path.read_text())


def test_reason_for_a_state_that_keeps_none_is_not_recorded(tmp_path, capsys):
    path = write_pep(tmp_path, "Under Review")
    code, _, err = run(capsys, tmp_path, "42", "Accepted", "--reason", "Two approvals.")
    assert code == 0 and "--reason was not recorded" in err
    assert "Two approvals" not in path.read_text()


def test_decided_by_must_be_the_project_lead(tmp_path, capsys):
    (tmp_path / "pepctl.toml").write_text('maintainers = ["grace", "ada"]\nproject-lead = "grace"\n')
    path = write_pep(tmp_path, "Under Review")
    before = path.read_bytes()
    code, _, err = run(capsys, tmp_path, "42", "Declined", "--reason", "Out of scope.", "--decided-by", "@ada")
    assert code == 1 and "only the project lead (@grace)" in err
    assert path.read_bytes() == before
    code, _, err = run(capsys, tmp_path, "42", "Declined", "--reason", "Out of scope.", "--decided-by", "@Grace")
    assert code == 0, err
    assert field(path, "Decided-By") == "@Grace"


def test_decided_by_without_a_configured_lead_is_a_usage_error(tmp_path, capsys):
    write_pep(tmp_path, "Under Review")
    code, _, err = run(capsys, tmp_path, "42", "Declined", "--reason", "x", "--decided-by", "@grace")
    assert code == 2 and "project-lead" in err


def test_decided_by_needs_the_rationale(tmp_path, capsys):
    (tmp_path / "pepctl.toml").write_text('project-lead = "grace"\n')
    path = write_pep(tmp_path, "Under Review", decision=False)
    before = path.read_bytes()
    code, _, err = run(capsys, tmp_path, "42", "Accepted", "--decided-by", "@grace")
    assert code == 1 and "L005" in err
    assert path.read_bytes() == before


def test_refusal_lines_are_those_of_the_file_on_disk_after_an_added_row(tmp_path, capsys):
    path = write_pep(tmp_path, "Accepted", drop=["Tracking Issue", "Target Release"])
    path.write_text(path.read_text().replace("## Open Questions\n\nNone.", "## Open Questions\n\n- is it fast?"))
    open_item = path.read_text().splitlines().index("- is it fast?") + 1  # 1-based, below the new header row
    code, _, err = run(capsys, tmp_path, "42", "Implementing", "--tracking-issue", "#7")
    assert code == 1
    assert f"proposal.md:{open_item}: L006" in err, err


def test_help_lists_the_default_states_and_points_at_config(capsys):
    assert main(["status", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    from pepctl.config import STATES

    listed = out.split("STATE, in the default process (PEP-0000): ", 1)[1].split(";", 1)[0]
    assert [s.strip().strip('"') for s in listed.split(",")] == STATES  # the help cannot drift from the defaults
    assert "`pepctl config` shows the project's" in out
