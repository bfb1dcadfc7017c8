"""Line numbers of an edited text mapped back to those of the file on disk.

A command that checks a PEP as it would be after an edit (a status change, a recorded reason,
an added header row) reports on the edited text; these maps give each finding the line a person
sees in the file, or name the edit that added the line.
"""

from __future__ import annotations


class LineMap:
    """Line numbers of the edited text -> those of the file on disk.

    The Status cell changes within its line; only a recorded reason adds
    lines: `insert` replaced text[start:end]. ``original(line)`` is None for a
    line of the recorded reason.
    """

    def __init__(self, text: str | None = None, start: int = 0, end: int = 0, insert: str = ""):
        self.text = text  # the text before the reason went in; None: nothing was inserted
        self.start, self.end, self.insert = start, end, insert

    def original(self, line: int) -> int | None:
        if self.text is None:
            return line
        before = self.text.count("\n", 0, self.start)  # lines that end before `start`
        if line <= before or (line == before + 1 and self.insert.startswith(("\n", "\r\n"))):
            return line
        inserted = self.insert.count("\n")
        last = before + 1 + inserted  # the line that starts after the insert's last newline
        if line > last or (line == last and self.insert.endswith("\n")):
            return line - inserted + self.text.count("\n", self.start, self.end)
        return None


class Lines:
    """LineMaps of several edits made one after the other: lines of the final text -> the file's.
    Each map has a label: what its edit added (e.g. "the --reason text")."""

    def __init__(self):
        self.maps: list[tuple[LineMap, str]] = []

    def add(self, map_: LineMap, label: str) -> None:
        self.maps.append((map_, label))

    @staticmethod
    def between(before: str, after: str) -> LineMap:
        """The one replacement that turns `before` into `after` (common prefix and suffix kept)."""
        start = 0
        limit = min(len(before), len(after))
        while start < limit and before[start] == after[start]:
            start += 1
        tail = 0
        while tail < limit - start and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]:
            tail += 1
        return LineMap(before, start, len(before) - tail, after[start : len(after) - tail])

    def where(self, line: int) -> int | str:
        """The line in the file on disk, or the label of the edit that added it."""
        for map_, label in reversed(self.maps):
            line = map_.original(line)
            if line is None:
                return label
        return line

    def original(self, line: int) -> int | None:
        found = self.where(line)
        return found if isinstance(found, int) else None
