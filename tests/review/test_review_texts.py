"""Commands count wherever people write them on the pull request: in the text of reviews too, with
answer keys and objection ids that never collide with those of comments."""

from __future__ import annotations

from pepctl.review import decide, parse_commands

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    approve,
    codes,
    comment,
    make,
    moved,
    request_changes,
    review_comment,
    reviewed,
)

ACCEPTED = moved("Under Review", "Accepted", sections=DECISION)


def test_an_objection_in_a_review_text_blocks_and_its_raiser_resolves_it():
    reviews = [approve("alice"), approve("bob"), review_comment("zed", 1, id=500, body="Hmm.\n/pep object unbounded")]
    verdict = decide(make([ACCEPTED], reviews))
    assert codes(verdict) == ["R008"]
    [objection] = verdict.objections
    assert (objection.id, objection.raiser, objection.source, objection.reason) == ("R-500-2", "zed", "review-text", "unbounded")
    assert "`R-500-2`" in verdict.summary
    assert decide(make([ACCEPTED], reviews, [comment("zed", "/pep resolve R-500-2", 2)])).passed
    assert decide(make([ACCEPTED], [*reviews, review_comment("zed", 2, body="/pep resolve R-500-2")])).passed


def test_a_resolve_in_the_review_that_raised_it_does_not_count():
    reviews = [approve("alice"), approve("bob"),
               review_comment("zed", 1, id=501, body="/pep object unbounded\n/pep resolve R-501-2")]
    verdict = decide(make([ACCEPTED], reviews))
    assert codes(verdict) == ["R008"]
    assert "no objection `R-501-2`" in verdict.answers[0].text


def test_a_change_request_text_may_object_once_more():
    verdict = decide(make([ACCEPTED], [request_changes("zed", 1, id=502, body="/pep object also: no TTL")]))
    assert [(o.id, o.source) for o in verdict.objections] == [("R-502", "review"), ("R-502-2", "review-text")]


def test_answers_to_review_texts_have_their_own_keys():
    verdict = decide(make([moved("Draft", "Under Review")], [review_comment("zed", 1, id=600, body="/pep help")],
                          [comment("zed", "/pep help", 2, id=600)]))
    assert [(a.key, a.source, a.comment_id) for a in verdict.answers] == [("review-600:1", "review", 600),
                                                                         ("600:1", "comment", 600)]
    assert verdict.answers[0].body.startswith("<!-- pepctl-answer review-600:1 -->")
    for answer in verdict.answers:
        assert parse_commands(answer.body) == []


def test_the_leads_final_call_in_a_review_text_counts():
    verdict = decide(make([ACCEPTED], [*reviewed(), review_comment("lead", 2, id=700, body=ACCEPT_CALL)]))
    assert verdict.passed, verdict.reasons
    assert (verdict.final_call.source, verdict.final_call.comment_id) == ("review", 700)


def test_a_final_call_in_someone_elses_review_text_is_answered():
    verdict = decide(make([ACCEPTED], [approve("alice", 1, id=701, body=ACCEPT_CALL), approve("bob")]))
    assert verdict.final_calls == [] and verdict.passed
    [answer] = verdict.answers
    assert answer.key == "review-701:1" and "only the project lead" in answer.text


def test_quoted_commands_in_review_texts_do_not_count():
    verdict = decide(make([ACCEPTED], [approve("alice"), approve("bob"),
                                       review_comment("zed", 1, body="> /pep object quoted\n```\n/pep object shown\n```")]))
    assert verdict.passed and verdict.objections == []
