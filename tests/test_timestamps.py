"""The one reader of each kind of date: None for what cannot be read, UTC when no offset is written."""

import datetime

import pytest

from pepctl.timestamps import parse_day, parse_instant

UTC = datetime.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-17T10:00:00Z", datetime.datetime(2024, 5, 17, 10, tzinfo=UTC)),
        ("2024-05-17T10:00:00z", datetime.datetime(2024, 5, 17, 10, tzinfo=UTC)),
        (" 2024-05-17T12:00:00+02:00 ", datetime.datetime(2024, 5, 17, 10, tzinfo=UTC)),
        ("2024-05-17T10:00:00", datetime.datetime(2024, 5, 17, 10, tzinfo=UTC)),
    ],
)
def test_parse_instant_reads_iso_times(text, expected):
    moment = parse_instant(text)
    assert moment == expected and moment.tzinfo is not None


@pytest.mark.parametrize("text", [None, "", "yesterday", "2024-13-01T00:00:00Z", 42])
def test_parse_instant_gives_none_for_what_it_cannot_read(text):
    assert parse_instant(text) is None


@pytest.mark.parametrize(("text", "day"), [("2024-05-17", datetime.date(2024, 5, 17)), ("2024-05-17T23:59:00+05:00", datetime.date(2024, 5, 17))])
def test_parse_day_reads_the_leading_date(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text", [None, "", "17/05/2024", "2024-02-30", 20240517])
def test_parse_day_gives_none_for_what_it_cannot_read(text):
    assert parse_day(text) is None
