"""What a status asks of a PEP: the problems a move to a status must not bring.

``move_problems`` is the one definition of it, shared by `pepctl status` (``pepctl.transition``),
`pepctl new --status` (``pepctl.create``) and the gate's R006; `pepctl supersede` counts what its
own edit brings with ``brought``.
"""

from __future__ import annotations

from collections import Counter

from pepctl.document import Document
from pepctl.linemap import LineMap
from pepctl.lint import lint_pep
from pepctl.model import Pep
from pepctl.rules import Diagnostic

LIFECYCLE_RULES = ("L", "H009")  # what the new status requires: any error of these blocks the move


def is_lifecycle(code: str) -> bool:
    """Whether a lint rule code is one of the rules of what a status requires (L*, H009)."""
    return any(code.startswith(prefix) for prefix in LIFECYCLE_RULES)


def move_problems(policy, before: Pep | None, after: Pep, *, corpus=None, today=None,
                  original=lambda line: line, errors_only: bool = True) -> list:
    """What a move to `after`'s status must not bring: the one definition of what a status asks
    of a PEP, shared by `pepctl status`, `pepctl new --status` and the gate's R006.

    The per-file rules `pepctl check` runs on a file, as the project configured them (select,
    ignore, severity, per-file-ignores), run on the PEP as it was before the move and after it.
    Every finding of the lifecycle rules (L*, H009: what the new status asks for) after the move
    counts; of the other rules, the findings the move brings (`brought`), such as a section an
    Under Review PEP must have written. What the file had already, which has nothing to do with
    the move, does not count. `before` None: nothing to compare with, every finding counts.
    `original` maps `after`'s lines to `before`'s. Without `corpus` (the review engine reads no
    folder), the rules that compare with the template skip that comparison.
    """

    def found(pep):
        return lint_pep(policy, pep, corpus=corpus, today=today, errors_only=errors_only)

    now = found(after)
    out = [d for d in now if is_lifecycle(d.code)]
    then = [d for d in found(before) if not is_lifecycle(d.code)] if before is not None else []
    out += brought(then, [d for d in now if not is_lifecycle(d.code)], original)
    out.sort(key=Diagnostic.sort_key)
    return out


def requirement_problems(corpus, policy, entry, document: Document, today=None, lines=None) -> list:
    """The errors that refuse the move, as Diagnostics on the edited PEP (see `move_problems`).

    `lines` maps the edited file's lines to the old file's, when a recorded reason moved them.
    """
    return move_problems(policy, entry.pep, Pep(document, entry.path), corpus=corpus, today=today,
                         original=(lines or LineMap()).original)


def brought(before: list, after: list, original=lambda line: line) -> list:
    """The diagnostics of `after` that `before` did not have, judged code by code.

    A code counts when it has more errors after than before: counted, not
    matched by message, since a message may name the status. Of a code's
    errors after, those on a line (`original(line)`: as it was before) where
    it had none before are listed; all of them when that leaves too few.
    """
    count = Counter(d.code for d in before)
    where = Counter((d.code, d.line) for d in before)
    grown = Counter(d.code for d in after)
    grown.subtract(count)
    out = []
    for code, more in grown.items():
        if more <= 0:
            continue
        mine = [d for d in after if d.code == code]
        fresh = []
        for d in mine:
            line = original(d.line)
            if where[(code, line)] > 0:
                where[(code, line)] -= 1
            else:
                fresh.append(d)
        out += fresh if len(fresh) >= more else mine
    return out
