"""Policy answers questions about the configured process; these are the ones with a rule of their own."""

from pepctl.config import Config
from pepctl.document import Document
from pepctl.policy import Policy

HEAD = "# PEP-0001: X\n\n| Field | Value |\n|---|---|\n| **Status** | Declined |\n\n"


def test_rationale_is_the_first_section_with_text():
    doc = Document(HEAD + "## Rationale\n\n<!-- a hint -->\n\n## Decision\n\nNot now.\n")
    heading, has_text = Policy(Config()).rationale(doc)
    assert heading.title == "Decision" and has_text


def test_an_empty_rationale_section_is_found_but_has_no_text():
    doc = Document(HEAD + "## Rationale\n\n<!-- only a comment -->\n\n## Other\n\nText.\n")
    heading, has_text = Policy(Config()).rationale(doc)
    assert heading.title == "Rationale" and not has_text


def test_only_the_first_heading_of_a_name_counts():
    doc = Document(HEAD + "## Rationale\n\n## Rationale\n\nSecond one has text.\n")
    heading, has_text = Policy(Config()).rationale(doc)
    assert heading.line == 6 and not has_text


def test_no_rationale_section():
    assert Policy(Config()).rationale(Document(HEAD + "## Summary\n\nText.\n")) == (None, False)


def test_maintainers_and_lead_compare_without_case_or_at():
    policy = Policy(Config({"maintainers": ["@Alice", "bob"], "project-lead": "@Carol"}))
    assert policy.is_maintainer("alice") and policy.is_maintainer("@BOB") and not policy.is_maintainer("dave")
    assert policy.is_lead("carol") and not policy.is_lead("alice")


def test_the_project_lead_is_a_maintainer_whether_listed_or_not():
    policy = Policy(Config({"maintainers": ["alice"], "project-lead": "@Carol"}))
    assert policy.is_maintainer("carol") and policy.has_maintainers
    assert Policy(Config({"project-lead": "carol"})).has_maintainers
    assert not Policy(Config()).has_maintainers and not Policy(Config()).is_maintainer("carol")


def test_deciders_follow_pep_0000_by_default():
    policy = Policy(Config())
    assert policy.decider("withdrawn") == "authors"
    assert [policy.decider(s) for s in ("Accepted", "Declined", "Deferred")] == ["maintainers"] * 3
    assert [policy.decider(s) for s in ("Draft", "Under Review", "Implementing", "Complete", "Bogus", None)] == ["anyone"] * 6
    assert policy.decided_by("maintainers") == {"Accepted", "Declined", "Deferred"}
    assert policy.decided_by("authors") == {"Withdrawn"}


def test_a_deciders_table_overrides_only_the_states_it_names():
    policy = Policy(Config({"deciders": {"draft": "authors", "deferred": "anyone"}}))
    assert policy.decided_by("authors") == {"Draft", "Withdrawn"}
    assert policy.decided_by("maintainers") == {"Accepted", "Declined"}


def test_amendment_and_record_states():
    policy = Policy(Config())
    assert [policy.is_amendable(s) for s in ("accepted", "Implementing", "Complete", "Under Review", None)] == [True] * 3 + [False] * 2
    assert [policy.is_record(s) for s in ("Declined", "withdrawn", "Accepted", "")] == [True, True, False, False]


def test_a_final_state_allows_no_move_even_where_a_table_lists_one():
    config = Config()
    config.transitions = {**config.transitions, "Declined": ["Under Review"]}  # as a library caller might build it
    policy = Policy(config)
    assert not policy.can_transition("Declined", "Under Review") and policy.next_states("Declined") == []
    assert policy.can_transition("Declined", "declined")
    assert policy.can_transition("Deferred", "Under Review")


# -- the lifecycle --------------------------------------------------------------------------------

import pytest  # noqa: E402

CUSTOM = Config({
    "states": ["Proposed", "Approved", "Rejected", "Shipped"],
    "initial-states": ["proposed"],
    "final-states": ["REJECTED", "Shipped"],
    "transitions": {"proposed": ["approved", "Rejected"], "Approved": ["shipped"]},
    "state-fields": {"approved": ["Owner"], "Shipped": ["Release", "Owner"]},
    "sponsor-states": ["Approved"],
    "rationale-states": ["rejected"],
    "open-questions-states": ["Approved", "Shipped"],
    "maintainers": ["boss"],
})


def test_statuses_are_spelled_as_configured():
    policy = Policy(CUSTOM)
    assert policy.states == ["Proposed", "Approved", "Rejected", "Shipped"]
    assert policy.canonical("  approved ") == "Approved" and policy.canonical("APPROVED") == "Approved"
    assert policy.canonical("Draft") is None and policy.canonical("") is None
    assert policy.initial_states == ["Proposed"]
    assert policy.final_states == {"Rejected", "Shipped"}
    assert policy.transitions == {"Proposed": ["Approved", "Rejected"], "Approved": ["Shipped"]}


def test_order_is_the_lifecycle_order_and_unknown_last():
    policy = Policy(CUSTOM)
    assert [policy.order(s) for s in ("proposed", "Approved", "rejected", "Shipped", "Draft", "")] == [0, 1, 2, 3, 4, 4]


def test_transitions():
    policy = Policy(CUSTOM)
    assert policy.next_states("proposed") == ["Approved", "Rejected"]
    assert policy.next_states("Rejected") == [] and policy.next_states("nonsense") == []
    assert policy.can_transition("Proposed", "approved") and policy.can_transition("approved", "APPROVED")
    assert not policy.can_transition("Approved", "Proposed")
    assert not policy.can_transition("Nonsense", "Nonsense") and not policy.can_transition("Proposed", "Nonsense")
    assert policy.is_final("shipped") and not policy.is_final("Approved") and not policy.is_final("Nonsense")


def test_what_each_status_requires():
    policy = Policy(CUSTOM)
    assert policy.needs_sponsor("approved") and not policy.needs_sponsor("Proposed")
    assert not Policy(Config({"sponsor-states": ["Draft"]})).needs_sponsor("Draft")  # no maintainers: no sponsor rule
    assert policy.needs_rationale("Rejected") and not policy.needs_rationale("Approved")
    assert policy.needs_resolved_questions("shipped") and not policy.needs_resolved_questions("Proposed")
    assert not policy.needs_resolved_questions("Nonsense")
    assert policy.fields_for("APPROVED") == ["Owner"] and policy.fields_for("Shipped") == ["Release", "Owner"]
    assert policy.fields_for("Proposed") == [] and policy.fields_for("Nonsense") == []


@pytest.mark.parametrize("handle", [None, "", "@", "  "])
def test_nobody_is_a_maintainer_or_the_lead(handle):
    policy = Policy(Config({"maintainers": ["alice"], "project-lead": "carol"}))
    assert not policy.is_maintainer(handle) and not policy.is_lead(handle)


def test_no_lead_configured():
    policy = Policy(Config({"maintainers": ["alice"]}))
    assert policy.project_lead == "" and not policy.is_lead("") and not policy.is_lead("alice")


def test_rationale_sections_follow_the_config():
    doc = Document(HEAD + "## Why\n\nBecause.\n\n## Rationale\n\nAlso.\n")
    heading, has_text = Policy(Config({"rationale-sections": ["why"]})).rationale(doc)
    assert heading.title == "Why" and has_text
    heading, _ = Policy(Config({"rationale-sections": ["Rationale", "Why"]})).rationale(doc)
    assert heading.title == "Why"  # the first in the document, whatever the config's order
