"""What people did on the pull request, as the process counts it: approvals,
objections (raised, resolved, overruled), the project lead's final call, and
the answers owed to ``/pep`` commands (see docs/review.md).

Each step reads the facts and the parsed commands and appends the answers it
owes to ``answers``; none of them decides pass or fail (the R rules do).
"""

from __future__ import annotations

from pepctl.keys import login_key
from pepctl.model import LOGIN_RE
from pepctl.review import commands as cmds
from pepctl.review.context import Context, id_key
from pepctl.review.peps import pep_authors
from pepctl.review.markdown import code, handle, message, plain
from pepctl.review.verdict import Answer, FinalCall, Objection

APPROVED = "APPROVED"
CHANGES_REQUESTED = "CHANGES_REQUESTED"
DISMISSED = "DISMISSED"
COMMENTED = "COMMENTED"
DECISIVE = (APPROVED, CHANGES_REQUESTED, DISMISSED)


def mention(handle_) -> str:
    """The one deliberate mention in an answer: the person who wrote the command."""
    login = plain(handle_, 60).lstrip("@")
    return f"@{login}" if LOGIN_RE.fullmatch(login) else "Hello"


def review_order(ctx: Context):
    """The submitted reviews, oldest first."""
    return sorted(
        (r for r in ctx.facts.reviews if r.state != "PENDING"),
        key=lambda r: (ctx.clock.key(r.submitted_at), id_key(r.id)),
    )


def final_call(ctx: Context, commands, answers) -> FinalCall | None:
    """The lead's last valid final call; answers for everyone else's."""
    policy = ctx.policy
    call = None
    for command in commands:
        if command.name != cmds.FINAL_CALL:
            continue
        who = mention(command.author)
        if not policy.project_lead:
            answers.append(Answer.to(command, f"{who}, no project lead is configured (`project-lead` in pepctl.toml), so a final call has no effect."))
            continue
        if not policy.is_lead(command.author):
            answers.append(
                Answer.to(
                    command,
                    f"{who}, only the project lead ({handle(policy.project_lead)}) can make the final call, so this one has no effect. "
                    "To disagree, raise an objection with `/pep object <reason>`.",
                )
            )
            continue
        if command.problem:
            answers.append(Answer.to(command, f"{who}, this final call has no effect: {message(command.problem)}."))
            continue
        call = FinalCall(command.decision, command.arg, command.author, command.comment_id, command.created_at)
    return call


def _raised(ctx: Context, reviews, commands, answers) -> list[Objection]:
    """Every objection raised, oldest first: maintainers' change requests, then ``/pep object`` lines."""
    found = []
    # A maintainer whose latest decisive review requests changes objects; the id
    # comes from the first review of that run of change requests, so it stays
    # the same when they request changes again.
    per_author = {}
    for review in reviews:
        if review.state in DECISIVE:
            per_author.setdefault(login_key(review.author), []).append(review)
    for key, items in per_author.items():
        if items[-1].state != CHANGES_REQUESTED or not ctx.policy.is_maintainer(key):
            continue
        first = len(items) - 1
        while first > 0 and items[first - 1].state == CHANGES_REQUESTED:
            first -= 1
        found.append(Objection(cmds.objection_id_for_review(items[first].id), items[-1].author,
                               "requested changes in a review", items[-1].submitted_at, "review"))
    for command in commands:
        if command.name != cmds.OBJECT:
            continue
        if command.problem:
            answers.append(Answer.to(command, f"{mention(command.author)}, this objection was not recorded: {message(command.problem)}."))
            continue
        found.append(Objection(command.objection_id, command.author, command.arg, command.created_at, "comment",
                               edited_at=command.edited_at))
    found.sort(key=lambda o: (ctx.clock.key(o.raised_at), o.id))
    return found


def objections(ctx: Context, commands, call: FinalCall | None, answers) -> list[Objection]:
    """Every objection, resolved by its raiser (a resolve, a later approval) or overruled by the lead's call."""
    clock = ctx.clock
    reviews = review_order(ctx)
    found = _raised(ctx, reviews, commands, answers)
    by_id = {objection.id: objection for objection in found}
    comment_of = {o.id: o.id.split("-")[1] for o in found if o.source == "comment"}

    # /pep resolve: only the raiser, only after the objection was raised.
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
        if objection is None or when < clock.key(objection.raised_at) or comment_of.get(objection.id) == str(command.comment_id):
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
            stale.append((command, objection))  # answered below if nothing else settles it
            continue
        if objection.open:
            objection.settle("resolved", command.author, command.created_at, "resolve command")

    # A later approving review from the raiser resolves it too.
    for objection in found:
        if not objection.open:
            continue
        raised = clock.key(objection.raised_at)
        for review in reviews:
            if (
                review.state == APPROVED
                and login_key(review.author) == login_key(objection.raiser)
                and clock.key(review.submitted_at) > raised
                and _after_edit(clock, objection, review.submitted_at)
            ):
                objection.settle("resolved", review.author, review.submitted_at, "approving review")
                break

    # The lead's final call overrules every objection raised before it.
    if call is not None:
        called = clock.key(call.at)
        for objection in found:
            if objection.open and clock.key(objection.raised_at) <= called and _after_edit(clock, objection, call.at):
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
    return found


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


def help_text(policy, greeting: str = "") -> str:
    """The reply to ``/pep help``: the commands and who may use them."""
    lines = []
    if greeting:
        lines.append(f"{greeting}, these are the PEP process commands (one per line, at the start of a new comment):")
    else:
        lines.append("PEP process commands (one per line, at the start of a new comment):")
    lines.append("")
    for usage, meaning in cmds.USAGE:
        lines.append(f"- `{usage}`: {meaning}")
    lines.append("")
    lead = handle(policy.project_lead) if policy.project_lead else "the project lead (none configured)"
    lines.append(
        f"Approvals are GitHub reviews: accepting or declining a PEP needs {policy.config.required_approvals} "
        f"maintainers whose latest review approves, PEP authors not counted. Final calls come from {lead}. "
        "Commands in edited comments do not count (objections still do): post a new comment."
    )
    return "\n".join(lines)


def latest_reviews(ctx: Context) -> dict:
    """login key -> each person's latest decisive review (approved, changes requested, dismissed)."""
    latest = {}
    for review in review_order(ctx):
        if review.state in DECISIVE:
            latest[login_key(review.author)] = review
    return latest


def approvals_for(ctx: Context, pc) -> tuple[list[str], list[tuple[str, str]]]:
    """For one PEP of the pull request: (maintainers whose latest decisive review approves, the PEP's
    authors excluded; (handle, why) of approvals that do not count)."""
    return approvals(ctx, pep_authors([pc]))


def approvals(ctx: Context, authors: set[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(maintainers whose latest decisive review approves, PEP authors excluded; (handle, why) of
    approvals that do not count)."""
    policy = ctx.policy
    latest = latest_reviews(ctx)
    counted, skipped = [], []
    for key in sorted(latest):
        review = latest[key]
        name = (review.author or "").lstrip("@")
        if review.state == APPROVED:
            if key in authors:
                skipped.append((name, "a PEP author"))
            elif not policy.is_maintainer(key):
                skipped.append((name, "not a maintainer"))
            else:
                counted.append(name)
        elif review.state == DISMISSED and policy.is_maintainer(key):
            skipped.append((name, "review dismissed"))
    return counted, skipped
