"""The state of one decision (pepctl.review.context): timestamps, ids, who is a maintainer, the
approval scope."""

from __future__ import annotations

import datetime

import pytest

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review.context import EPOCH, FILE_SCOPE, STATUS_SCOPE, Context, Timestamps, id_key, iso

from reviewfacts import make

UTC = datetime.timezone.utc


def test_timestamps_parse_once_and_sort_the_unreadable_first():
    clock = Timestamps()
    assert clock("2026-05-01T12:00:00Z") == datetime.datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert clock("2026-05-01T14:00:00+02:00") == datetime.datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert clock("garbage") is None and clock(None) is None
    assert clock.key("garbage") == EPOCH == datetime.datetime(1970, 1, 1, tzinfo=UTC)
    assert clock.key("2026-05-01T12:00:00Z") == datetime.datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert sorted(["2026-01-01T00:00:00Z", "", "1999-01-01T00:00:00Z"], key=clock.key) == [
        "", "1999-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]


def test_iso_is_how_github_writes_utc():
    assert iso(datetime.datetime(2026, 5, 1, 14, 30, 5, 999, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))) == (
        "2026-05-01T12:30:05Z")
    assert iso(None) is None


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Los_Angeles"])
def test_iso_is_utc_whatever_the_machines_time_zone(monkeypatch, zone):
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        moment = datetime.datetime(2026, 5, 1, 23, 30, tzinfo=UTC)
        assert iso(moment) == "2026-05-01T23:30:00Z"
        assert iso(moment.astimezone()) == "2026-05-01T23:30:00Z"  # a local time, as the clock gives it
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("value, key", [(7, (0, 7, "")), ("7", (0, 7, "")), ("007", (0, 7, "")), ("x7", (1, 0, "x7")),
                                        ("", (1, 0, "")), (None, (1, 0, "None"))])
def test_id_key(value, key):
    assert id_key(value) == key


def test_ids_sort_numbers_first_in_number_order():
    assert sorted([10, "9", "abc", 100, "b"], key=id_key) == ["9", 10, 100, "abc", "b"]


@pytest.mark.parametrize("scope, expected", [
    (None, STATUS_SCOPE), ("", STATUS_SCOPE), ("status", STATUS_SCOPE), (" Status ", STATUS_SCOPE),
    ("file", FILE_SCOPE), ("FILE", FILE_SCOPE), ("statuss", FILE_SCOPE), ("anything", FILE_SCOPE),
])
def test_approval_scope_reads_anything_but_status_as_file(scope, expected):
    config = Config()
    config.approval_scope = scope
    assert Context(make([], policy=Policy(config))).approval_scope == expected


def test_the_lead_is_a_maintainer_and_makes_maintainers_exist():
    ctx = Context(make([], policy=Policy(Config({"maintainers": ["alice"], "project-lead": "Lead"}))))
    policy = ctx.policy  # the engine asks the policy: the lead is a maintainer there (Policy.is_maintainer)
    assert policy.is_maintainer("alice") and policy.is_maintainer("@lead") and not policy.is_maintainer("zed")
    assert policy.has_maintainers
    assert Context(make([], policy=Policy(Config({"project-lead": "lead"})))).policy.has_maintainers
    assert Context(make([], policy=Policy(Config({"maintainers": ["a"]})))).policy.has_maintainers
    assert not Context(make([], policy=Policy(Config()))).policy.has_maintainers


def test_no_policy_means_the_defaults():
    from pepctl.review import Facts, PullRequest

    ctx = Context(Facts(None, PullRequest(1, "t", "a"), []))
    assert ctx.config.required_approvals == 2 and ctx.policy.maintainers == set()
    assert ctx.subjects == [] and ctx.memo == {} and ctx.verdict.passed
