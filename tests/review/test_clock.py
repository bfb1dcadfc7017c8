"""The first-feedback clock (pepctl.review.clock), as decide() runs it."""

from __future__ import annotations

import pytest

from pepctl.review import OVERDUE_LABEL, Review, decide

from reviewfacts import _next_id, at, codes, comment, make, moved


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


def test_first_feedback_names_the_maintainer_without_an_at():
    verdict = decide(make([moved("Draft", "Under Review")], comments=[comment("@Carol", "Reviewed.", 2)], now_day=30))
    assert verdict.first_feedback.first_by == "Carol"


def test_the_clock_needs_a_start():
    from reviewfacts import POLICY, pep
    from pepctl.review import Facts, FileChange, PullRequest

    change = FileChange("docs/peps/PEP-0042-x.md", pep("Draft"), pep("Under Review"))
    facts = Facts(POLICY, PullRequest(10, "PEP-0042: x", "dan", created_at=""), [change], now=at(30))
    info = decide(facts).first_feedback
    assert info.running is False and info.days == 14 and info.entered_at is None


def test_without_a_now_the_clock_runs_but_is_not_overdue():
    import dataclasses

    verdict = decide(dataclasses.replace(make([moved("Draft", "Under Review")]), now=""))
    info = verdict.first_feedback
    assert info.running and info.age_days is None and info.overdue is False and info.due_at == at(14)


def test_age_counts_whole_days_and_never_goes_negative():
    info = decide(make([moved("Draft", "Under Review")], now_day=3.9)).first_feedback
    assert info.age_days == 3
    early = decide(make([moved("Draft", "Under Review")], now_day=-1)).first_feedback
    assert early.age_days == 0 and not early.overdue
