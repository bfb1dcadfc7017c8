"""Which pull request an Actions event is about (pepctl.github.event)."""

from __future__ import annotations

import pytest

from pepctl.github.event import EventError, NotAPullRequest, number_from_event, resolve


@pytest.mark.parametrize(
    "payload, number",
    [
        ({"pull_request": {"number": 5}}, 5),
        ({"issue": {"number": 6, "pull_request": {"url": "u"}}}, 6),
        ({"review": {}, "pull_request": {"number": 7}}, 7),
    ],
)
def test_number_from_event(payload, number):
    assert number_from_event(payload, "e.json") == number


def test_event_errors():
    with pytest.raises(NotAPullRequest):
        number_from_event({"issue": {"number": 3}}, "e.json")
    with pytest.raises(EventError):
        number_from_event({"pull_request": {"number": True}}, "e.json")
    with pytest.raises(EventError, match="owner/name"):
        resolve(1, "not a repo", env={})
    with pytest.raises(EventError, match="--repo"):
        resolve(1, None, env={})
    assert resolve(3, None, env={"GITHUB_REPOSITORY": "a/b"}).repo == "a/b"


def test_an_event_file_nested_deeper_than_json_parses_is_an_event_error(tmp_path):
    from pepctl.github.event import read_event

    path = tmp_path / "event.json"
    path.write_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    with pytest.raises(EventError, match="is not valid JSON: nested too deeply"):
        read_event(str(path))
