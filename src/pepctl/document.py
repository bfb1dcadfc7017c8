"""Text of a PEP file <-> Document, without losing a byte.

A Document keeps the file's lines exactly as read (line endings included), and
an index over them: the title heading, the ``| Field | Value |`` header table,
the heading tree, HTML comments. Serialising an unedited Document gives back
the same bytes; editing a field rewrites only the text of that one cell.

This module imports nothing else from pepctl.
"""

from __future__ import annotations

import re

from pepctl.keys import text_key

BOM = "\ufeff"
FENCE_CHARS = "`~"
# Lines that can start structure: heading, code fence, HTML comment, table row.
# Starting on a literal \n keeps the scan fast; the first line is matched alone.
_STARTS = r" {0,3}(?:(#{1,6})(?=[ \t\r\n]|$)|(`{3,}|~{3,})|(<!--)|(\|))"
CANDIDATE_RE = re.compile(r"\n" + _STARTS)
BODY_CANDIDATE_RE = re.compile(r"\n" + _STARTS.replace("|(\\|)", ""))  # no table rows after the first section
FIRST_LINE_RE = re.compile(_STARTS)
FENCE_CLOSE_RE = {c: re.compile(r"\n {0,3}(" + c + r"{3,})[ \t]*(?=\r?\n|\r?$)") for c in ("`", "~")}
TABLE_BLOCK_RE = re.compile(r"(?: {0,3}\|[^\n]*(?:\n|$))+")
TWO_CELL_RE = re.compile(r" {0,3}\|[ \t]*([^|\\\r\n]*?)[ \t]*\|[ \t]*([^|\\\r\n]*?)[ \t]*\|[ \t]*\r?")


