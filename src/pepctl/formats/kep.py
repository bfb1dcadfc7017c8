"""Kubernetes Enhancement Proposals (kubernetes/enhancements): one folder per KEP.

``keps/<sig>/[<subproject>/]NNNN-name/`` holds ``kep.yaml`` (the metadata: a YAML mapping
with lists and a ``milestone:`` sub-mapping) beside ``README.md`` (the prose, with no header).
The proposal's file, for pepctl, is ``kep.yaml``: the fields are read and edited there, and
the website renders the README beside it. ``keps/prod-readiness/`` holds approval files, not
KEPs, and ``NNNN-kep-template/`` is the template.
"""

from __future__ import annotations

import os
import re

from pepctl.fsutil import read_source
from pepctl.formats.base import FIRST
from pepctl.formats.common import GENERIC_RULES, Dialect, empty_header, line_insert, make_header, no_plano_stages
from pepctl.formats.yamlmeta import fields_of, line_scalar, scalar_text, set_scalar

STATUSES = ("provisional", "implementable", "implemented", "deferred", "rejected", "withdrawn", "replaced")
STAGES = ("alpha", "beta", "stable", "deprecated")
FOLDER_RE = re.compile(r"(\d+)-[^/\\]+")
METADATA = "kep.yaml"


class Kep(Dialect):
    name = "kep"
    title_name = "Kubernetes Enhancement Proposals"
    index_note = "KEPs keep no index file: the list of KEPs is generated from the kep.yaml files"
    label_prefix = "KEP"
    label_width = 0
    label_separator = "-"
    markup = "yaml"
    nested = True  # one folder per proposal
    whole_number = True
    noun, item, form = "kep.yaml", "key", "key: value"
    missing_advice = "fill kep.yaml in as keps/NNNN-kep-template/kep.yaml does"
    statuses = STATUSES
    generic_rules = GENERIC_RULES | {"H010"}
    keys = {"kep-number": "pep", "creation-date": "created"}
    spellings = {"PEP": "kep-number", "pep": "kep-number", "Created": "creation-date", "created": "creation-date",
                 "Title": "title", "Status": "status", "Author(s)": "authors"}
    lifecycle = {"provisional": "Draft", "implementable": "Accepted", "implemented": "Complete",
                 "deferred": "Deferred", "rejected": "Declined", "withdrawn": "Withdrawn", "replaced": "Withdrawn"}
    defaults = {
        "template": "NNNN-kep-template/kep.yaml",
        "states": list(STATUSES),
        "initial-states": ["provisional", "implementable"],
        "final-states": ["implemented", "rejected", "withdrawn", "replaced"],
        "transitions": {
            "provisional": ["implementable", "deferred", "rejected", "withdrawn", "replaced"],
            "implementable": ["implemented", "deferred", "withdrawn", "replaced"],
            "deferred": ["provisional", "implementable", "withdrawn"],
        },
        "required-fields": ["title", "kep-number", "authors", "owning-sig", "status", "creation-date"],
        "required-sections": [],
        "draft-states": ["provisional"],
        **no_plano_stages(),
    }

    # -- which files --------------------------------------------------------------------

    def is_proposal(self, name: str) -> bool:
        return name == METADATA

    def list_paths(self, folder: str) -> list[str]:
        found, keps = [], []
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "prod-readiness" and not d.startswith("."))
            if not FOLDER_RE.fullmatch(os.path.basename(root)):
                continue
            inside = any(root.startswith(kep) for kep in keps)  # a folder of a KEP's own is no KEP
            if METADATA in files or ("README.md" in files and not inside):
                # a KEP folder whose kep.yaml is missing is listed too: reading it says what is wrong
                found.append(os.path.join(root, METADATA))
                keps.append(os.path.join(root, ""))
        return sorted(found, key=lambda p: (self.number_from_name(p) or 0, p))

    def companion_paths(self, path: str) -> list[str]:
        return [os.path.join(os.path.dirname(path), "README.md")]

    def missing_file(self, path: str) -> str:
        """Why a listed kep.yaml that does not exist is a problem (list_paths lists it when the folder has a README)."""
        return f"the KEP folder has a README.md but no {METADATA}; {self.missing_advice}"

    def number_from_name(self, path: str) -> int | None:
        match = FOLDER_RE.fullmatch(os.path.basename(os.path.dirname(path)))
        return int(match.group(1)) if match else None

    # -- reading ------------------------------------------------------------------------

    def read(self, doc):
        problems: list = []
        fields, _ = fields_of(doc.text, 0, self.key, problems)
        if not fields:
            return empty_header(problems)
        return make_header(fields, 0, len(doc.text.rstrip()), doc.text, problems)

    def title_of(self, pep) -> str:
        return pep.document.get("Title")

    def page_body(self, doc) -> str:
        return self.body(doc, doc.path or "")[0]

    def body(self, doc, path: str):
        readme = os.path.join(os.path.dirname(path), "README.md")
        try:  # as a PEP file is read: no link out of the folder, no pipe that would hold the build
            return read_source(readme).decode("utf-8"), "markdown"
        except (OSError, UnicodeDecodeError):
            return "", "markdown"

    # -- diffs and edits ----------------------------------------------------------------

    def field_in_line(self, line: str):
        match = re.fullmatch(r"([A-Za-z][\w-]*):[ \t]*(.*?)[ \t]*\r?", line)
        if match is None:
            return None
        return match.group(1), line_scalar(match.group(2))

    def field_line_pattern(self, word: str) -> str:
        letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return rf"{letters}:[^\n]*"

    def example(self, name: str, value: str) -> str:
        return f"{self.spelled(name)}: {value}"

    def set_value(self, doc, field, value: str):
        return set_scalar(doc, field, value)

    def insert(self, doc, name: str, value: str, after: str | None = None):
        return line_insert(doc, f"{self.spelled(name)}: {scalar_text(value)}", after, after == FIRST)


KEP = Kep()
