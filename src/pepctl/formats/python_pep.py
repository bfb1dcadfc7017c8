"""Python's PEPs (python/peps): reStructuredText files with an RFC 822 header block.

``peps/pep-NNNN.rst`` starts with ``Key: value`` lines, from line 1 to the first blank line;
a value may go on over indented continuation lines (``Author:``, ``Post-History:``), and may
even start on the line after its name. The body is reStructuredText: `check` reads only the
header and the section titles (a line underlined with punctuation, for `show`), and the website
renders the body with docutils.
"""

from __future__ import annotations

import re

from pepctl.formats.base import FIRST, Edit, Field, Problem
from pepctl.formats.common import (
    GENERIC_RULES, Dialect, empty_header, line_end, line_insert, make_header, no_plano_stages)

FIELD_RE = re.compile(r"([A-Za-z][A-Za-z0-9-]*):")
FIELD_LINE_RE = re.compile(r"([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*?)[ \t]*\r?")
PUNCTUATION = "=-~^\"'`#*+.:_<>!$%&(),/;?@[]\\{|}"
UNDERLINE_RE = re.compile(r"\n(([" + re.escape(PUNCTUATION) + r"])\2{2,})[ \t]*\r?(?=\n|$)")
BLANK_LINE_RE = re.compile(r"^[ \t]*\r?$", re.M)

# PEP 12's headers, in its order (BDFL-Delegate is still read beside PEP-Delegate; Version,
# Last-Modified and Content-Type are no longer PEP headers)
HEADER_ORDER = ("PEP", "Title", "Author", "Sponsor", "BDFL-Delegate", "PEP-Delegate", "Discussions-To", "Status",
                "Type", "Topic", "Requires", "Created", "Python-Version", "Post-History", "Replaces",
                "Superseded-By", "Resolution")
STATUSES = ("Draft", "Active", "Accepted", "Provisional", "Deferred", "Final", "Rejected", "Withdrawn",
            "Superseded", "April Fool!")
TYPES = ("Standards Track", "Informational", "Process")
TOPICS = ("Governance", "Packaging", "Release", "Typing")


