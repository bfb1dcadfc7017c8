"""The review engine: table-driven pull request scenarios, one or more per rule.

Every scenario builds small PEP texts in memory, wraps them in Facts the way
the GitHub adapter does, and checks the verdict: pass/blocked, which rule
codes fired, labels, answers, objections, approvals and the summary text.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import (
    OVERDUE_LABEL,
    SUMMARY_MARKER,
    Comment,
    Facts,
    FileChange,
    PullRequest,
    Review,
    decide,
    is_managed_label,
    parse_commands,
)

MAINTAINERS = ["alice", "bob", "carol", "mallory"]
LEAD = "lead"
POLICY = Policy(Config({"maintainers": MAINTAINERS, "project-lead": LEAD}))
PATH = "docs/peps/PEP-0042-cache-things.md"
START = datetime.datetime(2026, 5, 1, tzinfo=datetime.timezone.utc)


def at(day: float) -> str:
    """An ISO timestamp `day` days after the PR was opened (day 0)."""
    moment = START + datetime.timedelta(days=day)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pep(
    status="Under Review",
    number=42,
    title="Cache things",
    authors="Dan (@dan)",
    sponsor="Alice (@alice)",
    fields=(),
    sections=(),
) -> bytes:
    """A small PEP: header table plus the sections given as (title, body)."""
    rows = [
        ("PEP", f"{number:04d}"),
        ("Title", title),
        ("Status", status),
        ("Author(s)", authors),
        ("Sponsor", sponsor),
        ("Created", "2026-04-01"),
        *fields,
    ]
    lines = [f"# PEP-{number:04d}: {title}", "", "| Field | Value |", "|---|---|"]
    lines += [f"| **{name}** | {value} |" for name, value in rows]
    lines += ["", "## Summary", "", "Cache responses.", ""]
    for heading, body in sections:
        lines += [f"## {heading}", "", body, ""]
    return "\n".join(lines).encode()


DECISION = (("Decision", "Not aligned with the roadmap."),)


def added(text: bytes, path: str = PATH) -> FileChange:
    return FileChange(path, None, text)


def edited(base: bytes, head: bytes, path: str = PATH) -> FileChange:
    return FileChange(path, base, head)


def moved(old: str, new: str, **head) -> FileChange:
    """The PEP's status changes from old to new; head keyword arguments go to pep()."""
    return edited(pep(status=old), pep(status=new, **head))


def approve(author, day=1, id=None):
    return Review(id or _next_id(), author, "APPROVED", at(day))


def request_changes(author, day=1, id=None):
    return Review(id or _next_id(), author, "CHANGES_REQUESTED", at(day))


_ids = iter(range(5000, 10**6))


def _next_id():
    return next(_ids)


def comment(author, body, day=1, id=None, edited_day=None):
    return Comment(id or _next_id(), author, body, at(day), at(edited_day) if edited_day is not None else None)


def make(
    changes,
    reviews=(),
    comments=(),
    title="PEP-0042: Cache things",
    author="dan",
    draft=False,
    base_numbers=None,
    open_pr_numbers=None,
    now_day=2,
    since=None,
    number=10,
    policy=POLICY,
) -> Facts:
    return Facts(
        policy,
        PullRequest(number, title, author, draft=draft, created_at=at(0)),
        list(changes),
        reviews=list(reviews),
        comments=list(comments),
        base_numbers=base_numbers,
        open_pr_numbers=open_pr_numbers,
        under_review_since=since,
        now=at(now_day),
    )


def codes(verdict, severity="error"):
    return sorted({r.code for r in verdict.reasons if r.severity == severity})


def answer_for(verdict, comment_id):
    return [a for a in verdict.answers if a.comment_id == comment_id]


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
    ("new-pep-no-status", lambda: make([added(pep(status=""))]), False, ["R002"], []),
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
    ("number-elsewhere", lambda: make([added(pep())], open_pr_numbers={7: {43, 44}}), True, [], []),
    # R005: lifecycle transitions
    ("draft-to-review", lambda: make([moved("Draft", "Under Review")]), True, [], []),
    ("draft-to-accepted", lambda: make([moved("Draft", "Accepted")], reviews=[approve("alice"), approve("bob")]), False, ["R005"], []),
    ("declined-is-final", lambda: make([moved("Declined", "Draft", sections=DECISION)]), False, ["R005"], []),
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
            reviews=[approve("alice"), Review(_next_id(), "bob", "DISMISSED", at(1))],
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
        "amending-an-accepted-pep-needs-no-quorum",
        lambda: make([edited(pep(status="Accepted"), pep(status="Accepted", title="Cache things better"))]),
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


