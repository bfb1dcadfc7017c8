"""BuildState: made once from the records, git and the settings; what the pages ask of it."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from sitehelpers import copy_fixtures, history_repo, state_of

from pepctl.history import read_history
from pepctl.site.state import UNREADABLE, group_order, resolve_today


def test_records_in_number_order_grouped_by_status_under_review_first(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    assert [r.pep.number for r in state.ordered] == list(range(8))
    assert state.groups["PEP-0001-alpha.md"] == "Under Review" and state.groups["PEP-0007-broken.md"] == UNREADABLE
    assert state.statuses[0] == "Under Review" and state.statuses[-1] == UNREADABLE
    assert set(state.statuses) == set(state.groups.values())


def test_the_state_cannot_be_changed(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.base_url = "https://elsewhere.example/"


def test_links_resolve_by_file_name_else_by_a_number_one_file_has(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    assert state.resolve("PEP-0002-beta.md") == "pep/PEP-0002-beta.html"
    assert state.resolve("PEP-0002-old-name.md") == "pep/PEP-0002-beta.html"
    assert state.resolve("PEP-0099-nothing.md") is None and state.resolve("README.md") is None


def test_neighbours_are_the_peps_it_supersedes_or_is_superseded_by(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    assert state.neighbours(state.records["PEP-0003-gamma.md"]) == [[2, "pep/PEP-0002-beta.html", "Beta routing",
                                                                       "Declined"]]
    assert state.neighbours(state.records["PEP-0005-withdrawn.md"]) == []


def test_statuses_are_spelled_as_configured_else_as_written():
    from pepctl.policy import Policy

    policy = Policy()
    assert group_order(policy, {"Pondering", "Draft", "Under Review", UNREADABLE, "Accepted"}) == \
        ["Under Review", "Draft", "Accepted", "Pondering", UNREADABLE]


def test_timelines_come_from_git_by_file_name(tmp_path):
    folder = history_repo(tmp_path)
    state, _ = state_of(folder, history=read_history(str(folder)))
    assert state.history_known
    assert [(c.old, c.new) for c in state.timeline("PEP-0001-alpha.md")] == [(None, "Draft"), ("Draft", "Under Review")]
    assert state.timeline("PEP-0099-none.md") == []
    assert state.status_key("under review") == "Under Review" and state.status_key("") == "No status"


def test_today_is_given_else_source_date_epoch_else_the_clock(monkeypatch):
    assert resolve_today(datetime.date(2024, 1, 2)) == (datetime.date(2024, 1, 2), None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert resolve_today(None) == (datetime.date(2026, 1, 1), None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    day, warning = resolve_today(None)
    assert day == datetime.date.today() and "SOURCE_DATE_EPOCH='soon'" in warning
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert resolve_today(None) == (datetime.date.today(), None)