class DocumentError(Exception):
    """The bytes cannot be read as a PEP document at all."""

    def __init__(self, message: str, line: int = 1, column: int = 1, kind: str = "unreadable"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind


class Problem:
    """Something malformed that parsing tolerated (e.g. a broken table row)."""

    __slots__ = ("line", "column", "kind", "message")

    def __init__(self, line: int, column: int, kind: str, message: str):
        self.line = line
        self.column = column
        self.kind = kind
        self.message = message

    def __repr__(self) -> str:
        return f"Problem({self.line}, {self.column}, {self.kind!r}, {self.message!r})"


class Cell:
    """One table cell: where its text is in the document, and that text."""

    __slots__ = ("line", "start", "end", "raw")

    def __init__(self, line: int, start: int, end: int, raw: str):
        self.line = line  # 0-based line number
        self.start = start  # span of the stripped cell text, as offsets into Document.text
        self.end = end
        self.raw = raw  # stripped cell text, escapes still in place

    @property
    def text(self) -> str:
        return unescape_cell(self.raw)


class Field:
    """A header-table row: bold name cell and value cell."""

    __slots__ = ("name", "key", "name_cell", "value_cell")

    def __init__(self, name: str, key: str, name_cell: Cell, value_cell: Cell | None):
        self.name = name  # as written, without bold markers
        self.key = key  # normalised: lower case, aliases folded
        self.name_cell = name_cell
        self.value_cell = value_cell

    @property
    def value(self) -> str:
        return self.value_cell.text if self.value_cell is not None else ""

    @property
    def line(self) -> int:
        return self.name_cell.line


class Heading:
    """An ATX heading outside code fences and HTML comments."""

    __slots__ = ("level", "title", "offset", "body", "_text", "_line", "_key", "_all")

    def __init__(self, level: int, title: str, offset: int, body: int, text: str, siblings: list | None = None):
        self.level = level
        self.title = title
        self.offset = offset  # where the heading line starts in Document.text
        self.body = body  # where the line after it starts
        self._text = text
        self._line = -1
        self._key = None
        self._all = siblings  # every heading of the document, in text order (this one among them)

    @property
    def line(self) -> int:
        """0-based line number, counted on first use (most headings never need it).

        The first use counts the lines of every heading of the document in one pass: a
        file missing many sections has its headings' lines asked for one after the other.
        """
        if self._line < 0:
            if self._all is None:
                self._line = self._text.count("\n", 0, self.offset)
            else:
                line, at, text = 0, 0, self._text
                for heading in self._all:
                    line += text.count("\n", at, heading.offset)
                    at = heading.offset
                    heading._line = line
        return self._line

    @property
    def key(self) -> str:
        """The title, normalised for lookups (spaces collapsed, case folded); made on first use."""
        if self._key is None:
            self._key = text_key(self.title)
        return self._key

    def __repr__(self) -> str:
        return f"Heading({self.level}, {self.title!r}, line={self.line + 1})"


class Table:
    """A run of ``|``-lines: header row, delimiter row, body rows."""

    __slots__ = ("first", "last", "rows")

    def __init__(self, first: int, last: int, rows: list[list[Cell]]):
        self.first = first  # 0-based index of the header row
        self.last = last  # 0-based index of the last row (inclusive)
        self.rows = rows  # every row, header and delimiter included


# Field-name aliases: several spellings of one field.
FIELD_ALIASES = {
    "author": "authors",
    "author(s)": "authors",
    "authors": "authors",
    "superseded by": "superseded-by",
    "superseded-by": "superseded-by",
    "supersededby": "superseded-by",
    "tracking issues": "tracking issue",
    "tracking issue(s)": "tracking issue",
    "decided by": "decided-by",
    "decided-by": "decided-by",
}


_KEYS: dict[str, str] = {}  # field names seen -> their keys; a corpus uses few names


def field_key(name: str) -> str:
    """Normalise a field name: strip markup and case, fold aliases."""
    key = _KEYS.get(name)
    if key is None:
        key = text_key(strip_emphasis(name))
        key = FIELD_ALIASES.get(key, key)
        if len(_KEYS) < 4096:
            _KEYS[name] = key
    return key


def strip_emphasis(text: str) -> str:
    text = text.strip()
    for mark in ("**", "__", "*", "_"):
        n = len(mark)
        if len(text) > 2 * n and text.startswith(mark) and text.endswith(mark):
            return text[n:-n].strip()
    return text


def unescape_cell(raw: str) -> str:
    return raw.replace("\\|", "|")


def escape_cell(text: str) -> str:
    """A value as a table cell: the inverse of unescape_cell (a backslash before a | is kept)."""
    return text.replace("|", "\\|")


def split_lines(text: str) -> list[str]:
    """Split on LF only, keeping every line's ending (so CR and CRLF survive)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def line_content(line: str) -> str:
    """A line without its ending."""
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    return line


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


def atx_heading(content: str) -> tuple[int, str] | None:
    """(level, title) when the line is an ATX heading, else None."""
    stripped = content.lstrip(" ")
    if len(content) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    if level > 6:
        return None
    rest = stripped[level:]
    if rest and rest[0] not in " \t":
        return None
    title = rest.strip()
    # an optional closing sequence of #'s preceded by a space
    if title.endswith("#"):
        trimmed = title.rstrip("#")
        if not trimmed or trimmed[-1] in " \t":
            title = trimmed.strip()
    return level, title


def fence_opening(content: str) -> tuple[str, int] | None:
    stripped = content.lstrip(" ")
    if len(content) - len(stripped) > 3 or not stripped or stripped[0] not in FENCE_CHARS:
        return None
    char = stripped[0]
    run = len(stripped) - len(stripped.lstrip(char))
    if run < 3:
        return None
    if char == "`" and "`" in stripped[run:]:
        return None
    return char, run


def is_fence_close(content: str, char: str, run: int) -> bool:
    stripped = content.lstrip(" ")
    if len(content) - len(stripped) > 3:
        return False
    body = stripped.rstrip()
    return len(body) >= run and not body.strip(char)


class Document:
    """A PEP file's text plus an index of its structure.

    ``text`` is the whole file (BOM aside) exactly as read; ``lines`` splits it
    on demand. Edits rewrite ``text`` and index it again.
    """

    def __init__(self, text: str, path: str | None = None, bom: bool = False):
        self.path = path
        self.bom = bom
        self.text = text
        self._lines: list[str] | None = None
        self.problems: list[Problem] = []
        self.headings: list[Heading] = []
        self.comments: list[tuple[int, int]] = []  # (first line, last line), 0-based
        self.title_line: int | None = None
        self.title_text: str | None = None
        self.table: Table | None = None
        self.fields: dict[str, Field] = {}
        self.field_list: list[Field] = []
        self._parse()

    # -- reading -------------------------------------------------------------

    @classmethod
    def from_bytes(cls, data: bytes, path: str | None = None) -> Document:
        if not data:
            raise DocumentError("the file is empty", kind="empty")
        nul = data.find(b"\x00")
        if nul != -1:
            line = data.count(b"\n", 0, nul) + 1
            raise DocumentError("the file is binary (it contains NUL bytes), not Markdown text", line, kind="binary")
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
            raise DocumentError(
                f"the file is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                "re-save it as UTF-8",
                line,
                column,
                kind="encoding",
            ) from None
        if bom:
            text = text[1:]
        if not text.strip():
            raise DocumentError("the file holds only whitespace", kind="empty")
        return cls(text, path, bom)

    @classmethod
    def read(cls, path: str) -> Document:
        from pepctl.fsutil import read_source

        return cls.from_bytes(read_source(path), path)

    def to_text(self) -> str:
        return self.text

    def to_bytes(self) -> bytes:
        return (BOM + self.text if self.bom else self.text).encode("utf-8")

    @property
    def lines(self) -> list[str]:
        """The lines, each with its own ending (LF, CRLF or none for the last)."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    # -- parsing -------------------------------------------------------------

    def _parse(self) -> None:
        # Only lines that can open a heading, fence, comment or table matter. A
        # regex finds them at C speed; a code fence is skipped in one search for
        # its closing line, and after the first section table rows stop mattering.
        text = self.text
        search = CANDIDATE_RE.search
        pos = 0
        if text[:1] != "\n":  # the patterns expect a \n before each line: look at line 1 alone
            match = FIRST_LINE_RE.match(text)
            pos = 0 if match else text.find("\n")
        else:
            match = None
        table_at = -1
        while True:
            if match is None:
                if pos < 0:
                    break
                match = search(text, pos)
                if match is None:
                    break
            kind = match.lastindex  # which alternative matched: 1 heading, 2 fence, 3 comment, 4 row
            marker = match.group(kind)
            line_start = match.start() + 1 if text[match.start()] == "\n" else 0
            end = match.end()
            match = None
            if kind == 1:  # heading
                eol = text.find("\n", end)
                if eol == -1:
                    eol = len(text)
                title = text[end:eol].strip()
                if title.endswith("#"):  # an optional closing run of #'s after a space
                    trimmed = title.rstrip("#")
                    if not trimmed or trimmed[-1] in " \t":
                        title = trimmed.strip()
                level = len(marker)
                if level == 1 and self.title_line is None and not self.headings:
                    self.title_line = text.count("\n", 0, line_start)
                    self.title_text = title
                else:
                    self.headings.append(Heading(level, title, line_start, min(eol + 1, len(text)), text, self.headings))
                    if search is CANDIDATE_RE.search:
                        search = BODY_CANDIDATE_RE.search
                pos = eol
            elif kind == 2:  # code fence: jump past its closing line
                fence = marker
                rest_end = text.find("\n", end)
                info = text[end : rest_end if rest_end != -1 else len(text)]
                if fence[0] == "`" and "`" in info:
                    pos = rest_end
                    continue
                closer = FENCE_CLOSE_RE[fence[0]]
                pos = end
                while True:
                    close = closer.search(text, pos)
                    if close is None:
                        pos = -1  # an unclosed fence runs to the end, as in CommonMark
                        break
                    pos = close.end()
                    if len(close.group(1)) >= len(fence):
                        break
            elif kind == 3:  # HTML comment
                close = text.find("-->", end)
                first = text.count("\n", 0, line_start)
                if close == -1:
                    self.comments.append((first, first + text.count("\n", line_start)))
                    self.problems.append(
                        Problem(first + 1, 1, "unclosed-comment", "an HTML comment starts here and is never closed with -->")
                    )
                    break
                self.comments.append((first, first + text.count("\n", line_start, close)))
                pos = close + 3
            else:  # a table row before the first section: the header table
                if table_at < 0:
                    table_at = line_start
                pos = end
        if table_at >= 0:
            self._parse_table(table_at, text.count("\n", 0, table_at))

    def _parse_table(self, offset: int, line_no: int) -> None:
        text = self.text
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
        line_no = last_line
        first = rows[0][0].line if rows[0] else line_no
        self.table = Table(first, line_no, rows)
        if len(rows) < 2 or not is_delimiter_row(rows[1]):
            self.problems.append(
                Problem(first + 2 if len(rows) > 1 else first + 1, 1, "broken-table",
                        "the header table needs a delimiter row like |---|---| under its first row")
            )
            body = rows[1:]
        else:
            body = rows[2:]
            if len(rows[0]) != 2:
                self.problems.append(
                    Problem(first + 1, 1, "broken-table", f"the header table has {len(rows[0])} columns; it needs two: | Field | Value |")
                )
        for number, cells in enumerate(body, start=first + len(rows) - len(body)):
            if len(cells) != 2:
                self.problems.append(
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
            name = strip_emphasis(unescape_cell(cells[0].raw))
            key = field_key(name)
            field = Field(name, key, cells[0], cells[1] if len(cells) > 1 else None)
            self.field_list.append(field)
            if key in self.fields:
                self.problems.append(
                    Problem(number + 1, 1, "duplicate-field", f"field {name!r} appears twice (first on line {self.fields[key].line + 1})")
                )
                continue
            self.fields[key] = field

    # -- queries -------------------------------------------------------------

    @property
    def title_heading(self) -> str | None:
        """Text of the ``# ...`` title heading, or None."""
        return self.title_text

    def field(self, name: str) -> Field | None:
        return self.fields.get(field_key(name))

    def get(self, name: str, default: str = "") -> str:
        field = self.field(name)
        return field.value.strip() if field is not None else default

    def section(self, title: str) -> Heading | None:
        key = text_key(title)
        for heading in self.headings:
            if heading.key == key:
                return heading
        return None

    def section_end(self, heading: Heading) -> Heading | None:
        """The next heading at the same or a higher level, or None at the end."""
        for other in self.headings:
            if other.offset > heading.offset and other.level <= heading.level:  # offsets: no line counting
                return other
        return None

    def section_text(self, heading: Heading, *, keep_comments: bool = False) -> str:
        """A section's body, subsections included, without its heading line."""
        after = self.section_end(heading)
        body = self.text[heading.body : after.offset if after else len(self.text)]
        return body if keep_comments else strip_comments(body)

    def in_comment(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self.comments)

    # -- editing -------------------------------------------------------------

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace text[start:end] and index the document again."""
        self.text = self.text[:start] + new + self.text[end:]
        self.__init__(self.text, self.path, self.bom)  # type: ignore[misc]

    def set_cell(self, cell: Cell, text: str) -> None:
        """Replace one cell's text; the rest of the line is kept as is."""
        if "\n" in text or "\r" in text:
            raise ValueError("a table cell cannot hold a line break")
        start, end, new = cell.start, cell.end, escape_cell(text)
        if not cell.raw:  # an empty cell like `| |`: fill the gap between the pipes, padded
            while start > 0 and self.text[start - 1] in " \t":
                start -= 1
            while end < len(self.text) and self.text[end] in " \t":
                end += 1
            new = " " + new + (" " if self.text[end : end + 1] == "|" else "")
        self.replace(start, end, new)

    def set_field(self, name: str, value: str) -> None:
        field = self.field(name)
        if field is None:
            raise KeyError(name)
        if field.value_cell is None:
            raise ValueError(f"field {field.name!r} on line {field.line + 1} has no value cell")
        self.set_cell(field.value_cell, value)

    def add_field(self, name: str, value: str, after: str | None = None) -> None:
        """Insert a new header row, after the named field or at the table's end."""
        if self.table is None:
            raise ValueError("the document has no header table")
        anchor = self.field(after) if after else None
        row_cells = anchor.name_cell if anchor is not None else self.table.rows[-1][0] if self.table.rows[-1] else None
        line_start = self.text.rfind("\n", 0, row_cells.start) + 1 if row_cells else 0
        eol = self.text.find("\n", line_start)
        row = f"| **{escape_cell(name)}** | {escape_cell(value)} |"
        if eol == -1:
            self.replace(len(self.text), len(self.text), self.newline + row)
        else:
            self.replace(eol + 1, eol + 1, row + self.newline)

    def line_offset(self, line: int) -> int:
        """Offset in text where the 0-based line starts."""
        return sum(len(x) for x in self.lines[:line])

    @property
    def newline(self) -> str:
        """The file's line ending (the first one found), LF by default."""
        eol = self.text.find("\n")
        if eol == -1:
            return "\n"
        return "\r\n" if eol > 0 and self.text[eol - 1] == "\r" else "\n"


def strip_comments(text: str) -> str:
    out = []
    i = 0
    while True:
        start = text.find("<!--", i)
        if start == -1:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:start])
        end = text.find("-->", start + 4)
        if end == -1:
            return "".join(out)
        i = end + 3
