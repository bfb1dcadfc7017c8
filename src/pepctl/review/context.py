"""The state of one ``decide`` call, shared by the steps and the rules that make it up."""

from __future__ import annotations

import datetime

from pepctl.policy import Policy
from pepctl.review.facts import Facts
from pepctl.review.verdict import Verdict
from pepctl.timestamps import parse_instant

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class Timestamps:
    """Parses and orders the timestamps of the facts (each string once)."""

    def __init__(self):
        self._cache = {}

    def __call__(self, value) -> datetime.datetime | None:
        if value not in self._cache:
            self._cache[value] = parse_instant(value)
        return self._cache[value]

    def key(self, value) -> datetime.datetime:
        """Sort key: unreadable or missing timestamps sort first."""
        moment = self(value)
        return moment if moment is not None else EPOCH


# What an approval covers (the ``approval-scope`` option): the PEP's status, or its whole file.
STATUS_SCOPE = "status"
FILE_SCOPE = "file"


class Context:
    """What one decision reads (the facts, their policy) and builds (the verdict)."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.policy = facts.policy if facts.policy is not None else Policy()
        self.config = self.policy.config
        self.clock = Timestamps()
        self.verdict = Verdict()
        self.subjects: list = []  # the PEPs the pull request is about (peps.subjects)
        self.memo: dict = {}  # what steps compute once per decision (latest reviews, ...)
        # Anything but "status" is read as the stricter "file", so a typo never weakens the rule.
        scope = str(getattr(self.config, "approval_scope", STATUS_SCOPE) or STATUS_SCOPE).strip().casefold()
        self.approval_scope = STATUS_SCOPE if scope == STATUS_SCOPE else FILE_SCOPE


def iso(moment: datetime.datetime | None) -> str | None:
    """A moment as GitHub writes UTC timestamps: ``2026-05-01T12:00:00Z``."""
    if moment is None:
        return None
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def id_key(value):
    """Order ids numerically when they are numbers, else as text."""
    if isinstance(value, int):
        return (0, value, "")
    text = str(value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)
