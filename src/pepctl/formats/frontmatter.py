"""YAML front matter: a `---` line at the very top, YAML lines, a closing `---` line.

Shared by the dialects that keep their metadata there (EIP, MADR); Markdown's own `---`
rules further down the body are no front matter.
"""

from __future__ import annotations

import re

from pepctl.formats.base import FIRST, Edit, Problem
from pepctl.formats.common import line_insert, make_header
from pepctl.formats.yamlmeta import fields_of, line_scalar, set_scalar

OPEN_RE = re.compile(r"---[ \t]*\r?\n")
CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def span(text: str) -> tuple[int, int, int] | None:
    """(start of the YAML, its end, end of the closing line) or None when there is no front matter."""
    opening = OPEN_RE.match(text)
    if opening is None:
        return None
    close = CLOSE_RE.search(text, opening.end())
    if close is None:
        return None
    after = text.find("\n", close.end())
    return opening.end(), close.start(), (after + 1 if after != -1 else len(text))


class FrontMatter:
    """The header-format part of a dialect whose fields are YAML front matter."""

    noun, item, form = "front matter", "key", "key: value"

    def read_front_matter(self, doc, problems: list):
        found = span(doc.text)
        if found is None:
            if OPEN_RE.match(doc.text):  # a reader would take none of it for metadata: say so, not "missing"
                problems.append(Problem(1, 1, "malformed-header", "the front matter opened by the `---` on line 1 "
                                        "is never closed; add a `---` line after its last key"))
            return None
        start, end, _ = found
        fields, _ = fields_of(doc.text[start:end], start, self.key, problems, doc.text.count("\n", 0, start))
        return make_header(fields, start, end, doc.text, problems) if fields else None

    def example(self, name: str, value: str) -> str:
        return f"{self.spelled(name)}: {value}"

    def header_close(self, text: str):
        found = span(text)
        return found[2] if found is not None else None

    def field_in_line(self, line: str):
        match = re.fullmatch(r"([A-Za-z][\w-]*):[ \t]*(.*?)[ \t]*\r?", line)
        if match is None:
            return None
        return match.group(1), self.line_value(line_scalar(match.group(2)))

    def line_value(self, value: str) -> str:
        return value

    def field_line_pattern(self, word: str) -> str:
        letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return rf"{letters}:[^\n]*"

    def set_value(self, doc, field, value: str) -> Edit:
        return set_scalar(doc, field, value)

    def insert(self, doc, name: str, value: str, after: str | None = None) -> Edit:
        from pepctl.formats.yamlmeta import scalar_text

        return line_insert(doc, f"{self.spelled(name)}: {scalar_text(value)}", after, after == FIRST)
