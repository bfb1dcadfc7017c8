"""The Index table of PEP-0000 as it stands in the file: where it is, its columns, its rows.

The table is the first GFM table of the ``## Index`` section (a header row, then a
delimiter row with as many cells); tables in fenced code or HTML comments are
examples, not the index. Outer pipes are optional: rows pepctl writes follow the
delimiter row's style (with or without them), falling back to ``| a | b |`` when
an empty first or last cell would otherwise be misread. Cells past the header's
last column are kept, and each row keeps its own line ending. Pipe rows under the
heading with no delimiter row are refused (IndexTable.problem) rather than guessed
at. What the table should say, and rewriting it, is ``pepctl.index``.
"""

from __future__ import annotations

from pepctl.document import Document, line_content
from pepctl.errors import PepctlError
from pepctl.formats.plano import escape_cell, has_pipe, is_delimiter_row, split_cells, unescape_cell
from pepctl.keys import strip_emphasis, text_key
from pepctl.model import pep_refs

SECTION = "Index"
KEYS = ("pep", "title", "status", "authors")  # what each cell of an expected row holds, in order

# Header cell (lower case, single spaces, no bold) -> the column it is.
COLUMN_ALIASES = {
    "pep": "pep", "pep #": "pep", "pep no": "pep", "pep no.": "pep", "pep number": "pep",
    "#": "pep", "no": "pep", "no.": "pep", "number": "pep", "num": "pep",
    "title": "title", "pep title": "title",
    "status": "status", "state": "status",
    "author": "authors", "authors": "authors", "author(s)": "authors",
    "owner": "authors", "owners": "authors", "owner(s)": "authors",
}


