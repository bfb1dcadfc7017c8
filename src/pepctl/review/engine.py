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

from pepctl.review import commands, finalcall, objections, rules
from pepctl.review.clock import first_feedback
from pepctl.review.context import Context, id_key
from pepctl.review.facts import Facts
from pepctl.review.peps import canonical, load_peps, pep_authors, subjects
from pepctl.review.reviews import approvals_for
from pepctl.review.summary import render
from pepctl.review.verdict import OVERDUE_LABEL, Answer, Approvals, Reason, Verdict, status_label

# Answers to the commands of one comment (or review text), at most: one comment holding
# thousands of commands gets one answer, not thousands of them over dozens of comments.
MAX_ANSWERS = 10


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

    # Commands, in the order they were written: in comments and in the text of reviews.
    posts = list(facts.comments) + commands.review_posts(facts.reviews)
    collected = commands.collect(posts, lambda p: (ctx.clock.key(p.created_at), id_key(p.id), getattr(p, "source", "")))
    verdict.edited = [(c.id, c.author, [command.name for command in found]) for c, found in collected.edited]
    answers = []
    found, stale = objections.objections(ctx, collected.commands, answers)
    verdict.final_calls = finalcall.final_calls(ctx, collected.commands, found, answers)
    objections.overrule(ctx, found, verdict.final_calls, finalcall.scope(ctx), stale, answers)
    verdict.objections = found
    objections.help_and_unknown(ctx, collected.commands, answers)
    verdict.approvals = [Approvals(pc.label, pc.path, *approvals_for(ctx, pc)) for pc in ctx.subjects if pc.head is not None]
    created = {}
    for post in reversed(posts):  # the first post of an id counts
        created[(getattr(post, "source", commands.COMMENT), post.id)] = post.created_at
    verdict.answers = sorted(bounded(answers), key=lambda a: (ctx.clock.key(created.get((a.source, a.comment_id))),
                                                              id_key(a.comment_id), a.source, a.line))
    verdict.first_feedback = first_feedback(ctx, ctx.subjects, pep_authors(ctx.subjects))

    checked = rules.run(ctx, verdict.peps, ctx.subjects)
    verdict.labels = labels(policy, ctx.subjects, verdict.first_feedback.overdue)
    verdict.reasons.sort(key=Reason.sort_key)
    verdict.passed = not any(r.blocking for r in verdict.reasons)
    verdict.checked = sorted(checked)
    added = {pc.path for pc in verdict.peps if pc.added}
    verdict.related = {path: list(found) for path, found in facts.related.items() if path in added and found}
    verdict.summary = render(verdict)
    return verdict


def bounded(answers: list[Answer]) -> list[Answer]:
    """The answers to the first ``MAX_ANSWERS`` commands (by line) of each comment or review text
    that need one; the last of them says how many more went unanswered, and why. The same
    comment is always bounded the same way, so a later run does not answer the rest."""
    posts: dict[tuple, list[Answer]] = {}
    for answer in answers:
        posts.setdefault((answer.source, answer.comment_id), []).append(answer)
    kept = []
    for group in posts.values():
        lines = sorted({a.line for a in group})
        if len(lines) <= MAX_ANSWERS:
            kept.extend(group)
            continue
        last = lines[MAX_ANSWERS - 1]
        shown = [a for a in group if a.line <= last]
        where = "review" if group[0].source != commands.COMMENT else "comment"
        note = (f"*{len(lines) - MAX_ANSWERS} more command(s) of this {where} needed an answer and got none: "
                f"pepctl answers at most {MAX_ANSWERS} commands of one comment or review. "
                "Write the others again in a new comment, a few at a time.*")
        at = max(i for i, a in enumerate(shown) if a.line == last)
        shown[at] = shown[at]._replace(text=f"{shown[at].text}\n\n{note}")
        kept.extend(shown)
    return kept


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
