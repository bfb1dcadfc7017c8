"""The review engine at its edges: two things in the same second, a count exactly at its limit.

GitHub's timestamps have one-second resolution, so a comment and a review (or an edit) often
share one. Where the order of two events in the same second decides something, the engine reads
them the way that never lets an objection go away, or a final call apply, on a guess: something
done in the same second as an edit may answer the text before it; a review in the same second as
the call is not "before" it; an approving review in the same second as the objection did not
answer it. Each case is checked at the second itself and one second on either side, so a `<`
written for a `<=` shows. Limits (required approvals, the typo size of a record, the share of an
amendment, the sections a message lists) are checked exactly at the limit and one past it.
"""

from __future__ import annotations

import pytest

from pepctl.review import decide
from pepctl.review.textdiff import quoted

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    answer_for,
    approve,
    codes,
    comment,
    make,
    moved,
    review_comment,
)
from test_process_rules import REWRITE, amend, decided, policy

SECOND = 1 / 86400  # in the days that reviewfacts.at counts
ACCEPTED = moved("Under Review", "Accepted", sections=DECISION)


# -- the first-feedback clock --------------------------------------------------------------------


@pytest.mark.parametrize("offset, counts", [(-SECOND, False), (0, True), (SECOND, True)])
def test_feedback_in_the_second_review_began_counts(offset, counts):
    """The clock starts when the PEP entered review; feedback from that second on stops it."""
    from reviewfacts import at

    since = at(10)
    facts = make([moved("Draft", "Under Review")], comments=[comment("alice", "A first look.", 10 + offset)],
                 since=since, now_day=30)
    info = decide(facts).first_feedback
    assert info.entered_at == since
    assert (info.first_by == "alice") is counts
    assert info.overdue is not counts


# -- the final call: reviews and objections "before" it ------------------------------------------


@pytest.mark.parametrize("offset, applies", [(-SECOND, True), (0, False), (SECOND, False)])
def test_a_review_counts_for_the_call_only_when_made_before_its_second(offset, applies):
    call_day = 2
    reviews = [review_comment("alice", 1), review_comment("bob", call_day + offset)]
    verdict = decide(make([ACCEPTED], reviews, [comment("lead", ACCEPT_CALL, call_day, id=9100)]))
    assert (verdict.final_call is not None) is applies
    assert bool(answer_for(verdict, 9100)) is not applies


@pytest.mark.parametrize("offset, applies", [(-SECOND, False), (0, False), (SECOND, True)])
def test_an_objection_resolved_in_the_second_of_the_call_is_no_longer_open_at_it(offset, applies):
    """Not reviewed enough: the call applies only if an objection is open as it is made."""
    call_day = 2
    comments = [comment("zed", "/pep object no", 1, id=9001), comment("zed", "/pep resolve O-9001", call_day + offset),
                comment("lead", ACCEPT_CALL, call_day, id=9100)]
    verdict = decide(make([ACCEPTED], [review_comment("alice", 1)], comments))
    assert (verdict.final_call is not None) is applies


@pytest.mark.parametrize("offset, applies", [(-SECOND, True), (0, True), (SECOND, False)])
def test_an_objection_raised_in_the_second_of_the_call_is_open_at_it(offset, applies):
    """Not reviewed enough: an objection raised up to the call's second is a disagreement it settles."""
    call_day = 2
    comments = [comment("zed", "/pep object no", call_day + offset), comment("lead", ACCEPT_CALL, call_day, id=9100)]
    verdict = decide(make([ACCEPTED], [review_comment("alice", 1)], comments))
    assert (verdict.final_call is not None) is applies


@pytest.mark.parametrize("offset, overruled", [(-SECOND, True), (0, True), (SECOND, False)])
def test_the_call_overrules_objections_raised_up_to_its_second(offset, overruled):
    call_day = 2
    comments = [comment("zed", "/pep object no", call_day + offset, id=9001), comment("lead", ACCEPT_CALL, call_day, id=9100)]
    verdict = decide(make([ACCEPTED], [review_comment("alice", 1), review_comment("bob", 1)], comments))
    [objection] = verdict.objections
    assert (objection.state == "overruled") is overruled
    assert verdict.passed is overruled


# -- objections: what answers them ---------------------------------------------------------------


@pytest.mark.parametrize("offset, resolved", [(0, False), (SECOND, True)])
def test_an_approving_review_resolves_its_raisers_objection_only_after_it(offset, resolved):
    verdict = decide(make([ACCEPTED], [approve("alice", 1), approve("bob", 1), approve("zed", 1 + offset)],
                          [comment("zed", "/pep object no", 1, id=9001)]))
    [objection] = verdict.objections
    assert (objection.state == "resolved") is resolved
    assert verdict.passed is resolved


