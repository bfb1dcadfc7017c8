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
