"""New PEPs and status changes, and the Atom feed made of them."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from sitehelpers import copy_fixtures, history_repo, state_of

from pepctl.history import read_history
from pepctl.site.feed import LIMIT, events, feed_xml, instant, rfc3339

ATOM = "{http://www.w3.org/2005/Atom}"


def test_dates_are_read_as_rfc3339_and_ordered_by_instant():
    assert rfc3339("2024-01-10") == "2024-01-10T00:00:00Z"
    assert rfc3339("2024-01-10T09:00:00+05:00") == "2024-01-10T09:00:00+05:00"
    assert rfc3339("soon") is None and rfc3339("2024-13-01") is None
    assert instant("2024-01-10T01:00:00+05:00") < instant("2024-01-09T22:00:00+00:00")


def test_without_git_the_events_are_new_peps_by_created_date(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path))
    found = events(state)
    assert [e.record.pep.number for e in found] == [4, 1, 3, 2, 6, 5, 0]  # newest first; no unreadable file
    assert found[0].kind == "new" and found[0].key == ("PEP-0004", "created", "2024-02-02")
    assert found[1].title == "New: PEP-0001: Alpha streaming cache" and found[1].authors == ["Ada Lovelace", "Bob Builder"]


def test_with_git_the_events_are_status_changes_spelled_as_configured(tmp_path):
    folder = history_repo(tmp_path)
    state, _ = state_of(folder, history=read_history(str(folder)))
    found = events(state)
    assert found[0].title == "PEP-0002: Beta routing: Under Review → Declined" and found[0].old == "Under Review"
    assert all(e.date.endswith("+00:00") for e in found)


def test_the_feed_is_atom_with_the_latest_entries(tmp_path):
    state, _ = state_of(copy_fixtures(tmp_path), today=datetime.date(2024, 3, 20))
    feed = ET.fromstring(feed_xml(state, events(state)))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 7 <= LIMIT
    assert feed.find(f"{ATOM}updated").text == "2024-02-02T00:00:00Z"
    empty = ET.fromstring(feed_xml(state, []))
    assert empty.find(f"{ATOM}updated").text == "2024-03-20T00:00:00Z"
