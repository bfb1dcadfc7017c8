"""A header format is one module behind one interface: a second one works with Document unchanged.

The format below ("key: value" lines before the first heading) is written here, in the
test, against the interface only; Document, Pep and the lint rules' field lookups then
work on it without knowing its syntax.
"""

import re

from pepctl.document import Document
from pepctl.formats import FIRST, Edit, Field, Header
from pepctl.model import Pep

LINE_RE = re.compile(r"^([A-Za-z-]+): ?(.*)$", re.M)


class Colon:
    name = "colon"
    noun, item, form = "header", "line", "Key: value"
    missing_advice = "add Key: value lines at the top"

    def example(self, name, value):
        return f"{name}: {value}"

    def read(self, doc):
        limit = doc.headings[0].offset if doc.headings else len(doc.text)
        fields, field_list = {}, []
        first = last = None
        for match in LINE_RE.finditer(doc.text, 0, limit):
            line = doc.text.count("\n", 0, match.start())
            field = Field(match[1], match[1].lower(), line, match.start(1), match.start(2), match.end(2), match[2], match[2])
            field_list.append(field)
            fields.setdefault(field.key, field)
            first = line if first is None else first
            last = line
        if first is None:
            return Header({}, [], None, None, 0, 0, [])
        return Header(fields, field_list, first, last, 0, limit, [])

    def set_value(self, doc, field, value):
        return Edit(field.value_start, field.value_end, value)

    def insert(self, doc, name, value, after=None):
        anchor = doc.header.field_list[0] if after == FIRST else doc.header.fields.get((after or "").lower())
        at = doc.text.rfind("\n", 0, anchor.name_start) + 1 if after == FIRST else doc.text.find("\n", (anchor or doc.header.field_list[-1]).name_start) + 1
        return Edit(at, at, f"{name}: {value}\n")

    def field_in_line(self, line):
        match = LINE_RE.match(line)
        return (match[1], match[2]) if match else None

    def field_line_pattern(self, word):
        return rf"[^\n]*{word}[^\n]*"


TEXT = "title: Caching\nstatus: Draft\n\n# PEP-0042: Caching\n\n## Summary\n\nstatus: not a field\n"


def test_document_reads_and_edits_through_another_format():
    doc = Document(TEXT, header_format=Colon())
    assert doc.get("Status") == "Draft"
    assert Pep(doc, "PEP-0042-caching.md").title == "Caching"
    doc.set_field("Status", "Accepted")
    assert doc.text == TEXT.replace("status: Draft", "status: Accepted")
    doc.add_field("created", "2024-01-01", after="title")
    assert doc.text.startswith("title: Caching\ncreated: 2024-01-01\nstatus: Accepted\n")
    assert doc.get("Created") == "2024-01-01"
    assert doc.header.fields.keys() == {"title", "created", "status"}
