"""The review engine: one pure function from a pull request's facts to a verdict.

``decide(facts)`` reads only its argument (no files, no network, no clock:
the moment of evaluation is ``facts.now``) and returns a ``Verdict``: whether
the pull request may merge, the reasons with stable rule codes, the labels
to set, answers to commands, the objections and approvals as the engine
counted them, the first-feedback clock, and the text of the one summary
comment. ``pepctl gate``, the GitHub Action and the bot all call it; none of
them re-implements a rule.

The R rules live in ``pepctl.review.rules`` (one function each, in a registry
like the lint rules'; ``pepctl rules`` lists them). Severity ``error`` blocks;
``warning`` and ``note`` do not. A draft pull request is decided in full, but
the verdict is marked ``informational`` (its ``conclusion`` is neutral
instead of failure) and the first-feedback clock does not run for it.
"""

from __future__ import annotations

from pepctl.review import commands, objections, rules
from pepctl.review.clock import first_feedback
from pepctl.review.context import Context, id_key
from pepctl.review.facts import Facts
from pepctl.review.peps import canonical, load_peps, pep_authors, subjects
from pepctl.review.summary import render
from pepctl.review.verdict import OVERDUE_LABEL, Reason, Verdict, status_label


def decide(facts: Facts) -> Verdict:
    """Decide a pull request from its facts (pure: no I/O, no clock reads)."""
    ctx = Context(facts)
    verdict = ctx.verdict
    policy = ctx.policy
    verdict.informational = bool(facts.pull.draft)
    verdict.approvals_needed = ctx.config.required_approvals
    verdict.project_lead = policy.project_lead
    verdict.peps = load_peps(facts.changes, ctx.config)
    ctx.subjects = subjects(verdict.peps)

    # Commands, in the order they were written.
    collected = commands.collect(facts.comments, lambda c: (ctx.clock.key(c.created_at), id_key(c.id)))
    verdict.edited = [(c.id, c.author, [command.name for command in found]) for c, found in collected.edited]
    answers = []
    verdict.final_call = objections.final_call(ctx, collected.commands, answers)
    authors = pep_authors(ctx.subjects)
    verdict.objections = objections.objections(ctx, collected.commands, verdict.final_call, answers)
    objections.help_and_unknown(ctx, collected.commands, answers)
    verdict.approvals, verdict.not_counted = objections.approvals(ctx, authors)
    created = {}
    for comment in reversed(facts.comments):  # the first comment of an id counts
        created[comment.id] = comment.created_at
    verdict.answers = sorted(answers, key=lambda a: (ctx.clock.key(created.get(a.comment_id)), id_key(a.comment_id), a.key))
    verdict.first_feedback = first_feedback(ctx, ctx.subjects, authors)

    checked = rules.run(ctx, verdict.peps, ctx.subjects)
    verdict.labels = labels(policy, ctx.subjects, verdict.first_feedback.overdue)
    verdict.reasons.sort(key=Reason.sort_key)
    verdict.passed = not any(r.blocking for r in verdict.reasons)
    verdict.checked = sorted(checked)
    verdict.summary = render(verdict)
    return verdict


def labels(policy, peps, overdue: bool) -> list[str]:
    """``pep: <status>`` of each PEP at head, and ``pep: feedback overdue`` when the clock ran out."""
    found = set()
    for pc in peps:
        status = canonical(policy, pc.head_status)
        if pc.head is not None and status:
            found.add(status_label(status))
    if overdue:
        found.add(OVERDUE_LABEL)
    return sorted(found)
