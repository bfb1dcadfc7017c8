"""The Index table in PEP-0000: what it should say, and rewriting it in place.

Only the body rows of the first table under ``## Index`` are ever rewritten;
its header rows, the rest of the file, and the file's line endings stay as
they are. Rows follow the table's own header: pepctl fills the columns it
knows (PEP, Title, Status, Author(s), in any order, matched case-insensitively)
and keeps every other cell of a row as it was. Rows compare by cell text, so
re-aligned padding is not staleness.

The table is the first GFM table of the section (a header row, then a
delimiter row with as many cells); tables in fenced code or HTML comments are
examples, not the index. Outer pipes are optional: rows pepctl writes follow
the delimiter row's style (with or without them), falling back to
``| a | b |`` when an empty first or last cell would otherwise be misread.
Cells past the header's last column are kept, and each row keeps its own line
ending. Pipe rows under the heading with no delimiter row are refused
(IndexTable.problem) rather than guessed at.
"""

from __future__ import annotations

import os
from collections import namedtuple
from contextlib import contextmanager

from pepctl.document import Document, line_content
from pepctl.errors import PepctlError
from pepctl.formats.plano import escape_cell, has_pipe, is_delimiter_row, render_row, split_cells, unescape_cell
from pepctl.keys import strip_emphasis, text_key
from pepctl.model import Pep, format_number, number_from_filename, pep_refs

SECTION = "Index"
HEADER = ["PEP", "Title", "Status", "Author"]  # the header of a table pepctl writes from scratch
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
LAST = 1 << 30  # sorts after every PEP number


class IndexFormatError(PepctlError):
    """The Index table cannot be rewritten safely; ``line`` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def column_key(name: str) -> str | None:
    """The column a header cell names ('pep', 'title', 'status', 'authors'), or None."""
    text = text_key(strip_emphasis(unescape_cell(name)).strip("`"))
    return COLUMN_ALIASES.get(text)


def pep_link(path: str, index_path: str) -> str:
    """How the index links to a PEP file: relative to the index, with forward slashes."""
    folder = os.path.dirname(index_path)
    if os.path.dirname(path) == folder:  # the usual case, a PEP beside the index: no relpath (slow) needed
        return os.path.basename(path)
    folder = os.path.dirname(os.path.abspath(index_path))
    return os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")


def link_target(cell: str) -> str | None:
    """The target of the first ``[text](target)`` link in a cell, or None."""
    start = cell.find("](")
    if start == -1:
        return None
    end = cell.find(")", start + 2)
    return cell[start + 2 : end].strip() if end != -1 else None


def expected_rows(peps: list[Pep], index_path: str) -> list[list[str]]:
    """One row per PEP, by number then file name: link, title, status, authors (see KEYS)."""
    rows = []
    for pep in sorted(peps, key=lambda p: (p.number if p.number is not None else LAST, p.filename)):
        if pep.number is None:
            continue
        link = pep_link(pep.path, index_path)
        rows.append([f"[{format_number(pep.number)}]({link})", pep.title, pep.status, pep.authors_text])
    return rows


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


def _cell_number(cell: str) -> int | None:
    return row_number([cell])


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
    number = _cell_number(cell)
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
        number = _cell_number(cell)
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
    wanted = {_cell_number(r[0]) for r in rows} if unreadable_peps else set()
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
            number = _cell_number(row[0])
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
        if _cell_number(table.pep_cell(i)) == number
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
    numbers = [_cell_number(table.pep_cell(i)) for i in range(len(table.cells))]
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


@contextmanager
def locked(folder: str):
    """Hold an exclusive lock on the PEP folder while picking a number, creating a file or
    rewriting the index, so that commands run at the same time take turns.

    flock on the folder itself: nothing to clean up, and it is released when the
    process ends. Where there is no fcntl (Windows) or the file system refuses
    locks, the commands run unlocked, as they always did.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # e.g. a file system without locks: go on unlocked
        yield
    finally:
        os.close(fd)  # closing releases the lock
