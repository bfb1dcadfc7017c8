"""The project lead's final call (pepctl.review.finalcall): it settles a disagreement once the PEP
has been reviewed, on the one PEP it decides, and binds no other."""

from __future__ import annotations

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import FileChange, decide, parse_commands

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    answer_for,
    approve,
    codes,
    comment,
    edited,
    make,
    moved,
    pep,
    request_changes,
    review_comment,
    reviewed,
)

OTHER = "docs/peps/PEP-0043-other.md"
ACCEPTED = moved("Under Review", "Accepted", sections=DECISION)


def other(status="Accepted", **fields):
    """PEP-0043, Under Review on the base, ``status`` at head."""
    return FileChange(OTHER, pep(number=43, title="Other"),
                      pep(number=43, title="Other", status=status, sections=DECISION, **fields))


# -- 2. it settles a disagreement; it does not replace review -------------------------------------
# (id, reviews, comments before the call (day 1), whether the call counts)

RIPE = [
    ("no-review", [], [], False),
    ("one-maintainer-reviewed", [review_comment("alice", 1)], [], False),
    ("two-maintainers-reviewed", [review_comment("alice", 1), request_changes("bob", 1)], [], True),
    ("any-review-state", [approve("alice", 1), review_comment("bob", 1)], [], True),
    ("comments-count", [], [comment("alice", "Looks heavy.", 1), comment("bob", "Agreed.", 1)], True),
    ("the-lead-is-a-maintainer", [review_comment("lead", 1), review_comment("alice", 1)], [], True),
    ("same-maintainer-twice", [review_comment("alice", 1), review_comment("Alice", 1.5)], [], False),
    ("pep-author-does-not-count", [review_comment("dan", 1), review_comment("alice", 1)], [], False),
    ("community-does-not-count", [review_comment("zed", 1), review_comment("alice", 1)], [], False),
    ("commands-only-are-not-review", [], [comment("alice", "Hmm.", 1), comment("bob", "/pep help", 1)], False),
    ("reviews-after-the-call-do-not-count", [review_comment("alice", 3), review_comment("bob", 3)], [], False),
    # or a disagreement to settle: an objection open as the call is made
    ("open-objection", [], [comment("zed", "/pep object no", 1)], True),
    ("open-change-request", [request_changes("zed", 1)], [], True),
    ("objection-resolved-before-the-call", [], [comment("zed", "/pep object no", 1, id=9001),
                                                comment("zed", "/pep resolve O-9001", 1.5)], False),
    ("objection-resolved-after-the-call", [], [comment("zed", "/pep object no", 1, id=9002),
                                               comment("zed", "/pep resolve O-9002", 3)], True),
    ("the-leads-own-objection-is-no-disagreement", [], [comment("lead", "/pep object hmm", 1)], False),
]


@pytest.mark.parametrize("name, reviews, comments, counts", RIPE, ids=[r[0] for r in RIPE])
def test_a_final_call_counts_once_the_pep_was_reviewed_or_an_objection_is_open(name, reviews, comments, counts):
    call = comment("lead", ACCEPT_CALL, 2, id=9100)
    verdict = decide(make([ACCEPTED], reviews, [*comments, call]))
    assert (verdict.final_call is not None) is counts, verdict.answers
    answers = answer_for(verdict, 9100)
    if counts:
        assert verdict.passed, verdict.reasons
        assert answers == []
    else:
        assert codes(verdict)[0] == "R007"
        [answer] = answers
        assert "does not apply yet" in answer.text and "more needed" in answer.text


