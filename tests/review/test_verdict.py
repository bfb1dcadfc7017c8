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
                          "edited", "checked", "summary"]
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
