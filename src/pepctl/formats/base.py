"""The header-format interface: the data a format reads, and the edits it makes.

See ``pepctl.formats`` for what a format object provides. Plain named tuples
(collections.namedtuple, not dataclasses or typing.NamedTuple: this module is
on the lint path, and those two imports cost a pre-commit run ~10 ms).
"""

from __future__ import annotations

from collections import namedtuple

FIRST = "\x00first"  # `insert(..., after=FIRST)`: before every other field

Problem = namedtuple("Problem", "line column kind message")
Problem.__doc__ = "Something malformed that reading tolerated (a broken table row, an unclosed comment); line is 1-based."

Edit = namedtuple("Edit", "start end text")
Edit.__doc__ = "Replace text[start:end] with `text`."


class Field(namedtuple("Field", "name key line name_start value_start value_end raw value")):
    """One header field.

    name: as written, markup removed; key: normalised (keys.field_key); line: 0-based
    line of its name; name_start: offset of the name in Document.text; value_start and
    value_end: the span of the value as written, None when the field has no value;
    raw: the value as written, escapes in place ('' when there is none); value: the
    value as read, escapes resolved.
    """

    __slots__ = ()

    @property
    def has_value(self) -> bool:
        return self.value_start is not None


class Header(namedtuple("Header", "fields field_list first_line last_line start end problems")):
    """What a header format read from a document.

    fields: by key, the first of a repeated key; field_list: every field in text order,
    repeats included; first_line and last_line: 0-based lines of the header block, None
    when the document has none; start and end: its offsets in Document.text; problems:
    Problem items.
    """

    __slots__ = ()

    @property
    def found(self) -> bool:
        return self.first_line is not None

