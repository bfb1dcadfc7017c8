"""The review rules (R family): a registry of stable codes, like the lint rules'.

Each rule is one function registered with ``@rule(code, name, summary,
severity, scope, checklist)``; ``checklist`` is its line in the summary
comment. A rule tells whether it applies to what it is given, and what it
found there: it returns None when it does not apply, else a list of
``Finding``s (empty when it passed). Only rules that applied are listed in
the verdict's ``checked`` and in the summary's checklist. Scopes:

- ``PULL``: once per pull request, given the ``Context``;
- ``FILE``: once per PEP file of the pull request, given its ``PepCheck``
  (the file may be deleted or unreadable);
- ``PEP``: like ``FILE``, but only for the PEP files readable at head.

``run`` applies every rule, in code order, and turns the findings into the
verdict's reasons; the family modules at the bottom of this file are imported
so that all register. docs/review.md explains each rule.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from pepctl.review.context import Context
from pepctl.review.peps import PepChange, canonical, decides
from pepctl.review.verdict import ERROR, FinalCall, Reason

PULL = "pull"
FILE = "file"
PEP = "pep"


class ReviewRule(NamedTuple):
    code: str
    name: str
    severity: str  # what a finding is, unless the finding says otherwise
    summary: str
    scope: str
    checklist: str  # the line in the summary comment's checklist
    check: Callable


REGISTRY: dict[str, ReviewRule] = {}


def rule(code: str, name: str, summary: str, severity: str = ERROR, scope: str = PEP, checklist: str = ""):
    """Register a review check under a stable code and a short name."""

    def register(check):
        if code in REGISTRY:
            raise RuntimeError(f"rule code {code} registered twice")
        REGISTRY[code] = ReviewRule(code, name, severity, summary, scope, checklist, check)
        return check

    return register


class Finding(NamedTuple):
    """What a rule found: a message, and where. ``severity`` None is the rule's own;
    ``pep`` names the PEP file of a pull-request rule's finding."""

    message: str
    severity: str | None = None
    line: int | None = None
    pep: PepChange | None = None


class PepCheck(NamedTuple):
    """One PEP file of the pull request, with what the rules ask about it.

    ``head_status``/``base_status``: canonical statuses (None when absent or unknown);
    ``status_line``: the line of the Status field at head; ``changed``: the
    status changes (or the PEP is new, or its base is unreadable); ``deciding``:
    the change decides an existing PEP (quorum and objections count);
    ``call``: the lead's final call, when it is about this PEP.
    """

    pc: PepChange
    head_status: str | None = None
    base_status: str | None = None
    status_line: int | None = None
    changed: bool = False
    deciding: bool = False
    call: FinalCall | None = None

    @classmethod
    def of(cls, pc: PepChange, policy, call: FinalCall | None) -> PepCheck:
        if pc.head is None:
            return cls(pc)
        head, base = pc.head, pc.base
        head_status = canonical(policy, head.status)
        base_status = canonical(policy, base.status) if base is not None else None
        if pc.added or base is None:
            changed = True
        else:
            changed = base_status != head_status or (head_status is None and base.status.strip() != head.status.strip())
        field = head.document.field("Status")
        return cls(
            pc,
            head_status,
            base_status,
            field.line + 1 if field is not None else None,
            changed,
            # A new PEP must start in an initial status (R002), so quorum and
            # objections are only counted for PEPs that already exist on the base.
            decides(policy, pc),
            call,
        )


def decision_states(policy) -> set:
    """The statuses the maintainers decide (`deciders`; by default Accepted, Declined, Deferred):
    entering one needs their approval quorum or the project lead's final call (R007)."""
    return policy.decided_by("maintainers")


def run(ctx: Context, peps: list[PepChange], subjects: list[PepChange]) -> set[str]:
    """Apply every rule; the findings become ``ctx.verdict.reasons``. Returns the codes that applied."""
    verdict = ctx.verdict
    checked = set()
    # A final call is about the one PEP it decides (never the index document or a PEP this
    # pull request only now adds), and binds no other.
    checks = [PepCheck.of(pc, ctx.policy, verdict.call_for(pc.label) if pc in subjects and not pc.added else None)
              for pc in peps]
    for code in sorted(REGISTRY):
        item = REGISTRY[code]
        if item.scope == PULL:
            runs = [(None, item.check(ctx))]
        else:
            runs = [(c.pc, item.check(c, ctx)) for c in checks if item.scope == FILE or c.pc.head is not None]
        for pc, findings in runs:
            if findings is None:
                continue
            checked.add(code)
            for finding in findings:
                about = finding.pep or pc
                verdict.reasons.append(Reason(
                    code, item.name, finding.severity or item.severity, finding.message,
                    about.path if about is not None else None, finding.line, about.number if about is not None else None,
                ))
    return checked


# Register every family. Each module holds one family of rules.
from pepctl.review.rules import files, new_peps, status, people, deciders, process, numbering, amendments  # noqa: E402,F401