class PythonPep(Dialect):
    name = "python-pep"
    title_name = "Python Enhancement Proposals"
    index_note = "python/peps keeps no index file: PEP 0 is generated from the PEP headers when their site is built, as pepctl's site index page is"
    label_prefix = "PEP"
    label_width = 0
    markup = "rst"
    noun, item, form = "header block", "header line", "Key: value"
    missing_advice = ("start the file with the PEP 12 header lines, `PEP: N`, `Title: ...`, `Author: Name <email>`, "
                      "`Status: Draft`, `Type: Standards Track`, `Created: DD-Mon-YYYY`, then a blank line")
    file_re = re.compile(r"pep-(\d{4})\.rst")
    statuses = STATUSES
    # X003 (both sides of a Replaces/Superseded-By pair) is left out: PEP 1 asks only the superseded PEP
    # to say so, and python/peps has 20 one-sided pairs that its own checks accept
    generic_rules = GENERIC_RULES - {"X003"}
    keys = {"author": "authors", "replaces": "supersedes"}
    spellings = {"Author(s)": "Author", "authors": "Author", "Supersedes": "Replaces", "supersedes": "Replaces"}
    lifecycle = {
        "Draft": "Draft", "Active": "Active", "Accepted": "Accepted", "Provisional": "Implementing",
        "Deferred": "Deferred", "Final": "Complete", "Rejected": "Declined", "Withdrawn": "Withdrawn",
        "Superseded": "Complete", "April Fool!": "Declined",
    }
    defaults = {
        "template": "pep-0012/pep-NNNN.rst",
        "states": list(STATUSES),
        "initial-states": ["Draft", "Active"],
        "final-states": ["Final", "Rejected", "Withdrawn", "Superseded", "April Fool!"],
        "transitions": {  # PEP 1's diagram
            "Draft": ["Accepted", "Provisional", "Rejected", "Withdrawn", "Deferred", "Active"],
            "Deferred": ["Draft"],
            "Accepted": ["Final", "Rejected", "Withdrawn"],
            "Provisional": ["Final", "Rejected", "Withdrawn"],
            "Active": ["Withdrawn", "Superseded"],
            "Final": ["Superseded"],
            "Rejected": [], "Withdrawn": [], "Superseded": [], "April Fool!": [],
        },
        "required-fields": ["PEP", "Title", "Author", "Status", "Type", "Created"],
        "required-sections": [],
        "draft-states": ["Draft"],
        **no_plano_stages(),
    }

    # -- reading ------------------------------------------------------------------------

    def read(self, doc):
        text = doc.text
        blank = BLANK_LINE_RE.search(text)
        end = blank.start() if blank else len(text)
        if end == 0 or not FIELD_RE.match(text):
            return empty_header()  # H002 says the header is missing
        fields, problems = [], []
        pos = 0
        line_no = 0  # counted along, not from the top for every line
        current = None  # [name, key, line, name_start, value_start, value_end]
        while pos < end:
            stop = text.find("\n", pos, end)
            stop = end if stop == -1 else stop
            content_end = stop - 1 if stop > pos and text[stop - 1] == "\r" else stop
            if text[pos] in " \t":  # a continuation line
                if current is None:
                    problems.append(Problem(line_no + 1, 1, "malformed-header",
                                            "an indented line before the first header line"))
                else:
                    first = pos + len(text[pos:content_end]) - len(text[pos:content_end].lstrip(" \t"))
                    last = len(text[pos:content_end].rstrip(" \t")) + pos
                    if last > first:
                        if current[4] is None:
                            current[4] = first
                        current[5] = last
            else:
                match = FIELD_RE.match(text, pos, content_end)
                if match is None:
                    problems.append(Problem(line_no + 1, 1, "malformed-header",
                                            f"header line {text[pos:content_end]!r} is not `Key: value`; "
                                            "indent a continuation line, or end the header with a blank line"))
                else:
                    if current is not None:
                        fields.append(_field(text, current))
                    value_start = match.end()
                    while value_start < content_end and text[value_start] in " \t":
                        value_start += 1
                    value_end = len(text[value_start:content_end].rstrip(" \t")) + value_start
                    current = [match.group(1), self.key(match.group(1)), line_no, pos,
                               value_start if value_end > value_start else None,
                               value_end if value_end > value_start else None]
            pos = stop + 1
            line_no += 1
        if current is not None:
            fields.append(_field(text, current))
        return make_header(fields, 0, end, text, problems)

    def structure(self, doc) -> None:
        """The section titles of the reStructuredText body, for `show` and the sections rules:
        a line underlined (and maybe overlined) with one punctuation character repeated."""
        from pepctl.document import Heading

        text = doc.text
        header_end = doc.header.end if doc.header.found else 0
        styles: list[tuple[str, bool]] = []
        for match in UNDERLINE_RE.finditer(text, header_end):
            underline_start = match.start() + 1
            title_end = match.start()
            title_start = text.rfind("\n", 0, title_end) + 1
            title = text[title_start:title_end].rstrip("\r").rstrip()
            underline = match.group(1)
            if not title or title[0] in " \t" or len(underline) < len(title) or set(title) <= set(PUNCTUATION):
                continue
            over = False
            if title_start > 0:
                previous_start = text.rfind("\n", 0, title_start - 1) + 1
                previous = text[previous_start:title_start].strip()
                over = bool(previous) and set(previous) == {underline[0]}
            style = (underline[0], over)
            if style not in styles:
                styles.append(style)
            level = styles.index(style) + 2  # the PEP's title is level 1: its header's Title
            body = text.find("\n", underline_start)
            body = len(text) if body == -1 else body + 1
            doc.headings.append(Heading(level, title.strip(), title_start, body, text, doc.headings))

    def field_in_line(self, line: str):
        match = FIELD_LINE_RE.fullmatch(line)
        return (match.group(1), match.group(2)) if match else None

    def field_line_pattern(self, word: str) -> str:
        letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return rf"{letters}:[^\n]*"

    def parse_authors(self, value: str) -> list:
        from pepctl.model import Author

        out = []
        for part in split_people(value):
            name, _, rest = part.partition("<")
            out.append(Author(name.strip() or part, None, part))
        return out

    # -- editing ------------------------------------------------------------------------

    def set_value(self, doc, field: Field, value: str) -> Edit:
        if "\n" in value or "\r" in value:
            raise ValueError("a header value goes on one line here; continuation lines are edited by hand")
        if field.value_start is None:
            colon = doc.text.find(":", field.name_start)
            return Edit(colon + 1, line_end(doc.text, colon), " " + value)
        return Edit(field.value_start, field.value_end, value)

    def insert(self, doc, name: str, value: str, after: str | None = None) -> Edit:
        return line_insert(doc, f"{self.spelled(name)}: {value}", after, after == FIRST)


def _field(text: str, current: list) -> Field:
    name, key, line, name_start, value_start, value_end = current
    raw = text[value_start:value_end] if value_start is not None else ""
    return Field(name, key, line, name_start, value_start, value_end, raw, " ".join(raw.split()))


def split_people(value: str) -> list[str]:
    """The people of an Author-like value: comma-separated, a comma inside <...> kept."""
    parts, depth, current = [], 0, []
    for char in value:
        if char == "<":
            depth += 1
        elif char == ">":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [" ".join(p.split()) for p in parts if p.strip()]


PYTHON_PEP = PythonPep()
