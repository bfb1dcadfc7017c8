"""What a pull request changes in a PEP's text, line by line, as the amendment and process rules
measure it (R015, R017).

Lines are compared with trailing spaces removed and blank lines left out: a blank line more or
less, or spaces at the end of a line, change no one's reading of a proposal. Each line knows the
section it is in, so a rule can say where the text changed.
"""

from __future__ import annotations

import difflib
from typing import NamedTuple

HEADER = "the header"  # where the lines before the first heading are


class Line(NamedTuple):
    text: str
    section: str  # the title of the heading it is under (HEADER before the first one)


class Change(NamedTuple):
    """One difference: lines `before` became lines `after` (either may be empty)."""

    before: list[Line]
    after: list[Line]


def lines_of(text: str, headings, skip=frozenset()) -> list[Line]:
    """The non-blank lines of a text (trailing spaces removed), each with its section; 0-based
    line numbers in `skip` are left out. `headings`: the document's headings, in text order."""
    starts = {h.line: h.title for h in headings}
    section = HEADER
    out = []
    for number, line in enumerate(text.split("\n")):
        section = starts.get(number, section)
        line = line.rstrip()
        if line and number not in skip:
            out.append(Line(line, section))
    return out


def changes(before: list[Line], after: list[Line]) -> list[Change]:
    """The differences between two line lists, in order."""
    matcher = difflib.SequenceMatcher(None, [line.text for line in before], [line.text for line in after], autojunk=False)
    return [Change(before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def changed_lines(found: list[Change]) -> int:
    """How many lines changed: for each difference, the longer of its two sides."""
    return sum(max(len(c.before), len(c.after)) for c in found)


def changed_chars(old: str, new: str) -> int:
    """How many characters differ between two lines: for each difference, the longer side."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def sections(found: list[Change]) -> list[str]:
    """The sections the differences touch, in order of first appearance."""
    seen = []
    for change in found:
        for line in change.after or change.before:
            if line.section not in seen:
                seen.append(line.section)
    return seen


def quoted(names: list[str], limit: int = 4) -> str:
    """'A', 'B' and 2 more."""
    shown = ", ".join(f"'{n}'" if n != HEADER else n for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
