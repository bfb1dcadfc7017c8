"""Rules about a PEP's status change: allowed by the lifecycle, its requirements met, a decline explained."""

from __future__ import annotations

from pepctl import rules as lint_rules
from pepctl.document import Document
from pepctl.lint import lint_pep
from pepctl.model import Pep
from pepctl.review.rules import Finding, rule
from pepctl.review.verdict import ERROR, WARNING
from pepctl.status_requirements import move_problems


def lint_head(ctx, pep, select=(), ignore=(), today=None) -> list:
    """The lint rules on the PEP as the pull request leaves it (no folder is read: these rules
    only look at the file itself and the policy)."""
    return lint_pep(ctx.policy, pep.pc.head, today=today, select=select, ignore=ignore)


def with_status(pep: Pep, status: str) -> Pep | None:
    """The PEP's text with another Status (None when it has no Status field to set)."""
    document = Document(pep.document.text, pep.path, pep.document.bom)
    try:
        document.set_field("Status", status)
    except KeyError:
        return None
    return Pep(document, pep.path)


def before_move(ctx, pep) -> Pep | None:
    """What the move is judged against, as `pepctl status` and `pepctl new --status` judge it: the
    head's own text in the status it leaves, so that only what the new status asks counts, not
    unrelated edits. That is the base status; for a new PEP (and one whose base cannot be read,
    so that nobody knows where it comes from), the first initial status, as `pepctl new` starts
    one. None when the head has no Status field: then everything the rules find counts."""
    pc = pep.pc
    if pc.added or pc.base is None:
        return with_status(pc.head, ctx.policy.initial_states[0])
    return with_status(pc.head, pc.base.status)


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


@rule("R006", "state-requirements", "A PEP entering a status meets what `pepctl status` asks of that status: the lifecycle "
      "rules (L*, H009), and no new error of the other per-file rules, as the project configured them.",
      checklist="requirements of the new status met")
def state_requirements(pep, ctx):
    if not pep.changed:
        return None
    moment = ctx.clock(ctx.facts.now)
    today = moment.date() if moment is not None else None
    found = move_problems(ctx.policy, before_move(ctx, pep), pep.pc.head, today=today, errors_only=False)
    if _rationale_rule_applies(pep, ctx):
        found = [d for d in found if d.code != "L004"]  # R009 reports it, once
    return [
        Finding(f"{pep.pc.label} line {d.line}: {d.code} {d.message}", ERROR if d.severity == "error" else WARNING, d.line)
        for d in found
    ]


def _rationale_rule_applies(pep, ctx) -> bool:
    return bool(pep.deciding and pep.head_status and ctx.policy.needs_rationale(pep.head_status))


@rule("R009", "decline-rationale", "A PEP entering a status that needs a rationale (Declined) records it in a Decision/Rationale section.",
      checklist="rationale recorded")
def decline_rationale(pep, ctx):
    """Through the linter's L004 when it is registered."""
    head_status = pep.head_status
    if not _rationale_rule_applies(pep, ctx):
        return None
    if "L004" in lint_rules.REGISTRY:
        found = [(d.line, d.message) for d in lint_head(ctx, pep, select=("L004",)) if d.code == "L004"]
    elif ctx.policy.rationale(pep.pc.head.document)[1]:
        found = []
    else:
        found = [(pep.status_line, f"a {head_status} PEP must record why in a non-empty Decision or Rationale section")]
    return [Finding(f"{pep.pc.label} line {line}: {message}", line=line) for line, message in found]
