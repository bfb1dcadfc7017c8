"""MADR architecture decision records: Markdown, optional YAML front matter, fixed sections.

``NNNN-title-with-dashes.md`` in the decisions folder (``index.md`` and the templates beside
them are no records). The front matter may hold MADR's ``status``, ``date``,
``decision-makers``, ``consulted``, ``informed``, or only a site generator's keys (Jekyll's
``parent`` and ``nav_order``); MADR 2 wrote ``* Status: ...`` bullets under the title
instead, and those are read too. Most records have no status: a decision in the log is
taken. ``superseded by ADR-0057`` is status ``superseded`` with a ``Superseded-By`` field whose
span is ``ADR-0057``; ``accepted; supersedes ADR-0045`` likewise gives a ``Supersedes`` field.
"""

from __future__ import annotations

import re

from pepctl.formats.base import Edit, Field
from pepctl.formats.bullets import BulletList
from pepctl.formats.common import GENERIC_RULES, Dialect, empty_header, no_plano_stages
from pepctl.formats.frontmatter import FrontMatter
from pepctl.keys import text_key

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
LINK_RE = re.compile(r"(?P<word>supersedes|superseded by)\s+(?P<ref>(?:ADR-?)?\d+)", re.I)
SECTIONS = ["Context and Problem Statement", "Considered Options", "Decision Outcome"]


class Madr(FrontMatter, Dialect):
    name = "madr"
    title_name = "Markdown Architectural Decision Records"
    index_note = "this decision log keeps its index (index.md) by hand or with its own tooling; pepctl does not rewrite it"
    label_prefix = "ADR"
    label_separator = "-"
    missing_advice = "add front matter (`---`, `status: proposed`, `date: YYYY-MM-DD`, `---`) above the `# Title`"
    statuses = STATUSES
    generic_rules = (GENERIC_RULES - {"H002", "H006", "H007"}) | {"H010", "S001", "S002", "S004"}
    keys = {"date": "created", "superseded by": "superseded-by"}
    spellings = {"Status": "status", "Created": "date", "created": "date", "Supersedes": "Supersedes"}
    lifecycle = {"proposed": "Under Review", "accepted": "Accepted", "rejected": "Declined",
                 "deprecated": "Withdrawn", "superseded": "Complete", "": "Accepted"}
    defaults = {
        "template": "adr-template.md",
        "states": list(STATUSES),
        "initial-states": ["proposed", "accepted"],
        "final-states": ["rejected", "deprecated", "superseded"],
        "transitions": {"proposed": ["accepted", "rejected"], "accepted": ["deprecated", "superseded"]},
        "required-fields": [],
        "required-sections": SECTIONS,
        "draft-states": ["proposed"],
        **no_plano_stages(),
    }

    def read(self, doc):
        problems: list = []
        header = self.read_front_matter(doc, problems)
        if header is None and doc.title_line is not None:
            header = _BULLETS.read_after_title(doc)
        if header is None:
            return empty_header(problems)
        status = header.fields.get("status")
        if status is None or status.value_start is None:
            return header
        state, links = split_status(doc.text, status)
        fields = dict(header.fields)
        listing = list(header.field_list)
        at = listing.index(status)
        listing[at] = fields["status"] = state
        for link in links:
            if link.key not in fields:
                fields[link.key] = link
                at += 1
                listing.insert(at, link)
        return header._replace(fields=fields, field_list=listing)

    def title_of(self, pep) -> str:
        return pep.document.title_text or ""

    def state_of(self, value: str) -> str:
        """The state a Status value names, its links and notes left out (`superseded by ADR-0057`: superseded)."""
        state = re.split(r"[;,(]|\bby\b|\bsupersedes\b", value, maxsplit=1, flags=re.I)[0].strip()
        return next((s for s in STATUSES if text_key(s) == text_key(state)), state)

    def field_in_line(self, line: str):
        """A front matter line, or one of MADR 2's `* Status: ...` bullets (history reads both); a
        Status value is the state alone."""
        found = FrontMatter.field_in_line(self, line) or _BULLETS.field_in_line(line)
        if found is not None and self.key(found[0]) == "status":
            return found[0], self.state_of(found[1])
        return found

    def field_line_pattern(self, word: str) -> str:
        return r"(?:[*-][ \t]+)?" + FrontMatter.field_line_pattern(self, word)

    def number_of(self, pep):
        return pep.file_number

    def field_number(self, pep):
        return None


def split_status(text: str, field: Field):
    """The Status field with its value the state alone, and the Supersedes/Superseded-By fields it holds."""
    links = []
    for match in LINK_RE.finditer(field.raw):
        name = "Superseded-By" if match.group("word").casefold().startswith("superseded") else "Supersedes"
        start = field.value_start + match.start("ref")
        links.append(Field(name, name.casefold(), field.line, field.name_start, start, start + len(match.group("ref")),
                           match.group("ref"), match.group("ref")))
    return field._replace(value=MADR.state_of(field.value)), links


class _OldBullets(BulletList, Dialect):
    """MADR 2's `* Status: accepted` list under the title."""

    keys = Madr.keys

    def read_after_title(self, doc):
        text = doc.text
        start = text.find("\n", _line_offset(text, doc.title_line)) + 1
        while start < len(text) and text[start] in "\r\n":
            start = text.find("\n", start) + 1 or len(text)
        if not re.match(r"[*-][ \t]+(?:Status|Deciders|Date)\b", text[start : start + 20], re.I):
            return None
        limit = doc.headings[0].offset if doc.headings else len(text)
        return self.read_bullets(doc, start, limit)


def _line_offset(text: str, line: int) -> int:
    at = 0
    for _ in range(line):
        at = text.find("\n", at) + 1
    return at


_BULLETS = _OldBullets()
MADR = Madr()


def _in_front_matter(doc, offset: int) -> bool:
    from pepctl.formats.frontmatter import span

    found = span(doc.text)
    return found is not None and found[0] <= offset < found[1]


def _set_value(self, doc, field, value):
    """YAML front matter gets a YAML scalar; MADR 2's bullets the plain text. A Status that also
    names links (`accepted; supersedes ADR-0045`) gets its state word replaced, the links kept."""
    kept = _state_span(field) if field.key == "status" else None
    if kept is not None and re.fullmatch(r"[\w -]+", value):
        return Edit(field.value_start + kept[0], field.value_start + kept[1], value)
    if _in_front_matter(doc, field.name_start):
        return FrontMatter.set_value(self, doc, field, value)
    return _BULLETS.set_value(doc, field, value)


def _state_span(field):
    """(start, end) of the state word within a Status value that goes on with `; ...` or `, ...`
    (quotes aside), or None."""
    raw = field.raw
    quoted = 1 if raw[:1] in "\"'" else 0
    match = re.match(r"[ \t]*([^;,(\"']*?)[ \t]*[;,]", raw[quoted:])
    if match is None or not match.group(1) or MADR.state_of(match.group(1)) != field.value:
        return None
    return quoted + match.start(1), quoted + match.end(1)


def _insert(self, doc, name, value, after=None):
    """A new field goes where the others are: a YAML line in front matter, a `* Key: value` item in
    MADR 2's bullets (a YAML line there would end the list, and the fields below it with it)."""
    fields = doc.header.field_list
    if fields and not _in_front_matter(doc, fields[0].name_start):
        return _BULLETS.insert(doc, name, value, after)
    return FrontMatter.insert(self, doc, name, value, after)


Madr.set_value = _set_value
Madr.insert = _insert
