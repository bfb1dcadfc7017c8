"""The first-feedback clock (PEP-0000 §5): maintainers aim to give initial
feedback within ``first-feedback-days`` of a PEP entering Under Review.

The clock runs while a PEP the pull request is about is Under Review at head
and the pull request is not a draft. It starts at ``Facts.under_review_since``
(found by the adapter), else when the pull request was opened, and stops at
the first review or comment, made after that moment, by a maintainer or the
project lead who is neither the pull request's author nor a PEP author.
Rule R013 warns when it has run out.
"""

from __future__ import annotations

import datetime

from pepctl.keys import login_key
from pepctl.review.context import Context, iso
from pepctl.review.peps import PepChange, is_under_review
from pepctl.review.verdict import FirstFeedback


def first_feedback(ctx: Context, subjects: list[PepChange], authors: set[str]) -> FirstFeedback:
    """The clock for the PEPs the pull request is about; ``authors``: their handles (login_key)."""
    facts = ctx.facts
    policy = ctx.policy
    clock = ctx.clock
    info = FirstFeedback(days=ctx.config.first_feedback_days)
    if facts.pull.draft or not any(is_under_review(policy, pc.head) for pc in subjects):
        return info
    entered = clock(facts.under_review_since) or clock(facts.pull.created_at)
    if entered is None:
        return info
    info.running = True
    info.entered_at = iso(entered)
    due = entered + datetime.timedelta(days=info.days)
    info.due_at = iso(due)
    excluded = set(authors) | {login_key(facts.pull.author)}

    def counts(author) -> bool:
        key = login_key(author)
        return bool(key) and key not in excluded and (policy.is_maintainer(key) or policy.is_lead(key))

    events = [(clock(r.submitted_at), r.author) for r in facts.reviews if r.state != "PENDING" and counts(r.author)]
    events += [(clock(c.created_at), c.author) for c in facts.comments if counts(c.author)]
    events = sorted((when, login_key(who), who) for when, who in events if when is not None and when >= entered)
    now = clock(facts.now)
    if events:
        when, _, who = events[0]
        info.first_at = iso(when)
        info.first_by = who.lstrip("@")
        info.age_days = (when - entered).days
    elif now is not None:
        info.age_days = max(0, (now - entered).days)
        info.overdue = now > due
    return info
