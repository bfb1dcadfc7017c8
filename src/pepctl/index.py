"""The Index table in PEP-0000: what it should say, and rewriting it in place.

Only the body rows of the first table under ``## Index`` are ever rewritten;
its header rows, the rest of the file, and the file's line endings stay as
they are. Rows follow the table's own header: pepctl fills the columns it
knows (PEP, Title, Status, Author(s), in any order, matched case-insensitively)
and keeps every other cell of a row as it was. Rows compare by cell text, so
re-aligned padding is not staleness. Finding and reading the table is
``pepctl.indextable``.
"""

from __future__ import annotations

import os
from collections import namedtuple

from pepctl.document import Document
from pepctl.formats.plano import escape_cell, render_row, unescape_cell
from pepctl.indextable import (  # noqa: F401 (IndexFormatError, column_key, link_target: re-exported)
    KEYS,
    SECTION,
    IndexFormatError,
    IndexTable,
    cell_number,
    column_key,
    link_target,
    row_number,
)
from pepctl.model import Pep, format_number, number_from_filename

HEADER = ["PEP", "Title", "Status", "Author"]  # the header of a table pepctl writes from scratch
LAST = 1 << 30  # sorts after every PEP number


def pep_link(path: str, index_path: str) -> str:
    """How the index links to a PEP file: relative to the index, with forward slashes."""
    folder = os.path.dirname(index_path)
    if os.path.dirname(path) == folder:  # the usual case, a PEP beside the index: no relpath (slow) needed
        return os.path.basename(path)
    folder = os.path.dirname(os.path.abspath(index_path))
    return os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")


def expected_rows(peps: list[Pep], index_path: str) -> list[list[str]]:
    """One row per PEP, by number then file name: link, title, status, authors (see KEYS)."""
    rows = []
    for pep in sorted(peps, key=lambda p: (p.number if p.number is not None else LAST, p.filename)):
        if pep.number is None:
            continue
        link = pep_link(pep.path, index_path)
        rows.append([f"[{format_number(pep.number)}]({link})", pep.title, pep.status, pep.authors_text])
    return rows


Unreadable = namedtuple("Unreadable", "path number reason line", defaults=(1,))
Unreadable.__doc__ = ("A PEP file of the folder that cannot be read or parsed (line: 1-based, of the problem); "
                      "its index row is kept as it is.")


def unreadable(corpus, records) -> list[Unreadable]:
    """The folder's PEP files missing from `records` (what corpus.summaries gave) because
    they cannot be read or parsed, with the reason."""
    done = {os.path.normpath(r.path) for r in records}
    out = []
    for path in corpus.paths():
        if os.path.normpath(path) in done:
            continue
        entry = corpus.entry(path)
        if entry.pep is not None or entry.error is None:
            continue
        error = entry.error
        reason = getattr(error, "message", str(error))
        out.append(Unreadable(path, number_from_filename(path), reason, getattr(error, "line", 1)))
    return out


Rewrite = namedtuple("Rewrite", "text kept unlisted rows")
Rewrite.__doc__ = ("What `rewrite` works out: the new text (None when nothing changes), the unreadable PEPs "
                   "whose rows were kept as they were, those that have no row to keep, and how many body rows "
                   "the table has after the rewrite.")


def _sort_key(cell: str) -> tuple[int, str]:
    number = cell_number(cell)
    target = link_target(cell) or ""
    return (number if number is not None else LAST, target.rsplit("/", 1)[-1])


