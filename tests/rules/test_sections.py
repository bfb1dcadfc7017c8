"""S005 (unfilled-section) and the statuses whose PEPs may stay unfinished: draft-states, and the
final states a draft can move to directly (Withdrawn by default: an abandoned draft)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pepctl import rules
from pepctl.config import Config
from pepctl.corpus import Corpus, load_entry
from pepctl.policy import Policy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "commands"


def s005_lines(tmp_path, status: str, config: Config | None = None) -> list[int]:
    text = (FIXTURES / "bare.md").read_text().replace("NNNN", "0042").replace("STATUS", status)
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(text.replace("Nothing to build.", "<!-- the heart of the proposal -->"))
    config = config or Config()
    ctx = rules.Context(Corpus(str(tmp_path), config), Policy(config), datetime.date(2026, 3, 1))
    found = rules.run(ctx, [load_entry(str(path))], rules.Selection(config, select=["S005"]))
    return [d.line for d in found]


@pytest.mark.parametrize("status, lines", [
    ("Draft", []),
    ("Withdrawn", []),  # Draft -> Withdrawn: an abandoned draft may stay unfinished
    ("Under Review", [22]),
    ("Deferred", [22]),
    ("Declined", [22]),  # declined after review: the proposal was written
    ("Accepted", [22]),
])
def test_default_states(tmp_path, status, lines):
    assert s005_lines(tmp_path, status) == lines


def test_withdrawn_needs_text_when_drafts_cannot_be_withdrawn(tmp_path):
    config = Config({"transitions": {"Draft": ["Under Review"], "Under Review": ["Withdrawn"]}})
    assert s005_lines(tmp_path, "Withdrawn", config) == [22]


def test_any_final_state_a_draft_can_move_to(tmp_path):
    config = Config({
        "states": ["Idea", "Open", "Done", "Dropped"],
        "draft-states": ["Idea"],
        "final-states": ["Done", "Dropped"],
        "transitions": {"Idea": ["Open", "Dropped"], "Open": ["Done", "Dropped"]},
    })
    assert s005_lines(tmp_path, "Dropped", config) == []
    assert s005_lines(tmp_path, "Done", config) == [22]
    assert s005_lines(tmp_path, "Open", config) == [22]


def s005_lines_of(tmp_path, edits: list[tuple[str, str]], status: str = "Accepted") -> list[int]:
    text = (FIXTURES / "bare.md").read_text().replace("NNNN", "0042").replace("STATUS", status)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "PEP-0042-proposal.md"
    path.write_text(text)
    config = Config()
    ctx = rules.Context(Corpus(str(tmp_path), config), Policy(config), datetime.date(2026, 3, 1))
    found = rules.run(ctx, [load_entry(str(path))], rules.Selection(config, select=["S005"]))
    return [d.line for d in found]


def test_every_unfilled_section_is_reported_not_only_the_first(tmp_path):
    lines = s005_lines_of(tmp_path, [("Nothing to build.", "<!-- the heart of the proposal -->"),
                                     ("Purely additive.", "<!-- who breaks? -->")])
    assert lines == [22, 30]


def test_a_missing_section_does_not_hide_a_later_unfilled_one(tmp_path):
    # Motivation is gone (S001's business); Design, further down, is still only its hint
    lines = s005_lines_of(tmp_path, [("## Motivation\n\nTests need one.\n\n", ""),
                                     ("Nothing to build.", "<!-- the heart of the proposal -->")])
    assert lines == [18]


def test_s003_a_comment_in_code_does_not_hide_the_instructions_below_it(tmp_path):
    from test_rules import INSTRUCTIONS, P1, REFERENCES, Scenario, edit, findings

    text = edit(("cache:\n", "<!-- Instructions: copy this file -->\ncache:\n"), (REFERENCES, INSTRUCTIONS + "\n\n" + REFERENCES))
    found = [(d.line, d.code) for d in findings(Scenario("x", files={P1: text}), tmp_path) if d.code == "S003"]
    assert found == [(text[:text.index(INSTRUCTIONS)].count("\n") + 1, "S003")]



def test_s005_a_template_subsection_does_not_hide_the_later_sections_parts(tmp_path):
    from test_rules import P1, TEMPLATE, Scenario, edit, findings, status

    template = TEMPLATE.replace("## Motivation\n", "## Motivation\n\n### Goals\n\n<!-- outcomes -->\n", 1).replace(
        "## Design\n", "## Design\n\n```yaml\n# a comment that looks like a heading is not one\ncache:\n  ttl: 60s\n```\n", 1)
    pep = edit(status("Under Review"), ("### Goals\n\n- Faster answers for repeated requests.\n", "### Goals\n\n<!-- outcomes -->\n"))
    found = findings(Scenario("x", files={P1: pep, "PEP-TEMPLATE.md": template}), tmp_path)
    assert [(d.line, d.code) for d in found if d.code == "S005"] == [(22, "S005"), (34, "S005")]


def test_s003_reads_a_file_of_unclosed_comment_openers_in_one_pass(tmp_path):
    from peptext import check_hostile

    (tmp_path / "PEP-TEMPLATE.md").write_text("<!-- Instructions: fill in every section. -->\n# PEP-XXXX: Title\n")
    status, found = check_hostile(tmp_path, "<!-- Instructions: fill in every section. -->\n" + "<!--" * 262_144, "S003")
    assert status == 1 and [line.split(" ")[:2] for line in found] == [[f"{tmp_path / 'PEP-0001-hostile.md'}:13:1:", "S003"]]
