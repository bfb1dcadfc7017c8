"""Reading the dates and times pepctl meets: git's ISO 8601 dates, GitHub's UTC stamps, YYYY-MM-DD days.

One reader for each: unreadable input gives None, never an exception, and a time
written without an offset is taken as UTC.
"""

from __future__ import annotations

import datetime


def parse_instant(text) -> datetime.datetime | None:
    """An ISO 8601 date-time (``Z`` or any offset; none means UTC) as an aware datetime, else None."""
    if not text:
        return None
    text = str(text).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def parse_day(text) -> datetime.date | None:
    """The day a text starts with (``YYYY-MM-DD``, possibly followed by a time), else None."""
    if not text or not isinstance(text, str):
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None