def rewrite(document: Document, rows: list[list[str]], unreadable_peps=(), index_path: str | None = None) -> Rewrite:
    """The document's text with a fresh index.

    `rows` are expected_rows(); the existing rows of `unreadable_peps` (found by
    their link, else by number) stay as they are. Raises IndexFormatError when
    the table has no PEP column.
    """
    table = IndexTable(document)
    nl = document.newline
    unreadable_peps = list(unreadable_peps)
    table.refuse()
    if not table.found:
        header = render_row(HEADER) + nl + "|" + "---|" * len(HEADER) + nl
        body = "".join(render_row(r) + nl for r in rows)
        if table.heading is not None:  # the section exists but holds no table
            start = table.heading.body
            text = document.text[:start] + nl + header + body + document.text[start:]
        else:
            text = document.text
            if text and not text.endswith("\n"):
                text += nl
            text = text + nl + f"## {SECTION}" + nl + nl + header + body
        return Rewrite(text, [], unreadable_peps, len(rows))
    table.require_pep_column()
    by_cell: dict[str, list[int]] = {}
    by_number: dict[int, list[int]] = {}
    by_link: dict[str, list[int]] = {}
    for i in range(len(table.cells)):
        cell = table.pep_cell(i)
        by_cell.setdefault(cell, []).append(i)
        number = cell_number(cell)
        if number is not None:
            by_number.setdefault(number, []).append(i)
        target = link_target(cell)
        by_link.setdefault(target.removeprefix("./") if target is not None else "", []).append(i)
    used: set[int] = set()

    def take(candidates: list[int]) -> int | None:
        for i in candidates:
            if i not in used:
                used.add(i)
                return i
        return None

    match = [take(by_cell.get(row[0], ())) for row in rows]  # the row with the same link first
    kept: list[tuple[Unreadable, int]] = []
    unlisted = []
    wanted = {cell_number(r[0]) for r in rows} if unreadable_peps else set()
    for pep in unreadable_peps:
        found = take(by_link.get(pep_link(pep.path, index_path or document.path or pep.path), ()))
        if found is None and pep.number is not None and pep.number not in wanted:  # no other PEP has the number
            found = take(by_number.get(pep.number, ()))
        if found is None:
            unlisted.append(pep)
        else:
            kept.append((pep, found))
    for n, row in enumerate(rows):  # then a row of the same number, e.g. after a rename
        if match[n] is None and by_number:
            number = cell_number(row[0])
            match[n] = take(by_number.get(number, ())) if number is not None else None
    # (sort key, cells, the body row kept verbatim or None, the body row whose line ending it takes or None)
    lines = [(None, table.render(row, match[n]), None, match[n]) for n, row in enumerate(rows)]
    if kept:  # merge the kept rows in by number (expected rows are in order already; the sort is stable)
        lines = [(_sort_key(row[0]), cells, None, old) for row, (_, cells, _, old) in zip(rows, lines)]
        for pep, i in kept:
            key = (pep.number if pep.number is not None else LAST, os.path.basename(pep.path))
            lines.append((key, [c.raw for c in table.cells[i]], i, i))
        lines.sort(key=lambda item: item[0])
    kept_peps = [pep for pep, _ in kept]
    if [cells for _, cells, _, _ in lines] == table.raw_rows:
        return Rewrite(None, kept_peps, unlisted, len(lines))
    text = document.text
    body = []
    for _, cells, verbatim, old in lines:
        ending = (table.endings[old] or nl) if old is not None else nl  # a row keeps its own line ending
        if verbatim is not None:  # a kept row keeps its bytes
            start, end = table.spans[verbatim]
            body.append(text[start:end] + ending)
        else:
            body.append(table.line_of(cells) + ending)
    body = "".join(body)
    end = table.body_end
    tail_newline = text[end - 1 : end] == "\n" if end > 0 else True
    if not tail_newline and body:  # last row ended the file without a newline
        body = body[:-2] if body.endswith("\r\n") else body[:-1]
    return Rewrite(text[: table.header_end] + body + text[end:], kept_peps, unlisted, len(lines))




# -- single-row edits (new PEP, status change): every other row keeps its bytes --


def with_status(document: Document, number: int, status: str) -> str | None:
    """The text with the Status cell of PEP `number`'s row(s) set, or None when
    the table has no such row, no PEP or Status column, or the cell already says so."""
    table = IndexTable(document)
    if not table.found:
        return None
    column = table.column("status")
    if column is None or table.column("pep") is None:
        return None
    targets = [
        cells[column]
        for i, cells in enumerate(table.cells)
        if cell_number(table.pep_cell(i)) == number
        and len(cells) > column
        and unescape_cell(cells[column].raw) != status
    ]
    if not targets:
        return None
    text = document.text
    for cell in sorted(targets, key=lambda c: c.start, reverse=True):  # back to front: spans stay valid
        text = text[: cell.start] + escape_cell(status) + text[cell.end :]
    return text


def with_row(document: Document, row: list[str]) -> str | None:
    """The text with `row` (an expected row) inserted in number order, in the
    table's own column order, or None when the table is missing, has no PEP
    column, or already has a row for that number."""
    table = IndexTable(document)
    number = row_number(row)
    if not table.found or number is None or table.column("pep") is None:
        return None
    numbers = [cell_number(table.pep_cell(i)) for i in range(len(table.cells))]
    if number in numbers:
        return None
    text = document.text
    nl = document.newline
    offset = table.header_end
    for i, other in enumerate(numbers):
        if other is not None and other > number:
            break
        eol = text.find("\n", table.spans[i][0])
        offset = len(text) if eol == -1 else eol + 1
    line = table.line_of(table.render(row, None))
    if offset == len(text) and text and not text.endswith("\n"):
        return text + nl + line
    return text[:offset] + line + nl + text[offset:]


def index_problem(document: Document) -> str | None:
    """Why `with_row` cannot add to this document's index, or None when it can."""
    table = IndexTable(document)
    if table.heading is None:
        return f"it has no '## {SECTION}' section"
    if table.problem is not None:
        return f"line {table.problem[1]}: {table.problem[0]}"
    if not table.found:
        return f"its '## {SECTION}' section has no table"
    try:
        table.require_pep_column()
    except IndexFormatError as err:
        return f"line {err.line}: {err.message}"
    return None
