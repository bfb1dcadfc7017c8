"""The command line as a user meets it: fast path, list, show, help, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from peptext import small_pep

from pepctl.cli import fast



@pytest.fixture
def folder(tmp_path):
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First", "Draft"))
    (tmp_path / "PEP-0002-second.md").write_text(small_pep(2, "Second, with comma", "Accepted"))
    (tmp_path / "PEP-0010-tenth.md").write_text(small_pep(10, "Tenth", "Under Review"))
    (tmp_path / "PEP-0011-broken.md").write_bytes(b"\xff\xfe not utf-8")
    return tmp_path


PLAIN = {"fmt": "text", "select": [], "ignore": [], "strict": False, "statistics": False, "quiet": False}


@pytest.mark.parametrize(
    "args, parsed",
    [
        (["check"], ({}, {**PLAIN}, [])),
        (["--dir", "d", "check", "a.md", "b.md"], ({"pep_dir": "d"}, {**PLAIN}, ["a.md", "b.md"])),
        (["check", "--format=json", "--select", "H,S", "x"], ({}, {**PLAIN, "fmt": "json", "select": ["H,S"]}, ["x"])),
        (["check", "--", "--weird-name.md"], ({}, {**PLAIN}, ["--weird-name.md"])),
        (["check", "--strict", "--quiet", "a.md", "--statistics"], ({}, {**PLAIN, "strict": True, "quiet": True, "statistics": True},
                                                                   ["a.md"])),
    ],
)
def test_fast_path_parses_plain_checks(args, parsed):
    assert fast.parse(args) == parsed


@pytest.mark.parametrize(
    "args",
    [["check", "--help"], ["list"], ["check", "--changed-since", "HEAD"], ["check", "--format", "xml"], ["--dir"], []],
)
def test_fast_path_hands_everything_else_to_click(args):
    assert fast.parse(args) is None


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--select", "F", "PEP-0011-broken.md"],
        ["check", "--ignore", "F002", "PEP-0011-broken.md", "PEP-0001-first.md"],
        ["check", "--select", "NOPE"],
    ],
)
def test_fast_path_and_click_path_agree(folder, args):
    """The same command line gives the same output and exit code either way."""
    assert fast.parse(args) is not None
    fast_run = subprocess.run([sys.executable, "-m", "pepctl", *args], cwd=folder, capture_output=True, text=True)
    via_click = "import sys; from pepctl.cli import main; sys.exit(main(sys.argv[1:], fast_path=False))"
    click_run = subprocess.run([sys.executable, "-c", via_click, *args], cwd=folder, capture_output=True, text=True)
    assert fast_run.stdout == click_run.stdout
    assert fast_run.stderr == click_run.stderr
    assert fast_run.returncode == click_run.returncode


def test_plain_check_does_not_import_click(folder):
    code = (
        "import sys; from pepctl.cli import main; rc = main(['check', 'PEP-0001-first.md']); "
        "print('click' in sys.modules, rc)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1].startswith("False")


def test_check_reports_unreadable_file_with_path_and_line(folder, pepctl):
    result = pepctl("check", "PEP-0011-broken.md", cwd=folder)
    assert result.returncode == 1
    assert result.stdout.startswith("PEP-0011-broken.md:1:1: F002 ")
    assert "Traceback" not in result.stderr


def test_check_refuses_links_out_of_the_folder_and_never_waits_on_a_pipe(folder, pepctl):
    import os

    secret = folder.parent / "secret.env"
    secret.write_text("TOKEN=hunter2\n")
    os.symlink(secret, folder / "PEP-0020-leak.md")
    os.mkfifo(folder / "PEP-0021-pipe.md")
    result = pepctl("check", cwd=folder)  # a blocking read of the pipe would hit the 120 s timeout
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "PEP-0020-leak.md:1:1: F001 cannot read the file: a symbolic link to a file outside the PEP folder" \
        in result.stdout
    assert "PEP-0021-pipe.md:1:1: F001 cannot read the file: a named pipe" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr


def test_unknown_rule_code_is_usage_error(folder, pepctl):
    result = pepctl("check", "--select", "Z999", cwd=folder)
    assert result.returncode == 2
    assert "Z999" in result.stderr and "pepctl rules" in result.stderr


def test_missing_path_is_usage_error(folder, pepctl):
    result = pepctl("check", "nope.md", cwd=folder)
    assert result.returncode == 2
    assert "nope.md" in result.stderr


def test_list_table_filters_and_formats(folder, pepctl):
    result = pepctl("list", cwd=folder)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PEP", "STATUS", "TITLE", "AUTHORS"]
    assert [line.split()[0] for line in lines[1:]] == ["0001", "0002", "0010"]
    assert "could not be read" in result.stderr
    accepted = pepctl("list", "--status", "accepted", "--format", "json", cwd=folder)
    assert [p["number"] for p in json.loads(accepted.stdout)] == [2]
    rows = list(csv.reader(io.StringIO(pepctl("list", "--format", "csv", cwd=folder).stdout)))
    assert rows[0][:3] == ["number", "title", "status"]
    assert rows[2][1] == "Second, with comma"
    bad = pepctl("list", "--status", "Shipped", cwd=folder)
    assert bad.returncode == 2 and "Under Review" in bad.stderr


def test_show_by_any_spelling_of_the_number(folder, pepctl):
    for spelling in ("10", "0010", "PEP-0010", "pep-10"):
        result = pepctl("show", spelling, "--format", "json", cwd=folder)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["number"] == 10 and data["status"] == "Under Review"
        assert data["sections"][0]["title"] == "Summary"
    assert pepctl("show", "99", cwd=folder).returncode == 1
    assert pepctl("show", "abc", cwd=folder).returncode == 2
    text = pepctl("show", "1", cwd=folder).stdout
    assert "PEP-0001: First" in text and "Status: Draft" in text


def test_show_and_list_on_duplicate_numbers(corpus_dir, pepctl):
    result = pepctl("--dir", str(corpus_dir), "show", "2071", "--format", "json")
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 2
    assert "2 files are numbered 2071" in result.stderr


def test_help_lists_every_command(pepctl):
    result = pepctl("--help")
    assert result.returncode == 0
    for name in ("check", "rules", "new", "next", "status", "index", "list", "show", "history", "config"):
        assert f"  {name} " in result.stdout or f"  {name}\n" in result.stdout


def test_unknown_command_is_usage_error(pepctl, tmp_path):
    result = pepctl("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_an_empty_changed_since_is_a_usage_error_not_a_full_check(folder, pepctl):
    result = pepctl("check", "--changed-since", "", cwd=folder)
    assert result.returncode == 2 and "--changed-since needs a git revision" in result.stderr
    assert result.stdout == ""
