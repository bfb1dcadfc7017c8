"""Rules about a PEP's status change: allowed by the lifecycle, its requirements met, a decline explained."""

from __future__ import annotations

from pepctl import rules as lint_rules
from pepctl.lint import lint_pep
from pepctl.review.rules import Finding, rule
from pepctl.review.verdict import ERROR, WARNING

LIFECYCLE_RULES = ("L", "H009")  # the lint rules of what a status requires


def lint_head(ctx, pep, select=LIFECYCLE_RULES, ignore=(), today=None) -> list:
    """The lint rules on the PEP as the pull request leaves it (no folder is read: these rules
    only look at the file itself and the policy)."""
    return lint_pep(ctx.policy, pep.pc.head, today=today, select=select, ignore=ignore)


@rule("R005", "illegal-transition", "Every status change from base to head is an allowed lifecycle transition.",
      checklist="status change allowed by the lifecycle")
def illegal_transition(pep, ctx):
    base_status, head_status = pep.base_status, pep.head_status
    if not (pep.pc.base is not None and pep.changed and base_status and head_status):
        return None
    policy = ctx.policy
    if policy.can_transition(base_status, head_status):
        return []
    allowed = policy.next_states(base_status)
    hint = (f"from {base_status} it can move to: {', '.join(allowed)}" if allowed
            else f"{base_status} is final and does not change any more")
    return [Finding(f"{pep.pc.label} cannot move from {base_status} to {head_status}; {hint}.", line=pep.status_line)]


@rule("R006", "state-requirements", "A PEP entering a status meets that status's requirements (lint rules L*, H009).",
      checklist="requirements of the new status met")
def state_requirements(pep, ctx):
    if not pep.changed:
        return None
    moment = ctx.clock(ctx.facts.now)
    today = moment.date() if moment is not None else None
    return [
        Finding(f"{pep.pc.label} line {d.line}: {d.code} {d.message}", ERROR if d.severity == "error" else WARNING, d.line)
        for d in lint_head(ctx, pep, today=today, ignore=("L004",))
    ]


@rule("R009", "decline-rationale", "A PEP entering a status that needs a rationale (Declined) records it in a Decision/Rationale section.",
      checklist="rationale recorded")
def decline_rationale(pep, ctx):
    """Through the linter's L004 when it is registered."""
    head_status = pep.head_status
    if not (pep.deciding and head_status and ctx.policy.needs_rationale(head_status)):
        return None
    if "L004" in lint_rules.REGISTRY:
        found = [(d.line, d.message) for d in lint_head(ctx, pep, select=("L004",)) if d.code == "L004"]
    elif ctx.policy.rationale(pep.pc.head.document)[1]:
        found = []
    else:
        found = [(pep.status_line, f"a {head_status} PEP must record why in a non-empty Decision or Rationale section")]
    return [Finding(f"{pep.pc.label} line {line}: {message}", line=line) for line, message in found]