@pytest.mark.parametrize("offset, resolved", [(0, False), (SECOND, True)])
def test_a_resolve_in_the_second_of_an_edit_answers_the_text_before_it(offset, resolved):
    edit_day = 2
    comments = [comment("zed", "/pep object slow", 1, id=9001, edited_day=edit_day),
                comment("zed", "/pep resolve O-9001", edit_day + offset, id=9002)]
    verdict = decide(make([ACCEPTED], [approve("alice"), approve("bob")], comments))
    [objection] = verdict.objections
    assert (objection.state == "resolved") is resolved
    answers = answer_for(verdict, 9002)
    assert bool(answers) is not resolved
    if answers:
        assert "was edited after this" in answers[0].text


@pytest.mark.parametrize("offset, overruled", [(0, False), (SECOND, True)])
def test_a_call_in_the_second_of_an_edit_does_not_overrule_the_edited_objection(offset, overruled):
    edit_day = 2
    comments = [comment("zed", "/pep object slow", 1, id=9001, edited_day=edit_day),
                comment("lead", ACCEPT_CALL, edit_day + offset, id=9100)]
    verdict = decide(make([ACCEPTED], [review_comment("alice", 1), review_comment("bob", 1)], comments))
    [objection] = verdict.objections
    assert (objection.state == "overruled") is overruled


@pytest.mark.parametrize("offset, found", [(-SECOND, False), (0, True)])
def test_a_resolve_from_the_second_the_objection_was_raised_finds_it(offset, found):
    comments = [comment("zed", "/pep object slow", 1, id=9001), comment("zed", "/pep resolve O-9001", 1 + offset, id=9002)]
    verdict = decide(make([ACCEPTED], [approve("alice"), approve("bob")], comments))
    [objection] = verdict.objections
    assert (objection.state == "resolved") is found
    assert bool(answer_for(verdict, 9002)) is not found


# -- limits --------------------------------------------------------------------------------------


@pytest.mark.parametrize("needed", [1, 2, 3])
def test_a_decision_needs_exactly_the_configured_approvals(needed):
    maintainers = ["alice", "bob", "carol"]
    rules = policy(**{"maintainers": maintainers, "required-approvals": needed})
    for have in range(len(maintainers) + 1):
        verdict = decide(make([ACCEPTED], [approve(name) for name in maintainers[:have]], policy=rules))
        assert ("R007" in codes(verdict)) is (have < needed), (needed, have)


@pytest.mark.parametrize("limit, design, typo", [
    (1, "An LRU cache of 1,000 entries.", True),  # one character added
    (1, "An LRU cache of 1,0,00 entries.", False),  # two
    (2, "An LRU cache of 1,0,00 entries.", True),
    (0, "An LRU cache of 1000 entries.", True),  # nothing changed in the text
])
def test_a_records_typo_fix_changes_at_most_the_configured_characters(limit, design, typo):
    facts = amend(decided("Declined"), decided("Declined", design=design), reviews=[approve("alice")],
                  policy=policy(**{"record-typo-chars": limit}))
    verdict = decide(facts)
    assert verdict.passed is typo, verdict.reasons
    if not typo:
        [reason] = verdict.reasons
        assert f"at most {limit} characters changed on a line" in reason.message
        assert "changes 2 characters on a line in 'Design'" in reason.message


def test_an_amendment_of_exactly_the_warned_share_warns():
    base = decided()
    head = decided(**REWRITE)
    verdict = decide(amend(base, head, reviews=[approve("alice")]))
    [warning] = [r for r in verdict.reasons if r.severity == "warning"]
    changed, total = (int(n) for n in warning.message.split("changes ")[1].split(" lines")[0].split(" of the "))
    share = 100 * changed / total
    at_limit = decide(amend(base, head, reviews=[approve("alice")], policy=policy(**{"amendment-warn-percent": int(share)})))
    past = decide(amend(base, head, reviews=[approve("alice")], policy=policy(**{"amendment-warn-percent": int(share) + 1})))
    assert share == int(share)  # the scenario's share is a whole number, so the limit can sit exactly on it
    assert codes(at_limit, "warning") == ["R017"]
    assert codes(past, "warning") == []


@pytest.mark.parametrize("count, shown", [
    (3, "'A', 'B', 'C'"),
    (4, "'A', 'B', 'C', 'D'"),
    (5, "'A', 'B', 'C', 'D' and 1 more"),
    (7, "'A', 'B', 'C', 'D' and 3 more"),
])
def test_a_list_of_sections_names_four_then_counts(count, shown):
    assert quoted(list("ABCDEFG")[:count]) == shown

