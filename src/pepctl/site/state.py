"""BuildState: everything the pages of one build are made from, made once and then only read.

The page functions (pep_page, listing, dashboard, feed, api, search) take the
state and return what they make; none of them changes it. A forked worker
makes its own from what the parent sends (see parallel.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable
from typing import NamedTuple

from pepctl.config import Config
from pepctl.history import Change, History
from pepctl.policy import Policy
from pepctl.site.gitinfo import Repository
from pepctl.site.links import resolve_link
from pepctl.site.records import SiteRecord

UNREADABLE = "Unreadable"  # what the files that cannot be read as PEPs are listed under


class Settings(NamedTuple):
    """What a build is asked to make: known before anything is read (and before any fork)."""

    config: Config
    policy: Policy
    base_url: str  # '' or ending in /
    is_pep_file: Callable[[str], bool]  # whether a file name of the PEP folder is a PEP (gets a page)


@dataclasses.dataclass(frozen=True)
class BuildState:
    config: Config
    policy: Policy
    base_url: str  # '' or ending in /
    is_pep_file: Callable[[str], bool]  # whether a file name of the PEP folder is a PEP (gets a page)
    records: dict[str, SiteRecord]  # file name -> record, in file order
    history: History | None  # None outside git
    last_changes: dict[str, dict]  # file name -> {date, commit} of the newest commit that touched it
    repo: Repository
    today: datetime.date
    # made from the above by create():
    ordered: list[SiteRecord]  # by number, then file name; no number last
    groups: dict[str, str]  # file name -> the status it is listed under
    statuses: list[str]  # the groups in the order the index shows them
    pages: dict[str, str]  # file name -> page URL
    by_number: dict[int, list[SiteRecord]]
    unique_numbers: dict[int, str]  # number -> page URL, for numbers only one file has
    timelines: dict[str, list[Change]]  # file name -> its status changes, oldest first

    @classmethod
    def create(cls, settings: Settings, records: dict[str, SiteRecord], history: History | None,
               last_changes: dict, repo: Repository, today: datetime.date) -> BuildState:
        config, policy, base_url, is_pep_file = settings

        def order(record: SiteRecord):
            number = record.pep.number
            return (number is None, number if number is not None else 0, record.file)

        ordered = sorted(records.values(), key=order)
        canonical = policy.canonical
        groups = {r.file: UNREADABLE if r.pep.error else canonical(r.status) or r.status or "No status"
                  for r in ordered}
        by_number: dict[int, list[SiteRecord]] = {}
        for record in records.values():
            if record.pep.number is not None:
                by_number.setdefault(record.pep.number, []).append(record)
        timelines: dict[str, list[Change]] = {}
        for change in history.changes if history is not None else ():
            timelines.setdefault(os.path.basename(change.path), []).append(change)
        return cls(config, policy, base_url, is_pep_file, records, history, last_changes, repo, today, ordered,
                   groups, group_order(policy, set(groups.values())),
                   {name: record.url for name, record in records.items()}, by_number,
                   {n: rs[0].url for n, rs in by_number.items() if len(rs) == 1}, timelines)

    def status_key(self, status: str) -> str:
        """A status as the configuration spells it, else as written, else 'No status'."""
        return self.policy.canonical(status) or status or "No status"

    @property
    def history_known(self) -> bool:
        return self.history is not None

    def timeline(self, name: str) -> list[Change]:
        return self.timelines.get(name, [])

    def resolve(self, name: str) -> str | None:
        """The page URL of a PEP file linked by name: its own, else that of the one file with its number."""
        return resolve_link(name, self.pages, self.unique_numbers)

    def neighbours(self, record: SiteRecord) -> list:
        """[number, page, title, status] of each PEP it supersedes or is superseded by."""
        return [[number, other.page, other.title, other.status]
                for number in record.pep.supersedes + record.pep.superseded_by
                for other in self.by_number.get(number, [])]


def group_order(policy: Policy, statuses: set[str]) -> list[str]:
    """Lifecycle order with Under Review first, then unknown statuses, then unreadable files."""
    order = []
    first = policy.canonical("Under Review")
    if first and first in statuses:
        order.append(first)
    for state in policy.states:
        if state in statuses and state not in order:
            order.append(state)
    order.extend(sorted(s for s in statuses if s not in order and s != UNREADABLE))
    if UNREADABLE in statuses:
        order.append(UNREADABLE)
    return order


def resolve_today(today: datetime.date | None) -> tuple[datetime.date, str | None]:
    """The build's day: `today`, else SOURCE_DATE_EPOCH's, else the clock's; and a warning for an
    unusable SOURCE_DATE_EPOCH."""
    if today is not None:
        return today, None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date(), None
        except (ValueError, OverflowError, OSError):
            return datetime.date.today(), (
                f"SOURCE_DATE_EPOCH={epoch!r} is not a time the site can use (whole seconds since "
                "1970, before the year 10000); building as of today")
    return datetime.date.today(), None
