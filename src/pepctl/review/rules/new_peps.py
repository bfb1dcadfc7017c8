"""Rules about PEPs a pull request brings in: the title, the initial status, a free number."""

from __future__ import annotations

import re

from pepctl.model import pep_label
from pepctl.review.context import id_key
from pepctl.review.rules import PULL, Finding, rule
from pepctl.review.verdict import WARNING

TITLE_RE = re.compile(r"\s*PEP-(\d{4,})\s*:\s*\S.*", re.IGNORECASE | re.DOTALL)


@rule("R001", "pr-title", "A pull request that adds a PEP is titled `PEP-NNNN: Short Title`, with the new file's number.",
      scope=PULL, checklist="title names the new PEP")
def pr_title(ctx):
    added = [pc for pc in ctx.subjects if pc.added and pc.head is not None]
    if not added:
        return None
    expected = []
    for pc in added:
        number = pc.head.file_number if pc.head.file_number is not None else pc.head.number
        if number is not None:
            expected.append((number, pc))
    if not expected:
        return []
    match = TITLE_RE.fullmatch(ctx.facts.pull.title or "")
    number, pc = expected[0]
    wanted = f"{pep_label(number)}: {pc.title or 'Short Title'}"
    if match is None:
        return [Finding(f"a pull request adding a PEP is titled `PEP-NNNN: Short Title`; rename it, e.g. to {wanted!r}.",
                        pep=pc)]
    said = int(match.group(1))
    if said in {n for n, _ in expected}:
        return []
    numbers = ", ".join(pep_label(n) for n, _ in expected)
    return [Finding(f"the title names {pep_label(said)}, but this pull request adds {numbers}; rename it, e.g. to {wanted!r}.",
                    pep=pc)]


@rule("R002", "new-pep-status", "A new PEP arrives in an initial status (Draft or Under Review).",
      checklist="new PEP starts in an initial status")
def new_pep_status(pep, ctx):
    pc = pep.pc
    if not pc.added:
        return None
    initial = ctx.policy.initial_states
    if pep.head_status in initial:
        return []
    shown = pc.head.status or "(empty)"
    return [Finding(f"a new PEP arrives as {' or '.join(initial)}, but {pc.label} has status {shown!r}; "
                    "set the Status field accordingly (later statuses are reached in later pull requests).",
                    line=pep.status_line)]


def _claims_number(pc) -> bool:
    """A new PEP, or one this pull request renumbers, claims its number."""
    base, head = pc.base, pc.head
    return pc.added or (base is not None and base.number is not None and head.number is not None
                        and base.number != head.number)


def _numbers(pc) -> list[int]:
    head = pc.head
    return sorted({n for n in (head.number, head.file_number) if n is not None})


@rule("R003", "number-collision-base", "A new PEP's number is not used by another file on the base branch or in this pull request.",
      checklist="number free on the base branch")
def number_collision_base(pep, ctx):
    pc = pep.pc
    if not _claims_number(pc):
        return None
    own = {pc.path, pc.previous_path}
    others_here = {}
    for other in ctx.verdict.peps:
        if other is not pc and other.head is not None:
            for number in _numbers(other):
                others_here.setdefault(number, []).append(other.path)
    found = []
    for number in _numbers(pc):
        label = pep_label(number)
        taken = sorted(p for p in ctx.facts.base_numbers.get(number, []) if p not in own)
        if taken:
            found.append(Finding(f"{label} is already used on the base branch by {', '.join(taken)}; renumber this PEP "
                                 "(`pepctl next --open-prs` prints a free number) and rename the file to match."))
        here = sorted(p for p in others_here.get(number, []) if p not in own and p not in taken)
        if here:
            found.append(Finding(f"{label} is also used by {', '.join(here)} in this pull request; give each PEP its own number."))
    return found


@rule("R004", "number-collision-open-pr", "A new PEP's number is not claimed by an older open pull request.",
      checklist="number not claimed by an older open pull request")
def number_collision_open_pr(pep, ctx):
    pc = pep.pc
    if not _claims_number(pc):
        return None
    claims = ctx.facts.open_pr_numbers
    ours = ctx.facts.pull.number
    found = []
    for number in _numbers(pc):
        label = pep_label(number)
        for other_pr in sorted(claims, key=id_key):
            if number not in (claims.get(other_pr) or ()) or other_pr == ours:
                continue
            if ours is None or id_key(other_pr) < id_key(ours):
                found.append(Finding(f"{label} is already claimed by the older open pull request #{other_pr}; renumber this PEP "
                                     "(`pepctl next --open-prs` prints a number no file and no open pull request uses)."))
            else:
                found.append(Finding(f"{label} is also used by the newer pull request #{other_pr}; this pull request "
                                     "keeps the number, the newer one must change.", WARNING))
    return found
