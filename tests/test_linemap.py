"""pepctl.linemap: lines of an edited text mapped back to those of the file on disk."""

from __future__ import annotations

import datetime

import pytest

from pepctl.config import Config
from pepctl.linemap import LineMap, Lines
from pepctl.transition import record_reason

TODAY = datetime.date(2026, 3, 1)


@pytest.mark.parametrize("text", [
    "# T\n\n## Rationale\n\nEarlier.\n\n## Next\n\nMore.\n",
    "# T\n\n## Rationale\n\n## Next\n\nMore.\n",
    "# T\n\n## Rationale\n\n\n\n## Next\n\nMore.\n",
    "# T\n\n## Next\n\n## Rationale\n\nEarlier.",
    "# T\n\n## Next\n\n## Rationale",
    "# T\n\nBody.",
    "# T\n\nBody.\n",
    "# T\n\nBody.\n\n",
    "# T\n\nBody.\n\n\n\n",
    "# T\r\n\r\n## Rationale\r\n\r\nEarlier.\r\n\r\n## Next\r\n\r\nMore.\r\n",
])
def test_line_map_points_at_the_same_line_of_the_file_on_disk(text):
    from pepctl.document import Document

    doc = Document(text, "PEP-0001-x.md")
    config = Config({"rationale-sections": ["Rationale"]})
    lines = LineMap(text, *record_reason(doc, config, "Declined", "Why.\nBecause.", TODAY))
    old, new = text.split("\n"), doc.text.split("\n")
    if doc.text.endswith("\n"):
        new.pop()  # no line after the last newline
    reason = [i + 1 for i, line in enumerate(new) if line.rstrip("\r") in ("Declined on 2026-03-01: Why.", "Because.")]
    assert len(reason) == 2
    for number, line in enumerate(new, 1):
        mapped = lines.original(number)
        if number in reason:
            assert mapped is None
        elif mapped is not None:
            assert old[mapped - 1] == line, (number, mapped)
    for number, line in enumerate(old, 1):  # every line with text is still found
        if line.strip():
            assert number in {lines.original(n) for n in range(1, len(new) + 1)}


def test_edits_made_one_after_the_other_map_back_through_each():
    before = "a\nb\nc\n"
    added_row = "a\nb\nX\nc\n"
    added_top = "R\n" + added_row
    lines = Lines()
    lines.add(Lines.between(before, added_row), "the row")
    lines.add(Lines.between(added_row, added_top), "the top line")
    assert [lines.where(n) for n in range(1, 6)] == ["the top line", 1, 2, "the row", 3]
    assert [lines.original(n) for n in range(1, 6)] == [None, 1, 2, None, 3]
