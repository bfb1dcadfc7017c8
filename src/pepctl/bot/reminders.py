"""Reminders and nudges on pull requests, by timer: scheduled when a pull request is decided,
done when they fire.

- ``first-feedback``: PEP-0000 §5's reminder to the sponsor (or the maintainers) when first
  feedback on a PEP under review is late, once per period;
- ``stale-draft``: a nudge on a draft pull request with no activity for ``stale-days``.

Each checks the pull request before it posts (a hidden dated marker, or what ``pepctl remind``
posted), so a timer fired twice still posts once.
"""

from __future__ import annotations

import datetime

from pepctl.bot import timers
from pepctl.bot.repoconfig import repo_policy
from pepctl.github.errors import GitHubError
from pepctl.github.gather import gather
from pepctl.github.markers import is_trusted, text_of
from pepctl.github.reads import COMMENT, PULL
from pepctl.github.waiting import Waiting, reminder_due, reminder_text, today_utc
from pepctl.review import decide
from pepctl.timestamps import parse_instant

STALE_MARKER = "<!-- pepctl:stale-draft:{since} -->"


GONE = "no such pull request (its repository deleted, renamed, or taken out of the installation)"


async def pull_or_none(gh, repo: str, number: int) -> dict | None:
    """The pull request, or None when GitHub has it no more (404): its timer is cancelled, not
    fired again every few minutes for ever."""
    try:
        return await gh.get(f"/repos/{repo}/pulls/{number}", shape=PULL)
    except GitHubError as err:
        if err.status == 404:
            return None
        raise


def naive_utc(text) -> datetime.datetime | None:
    when = parse_instant(text)
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return when


def schedule(store, item, gated, policy) -> None:
    """The reminder due when first feedback is late, and the nudge due when a draft goes stale."""
    repo, number = item.repo, item.number
    with store.begin() as connection:
        info = gated.verdict.first_feedback
        due = naive_utc(info.due_at) if info is not None and info.running and info.first_at is None else None
        if due is not None:
            timers.schedule(connection, f"first-feedback:{repo}#{number}:{info.due_at}", "first-feedback",
                            due, item.installation_id, repo, number)
        pull = gated.gathered.pull
        updated = naive_utc(pull.get("updated_at"))
        if pull.get("draft") and updated is not None:
            timers.schedule(connection, f"stale-draft:{repo}#{number}:{pull['updated_at']}", "stale-draft",
                            updated + datetime.timedelta(days=policy.config.stale_days), item.installation_id,
                            repo, number, since=pull["updated_at"])


async def remind(worker, gh, timer) -> dict:
    """PEP-0000 §5: first feedback is late; remind the sponsor (or the maintainers), once per period."""
    repo, number = timer.repo, timer.number
    pull = await pull_or_none(gh, repo, number)
    if pull is None or pull.get("state") != "open":
        return {"action": "reminder", "sent": False, "why": "closed" if pull else GONE, "state": "cancelled"}
    branch = ((pull.get("base") or {}).get("repo") or {}).get("default_branch") or "main"
    policy, folder = await repo_policy(gh, repo, branch)
    gathered = await gather(gh, repo, number, policy, folder, collisions=False, trusted_logins=[await worker.login()])
    verdict = decide(gathered.facts)
    info = verdict.first_feedback
    if info is None or not info.running or info.first_at is not None:
        return {"action": "reminder", "sent": False, "why": "feedback given, or no PEP under review"}
    days = policy.config.first_feedback_days
    if not info.overdue:  # review started later than this timer thought: wait for the new date
        due = naive_utc(info.due_at)
        if due is not None:
            with worker.store.begin() as connection:
                timers.schedule(connection, f"first-feedback:{repo}#{number}:{info.due_at}", "first-feedback",
                                due, timer.installation_id, repo, number)
        return {"action": "reminder", "sent": False, "why": f"not due until {info.due_at}"}
    waiting = Waiting.of(gathered, verdict)
    today = today_utc()
    due, last = reminder_due(waiting, today, days)
    if due:  # else: one was posted this period (by `pepctl remind`, or by this timer before a crash)
        await gh.post(f"/repos/{repo}/issues/{number}/comments", {"body": reminder_text(waiting, policy, today)})
    following = today + datetime.timedelta(days=days)
    with worker.store.begin() as connection:
        timers.schedule(connection, f"first-feedback:{repo}#{number}:{following.isoformat()}", "first-feedback",
                        datetime.datetime.combine(following, datetime.time(9)), timer.installation_id, repo, number)
    return {"action": "reminder", "sent": due, "last": last}


async def nudge(worker, gh, timer) -> dict:
    """A draft pull request with no activity for ``stale-days``: ask whether it goes on.

    Every event on a draft (a push, a comment, a review, an edit) has it decided again, which
    schedules a stale-draft timer from that moment; so only the newest of its timers can
    fire on a draft that nobody touched since."""
    repo, number = timer.repo, timer.number
    if timers.newer(worker.store, timer):
        return {"action": "stale-nudge", "sent": False, "why": "active since", "state": "cancelled"}
    pull = await pull_or_none(gh, repo, number)
    if pull is None or pull.get("state") != "open" or not pull.get("draft"):
        return {"action": "stale-nudge", "sent": False, "why": "closed or ready for review" if pull else GONE,
                "state": "cancelled"}
    since = timer.data.get("since") or ""
    login = await worker.login()
    comments = await gh.get_all(f"/repos/{repo}/issues/{number}/comments", item=COMMENT)
    marker = STALE_MARKER.format(since=since)
    if any(marker in text_of(c.get("body")) and is_trusted(c.get("user"), [login]) for c in comments):
        return {"action": "stale-nudge", "sent": False, "why": "already nudged"}
    days = (timer.due_at - (naive_utc(since) or timer.due_at)).days
    body = (f"{marker}\n💤 This draft has seen no activity since {since[:10]} ({days} days). "
            "If the PEP is still being written, a push or a comment keeps it going; when it is ready, "
            "mark the pull request ready for review. If it will not go on, close the pull request, or "
            "merge it with the PEP's Status set to Withdrawn so that PEP-0000 keeps the record.\n")
    await gh.post(f"/repos/{repo}/issues/{number}/comments", {"body": body})
    return {"action": "stale-nudge", "sent": True, "since": since}
