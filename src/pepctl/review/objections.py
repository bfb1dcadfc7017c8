"""What people did on the pull request, as the process counts it: objections (raised, resolved,
overruled), and the answers owed to ``/pep`` commands (see docs/review.md). Approvals and
each person's latest review are ``pepctl.review.reviews``' (``approvals_for`` and
``latest_reviews`` are importable from here too); the lead's final calls ``finalcall``'s.

PEP-0000 §5 accepts a PEP when "there are no unresolved objections". Anyone may object (a
"changes requested" review, or ``/pep object``: community members are reviewers too), and an
objection ends only by its raiser (a resolve, a later approval, dismissing their own change
request) or the project lead's final call. A change request dismissed by someone else stands.

Each step reads the facts and the parsed commands and appends the answers it
owes to ``answers``; none of them decides pass or fail (the R rules do).
"""

from __future__ import annotations

from pepctl.keys import login_key
from pepctl.model import LOGIN_RE
from pepctl.review import commands as cmds
from pepctl.review import reviews
from pepctl.review.context import Context
from pepctl.review.markdown import code, handle, message, plain
from pepctl.review.reviews import (  # noqa: F401  (approvals_for, latest_reviews: the rules' questions)
    APPROVED,
    CHANGES_REQUESTED,
    COMMENTED,
    DECISIVE,
    DISMISSED,
    approvals_for,
    latest_reviews,
    review_order,
)
from pepctl.review.verdict import Answer, Objection


def mention(handle_) -> str:
    """The one deliberate mention in an answer: the person who wrote the command."""
    login = plain(handle_, 60).lstrip("@")
    return f"@{login}" if LOGIN_RE.fullmatch(login) else "Hello"


def _raised(ctx: Context, commands, answers) -> tuple[list[Objection], dict]:
    """Every objection raised, oldest first: change requests (anyone's: community members are
    reviewers too), then ``/pep object`` lines of comments and review texts; and objection id ->
    (source, id) of the comment or review that raised it."""
    found, where = [], {}
    # Whoever's latest decisive review requests changes objects; the id comes from the first
    # review of that run of change requests, so it stays the same when they request changes
    # again. A change request someone else dismissed still stands; one its author dismissed is
    # withdrawn (resolved).
    for items in reviews.decisive_by_person(ctx).values():
        last = items[-1]
        if last.state not in (CHANGES_REQUESTED, reviews.WITHDRAWN):
            continue
        first = len(items) - 1
        while first > 0 and items[first - 1].state in (CHANGES_REQUESTED, reviews.WITHDRAWN):
            first -= 1
        review, dismissal = last.review, last.dismissal
        reason = "requested changes in a review"
        dismissed_by = None
        if review.state == DISMISSED and dismissal is None:
            reason = "a dismissed review: whether it requested changes, and who dismissed it, could not be read"
        elif dismissal is not None and last.state == CHANGES_REQUESTED:
            dismissed_by = (dismissal.actor or "").lstrip("@") or "(unknown)"
        objection = Objection(cmds.objection_id_for_review(items[first].review.id), review.author, reason,
                              review.submitted_at, "review", dismissed_by=dismissed_by)
        if last.state == reviews.WITHDRAWN:
            objection.settle("resolved", review.author, dismissal.at, "review dismissed by its raiser")
        found.append(objection)
        where[objection.id] = (cmds.REVIEW, review.id)
    for command in commands:
        if command.name != cmds.OBJECT:
            continue
        if command.problem:
            answers.append(Answer.to(command, f"{mention(command.author)}, this objection was not recorded: {message(command.problem)}."))
            continue
        source = "review-text" if command.source == cmds.REVIEW else "comment"
        found.append(Objection(command.objection_id, command.author, command.arg, command.created_at, source,
                               edited_at=command.edited_at))
        where[command.objection_id] = command.post
    found.sort(key=lambda o: (ctx.clock.key(o.raised_at), o.id))
    return found, where


