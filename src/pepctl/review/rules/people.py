"""Rules about what people decide: maintainer approvals, objections, the lead's final call, and
first feedback on time."""

from __future__ import annotations

from pepctl.review.markdown import plain
from pepctl.review.peps import ACCEPTED, DECLINED
from pepctl.review.reviews import approvals_for
from pepctl.review.rules import PULL, Finding, decision_states, rule
from pepctl.review.verdict import NOTE, WARNING


@rule("R007", "approvals-needed", "Moving a PEP to a status the maintainers decide (`deciders`: Accepted, Declined, Deferred) needs the configured number of distinct maintainer approvals (the lead is a maintainer), PEP authors not counted, each given while the PEP had the status it has at head.",
      checklist="maintainer approvals")
def approvals_needed(pep, ctx):
    policy = ctx.policy
    head_status = pep.head_status
    if not (pep.deciding and head_status in decision_states(policy)):
        return None
    needed = ctx.config.required_approvals
    have, not_counted = approvals_for(ctx, pep.pc)
    if len(have) >= needed:
        return []
    label = pep.pc.label
    call = pep.call
    if call is not None and ((call.decision == "accept" and head_status == policy.canonical(ACCEPTED))
                             or (call.decision == "decline" and head_status == policy.canonical(DECLINED))):
        return [Finding(f"{label}: {len(have)} of {needed} maintainer approvals, but the project lead's final call decides.", NOTE)]
    if not ctx.policy.has_maintainers:
        return [Finding(f"{label} moves to {head_status}, which needs {needed} maintainer approvals, but no maintainers are configured; "
                        "list them under `maintainers` in pepctl.toml.", line=pep.status_line)]
    names = ", ".join("@" + h for h in have) or "none yet"
    skipped = "; not counted: " + ", ".join(f"@{h} ({why})" for h, why in not_counted) if not_counted else ""
    return [Finding(f"{label} moves to {head_status}, which needs approving reviews from {needed} maintainers other than "
                    f"its authors; it has {len(have)} ({names}){skipped}.", line=pep.status_line)]


@rule("R008", "unresolved-objection", "Accepting needs every objection (anyone's) resolved by its raiser or overruled by the project lead's call on this PEP.",
      checklist="no unresolved objection")
def unresolved_objection(pep, ctx):
    policy = ctx.policy
    head_status = pep.head_status
    if not (pep.deciding and head_status in decision_states(policy) and head_status == policy.canonical(ACCEPTED)):
        return None
    found = []
    for objection in ctx.verdict.objections:
        if not objection.blocks(pep.pc.label):
            continue
        if objection.source == "review":
            how = f"@{objection.raiser} can approve the pull request or post `/pep resolve {objection.id}`"
        else:
            how = f"@{objection.raiser} can post `/pep resolve {objection.id}`"
        edited = "; its comment was edited after it was posted" if objection.edited_at else ""
        if objection.dismissed_by:
            edited += f"; the review was dismissed by @{objection.dismissed_by}, which does not resolve it"
        found.append(Finding(
            f"{pep.pc.label} cannot be accepted while objection {objection.id} by @{objection.raiser} is open "
            f"({plain(objection.reason, 120)}{edited}); {how}, or the project lead can overrule it with a final call."
        ))
    return found


@rule("R010", "final-call", "The project lead's final call is followed (status set accordingly) and its rationale recorded in the PEP.",
      checklist="final call followed and recorded")
def final_call(pep, ctx):
    call = pep.call
    if call is None:
        return None
    policy = ctx.policy
    pc = pep.pc
    found = []
    target = policy.canonical(ACCEPTED if call.decision == "accept" else DECLINED)
    if pep.head_status != target:
        found.append(Finding(f"the project lead's final call is to {call.decision} {pc.label}; set its Status to {target} "
                             f"(it is {pc.head.status or '(empty)'}).", line=pep.status_line))
    if not policy.rationale(pc.head.document)[1]:
        sections = " or ".join(f"'## {t}'" for t in ctx.config.rationale_sections)
        found.append(Finding(f"the project lead made the final call on {pc.label}; record its rationale in the PEP under a "
                             f"non-empty {sections} section (PEP-0000: the lead records the rationale in the PEP)."))
    return found


@rule("R013", "first-feedback-overdue", "A PEP under review gets first maintainer feedback within the configured days (a warning).",
      WARNING, PULL, "first maintainer feedback on time")
def first_feedback_overdue(ctx):
    info = ctx.verdict.first_feedback
    if info is None or not info.running:
        return None
    if not info.overdue:
        return []
    return [Finding(f"no maintainer has reviewed or commented since this PEP entered review on {info.entered_at[:10]}; "
                    f"first feedback was due within {info.days} days, by {info.due_at[:10]}.")]
