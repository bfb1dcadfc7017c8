"""The R rules (pepctl.review.rules): table-driven pull request scenarios, one or more per rule,
and the registry itself."""

from __future__ import annotations

import pytest

from pepctl.review import FileChange, Review, decide
from pepctl.review.facts import Dismissal

from reviewfacts import DECISION, PATH, _next_id, added, approve, at, codes, edited, make, moved, pep


# -- a table of scenarios: (id, facts, passed, blocking codes, warning codes) -----

SCENARIOS = [
    # R000: nothing to decide
    ("no-pep-files", lambda: make([]), True, [], []),
    ("template-is-not-a-pep", lambda: make([added(pep(), "docs/peps/PEP-TEMPLATE.md")]), True, [], []),
    # R001: title of a PR adding a PEP
    ("new-pep-good-title", lambda: make([added(pep())]), True, [], []),
    ("new-pep-title-format", lambda: make([added(pep())], title="Add caching"), False, ["R001"], []),
    ("new-pep-title-number", lambda: make([added(pep())], title="PEP-0041: Cache things"), False, ["R001"], []),
    ("new-pep-title-lowercase-ok", lambda: make([added(pep())], title="pep-0042: cache things"), True, [], []),
    ("edit-needs-no-title", lambda: make([edited(pep(), pep(title="Cache more"))], title="Typo fixes"), True, [], []),
    # R002: a new PEP starts as Draft or Under Review
    ("new-pep-draft", lambda: make([added(pep(status="Draft"))]), True, [], []),
    ("new-pep-accepted", lambda: make([added(pep(status="Accepted"))]), False, ["R002"], []),
    # (R006 too: `pepctl check` reports the empty Status field, which a Draft would not have)
    ("new-pep-no-status", lambda: make([added(pep(status=""))]), False, ["R002", "R006"], []),
    # R003: number used on the base branch or twice in this PR
    (
        "number-on-base",
        lambda: make([added(pep())], base_numbers={42: ["docs/peps/PEP-0042-other.md"]}),
        False,
        ["R003"],
        [],
    ),
    (
        "number-twice-in-pr",
        lambda: make(
            [added(pep()), added(pep(title="Other"), "docs/peps/PEP-0042-other.md")],
        ),
        False,
        ["R003"],
        [],
    ),
    ("number-free-on-base", lambda: make([added(pep())], base_numbers={41: ["docs/peps/PEP-0041-x.md"]}), True, [], []),
    # R004: number taken by another open PR: the older PR keeps it
    ("number-in-older-pr", lambda: make([added(pep())], open_pr_numbers={7: {42}}, number=10), False, ["R004"], []),
    ("number-in-newer-pr", lambda: make([added(pep())], open_pr_numbers={12: {42}}, number=10), True, [], ["R004"]),
    ("number-elsewhere", lambda: make([added(pep())], open_pr_numbers={12: {43, 44}}), True, [], []),
    # R005: lifecycle transitions
    ("draft-to-review", lambda: make([moved("Draft", "Under Review")]), True, [], []),
    ("draft-to-accepted", lambda: make([moved("Draft", "Accepted")], reviews=[approve("alice"), approve("bob")]), False, ["R005"], []),
    ("declined-is-final", lambda: make([edited(pep("Declined", sections=DECISION), pep("Draft", sections=DECISION))]),
     False, ["R005"], []),
    # R006: requirements of the new status, from the linter's lifecycle rules
    ("implementing-without-tracking-issue", lambda: make([moved("Accepted", "Implementing")]), False, ["R006"], []),
    (
        "implementing-with-tracking-issue",
        lambda: make([moved("Accepted", "Implementing", fields=[("Tracking Issue", "#12")])]),
        True,
        [],
        [],
    ),
    ("unknown-status", lambda: make([moved("Draft", "Pondering")]), False, ["R006"], []),
    ("review-without-sponsor", lambda: make([moved("Draft", "Under Review", sponsor="")]), False, ["R006"], []),
    # R007: maintainer approvals to accept or decline
    ("accepted-two-approvals", lambda: make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("bob")]), True, [], []),
    ("accepted-one-approval", lambda: make([moved("Under Review", "Accepted")], reviews=[approve("alice")]), False, ["R007"], []),
    (
        "accepted-handles-any-case",
        lambda: make([moved("Under Review", "Accepted")], reviews=[approve("Alice"), approve("BOB")]),
        True,
        [],
        [],
    ),
    (
        "approval-by-pep-author",
        lambda: make(
            [moved("Under Review", "Accepted", authors="Alice (@alice), Dan (@dan)")],
            reviews=[approve("alice"), approve("bob")],
        ),
        False,
        ["R007"],
        [],
    ),
    (
        "approval-by-non-maintainer",
        lambda: make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("zed")]),
        False,
        ["R007"],
        [],
    ),
    (
        "dismissed-approval",
        lambda: make(
            [moved("Under Review", "Accepted")],
            reviews=[approve("alice"), Review(7001, "bob", "DISMISSED", at(1))],
            dismissals=[Dismissal(7001, "carol", at(2), "APPROVED")],
        ),
        False,
        ["R007"],
        [],
    ),
    (
        "approval-then-comment-still-counts",
        lambda: make(
            [moved("Under Review", "Accepted")],
            reviews=[approve("alice", 1), approve("bob", 1), Review(_next_id(), "bob", "COMMENTED", at(2))],
        ),
        True,
        [],
        [],
    ),
    (
        "same-maintainer-twice",
        lambda: make([moved("Under Review", "Accepted")], reviews=[approve("alice", 1), approve("alice", 2)]),
        False,
        ["R007"],
        [],
    ),
    (
        "declined-two-approvals-and-rationale",
        lambda: make([moved("Under Review", "Declined", sections=DECISION)], reviews=[approve("alice"), approve("bob")]),
        True,
        [],
        [],
    ),
    (
        "declined-one-approval",
        lambda: make([moved("Under Review", "Declined", sections=DECISION)], reviews=[approve("alice")]),
        False,
        ["R007"],
        [],
    ),
    (
        # one maintainer's approval, not the quorum (R017; more in test_process_rules.py)
        "amending-an-accepted-pep-needs-no-quorum",
        lambda: make([edited(pep(status="Accepted"), pep(status="Accepted", title="Cache things better"))],
                     reviews=[approve("alice")]),
        True,
        [],
        [],
    ),
    # R009: Declined records a rationale
    (
        "declined-without-rationale",
        lambda: make([moved("Under Review", "Declined")], reviews=[approve("alice"), approve("bob")]),
        False,
        ["R009"],
        [],
    ),
    (
        "declined-with-empty-rationale",
        lambda: make(
            [moved("Under Review", "Declined", sections=(("Rationale", "<!-- why -->"),))],
            reviews=[approve("alice"), approve("bob")],
        ),
        False,
        ["R009"],
        [],
    ),
    # R011: unreadable files
    ("head-not-utf8", lambda: make([edited(pep(), b"# PEP-0042: x\n\xff\xfe\n")]), False, ["R011"], []),
    ("head-empty", lambda: make([added(b"")]), False, ["R011"], []),
    ("base-unreadable", lambda: make([edited(b"\x00\x01binary", pep())]), True, [], ["R011"]),
    (
        "base-unreadable-accepted-needs-approvals",
        lambda: make([edited(b"\x00\x01binary", pep(status="Accepted"))]),
        False,
        ["R007"],
        ["R011"],
    ),
    # R012: never delete a PEP
    ("deleted-pep", lambda: make([FileChange(PATH, pep(status="Withdrawn"), None)]), False, ["R012"], []),
    (
        "renamed-pep-is-not-deleted",
        lambda: make([FileChange("docs/peps/PEP-0042-caching.md", pep(), pep(), previous_path=PATH)]),
        True,
        [],
        [],
    ),
]


