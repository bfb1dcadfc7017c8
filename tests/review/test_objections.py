"""Approvals, objections, the project lead's final call and the answers to commands
(pepctl.review.objections), as decide() counts them."""

from __future__ import annotations

import pytest

from pepctl.review import Review, decide, parse_commands

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    answer_for,
    approve,
    at,
    codes,
    comment,
    counted,
    make,
    moved,
    not_counted,
    request_changes,
    review_comment,
    reviewed,
)


# -- approvals and objections -------------------------------------------------------


def test_approved_then_requested_changes_is_an_objection_not_an_approval():
    first, second = approve("alice", 1, id=11), request_changes("alice", 3, id=12)
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=[first, approve("bob", 1), second]))
    assert counted(verdict) == ["bob"]
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


def test_change_request_from_a_non_maintainer_is_an_objection():
    # Changed deliberately: PEP-0000 §5 asks for "no unresolved objections", and community
    # members are reviewers too, so anyone's change request objects, as their /pep object would.
    reviews = [request_changes("zed", 1, id=33), approve("alice"), approve("bob")]
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=reviews))
    assert codes(verdict) == ["R008"]
    assert [(o.id, o.raiser, o.state) for o in verdict.objections] == [("R-33", "zed", "open")]


def test_pep_author_approval_is_reported_as_not_counted():
    facts = make([moved("Under Review", "Accepted", authors="Alice (@alice)", sponsor="")], reviews=[approve("alice"), approve("bob")])
    verdict = decide(facts)
    assert counted(verdict) == ["bob"]
    assert ("alice", "a PEP author") in not_counted(verdict)
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


# -- the project lead's final call --------------------------------------------------

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
    facts = make([moved("Under Review", "Accepted")], reviews=reviewed(), comments=[comment("lead", ACCEPT_CALL, 2)])
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
        reviews=reviewed(),
        comments=[comment("lead", ACCEPT_CALL, 2), comment("zed", "/pep object one more problem", 3, id=111)],
    )
    verdict = decide(facts)
    assert codes(verdict) == ["R008"]
    assert verdict.objections[0].state == "open"


def test_the_latest_final_call_wins():
    facts = make(
        [moved("Under Review", "Declined", sections=DECISION)],
        reviews=reviewed(),
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


def test_a_comment_of_a_thousand_commands_gets_ten_answers_the_last_saying_how_many_more():
    """One comment must not make the bot answer a thousand times: the first ten commands that need
    an answer are answered, the tenth answer says how many more got none; other comments and
    review texts are bounded each on their own, and the objections of the comment still count."""
    flood = "\n".join(f"/pep resolve nothing-{i}" if i % 2 else "/pep help" for i in range(1000))
    text = "/pep object one\n" + "\n".join(f"/pep bogus-{i}" for i in range(12))
    facts = make([moved("Draft", "Under Review")],
                 reviews=[review_comment("amy", 1.5, id=77, body=text)],
                 comments=[comment("zed", flood, 1, id=300), comment("zed", "/pep object leaks\n/pep bogus", 2, id=301)])
    verdict = decide(facts)
    flooded = [a for a in verdict.answers if a.comment_id == 300]
    assert [a.line for a in flooded] == list(range(1, 11))
    assert "990 more command(s) of this comment needed an answer and got none" in flooded[-1].text
    assert not [a for a in flooded[:-1] if "more command" in a.text]
    assert parse_commands(flooded[-1].body) == []
    review = [a for a in verdict.answers if a.source == "review"]
    assert [a.line for a in review] == list(range(2, 12)) and "2 more command(s) of this review" in review[-1].text
    assert [a.key for a in verdict.answers if a.comment_id == 301] == ["301:2"]
    assert "not recorded" not in " ".join(a.text for a in verdict.answers)
    assert {o.id for o in verdict.objections} == {"O-301", "R-77-2"}


def test_help_text_without_a_greeting_and_mentions():
    from pepctl.review import help_text
    from pepctl.review.objections import mention

    from reviewfacts import POLICY

    text = help_text(POLICY)
    assert text.startswith("PEP process commands (one per line, at the start of a new comment or of a review's text):\n\n- `/pep object")
    assert help_text(POLICY, "@zed").startswith("@zed, these are the PEP process commands")
    assert mention("Xavier") == "@Xavier" and mention("@@xo") == "@xo" and mention("not a login!") == "Hello"


def test_a_refused_or_early_resolve_does_not_hide_a_later_good_one():
    # someone else's resolve (refused), then a resolve before the objection's edit (stale), then the raiser's
    # resolve of another objection: each is answered or applied in turn
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice", 5), approve("bob", 5)],
        comments=[
            comment("zed", "/pep object leaks", 1, id=101, edited_day=3),
            comment("amy", "/pep object slow", 1, id=102),
            comment("alice", "/pep resolve O-102", 2, id=103),
            comment("zed", "/pep resolve O-101", 2.5, id=104),
            comment("amy", "/pep resolve O-102", 4, id=105),
        ],
    )
    verdict = decide(facts)
    states = {o.id: o.state for o in verdict.objections}
    assert states == {"O-101": "open", "O-102": "resolved"}
    assert [a.comment_id for a in verdict.answers] == [103, 104]


def test_an_objection_resolved_first_does_not_hide_a_later_one_settled_by_approval():
    facts = make(
        [moved("Under Review", "Accepted")],
        reviews=[approve("alice", 3), approve("bob", 3)],
        comments=[comment("zed", "/pep object leaks", 1, id=101), comment("zed", "/pep resolve O-101", 2, id=102),
                  comment("bob", "/pep object slow", 1.5, id=103)],
    )
    verdict = decide(facts)
    assert [(o.id, o.state, o.how) for o in verdict.objections] == [
        ("O-101", "resolved", "resolve command"), ("O-103", "resolved", "approving review")]
    assert verdict.passed


def test_long_words_after_pep_and_long_reasons_are_cut_in_answers_and_reasons():
    word = "frobnicate" + "z" * 60
    verdict = decide(make([moved("Under Review", "Accepted")], comments=[comment("zed", f"/pep {word}", 1, id=5)]))
    (answer,) = answer_for(verdict, 5)
    assert f"`/pep` was followed by `{word[:39]}…`, which is not a command" in answer.text
    reason = "leaks " + "q" * 200
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("bob")],
                          comments=[comment("zed", f"/pep object {reason}", 1, id=6)]))
    (blocking,) = [r for r in verdict.reasons if r.code == "R008"]
    assert f"({reason[:119]}…); @zed can post" in blocking.message


def test_objections_are_listed_in_the_order_they_were_raised_whatever_their_ids():
    # a change request on day 1 (review id 5), then an objection comment on day 2 (comment id 900)
    facts = make([moved("Under Review", "Accepted")], reviews=[request_changes("zed", 1, id=5)],
                 comments=[comment("amy", "/pep object slow", 2, id=900)])
    assert [o.id for o in decide(facts).objections] == ["R-5", "O-900"]

