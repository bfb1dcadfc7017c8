"""decide() (pepctl.review.engine) as a whole: labels, drafts, the index document, JSON, no I/O,
and a consistent verdict for any input."""

from __future__ import annotations

import datetime
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pepctl.review import Comment, FileChange, Review, decide, is_managed_label, parse_commands, snapshots_wanted

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review.facts import Dismissal

from reviewfacts import (
    ACCEPT_CALL,
    DECISION,
    HEAD,
    OLD,
    PATH,
    POLICY,
    added,
    approve,
    at,
    busy_facts,
    comment,
    make,
    moved,
    pep,
    reviewed,
)


# -- labels, drafts, determinism, escaping ------------------------------------------


def test_labels_follow_the_head_status():
    verdict = decide(make([moved("Under Review", "Accepted")], reviews=[approve("alice"), approve("bob")]))
    assert verdict.labels == ["pep: accepted"]
    assert all(is_managed_label(label) for label in verdict.labels)
    assert not is_managed_label("bug")


def test_index_document_does_not_set_labels():
    # the index document changes its Index table only (a process change would need the quorum: R015)
    before = pep(status="Active", number=0, title="Process")
    row = b"| [0042](PEP-0042-cache-things.md) | Cache things | Accepted | Dan (@dan) |\n"
    index = FileChange("docs/peps/PEP-0000-process.md", before,
                       before + b"\n## Index\n\n| PEP | Title | Status | Author |\n|---|---|---|---|\n" + row)
    verdict = decide(make([moved("Draft", "Under Review"), index]))
    assert verdict.labels == ["pep: under review"]


def test_final_call_ignores_the_index_document():
    # the index document changes its Index table only (a process change would need the quorum: R015)
    before = pep(status="Active", number=0, title="Process")
    row = b"| [0042](PEP-0042-cache-things.md) | Cache things | Accepted | Dan (@dan) |\n"
    index = FileChange("docs/peps/PEP-0000-process.md", before,
                       before + b"\n## Index\n\n| PEP | Title | Status | Author |\n|---|---|---|---|\n" + row)
    facts = make(
        [moved("Under Review", "Accepted", sections=DECISION), index],
        reviews=reviewed(),
        comments=[comment("lead", ACCEPT_CALL, 2)],
    )
    verdict = decide(facts)
    assert verdict.passed, verdict.reasons
    assert [c.pep for c in verdict.final_calls] == ["PEP-0042"]


def test_draft_pull_request_is_informational():
    verdict = decide(make([added(pep(status="Accepted"))], draft=True))
    assert verdict.informational and not verdict.passed
    assert verdict.conclusion == "neutral"
    assert "informational" in verdict.summary
    assert decide(make([added(pep(status="Accepted"))])).conclusion == "failure"


def test_verdict_serialises_to_json():
    data = json.loads(json.dumps(decide(busy_facts()).to_json()))
    assert data["passed"] is False and data["conclusion"] == "failure"
    assert {o["id"] for o in data["objections"]} == {"O-201", "O-202", "R-62"}


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

PEOPLE = ["alice", "Bob", "carol", "dan", "zed", "lead", ""]
FRAGMENTS = [
    "/pep object x",
    "/PEP help",
    "/pep resolve O-1",
    "/pep resolve R-2",
    "/pep resolve o-3-2",
    "/pep final-call accept ok",
    "/pep final-call accept PEP-0042 ok",
    "/pep final-call decline PEP-9",
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
COMMITS = ["", HEAD, OLD, "not a sha"]
FILE_SCOPE = Policy(Config({"maintainers": ["alice", "Bob"], "project-lead": "lead", "approval-scope": "file"}))


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
            draw(st.sampled_from(COMMITS)),
            "\n".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=3))),
        )
        for number in range(draw(st.integers(0, 6)))
    ]
    dismissals = [
        Dismissal(draw(st.integers(1, 6)), draw(st.sampled_from(PEOPLE)), draw(st.sampled_from([at(20), "", "x"])),
                  draw(st.sampled_from(["APPROVED", "changes_requested", "", "odd"])))
        for _ in range(draw(st.integers(0, 3)))
    ]
    snapshots = {(commit, PATH): draw(st.sampled_from([None, b"\xff", pep(status=draw(st.sampled_from(STATUSES)))]))
                 for commit in draw(st.lists(st.sampled_from(COMMITS), max_size=3))}
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
        head=draw(st.sampled_from(["", HEAD])),
        dismissals=dismissals,
        snapshots=snapshots,
        policy=draw(st.sampled_from([POLICY, FILE_SCOPE])),
    )


@settings(max_examples=150, deadline=None)
@given(random_facts())
def test_any_facts_give_a_consistent_verdict(facts):
    verdict = decide(facts)
    assert verdict.passed == (not verdict.blocking)
    assert decide(facts).summary == verdict.summary
    assert len({a.key for a in verdict.answers}) == len(verdict.answers)  # keys never collide
    assert snapshots_wanted(facts) == sorted(set(snapshots_wanted(facts)))
    assert parse_commands(verdict.summary) == []
    assert all(parse_commands(a.body) == [] for a in verdict.answers)
    assert len({a.key for a in verdict.answers}) == len(verdict.answers)
    json.dumps(verdict.to_json())


def test_the_verdict_names_the_project_lead():
    from pepctl.review import decide as decide_
    from reviewfacts import make as make_

    assert decide_(make_([])).project_lead == "lead"


def test_facts_copy_their_lists():
    from pepctl.review import Facts, PullRequest

    facts = Facts(None, PullRequest(1, "t", "a", labels=None), [], reviews=None, comments=(), base_numbers=None,
                  open_pr_numbers=None, dismissals=None, snapshots=None)
    assert (facts.reviews, facts.comments, facts.base_numbers, facts.open_pr_numbers, facts.dismissals, facts.snapshots) == (
        [], [], {}, {}, [], {})
    assert facts.pull.labels == []
    reviews = (1, 2)
    assert Facts(None, PullRequest(1, "t", "a"), [], reviews=reviews).reviews == [1, 2]