def test_the_answer_says_who_reviewed_and_how_many_are_missing():
    verdict = decide(make([ACCEPTED], [review_comment("alice", 1)], [comment("lead", ACCEPT_CALL, 2, id=9100)]))
    [answer] = answer_for(verdict, 9100)
    assert answer.text.startswith("@lead, this final call on PEP-0042 does not apply yet: PEP-0000 asks at least 2 maintainers")
    assert "before this call: 1 (`@alice`); 1 more needed" in answer.text
    assert parse_commands(answer.body) == []
    three = Policy(Config({"maintainers": ["alice", "bob", "carol"], "project-lead": "lead", "required-approvals": 3}))
    verdict = decide(make([ACCEPTED], [], [comment("lead", ACCEPT_CALL, 2, id=9100)], policy=three))
    assert "before this call: none; 3 more needed" in answer_for(verdict, 9100)[0].text


def test_the_call_posted_again_after_review_counts():
    verdict = decide(make([ACCEPTED], reviewed(3), [comment("lead", ACCEPT_CALL, 2, id=9100),
                                                     comment("lead", ACCEPT_CALL, 4, id=9101)]))
    assert verdict.passed and verdict.final_call.comment_id == 9101
    assert [a.comment_id for a in verdict.answers] == [9100]


# -- 5. it decides one PEP and binds no other --------------------------------------------------------


def test_the_call_decides_the_only_pep_the_pr_decides_beside_a_typo_fix():
    typo = edited(pep(number=43, title="Other"), pep(number=43, title="Other things"), OTHER)
    verdict = decide(make([ACCEPTED, typo], reviewed(), [comment("lead", ACCEPT_CALL, 2)]))
    assert verdict.passed, verdict.reasons
    assert [c.pep for c in verdict.final_calls] == ["PEP-0042"]
    assert "**Final call on PEP-0042:** accept by `@lead`" in verdict.summary


def test_with_several_decisions_the_call_must_name_one():
    verdict = decide(make([ACCEPTED, other()], reviewed(), [comment("lead", ACCEPT_CALL, 2, id=9100)]))
    assert verdict.final_calls == []
    [answer] = answer_for(verdict, 9100)
    assert "changes several PEPs (PEP-0042, PEP-0043)" in answer.text
    assert "`/pep final-call accept PEP-0042 <rationale>`" in answer.text


def test_a_named_call_decides_its_pep_only():
    call = comment("lead", "/pep final-call accept PEP-0043 worth it", 2)
    verdict = decide(make([ACCEPTED, other()], reviewed(), [call]))
    assert [(c.pep, c.rationale) for c in verdict.final_calls] == [("PEP-0043", "worth it")]
    assert [(r.code, r.number) for r in verdict.blocking] == [("R007", 42)]  # PEP-0042 still needs its approvals


def test_calls_on_two_peps_each_decide_their_own():
    calls = [comment("lead", "/pep final-call accept PEP-0042 good", 2), comment("lead", "/pep final-call decline pep-43: no", 2.5)]
    verdict = decide(make([ACCEPTED, other("Declined")], reviewed(), calls))
    assert verdict.passed, verdict.reasons
    assert [(c.pep, c.decision) for c in verdict.final_calls] == [("PEP-0042", "accept"), ("PEP-0043", "decline")]


def test_a_call_overrules_objections_only_for_its_pep():
    comments = [comment("zed", "/pep object too early", 1, id=9001), comment("lead", "/pep final-call accept PEP-0043 fine", 2)]
    verdict = decide(make([ACCEPTED, other()], [approve("alice"), approve("bob")], comments))
    assert [(r.code, r.number) for r in verdict.blocking] == [("R008", 42)]
    [objection] = verdict.objections
    assert (objection.state, objection.overruled_for) == ("open", ["PEP-0043"])
    assert "| open (overruled for PEP-0043 only) |" in verdict.summary
    # one more call on PEP-0042 overrules it everywhere
    more = decide(make([ACCEPTED, other()], [approve("alice"), approve("bob")],
                       [*comments, comment("lead", "/pep final-call accept PEP-0042 fine too", 3)]))
    assert more.passed and more.objections[0].state == "overruled"


