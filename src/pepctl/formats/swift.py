"""Swift Evolution (swiftlang/swift-evolution): Markdown, `# Title`, then a `* Key: value` list.

``proposals/NNNN-name.md`` (SE-NNNN; ``proposals/testing/`` holds Swift Testing's ST-NNNN, a
second number space: point --dir at it; the ``swift-testing`` format, detected from its
``* Proposal: [ST-NNNN]`` lines, is the same format labelled ST-). The status is written in bold with its detail in
parentheses, ``**Implemented (Swift 5.9)**`` or ``**Active Review (August 2–16, 2026)**``, in
many historical spellings; the Status field's value is the state alone (matched to the
vocabulary without regard to case), and the detail is a field of its own (``Release`` or
``Review Dates``) whose span lies inside the status. An edit of the status rewrites what is
between the ``**``.
"""

from __future__ import annotations

import re

from pepctl.formats.base import Field
from pepctl.formats.bullets import BulletList
from pepctl.formats.common import GENERIC_RULES, Dialect, empty_header, no_plano_stages
from pepctl.keys import text_key

STATUSES = ("Awaiting Review", "Scheduled for Review", "Active Review", "Accepted", "Accepted with Modifications",
            "Accepted with Revisions", "Previewing", "Partially Implemented", "Implemented",
            "Implemented with Modifications", "Returned for Revision", "Rejected", "Withdrawn", "Expired")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
DETAIL_RE = re.compile(r"\s*\(([^()]*)\)\s*:?\s*$")
NUMBER_RE = re.compile(r"\b(?:SE|ST)-(\d+)")