# -- approvals and objections -------------------------------------------------------


def test_approved_then_requested_changes_is_an_objection_not_an_approval():
    first, second = approve("alice", 1, id=11), request_changes("alice", 3, id=12)
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=[first, approve("bob", 1), second]))
    assert verdict.approvals == ["bob"]
    assert codes(verdict) == ["R007", "R008"]
    (objection,) = verdict.objections
    assert (objection.id, objection.raiser, objection.source, objection.state) == ("R-12", "alice", "review", "open")


def test_repeated_change_requests_keep_one_objection_id():
    reviews = [request_changes("alice", 1, id=21), request_changes("alice", 2, id=22)]
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=reviews))
    assert [o.id for o in verdict.objections] == ["R-21"]


def test_changes_requested_then_approved_clears_the_objection():
    reviews = [request_changes("alice", 1), approve("alice", 2), approve("bob", 2)]
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=reviews))
    assert verdict.passed and verdict.objections == []


def test_dismissed_change_request_is_no_objection():
    reviews = [Review(31, "alice", "DISMISSED", at(1)), approve("bob"), approve("carol")]
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=reviews))
    assert verdict.passed and verdict.objections == []
    assert ("alice", "review dismissed") in verdict.not_counted


def test_change_request_from_non_maintainer_is_not_an_objection():
    reviews = [request_changes("zed"), approve("alice"), approve("bob")]
    assert decide(make([moved("Under Review", "Accepted")], reviews=reviews)).passed


def test_pep_author_approval_is_reported_as_not_counted():
    facts = make([moved("Under Review", "Accepted", authors="Alice (@alice)", sponsor="")], reviews=[approve("alice"), approve("bob")])
    verdict = decide(facts)
    assert verdict.approvals == ["bob"]
    assert ("alice", "a PEP author") in verdict.not_counted
    assert "1/2" in verdict.summary


def test_object_command_blocks_acceptance():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("zed", "/pep object the cache leaks memory", 1, id=101)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"]
    (objection,) = verdict.objections
    assert (objection.id, objection.raiser, objection.reason) == ("O-101", "zed", "the cache leaks memory")
    assert "O-101" in verdict.blocking[0].message


def test_objection_resolved_by_its_raiser_in_any_case():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice", 3), approve("bob", 3)],
        comments=[comment("zed", "/pep object leaks", 1, id=101), comment("Zed", "/PEP Resolve o-101", 2, id=102)],
    )
    verdict = decide(facts)
    assert verdict.passed
    (objection,) = verdict.objections
    assert (objection.state, objection.resolved_by, objection.how) == ("resolved", "Zed", "resolve command")
    assert verdict.answers == []


def test_objection_resolved_by_someone_else_is_refused_and_still_blocks():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("zed", "/pep object leaks", 1, id=101), comment("alice", "/pep resolve O-101", 2, id=102)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"]
    assert verdict.objections[0].state == "open"
    (answer,) = answer_for(verdict, 102)
    assert answer.author == "alice" and answer.text.startswith("@alice,")
    assert "only `@zed`" in answer.text and "O-101" in answer.text


def test_resolving_an_unknown_id_is_answered():
    facts = make([moved("Under Review", "Accepted")], comments=[comment("zed", "/pep resolve O-999", 1, id=103)])
    (answer,) = decide(facts).answers
    assert "no objection `O-999`" in answer.text


def test_a_later_approval_from_the_raiser_resolves_their_objection():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice", 3), approve("bob", 3)],
        comments=[comment("alice", "/pep object needs numbers", 1, id=104)],
    )
    verdict = decide(facts)
    assert verdict.passed
    assert verdict.objections[0].how == "approving review"


def test_an_earlier_approval_does_not_resolve_a_later_objection():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice", 1), approve("bob", 1)],
        comments=[comment("alice", "/pep object wait, one more thing", 2, id=105)],
    )
    assert codes(decide(facts)) == ["R008"]


def test_objections_show_but_do_not_block_while_under_review():
    facts = make([moved("Draft", "Under Review")], comments=[comment("zed", "/pep object not convinced", 1, id=106)])
    verdict = decide(facts)
    assert verdict.passed
    assert [o.id for o in verdict.objections] == ["O-106"]
    assert "`O-106`" in verdict.summary