@pytest.mark.parametrize("line, why", [
    ("/pep final-call accept PEP-0099 nope", "PEP-0099 is not a PEP this pull request can decide (it can decide PEP-0042)"),
    ("/pep final-call accept PEP-0042", "needs its rationale"),
])
def test_a_call_naming_no_pep_of_the_pr_is_answered(line, why):
    verdict = decide(make([ACCEPTED], reviewed(), [comment("lead", line, 2, id=9100)]))
    assert verdict.final_calls == []
    assert why in answer_for(verdict, 9100)[0].text


def test_a_pr_that_only_adds_a_pep_has_nothing_to_call():
    added = FileChange("docs/peps/PEP-0044-new.md", None, pep(number=44, title="New"))
    verdict = decide(make([added], reviewed(), [comment("lead", ACCEPT_CALL, 2, id=9100)], title="PEP-0044: New"))
    assert verdict.final_calls == []
    assert "has no PEP to decide" in answer_for(verdict, 9100)[0].text


@pytest.mark.parametrize("text, pep_number, rationale", [
    ("/pep final-call accept PEP-0042 because", 42, "because"),
    ("/pep final-call accept pep-42: because", 42, "because"),
    ("/pep final-call Decline PEP42, because so", 42, "because so"),
    ("/pep final-call accept because PEP-0042 is fine", None, "because PEP-0042 is fine"),
])
def test_final_call_names_its_pep(text, pep_number, rationale):
    [command] = parse_commands(text)
    assert (command.pep, command.arg, command.problem) == (pep_number, rationale, "")



@pytest.mark.parametrize("first", ["/pep final-call maybe later", None])
def test_a_call_that_does_not_count_does_not_hide_a_later_one(first):
    # a malformed call by the lead, or a call by someone who is not the lead, then the lead's own
    early = comment("lead", first, 1.5, id=9099) if first else comment("alice", ACCEPT_CALL, 1.5, id=9099)
    verdict = decide(make([ACCEPTED], reviewed(1), [early, comment("lead", ACCEPT_CALL, 2, id=9100)]))
    assert verdict.final_call is not None and verdict.final_call.comment_id == 9100
    assert [a.comment_id for a in verdict.answers] == [9099]


def test_the_leads_own_objection_does_not_hide_another_open_one():
    comments = [comment("lead", "/pep object hmm", 1, id=1), comment("amy", "/pep object no", 1, id=2),
                comment("lead", ACCEPT_CALL, 2, id=9100)]
    verdict = decide(make([ACCEPTED], [], comments))
    assert verdict.final_call is not None, verdict.answers


def test_objections_the_call_ignores_do_not_hide_an_open_one_behind_them():
    call = comment("lead", ACCEPT_CALL, 2, id=9100)
    # one resolved before the call, then one still open: the call settles a disagreement
    resolved_first = [comment("zed", "/pep object no", 1, id=1), comment("zed", "/pep resolve O-1", 1.5, id=2),
                      comment("amy", "/pep object slow", 1.2, id=3), call]
    assert decide(make([ACCEPTED], [], resolved_first)).final_call is not None
    # one raised after the call (a comment), then a change request from before it
    raised_after = [comment("zed", "/pep object too late", 3, id=1), call]
    assert decide(make([ACCEPTED], [request_changes("amy", 1)], raised_after)).final_call is not None
    # a change request after the call, then a comment objection from before it
    before = [comment("zed", "/pep object no", 1, id=1), call]
    assert decide(make([ACCEPTED], [request_changes("amy", 3)], before)).final_call is not None


def test_the_latest_call_wins_by_time_not_by_id():
    # a call in a comment (id 500, day 2), then one in the lead's review text (id 10, day 3)
    comments = [comment("lead", "/pep final-call accept first thoughts", 2, id=500)]
    reviews = [*reviewed(1), review_comment("lead", 3, id=10, body="/pep final-call accept second thoughts")]
    verdict = decide(make([ACCEPTED], reviews, comments))
    assert verdict.final_call is not None and verdict.final_call.rationale == "second thoughts"
