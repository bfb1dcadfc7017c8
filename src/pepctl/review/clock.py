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
    days = ctx.config.first_feedback_days
    if facts.pull.draft or not any(is_under_review(policy, pc.head) for pc in subjects):
        return FirstFeedback(days=days)
    entered = clock(facts.under_review_since) or clock(facts.pull.created_at)
    if entered is None:
        return FirstFeedback(days=days)
    due = entered + datetime.timedelta(days=days)
    excluded = set(authors) | {login_key(facts.pull.author)}

    def counts(author) -> bool:
        key = login_key(author)
        return bool(key) and key not in excluded and ctx.policy.is_maintainer(key)

    events = [(clock(r.submitted_at), r.author) for r in facts.reviews if r.state != "PENDING" and counts(r.author)]
    events += [(clock(c.created_at), c.author) for c in facts.comments if counts(c.author)]
    events = sorted((when, login_key(who), who) for when, who in events if when is not None and when >= entered)
    running = FirstFeedback(running=True, days=days, entered_at=iso(entered), due_at=iso(due))
    if events:
        when, _, who = events[0]
        return running._replace(first_at=iso(when), first_by=who.lstrip("@"), age_days=(when - entered).days)
    now = clock(facts.now)
    if now is not None:
        return running._replace(age_days=max(0, (now - entered).days), overdue=now > due)
    return running
