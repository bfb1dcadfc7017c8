"""The one summary comment the bot keeps on a pull request, as Markdown.

``render(verdict)`` is deterministic: it reads only the verdict (never the
clock), sorts everything it lists and shows dates rather than running ages,
so the text changes only when something about the pull request changed and
the adapter edits the comment only then. It starts with ``SUMMARY_MARKER``,
a hidden HTML comment the adapter finds the comment by.

Every piece of untrusted text (titles, reasons, rationales, paths, lint
messages) goes through ``pepctl.review.markdown``; people are shown as code
spans, so the summary never mentions anyone. Rule results are shown with
marks, not task-list checkboxes, which readers could tick and so edit the
comment. No line of it starts with ``/pep``, so it never contains a command.
"""

from __future__ import annotations

from pepctl.model import pep_label
from pepctl.review.markdown import code, handle, message, text
from pepctl.review.rules import REGISTRY

SUMMARY_MARKER = "<!-- pepctl:review-summary -->"

MARKS = {"pass": "✅", "error": "❌", "warning": "⚠️", "note": "ℹ️"}


def render(verdict) -> str:
    out = [SUMMARY_MARKER]
    if verdict.passed:
        head = "✅ PEP process: ready to merge"
    else:
        head = "❌ PEP process: blocked"
    if verdict.informational:
        head += " (draft pull request: informational until it is ready for review)"
    out.append(f"### {head}")
    out.append("")
    out.extend(_peps(verdict))
    out.extend(_related(verdict))
    out.extend(_checks(verdict))
    out.extend(_approvals(verdict))
    out.extend(_objections(verdict))
    out.extend(_final_call(verdict))
    out.extend(_feedback(verdict))
    out.extend(_edited(verdict))
    out.append(
        "<sub>Commands, one per line in a new comment or a review's text: `/pep object <reason>` · `/pep resolve <id>` · "
        "`/pep final-call accept|decline [PEP-NNNN] <rationale>` (project lead) · `/pep help`. "
        "Approvals are GitHub reviews.</sub>"
    )
    return "\n".join(out) + "\n"


def _peps(verdict):
    lines = []
    for pc in verdict.peps:
        name = f"**{text(pc.label, 40)}**"
        title = f" {text(pc.title, 120)}" if pc.title else ""
        if pc.deleted:
            change = "deleted"
        elif pc.head is None:
            change = "cannot be read"
        elif pc.added:
            change = f"new, {text(pc.head_status or '(no status)', 40)}"
        elif pc.base is None or pc.base_status == pc.head_status:
            change = text(pc.head_status or "(no status)", 40)
        else:
            change = f"{text(pc.base_status or '(no status)', 40)} → {text(pc.head_status or '(no status)', 40)}"
        lines.append(f"- {name}{title}: {change} ({code(pc.path, 120)})")
    if lines:
        lines.append("")
    return lines


def _related(verdict):
    """The existing PEPs most like each new one: PEP-0000 asks authors to discuss first, and a
    declined or withdrawn idea proposed again is the commonest waste of everyone's time."""
    lines = []
    labels = {pc.path: pc.label for pc in verdict.peps}
    for path in sorted(verdict.related):
        found = verdict.related[path]
        listed = []
        for similar in found:
            name = pep_label(similar.number) if similar.number is not None else "(no number)"
            note = f" — {text(similar.status, 40).lower()}: read why before proposing it again" if similar.settled else ""
            listed.append(f"  - {text(name, 40)} {text(similar.title, 120)} ({text(similar.status, 40)}){note}")
        lines.append(f"Existing PEPs like **{text(labels.get(path, path), 40)}**:")
        lines.extend(listed)
    if lines:
        lines.append("")
    return lines


def _checks(verdict):
    lines = ["**Checks**", ""]
    by_code = {}
    for reason in verdict.reasons:
        by_code.setdefault(reason.code, []).append(reason)
    for rule_code in verdict.checked:
        label = REGISTRY[rule_code].checklist
        found = by_code.get(rule_code, [])
        if any(r.severity == "error" for r in found):
            mark = MARKS["error"]
        elif any(r.severity == "warning" for r in found):
            mark = MARKS["warning"]
        elif found:
            mark = MARKS["note"]
        else:
            mark = MARKS["pass"]
        lines.append(f"- {mark} **{rule_code}** {label}")
        for reason in found:
            lines.append(f"  - {message(reason.message, 500)}")
    lines.append("")
    return lines


