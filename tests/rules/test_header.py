"""The H family (pepctl.rules.header): each rule goes on past the fields it has nothing to say about."""

from __future__ import annotations

from test_rules import P1, Scenario, edit, findings


def h_findings(tmp_path, text: str, code: str) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in findings(Scenario("x", files={P1: text}), tmp_path) if d.code == code]


def test_h007_a_missing_required_field_does_not_hide_a_later_empty_one(tmp_path):
    text = edit(("| **Title** | Good Idea |\n", ""), ("| **Created** | 2024-05-17 |", "| **Created** | TBD |"))
    assert h_findings(tmp_path, text, "H007") == [(9, "the 'Created' field is empty (it says 'TBD'); fill it in")]


def test_h008_an_empty_field_does_not_hide_a_later_placeholder(tmp_path):
    text = edit(("| **Sponsor** | _(required for non-maintainers)_ |", "| **Sponsor** | |"),
                ("| **Created** | 2024-05-17 |", "| **Created** | YYYY-MM-DD |"))
    assert h_findings(tmp_path, text, "H008") == [
        (10, "the 'Created' field is still the template's 'YYYY-MM-DD'; write a real date as YYYY-MM-DD, e.g. today's")]
