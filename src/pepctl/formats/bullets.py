"""A header written as a Markdown bullet list of `Key: value` items (Swift Evolution, Rust RFCs, old MADR).

Each item is one line, `* Key: value` or `- Key: value`; an indented line below an item
belongs to it (Swift's sub-bullets), and an item with no `Key:` (a bare link) is kept but
is no field. Reading finds the spans; an edit replaces one value's span.
"""

from __future__ import annotations

import re

from pepctl.formats.base import FIRST, Edit, Field, Problem
from pepctl.formats.common import line_at, line_insert, make_header, replace_span

ITEM_RE = re.compile(r"(?P<lead>[^\s*+-]?)(?P<mark>[*+-])[ \t]+(?:\*\*)?(?P<key>[A-Za-z][A-Za-z0-9 ()/#'.-]{0,40}?)(?:\*\*)?[ \t]*:(?:\*\*)?(?=[ \t]|\r?$)")
BARE_ITEM_RE = re.compile(r"[*+-][ \t]+\S")


class BulletList:
    """The header-format part of a dialect whose fields are a bullet list."""

    noun, item, form = "metadata list", "item", "* Key: value"
    bullet = "*"
    report_duplicates = True

    def read_bullets(self, doc, start: int, stop: int):
        """Fields of the bullet block starting at `start` (the first item's line), up to the first
        blank line or heading, or `stop`."""
        text = doc.text
        fields: list[Field] = []
        problems: list[Problem] = []
        pos = start
        end = start
        line_no = line_at(text, start)  # counted along, not from the top for every item
        while pos < stop:
            eol = text.find("\n", pos, stop)
            eol = stop if eol == -1 else eol
            content_end = eol - 1 if eol > pos and text[eol - 1] == "\r" else eol
            line = text[pos:content_end]
            if not line.strip() or line.lstrip().startswith("#"):
                break
            if line[0] in " \t":  # a sub-item or continuation: part of the item above
                end = content_end
            else:
                match = ITEM_RE.match(line)
                if match is not None:
                    if match.group("lead"):
                        problems.append(Problem(line_no + 1, 1, "malformed-header",
                                                f"this item starts with {match.group('lead')!r} before its bullet; "
                                                f"delete it so the line starts `{match.group('mark')} `"))
                    name = match.group("key").strip()
                    value_start = pos + match.end()
                    while value_start < content_end and text[value_start] in " \t":
                        value_start += 1
                    value_end = pos + len(line.rstrip())
                    has = value_end > value_start
                    fields.append(self.make_field(doc, name, line_no, pos + match.start("key"),
                                                  value_start if has else None, value_end if has else None))
                elif not BARE_ITEM_RE.match(line):
                    break
                end = content_end
            pos = eol + 1
            line_no += 1
        return make_header(fields, start, end, text, problems, self.report_duplicates) if fields else None

    def make_field(self, doc, name, line, name_start, value_start, value_end) -> Field:
        raw = doc.text[value_start:value_end] if value_start is not None else ""
        return Field(name, self.key(name), line, name_start, value_start, value_end, raw, raw.strip())

    def example(self, name: str, value: str) -> str:
        return f"{self.bullet} {self.spelled(name)}: {value}"

    def field_in_line(self, line: str):
        match = ITEM_RE.match(line)
        if match is None:
            return None
        return match.group("key").strip(), self.line_value(line[match.end():].strip())

    def line_value(self, raw: str) -> str:
        return raw

    def field_line_pattern(self, word: str) -> str:
        letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return rf"[^\n]?[*+-][ \t]+[^\n]*{letters}[^\n]*"

    def set_value(self, doc, field: Field, value: str) -> Edit:
        if field.value_start is None:
            colon = doc.text.find(":", field.name_start)
            return Edit(colon + 1, colon + 1, " " + value)
        return replace_span(field, value)

    def insert(self, doc, name: str, value: str, after: str | None = None) -> Edit:
        return line_insert(doc, self.example(name, value), after, after == FIRST)