def objections(ctx: Context, commands, answers) -> tuple[list[Objection], list]:
    """Every objection, resolved by its raiser (a resolve, a later approval, dismissing their own
    change request); and the resolves made before an edit of their objection, for ``overrule``
    to answer. The lead's final calls are applied after (``overrule``)."""
    clock = ctx.clock
    found, where = _raised(ctx, commands, answers)
    by_id = {objection.id: objection for objection in found}

    # /pep resolve: only the raiser, only after the objection was raised, not where it was raised.
    stale = []
    for command in commands:
        if command.name != cmds.RESOLVE:
            continue
        who = mention(command.author)
        if command.problem:
            answers.append(Answer.to(command, f"{who}, nothing was resolved: {message(command.problem)}."))
            continue
        objection = by_id.get(command.arg)
        when = clock.key(command.created_at)
        if objection is None or when < clock.key(objection.raised_at) or where.get(objection.id) == command.post:
            answers.append(
                Answer.to(command, f"{who}, there is no objection {code(command.arg)} on this pull request; the summary comment lists the ids.")
            )
            continue
        if login_key(command.author) != login_key(objection.raiser):
            answers.append(
                Answer.to(
                    command,
                    f"{who}, only {handle(objection.raiser)}, who raised objection {code(objection.id)}, can resolve it; it stays open. "
                    f"Ask them to post {code('/pep resolve ' + objection.id)}, or, if maintainers cannot agree, "
                    "the project lead can overrule it with a final call.",
                )
            )
            continue
        if objection.open and not _after_edit(clock, objection, command.created_at):
            stale.append((command, objection))  # answered by overrule() if nothing else settles it
            continue
        if objection.open:
            objection.settle("resolved", command.author, command.created_at, "resolve command")

    # A later approving review from the raiser resolves it too.
    for objection in found:
        if not objection.open:
            continue
        raised = clock.key(objection.raised_at)
        for review in reviews.review_order(ctx):
            if (
                review.state == APPROVED
                and login_key(review.author) == login_key(objection.raiser)
                and clock.key(review.submitted_at) > raised
                and _after_edit(clock, objection, review.submitted_at)
            ):
                objection.settle("resolved", review.author, review.submitted_at, "approving review")
                break
    return found, stale


def overrule(ctx: Context, found: list[Objection], calls, scope: list[str], stale, answers) -> None:
    """The lead's final call on a PEP overrules, for that PEP, every objection raised before it;
    an objection overruled for every PEP of ``scope`` (the labels of the PEPs the pull request
    decides) is settled as overruled. Then the answers owed to resolves made before an edit."""
    clock = ctx.clock
    for call in sorted(calls, key=lambda c: (clock.key(c.at), c.pep)):
        called = clock.key(call.at)
        for objection in found:
            if (objection.open and call.pep not in objection.overruled_for
                    and clock.key(objection.raised_at) <= called and _after_edit(clock, objection, call.at)):
                objection.overruled_for.append(call.pep)
                objection.overruled_for.sort()
                if scope and all(label in objection.overruled_for for label in scope):
                    objection.settle("overruled", call.author, call.at, "final call")
    for command, objection in stale:
        if objection.open:
            answers.append(
                Answer.to(
                    command,
                    f"{mention(command.author)}, the comment that raised objection {code(objection.id)} was edited after this, "
                    f"so the objection is open again; if it still does not stand, post {code('/pep resolve ' + objection.id)} "
                    "in a new comment.",
                )
            )


def _after_edit(clock, objection, moment) -> bool:
    """Whether something done at `moment` can still resolve or overrule the
    objection: always for an unedited one; for one whose comment was edited,
    only when done after the edit (when the text it answers was last changed)."""
    return objection.edited_at is None or clock.key(moment) > clock.key(objection.edited_at)


def help_and_unknown(ctx: Context, commands, answers) -> None:
    """Answers to ``/pep help`` and to what follows ``/pep`` but is no command."""
    for command in commands:
        if command.name == cmds.HELP:
            answers.append(Answer.to(command, help_text(ctx.policy, mention(command.author))))
        elif command.name == cmds.UNKNOWN:
            what = code(command.arg, 40) if command.arg else "nothing"
            answers.append(
                Answer.to(command, f"{mention(command.author)}, `/pep` was followed by {what}, which is not a command; `/pep help` lists them.")
            )


def _states(states) -> str:
    """'Accepted, Declined or Deferred' (by name); 'a decided status' when there are none."""
    names = sorted(states, key=lambda s: s.casefold())
    if not names:
        return "a decided status"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def help_text(policy, greeting: str = "") -> str:
    """The reply to ``/pep help``: the commands and who may use them."""
    lines = []
    if greeting:
        lines.append(f"{greeting}, these are the PEP process commands (one per line, at the start of a new comment or of a review's text):")
    else:
        lines.append("PEP process commands (one per line, at the start of a new comment or of a review's text):")
    lines.append("")
    for usage, meaning in cmds.USAGE:
        lines.append(f"- `{usage}`: {meaning}")
    lines.append("")
    lead = handle(policy.project_lead) if policy.project_lead else "the project lead (none configured)"
    lines.append(
        f"Approvals are GitHub reviews: moving a PEP to {_states(policy.decided_by('maintainers'))} needs {policy.config.required_approvals} "
        f"maintainers (the project lead is one) whose latest review approves, given while the PEP had the status it "
        f"has now; PEP authors are not counted. Final calls come from {lead}. "
        "Commands in edited comments do not count (objections still do): post a new comment."
    )
    return "\n".join(lines)
