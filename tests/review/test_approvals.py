"""Approvals as PEP-0000 counts them (pepctl.review.reviews): what the maintainer saw, per PEP, the
project lead among the maintainers; and dismissed reviews, which end no objection but their
raiser's."""

from __future__ import annotations

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import FileChange, decide
from pepctl.review.facts import Dismissal
from pepctl.review.reviews import snapshots_wanted

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    HEAD,
    OLD,
    OLDER,
    PATH,
    approve,
    at,
    codes,
    comment,
    counted,
    dismissal,
    dismissed,
    edited,
    make,
    moved,
    not_counted,
    pep,
    request_changes,
)

OTHER = "docs/peps/PEP-0043-other.md"
ACCEPT = moved("Under Review", "Accepted")
FILE_SCOPE = Policy(Config({"maintainers": ["alice", "bob", "carol", "mallory"], "project-lead": "lead",
                            "approval-scope": "file"}))


def at_old(status, **fields):
    """Snapshots: the PEP at the OLD commit, with this status."""
    return {(OLD, PATH): pep(status=status, **fields)}


# -- 1. an approval approves what the maintainer saw ----------------------------------------------
# (id, facts, counted, (login, why) not counted, blocking codes)

STALE = [
    ("on-head", lambda: make([ACCEPT], [approve("alice", commit=HEAD), approve("bob", commit=HEAD)], head=HEAD),
     ["alice", "bob"], [], []),
    ("older-commit-same-status", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)],
                                              head=HEAD, snapshots=at_old("Accepted")),
     ["alice", "bob"], [], []),
    ("given-while-declined", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)],
                                          head=HEAD, snapshots=at_old("Declined")),
     ["bob"], [("alice", "given on bbbbbbb when PEP-0042 was Declined")], ["R007"]),
    ("given-while-under-review", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=OLD)],
                                              head=HEAD, snapshots=at_old("Under Review")),
     [], [("alice", "given on bbbbbbb when PEP-0042 was Under Review"),
          ("bob", "given on bbbbbbb when PEP-0042 was Under Review")], ["R007"]),
    ("status-spelt-differently-is-the-same", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)],
                                                          head=HEAD, snapshots=at_old("accepted")),
     ["alice", "bob"], [], []),
    ("commit-not-read", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD),
     ["bob"], [("alice", "given on bbbbbbb, where PEP-0042 could not be read")], ["R007"]),
    ("commit-gone-404", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD,
                                     snapshots={(OLD, PATH): None}),
     ["bob"], [("alice", "given on bbbbbbb, where PEP-0042 could not be read")], ["R007"]),
    ("unreadable-at-that-commit", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)],
                                               head=HEAD, snapshots={(OLD, PATH): b"\x00\x01binary"}),
     ["bob"], [("alice", "given on bbbbbbb, where PEP-0042 could not be read")], ["R007"]),
    ("no-commit-id", lambda: make([ACCEPT], [approve("alice"), approve("bob", commit=HEAD)], head=HEAD),
     ["bob"], [("alice", "given on an unknown commit")], ["R007"]),
    ("approved-again-on-head", lambda: make([ACCEPT], [approve("alice", 1, commit=OLD), approve("alice", 2, commit=HEAD),
                                                       approve("bob", commit=HEAD)], head=HEAD, snapshots=at_old("Declined")),
     ["alice", "bob"], [], []),
    ("decline-approved-while-accepted", lambda: make([moved("Under Review", "Declined", sections=DECISION)],
                                                     [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD,
                                                     snapshots=at_old("Accepted")),
     ["bob"], [("alice", "given on bbbbbbb when PEP-0042 was Accepted")], ["R007"]),
    ("renamed-read-at-its-old-path", lambda: make(
        [FileChange("docs/peps/PEP-0042-caching.md", pep(), pep(status="Accepted"), previous_path=PATH)],
        [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD, snapshots=at_old("Accepted")),
     ["alice", "bob"], [], []),
    # no decision: nothing to compare (an approval of a typo fix is code review)
    ("no-decision-no-check", lambda: make([edited(pep(), pep(title="Cache more"))], [approve("alice", commit=OLD)], head=HEAD),
     ["alice"], [], []),
    # facts that do not know the head commit cannot compare (hand-built facts)
    ("head-unknown", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=OLD)]),
     ["alice", "bob"], [], []),
    # approval-scope = "file": any change to the PEP file voids it
    ("file-scope-changed", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD,
                                        snapshots=at_old("Accepted", title="Cache"), policy=FILE_SCOPE),
     ["bob"], [("alice", "given on bbbbbbb; PEP-0042 changed since")], ["R007"]),
    ("file-scope-same-bytes", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD,
                                           snapshots=at_old("Accepted"), policy=FILE_SCOPE),
     ["alice", "bob"], [], []),
    ("status-scope-text-changed", lambda: make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)],
                                               head=HEAD, snapshots=at_old("Accepted", title="Cache")),
     ["alice", "bob"], [], []),
]


