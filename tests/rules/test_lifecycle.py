"""The L family's helpers (pepctl.rules.lifecycle), where the scenarios cannot reach them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pepctl.config import Config
from pepctl.rules.lifecycle import _open_items, _rationale_section, _resolved


def test_rationale_section_names_the_configured_sections():
    assert _rationale_section(SimpleNamespace(config=Config())) == "a '## Decision' or '## Rationale' section"
    assert _rationale_section(SimpleNamespace(config=Config({"rationale-sections": ["Why"]}))) == "a '## Why' section"
    # a config built in code may name none (a config file may not): the message still reads
    assert _rationale_section(SimpleNamespace(config=Config({"rationale-sections": []}))) == "a rationale section"


@pytest.mark.parametrize("text, resolved", [
    ("[x] done", True), ("[X] done", True), ("Resolved: yes", True), ("it was RESOLVED", True),
    ("~~gone~~", True), ("~~gone~~ .", True), ("~~gone", False), ("gone~~", False), ("[ ] open", False),
    ("unresolvedness", False), ("~~a~~ b", False),
])
def test_resolved(text, resolved):
    assert _resolved(text) is resolved


def test_open_items_are_top_level_and_unresolved():
    body = "\nIntro.\n\n- one\n  - detail\n\t- tabbed detail\n- [x] two\n1. three\n"
    assert _open_items(body) == [(3, "one"), (7, "three")]
    assert _open_items("Just prose.\n") is None
    assert _open_items("<!-- - hidden -->\n") is None
    assert _open_items("  - indented but alone\n") == [(0, "indented but alone")]


def test_l002_a_required_field_among_the_state_fields_does_not_hide_the_others(tmp_path):
    from test_rules import P1, RESOLVED, Scenario, edit, findings, status

    # Title is required anyway (H006's business); Tracking Issue, after it, is still checked
    config = 'state-fields = { Implementing = ["Title", "Tracking Issue"] }\n'
    scenario = Scenario("x", files={P1: edit(status("Implementing"), RESOLVED)}, config=config)
    found = [(d.line, d.code) for d in findings(scenario, tmp_path) if d.code == "L002"]
    assert found == [(11, "L002")]
