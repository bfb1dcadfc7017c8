"""dashboard.html: PEPs per status, reviews waiting for feedback, time to a decision, the newest changes."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from markupsafe import Markup

from pepctl.site import templates
from pepctl.site.charts import Bar, bar_chart
from pepctl.site.listing import status_link
from pepctl.site.records import SiteRecord, pep_label, slug
from pepctl.timestamps import parse_day

DECISION_STATES = ("Accepted", "Declined", "Deferred", "Withdrawn")
EARLIEST_YEAR = 1970  # a review said to start before this is a typo (0024 for 2024): its age is unknown
NEWEST = 20  # changes listed
BUCKETS = [("under 1 week", 0, 7), ("1–2 weeks", 7, 14), ("2–4 weeks", 14, 28), ("1–3 months", 28, 91),
           ("3–6 months", 91, 182), ("6–12 months", 182, 365), ("over a year", 365, 10**9)]


class Waiting(NamedTuple):
    """A PEP under review."""

    record: SiteRecord
    since: str  # ISO day, '' when unknown
    source: str  # where `since` comes from: "git", "created" or ''
    age: int | None  # days
    overdue: bool


class Decision(NamedTuple):
    file: str
    days: int  # from entering review to the decision
    decision: str
    record: SiteRecord | None


def dashboard_html(state, changes: list) -> str:
    """The dashboard; `changes`: the new PEPs and status changes, newest first (feed.events)."""
    context = dashboard_context(state, changes)
    context.update(templates.base_context(
        state, "", "Dashboard",
        f"The state of the proposal process on {context['today']}: proposals per status, reviews waiting "
        "for feedback, time from review to a decision, and the newest changes."))
    return templates.render("dashboard.html", context)


def dashboard_context(state, changes: list) -> dict:
    now = state.today
    groups = state.groups
    tally = dict.fromkeys(state.statuses, 0)
    for record in state.ordered:
        tally[groups[record.file]] += 1
    counts = [(status, tally[status]) for status in state.statuses]
    counts_chart = bar_chart([Bar(s, n, f"status-{slug(s)}", status_link(s)) for s, n in counts],
                             "Number of PEPs in each status", css_class="chart counts")

    limit = state.config.first_feedback_days
    review = state.policy.canonical("Under Review") or "Under Review"
    waiting = []
    for record in state.ordered:
        if groups[record.file] != review:
            continue
        since, source = review_start(state, record)
        age = review_age(since, now)
        waiting.append(Waiting(record, since.isoformat() if since else "", source, age,
                               age is not None and age > limit))
    waiting.sort(key=lambda w: (w.age is None, -(w.age or 0)))
    waiting_chart = bar_chart(
        [Bar(pep_label(w.record.pep.number), w.age, "overdue" if w.overdue else "ok", w.record.url)
         for w in waiting[:25] if w.age is not None],
        f"Days in review, oldest first (feedback due within {limit} days)", unit=" days", css_class="chart waiting")

    durations = decision_times(state)
    buckets = [(f"decided-{index}", label, [d for d in durations if low <= d.days < high])
               for index, (label, low, high) in enumerate(BUCKETS)]
    decision_chart = bar_chart([Bar(label, len(found), "decision", f"#{anchor}" if found else "")
                                for anchor, label, found in buckets],
                               "Time from Under Review to a decision", css_class="chart decisions") \
        if durations else ""
    median = None
    if durations:
        days = sorted(d.days for d in durations)
        middle = len(days) // 2
        median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2

    return {
        "counts": counts,
        "counts_chart": Markup(counts_chart),
        "waiting": waiting,
        "waiting_chart": Markup(waiting_chart),
        "limit": limit,
        "durations": durations,
        "decision_chart": Markup(decision_chart),
        "buckets": [bucket for bucket in buckets if bucket[2]] if durations else [],
        "median": median,
        "changes": changes[:NEWEST],
        "history_known": state.history_known,
        "today": now.isoformat(),
    }


def review_age(since: datetime.date | None, now: datetime.date) -> int | None:
    """Days in review: 0 for a start after today (a clock ahead, a typo); None (unknown) for no or an absurd start."""
    if since is None or since.year < EARLIEST_YEAR:
        return None
    return max(0, (now - since).days)


def review_start(state, record: SiteRecord) -> tuple[datetime.date | None, str]:
    """When a PEP entered review: from git when known, else its Created date."""
    canonical = state.policy.canonical
    review = canonical("Under Review")
    for change in reversed(state.timeline(record.file)):
        if canonical(change.new) == review:
            return parse_day(change.date), "git"
    created = parse_day(record.pep.created)
    return (created, "created") if created else (None, "")


def decision_times(state) -> list[Decision]:
    canonical = state.policy.canonical
    review = canonical("Under Review")
    decisions = {canonical(s) for s in DECISION_STATES} - {None}
    found = []
    for name, changes in state.timelines.items():
        start = None
        for change in changes:
            new = canonical(change.new)
            if new == review and start is None:
                start = parse_day(change.date)
            elif new in decisions and start is not None:
                end = parse_day(change.date)
                if end:
                    found.append(Decision(name, max(0, (end - start).days), new, state.records.get(name)))
                start = None
    return found
