"""`pepctl next`: highest number in the folder plus one, four digits, never 0000."""

from __future__ import annotations

import pytest

from pepctl.cli import main


@pytest.fixture(autouse=True)
def no_outside_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    "names, expected",
    [
        ([], "0001"),
        (["PEP-0000-process.md"], "0001"),
        (["PEP-0000-process.md", "PEP-0001-a.md", "PEP-0007-b.md"], "0008"),
        (["PEP-0003-a.md", "PEP-0003-b.md"], "0004"),  # a duplicate counts once
        (["PEP-0009-a.md", "PEP-TEMPLATE.md", "notes.md"], "0010"),
    ],
)
def test_next_number(tmp_path, capsys, names, expected):
    for name in names:
        (tmp_path / name).write_text("# placeholder\n")
    assert main(["--dir", str(tmp_path), "next"]) == 0
    assert capsys.readouterr().out == expected + "\n"


@pytest.mark.parametrize("name, why", [
    ("PEP-9999-last.md", "PEP-9999-last.md is 9999: every four-digit number is used"),
    ("PEP-42000-typo.md", "PEP-42000-typo.md is 42000, past 9999 (H004: a typo?)"),
])
def test_next_refuses_a_number_past_four_digits_as_new_does(tmp_path, capsys, name, why):
    (tmp_path / "PEP-0001-a.md").write_text("# placeholder\n")
    (tmp_path / name).write_text("# placeholder\n")
    assert main(["--dir", str(tmp_path), "next"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and why in captured.err and "Renumber that file first" in captured.err
    assert "Traceback" not in captured.err


def test_next_on_the_real_corpus(corpus_dir, pepctl):
    result = pepctl("--dir", str(corpus_dir), "next")
    assert (result.returncode, result.stdout, result.stderr) == (0, "5547\n", "")
