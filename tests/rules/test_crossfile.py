"""The X family's helpers (pepctl.rules.crossfile): where PEP links are in Markdown, what counts as
code, and which file is the index when a path is spelled another way."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

import pytest

from pepctl.corpus import Corpus
from pepctl.lint import lint
from pepctl.policy import Policy
from pepctl.rules.crossfile import _in_code_span, _same_file, pep_links

from test_rules import BASE_DIR, INDEX_TOP, P1

TODAY = datetime.date(2026, 6, 1)


def links(text: str) -> list[tuple[str, str]]:
    """(text from start to end, target) of each link pep_links finds."""
    return [(text[start:end], target) for start, end, target in pep_links(text)]


@pytest.mark.parametrize("text, found", [
    ("[a](PEP-0001-x.md)", [("PEP-0001-x.md", "PEP-0001-x.md")]),
    ("[a](./sub/PEP-0001-x.md#top)", [("./sub/PEP-0001-x.md", "./sub/PEP-0001-x.md")]),
    ("[a]( <PEP-0001-x.md> )", [("PEP-0001-x.md", "PEP-0001-x.md")]),
    ("[a](\t PEP-0001-x.md)", [("PEP-0001-x.md", "PEP-0001-x.md")]),
    ("[a]: PEP-0001-x.md", [("PEP-0001-x.md", "PEP-0001-x.md")]),
    ("   [a]:\t<PEP-0001-x.md>", [("PEP-0001-x.md", "PEP-0001-x.md")]),
    ("text\n [a]: PEP-0001-x.md\n", [("PEP-0001-x.md", "PEP-0001-x.md")]),
    ("    [a]: PEP-0001-x.md", []),  # four spaces: code, not a definition
    ("x [a]: PEP-0001-x.md", []),  # not at the start of its line
    ("[a](https://x.org/PEP-0001-x.md)", []),
    ("[a](mailto:PEP-0001-x.md)", []),
    ("see PEP-0001-x.md", []),
    ("(PEP-0001-x.md)", []),
    ("[a](PEP-0001-x.mdx)", []),
    ("[a](PEP-0001-x.md) [b](PEP-0002-y.md)", [("PEP-0001-x.md", "PEP-0001-x.md"), ("PEP-0002-y.md", "PEP-0002-y.md")]),
])
def test_pep_links(text, found):
    assert links(text) == found


def test_pep_link_offsets_point_at_the_target():
    text = "# T\n\nSee [old](PEP-0042-old.md) and\n[ref]: ./PEP-0043-ref.md\n"
    first, second = text.index("PEP-0042"), text.index("./PEP-0043")
    assert [(start, end) for start, end, _ in pep_links(text)] == [(first, first + 15), (second, second + 17)]


def code_span_at(text: str, target: str) -> bool:
    start = text.index(target)
    return _in_code_span(text, start, start + len(target))


@pytest.mark.parametrize("text, target, inside", [
    ("`[a](T.md)`", "T.md", True),
    ("x `[a](T.md)` y", "T.md", True),
    ("first\nx `[a](T.md)` y\nthird", "T.md", True),
    ("first `code`\nx [a](T.md)\nthird `code`", "T.md", False),  # spans on other lines do not count
    ("`code` [a](T.md) `more`", "T.md", False),
    ("``[a](T.md)``", "T.md", True),
    ("`[a](T.md)", "T.md", False),  # never closed
    ("first\n`T.md`", "T.md", True),  # the last line, no line ending
    ("first\n`T.md`\n", "T.md", True),
    ("pre `x`T.md`y` post", "T.md", False),
])
def test_in_code_span(text, target, inside):
    assert code_span_at(text, target) is inside


def test_a_span_covering_only_part_of_the_target_does_not_count():
    text = "`ab`cd"
    assert _in_code_span(text, 1, 3) and _in_code_span(text, 0, 4)
    assert not _in_code_span(text, 1, 5) and not _in_code_span(text, 3, 5)


def test_in_code_span_on_a_later_line_counts_from_that_line():
    text = "aaaaaaaaaaaaaaaaaaaaaaaaa `x`\n[a](T.md) `y`"
    assert not code_span_at(text, "T.md")
    text = "`aaaaaaaaaaaaa`\nbb `[a](T.md)`"
    assert code_span_at(text, "T.md")


def test_same_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _same_file("peps/PEP-0000-i.md", "peps/PEP-0000-i.md")
    assert _same_file("peps/./PEP-0000-i.md", "peps/PEP-0000-i.md")
    assert _same_file(str(tmp_path / "peps" / "PEP-0000-i.md"), "peps/PEP-0000-i.md")
    assert not _same_file("peps/PEP-0000-i.md", "other/PEP-0000-i.md")
    assert not _same_file("peps/PEP-0000-i.md", "peps/PEP-0001-i.md")


def folder(tmp_path: Path, index: str) -> Path:
    peps = tmp_path / "peps"
    shutil.copytree(BASE_DIR, peps)
    (peps / "PEP-0000-index.md").write_text(index, encoding="utf-8")
    return peps


def test_the_index_checked_under_another_spelling_of_its_path(tmp_path):
    peps = folder(tmp_path, INDEX_TOP)  # stale: PEP-0001 has no row
    spelled = os.path.join(str(peps), ".", "PEP-0000-index.md")
    found = lint(Corpus(str(peps)), Policy(), [spelled], select=["X005"], today=TODAY)
    assert [(os.path.basename(d.path), d.line, d.code) for d in found] == [("PEP-0000-index.md", 17, "X005")]


def test_a_file_of_the_same_name_elsewhere_is_not_the_index(tmp_path):
    peps = folder(tmp_path, INDEX_TOP)
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    shutil.copy(peps / "PEP-0000-index.md", elsewhere / "PEP-0000-index.md")
    shutil.copy(peps / P1, elsewhere / P1)
    found = lint(Corpus(str(peps)), Policy(), [str(elsewhere / "PEP-0000-index.md")], select=["X005"], today=TODAY)
    assert found == []


# -- each X rule goes on past the numbers, files and links it has nothing to say about ------------


def x_findings(tmp_path, files: dict, code: str, paths=None) -> list[tuple[str, int]]:
    from test_rules import Scenario, findings

    found = findings(Scenario("x", files=files, paths=paths), tmp_path)
    return sorted((Path(d.path).name, d.line) for d in found if d.code == code)


def test_x001_a_unique_number_does_not_hide_a_later_duplicate(tmp_path):
    from test_rules import other_pep

    files = {"PEP-0002-b.md": other_pep("0002", "B"), "PEP-0003-c.md": other_pep("0003", "C"),
             "PEP-0003-d.md": other_pep("0003", "D")}
    assert x_findings(tmp_path, files, "X001") == [("PEP-0003-c.md", 5), ("PEP-0003-d.md", 5)]


def test_x001_checking_one_of_two_duplicates_reports_that_one(tmp_path):
    from test_rules import other_pep

    files = {"PEP-0003-c.md": other_pep("0003", "C"), "PEP-0003-d.md": other_pep("0003", "D")}
    assert x_findings(tmp_path, files, "X001", paths=["PEP-0003-d.md"]) == [("PEP-0003-d.md", 5)]


def test_x003_a_missing_or_answering_pep_does_not_hide_a_one_sided_one(tmp_path):
    from test_rules import add_row, other_pep

    files = {
        # supersedes 2 (no such PEP: X002's business), itself, 4 (which answers) and 5 (which does not)
        "PEP-0003-c.md": other_pep("0003", "C", add_row("| **Supersedes** | PEP-0002, PEP-0003, PEP-0004, PEP-0005 |")),
        "PEP-0004-d.md": other_pep("0004", "D", add_row("| **Superseded-By** | PEP-0003 |")),
        "PEP-0005-e.md": other_pep("0005", "E"),
    }
    assert x_findings(tmp_path, files, "X003") == [("PEP-0003-c.md", 13)]


def test_pep_links_go_on_past_a_web_address():
    text = "[web](https://example.org/PEP-0001-x.md) then [local](PEP-0002-y.md) [mail](mailto:PEP-0003-z.md) [b](PEP-0004-w.md)"
    assert [target for _, target in links(text)] == ["PEP-0002-y.md", "PEP-0004-w.md"]


def test_x004_every_broken_link_is_reported_past_good_fenced_and_hidden_ones(tmp_path):
    from test_rules import P1, edit

    body = ("[self](./PEP-0001-good-idea.md) [gone](PEP-0042-a.md)\n"
            "`[code](PEP-0043-b.md)` [gone](PEP-0044-c.md)\n"
            "<!-- [hidden](PEP-0045-d.md) -->\n[gone](PEP-0046-e.md)\n"
            "```\n[fenced](PEP-0047-f.md)\n```\n[gone](PEP-0048-g.md)\n")
    text = edit(("Repeated requests cost time and money.", body))
    first = text.splitlines().index(body.splitlines()[0]) + 1
    assert x_findings(tmp_path, {P1: text}, "X004") == [(P1, first), (P1, first + 1), (P1, first + 3), (P1, first + 7)]



def test_x003_in_a_dialect_names_the_records_by_its_labels(tmp_path):
    from tests.rules.test_dialect_rules import run

    body = "# {}\n\n## Context and Problem Statement\n\nx\n\n## Considered Options\n\nx\n\n## Decision Outcome\n\nx\n"
    files = {"0001-a.md": "---\nstatus: accepted\n---\n" + body.format("A"),
             "0002-b.md": "---\nstatus: accepted; supersedes ADR-0001\n---\n" + body.format("B")}
    (found,) = [d for d in run(tmp_path, "madr", files) if d.code == "X003"]
    assert (os.path.basename(found.path), found.line) == ("0002-b.md", 2)
    assert found.message.startswith(
        "this PEP's Supersedes names ADR-0001, but 0001-a.md does not name ADR-0002 in its Superseded-By field")
    assert found.message.endswith("add `Superseded-By: ADR-0002` there")  # as MADR cites a record


def test_x003_advice_cites_the_number_as_an_eip_writes_it(tmp_path):
    from tests.formats.dialects import EIP
    from tests.rules.test_dialect_rules import run

    first = EIP.replace("eip: 9001", "eip: 1").replace("requires: 1559\n", "")
    second = EIP.replace("eip: 9001", "eip: 2").replace("requires: 1559\n", "supersedes: 1\n")
    (found,) = [d for d in run(tmp_path, "eip", {"eip-1.md": first, "eip-2.md": second}) if d.code == "X003"]
    assert found.message.startswith("this PEP's supersedes names EIP-1, but eip-1.md does not name EIP-2")
    assert found.message.endswith("add `Superseded-By: 2` there")  # an EIP cites a bare number


@pytest.mark.parametrize("unit, reported", [
    ("PEP-", 0),  # names no file: every "PEP-" once looked for a ".md" to the end of the text
    ("PEP-1.md:", 0),  # names files, but no link: the target was looked for back to the top each time
    ("](PEP-9.md) `", 1),  # links on one line, every other one in code: the line was read again for each
])
def test_x004_reads_a_hostile_file_in_one_pass(tmp_path, unit, reported):
    from peptext import check_hostile

    count = 1_048_576 // len(unit)
    status, found = check_hostile(tmp_path, unit * count, "X004")
    assert status == (1 if reported else 0)
    expected = (count + 1) // 2 if reported else 0  # the first link is outside code, the second inside, ...
    assert len(found) == expected and all(" X004 link target 'PEP-9.md' does not exist" in line for line in found)
    if reported:  # lines and columns are counted on from link to link
        assert found[1].split(" ")[0].endswith(f"hostile.md:13:{2 * len(unit) + 3}:")
