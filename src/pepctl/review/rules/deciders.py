"""Who may make which move (PEP-0000, States): the ``deciders`` table says, per status, whether
its authors, the maintainers or anyone decides that a PEP enters it.

The maintainers' statuses (Accepted, Declined, Deferred by default) need their approval quorum or
the project lead's final call: R007 checks that, through ``decision_states``. This module checks
the authors' statuses (Withdrawn by default: "Author has decided not to pursue this proposal").
"""

from __future__ import annotations

from pepctl.keys import login_key
from pepctl.review.reviews import APPROVED, approvals_for, commit_problem, latest_reviews
from pepctl.review.rules import Finding, rule

AUTHORS = "authors"


def base_authors(pc) -> list[str]:
    """The handles (as written, without @) in the PEP's Author(s) field on the base branch: who
    the PEP belongs to before this pull request (naming oneself at head proves nothing)."""
    if pc.base is None:
        return []
    seen, out = set(), []
    for author in pc.base.authors:
        if author.handle and login_key(author.handle) not in seen:
            seen.add(login_key(author.handle))
            out.append(author.handle.lstrip("@"))
    return out


@rule("R014", "authors-decision", "A PEP enters a status its authors decide (`deciders`; Withdrawn by default) only by their "
      "decision: the pull request comes from one of its authors on the base branch, or one of them approves it.",
      checklist="the PEP's authors decided")
def authors_decision(pep, ctx):
    policy = ctx.policy
    status = pep.head_status
    if not (pep.deciding and status and policy.decider(status) == AUTHORS):
        return None
    pc = pep.pc
    authors = base_authors(pc)
    keys = {login_key(a) for a in authors}
    if keys:
        opener = ctx.facts.pull.author or ""
        if login_key(opener) in keys:
            return []
        # An author's approval approves what they saw, as a maintainer's does (reviews.commit_problem):
        # one given before the pull request made the move does not decide it.
        latest = latest_reviews(ctx)
        stale = []
        for key in sorted(keys):
            review = latest.get(key)
            if review is None or review.state != APPROVED:
                continue
            problem = commit_problem(ctx, pc, review)
            if problem is None:
                return []
            stale.append(f"@{review.author.lstrip('@')} ({problem})")
        named = ", ".join("@" + a for a in authors)
        not_counted = f" Not counted: {', '.join(stale)}; approve again." if stale else ""
        return [Finding(
            f"{pc.label} moves to {status}, which is its authors' decision{_why(policy, status)}, but this pull request "
            f"was opened by @{opener.lstrip('@') or '(unknown)'}, who is not one of its authors ({named}). "
            f"One of them approves this pull request (a GitHub review), or opens it themselves.{not_counted}",
            line=pep.status_line,
        )]
    # Nobody can be shown to be an author: the base cannot be read, or names no GitHub handle.
    why = ("its base version cannot be read" if pc.base is None
           else "its Author(s) field on the base branch names no GitHub handle")
    needed = ctx.config.required_approvals
    counted, _ = approvals_for(ctx, pc)
    if len(counted) >= needed:
        return []
    names = ", ".join("@" + h for h in counted) or "none yet"
    return [Finding(
        f"{pc.label} moves to {status}, which is its authors' decision, but {why}, so nobody can be shown to be its "
        f"author; it needs approving reviews from {needed} maintainers instead (it has {len(counted)}: {names}). "
        "Or restore the author's GitHub handle in Author(s) (`Name (@handle)`) in a pull request of its own first.",
        line=pep.status_line,
    )]


def _why(policy, status: str) -> str:
    """Where the rule comes from: PEP-0000's sentence for Withdrawn, else the configuration."""
    if status == policy.canonical("Withdrawn"):
        return " (PEP-0000: Withdrawn means the \"Author has decided not to pursue this proposal\")"
    return " (`deciders` in the configuration)"