def _approvals(verdict):
    """One line per PEP: n/N maintainers who count, and who does not and why."""
    items = []
    for approvals in verdict.approvals:
        names = ", ".join(handle(h) for h in approvals.counted) or "none"
        line = f"{len(approvals.counted)}/{verdict.approvals_needed} maintainers ({names})"
        if approvals.not_counted:
            line += "; not counted: " + ", ".join(f"{handle(h)} ({text(why, 90)})" for h, why in approvals.not_counted)
        items.append((approvals.pep, line))
    if not items:
        return [f"**Approvals:** 0/{verdict.approvals_needed} maintainers (none)", ""]
    if len(items) == 1:
        return [f"**Approvals:** {items[0][1]}", ""]
    return ["**Approvals**", ""] + [f"- {text(pep, 40)}: {line}" for pep, line in items] + [""]


STATES = {"open": "open", "resolved": "resolved", "overruled": "overruled"}


def _objections(verdict):
    if not verdict.objections:
        return ["**Objections:** none", ""]
    lines = ["**Objections**", "", "| ID | Raised by | Reason | State |", "|---|---|---|---|"]
    for objection in verdict.objections:
        state = STATES.get(objection.state, "open")
        if objection.state != "open" and objection.resolved_by:
            how = f" by {handle(objection.resolved_by)}"
            if objection.how:
                how += f" ({text(objection.how, 40)})"
            state += how
        elif objection.overruled_for:
            state += " (overruled for " + ", ".join(text(label, 40) for label in objection.overruled_for) + " only)"
        if objection.dismissed_by and objection.state == "open":
            state += f"; review dismissed by {handle(objection.dismissed_by)}, which does not resolve it"
        reason = text(objection.reason, 200)
        if objection.edited_at:
            reason += f" *(comment edited after it was posted, on {text(str(objection.edited_at)[:10], 10)})*"
        lines.append(f"| {code(objection.id, 40, table=True)} | {handle(objection.raiser)} | {reason} | {state} |")
    lines.append("")
    if any(o.state == "open" for o in verdict.objections):
        lines.append("The person who raised an objection resolves it with a new comment `/pep resolve <id>` (or an "
                     "approving review); nobody else can, not even by dismissing their review.")
        lines.append("")
    if any(o.edited_at for o in verdict.objections):
        lines.append(
            "An objection whose comment was edited still counts (an edit never removes one); "
            "only a resolve, an approval or a final call made after the edit settles it."
        )
        lines.append("")
    return lines


def _final_call(verdict):
    lines = []
    for call in verdict.final_calls:
        lines.append(f"**Final call on {text(call.pep, 40)}:** {text(call.decision, 10)} by {handle(call.author)}: "
                     f"{text(call.rationale, 300)}")
        lines.append("")
    return lines


def _feedback(verdict):
    info = verdict.first_feedback
    if info is None or not info.running:
        return []
    start = f"**First feedback:** under review since {info.entered_at[:10]}"
    if info.first_at:
        return [f"{start}; first maintainer feedback on {info.first_at[:10]} by {handle(info.first_by)}.", ""]
    state = "overdue" if info.overdue else "waiting"
    return [f"{start}; no maintainer feedback yet, due by {info.due_at[:10]} ({state}).", ""]


def _edited(verdict):
    if not verdict.edited:
        return []
    lines = [
        "**Ignored commands:** these comments were edited after they were posted, so these commands in them do not count "
        "(objections in edited comments still do); post them again in a new comment:"
    ]
    for comment_id, author, names in verdict.edited:
        shown = ", ".join(code("/pep " + n, 30) for n in names)
        lines.append(f"- comment {code(comment_id, 30)} by {handle(author)}: {shown}")
    lines.append("")
    return lines
