"""Planning the writes for a verdict (pepctl.github.publish)."""

from __future__ import annotations

import pytest

pytest.importorskip("gidgethub")

from githubhelpers import comment

from pepctl.github.markers import find_own
from pepctl.github.publish import fit, label_writes, summary_body
from pepctl.review import SUMMARY_MARKER


def test_label_writes_are_at_most_one_request():
    assert label_writes("o/r", 1, ["bug"], ["pep: draft"])[0].method == "POST"
    [put] = label_writes("o/r", 1, ["bug", "pep: draft"], ["pep: under review"])
    assert put.method == "PUT" and put.data == {"labels": ["bug", "pep: under review"]}
    assert label_writes("o/r", 1, ["PEP: Draft"], ["pep: draft"]) == []
    [put] = label_writes("o/r", 1, ["pep: draft", "pep: feedback overdue"], ["pep: draft"])
    assert put.data == {"labels": ["pep: draft"]}


class Verdict:
    def __init__(self, running):
        self.summary = f"{SUMMARY_MARKER}\nsummary\n"
        self.first_feedback = type("Clock", (), {"running": running})()


class Gathered:
    def __init__(self, review_since):
        self.review_since = review_since


def test_the_summary_keeps_the_start_only_while_the_clock_runs():
    since = "2026-05-10T10:00:00Z"
    body = summary_body(Gathered(since), Verdict(True))
    assert body == f"{SUMMARY_MARKER}\nsummary\n<!-- pepctl:under-review-since {since} -->\n"
    assert find_own([comment(1, body)]).review_since == since
    assert summary_body(Gathered(since), Verdict(False)) == f"{SUMMARY_MARKER}\nsummary\n"
    assert summary_body(Gathered(None), Verdict(True)) == f"{SUMMARY_MARKER}\nsummary\n"


def test_a_summary_longer_than_a_comment_is_cut_the_same_way_each_time():
    lines = [SUMMARY_MARKER, "### ❌ PEP process: blocked", ""] + [f"- **PEP-{n:04d}** Title: Draft" for n in range(5000)]
    summary = "\n".join([*lines, "<sub>Commands ...</sub>"]) + "\n"
    cut = fit(summary, limit=2000)
    assert len(cut) <= 2000 and cut == fit(summary, limit=2000)
    assert cut.startswith(SUMMARY_MARKER + "\n") and cut.endswith("\n<sub>Commands ...</sub>\n")
    kept = cut.count("- **PEP-")
    assert f"… {5000 - kept} lines left out" in cut
    assert fit("short\n", limit=2000) == "short\n"
