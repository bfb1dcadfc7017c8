"""`pepctl show`: one PEP's record with its fields and sections, as text or JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from peptext import small_pep
from pepctl.cli.group import cli


def run(folder, *args):
    """The command in this process; its exit status is `return_value` (the group's runner maps it)."""
    return CliRunner().invoke(cli, ["--dir", str(folder), "show", *args], standalone_mode=False)


def test_json_is_the_list_view_with_every_field_and_section(tmp_path):
    (tmp_path / "PEP-0007-seven.md").write_text(small_pep(7, "Seven", extra="\n| **Status** | Accepted |",
                                                          body="Text.\n\n### Detail\n\nMore."))
    data = json.loads(run(tmp_path, "7", "--format", "json").stdout)
    assert list(data)[-3:] == ["path", "fields", "sections"]
    assert data["fields"]["Status"] == "Accepted" and list(data["fields"])[2] == "Status"  # the last value wins
    assert data["sections"] == [{"level": 2, "title": "Summary", "line": 12}, {"level": 3, "title": "Detail", "line": 16}]


def test_text_lists_fields_and_indented_sections(tmp_path):
    (tmp_path / "PEP-0007-seven.md").write_text(small_pep(7, "Seven", body="Text.\n\n### Detail\n\nMore."))
    lines = run(tmp_path, "PEP-0007").stdout.splitlines()
    assert lines[0] == "PEP-0007: Seven" and lines[1].startswith("  path: ")
    assert "  Status: Draft" in lines and lines[-2:] == ["    Summary  (line 11)", "      Detail  (line 15)"]


def test_two_files_with_one_number_are_both_shown_and_an_unreadable_one_is_an_error(tmp_path):
    (tmp_path / "PEP-0007-seven.md").write_text(small_pep(7, "Seven"))
    (tmp_path / "PEP-0007-other.md").write_text(small_pep(7, "Other"))
    (tmp_path / "PEP-0008-broken.md").write_bytes(b"\xff\xfe not utf-8")
    result = run(tmp_path, "7", "--format", "json")
    assert [p["title"] for p in json.loads(result.stdout)] == ["Other", "Seven"]
    assert "2 files are numbered 0007" in result.stderr
    broken = run(tmp_path, "8")
    assert broken.return_value == 1 and "PEP-0008-broken.md:1:" in broken.stderr


def test_section_prints_one_sections_text_by_any_case_of_its_title(tmp_path):
    body = "What.\n\n## Motivation\n\nBecause it is slow.\n\n### Numbers\n\n3 s a call.\n\n## Design\n\nCache it.\n"
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First", body=body))
    shown = run(tmp_path, "1", "--section", "MOTIVATION")
    assert shown.return_value == 0 and shown.output == "Because it is slow.\n\n### Numbers\n\n3 s a call.\n"
    missing = run(tmp_path, "1", "--section", "Rationale")
    assert missing.return_value == 1 and "no section 'Rationale'" in missing.output and "'Design'" in missing.output


def test_timeline_prints_the_peps_status_changes_from_git(tmp_path):
    import os
    import subprocess

    def commit(status, date):
        (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First", status))
        env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        for args in (["add", "-A"], ["commit", "-q", "-m", status]):
            subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                           cwd=tmp_path, env=env, check=True, capture_output=True)

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    commit("Draft", "2026-01-01T00:00:00Z")
    commit("Under Review", "2026-02-01T00:00:00Z")
    lines = run(tmp_path, "1", "--timeline").output.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["2026-01-01", "2026-02-01"]
    assert lines[0].endswith("PEP-0001  (new) -> Draft") and lines[1].endswith("Draft -> Under Review")


def test_text_shows_control_characters_escaped(tmp_path):
    # on a terminal (click strips nothing with color=True) an escape sequence in a field would drive it
    (tmp_path / "PEP-0007-seven.md").write_text(small_pep(7, "Se\x1b[2Jven", body="Text.\n\n## Part\x1b]0;x\x07\n"))
    out = CliRunner().invoke(cli, ["--dir", str(tmp_path), "show", "7"], color=True).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert out.startswith("PEP-0007: Se\\x1b[2Jven\n") and "  Title: Se\\x1b[2Jven\n" in out
    assert "  Part\\x1b]0;x\\x07  (line 15)" in out


def test_a_file_whose_header_gives_the_number_is_shown_too_and_named_as_check_reports_it(tmp_path, capsys):
    from pepctl.cli import main

    (tmp_path / "PEP-0042-cache.md").write_text(small_pep(42, "Cache"))
    (tmp_path / "PEP-0043-queue.md").write_text(small_pep(42, "Queue"))  # renumbered by hand, header forgotten
    (tmp_path / "PEP-0044-other.md").write_text(small_pep(44, "Other", body="See PEP 42."))  # names 42 in its text
    shown = run(tmp_path, "42", "--format", "json")
    assert [p["title"] for p in json.loads(shown.stdout)] == ["Cache", "Queue"]
    assert "2 files are numbered 0042: " in shown.stderr and "X001" in shown.stderr
    assert "PEP-0042-cache.md" in shown.stderr and "PEP-0043-queue.md" in shown.stderr
    assert "PEP-0044" not in shown.stderr
    other = run(tmp_path, "43")
    assert other.stdout.startswith("PEP-0042: Queue\n")
    assert "PEP-0043-queue.md: its file name says 0043 but its header says 0042" in other.stderr and "H004" in other.stderr
    capsys.readouterr()
    assert main(["--dir", str(tmp_path), "check", "--select", "X001,H004"]) == 1  # what check says of the same files
    found = sorted((line.split(":")[0].rsplit("/", 1)[-1], line.split()[1]) for line in capsys.readouterr().out.splitlines())
    assert found == [("PEP-0042-cache.md", "X001"), ("PEP-0043-queue.md", "H004"), ("PEP-0043-queue.md", "X001")]


def test_a_section_of_a_number_two_files_share_says_so(tmp_path):
    (tmp_path / "PEP-0007-seven.md").write_text(small_pep(7, "Seven", body="One."))
    (tmp_path / "PEP-0007-other.md").write_text(small_pep(7, "Other", body="Two."))
    shown = run(tmp_path, "7", "--section", "Summary")
    assert shown.stdout == "Two.\nOne.\n"
    assert "2 files are numbered 0007: " in shown.stderr and "PEP-0007-seven.md" in shown.stderr
