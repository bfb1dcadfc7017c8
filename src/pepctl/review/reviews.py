"""The reviews of a pull request as the process counts them (docs/review.md, "Approvals").

- **Each person's latest review** that is not a plain comment is what they say now
  (``latest_reviews``).
- **A dismissal does not end an objection** (PEP-0000 §5: a PEP is accepted when "there are no
  unresolved objections"): a change request dismissed by someone other than its author still
  stands; one its author dismissed is withdrawn; a dismissed approval counts for nothing. Who
  dismissed what comes from ``Facts.dismissals``; a dismissed review without one (the events could
  not be read) may have been a change request, so it stands as one.
- **An approval approves what the maintainer saw** (``approvals_for``): for a PEP the pull
  request decides, it counts only when the PEP's Status, at the commit it was given on, was the
  one at head (``approval-scope = "file"``: only when the PEP file was as at head). The adapter
  reads those files at those commits (``snapshots_wanted`` says which) into ``Facts.snapshots``.
- **The project lead is a maintainer** in every rule (``Context.is_maintainer``).

``reviewers`` answers PEP-0000 §4's "at least two maintainers must review the PEP", which a final
call waits for.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from pepctl.keys import login_key
from pepctl.review import commands as cmds
from pepctl.review.context import FILE_SCOPE, Context, id_key
from pepctl.review.facts import Facts, Review
from pepctl.review.peps import PepChange, canonical, decides, load_peps, parse_pep, pep_authors

APPROVED = "APPROVED"
CHANGES_REQUESTED = "CHANGES_REQUESTED"
DISMISSED = "DISMISSED"
COMMENTED = "COMMENTED"
PENDING = "PENDING"
DECISIVE = (APPROVED, CHANGES_REQUESTED, DISMISSED)
WITHDRAWN = "WITHDRAWN"  # a change request dismissed by its own author (internal: shown as DISMISSED)


class Said(NamedTuple):
    """One decisive review as it stands: ``state`` after any dismissal (APPROVED,
    CHANGES_REQUESTED, DISMISSED for a dismissed approval, WITHDRAWN for a change request its
    author dismissed), and the ``dismissal`` (a facts.Dismissal) when there is one."""

    review: Review
    state: str
    dismissal: object = None


def review_order(ctx: Context) -> list[Review]:
    """The submitted reviews, oldest first."""
    if "order" not in ctx.memo:
        ctx.memo["order"] = sorted(
            (r for r in ctx.facts.reviews if r.state != PENDING),
            key=lambda r: (ctx.clock.key(r.submitted_at), id_key(r.id)),
        )
    return ctx.memo["order"]


def _dismissals(ctx: Context) -> dict:
    """review id -> its latest dismissal."""
    if "dismissals" not in ctx.memo:
        found = {}
        for item in sorted(ctx.facts.dismissals, key=lambda d: ctx.clock.key(d.at)):
            found[item.review_id] = item
        ctx.memo["dismissals"] = found
    return ctx.memo["dismissals"]


def said(ctx: Context, review: Review) -> Said:
    """What a decisive review says now, dismissals considered."""
    if review.state != DISMISSED:
        return Said(review, review.state)
    dismissal = _dismissals(ctx).get(review.id)
    if dismissal is None:
        return Said(review, CHANGES_REQUESTED)  # unknown: it may have been a change request
    if dismissal.state == APPROVED:
        return Said(review, DISMISSED, dismissal)
    if login_key(dismissal.actor) and login_key(dismissal.actor) == login_key(review.author):
        # its author took it back: a change request is withdrawn, anything else is just gone
        return Said(review, WITHDRAWN if dismissal.state == CHANGES_REQUESTED else DISMISSED, dismissal)
    return Said(review, CHANGES_REQUESTED, dismissal)  # someone else's dismissal: it may object, so it stands


def decisive_by_person(ctx: Context) -> dict[str, list[Said]]:
    """login key -> that person's decisive reviews, oldest first, as they stand."""
    if "decisive" not in ctx.memo:
        found: dict[str, list[Said]] = {}
        for review in review_order(ctx):
            if review.state in DECISIVE:
                found.setdefault(login_key(review.author), []).append(said(ctx, review))
        ctx.memo["decisive"] = found
    return ctx.memo["decisive"]


def latest_reviews(ctx: Context) -> dict:
    """login key -> each person's latest decisive review (approved, changes requested, dismissed),
    with its state as it stands: a change request someone else dismissed is still CHANGES_REQUESTED,
    one its author dismissed (or a dismissed approval) is DISMISSED."""
    latest = {}
    for key, items in decisive_by_person(ctx).items():
        last = items[-1]
        state = DISMISSED if last.state == WITHDRAWN else last.state
        latest[key] = last.review if state == last.review.state else dataclasses.replace(last.review, state=state)
    return latest


# -- approvals ------------------------------------------------------------------------


def _approvals(ctx: Context, pc: PepChange):
    """(name, latest Said, why not counted before looking at commits or None) of everyone whose
    latest decisive review approves or is a dismissed approval."""
    authors = pep_authors([pc])
    for key in sorted(decisive_by_person(ctx)):
        last = decisive_by_person(ctx)[key][-1]
        name = (last.review.author or "").lstrip("@")
        if last.state == APPROVED:
            if key in authors:
                yield name, last, "a PEP author"
            elif not ctx.policy.is_maintainer(key):
                yield name, last, "not a maintainer"
            else:
                yield name, last, None
        elif last.state == DISMISSED and ctx.policy.is_maintainer(key):
            yield name, last, "review dismissed"


