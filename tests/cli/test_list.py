"""`pepctl list`: one PepRecord per PEP, shown as a table, JSON or CSV, in number order."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from peptext import small_pep
from pepctl.cli.group import cli


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "PEP-0010-tenth.md").write_text(small_pep(10, "Tenth", "Under  Review", extra="\n| **Sponsor** | Sam (@sam) |"))
    (tmp_path / "PEP-0002-second.md").write_text(small_pep(2, "Second, with comma", "Accepted",
                                                           extra="\n| **Tracking Issue** | _(filled later)_ |"))
    (tmp_path / "PEP-0003-broken.md").write_bytes(b"\xff\xfe not utf-8")
    return tmp_path


def run(folder, *args):
    return CliRunner().invoke(cli, ["--dir", str(folder), "list", *args])


def test_json_has_the_keys_of_the_record_view_in_order(folder):
    data = json.loads(run(folder, "--format", "json").stdout)
    assert [p["number"] for p in data] == [2, 10]
    assert list(data[0]) == ["number", "title", "status", "authors", "sponsor", "created", "tracking_issue",
                             "target_release", "supersedes", "superseded_by", "path"]
    assert data[0]["tracking_issue"] is None and data[0]["sponsor"] is None  # a template hint is no value
    assert data[1]["sponsor"] == "Sam (@sam)" and data[1]["status"] == "Under  Review"  # as written
    assert data[1]["authors"] == [{"name": "Ada Lovelace", "handle": "ada"}]


def test_table_and_csv_show_the_values_as_written(folder):
    result = run(folder)
    assert result.stdout.splitlines() == [
        "PEP   STATUS         TITLE               AUTHORS",
        "0002  Accepted       Second, with comma  Ada Lovelace",
        "0010  Under  Review  Tenth               Ada Lovelace",
    ]
    assert "1 file(s) could not be read" in result.stderr
    rows = list(csv.reader(io.StringIO(run(folder, "--format", "csv").stdout)))
    assert rows[1] == ["0002", "Second, with comma", "Accepted", "Ada Lovelace (@ada)", "2026-01-05",
                       str(folder / "PEP-0002-second.md")]


def test_status_filter_takes_any_spelling(folder):
    assert run(folder, "--status", "under review").stdout.splitlines()[1].startswith("0010  Under  Review")
    assert run(folder, "--status", "Shipped").exit_code == 2


def test_main_runs_again_after_list_in_the_same_process(folder, capsys):
    """The `list` command's module is an attribute of pepctl.cli once imported: it must not shadow the builtin."""
    from pepctl.cli import main

    assert main(["--dir", str(folder), "list"]) == 0
    assert main(["--dir", str(folder), "list", "--format", "json"]) == 0
    assert capsys.readouterr().out.count("Second, with comma") == 2


def test_the_table_names_authors_by_name_or_handle_and_pads_long_titles_no_further(tmp_path):
    from pepctl.cli.list import TITLE_WIDTH

    (tmp_path / "PEP-0001-a.md").write_text(small_pep(1, "A" * (TITLE_WIDTH + 5), author="@solo, Grace Hopper (@grace)"))
    (tmp_path / "PEP-0002-b.md").write_text(small_pep(2, "Short"))
    lines = run(tmp_path).stdout.splitlines()
    assert lines[1].endswith("A" * (TITLE_WIDTH + 5) + "  @solo, Grace Hopper")
    assert lines[2].index("Ada Lovelace") == lines[0].index("AUTHORS") == len("PEP   STATUS  ") + TITLE_WIDTH + 2


def test_the_table_shows_control_characters_escaped(tmp_path):
    # a title cell may hold any character but a line break: an escape sequence would drive the terminal
    (tmp_path / "PEP-0001-a.md").write_text(small_pep(1, "Cache\x1b]0;owned\x07 \x1b[2Jlayer", author="Ada\x1b[8m (@ada)"))
    on_a_terminal = CliRunner().invoke(cli, ["--dir", str(tmp_path), "list"], color=True)  # click strips nothing
    lines = on_a_terminal.stdout.splitlines()
    assert lines[1] == "0001  Draft   Cache\\x1b]0;owned\\x07 \\x1b[2Jlayer  Ada\\x1b[8m"
