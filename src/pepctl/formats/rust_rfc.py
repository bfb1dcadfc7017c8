"""Rust RFCs (rust-lang/rfcs): Markdown opening with `- Key: value` bullets, and no status.

``text/NNNN-name.md`` is in the folder only once the RFC was merged, so every file there is
an accepted RFC: the status is not written, and pepctl reads it as ``Accepted``. The bullets
(``Feature Name``, ``Start Date``, ``RFC PR``, ``Rust Issue`` or ``Tracking Issue``; in old
files ``RFC PR #`` and ``Rust Issue #``) may follow blank lines or an HTML comment; a
``Rust Issue`` may be given more than once.
"""

from __future__ import annotations

import os
import re

from pepctl.formats.bullets import BulletList
from pepctl.formats.common import GENERIC_RULES, Dialect, empty_header, no_plano_stages

ACCEPTED = "Accepted"
LEAD_RE = re.compile(r"(?:[ \t]*\r?\n|[ \t]*<!--.*?-->[ \t]*\r?\n?)*", re.S)
ITEM_START_RE = re.compile(r"[^\s]?-[ \t]+[A-Za-z]")


class RustRfc(BulletList, Dialect):
    """No line of a Rust RFC holds a status: the history is when each file came into text/."""

    name = "rust-rfc"
    title_name = "Rust RFCs"
    index_note = "Rust RFCs keep no index file: the list of RFCs is generated from the text/ folder"
    label_prefix = "RFC"
    label_width = 0
    noun = "metadata bullets"
    bullet = "-"
    report_duplicates = False  # several `Rust Issue` lines are one RFC's several tracking issues
    missing_advice = ("start the file with `- Feature Name: name`, `- Start Date: YYYY-MM-DD`, `- RFC PR: ...` "
                      "and `- Rust Issue: ...` lines, as the template does")
    statuses = (ACCEPTED,)
    unwritten_status = ACCEPTED  # history: the commit that adds a file to text/ accepts the RFC
    generic_rules = (GENERIC_RULES - {"H009", "L003"}) | {"S004"}  # no status field; issue links vary freely
    keys = {"start date": "created", "rfc pr #": "rfc pr", "rust issue #": "tracking issue",
            "rust issue": "tracking issue"}
    spellings = {"Created": "Start Date", "created": "Start Date", "Tracking Issue": "Rust Issue"}
    lifecycle = {ACCEPTED: "Accepted"}
    defaults = {
        "template": "0000-template.md",
        "states": [ACCEPTED],
        "initial-states": [ACCEPTED],
        "final-states": [],
        "transitions": {ACCEPTED: []},
        "required-fields": ["Start Date", "RFC PR"],
        "required-sections": [],
        "draft-states": [],
        **no_plano_stages(),
    }

    def read(self, doc):
        text = doc.text
        lead = LEAD_RE.match(text)
        start = lead.end() if lead else 0
        limit = doc.headings[0].offset if doc.headings else len(text)
        if doc.title_line is not None:
            limit = min(limit, _line_offset(text, doc.title_line))
        if start >= limit or not ITEM_START_RE.match(text, start):
            return empty_header()
        header = self.read_bullets(doc, start, limit)
        return header if header is not None else empty_header()

    def number_of(self, pep):
        return pep.file_number

    def field_number(self, pep):
        return None

    def status_of(self, pep) -> str:
        return ACCEPTED  # merged into text/: accepted

    def page_body(self, doc) -> str:
        """The file less its bullets. Its first `#` heading stays: in an RFC that is a section
        (`# Summary`), not a title (the page's title is the file name's words)."""
        text = doc.text
        if not doc.header.found:
            return text
        start = text.rfind("\n", 0, doc.header.start) + 1
        eol = text.find("\n", doc.header.end)
        return text[:start] + text[len(text) if eol == -1 else eol + 1:]

    def title_of(self, pep) -> str:
        """The file name's words: RFCs have no title field, and many open with `# Summary`."""
        stem = os.path.basename(pep.path).rsplit(".", 1)[0]
        words = stem.split("-", 1)[1] if "-" in stem else stem
        words = words.replace("-", " ").replace("_", " ").strip()
        return words[:1].upper() + words[1:]


def _line_offset(text: str, line: int) -> int:
    at = 0
    for _ in range(line):
        at = text.find("\n", at) + 1
    return at


RUST_RFC = RustRfc()