def text_governed(policy, pc: PepChange) -> bool:
    """Whether approvals count for this PEP's text rather than its status: the process document
    (R015), and a decided PEP or a record whose text the pull request amends (R017)."""
    if pc.added or pc.head is None:
        return False
    if pc.index_doc:
        return True
    status = pc.base.status if pc.base is not None else ""
    return bool(status) and (policy.is_amendable(status) or policy.is_record(status))


def _commit_checked(ctx: Context, pc: PepChange, review: Review) -> bool:
    """Whether this approval must be checked against the PEP at the commit it was given on."""
    head = ctx.facts.pull.head_sha
    return bool(head) and review.commit_id != head and (decides(ctx.policy, pc) or text_governed(ctx.policy, pc))


def _paths(pc: PepChange) -> tuple[str, ...]:
    return (pc.path, pc.previous_path) if pc.previous_path else (pc.path,)


def snapshot(facts: Facts, commit: str, pc: PepChange) -> bytes | None:
    """The PEP's bytes at ``commit`` as the adapter read them (at its path, or before a rename)."""
    for path in _paths(pc):
        data = facts.snapshots.get((commit, path))
        if data is not None:
            return data
    return None


def commit_problem(ctx: Context, pc: PepChange, review: Review) -> str | None:
    """Why an approval given on another commit than the head does not count for ``pc``, or None.

    For a PEP whose status the pull request changes, the status at that commit must be the one at
    head (``approval-scope = "file"``: the file must be the same). For one whose text is what is
    approved (``text_governed``), the file must be the same: approving a typo fix does not approve
    the rewrite pushed after it."""
    if not _commit_checked(ctx, pc, review):
        return None
    if not review.commit_id:
        return "given on an unknown commit"
    short = review.commit_id[:7]
    data = snapshot(ctx.facts, review.commit_id, pc)
    if data is None:
        return f"given on {short}, where {pc.label} could not be read"
    if ctx.approval_scope == FILE_SCOPE or not decides(ctx.policy, pc):
        # an approval of a change to the text (not of a status) approves those very bytes
        head = next((c.head for c in ctx.facts.changes if c.path == pc.path), None)
        return None if data == head else f"given on {short}; {pc.label} changed since"
    then, _ = parse_pep(data, pc.path)
    if then is None:
        return f"given on {short}, where {pc.label} could not be read"
    policy = ctx.policy
    was, now = canonical(policy, then.status), canonical(policy, pc.head.status)
    if was is not None and was == now:
        return None
    if was is None and now is None and then.status.strip().casefold() == pc.head.status.strip().casefold():
        return None
    shown = then.status.strip() or "(no status)"
    return f"given on {short} when {pc.label} was {shown}"


def approvals_for(ctx: Context, pc) -> tuple[list[str], list[tuple[str, str]]]:
    """For one PEP of the pull request: (maintainers, the project lead among them, whose latest
    decisive review approves it, the PEP's authors excluded, and for a PEP the pull request
    decides, given on a commit where its status was the one at head; (handle, why) of approvals
    that do not count)."""
    counted, skipped = [], []
    for name, last, why in _approvals(ctx, pc):
        if why is None:
            why = commit_problem(ctx, pc, last.review)
        if why is None:
            counted.append(name)
        else:
            skipped.append((name, why))
    return counted, skipped


def snapshots_wanted(facts: Facts) -> list[tuple[str, tuple[str, ...]]]:
    """What the adapter reads before deciding: (commit, the PEP file's paths to try, in order) for
    each approval that would count but was given on another commit than the head, for PEPs the pull
    request decides. Sorted, without repeats; empty when every approval is on the head commit."""
    ctx = Context(facts)
    wanted = set()
    for pc in load_peps(facts.changes, ctx.config):
        for _, last, why in _approvals(ctx, pc):
            review = last.review
            if why is None and review.commit_id and _commit_checked(ctx, pc, review):
                wanted.add((review.commit_id, _paths(pc)))
    return sorted(wanted)


# -- who reviewed ---------------------------------------------------------------------


def reviewers(ctx: Context, pc: PepChange, before: str, exclude=None) -> list[str]:
    """Maintainers (the project lead among them), not the PEP's authors, who reviewed it (a
    review in any state) or commented on the pull request before ``before``; a comment made only
    of ``/pep`` commands is not review. ``exclude``: (source, id) of the post to leave out."""
    authors = pep_authors([pc])
    moment = ctx.clock.key(before)
    found = {}
    posts = [(r.author, r.submitted_at, ("review", r.id), True) for r in review_order(ctx)]
    posts += [(c.author, c.created_at, ("comment", c.id), _discusses(c.body)) for c in ctx.facts.comments]
    for author, at, where, counts in posts:
        key = login_key(author)
        if (counts and key and key not in authors and ctx.policy.is_maintainer(key) and where != exclude
                and ctx.clock(at) is not None and ctx.clock.key(at) < moment):
            found.setdefault(key, (author or "").lstrip("@"))
    return sorted(found.values(), key=login_key)


def _discusses(body: str) -> bool:
    """Whether a comment says something besides ``/pep`` commands."""
    commands = {command.line for command in cmds.parse(body or "")}
    return any(line.strip() and number not in commands for number, line in cmds.visible_lines(body or ""))
