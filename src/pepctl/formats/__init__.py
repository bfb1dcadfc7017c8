"""Header formats: where a proposal keeps its fields, and how one is read and edited.

A header format is one module with one object that knows one syntax — Plano's
``| **Field** | value |`` table (``plano``) is the first. Nothing else in
pepctl knows any header syntax: the Document asks its format for the Header,
and for the bytes of an edit.

A format object has:

- ``name``: how the config names it;
- ``read(document) -> Header``: the fields with their spans, the block they
  stand in, and what was malformed;
- ``set_value(document, field, value) -> Edit``: the one replacement that
  gives `field` the new value, every other byte kept;
- ``insert(document, name, value, after) -> Edit``: a new field after
  another one (None: at the end; FIRST: before the first);
- ``field_in_line(line) -> (name, value) | None``: the field a single line
  holds, for reading diffs where no whole document is at hand;
- ``example(name, value) -> str``: a field as the format writes it, for
  messages that tell the author what to add;
- ``noun``, ``item`` and ``form``: what messages call the header and one
  field of it, and its shape in one line ("header table", "row",
  "| Field | Value |");
- ``missing_advice``: how to add a header to a file that has none.
"""

from __future__ import annotations

from pepctl.formats.base import FIRST, Edit, Field, Header, Problem
from pepctl.formats.plano import PLANO

FORMATS = {PLANO.name: PLANO}
DEFAULT = PLANO


def get(name: str):
    """The header format the config names (KeyError with the known names otherwise)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"no header format {name!r}; known: {', '.join(sorted(FORMATS))}") from None


__all__ = ["DEFAULT", "FIRST", "FORMATS", "PLANO", "Edit", "Field", "Header", "Problem", "get"]