def test_several_commands_in_one_comment_and_case_insensitivity():
    body = "Two concerns:\n/PEP OBJECT too slow\n  /pep Object too big\n/Pep Help\n"
    facts = make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("bob")], comments=[comment("zed", body, 1, id=107)])
    verdict = decide(facts)
    assert [(o.id, o.reason) for o in verdict.objections] == [("O-107", "too slow"), ("O-107-2", "too big")]
    assert [a.command for a in verdict.answers] == ["help"]
    assert len(verdict.blocking) == 2


def test_quoted_and_fenced_commands_are_ignored():
    body = "> /pep object quoted from someone\n\n```\n/pep object example\n```\n~~~\n/pep final-call accept x\n~~~\n"
    facts = make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("bob")], comments=[comment("zed", body, 1)])
    verdict = decide(facts)
    assert verdict.passed and verdict.objections == [] and verdict.final_call is None and verdict.answers == []


def test_edited_comment_that_adds_a_command_is_ignored():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice"), approve("bob")],
        comments=[
            comment("zed", "/pep object leaks", 1, id=101),
            comment("zed", "LGTM now\n/pep resolve O-101", 2, id=108, edited_day=3),
        ],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"]
    assert verdict.edited == [(108, "zed", ["resolve"])]
    assert "edited after they were posted" in verdict.summary and "`108`" in verdict.summary


def test_edited_objection_still_counts():
    # Anyone who may edit other people's comments (any maintainer) must not be
    # able to void an objection with a typo fix: an edit never removes a block.
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("zed", "/pep object leaks", 1, id=101, edited_day=2)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"]
    (objection,) = verdict.objections
    assert (objection.id, objection.state, objection.edited_at) == ("O-101", "open", at(2))
    assert "edited after it was posted" in verdict.blocking[0].message
    assert verdict.edited == []
    assert "Ignored commands" not in verdict.summary
    assert "leaks *(comment edited after it was posted, on 2026-05-03)*" in verdict.summary


