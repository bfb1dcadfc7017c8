"""PEP numbers are sequential (PEP-0000, PEP Numbering: "PEPs are numbered sequentially starting
from 0001", "The author picks the next available number when submitting").

A new PEP (or one this pull request renumbers) takes the next number: counting up from one more
than the highest on the base branch, the first that no open pull request opened before this one
claims (``model.next_numbers``, as `pepctl next --open-prs` and `pepctl new` count); several new
PEPs take the next ones. A number already taken is a collision, which R003 and R004 report. A free
number below the highest on the base branch (a gap) is refused like a higher one: "next" is after
the last, and numbers in the order proposals arrived say which came first. An older pull request
whose own number is out of sequence does not push everyone else's up. `sequential-numbers =
false` turns this off (docs/configuration.md).
"""

from __future__ import annotations

from pepctl.model import next_numbers, pep_label
from pepctl.review.context import id_key
from pepctl.review.rules import PULL, Finding, rule
from pepctl.review.rules.new_peps import _claims_number


def claimed_number(pc) -> int | None:
    """The number a new or renumbered PEP claims: its file name's, else its PEP field's."""
    head = pc.head
    return head.file_number if head.file_number is not None else head.number


def older_claims(ctx) -> dict[int, int]:
    """number -> the oldest open pull request opened before this one that claims it."""
    ours = ctx.facts.pull.number
    found = {}
    for other in sorted(ctx.facts.open_pr_numbers, key=id_key):
        if other == ours or (ours is not None and id_key(other) > id_key(ours)):
            continue
        for number in ctx.facts.open_pr_numbers.get(other) or ():
            found.setdefault(number, other)
    return found


@rule("R016", "next-number", "A new PEP takes the next number: counting up from one more than the highest on the base "
      "branch, the first that no older open pull request claims; several new PEPs take the next ones (`sequential-numbers`).",
      scope=PULL, checklist="next number in sequence")
def next_number(ctx):
    if not ctx.config.sequential_numbers:
        return None
    claims = {}
    for pc in ctx.verdict.peps:
        if pc.head is None or pc.index_doc or not _claims_number(pc):
            continue
        number = claimed_number(pc)
        if number is not None:
            claims.setdefault(number, []).append(pc)
    if not claims:
        return None
    on_base = ctx.facts.base_numbers
    older = older_claims(ctx)
    free = sorted(n for n in claims if n not in on_base and n not in older)  # the others collide: R003, R004
    if not free:
        return []
    wanted = next_numbers(on_base, older, len(free))
    spare = [n for n in wanted if n not in free]  # the numbers left for the PEPs out of sequence
    highest = max(on_base, default=None)
    where = (f"the highest number on the base branch is {pep_label(highest)}" if highest is not None
             else "no PEP is numbered on the base branch yet")
    skipped = sorted(n for n in older if wanted[0] > n > (highest if highest is not None else 0))
    if skipped:
        where += ", and " + ", ".join(f"{pep_label(n)} is claimed by the older open pull request #{older[n]}" for n in skipped)
    several = (f"; the {len(free)} new PEPs of this pull request take {', '.join(pep_label(n) for n in wanted)}"
               if len(free) > 1 else "")
    found = []
    for number in free:
        if number in wanted:
            continue
        use = spare.pop(0)
        kind = "a gap below the next number" if number < wanted[0] else "not the next number"
        for pc in claims[number]:
            field = pc.head.document.field("PEP")
            found.append(Finding(
                f"{pep_label(number)} is {kind}: PEPs are numbered sequentially (PEP-0000: \"The author picks the next "
                f"available number\"); {where}{several}. Use {pep_label(use)}: rename the file to "
                f"{_renamed(pc.path, number, use)}, set its PEP field to {use:04d} and title the pull request "
                f"`{pep_label(use)}: ...`.",
                line=field.line + 1 if field is not None else None,
                pep=pc,
            ))
    return found


def _renamed(path: str, old: int, new: int) -> str:
    """The file name with the new number (``PEP-0050-x.md`` -> ``PEP-0043-x.md``)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    prefix = "PEP-" + f"{old:04d}"
    if name.upper().startswith(prefix):
        return "PEP-" + f"{new:04d}" + name[len(prefix):]
    return f"PEP-{new:04d}-....md"
