"""Plano's header format: a Markdown table of ``| **Field** | value |`` rows.

The header table is the first run of ``|``-lines before the document's first
section heading, outside code fences and HTML comments: a header row, a
delimiter row (``|---|---|``), then one row per field. ``\\|`` is a literal
pipe inside a cell. This module is the one place that knows that syntax, and
it also holds the GFM table primitives (cells, delimiter rows, escaping) that
the Index table in PEP-0000 is read and written with (``pepctl.index``).
"""

from __future__ import annotations

import re

from pepctl.formats.base import FIRST, Edit, Field, Header, Problem
from pepctl.keys import field_key, strip_emphasis

ROW_START_RE = re.compile(r"(?:\A|\n)( {0,3}\|)")  # a line that starts a table row
TABLE_BLOCK_RE = re.compile(r"(?: {0,3}\|[^\n]*(?:\n|$))+")
TWO_CELL_RE = re.compile(r" {0,3}\|[ \t]*([^|\\\r\n]*?)[ \t]*\|[ \t]*([^|\\\r\n]*?)[ \t]*\|[ \t]*\r?")


# -- GFM table cells -----------------------------------------------------------------


class Cell:
    """One table cell: where its text is in the document, and that text."""

    __slots__ = ("line", "start", "end", "raw")

    def __init__(self, line: int, start: int, end: int, raw: str):
        self.line = line  # 0-based line number
        self.start = start  # span of the stripped cell text, as offsets into the text
        self.end = end
        self.raw = raw  # stripped cell text, escapes still in place

    @property
    def text(self) -> str:
        return unescape_cell(self.raw)


def unescape_cell(raw: str) -> str:
    return raw.replace("\\|", "|")


def escape_cell(text: str) -> str:
    """A value as a table cell: the inverse of unescape_cell (a backslash before a | is kept)."""
    return text.replace("|", "\\|")


def split_cells(content: str, line_no: int, base: int = 0) -> list[Cell]:
    """Cells of a table row; ``\\|`` is a literal pipe, outer pipes optional.

    ``base`` is the offset of the row in the document; cell spans include it.
    """
    if "\\" not in content and content.count("|") == 3:
        # the common two-cell row: | name | value |
        first = content.find("|")
        if not content[:first].strip() and content.rstrip().endswith("|"):
            middle = content.find("|", first + 1)
            last = content.rfind("|")
            return [_cell(content, first + 1, middle, line_no, base), _cell(content, middle + 1, last, line_no, base)]
    bounds = []
    i = content.find("|")
    while i != -1:
        if i == 0 or content[i - 1] != "\\":
            bounds.append(i)
        i = content.find("|", i + 1)
    stripped = content.rstrip()
    edges = list(bounds)
    if not edges or content[: edges[0]].strip():
        edges.insert(0, -1)
    if not (edges and edges[-1] >= len(stripped) - 1 and stripped.endswith("|")):
        edges.append(len(content))
    return [_cell(content, left + 1, right, line_no, base) for left, right in zip(edges, edges[1:])]


def _cell(content: str, start: int, end: int, line_no: int, base: int) -> Cell:
    raw = content[start:end]
    stripped = raw.strip(" \t")
    if stripped:
        start += len(raw) - len(raw.lstrip(" \t"))
    end = start + len(stripped)
    return Cell(line_no, base + start, base + end, stripped)


def is_delimiter_row(cells: list[Cell]) -> bool:
    if not cells:
        return False
    for cell in cells:
        body = cell.raw.strip(":")
        if not body or body.strip("-") or cell.raw.count(":") > 2:
            return False
    return True


def has_pipe(content: str) -> bool:
    """Whether a line holds an unescaped pipe, i.e. can be a table row."""
    i = content.find("|")
    while i != -1:
        if i == 0 or content[i - 1] != "\\":
            return True
        i = content.find("|", i + 1)
    return False


def render_row(cells: list[str]) -> str:
    """A table row of these texts, each escaped."""
    return "| " + " | ".join(escape_cell(c) for c in cells) + " |"


# -- the header table ------------------------------------------------------------------


