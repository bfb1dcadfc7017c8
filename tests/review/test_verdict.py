"""The verdict's plain data (pepctl.review.verdict): the JSON of `pepctl gate --format json` keeps
its keys, in this order, with None where a value is missing."""

from __future__ import annotations

import json

from pepctl.review import decide
from pepctl.review.verdict import Answer, FirstFeedback, Objection, Reason, is_managed_label, status_label

from reviewfacts import busy_facts


def test_json_keys_are_the_fields_in_order():
    assert list(Reason("R001", "pr-title", "error", "m").to_json()) == [
        "code", "name", "severity", "message", "path", "line", "number"]
    assert list(Objection("O-1", "zed", "why", "t", "comment").to_json()) == [
        "id", "raiser", "reason", "raised_at", "source", "state", "resolved_by", "resolved_at", "how", "edited_at",
        "dismissed_by", "overruled_for"]
    assert FirstFeedback(days=14).to_json() == {
        "running": False, "days": 14, "entered_at": None, "first_at": None, "first_by": None, "due_at": None,
        "age_days": None, "overdue": False}


def test_verdict_json_shape():
    data = decide(busy_facts()).to_json()
    assert list(data) == ["passed", "informational", "conclusion", "reasons", "labels", "answers", "objections",
                          "approvals", "approvals_needed", "final_calls", "first_feedback", "peps",
                          "edited", "checked", "related", "summary"]
    assert list(data["answers"][0]) == ["key", "comment_id", "author", "command", "text", "source"]
    assert data["approvals"] == [{"pep": "PEP-0042", "path": "docs/peps/PEP-0042-cache-things.md", "counted": ["alice"],
                                  "not_counted": []}]
    assert list(data["peps"][0]) == ["path", "previous_path", "number", "title", "base_status", "head_status",
                                     "added", "deleted", "base_error", "head_error"]
    json.dumps(data)


def test_answer_body_starts_with_its_marker():
    answer = Answer("7:2", 7, "zed", "help", "text")
    assert answer.body == "<!-- pepctl-answer 7:2 -->\ntext\n"


def test_labels():
    assert status_label("Under Review") == "pep: under review"
    assert is_managed_label("PEP: Draft") and not is_managed_label("documentation")


# -- the records, in detail ---------------------------------------------------------------------

from pepctl.review.commands import Command  # noqa: E402
from pepctl.review.verdict import Approvals, FinalCall, Verdict  # noqa: E402


def test_reason_blocks_only_as_an_error_and_sorts_by_code_path_line_message():
    error = Reason("R007", "n", "error", "b", "p.md", 7, 42)
    assert error.blocking and not Reason("R013", "n", "warning", "m").blocking and not Reason("R000", "n", "note", "m").blocking
    assert error.sort_key() == ("R007", "p.md", 7, "b")
    assert Reason("R000", "n", "note", "m").sort_key() == ("R000", "", 0, "m")
    assert repr(error) == "Reason(R007 error p.md:7: b)" and repr(Reason("R0", "n", "note", "m")) == "Reason(R0 note: m)"
    assert error.to_json() == {"code": "R007", "name": "n", "severity": "error", "message": "b", "path": "p.md",
                               "line": 7, "number": 42}


def test_objection_states():
    objection = Objection("O-1", "zed", "why", "t1", "comment")
    assert objection.open and objection.blocks("PEP-0001") and repr(objection) == "Objection(O-1, 'zed', open)"
    objection.overruled_for.append("PEP-0001")
    assert objection.open and not objection.blocks("PEP-0001") and objection.blocks("PEP-0002")
    objection.settle("resolved", "zed", "t2", "resolve command")
    assert (objection.state, objection.resolved_by, objection.resolved_at, objection.how) == ("resolved", "zed", "t2", "resolve command")
    assert not objection.open and not objection.blocks("PEP-0002")
    assert Objection("O-2", "a", "b", "c", "d").overruled_for == [] is not Objection("O-3", "a", "b", "c", "d").overruled_for


def test_answers_to_commands_carry_their_key_and_source():
    command = Command("help", comment_id=12, author="zed", line=3)
    answer = Answer.to(command, "hi")
    assert answer == Answer("12:3", 12, "zed", "help", "hi", "comment")
    assert answer.marker == "<!-- pepctl-answer 12:3 -->" and repr(answer) == "Answer(12:3, help)"
    review = Answer.to(Command("object", comment_id=5, author="amy", line=1, source="review"), "x")
    assert (review.key, review.source) == ("review-5:1", "review")
    empty = Command("help", comment_id=6, line=2)
    empty.source = ""
    assert Answer.to(empty, "x").key == "6:2"
    assert answer.to_json() == {"key": "12:3", "comment_id": 12, "author": "zed", "command": "help", "text": "hi",
                                "source": "comment"}


def test_final_calls_and_approvals_of_a_verdict():
    verdict = Verdict()
    assert verdict.final_call is None and verdict.call_for("PEP-0001") is None and verdict.approvals_of("PEP-0001") is None
    first = FinalCall("accept", "r1", "lead", 1, "2026-05-01T00:00:00Z", "PEP-0002")
    later = FinalCall("decline", "r2", "lead", 2, "2026-05-02T00:00:00Z", "PEP-0001")
    same_time = FinalCall("accept", "r3", "lead", 3, "2026-05-02T00:00:00Z", "PEP-0003")
    verdict.final_calls = [first, later, same_time]
    assert verdict.final_call is same_time  # the latest; at the same moment, the last PEP label
    assert verdict.call_for("PEP-0001") is later and verdict.call_for("PEP-0009") is None
    assert first.to_json() == {"decision": "accept", "rationale": "r1", "author": "lead", "comment_id": 1,
                               "at": "2026-05-01T00:00:00Z", "pep": "PEP-0002", "source": "comment"}
    approvals = Approvals("PEP-0001", "p.md", ["alice"], [("dan", "a PEP author")])
    verdict.approvals = [approvals]
    assert verdict.approvals_of("PEP-0001") is approvals and verdict.approvals_of("PEP-0002") is None


def test_conclusion_and_blocking():
    verdict = Verdict()
    assert verdict.conclusion == "success" and verdict.blocking == []
    verdict.reasons = [Reason("R013", "n", "warning", "m"), Reason("R007", "n", "error", "m")]
    verdict.passed = False
    assert verdict.conclusion == "failure" and [r.code for r in verdict.blocking] == ["R007"]
    verdict.informational = True
    assert verdict.conclusion == "neutral"


def test_verdict_json_values():
    data = decide(busy_facts()).to_json()
    assert (data["passed"], data["informational"], data["conclusion"], data["approvals_needed"]) == (False, False, "failure", 2)
    assert data["labels"] == ["pep: accepted"] and data["checked"] == ["R005", "R006", "R007", "R008", "R011", "R012"]
    assert data["edited"] == [] and data["final_calls"] == [] and data["summary"].startswith("<!-- pepctl:review-summary -->")
    assert data["first_feedback"]["running"] is False
    assert [o["id"] for o in data["objections"]] == ["O-201", "O-202", "R-62"]
    assert data["reasons"][0]["code"] == "R007" and data["peps"][0]["number"] == 42
    assert Verdict().to_json()["first_feedback"] is None
