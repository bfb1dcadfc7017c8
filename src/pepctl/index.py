"""The Index table in PEP-0000: what it should say, and rewriting it in place.

Only the body rows of the first table under ``## Index`` are ever rewritten;
its header rows, the rest of the file, and the file's line endings stay as
they are. Rows compare by cell text, so re-aligned padding is not staleness.
"""

from __future__ import annotations

import os

from pepctl.document import Document, escape_cell, line_content, split_cells, unescape_cell
from pepctl.model import Pep, format_number, pep_refs

SECTION = "Index"
HEADER = ["PEP", "Title", "Status", "Author"]


def expected_rows(peps: list[Pep], index_path: str) -> list[list[str]]:
    """One row per PEP, by number then file name: link, title, status, authors."""
    folder = os.path.dirname(os.path.abspath(index_path))
    rows = []
    for pep in sorted(peps, key=lambda p: (p.number if p.number is not None else 1 << 30, p.filename)):
        if pep.number is None:
            continue
        link = os.path.relpath(os.path.abspath(pep.path), folder).replace(os.sep, "/")
        rows.append(
            [f"[{format_number(pep.number)}]({link})", pep.title, pep.status, pep.authors_text]
        )
    return rows


def render_row(cells: list[str]) -> str:
    return "| " + " | ".join(escape_cell(c) for c in cells) + " |"


class IndexTable:
    """Where the index table sits in a document."""

    def __init__(self, document: Document):
        self.document = document
        self.heading = document.section(SECTION)
        self.header_end = -1  # offset just past the delimiter row
        self.body_end = -1  # offset just past the last body row
        self.rows: list[list[str]] = []
        self.cells: list[list] = []  # body rows as Cells, spans are offsets into document.text
        self.header: list[str] = []
        self.line = (self.heading.line + 1) if self.heading else 1  # 1-based line for messages
        if self.heading is not None:
            self._locate()

    def _locate(self) -> None:
        doc = self.document
        after = doc.section_end(self.heading)
        stop = after.offset if after else len(doc.text)
        offset = self.heading.body
        rows_seen = 0
        line = self.heading.line + 1
        while offset < stop:
            eol = doc.text.find("\n", offset)
            next_offset = stop if eol == -1 or eol + 1 > stop else eol + 1
            content = line_content(doc.text[offset:next_offset])
            if content.lstrip(" ").startswith("|"):
                rows_seen += 1
                if rows_seen == 1:
                    self.line = line + 1
                    self.header = [unescape_cell(c.raw) for c in split_cells(content, line)]
                if rows_seen <= 2:
                    self.header_end = next_offset
                else:
                    cells = split_cells(content, line, offset)
                    self.cells.append(cells)
                    self.rows.append([unescape_cell(c.raw) for c in cells])
                self.body_end = next_offset
            elif rows_seen:
                break
            offset = next_offset
            line += 1

    @property
    def found(self) -> bool:
        return self.heading is not None and self.header_end >= 0


def updated_text(document: Document, rows: list[list[str]]) -> str | None:
    """The document's text with a fresh index, or None when nothing would change."""
    table = IndexTable(document)
    nl = document.newline
    body = "".join(render_row(r) + nl for r in rows)
    if table.found:
        if table.rows == rows:
            return None
        text = document.text
        end = table.body_end
        tail_newline = text[end - 1 : end] == "\n" if end > 0 else True
        if not tail_newline:  # last row ended the file without a newline
            body = body[: -len(nl)]
        return text[: table.header_end] + body + text[end:]
    header = render_row(HEADER) + nl + "|" + "---|" * len(HEADER) + nl
    if table.heading is not None:  # the section exists but holds no table
        start = table.heading.body
        return document.text[:start] + nl + header + body + document.text[start:]
    text = document.text
    if text and not text.endswith("\n"):
        text += nl
    return text + nl + f"## {SECTION}" + nl + nl + header + body


def stale(document: Document, rows: list[list[str]]) -> bool:
    return updated_text(document, rows) is not None


# -- single-row edits (new PEP, status change): every other row keeps its bytes --


def row_number(cells: list[str]) -> int | None:
    """The PEP number a row's first cell names, e.g. ``[0042](PEP-0042-x.md)``."""
    numbers = pep_refs(cells[0]) if cells else []
    return numbers[0] if len(numbers) == 1 else None


def with_status(document: Document, number: int, status: str) -> str | None:
    """The text with the Status cell of PEP `number`'s row(s) set, or None when
    the table has no such row or the cell already says so."""
    table = IndexTable(document)
    if not table.found:
        return None
    keys = [" ".join(h.split()).casefold() for h in table.header]
    column = keys.index("status") if "status" in keys else 2
    targets = [
        cells[column]
        for cells, text in zip(table.cells, table.rows)
        if row_number(text) == number and len(cells) > column and unescape_cell(cells[column].raw) != status
    ]
    if not targets:
        return None
    text = document.text
    for cell in sorted(targets, key=lambda c: c.start, reverse=True):  # back to front: spans stay valid
        text = text[: cell.start] + escape_cell(status) + text[cell.end :]
    return text


def with_row(document: Document, row: list[str]) -> str | None:
    """The text with `row` inserted in number order, or None when the table is
    missing or already has a row for that number."""
    table = IndexTable(document)
    number = row_number(row)
    if not table.found or number is None or any(row_number(r) == number for r in table.rows):
        return None
    text = document.text
    nl = document.newline
    offset = table.header_end
    for cells, existing in zip(table.cells, table.rows):
        other = row_number(existing)
        if other is not None and other > number:
            break
        eol = text.find("\n", cells[0].start if cells else offset)
        offset = len(text) if eol == -1 else eol + 1
    line = render_row(row)
    if offset == len(text) and text and not text.endswith("\n"):
        return text + nl + line
    return text[:offset] + line + nl + text[offset:]