class PlanoTable:
    """The ``| **Field** | value |`` header format."""

    name = "plano"
    noun = "header table"  # what messages call the header
    item = "row"  # ... and one field of it
    form = "| Field | Value |"  # its shape, in one line
    missing_advice = ("add a `| Field | Value |` table under the title heading "
                      "with rows like `| **Status** | Draft |` (see the template)")

    def example(self, name: str, value: str) -> str:
        return f"| **{name}** | {value} |"

    # -- reading ------------------------------------------------------------------------

    def read(self, doc) -> Header:
        start = self._table_start(doc)
        if start is None:
            return Header({}, [], None, None, 0, 0, [])
        return self._read_table(doc.text, start)

    @staticmethod
    def _table_start(doc) -> int | None:
        """Offset of the first table row before the first section, outside fences and comments."""
        text = doc.text
        limit = doc.headings[0].offset if doc.headings else len(text)
        skipped = doc.fences + doc.comment_spans
        for match in ROW_START_RE.finditer(text, 0, limit):
            at = match.start(1)
            if not any(first <= at < last for first, last in skipped):
                return at
        return None

    @staticmethod
    def _read_table(text: str, offset: int) -> Header:
        line_no = text.count("\n", 0, offset)
        block_start = offset
        block_end = TABLE_BLOCK_RE.match(text, offset).end()
        rows = []
        last_line = line_no
        while offset < block_end:
            eol = text.find("\n", offset, block_end)
            stop = eol if eol != -1 else block_end
            row = TWO_CELL_RE.fullmatch(text, offset, stop)
            if row is not None:  # the common `| name | value |` row, spans straight from the regex
                rows.append(
                    [Cell(line_no, row.start(1), row.end(1), row.group(1)), Cell(line_no, row.start(2), row.end(2), row.group(2))]
                )
            else:
                content = text[offset:stop]
                if content.endswith("\r"):
                    content = content[:-1]
                rows.append(split_cells(content, line_no, offset))
            last_line = line_no
            if eol == -1:
                break
            offset, line_no = eol + 1, line_no + 1
        first = rows[0][0].line if rows[0] else last_line
        problems = []
        if len(rows) < 2 or not is_delimiter_row(rows[1]):
            problems.append(
                Problem(first + 2 if len(rows) > 1 else first + 1, 1, "broken-table",
                        "the header table needs a delimiter row like |---|---| under its first row")
            )
            body = rows[1:]
        else:
            body = rows[2:]
            if len(rows[0]) != 2:
                problems.append(
                    Problem(first + 1, 1, "broken-table", f"the header table has {len(rows[0])} columns; it needs two: | Field | Value |")
                )
        fields, field_list = {}, []
        for number, cells in enumerate(body, start=first + len(rows) - len(body)):
            if len(cells) != 2:
                problems.append(
                    Problem(
                        number + 1,
                        1,
                        "broken-table",
                        f"this header row has {len(cells)} cells; write it as | **Name** | value | "
                        "(escape a literal pipe as \\|)",
                    )
                )
                if not cells or not cells[0].raw:
                    continue
            name_cell = cells[0]
            name = strip_emphasis(unescape_cell(name_cell.raw))
            key = field_key(name)
            if len(cells) > 1:
                value = cells[1]
                field = Field(name, key, name_cell.line, name_cell.start, value.start, value.end, value.raw,
                              unescape_cell(value.raw))
            else:
                field = Field(name, key, name_cell.line, name_cell.start, None, None, "", "")
            field_list.append(field)
            if key in fields:
                problems.append(
                    Problem(number + 1, 1, "duplicate-field", f"field {name!r} appears twice (first on line {fields[key].line + 1})")
                )
                continue
            fields[key] = field
        return Header(fields, field_list, first, last_line, block_start, block_end, problems)

    def field_in_line(self, line: str) -> tuple[str, str] | None:
        """(name, value) of a table row seen on its own (a line of a diff), else None."""
        match = ROW_START_RE.match(line)
        if match is None:
            return None
        body = line[match.end() :]
        bar = body.find("|")
        if bar == -1:
            return None
        name, rest = body[:bar], body[bar + 1 :]
        cells = split_cells("|" + name + "|" + rest.rstrip("\r"), 0)
        if len(cells) < 2:
            return None
        return name.replace("\\", ""), cells[1].text.strip()

    @staticmethod
    def field_line_pattern(word: str) -> str:
        """A regex for the text of a line that may hold a field whose name contains `word` (any
        case): a quick filter before field_in_line, for scanning large diffs."""
        letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return rf" {{0,3}}\|[^|\n]*{letters}[^|\n]*\|[^\n]*"

    # -- editing ------------------------------------------------------------------------

    def set_value(self, doc, field: Field, value: str) -> Edit:
        if "\n" in value or "\r" in value:
            raise ValueError("a table cell cannot hold a line break")
        if field.value_start is None:
            raise ValueError(f"field {field.name!r} on line {field.line + 1} has no value cell")
        text = doc.text
        start, end, new = field.value_start, field.value_end, escape_cell(value)
        if not field.raw:  # an empty cell like `| |`: fill the gap between the pipes, padded
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            while end < len(text) and text[end] in " \t":
                end += 1
            new = " " + new + (" " if text[end : end + 1] == "|" else "")
        return Edit(start, end, new)

    def insert(self, doc, name: str, value: str, after: str | None = None) -> Edit:
        """A new row after the named field (FIRST: before the first row; None or a name not
        there: after the table's last row)."""
        header = doc.header
        if not header.found:
            raise ValueError("the document has no header table")
        text = doc.text
        row = self.example(escape_cell(name), escape_cell(value))
        if after == FIRST and header.field_list:
            offset = text.rfind("\n", 0, header.field_list[0].name_start) + 1
            return Edit(offset, offset, row + doc.newline)
        anchor = header.fields.get(field_key(after)) if after and after != FIRST else None
        if anchor is not None:
            line_start = text.rfind("\n", 0, anchor.name_start) + 1
        else:  # the last row of the table
            stop = header.end - 1 if text[header.end - 1 : header.end] == "\n" else header.end
            line_start = text.rfind("\n", 0, stop) + 1
        eol = text.find("\n", line_start)
        if eol == -1:
            return Edit(len(text), len(text), doc.newline + row)
        return Edit(eol + 1, eol + 1, row + doc.newline)


PLANO = PlanoTable()
