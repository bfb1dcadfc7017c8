"""Open PEP pull requests waiting for first maintainer feedback, and reminders.

PEP-0000 §5: maintainers aim to give initial feedback within two weeks of a
PEP entering Under Review. The engine's first-feedback clock says, for one
pull request, when review started and whether a maintainer has spoken yet;
this module runs it over every open pull request (``pepctl sla``) and posts
at most one reminder per pull request per period (``pepctl remind``), the
period being ``first-feedback-days``. A reminder carries a hidden marker with
its date, so running the scheduled job twice, or daily, repeats nothing.
"""

from __future__ import annotations

import asyncio
import datetime
from typing import NamedTuple

from pepctl.github.gather import Gathered, gather
from pepctl.github.markers import REMINDER_MARKER
from pepctl.github.reads import PULL
from pepctl.model import handles_in
from pepctl.review import Verdict, decide
from pepctl.timestamps import parse_day

CONCURRENCY = 6


class Waiting(NamedTuple):
    """One open pull request whose PEP is under review and has had no maintainer feedback."""

    number: int
    title: str
    url: str
    peps: list[str]
    entered_at: str | None
    due_at: str | None
    age_days: int | None
    overdue: bool
    gathered: Gathered
    verdict: Verdict

    @classmethod
    def of(cls, gathered: Gathered, verdict: Verdict) -> Waiting:
        info = verdict.first_feedback
        return cls(gathered.number, gathered.pull.get("title") or "", gathered.pull.get("html_url") or "",
                   [pc.label for pc in verdict.peps if pc.head is not None],
                   info.entered_at, info.due_at, info.age_days, info.overdue, gathered, verdict)

    def to_json(self) -> dict:
        """For ``pepctl sla --format json``: everything but the gathered facts and the verdict."""
        data = self._asdict()
        del data["gathered"], data["verdict"]
        return data


async def waiting(gh, repo: str, policy, folder, *, local=None, trusted_logins=(), now=None) -> list[Waiting]:
    """Every open pull request waiting for first feedback, oldest first."""
    pulls = await gh.get_all(f"/repos/{repo}/pulls?state=open", item=PULL)
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(pull):
        async with limit:
            return await gather(gh, repo, pull["number"], policy, folder, local=local, collisions=False,
                                trusted_logins=trusted_logins, now=now, pull=pull)

    found = []
    for gathered in await asyncio.gather(*(one(p) for p in pulls)):
        if gathered is None:
            continue
        verdict = decide(gathered.facts)
        info = verdict.first_feedback
        if info is not None and info.running and info.first_at is None:
            found.append(Waiting.of(gathered, verdict))
    found.sort(key=lambda w: (w.entered_at or "", w.number))
    return found


def last_reminder(item: Waiting) -> str | None:
    dates = sorted(item.gathered.own.reminders)
    return dates[-1] if dates else None


def reminder_due(item: Waiting, today: datetime.date, period_days: int) -> tuple[bool, str | None]:
    """(due, date of the last reminder): one reminder per ``period_days`` at most."""
    last = last_reminder(item)
    if last is None:
        return True, None
    when = parse_day(last)
    if when is None:
        return True, last
    return (today - when).days >= period_days, last


def reminder_text(item: Waiting, policy, today: datetime.date) -> str:
    """The reminder comment: who is asked, how long it has waited. No text from the PR is quoted."""
    sponsors = []
    for pc in item.verdict.peps:
        if pc.head is not None:
            sponsors += [h for h in handles_in(pc.head.sponsor or "") if policy.is_maintainer(h)]
    asked = sorted(set(sponsors), key=str.casefold) or sorted(policy.config.maintainers, key=str.casefold)
    mentions = " ".join("@" + h.lstrip("@") for h in asked[:10])
    peps = ", ".join(item.peps) or "This PEP"
    days = item.verdict.first_feedback.days
    lines = [
        REMINDER_MARKER.format(date=today.isoformat()),
        f"⏰ {peps} has been under review since {(item.entered_at or '')[:10]} ({item.age_days} days) "
        f"without feedback from a maintainer; PEP-0000 asks for initial feedback within {days} days "
        f"(due {(item.due_at or '')[:10]}).",
    ]
    if mentions:
        lines += ["", f"{mentions}: could one of you review this PEP or leave a first comment?"]
    return "\n".join(lines) + "\n"


def today_utc() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()