def test_edited_comment_keeps_its_objection_but_not_its_other_commands():
    body = "/pep object leaks\n/pep final-call accept fine\n/pep help"
    facts = make(
        [moved("Under Review", "Accepted", sections=DECISION)],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("lead", body, 1, id=101, edited_day=2)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"] and verdict.final_call is None and verdict.answers == []
    assert verdict.edited == [(101, "lead", ["final-call", "help"])]


@pytest.mark.parametrize(
    "settled_by",
    [
        [comment("zed", "/pep resolve O-101", 2, id=102)],  # the raiser's resolve
        [comment("lead", "/pep final-call accept worth it", 2, id=102)],  # the lead's call
        [],  # the raiser's approval (below)
    ],
)
def test_editing_an_objection_reopens_what_was_settled_before_the_edit(settled_by):
    reviews = [approve("alice", 1), approve("bob", 1)] + ([approve("zed", 2)] if not settled_by else [])
    accepted = moved("Under Review", "Accepted", sections=DECISION)
    before = make([accepted], reviews=reviews, comments=[comment("zed", "/pep object leaks", 1, id=101), *settled_by])
    assert decide(before).passed
    # someone edits the comment after it was settled (e.g. drops one of two objection lines)
    after = make([accepted], reviews=reviews, comments=[comment("zed", "/pep object leaks", 1, id=101, edited_day=3), *settled_by])
    verdict = decide(after)
    assert codes(verdict) == ["R008"] and verdict.objections[0].state == "open"
    if settled_by and settled_by[0].author == "zed":
        (answer,) = answer_for(verdict, 102)
        assert "edited after this" in answer.text and "`/pep resolve O-101`" in answer.text
    # settling it again after the edit works
    again = make(
        [accepted],
        reviews=reviews,
        comments=[
            comment("zed", "/pep object leaks", 1, id=101, edited_day=3),
            *settled_by,
            comment("zed", "/pep resolve O-101", 4, id=103),
        ],
    )
    assert decide(again).passed


def test_unreadable_head_advice_is_given_once():
    verdict = decide(make([edited(pep(), b"# PEP-0042: x\n\xff\xfe\n")]))
    (reason,) = verdict.blocking
    assert reason.message.count("UTF-8") == 2  # "not valid UTF-8 ...; re-save it as UTF-8"
    assert "save it as UTF-8 Markdown" not in reason.message
    binary = decide(make([edited(pep(), b"\x00\x01binary")])).blocking[0]
    assert binary.message.endswith("; save it as UTF-8 Markdown text.")
    empty = decide(make([edited(pep(), b"   \n")])).blocking[0]
    assert "UTF-8" not in empty.message and "put the PEP's text back" in empty.message


# -- the project lead's final call --------------------------------------------------

ACCEPT_CALL = "/pep final-call accept the benefits outweigh the memory cost"


def test_final_call_overrules_objection_and_missing_approvals():
    facts = make(
        [moved("Under Review", "Accepted", sections=(("Decision", "Accepted by the lead: benefits win."),))],
        reviews=[approve("alice"), request_changes("bob", 1, id=41)],
        comments=[comment("zed", "/pep object leaks", 1, id=101), comment("lead", ACCEPT_CALL, 2, id=109)],
    )
    verdict = decide(facts)
    assert verdict.passed, verdict.reasons
    assert {o.id: o.state for o in verdict.objections} == {"R-41": "overruled", "O-101": "overruled"}
    assert all(o.resolved_by == "lead" and o.how == "final call" for o in verdict.objections)
    assert verdict.final_call.decision == "accept"
    assert verdict.final_call.rationale == "the benefits outweigh the memory cost"
    assert [r.severity for r in verdict.reasons if r.code == "R007"] == ["note"]


def test_final_call_needs_the_rationale_recorded_in_the_pep():
    facts = make([moved("Under Review", "Accepted")], comments=[comment("lead", ACCEPT_CALL, 2)])
    verdict = decide(facts)
    assert codes(verdict) == ["R010"]
    assert "Decision" in verdict.blocking[0].message


def test_final_call_decline_requires_declined_status():
    facts = make(
        [moved("Under Review", "Accepted", sections=DECISION)],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("lead", "/pep final-call decline not now", 2)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R010"]
    assert "set its Status to Declined" in verdict.blocking[0].message


def test_final_call_decline_followed():
    facts = make(
        [moved("Under Review", "Declined", sections=DECISION)],
        comments=[comment("alice", "/pep object keep it", 1), comment("lead", "/pep final-call decline not aligned", 2)],
    )
    verdict = decide(facts)
    assert verdict.passed, verdict.reasons
    assert verdict.objections[0].state == "overruled"


def test_final_call_from_someone_else_is_answered_and_has_no_effect():
    facts = make(
        [moved("Under Review", "Accepted", sections=DECISION)],
        reviews=[approve("alice"), approve("bob")],
        comments=[comment("zed", "/pep object leaks", 1, id=101), comment("alice", ACCEPT_CALL, 2, id=110)],
    )
    verdict = decide(facts)
    assert verdict.final_call is None
    assert codes(verdict) == ["R008"]
    (answer,) = answer_for(verdict, 110)
    assert "only the project lead" in answer.text and "`@lead`" in answer.text


def test_objection_raised_after_the_final_call_still_blocks():
    facts = make(
        [moved("Under Review", "Accepted", sections=DECISION)],
        comments=[comment("lead", ACCEPT_CALL, 2), comment("zed", "/pep object one more problem", 3, id=111)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"]
    assert verdict.objections[0].state == "open"


def test_the_latest_final_call_wins():
    facts = make(
        [moved("Under Review", "Declined", sections=DECISION)],
        comments=[comment("lead", ACCEPT_CALL, 2), comment("lead", "/pep final-call decline on reflection, no", 3)],
    )
    verdict = decide(facts)
    assert verdict.passed and verdict.final_call.decision == "decline"


def test_final_call_without_rationale_is_answered():
    facts = make([moved("Under Review", "Accepted")], comments=[comment("lead", "/pep final-call accept", 2, id=112)])
    verdict = decide(facts)
    assert verdict.final_call is None
    assert "rationale" in answer_for(verdict, 112)[0].text


def test_help_and_unknown_commands_are_answered():
    facts = make([moved("Draft", "Under Review")], comments=[comment("zed", "/pep help", 1, id=113), comment("zed", "/pep approve", 2, id=114)])
    verdict = decide(facts)
    help_answer, unknown = verdict.answers
    assert help_answer.comment_id == 113 and "`/pep object <reason>`" in help_answer.text and "2 maintainers" in help_answer.text
    assert unknown.comment_id == 114 and "`approve`" in unknown.text and "/pep help" in unknown.text
    assert help_answer.key == "113:1" and help_answer.body.startswith("<!-- pepctl-answer 113:1 -->")


def test_bot_text_contains_no_commands():
    facts = make(
        [moved("Under Review", "Accepted")],
        comments=[comment("zed", "/pep help\n/pep object x\n/pep resolve O-1\n/pep bogus", 1), comment("amy", ACCEPT_CALL, 2)],
    )
    verdict = decide(facts)
    assert parse_commands(verdict.summary) == []
    # help, resolve of an unknown id, unknown command, final call from someone not the lead
    assert sorted(a.command for a in verdict.answers) == ["final-call", "help", "resolve", "unknown"]
    for answer in verdict.answers:
        assert parse_commands(answer.body) == []


# -- first-feedback clock -----------------------------------------------------------


@pytest.mark.parametrize(
    "now_day, reviews, comments, overdue",
    [
        (13, [], [], False),
        (14, [], [], False),
        (15, [], [], True),
        (30, [], [comment("alice", "Interesting, a few questions.", 3)], False),
        (30, [Review(51, "bob", "COMMENTED", at(3))], [], False),
        (30, [], [comment("dan", "Ping?", 3)], True),  # the PR author
        (30, [], [comment("zed", "+1", 3)], True),  # not a maintainer
        (30, [], [comment("lead", "Looks promising.", 20)], False),  # the lead counts
    ],
)
def test_first_feedback_clock(now_day, reviews, comments, overdue):
    verdict = decide(make([moved("Draft", "Under Review")], reviews=reviews, comments=comments, now_day=now_day))
    info = verdict.first_feedback
    assert info.running and info.entered_at == at(0) and info.due_at == at(14)
    assert info.overdue is overdue
    if overdue:
        assert "no maintainer feedback yet, due by 2026-05-15 (overdue)" in verdict.summary
    assert (OVERDUE_LABEL in verdict.labels) is overdue
    assert codes(verdict, "warning") == (["R013"] if overdue else [])
    assert verdict.passed  # a warning, never blocking


def test_first_feedback_records_who_and_when():
    verdict = decide(make([moved("Draft", "Under Review")], comments=[comment("alice", "Hi", 3)], now_day=30))
    info = verdict.first_feedback
    assert (info.first_at, info.first_by, info.age_days) == (at(3), "alice", 3)


def test_maintainer_who_is_a_pep_author_does_not_count_as_feedback():
    facts = make([moved("Draft", "Under Review", authors="Dan (@dan), Carol (@carol)")], comments=[comment("carol", "Updated", 3)], now_day=20)
    assert decide(facts).first_feedback.overdue


def test_a_maintainer_who_opened_the_pr_does_not_give_its_first_feedback():
    """docs/review.md: the clock stops at feedback from a maintainer (or the lead) who is neither the
    pull request's author nor a PEP author. Here alice, a maintainer, opened the PR for dan's PEP:
    her own comments and comment-only reviews on it are not feedback, bob's comment is."""
    own = dict(
        comments=[comment("alice", "Opened this for Dan; please review.", 1)],
        reviews=[Review(_next_id(), "alice", "COMMENTED", at(2))],
    )
    facts = make([moved("Draft", "Under Review", sponsor="Bob (@bob)")], author="alice", now_day=30, **own)
    verdict = decide(facts)
    info = verdict.first_feedback
    assert info.running and info.first_at is None and info.first_by is None
    assert info.overdue and OVERDUE_LABEL in verdict.labels
    assert codes(verdict, "warning") == ["R013"]

    later = make([moved("Draft", "Under Review", sponsor="Bob (@bob)")], author="alice", now_day=30,
                 comments=own["comments"] + [comment("bob", "First look: fine.", 5)], reviews=own["reviews"])
    info = decide(later).first_feedback
    assert (info.first_at, info.first_by, info.overdue) == (at(5), "bob", False)


def test_the_lead_who_opened_the_pr_does_not_give_its_first_feedback():
    facts = make([moved("Draft", "Under Review")], author="lead", comments=[comment("lead", "Please look.", 1)],
                 now_day=30)
    assert decide(facts).first_feedback.first_at is None and decide(facts).first_feedback.overdue


def test_first_feedback_clock_starts_when_review_started():
    since = at(10)
    facts = make([moved("Draft", "Under Review")], comments=[comment("alice", "early look", 3)], since=since, now_day=20)
    info = decide(facts).first_feedback
    assert info.entered_at == since and info.first_at is None and not info.overdue
    assert decide(make([moved("Draft", "Under Review")], since=since, now_day=25)).first_feedback.overdue


def test_clock_does_not_run_for_drafts_or_decided_peps():
    assert not decide(make([moved("Draft", "Under Review")], draft=True, now_day=40)).first_feedback.running
    assert not decide(make([moved("Draft", "Draft", title="x")], now_day=40)).first_feedback.running


# -- labels, drafts, determinism, escaping ------------------------------------------


def test_labels_follow_the_head_status():
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("bob")]))
    assert verdict.labels == ["pep: accepted"]
    assert all(is_managed_label(label) for label in verdict.labels)
    assert not is_managed_label("bug")


def test_index_document_does_not_set_labels():
    index = FileChange("docs/peps/PEP-0000-process.md", pep(status="Active", number=0), pep(status="Active", number=0, title="Process"))
    verdict = decide(make([moved("Draft", "Under Review"), index]))
    assert verdict.labels == ["pep: under review"]


def test_final_call_ignores_the_index_document():
    index = FileChange("docs/peps/PEP-0000-process.md", pep(status="Active", number=0), pep(status="Active", number=0, title="Process"))
    facts = make(
        [moved("Under Review", "Accepted", sections=DECISION), index],
        comments=[comment("lead", ACCEPT_CALL, 2)],
    )
    verdict = decide(facts)
    assert verdict.passed, verdict.reasons


def test_draft_pull_request_is_informational():
    verdict = decide(make([added(pep(status="Accepted"))], draft=True))
    assert verdict.informational and not verdict.passed
    assert verdict.conclusion == "neutral"
    assert "informational" in verdict.summary
    assert decide(make([added(pep(status="Accepted"))])).conclusion == "failure"


def busy_facts(reverse=False):
    reviews = [approve("alice", 1, id=61), request_changes("bob", 2, id=62), Review(63, "carol", "COMMENTED", at(3))]
    comments = [
        comment("zed", "/pep object too slow\n/pep help", 1, id=201),
        comment("amy", "/pep object too big", 1.5, id=202),
        comment("zed", "/pep resolve O-202", 2, id=203),
        comment("lead", "/pep final-call nope", 4, id=204),
    ]
    if reverse:
        reviews.reverse()
        comments.reverse()
    return make([moved("Under Review", "Accepted")], reviews=reviews, comments=comments, now_day=20)


def test_same_facts_give_byte_identical_summaries():
    first, second = decide(busy_facts()), decide(busy_facts())
    assert first.summary == second.summary
    assert first.summary.encode() == decide(busy_facts(reverse=True)).summary.encode()
    assert [a.key for a in first.answers] == [a.key for a in decide(busy_facts(reverse=True)).answers]
    assert first.summary.startswith(SUMMARY_MARKER + "\n")
    assert first.summary.count(SUMMARY_MARKER) == 1


def test_summary_content():
    summary = decide(busy_facts()).summary
    assert "❌ PEP process: blocked" in summary
    assert "**Approvals:** 1/2 maintainers (`@alice`)" in summary
    assert "| `O-201` | `@zed` | too slow | open |" in summary
    assert "| `R-62` | `@bob` |" in summary
    assert "- ❌ **R008** no unresolved objection" in summary
    assert "- ✅ **R006** requirements of the new status met" in summary
    assert "post `/pep resolve O-201`" in summary
    assert "[ ]" not in summary and "[x]" not in summary  # no tickable task lists


def test_verdict_serialises_to_json():
    data = json.loads(json.dumps(decide(busy_facts()).to_json()))
    assert data["passed"] is False and data["conclusion"] == "failure"
    assert {o["id"] for o in data["objections"]} == {"O-201", "O-202", "R-62"}


HOSTILE_TITLE = "Cache <script>alert(1)</script> | @everyone ![x](http://e/x.png) [click](javascript:alert(1))"
HOSTILE_REASON = "bad | idea <img src=x onerror=alert(1)> @bob <!-- pepctl:review-summary --> **bold** #12 \u202eevil"


def hostile_verdict():
    facts = make(
        [added(pep(title=HOSTILE_TITLE))],
        title="PEP-0042: whatever",
        comments=[comment("zed", f"/pep object {HOSTILE_REASON}", 1, id=301), comment("amy", "/pep object `rm -rf` ``x``", 1, id=302)],
    )
    return decide(facts)


def test_hostile_text_is_inert_in_the_summary():
    summary = hostile_verdict().summary
    assert "<script" not in summary and "<img" not in summary
    assert summary.count("<!--") == 1  # only the engine's own marker
    assert "](javascript" not in summary and "![x](" not in summary
    assert "\u202e" not in summary  # no bidirectional overrides
    # every @ is either inside a code span or broken by a zero-width joiner
    outside_code = re.sub(r"`[^`\n]*`", "", summary)
    assert re.search(r"@(?!\u200d)", outside_code) is None
    assert re.search(r"#(?!\u200d)\d", outside_code) is None
    # the objections table keeps four cells per row
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    assert len(rows) == 3  # header and two objections
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row


def test_hostile_text_survives_as_readable_text():
    summary = hostile_verdict().summary
    assert "&lt;script&gt;" in summary
    assert "bad \\| idea" in summary


def test_engine_reads_no_files_and_no_clock(monkeypatch):
    import builtins
    import os

    def refuse(*args, **kwargs):
        raise AssertionError("the engine must not do I/O")

    class NoClock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            refuse()

        @classmethod
        def utcnow(cls):
            refuse()

    class NoToday(datetime.date):
        @classmethod
        def today(cls):
            refuse()

    facts = busy_facts()
    decide(facts)  # warm imports
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(os, "listdir", refuse)
    monkeypatch.setattr(os, "stat", refuse)
    monkeypatch.setattr(datetime, "datetime", NoClock)
    monkeypatch.setattr(datetime, "date", NoToday)
    verdict = decide(busy_facts())
    assert not verdict.passed and verdict.summary


# -- any input: a verdict, never a traceback -----------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PEOPLE = ["alice", "Bob", "carol", "dan", "zed", "lead", ""]
FRAGMENTS = [
    "/pep object x",
    "/PEP help",
    "/pep resolve O-1",
    "/pep resolve R-2",
    "/pep resolve o-3-2",
    "/pep final-call accept ok",
    "/pep final-call decline",
    "/pep",
    "> /pep object q",
    "```",
    "~~~",
    "<!--",
    "-->",
    "text @everyone <b>|</b>",
    "\r",
    "",
]
STATUSES = ["Draft", "Under Review", "Accepted", "Declined", "Withdrawn", "Implementing", "", "Bogus"]


@st.composite
def random_facts(draw):
    comments = [
        Comment(
            number + 1,
            draw(st.sampled_from(PEOPLE)),
            "\n".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=6))),
            at(draw(st.integers(0, 30))),
            draw(st.sampled_from([None, at(31), "not a date"])),
        )
        for number in range(draw(st.integers(0, 6)))
    ]
    reviews = [
        Review(
            number + 1,
            draw(st.sampled_from(PEOPLE)),
            draw(st.sampled_from(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"])),
            draw(st.sampled_from([at(draw(st.integers(0, 30))), "", "garbage"])),
        )
        for number in range(draw(st.integers(0, 6)))
    ]
    base = draw(st.sampled_from([None, b"", b"\xff", pep(status=draw(st.sampled_from(STATUSES)))]))
    head = draw(
        st.sampled_from(
            [None, b"\x00", pep(status=draw(st.sampled_from(STATUSES)), sections=draw(st.sampled_from([(), DECISION])))]
        )
    )
    changes = [] if base is None and head is None else [FileChange(PATH, base, head)]
    return make(
        changes,
        reviews=reviews,
        comments=comments,
        title=draw(st.sampled_from(["PEP-0042: x", "", "PEP-0001: y"])),
        draft=draw(st.booleans()),
        open_pr_numbers=draw(st.sampled_from([None, {3: {42}}, {30: {42}}])),
        now_day=draw(st.integers(0, 40)),
    )


@settings(max_examples=150, deadline=None)
@given(random_facts())
def test_any_facts_give_a_consistent_verdict(facts):
    verdict = decide(facts)
    assert verdict.passed == (not verdict.blocking)
    assert decide(facts).summary == verdict.summary
    assert parse_commands(verdict.summary) == []
    assert all(parse_commands(a.body) == [] for a in verdict.answers)
    assert len({a.key for a in verdict.answers}) == len(verdict.answers)
    json.dumps(verdict.to_json())
