"""The dashboard: counts per status, reviews waiting and their ages, time to a decision."""

from __future__ import annotations

import datetime

from sitehelpers import copy_fixtures, history_repo, set_status, git, state_of

from pepctl.history import read_history
from pepctl.site.dashboard import dashboard_context, decision_times, review_age, review_start
from pepctl.site.feed import events

TODAY = datetime.date(2024, 3, 20)


def test_review_ages_are_never_negative_nor_absurd():
    assert review_age(datetime.date(2024, 3, 1), TODAY) == 19
    assert review_age(datetime.date(2024, 4, 1), TODAY) == 0  # a start after today
    assert review_age(datetime.date(24, 3, 1), TODAY) is None and review_age(None, TODAY) is None


def test_counts_and_waiting_reviews_without_git(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path), today=TODAY)
    context = dashboard_context(state, events(state))
    assert dict(context["counts"])["Under Review"] == 1 and sum(n for _, n in context["counts"]) == 8
    [waiting] = context["waiting"]
    assert waiting.record.file == "PEP-0001-alpha.md" and waiting.source == "created"
    assert waiting.since == "2024-01-10" and waiting.age == 70 and waiting.overdue
    assert context["durations"] == [] and not context["history_known"] and context["today"] == "2024-03-20"


def test_review_start_and_decisions_from_git(tmp_path):
    folder = history_repo(tmp_path)
    set_status(folder / "PEP-0001-alpha.md", "Under Review", "Accepted")
    git(folder.parent, "commit", "-q", "-am", "accept alpha", date="2024-02-11T09:00:00+00:00")
    state, _ = state_of(folder, history=read_history(str(folder)), today=TODAY)
    assert review_start(state, state.records["PEP-0002-beta.md"]) == (datetime.date(2024, 1, 10), "git")
    found = {d.file: (d.days, d.decision) for d in decision_times(state)}
    assert found == {"PEP-0001-alpha.md": (10, "Accepted"), "PEP-0002-beta.md": (52, "Declined")}
