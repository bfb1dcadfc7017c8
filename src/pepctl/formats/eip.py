"""Ethereum Improvement Proposals (ethereum/EIPs): Markdown with flat YAML front matter.

``EIPS/eip-N.md`` (no zero padding) starts with front matter between two `---` lines:
``eip``, ``title``, ``description``, ``author``, ``discussions-to``, ``status``, ``type``,
``category``, ``created``, ``requires`` and, by status, ``last-call-deadline`` or
``withdrawal-reason``. A ``Moved`` EIP is a stub: ``eip``, ``category`` and ``status`` only.
"""

from __future__ import annotations

import re

from pepctl.formats.common import Dialect, GENERIC_RULES, empty_header, no_plano_stages
from pepctl.formats.frontmatter import FrontMatter

STATUSES = ("Draft", "Review", "Last Call", "Final", "Stagnant", "Withdrawn", "Living", "Moved")
TYPES = ("Standards Track", "Meta", "Informational")
CATEGORIES = ("Core", "Networking", "Interface", "ERC")
# EIP-1's preamble order
ORDER = ("eip", "title", "description", "author", "discussions-to", "status", "last-call-deadline", "type",
         "category", "created", "requires", "withdrawal-reason")


class Eip(FrontMatter, Dialect):
    name = "eip"
    title_name = "Ethereum Improvement Proposals"
    index_note = "EIPs keep no index file: the list of EIPs is generated from their front matter, as pepctl's site index page is"
    label_prefix = "EIP"
    label_width = 0
    label_separator = "-"
    missing_advice = ("start the file with front matter: a `---` line, `eip: N`, `title: ...`, `author: Name (@handle)`, "
                      "`status: Draft`, `type: ...`, `created: YYYY-MM-DD`, and a closing `---` line")
    file_re = re.compile(r"eip-(\d+)\.md")
    whole_number = True
    statuses = STATUSES
    generic_rules = GENERIC_RULES | {"H010", "S004"}
    keys = {"eip": "pep", "author": "authors"}
    spellings = {"PEP": "eip", "Title": "title", "Status": "status", "Author(s)": "author", "Created": "created",
                 "authors": "author", "pep": "eip"}
    lifecycle = {
        "Draft": "Draft", "Review": "Under Review", "Last Call": "Under Review", "Final": "Complete",
        "Stagnant": "Deferred", "Withdrawn": "Withdrawn", "Living": "Active", "Moved": "Withdrawn",
    }
    defaults = {
        "template": "eip-template.md",
        "states": list(STATUSES),
        "initial-states": ["Draft"],
        "final-states": ["Final", "Withdrawn", "Moved"],
        "transitions": {  # EIP-1's diagram; any open EIP may go Stagnant and come back to Draft
            "Draft": ["Review", "Withdrawn", "Stagnant", "Living"],
            "Review": ["Last Call", "Draft", "Withdrawn", "Stagnant"],
            "Last Call": ["Final", "Review", "Withdrawn", "Stagnant"],
            "Stagnant": ["Draft", "Review", "Last Call", "Withdrawn"],
            "Final": [], "Withdrawn": [], "Living": [], "Moved": [],
        },
        "required-fields": ["eip", "status"],  # the rest depends on the status: rule E001
        "required-sections": [],
        "draft-states": ["Draft"],
        **no_plano_stages(),
    }

    def read(self, doc):
        problems: list = []
        header = self.read_front_matter(doc, problems)
        return header if header is not None else empty_header(problems)

    def title_of(self, pep) -> str:
        return pep.document.get("Title")


EIP = Eip()
