"""`pepctl status N STATE`: only the Status cell (and the index row) change, byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pepctl.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "commands"


@pytest.fixture(autouse=True)
def no_outside_config(tmp_path, monkeypatch):
    # config is looked up from the current folder; keep the repository's out of it
    monkeypatch.chdir(tmp_path)


def pep_text(fixture: str, number: int, status: str) -> str:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    return text.replace("NNNN", f"{number:04d}").replace("STATUS", status)


def run(capsys, folder, *args):
    code = main(["--dir", str(folder), "status", *args])
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder) if n.startswith(".pepctl-")]


@pytest.mark.parametrize("spelling", ["42", "0042", "PEP-0042", "pep-42"])
def test_number_spellings(tmp_path, capsys, spelling):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("ready.md", 42, "Draft"))
    code, out, err = run(capsys, tmp_path, spelling, "Under Review")
    assert (code, out, err) == (0, "PEP-0042: Draft -> Under Review\n", "")


# Files whose bytes must survive everything but the Status value.
LF = pep_text("ready.md", 42, "Draft").encode()
ODD = LF.replace(b"| **Status** | Draft |", b"|   **Status**\t|  Draft   |")
CRLF = LF.replace(b"\n", b"\r\n")
BOM_NO_EOL = b"\xef\xbb\xbf" + CRLF.rstrip(b"\r\n")
MIXED = LF.replace(b"| **PEP** | 0042 |\n", b"| **PEP** | 0042 |\r\n")


@pytest.mark.parametrize("data", [LF, ODD, CRLF, BOM_NO_EOL, MIXED], ids=["lf", "odd-padding", "crlf", "bom-no-final-newline", "mixed"])
def test_only_the_status_cell_changes(tmp_path, capsys, data):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_bytes(data)
    code, out, err = run(capsys, tmp_path, "42", "under review")
    assert code == 0, err
    after = path.read_bytes()
    start = data.index(b"Draft", data.index(b"**Status**"))
    assert after == data[:start] + b"Under Review" + data[start + len(b"Draft") :]
    assert leftovers(tmp_path) == []


def test_index_row_changes_with_the_status(tmp_path, capsys):
    index = tmp_path / "PEP-0000-process.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes().replace(b"\n", b"\r\n"))
    (tmp_path / "PEP-0001-first.md").write_text(pep_text("ready.md", 1, "Draft"))
    before = index.read_bytes()
    code, out, err = run(capsys, tmp_path, "1", "Withdrawn")
    assert code == 0, err
    assert out == "PEP-0001: Draft -> Withdrawn\n"
    assert index.read_bytes() == before.replace(b"| First one        | Draft  |", b"| First one        | Withdrawn  |")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "fixture, old, new, code, needle",
    [
        ("ready.md", "Complete", "Draft", 1, "Complete is a final status"),
        ("ready.md", "Draft", "Accepted", 1, "from Draft it can move to: Under Review, Withdrawn"),
        ("ready.md", "Draft", "Finished", 2, "accepted values: Draft, Under Review"),
        ("bare.md", "Accepted", "Implementing", 1, "Tracking Issue"),
        ("bare.md", "Under Review", "Declined", 1, "pass --reason"),
    ],
)
def test_refusals_leave_the_file_untouched(tmp_path, capsys, fixture, old, new, code, needle):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text(fixture, 42, old))
    before = path.read_bytes()
    got, out, err = run(capsys, tmp_path, "42", new)
    assert got == code
    assert out == ""
    assert err.startswith("pepctl: error: ") and needle in err
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_missing_and_duplicate_numbers(tmp_path, capsys):
    (tmp_path / "PEP-0005-a.md").write_text(pep_text("ready.md", 5, "Draft"))
    (tmp_path / "PEP-0005-b.md").write_text(pep_text("ready.md", 5, "Draft"))
    code, _, err = run(capsys, tmp_path, "6", "Under Review")
    assert code == 1 and "no PEP-0006" in err
    code, _, err = run(capsys, tmp_path, "5", "Under Review")
    assert code == 1 and "PEP-0005-a.md" in err and "PEP-0005-b.md" in err


def test_declined_with_reason_records_it(tmp_path, capsys):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("bare.md", 42, "Under Review"))
    code, out, err = run(capsys, tmp_path, "42", "Declined", "--reason", "Does not fit the roadmap.")
    assert code == 0, err
    assert out == "PEP-0042: Under Review -> Declined\n"
    text = path.read_text()
    assert "| **Status** | Declined |" in text
    heading = text.index("\n## Decision\n\nDeclined on ")
    assert text.endswith(": Does not fit the roadmap.\n") and heading > text.index("## References")


@pytest.mark.parametrize("char, shown", [("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\x00", "\\x00"), ("\x85", "\\x85")])
def test_a_reason_with_a_control_character_is_refused_naming_it(tmp_path, capsys, char, shown):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("bare.md", 42, "Under Review"))
    before = path.read_bytes()
    code, out, err = run(capsys, tmp_path, "42", "Declined", "--reason", f"Out of scope{char}[2J here.")
    assert (code, out) == (2, "")
    assert err == (f"pepctl: error: --reason holds the control character {shown} (U+{ord(char):04X}); "
                   "type the reason as plain text, without it\n")
    assert path.read_bytes() == before


@pytest.mark.parametrize("line, what", [
    ("## Summary", "a heading"),
    ("  # Motivation", "a heading"),
    ("```", "a code fence"),
    ("~~~ text", "a code fence"),
    ("| **Status** | Accepted |", "a table row"),
    ("--- | ---", "a table row"),
    ("===", "the underline of a heading"),
    ("-", "the underline of a heading"),
])
def test_a_reason_line_that_would_be_structure_is_refused(tmp_path, capsys, line, what):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("bare.md", 42, "Under Review"))
    before = path.read_bytes()
    code, out, err = run(capsys, tmp_path, "42", "Declined", "--reason", f"Out of scope.\n{line}\nMore text.")
    assert (code, out) == (2, "")
    assert err.startswith(f"pepctl: error: --reason line 2 ({line.strip()!r}) would be {what}")
    assert "start it with a backslash" in err
    assert path.read_bytes() == before


def test_a_multi_line_reason_of_text_is_recorded_and_check_passes(tmp_path, capsys):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("bare.md", 42, "Under Review"))
    reason = "Out of scope.\r\n\n- the cost\n#12 covers it\n\\## not a heading\n\tindented\n    # code, not a heading"
    code, out, err = run(capsys, tmp_path, "42", "Declined", "--reason", reason)
    assert code == 0, err
    text = path.read_text()
    assert text.endswith("## Decision\n\nDeclined on " + text.split("Declined on ")[-1].split(":")[0] + ": Out of scope.\n\n"
                         "- the cost\n#12 covers it\n\\## not a heading\n\tindented\n    # code, not a heading\n")
    # X004 aside: bare.md links to a PEP-0000-process.md this folder does not have
    assert main(["--dir", str(tmp_path), "check", "--ignore", "X004"]) == 0, capsys.readouterr().out
    from pepctl.document import Document

    assert [h.title for h in Document(text).headings][-2:] == ["References", "Decision"]


def test_reason_for_a_state_without_rationale_is_reported_not_recorded(tmp_path, capsys):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("ready.md", 42, "Draft"))
    code, out, err = run(capsys, tmp_path, "42", "Under Review", "--reason", "ready")
    assert code == 0
    assert "--reason was not recorded" in err
    assert "ready\n" not in path.read_text()


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("ready.md", 42, "Draft"))
    before = path.read_bytes()
    code, out, err = run(capsys, tmp_path, "42", "Under Review", "--dry-run")
    assert code == 0
    assert "-| **Status** | Draft |\n+| **Status** | Under Review |\n" in out
    assert out.endswith("PEP-0042: Draft -> Under Review (dry run: nothing written)\n")
    assert path.read_bytes() == before


def test_same_status_says_so(tmp_path, capsys):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("ready.md", 42, "Draft"))
    before = path.read_bytes()
    code, out, err = run(capsys, tmp_path, "42", "Draft")
    assert (code, err) == (0, "")
    assert "already Draft" in out
    assert path.read_bytes() == before


def test_end_to_end_in_a_child_process(tmp_path, pepctl):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("ready.md", 42, "Accepted"))
    result = pepctl("--dir", str(tmp_path), "status", "PEP-0042", "Implementing", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "PEP-0042: Accepted -> Implementing\n", "")
    result = pepctl("--dir", str(tmp_path), "status", "42", "Draft", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "from Implementing it can move to: Complete" in result.stderr


def test_real_corpus_duplicate_is_refused(corpus_dir, tmp_path, capsys):
    # the corpus's two real files numbered 2071, copied so the shared folder is never at risk
    before = {}
    for source in corpus_dir.glob("PEP-2071-*.md"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
        before[tmp_path / source.name] = source.read_bytes()
    assert len(before) == 2
    code, _, err = run(capsys, tmp_path, "2071", "Accepted")
    assert code == 1
    for path, data in before.items():
        assert path.name in err
        assert path.read_bytes() == data


def test_index_that_cannot_be_written_changes_nothing(tmp_path, capsys, monkeypatch):
    # config index-file = "../idx/INDEX.md" in a read-only folder; as root, a directory at write time fails alike
    from pepctl import transition

    peps, idx = tmp_path / "peps", tmp_path / "idx"
    peps.mkdir()
    idx.mkdir()
    (tmp_path / "pepctl.toml").write_text('index-file = "../idx/INDEX.md"\n')
    index = idx / "INDEX.md"
    index.write_bytes((FIXTURES / "index.md").read_bytes())
    pep = peps / "PEP-0001-first.md"
    pep.write_text(pep_text("ready.md", 1, "Draft"))
    before = pep.read_bytes()
    real_plan = transition.plan

    def plan_then_break_the_index(*args, **kwargs):
        change = real_plan(*args, **kwargs)
        assert change.index_path is not None and os.path.samefile(change.index_path, index)
        index.unlink()
        index.mkdir()
        return change

    monkeypatch.setattr(transition, "plan", plan_then_break_the_index)
    code, out, err = run(capsys, peps, "1", "Under Review")
    assert code == 1 and out == ""
    assert "INDEX.md: cannot write the file" in err and "nothing was changed" in err
    assert "PEP-0001-first.md was put back as it was" in err
    assert pep.read_bytes() == before
    assert leftovers(peps) == [] and leftovers(idx) == []


def test_a_fresh_pep_from_new_cannot_skip_writing_its_sections(tmp_path, capsys):
    folder = tmp_path / "r"
    folder.mkdir()
    assert main(["--dir", str(folder), "new", "Cache", "--author", "A (@a)"]) == 0
    assert main(["--dir", str(folder), "check"]) == 0
    capsys.readouterr()
    path = folder / "PEP-0001-cache.md"
    before = path.read_bytes()
    # what `check` says of the same file moved by hand
    (tmp_path / "by-hand").mkdir()
    (tmp_path / "by-hand" / path.name).write_bytes(before.replace(b"| Draft |", b"| Under Review |"))
    assert main(["--dir", str(tmp_path / "by-hand"), "check", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    expected = sorted(f"{path}:{d['line']}: {d['code']} {d['message']}" for d in found)
    assert len(expected) > 5 and all(" S005 " in e for e in expected)
    for args in (["1", "Under Review"], ["1", "Under Review", "--dry-run"]):
        code, out, err = run(capsys, folder, *args)
        assert (code, out) == (1, ""), err
        head, *listed, tail = err.rstrip("\n").split("\n")
        assert head.startswith("pepctl: error: PEP-0001 cannot become Under Review yet")
        assert sorted(item.strip() for item in listed) == expected
        assert tail == "Fix these and run the command again; the file was not changed."
        assert path.read_bytes() == before
    # an abandoned draft may stay unfinished
    code, out, err = run(capsys, folder, "1", "Withdrawn")
    assert (code, out, err) == (0, "PEP-0001: Draft -> Withdrawn\n", "")
    assert main(["--dir", str(folder), "check"]) == 0


def test_a_misspelt_rule_code_in_the_config_stops_the_move(tmp_path, capsys):
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(pep_text("ready.md", 42, "Draft"))
    (tmp_path / "pepctl.toml").write_text('ignore = ["L0O4"]\n')
    before = path.read_bytes()
    code, out, err = run(capsys, tmp_path, "42", "Under Review")
    assert code == 2 and "'ignore': unknown rule code or name: L0O4" in err
    assert path.read_bytes() == before