@pytest.mark.parametrize("name, build, passed, errors, warnings", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name, build, passed, errors, warnings):
    verdict = decide(build())
    assert verdict.passed is passed, verdict.reasons
    assert codes(verdict) == errors, verdict.reasons
    assert codes(verdict, "warning") == warnings, verdict.reasons


def test_no_pep_files_passes_with_a_note():
    verdict = decide(make([]))
    assert verdict.passed and verdict.conclusion == "success"
    assert [(r.code, r.severity) for r in verdict.reasons] == [("R000", "note")]
    assert verdict.labels == []


def test_reasons_point_at_the_file_and_status_line():
    verdict = decide(make([added(pep(status="Accepted"))]))
    (reason,) = [r for r in verdict.reasons if r.code == "R002"]
    assert reason.path == PATH and reason.number == 42
    assert reason.line == 7  # the Status row of the header table
    assert "Draft or Under Review" in reason.message


def test_unreadable_head_names_the_line():
    verdict = decide(make([edited(pep(), b"# PEP-0042: x\n\xff\xfe\n")]))
    (reason,) = verdict.blocking
    assert reason.code == "R011" and reason.line == 2
    assert PATH in reason.message and "line 2" in reason.message


def test_illegal_transition_says_where_it_can_go():
    verdict = decide(make([moved("Draft", "Accepted")]))
    (reason,) = [r for r in verdict.reasons if r.code == "R005"]
    assert "from Draft to Accepted" in reason.message and "Under Review" in reason.message


