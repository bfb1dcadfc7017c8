"""The header-format interface: the data a format reads, and the edits it makes.

See ``pepctl.formats`` for what a format object provides.
"""

from __future__ import annotations

from dataclasses import dataclass, field as _field
from typing import NamedTuple

FIRST = "\x00first"  # `insert(..., after=FIRST)`: before every other field


class Problem(NamedTuple):
    """Something malformed that reading tolerated (a broken table row, an unclosed comment)."""

    line: int  # 1-based
    column: int
    kind: str
    message: str


class Edit(NamedTuple):
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


@dataclass(slots=True, eq=False)
class Field:
    """One header field: its name as written, its normalised key, where it is and its value."""

    name: str  # as written, markup removed
    key: str  # normalised: lower case, aliases folded (keys.field_key)
    line: int  # 0-based line of the field's name
    name_start: int  # offset of the name in Document.text (markup included)
    value_start: int | None  # span of the value as written (escapes in place); None when there is no value
    value_end: int | None
    raw: str  # the value as written, escapes in place ('' when there is none)
    value: str  # the value as read (escapes resolved)

    @property
    def has_value(self) -> bool:
        return self.value_start is not None


@dataclass(slots=True, eq=False)
class Header:
    """What a header format read from a document."""

    fields: dict[str, Field] = _field(default_factory=dict)  # by key; the first of a repeated key
    field_list: list[Field] = _field(default_factory=list)  # every field in text order, repeats included
    first_line: int | None = None  # 0-based lines of the header block, None when the document has none
    last_line: int | None = None
    start: int = 0  # offsets of the header block in Document.text
    end: int = 0
    problems: list = _field(default_factory=list)  # document.Problem items

    @property
    def found(self) -> bool:
        return self.first_line is not None