class Swift(BulletList, Dialect):
    name = "swift"
    title_name = "Swift Evolution"
    index_note = "Swift Evolution keeps no index file: its dashboard is generated from the proposals' headers"
    label_prefix = "SE"
    label_separator = "-"
    missing_advice = ("under the `# Title` heading add the list `* Proposal: [SE-NNNN](NNNN-name.md)`, "
                      "`* Authors: [Name](https://github.com/handle)`, `* Review Manager: ...`, `* Status: **Awaiting Review**`")
    statuses = STATUSES
    generic_rules = GENERIC_RULES | {"S004"}
    keys = {"proposal": "pep", "author": "authors", "bug": "bugs", "previous revisions": "previous revision",
            "review managers": "review manager", "previous proposals": "previous proposal"}
    spellings = {"PEP": "Proposal", "Author(s)": "Authors", "authors": "Authors", "pep": "Proposal"}
    lifecycle = {
        "Awaiting Review": "Under Review", "Scheduled for Review": "Under Review", "Active Review": "Under Review",
        "Accepted": "Accepted", "Accepted with Modifications": "Accepted", "Accepted with Revisions": "Accepted",
        "Previewing": "Implementing", "Partially Implemented": "Implementing", "Implemented": "Complete",
        "Implemented with Modifications": "Complete", "Returned for Revision": "Draft", "Rejected": "Declined",
        "Withdrawn": "Withdrawn", "Expired": "Withdrawn",
    }
    defaults = {
        "template": "0000-swift-template.md",
        "states": list(STATUSES),
        "initial-states": ["Awaiting Review"],
        "final-states": ["Implemented", "Implemented with Modifications", "Rejected", "Withdrawn", "Expired"],
        "transitions": {
            "Awaiting Review": ["Scheduled for Review", "Active Review", "Withdrawn"],
            "Scheduled for Review": ["Active Review", "Withdrawn"],
            "Active Review": ["Accepted", "Accepted with Modifications", "Accepted with Revisions", "Returned for Revision",
                              "Rejected", "Withdrawn"],
            "Returned for Revision": ["Awaiting Review", "Active Review", "Withdrawn"],
            "Accepted": ["Previewing", "Partially Implemented", "Implemented", "Implemented with Modifications", "Expired"],
            "Accepted with Modifications": ["Previewing", "Partially Implemented", "Implemented",
                                            "Implemented with Modifications", "Expired"],
            "Accepted with Revisions": ["Previewing", "Partially Implemented", "Implemented",
                                        "Implemented with Modifications", "Expired"],
            "Previewing": ["Implemented", "Partially Implemented"],
            "Partially Implemented": ["Implemented"],
        },
        "required-fields": ["Proposal", "Authors", "Review Manager", "Status"],
        "required-sections": [],
        "draft-states": ["Awaiting Review"],
        **no_plano_stages(),
    }

    def read(self, doc):
        text = doc.text
        limit = doc.headings[0].offset if doc.headings else len(text)
        start = 0
        if doc.title_line is not None:
            start = text.find("\n", _offset_of_line(text, doc.title_line)) + 1 or len(text)
        match = re.compile(r"^[^\s]?[*+-][ \t]", re.M).search(text, start, limit)
        if match is None:
            return empty_header()
        header = self.read_bullets(doc, match.start(), limit)
        if header is None:
            return empty_header()
        detail = self.read_details(doc, header)
        if detail is not None and detail.key not in header.fields:
            at = header.field_list.index(header.fields["status"]) + 1
            header = header._replace(field_list=header.field_list[:at] + [detail] + header.field_list[at:],
                                     fields={**header.fields, detail.key: detail})
        return header

    def make_field(self, doc, name, line, name_start, value_start, value_end):
        field = super().make_field(doc, name, line, name_start, value_start, value_end)
        if field.key == "status" and value_start is not None:
            return self._status(doc.text, field)
        return field

    def _status(self, text: str, field: Field) -> Field:
        bold = BOLD_RE.search(field.raw)
        if bold is None:
            inner_start, inner = field.value_start, field.raw
        else:
            inner_start, inner = field.value_start + bold.start(1), bold.group(1)
        state = inner
        if text_key(state).startswith("status:"):  # `**Status: Active Review (...)**`
            state = state.split(":", 1)[1].lstrip()
        detail = DETAIL_RE.search(state)
        if detail:
            state = state[: detail.start()]
        state = state.strip().rstrip(":").strip()
        end = inner_start + len(inner)
        return Field(field.name, field.key, field.line, field.name_start, inner_start, end, text[inner_start:end],
                     canonical_status(state))

    def read_details(self, doc, header):
        """The status's detail in parentheses, as a field of its own."""
        status = header.fields.get("status")
        if status is None:
            return
        found = DETAIL_RE.search(status.raw)
        if found is None:
            return
        name = "Review Dates" if "review" in status.value.casefold() else "Release"
        start = status.value_start + found.start(1)
        return Field(name, name.casefold(), status.line, status.name_start, start, start + len(found.group(1)),
                     found.group(1), found.group(1).strip())

    def number_of(self, pep):
        found = self.field_number(pep)
        return found if found is not None else pep.file_number

    def field_number(self, pep):
        match = NUMBER_RE.search(pep.document.get("PEP"))
        return int(match.group(1)) if match else None

    def title_of(self, pep) -> str:
        return pep.document.title_text or ""

    def line_value(self, raw: str) -> str:
        bold = BOLD_RE.search(raw)
        inner = bold.group(1) if bold else raw
        if text_key(inner).startswith("status:"):
            inner = inner.split(":", 1)[1]
        detail = DETAIL_RE.search(inner)
        return canonical_status((inner[: detail.start()] if detail else inner).strip().rstrip(":").strip())


def canonical_status(state: str) -> str:
    """A status as written, with the vocabulary's spelling when it is one of its words."""
    key = text_key(state)
    for known in STATUSES:
        if text_key(known) == key:
            return known
    return state


def _offset_of_line(text: str, line: int) -> int:
    at = 0
    for _ in range(line):
        at = text.find("\n", at) + 1
    return at


class SwiftTesting(Swift):
    name = "swift-testing"
    title_name = "Swift Testing proposals"
    label_prefix = "ST"
    missing_advice = Swift.missing_advice.replace("SE-NNNN", "ST-NNNN")


SWIFT = Swift()
SWIFT_TESTING = SwiftTesting()
