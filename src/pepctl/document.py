"""Text of a PEP file <-> Document, without losing a byte.

A Document keeps the file's text exactly as read (line endings included), and
an index over it: the title heading, the heading tree, code fences, HTML
comments, and the header its header format reads (``pepctl.formats``).
Serialising an unedited Document gives back the same bytes; editing a field
rewrites only the text of that one value.

This module knows Markdown's block structure, not any header syntax.
"""

from __future__ import annotations

import re

from pepctl import formats
from pepctl.errors import PepctlError
from pepctl.formats.base import Edit, Field, Header, Problem
from pepctl.fsutil import lone_carriage_return, read_source
from pepctl.keys import field_key, text_key

BOM = "\ufeff"
FENCE_CHARS = "`~"
# Lines that can start structure: heading, code fence, HTML comment.
# Starting on a literal \n keeps the scan fast; the first line is matched alone.
_STARTS = r" {0,3}(?:(#{1,6})(?=[ \t\r\n]|$)|(`{3,}|~{3,})|(<!--))"
CANDIDATE_RE = re.compile(r"\n" + _STARTS)
FIRST_LINE_RE = re.compile(_STARTS)
FENCE_CLOSE_RE = {c: re.compile(r"\n {0,3}(" + c + r"{3,})[ \t]*(?=\r?\n|\r?$)") for c in ("`", "~")}


class DocumentError(PepctlError):
    """The bytes cannot be read as a PEP document at all."""

    def __init__(self, message: str, line: int = 1, column: int = 1, kind: str = "unreadable"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind


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

    def __init__(self, text: str, path: str | None = None, bom: bool = False, header_format=None):
        self.path = path
        self.bom = bom
        self.text = text
        self.format = header_format or formats.DEFAULT
        self._lines: list[str] | None = None
        self.problems: list[Problem] = []
        self._headings: list[Heading] | None = []  # None: the format finds them on first use
        self.comments: list[tuple[int, int]] = []  # (first line, last line), 0-based
        self.comment_spans: list[tuple[int, int]] = []  # the same comments as (start, end) offsets
        self.fences: list[tuple[int, int]] = []  # code fences as (start, end) offsets, closing line included
        self.title_line: int | None = None
        self.title_text: str | None = None
        markdown = getattr(self.format, "markup", "markdown") == "markdown"
        if markdown:
            self._parse()
        self.header: Header = self.format.read(self)
        if not markdown:  # reStructuredText or YAML: the format finds what structure there is, when asked
            self._headings = None
        self.problems.extend(self.header.problems)
        self.fields: dict[str, Field] = self.header.fields  # by key; the first of a repeated key
        self.field_list: list[Field] = self.header.field_list  # every field, in text order

    @property
    def headings(self) -> list[Heading]:
        """The section headings outside code fences and comments, in text order."""
        if self._headings is None:
            self._headings = []
            self.format.structure(self)
        return self._headings

    # -- reading -------------------------------------------------------------

    @classmethod
    def from_bytes(cls, data: bytes, path: str | None = None, header_format=None) -> Document:
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
        lone = lone_carriage_return(text)
        if lone is not None:
            raise DocumentError(*lone, kind="unreadable")
        return cls(text, path, bom, header_format)

    @classmethod
    def read(cls, path: str, header_format=None) -> Document:
        return cls.from_bytes(read_source(path), path, header_format)

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
        # Only lines that can open a heading, fence or comment matter. A regex finds
        # them at C speed; a code fence is skipped in one search for its closing line.
        text = self.text
        search = CANDIDATE_RE.search
        pos = 0
        if text[:1] != "\n":  # the patterns expect a \n before each line: look at line 1 alone
            match = FIRST_LINE_RE.match(text)
            pos = 0 if match else text.find("\n")
        else:
            match = None
        while True:
            if match is None:
                if pos < 0:
                    break
                match = search(text, pos)
                if match is None:
                    break
            kind = match.lastindex  # which alternative matched: 1 heading, 2 fence, 3 comment
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
                if level == 1 and self.title_line is None and not self._headings:
                    self.title_line = text.count("\n", 0, line_start)
                    self.title_text = title
                else:
                    self._headings.append(Heading(level, title, line_start, min(eol + 1, len(text)), text, self._headings))
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
                self.fences.append((line_start, pos if pos >= 0 else len(text)))
            else:  # HTML comment
                close = text.find("-->", end)
                first = text.count("\n", 0, line_start)
                if close == -1:
                    self.comments.append((first, first + text.count("\n", line_start)))
                    self.comment_spans.append((line_start, len(text)))
                    self.problems.append(
                        Problem(first + 1, 1, "unclosed-comment", "an HTML comment starts here and is never closed with -->")
                    )
                    break
                self.comments.append((first, first + text.count("\n", line_start, close)))
                self.comment_spans.append((line_start, close + 3))
                pos = close + 3

    # -- queries -------------------------------------------------------------

    @property
    def title_heading(self) -> str | None:
        """Text of the ``# ...`` title heading, or None."""
        return self.title_text

    def field(self, name: str) -> Field | None:
        return self.fields.get(getattr(self.format, "key", field_key)(name))  # a dialect folds its own names

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
        self.__init__(self.text, self.path, self.bom, self.format)  # type: ignore[misc]

    def apply(self, edit: Edit) -> None:
        self.replace(edit.start, edit.end, edit.text)

    def set_field(self, name: str, value: str) -> None:
        """Give an existing field a new value; every other byte stays as it was."""
        field = self.field(name)
        if field is None:
            raise KeyError(name)
        self.apply(self.format.set_value(self, field, value))

    def add_field(self, name: str, value: str, after: str | None = None) -> None:
        """Insert a new field after the named one (formats.FIRST: before the first field;
        None: after the last)."""
        self.apply(self.format.insert(self, name, value, after))

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
