"""Reviews through the whole gate against the HTTP fake GitHub: approvals checked against the commit
they were given on, dismissed change requests, commands in review texts, final calls per PEP, and
what each costs in requests."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("gidgethub")

from fakegithub import PEP_DIR, Workspace, fake_github, pep_text  # noqa: F401  (fixture)

from pepctl.config import Config
from pepctl.github.client import Client
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.gate import gate
from pepctl.github.reads import to_dismissals
from pepctl.policy import Policy

PEP = f"{PEP_DIR}/PEP-0042-cache-things.md"
OTHER = f"{PEP_DIR}/PEP-0043-other.md"
DECISION = [("Decision", "Accepted: the benefits win.")]


def policy(**extra):
    return Policy(Config({"maintainers": ["alice", "bob", "carol"], "project-lead": "lead", **extra}))


def run_gate(ws, number, rules=None, local=True):
    checkout = LocalRepo(str(ws.root), str(ws.root / PEP_DIR)) if local else None

    async def main():
        async with Client(ws.fake.token, ws.fake.url) as gh:
            return await gate(gh, "acme/plano", number, rules or policy(), PepFolder(PEP_DIR), local=checkout)

    return asyncio.run(main())


@pytest.fixture
def ws(fake_github, tmp_path):
    return Workspace(fake_github, tmp_path / "co", files={PEP: pep_text(42, "Under Review"),
                                                          OTHER: pep_text(43, "Under Review", "Other")})


def blocking(done):
    return sorted({r.code for r in done.verdict.blocking})


def summary_of(ws, pull):
    return next(c["body"] for c in ws.repo.issue_comments(pull.number) if "pepctl:review-summary" in c["body"])


def answers_of(ws, pull):
    return [c["body"] for c in ws.repo.issue_comments(pull.number) if "pepctl-answer" in c["body"]]


# -- 1. an approval approves what the maintainer saw ---------------------------------------------


def test_approvals_given_while_the_pr_declined_do_not_accept_after_a_force_push(ws):
    pull = ws.pull({PEP: pep_text(42, "Declined", sections=DECISION)}, title="Decline PEP-0042")
    declined_at = pull.head_sha
    ws.repo.add_review(pull.number, "alice", "APPROVED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.push(pull.number, {PEP: pep_text(42, "Accepted", sections=DECISION)}, force=True)
    ws.fake.reset_log()

    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R007"]
    short = declined_at[:7]
    [approvals] = done.verdict.approvals
    assert approvals.not_counted == [("alice", f"given on {short} when PEP-0042 was Declined"),
                                     ("bob", f"given on {short} when PEP-0042 was Declined")]
    assert f"`@alice` (given on {short} when PEP-0042 was Declined)" in summary_of(ws, pull)
    # both approvals were given on one commit the checkout lacks: one Contents API request
    assert ws.fake.count("GET", r"/contents/") == 1

    ws.repo.add_review(pull.number, "alice", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    ws.fake.reset_log()
    done = run_gate(ws, pull.number)
    assert done.verdict.passed, done.verdict.reasons
    assert done.verdict.approvals[0].counted == ["alice", "carol"]
    assert ws.fake.count("GET", r"/contents/") == 1  # bob's is still on the old commit


def test_an_approval_survives_a_push_that_keeps_the_status(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    ws.repo.add_review(pull.number, "alice", "APPROVED")
    ws.repo.push(pull.number, {PEP: pep_text(42, "Accepted", "Cache things well", sections=DECISION)})
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    assert run_gate(ws, pull.number).verdict.passed
    # approval-scope = "file": a change to the PEP after her approval voids it
    done = run_gate(ws, pull.number, policy(**{"approval-scope": "file"}))
    assert blocking(done) == ["R007"]
    assert done.verdict.approvals[0].not_counted[0][1].endswith("; PEP-0042 changed since")


def test_an_approval_on_a_commit_github_no_longer_has_is_not_counted(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    ws.repo.add_review(pull.number, "alice", "APPROVED", commit_id="f" * 40)
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.fake.reset_log()
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R007"]
    assert done.verdict.approvals[0].not_counted == [("alice", "given on fffffff, where PEP-0042 could not be read")]
    assert ws.fake.count("GET", r"/contents/", status=404) == 1


def test_an_approval_without_a_commit_and_odd_review_fields_do_not_break_the_gate(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    ws.repo.add_review(pull.number, "alice", "APPROVED")["commit_id"] = None
    ws.repo.add_review(pull.number, "bob", "APPROVED")["body"] = None
    ws.repo.add_review(pull.number, "carol", "APPROVED")["submitted_at"] = None  # not submitted: ignored
    done = run_gate(ws, pull.number)
    assert done.verdict.approvals[0].counted == ["bob"]
    assert done.verdict.approvals[0].not_counted == [("alice", "given on an unknown commit")]


def test_the_pep_at_a_review_commit_comes_from_the_checkout_when_it_has_it(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    ws.repo.add_review(pull.number, "alice", "APPROVED", commit_id=ws.base)  # a commit the checkout has
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.fake.reset_log()
    done = run_gate(ws, pull.number)
    assert done.verdict.approvals[0].not_counted == [("alice", f"given on {ws.base[:7]} when PEP-0042 was Under Review")]
    assert ws.fake.count("GET", r"/contents/") == 0


# -- 3. a dismissed change request stands until its raiser ends it -----------------------------------


def test_a_change_request_dismissed_by_someone_else_still_blocks(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    objection = ws.repo.add_review(pull.number, "alice", "CHANGES_REQUESTED", body="Too much memory.")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    ws.repo.dismiss_review(pull.number, objection, "dan", "outdated")
    ws.fake.reset_log()

    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R008"]
    [found] = done.verdict.objections
    assert (found.id, found.state, found.dismissed_by) == (f"R-{objection['id']}", "open", "dan")
    assert ws.fake.count("GET", r"/issues/\d+/events$") == 1

    ws.repo.add_review(pull.number, "alice", "APPROVED")  # her new approval ends it
    assert run_gate(ws, pull.number).verdict.passed


def test_a_change_request_dismissed_by_its_raiser_is_resolved(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    objection = ws.repo.add_review(pull.number, "alice", "CHANGES_REQUESTED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    ws.repo.dismiss_review(pull.number, objection, "alice")
    done = run_gate(ws, pull.number)
    assert done.verdict.passed, done.verdict.reasons
    assert [(o.state, o.how) for o in done.verdict.objections] == [("resolved", "review dismissed by its raiser")]


def test_malformed_dismissal_events_are_skipped_and_their_review_stands(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    objection = ws.repo.add_review(pull.number, "alice", "CHANGES_REQUESTED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    objection["state"] = "DISMISSED"
    ws.repo.add_event(pull.number, "review_dismissed", "alice", dismissed_review={"state": "changes_requested"})
    ws.repo.add_event(pull.number, "review_dismissed", "alice", dismissed_review={"review_id": "x"})
    ws.repo.add_event(pull.number, "review_dismissed", "alice")
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R008"]
    assert "could not be read" in done.verdict.objections[0].reason


def test_unreadable_events_leave_a_note_and_the_review_standing(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    objection = ws.repo.add_review(pull.number, "alice", "CHANGES_REQUESTED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    ws.repo.dismiss_review(pull.number, objection, "alice")
    ws.fake.fail(404, path="/events")
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R008"]
    assert any("events could not be read" in note for note in done.gathered.notes)


def test_to_dismissals_reads_the_documented_shape_and_skips_the_rest():
    events = [
        {"event": "review_dismissed", "actor": {"login": "dan"}, "created_at": "2026-05-02T00:00:00Z",
         "dismissed_review": {"state": "changes_requested", "review_id": 7, "dismissal_message": "old",
                              "dismissal_commit_id": "a" * 40}},
        {"event": "review_dismissed", "actor": None, "dismissed_review": {"review_id": 8}},
        {"event": "review_dismissed", "dismissed_review": {"review_id": True}},
        {"event": "labeled"}, "junk", None,
    ]
    found = to_dismissals(events)
    assert [(d.review_id, d.actor, d.at, d.state, d.message) for d in found] == [
        (7, "dan", "2026-05-02T00:00:00Z", "CHANGES_REQUESTED", "old"), (8, "", "", "", "")]


# -- 4. commands in review texts -----------------------------------------------------------------


def test_commands_in_a_review_text_count_and_are_answered_once(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    review = ws.repo.add_review(pull.number, "zed", "COMMENTED", body="Nice.\n/pep object the cache has no bound\n/pep help")
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R008"]
    assert [o.id for o in done.verdict.objections] == [f"R-{review['id']}-2"]
    [answer] = answers_of(ws, pull)
    assert f"<!-- pepctl-answer review-{review['id']}:3 -->" in answer

    ws.fake.reset_log()
    ws.repo.add_review(pull.number, "zed", "COMMENTED", body=f"/pep resolve R-{review['id']}-2")
    done = run_gate(ws, pull.number)
    assert done.verdict.passed, done.verdict.reasons
    assert len(answers_of(ws, pull)) == 1 and ws.fake.count("POST", r"/issues/\d+/comments$") == 0


# -- 2 and 5. the final call settles a disagreement, on one PEP ------------------------------------


def test_a_final_call_before_any_review_does_not_apply_and_says_why(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION)}, title="Accept PEP-0042")
    ws.repo.add_comment(pull.number, "lead", "/pep final-call accept the benefits win")
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R007"] and done.verdict.final_calls == []
    [answer] = answers_of(ws, pull)
    assert "does not apply yet" in answer and "2 more needed" in answer

    ws.repo.add_comment(pull.number, "alice", "I think this is fine.")
    ws.repo.add_review(pull.number, "bob", "CHANGES_REQUESTED")
    ws.repo.add_review(pull.number, "lead", "COMMENTED", body="/pep final-call accept PEP-0042 the benefits win")
    done = run_gate(ws, pull.number)
    assert done.verdict.passed, done.verdict.reasons
    assert [(c.pep, c.source) for c in done.verdict.final_calls] == [("PEP-0042", "review")]
    assert done.verdict.objections[0].state == "overruled"


def test_a_final_call_on_a_pr_deciding_two_peps_names_one_and_binds_only_it(ws):
    pull = ws.pull({PEP: pep_text(42, "Accepted", sections=DECISION),
                    OTHER: pep_text(43, "Accepted", "Other", sections=DECISION)}, title="Accept two")
    ws.repo.add_comment(pull.number, "zed", "/pep object not yet")
    ws.repo.add_comment(pull.number, "lead", "/pep final-call accept the benefits win")
    done = run_gate(ws, pull.number)
    assert done.verdict.final_calls == []
    assert "name the one this call decides" in answers_of(ws, pull)[0]

    ws.repo.add_comment(pull.number, "lead", "/pep final-call accept PEP-0043 the benefits win")
    done = run_gate(ws, pull.number)
    assert [c.pep for c in done.verdict.final_calls] == ["PEP-0043"]
    assert [(r.code, r.number) for r in done.verdict.blocking] == [("R007", 42), ("R008", 42)]
    [objection] = done.verdict.objections
    assert (objection.state, objection.overruled_for) == ("open", ["PEP-0043"])