class IndexFormatError(PepctlError):
    """The Index table cannot be rewritten safely; ``line`` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def column_key(name: str) -> str | None:
    """The column a header cell names ('pep', 'title', 'status', 'authors'), or None."""
    text = text_key(strip_emphasis(unescape_cell(name)).strip("`"))
    return COLUMN_ALIASES.get(text)


def link_target(cell: str) -> str | None:
    """The target of the first ``[text](target)`` link in a cell, or None."""
    start = cell.find("](")
    if start == -1:
        return None
    end = cell.find(")", start + 2)
    return cell[start + 2 : end].strip() if end != -1 else None


def _render_raw(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


class IndexTable:
    """Where the index table sits in a document, and what its columns are."""

    def __init__(self, document: Document):
        self.document = document
        self.heading = document.section(SECTION)
        self.header_end = -1  # offset just past the delimiter row
        self.body_end = -1  # offset just past the last body row
        self.cells: list[list] = []  # body rows as Cells, spans are offsets into document.text
        self.spans: list[tuple[int, int]] = []  # (start, end) of each body row's text, line ending excluded
        self.header: list[str] = []
        self.columns: list[str | None] = []  # per header cell: the column pepctl fills, or None
        self.line = (self.heading.line + 1) if self.heading else 1  # 1-based line of the header row
        self.endings: list[str] = []  # each body row's own line ending ('' for a last line without one)
        self.lead = self.trail = True  # whether the rows have outer pipes (follows the delimiter row)
        self.problem: tuple[str, int] | None = None  # why a table-like block is not taken as the table
        if self.heading is not None:
            self._locate()

    def _locate(self) -> None:
        # GFM tables: a header row, then a delimiter row with as many cells, then body rows
        # (non-blank lines holding an unescaped pipe). Outer pipes are optional. Lines in
        # fenced code and HTML comments are not looked at: an example table there is text.
        doc = self.document
        text = doc.text
        after = doc.section_end(self.heading)
        stop = after.offset if after else len(text)
        offset = self.heading.body
        line = self.heading.line + 1  # 0-based
        lines = []  # (offset, content, next offset, 0-based line) of each line that may be a row
        fences = [(first, last) for first, last in doc.fences if first < stop and last > offset]
        while offset < stop:
            eol = text.find("\n", offset)
            next_offset = stop if eol == -1 or eol + 1 > stop else eol + 1
            if doc.in_comment(line) or any(first <= offset < last for first, last in fences):
                lines.append(None)
            else:
                lines.append((offset, line_content(text[offset:next_offset]), next_offset, line))
            offset = next_offset
            line += 1
        undelimited = None
        for i, item in enumerate(lines):
            if item is None or not has_pipe(item[1]):
                continue
            following = lines[i + 1] if i + 1 < len(lines) else None
            header = split_cells(item[1], item[3])
            delimiter = split_cells(following[1], following[3]) if following and has_pipe(following[1]) else []
            if not (is_delimiter_row(delimiter) and len(delimiter) == len(header)):
                if undelimited is None and item[1].lstrip(" ").startswith("|"):
                    undelimited = item[3] + 1
                continue
            self._take(header, item, following, lines[i + 2 :])
            return
        if undelimited is not None:
            self.problem = (
                f"the Index table at line {undelimited} has no delimiter row (like `|---|---|`) under its "
                "header, so pepctl cannot tell its header from its rows and leaves it alone; add the "
                "delimiter row",
                undelimited,
            )

    def _take(self, header, item, delimiter, rest) -> None:
        text = self.document.text
        self.line = item[3] + 1
        self.header = [unescape_cell(c.raw) for c in header]
        seen = set()
        for name in self.header:  # a column named twice is filled once, the first time
            key = column_key(name)
            self.columns.append(key if key not in seen else None)
            seen.add(key)
        style = delimiter[1].strip(" \t")
        self.lead = style.startswith("|")
        self.trail = style.endswith("|") and not style.endswith("\\|")
        self.header_end = delimiter[2]
        self.body_end = delimiter[2]
        for row in rest:
            if row is None or not row[1].strip() or not has_pipe(row[1]):
                break
            offset, content, next_offset, line = row
            self.cells.append(split_cells(content, line, offset))
            self.spans.append((offset, offset + len(content)))
            self.endings.append(text[offset + len(content) : next_offset])
            self.body_end = next_offset

    @property
    def found(self) -> bool:
        return self.heading is not None and self.header_end >= 0

    def column(self, key: str) -> int | None:
        """The position of the column holding `key` ('pep', 'title', ...), or None."""
        return self.columns.index(key) if key in self.columns else None

    @property
    def raw_rows(self) -> list[list[str]]:
        """Body rows as written: every cell, escapes in place."""
        return [[c.raw for c in cells] for cells in self.cells]

    @property
    def rows(self) -> list[list[str]]:
        """Body rows as pepctl reads them: PEP, Title, Status, Author (see KEYS), whatever
        the table's column order; '' for a column the table does not have."""
        positions = [self.column(key) for key in KEYS]
        return [
            [unescape_cell(cells[p].raw) if p is not None and p < len(cells) else "" for p in positions]
            for cells in self.cells
        ]

    def pep_cell(self, index: int) -> str:
        column = self.column("pep")
        cells = self.cells[index]
        return unescape_cell(cells[column].raw) if column is not None and column < len(cells) else ""

    def require_pep_column(self) -> int:
        column = self.column("pep")
        if column is None:
            header = "| " + " | ".join(self.header) + " |"
            raise IndexFormatError(
                f"the Index table's header `{header}` has no PEP column, so pepctl leaves the table alone; "
                "name the column holding the PEP links 'PEP' (pepctl fills PEP, Title, Status and Author "
                "and keeps other columns as they are)",
                self.line,
            )
        return column

    def render(self, row: list[str], existing: int | None) -> list[str]:
        """The raw cells of `row` (an expected row) in this table's columns; columns pepctl
        does not fill keep the cell of body row `existing` (empty for a new row)."""
        old = self.cells[existing] if existing is not None else []
        out = []
        for position, key in enumerate(self.columns):
            if key is not None:
                out.append(escape_cell(row[KEYS.index(key)]))
            else:
                out.append(old[position].raw if position < len(old) else "")
        out.extend(cell.raw for cell in old[len(self.columns) :])  # cells past the header's: kept as they are
        return out

    def line_of(self, cells: list[str]) -> str:
        """A row's text in the table's own style: with outer pipes or without, as its
        delimiter row is; the standard ``| a | b |`` when an empty outer cell would be misread."""
        if (self.lead and self.trail) or not cells or not cells[0] or not cells[-1]:
            return _render_raw(cells)
        return ("| " if self.lead else "") + " | ".join(cells) + (" |" if self.trail else "")

    def refuse(self) -> None:
        """Raise IndexFormatError when the section holds a table pepctl must not touch."""
        if self.problem is not None:
            raise IndexFormatError(*self.problem)


def row_number(cells: list[str]) -> int | None:
    """The PEP number a row's first cell names, e.g. ``[0042](PEP-0042-x.md)``."""
    numbers = pep_refs(cells[0]) if cells else []
    return numbers[0] if len(numbers) == 1 else None


def cell_number(cell: str) -> int | None:
    return row_number([cell])