@pytest.mark.parametrize("name, build, have, skipped, blocking", STALE, ids=[s[0] for s in STALE])
def test_an_approval_approves_what_the_maintainer_saw(name, build, have, skipped, blocking):
    verdict = decide(build())
    assert counted(verdict, verdict.approvals[0].pep) == have
    assert not_counted(verdict, verdict.approvals[0].pep) == skipped
    assert codes(verdict) == blocking, verdict.reasons


def test_a_stale_approval_is_shown_with_why_in_the_summary_and_the_reason():
    verdict = decide(make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD,
                          snapshots=at_old("Declined <b>@carol</b>")))
    assert "not counted: `@alice` (given on bbbbbbb when PEP-0042 was Declined &lt;b&gt;@\u200dcarol&lt;/b&gt;)" in verdict.summary
    [reason] = verdict.blocking
    assert "@alice (given on bbbbbbb when PEP-0042 was Declined <b>@carol</b>)" in reason.message


def test_an_unknown_approval_scope_is_read_as_the_stricter_file_scope():
    odd = Policy(Config({"maintainers": ["alice", "bob"], "approval-scope": "Files"}))
    verdict = decide(make([ACCEPT], [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD,
                          snapshots=at_old("Accepted", title="Cache"), policy=odd))
    assert not_counted(verdict) == [("alice", "given on bbbbbbb; PEP-0042 changed since")]


# -- what the adapter must read -----------------------------------------------------------------


def test_snapshots_wanted_are_only_the_approvals_that_would_count_at_older_commits():
    facts = make(
        [FileChange("docs/peps/PEP-0042-caching.md", pep(), pep(status="Accepted"), previous_path=PATH),
         edited(pep(number=43, title="Other"), pep(number=43, title="Other things"), OTHER)],
        reviews=[
            approve("alice", commit=OLD), approve("bob", commit=OLD),  # one commit, read once
            approve("carol", commit=HEAD),  # on head: nothing to read
            approve("zed", commit=OLDER),  # not a maintainer
            approve("dan", commit=OLDER),  # the PEP's author
            request_changes("mallory", commit=OLDER),  # not an approval
            approve("lead"),  # no commit id: not counted, nothing to read
        ],
        head=HEAD,
    )
    assert snapshots_wanted(facts) == [(OLD, ("docs/peps/PEP-0042-caching.md", PATH))]


def test_snapshots_wanted_is_empty_without_a_decision_or_a_known_head():
    typo = make([edited(pep(), pep(title="Cache more"))], [approve("alice", commit=OLD)], head=HEAD)
    unknown_head = make([ACCEPT], [approve("alice", commit=OLD)])
    assert snapshots_wanted(typo) == [] and snapshots_wanted(unknown_head) == []


def test_snapshots_wanted_for_approvals_of_a_decided_peps_text():
    amended = make([edited(pep(status="Accepted"), pep(status="Accepted", title="Cache more"))],
                   [approve("alice", commit=OLD), approve("bob", commit=HEAD)], head=HEAD)
    assert snapshots_wanted(amended) == [(OLD, (PATH,))]


# -- 3. a dismissal ends no objection but its raiser's --------------------------------------------


def _dismissed_change_request(actor, then=(), **extra):
    review = dismissed("alice", 1, id=71)
    return make([moved("Under Review", "Accepted", sections=DECISION)],
                [review, approve("bob", 1), approve("carol", 1), *then],
                dismissals=[dismissal(review, actor, 2)], **extra)


@pytest.mark.parametrize("actor", ["bob", "dan", "", "github-actions[bot]"])
def test_a_change_request_dismissed_by_someone_else_stays_open(actor):
    verdict = decide(_dismissed_change_request(actor))
    assert codes(verdict) == ["R008"]
    [objection] = verdict.objections
    assert (objection.id, objection.raiser, objection.state) == ("R-71", "alice", "open")
    assert objection.dismissed_by == (actor or "(unknown)")
    assert "does not resolve it" in verdict.blocking[0].message
    assert "which does not resolve it" in verdict.summary


def test_a_change_request_dismissed_by_its_raiser_is_resolved():
    verdict = decide(_dismissed_change_request("Alice"))
    assert verdict.passed, verdict.reasons
    [objection] = verdict.objections
    assert (objection.state, objection.resolved_by, objection.how) == ("resolved", "alice", "review dismissed by its raiser")


def test_a_dismissed_change_request_ends_by_a_new_approval_from_its_raiser():
    verdict = decide(_dismissed_change_request("bob", then=[approve("alice", 3)]))
    assert verdict.passed, verdict.reasons
    assert verdict.objections == [] and counted(verdict) == ["alice", "bob", "carol"]


def test_a_dismissed_change_request_ends_by_its_raisers_resolve():
    facts = _dismissed_change_request("bob")
    verdict = decide(make(facts.changes, facts.reviews, [comment("alice", "/pep resolve R-71", 3)],
                          dismissals=facts.dismissals))
    assert verdict.passed, verdict.reasons
    assert [(o.state, o.how) for o in verdict.objections] == [("resolved", "resolve command")]


def test_a_dismissed_change_request_is_overruled_by_the_lead():
    review = dismissed("alice", 1, id=71)
    facts = make([moved("Under Review", "Accepted", sections=DECISION)], [review],
                 comments=[comment("lead", ACCEPT_CALL, 3)], dismissals=[dismissal(review, "bob", 2)])
    verdict = decide(facts)
    assert verdict.passed, verdict.reasons
    assert [(o.id, o.state, o.how) for o in verdict.objections] == [("R-71", "overruled", "final call")]


def test_a_dismissed_approval_is_no_approval_and_no_objection():
    review = dismissed("alice", 1, id=72)
    verdict = decide(make([ACCEPT], [review, approve("bob")], dismissals=[dismissal(review, "bob", 2, "APPROVED")]))
    assert codes(verdict) == ["R007"] and verdict.objections == []
    assert not_counted(verdict) == [("alice", "review dismissed")]


def test_a_dismissed_review_without_its_record_stands_as_a_change_request():
    verdict = decide(make([ACCEPT], [dismissed("alice", 1, id=73), approve("bob"), approve("carol")]))
    assert codes(verdict) == ["R008"]
    [objection] = verdict.objections
    assert objection.id == "R-73" and "could not be read" in objection.reason
    assert decide(make([ACCEPT], [dismissed("alice", 1, id=73), approve("bob"), approve("carol"),
                                  approve("alice", 3)])).passed  # her new approval ends it


def test_the_latest_dismissal_of_a_review_counts():
    review = dismissed("alice", 1, id=74)
    records = [Dismissal(74, "alice", at(3), "CHANGES_REQUESTED"), Dismissal(74, "bob", at(2), "CHANGES_REQUESTED")]
    verdict = decide(make([ACCEPT], [review, approve("bob"), approve("carol")], dismissals=records))
    assert verdict.passed and verdict.objections[0].how == "review dismissed by its raiser"


# -- 10. the lead is a maintainer; anyone may object -----------------------------------------------


def test_the_lead_approves_like_a_maintainer_whether_listed_or_not():
    verdict = decide(make([ACCEPT], [approve("lead"), approve("alice")]))
    assert verdict.passed and counted(verdict) == ["alice", "lead"]
    listed = Policy(Config({"maintainers": ["alice", "lead"], "project-lead": "lead"}))
    assert counted(decide(make([ACCEPT], [approve("lead"), approve("alice")], policy=listed))) == ["alice", "lead"]


def test_a_lead_without_maintainers_is_not_told_that_no_maintainers_are_configured():
    only_lead = Policy(Config({"project-lead": "lead"}))
    verdict = decide(make([ACCEPT], [approve("lead")], policy=only_lead))
    [reason] = verdict.blocking
    assert "no maintainers are configured" not in reason.message and "it has 1 (@lead)" in reason.message


def test_a_community_members_change_request_is_resolved_like_their_objection():
    reviews = [request_changes("zed", 1, id=81), approve("alice", 1), approve("bob", 1)]
    assert codes(decide(make([ACCEPT], reviews))) == ["R008"]
    assert decide(make([ACCEPT], reviews, [comment("zed", "/pep resolve R-81", 2)])).passed
    assert decide(make([ACCEPT], reviews + [approve("zed", 2)])).passed


# -- 5. approvals per PEP -------------------------------------------------------------------------


def test_an_author_of_one_pep_approves_another():
    facts = make(
        [ACCEPT, edited(pep(number=43, title="Other", authors="Alice (@alice)"),
                        pep(number=43, title="Other things", authors="Alice (@alice)"), OTHER)],
        [approve("alice"), approve("bob")],
    )
    verdict = decide(facts)
    assert verdict.passed, verdict.reasons
    assert counted(verdict, "PEP-0042") == ["alice", "bob"]
    assert (counted(verdict, "PEP-0043"), not_counted(verdict, "PEP-0043")) == (["bob"], [("alice", "a PEP author")])
    assert "- PEP-0042: 2/2 maintainers (`@alice`, `@bob`)" in verdict.summary
    assert "- PEP-0043: 1/2 maintainers (`@bob`); not counted: `@alice` (a PEP author)" in verdict.summary


def test_approvals_of_two_decisions_are_counted_apart():
    decline = FileChange(OTHER, pep(number=43, title="Other"),
                         pep(number=43, title="Other", status="Declined", authors="Bob (@bob)", sections=DECISION))
    assert decide(make([ACCEPT, decline], [approve("alice"), approve("bob"), approve("carol")])).passed
    verdict = decide(make([ACCEPT, decline], [approve("alice"), approve("bob")]))
    assert [(r.code, r.number) for r in verdict.blocking] == [("R007", 43)]


def test_a_review_its_author_dismissed_without_saying_what_it_was_is_simply_gone():
    review = dismissed("alice", 1, id=75)
    verdict = decide(make([ACCEPT], [review, approve("bob"), approve("carol")],
                          dismissals=[Dismissal(75, "alice", at(2))]))
    assert verdict.passed and verdict.objections == []


def test_latest_reviews_are_each_persons_last_decisive_review_as_it_stands():
    from pepctl.review.context import Context
    from pepctl.review.facts import Review
    from pepctl.review.reviews import latest_reviews

    reviews = [approve("alice", 1, id=1), Review(2, "alice", "COMMENTED", at(2)),  # a comment changes nothing
               request_changes("Bob", 1, id=3), approve("bob", 2, id=4),
               request_changes("carol", 1, id=5), dismissed("carol", 2, id=6),
               request_changes("zed", 1, id=7), dismissed("zed", 1.5, id=8), approve("amy", 1, id=9), dismissed("amy", 3, id=10)]
    dismissals = [dismissal(dismissed("carol", 2, id=6), "carol"), dismissal(dismissed("zed", 1.5, id=8), "alice"),
                  Dismissal(10, "amy", at(3), "APPROVED")]
    latest = latest_reviews(Context(make([ACCEPT], reviews=reviews, dismissals=dismissals)))
    assert {key: (r.id, r.state) for key, r in latest.items()} == {
        "alice": (1, "APPROVED"),
        "bob": (4, "APPROVED"),
        "carol": (6, "DISMISSED"),  # withdrawn by its author
        "zed": (8, "CHANGES_REQUESTED"),  # dismissed by someone else: it stands
        "amy": (10, "DISMISSED"),  # a dismissed approval
    }
