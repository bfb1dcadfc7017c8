"""The project lead's final call: which PEP it decides, and whether it may decide yet.

PEP-0000 §5: "If consensus still can't be reached, the project lead makes the final call and
records the rationale in the PEP." The call settles a disagreement; it does not replace review
(§4: "At least two maintainers must review the PEP"). So a ``/pep final-call``:

- comes from the project lead (anyone else's is answered and has no effect);
- is about one PEP: the one it names (``/pep final-call accept PEP-0042 <rationale>``), else the
  only PEP the pull request can decide, else the only one whose status it changes; with several,
  the lead is asked to name one. It never binds the others;
- counts only when, as it was made, the PEP had been reviewed (``required-approvals``
  maintainers, the lead among them and its authors not, had reviewed it in any state or
  commented) or someone other than the lead had an objection open. Otherwise the lead is told why
  it does not apply yet and how many reviews are missing.

The latest call that counts, per PEP, wins. ``objections.overrule`` then applies them.
"""

from __future__ import annotations

from pepctl.keys import login_key
from pepctl.model import pep_label
from pepctl.review import commands as cmds
from pepctl.review.context import Context
from pepctl.review.markdown import code, handle, message, text
from pepctl.review.objections import mention
from pepctl.review.peps import PepChange, decides
from pepctl.review.reviews import reviewers
from pepctl.review.verdict import Answer, FinalCall, Objection


def callable_peps(ctx: Context) -> list[PepChange]:
    """The PEPs a final call can be about: those of the pull request that exist on the base branch
    and can be read at head (not the index document, not a PEP it adds)."""
    return [pc for pc in ctx.subjects if not pc.added and pc.head is not None and not pc.index_doc]


def scope(ctx: Context) -> list[str]:
    """Labels of the PEPs the pull request decides (else of every PEP a call can be about): an
    objection is overruled once a call on each of these overruled it."""
    peps = callable_peps(ctx)
    return sorted({pc.label for pc in [pc for pc in peps if decides(ctx.policy, pc)] or peps})


def final_calls(ctx: Context, commands, objections: list[Objection], answers) -> list[FinalCall]:
    """The latest call that counts on each PEP, by label; answers for the others."""
    policy = ctx.policy
    peps = callable_peps(ctx)
    calls: dict[str, FinalCall] = {}
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
        pc, why = _target(ctx, command, peps)
        if pc is None:
            answers.append(Answer.to(command, f"{who}, this final call has no effect: {why}"))
            continue
        why = _not_yet(ctx, pc, command, objections)
        if why:
            answers.append(Answer.to(command, f"{who}, this final call on {text(pc.label, 60)} does not apply yet: {why}"))
            continue
        calls[pc.label] = FinalCall(command.decision, command.arg, command.author, command.comment_id,
                                    command.created_at, pc.label, command.source)
    return [calls[label] for label in sorted(calls)]


def _example(decision: str, label: str) -> str:
    return code(f"/pep final-call {decision or 'accept'} {label} <rationale>", 80)


def _target(ctx: Context, command, peps: list[PepChange]) -> tuple[PepChange | None, str]:
    """The PEP a call is about, or (None, why it is about none)."""
    listed = ", ".join(text(pc.label, 60) for pc in peps)
    if command.pep is not None:
        named = pep_label(command.pep)
        matches = [pc for pc in peps if pc.number == command.pep]
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, f"several files of this pull request are {named}; give each PEP its own number first."
        if not peps:
            return None, f"this pull request has no PEP to decide, so nothing can be decided for {named}."
        return None, f"{named} is not a PEP this pull request can decide (it can decide {listed})."
    if len(peps) == 1:
        return peps[0], ""
    deciding = [pc for pc in peps if decides(ctx.policy, pc)]
    if len(deciding) == 1:
        return deciding[0], ""
    if not peps:
        return None, ("this pull request has no PEP to decide (a new PEP starts in Draft or Under Review, "
                      "and the index document is not decided by a call).")
    return None, (f"this pull request changes several PEPs ({listed}); name the one this call decides, "
                  f"e.g. {_example(command.decision, peps[0].label)}, in a new comment.")


def _not_yet(ctx: Context, pc: PepChange, command, objections: list[Objection]) -> str:
    """Why a call on ``pc`` does not apply yet (empty when it does): no review by the configured
    number of maintainers and no open objection of someone other than the lead, as it was made."""
    needed = ctx.config.required_approvals
    reviewed = reviewers(ctx, pc, command.created_at, exclude=command.post)
    if len(reviewed) >= needed:
        return ""
    clock = ctx.clock
    called = clock.key(command.created_at)
    for objection in objections:
        if login_key(objection.raiser) == login_key(ctx.policy.project_lead):
            continue
        if clock.key(objection.raised_at) > called:
            continue
        if objection.state == "resolved" and objection.resolved_at and clock.key(objection.resolved_at) <= called:
            continue
        return ""
    names = ", ".join(handle(name) for name in reviewed)
    have = f"{len(reviewed)} ({names})" if reviewed else "none"
    missing = needed - len(reviewed)
    return (f"PEP-0000 asks at least {needed} maintainers to review a PEP, and the project lead's call settles a "
            f"disagreement rather than replacing review. Maintainers other than its authors who had reviewed or "
            f"commented on {text(pc.label, 60)} before this call: {have}; {missing} more needed, and no objection was open. "
            f"Post the call again in a new comment once it has been reviewed (or an objection is raised).")


