"""What `pepctl check` says besides its findings, and how it exits: errors fail, warnings are
shown and pass unless --strict; a summary line on a terminal (--quiet drops it); --statistics;
output in an encoding that cannot show every character; bare `pepctl`."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from peptext import small_pep

from pepctl.cli.app import App, run_check

# S002 (section order) is a warning; the body below puts Design before Motivation.
OUT_OF_ORDER = "What.\n\n## Design\n\nHow.\n\n## Motivation\n\nWhy.\n"


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def warned(tmp_path):
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First", body=OUT_OF_ORDER), encoding="utf-8")
    (tmp_path / "PEP-0002-second.md").write_text(small_pep(2, "Second"), encoding="utf-8")
    return tmp_path


def check(folder, *select, out=None, **flags):
    out = out if out is not None else io.StringIO()
    code = run_check(App(str(folder)), [], "text", list(select), [], out=out, **flags)
    return code, out.getvalue()


def test_warnings_are_shown_and_pass_unless_strict(warned):
    code, text = check(warned, "S002")
    assert code == 0 and " S002 " in text
    assert check(warned, "S002", strict=True)[0] == 1


def test_errors_fail(warned):
    code, text = check(warned, "S001")
    assert code == 1 and " S001 " in text


def test_statistics_count_the_findings_per_rule_most_first(warned):
    code, text = check(warned, "S001", "S002", statistics=True)
    rows = text.split("findings per rule:\n", 1)[1].splitlines()
    counted = [(int(row.split()[0]), row.split()[1], row.split()[-1]) for row in rows]
    found = [line.split()[1] for line in text.split("\n\nfindings per rule:")[0].splitlines()]
    assert sorted(counted, key=lambda c: -c[0]) == counted
    assert {(code_, n) for n, code_, _ in counted} == {(c, found.count(c)) for c in set(found)}
    assert ("S002", "warning") in {(c, s) for _, c, s in counted}
    assert "findings per rule" not in check(warned, "S001")[1]


def test_a_terminal_gets_a_summary_line_and_quiet_drops_it(warned, capsys):
    check(warned, "S001", "S002", out=Terminal())
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "(" in summary and "in 2 of 2 files" in summary
    problems = int(summary.split()[0])
    errors = int(summary.split("(")[1].split()[0])
    warnings = int(summary.split(", ")[1].split()[0])
    assert problems == errors + warnings and warnings == 1
    check(warned, "S001", "S002", out=Terminal(), quiet=True)
    assert capsys.readouterr().err == ""
    check(warned, "H001", out=Terminal())
    assert capsys.readouterr().err == "2 files checked: no problems\n"
    check(warned, "S001", "S002")  # not a terminal: no summary
    assert capsys.readouterr().err == ""


def run(args, cwd, **env):
    full = {**os.environ, **env}
    return subprocess.run([sys.executable, "-m", "pepctl", *args], cwd=cwd, env=full, capture_output=True, timeout=60)


def test_output_in_an_encoding_that_cannot_show_the_title_never_crashes(tmp_path):
    text = small_pep(1, "Caché 中文").replace("# PEP-0001: Caché 中文", "# PEP-0001: Café")
    (tmp_path / "PEP-0001-cache.md").write_text(text, encoding="utf-8")
    for args in (["check"], ["list"], ["show", "1"], ["check", "--format", "json"]):
        result = run(["--dir", str(tmp_path), *args], tmp_path, PYTHONIOENCODING="ascii")
        assert b"internal error" not in result.stderr and b"Traceback" not in result.stderr, args
        assert result.returncode in (0, 1), (args, result.stderr)
    shown = run(["--dir", str(tmp_path), "check"], tmp_path, PYTHONIOENCODING="ascii").stdout.decode("ascii")
    assert "H005" in shown and "Cach\\xe9" in shown


def test_bare_pepctl_shows_the_help_and_succeeds(tmp_path):
    result = run([], tmp_path)
    assert result.returncode == 0 and b"Commands:" in result.stdout and b"check" in result.stdout


# -- never pass silently -------------------------------------------------------------------------


def test_a_folder_with_no_pep_files_is_a_usage_error_that_says_what_was_looked_for(tmp_path):
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    for args in (["check"], ["list"]):
        result = run(["--dir", str(tmp_path), *args], tmp_path)
        assert result.returncode == 2, args
        assert b"no PEP files here" in result.stderr and b"PEP-NNNN-*.md" in result.stderr
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First"), encoding="utf-8")
    (tmp_path / "pepctl.toml").write_text('exclude = ["PEP-0001-*"]\n', encoding="utf-8")
    excluded = run(["--dir", str(tmp_path), "check"], tmp_path)
    assert excluded.returncode == 2 and b"exclude" in excluded.stderr


def test_a_folder_named_on_the_command_line_must_hold_pep_files(warned):
    (warned / "drafts").mkdir()
    (warned / "drafts" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    result = run(["--dir", str(warned), "check", str(warned / "drafts")], warned)
    assert result.returncode == 2 and result.stdout == b""
    assert b"drafts: no PEP files here; looked for PEP-NNNN-*.md files" in result.stderr


def test_a_folder_with_a_pep_files_name_is_reported_as_the_whole_folder_check_reports_it(warned):
    (warned / "PEP-0003-third.md").mkdir()
    whole = run(["--dir", str(warned), "check", "--select", "F001"], warned)
    named = run(["--dir", str(warned), "check", "--select", "F001", str(warned / "PEP-0003-third.md")], warned)
    assert whole.returncode == named.returncode == 1
    assert whole.stdout == named.stdout and b"PEP-0003-third.md:1:1: F001 cannot read the file" in named.stdout


def test_the_configuration_is_found_from_the_pep_folder_upward(tmp_path):
    repo = tmp_path / "repo"
    peps = repo / "docs" / "peps"
    peps.mkdir(parents=True)
    (peps / "PEP-0001-first.md").write_text(small_pep(1, "First"), encoding="utf-8")
    (repo / "pepctl.toml").write_text('required-sections = ["Nothing Here"]\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(["--dir", str(peps), "check", "--select", "S001"], elsewhere)
    assert result.returncode == 1 and b"'## Nothing Here' is missing" in result.stdout


def test_two_configurations_in_one_folder_say_which_is_used(tmp_path):
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First"), encoding="utf-8")
    (tmp_path / "pepctl.toml").write_text("required-approvals = 2\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.pepctl]\nrequired-approvals = 3\n', encoding="utf-8")
    result = run(["--dir", str(tmp_path), "config"], tmp_path)
    assert b"both configure pepctl; pepctl.toml is used" in result.stderr
    assert b"required-approvals = 2" in result.stdout


def test_a_pyproject_without_a_pepctl_table_given_by_config_says_so(tmp_path):
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    result = run(["--dir", str(tmp_path), "--config", str(tmp_path / "pyproject.toml"), "config"], tmp_path)
    assert result.returncode == 0 and b"has no [tool.pepctl] table" in result.stderr


@pytest.mark.parametrize("args", [["show", "x42"], ["history", "x42"], ["status", "x42", "Draft"]])
def test_a_bad_pep_number_is_said_the_same_way_everywhere(tmp_path, args):
    from pepctl.model import not_a_number

    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First"), encoding="utf-8")
    result = run(["--dir", str(tmp_path), *args], tmp_path)
    assert result.returncode == 2 and not_a_number("x42").encode() in result.stderr


@pytest.mark.parametrize("name, text", [
    ("PEP-0001-first.md", small_pep(1, "First")),
    ("pep-0001.rst", "PEP: 1\nTitle: First\nAuthor: Ada <ada@example.org>\nStatus: Draft\nType: Process\n"
                     "Created: 05-Jan-2026\n\n\nAbstract\n========\n\nText.\n"),
])
def test_a_file_with_old_mac_line_endings_gets_one_finding_on_line_1(tmp_path, name, text):
    (tmp_path / name).write_bytes(text.replace("\n", "\r").encode())
    code, out = check(tmp_path)
    assert code == 1
    assert out.splitlines() == [
        f"{tmp_path / name}:1:1: F001 the file has old Mac line endings (CR only), which pepctl does not read as "
        "line breaks; convert its line endings to LF in your editor, or with `perl -pi -e 's/\\r\\n?/\\n/g' FILE`"]


@pytest.mark.parametrize("inside, hint", [(None, "name the pepctl.toml (or pyproject.toml) file itself"),
                                          ("pepctl.toml", "name --config CONF/pepctl.toml")])
def test_config_naming_a_folder_says_it_is_a_folder(tmp_path, inside, hint):
    (tmp_path / "PEP-0001-first.md").write_text(small_pep(1, "First"), encoding="utf-8")
    (tmp_path / "conf").mkdir()
    if inside:
        (tmp_path / "conf" / inside).write_text("stale-days = 5\n", encoding="utf-8")
    result = run(["--dir", str(tmp_path), "--config", str(tmp_path / "conf"), "check"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == (f"pepctl: error: --config {tmp_path / 'conf'} is a folder, not a config file; "
                                      f"{hint.replace('CONF', str(tmp_path / 'conf'))}\n")