def test_lint_message_is_carried_into_state_requirements():
    verdict = decide(make([moved("Accepted", "Implementing")]))
    (reason,) = verdict.blocking
    assert reason.code == "R006" and "L002" in reason.message and "Tracking Issue" in reason.message


def test_unreadable_head_advice_is_given_once():
    verdict = decide(make([edited(pep(), b"# PEP-0042: x\n\xff\xfe\n")]))
    (reason,) = verdict.blocking
    assert reason.message.count("UTF-8") == 2  # "not valid UTF-8 ...; re-save it as UTF-8"
    assert "save it as UTF-8 Markdown" not in reason.message
    binary = decide(make([edited(pep(), b"\x00\x01binary")])).blocking[0]
    assert binary.message.endswith("; save it as UTF-8 Markdown text.")
    empty = decide(make([edited(pep(), b"   \n")])).blocking[0]
    assert "UTF-8" not in empty.message and "put the PEP's text back" in empty.message


# -- the registry ----------------------------------------------------------------------


def test_every_review_rule_is_registered_once_under_its_code():
    from pepctl.review import REGISTRY, RULES
    from pepctl.review.rules import FILE, PEP, PULL

    assert sorted(REGISTRY) == [f"R{n:03d}" for n in range(19)]
    assert len({r.name for r in REGISTRY.values()}) == len(REGISTRY)
    for code, item in REGISTRY.items():
        assert item.code == code and item.name and item.summary and item.checklist
        assert item.severity in ("error", "warning", "note") and item.scope in (PULL, FILE, PEP)
        assert RULES[code] == (item.name, item.summary, item.checklist)


def test_a_code_cannot_be_registered_twice():
    from pepctl.review.rules import REGISTRY, rule

    with pytest.raises(RuntimeError, match="R001 registered twice"):
        rule("R001", "again", "a second R001")(lambda ctx: [])
    assert REGISTRY["R001"].name == "pr-title"


def test_reasons_carry_the_registered_name_and_the_summary_its_checklist_line():
    from pepctl.review import REGISTRY

    verdict = decide(make([added(pep())], title="Add caching"))
    [reason] = verdict.blocking
    assert (reason.code, reason.name) == ("R001", REGISTRY["R001"].name)
    for code in verdict.checked:
        assert f"**{code}** {REGISTRY[code].checklist}" in verdict.summary


def test_a_rule_that_does_not_apply_is_not_checked():
    # A pull request that only edits a draft's text: no title, number, status, decision or clock rule applies.
    verdict = decide(make([edited(pep("Draft"), pep("Draft", title="Cache more"))], title="Typo fixes"))
    assert verdict.checked == ["R011", "R012"]
    assert "R013" in decide(make([edited(pep(), pep(title="Cache more"))], title="Typo fixes")).checked
    assert decide(make([])).checked == ["R000"]


def test_rule_registers_a_check_with_its_checklist_line(monkeypatch):
    from pepctl.review import rules as review_rules
    from pepctl.review.rules import FILE, PEP, PULL, ReviewRule, rule

    monkeypatch.setattr(review_rules, "REGISTRY", {})

    def check(pep, ctx):
        return []

    assert rule("R900", "zed", "Zed things.")(check) is check
    assert review_rules.REGISTRY == {"R900": ReviewRule("R900", "zed", "error", "Zed things.", PEP, "", check)}
    rule("R901", "zed-two", "More.", "warning", PULL, "zed checked")(check)
    assert review_rules.REGISTRY["R901"] == ("R901", "zed-two", "warning", "More.", PULL, "zed checked", check)
    rule("R902", "zed-three", "Files.", scope=FILE)(check)
    assert review_rules.REGISTRY["R902"].scope == FILE


def test_decline_rationale_without_the_linters_l004(monkeypatch):
    """R009 asks the linter's L004 when it is registered; without it, the policy says whether a
    rationale is recorded."""
    from pepctl import rules as lint_rules

    monkeypatch.delitem(lint_rules.REGISTRY, "L004")
    verdict = decide(make([moved("Under Review", "Declined")], reviews=[approve("alice"), approve("bob")]))
    [reason] = verdict.blocking
    assert (reason.code, reason.line, reason.message) == (
        "R009", 7, "PEP-0042 line 7: a Declined PEP must record why in a non-empty Decision or Rationale section")
    assert decide(make([moved("Under Review", "Declined", sections=DECISION)],
                       reviews=[approve("alice"), approve("bob")])).passed
