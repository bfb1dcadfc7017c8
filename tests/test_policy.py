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
