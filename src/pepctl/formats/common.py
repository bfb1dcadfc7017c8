"""What the header formats other than Plano's share: the Dialect base and small text helpers.

A dialect is a proposal process that already exists somewhere (Python's PEPs, EIPs, Swift
Evolution, Rust RFCs, KEPs, MADR): its files stay as they are, and its format object reads
them where they live. Beyond the header-format interface (see ``pepctl.formats``), a dialect
says which files of a folder are proposals, how a proposal's number and title are found,
its own status vocabulary and how that maps onto pepctl's lifecycle, the configuration
defaults its process implies, and which of the generic lint rules make sense for it.

Heavy parsers (PyYAML, ruamel.yaml, docutils: the `formats` extra) are imported inside the
functions that need them, never at module top: Plano's pre-commit path imports none of them.
"""

from __future__ import annotations

import os
import re

from pepctl.errors import UsageError
from pepctl.formats.base import Edit, Field, Header, Problem
from pepctl.keys import field_key

NUMBERED_NAME_RE = re.compile(r"(\d+)-[^/]*\.md")

# The generic rules (families F, H, L, S, X) that make sense wherever a proposal has a header
# of fields: readable files, the fields the process requires, its status vocabulary, numbers.
GENERIC_RULES = frozenset({
    "F001", "F002", "F003", "F004", "F005",
    "H002", "H004", "H006", "H007", "H009", "H012", "H013",
    "L001", "L002", "L003", "L005",
    "X001", "X002", "X003",
})

# The lifecycle pepctl's own process runs (config.STATES): every dialect maps its statuses onto it.
def no_plano_stages() -> dict:
    """The defaults that turn off what only Plano's process has (a sponsor, fields a status needs, a
    Rationale or Open Questions section by status): every other format's defaults include them."""
    return {"sponsor-states": [], "state-fields": {}, "rationale-states": [], "open-questions-states": []}


LIFECYCLE = ("Draft", "Under Review", "Accepted", "Declined", "Deferred", "Withdrawn", "Implementing", "Complete",
             "Active")


class MissingExtra(UsageError):
    """A dialect needs a parser from the `formats` extra that is not installed."""


def need(module: str):
    """Import a parser of the `formats` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"reading this proposal format needs the Python package behind {module!r}; "
            "install pepctl with its formats extra: pip install 'pepctl[formats]'"
        ) from None


class Dialect:
    """Defaults for the hooks a dialect's format object has beyond the header-format interface."""

    name = ""
    title_name = ""  # how people call the process, for docs and messages
    label_prefix = "PEP"
    label_width = 4  # digits in a label: PEP 8 is 'PEP 8', SE-0042 is 'SE-0042'
    label_separator = " "
    markup = "markdown"  # the body's markup: markdown, rst, or yaml (KEP: the prose is in README.md)
    index_note = "this format keeps no index file"  # what `pepctl index --check` says
    generic_rules = GENERIC_RULES
    statuses: tuple = ()  # the dialect's own status vocabulary, in lifecycle order
    lifecycle: dict = {}  # own status -> pepctl lifecycle state (LIFECYCLE)
    keys: dict = {}  # field name key (keys.field_key) -> the key pepctl reads it as
    spellings: dict = {}  # pepctl's field name -> how the dialect spells it (messages, inserts)
    defaults: dict = {}  # config option -> value, where the user's config file does not set it
    file_re = NUMBERED_NAME_RE  # names of proposal files in the folder (fullmatch; group 1: the number)
    whole_number = False  # the number field holds the number alone (eip: 1559), not within text ([SE-0042](...))

    # -- which files --------------------------------------------------------------------

    def is_proposal(self, name: str) -> bool:
        return self.file_re.fullmatch(name) is not None

    def list_paths(self, folder: str) -> list[str] | None:
        """Proposal paths when they are not the folder's own files (KEP: one folder each); None otherwise."""
        return None

    def companion_paths(self, path: str) -> list[str]:
        """Files besides a proposal's own that its page shows (KEP: the README.md beside kep.yaml)."""
        return []

    def number_from_name(self, path: str) -> int | None:
        match = self.file_re.fullmatch(os.path.basename(path))
        return int(match.group(1)) if match else None

    # -- what a proposal is -------------------------------------------------------------

    def label(self, number) -> str:
        if not isinstance(number, int):
            return f"{self.label_prefix}{self.label_separator}????"
        digits = f"{number:0{self.label_width}d}" if self.label_width else str(number)
        return f"{self.label_prefix}{self.label_separator}{digits}"

    def number_of(self, pep) -> int | None:
        value = pep.document.get("PEP")
        digits = re.search(r"\d+", value) if value else None
        return int(digits.group(0)) if digits else pep.file_number

    def field_number(self, pep) -> int | None:
        value = pep.document.get("PEP")
        digits = re.search(r"\d+", value) if value else None
        return int(digits.group(0)) if digits else None

    def title_of(self, pep) -> str:
        return pep.document.get("Title") or pep.document.title_text or ""

    def status_of(self, pep) -> str:
        return pep.document.get("Status")

    def parse_authors(self, value: str) -> list:
        from pepctl.model import Author, parse_authors

        out = []
        for author in parse_authors(value):
            name = EMAIL_RE.sub("", author.name).strip() if "<" in author.name else author.name
            out.append(Author(name or author.raw, author.handle, author.raw))
        return out

    def key(self, name: str) -> str:
        key = field_key(name)
        return self.keys.get(key, key)

    def spelled(self, name: str) -> str:
        return self.spellings.get(name, self.spellings.get(field_key(name), name))

    # -- structure of the body (markdown dialects keep Document's own) -------------------

    def structure(self, doc) -> None:
        """Fill doc.headings and the title for a body that is not Markdown (default: nothing)."""

    def body(self, doc, path: str) -> tuple[str, str]:
        """(text, markup) the website renders for this proposal."""
        return self.page_body(doc), self.markup

    def page_body(self, doc) -> str:
        """The text a page renders: the file less its header (front matter, header lines or bullets)
        and its title heading, which the page shows on its card."""
        text = doc.text
        cut = []
        if doc.header.found:
            end = doc.header.end
            closing = self.header_close(text)
            if closing is not None:
                end = max(end, closing)
            else:
                eol = text.find("\n", end)
                end = len(text) if eol == -1 else eol + 1
            first = text.rfind("\n", 0, doc.header.start) + 1 if closing is None else 0
            cut.append((first, end))
        if doc.title_line is not None:
            start = 0
            for _ in range(doc.title_line):
                start = text.find("\n", start) + 1
            eol = text.find("\n", start)
            cut.append((start, len(text) if eol == -1 else eol + 1))
        out, at = [], 0
        for start, end in sorted(cut):
            if start >= at:
                out.append(text[at:start])
            at = max(at, end)
        out.append(text[at:])
        return "".join(out)

    def header_close(self, text: str) -> int | None:
        """Where a delimited header (front matter) ends, its closing line included; None for others."""
        return None

    # -- messages -----------------------------------------------------------------------

    def example(self, name: str, value: str) -> str:
        return f"{self.spelled(name)}: {value}"

    def field_line_pattern(self, word: str) -> str:
        letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        return rf"[^\n]*{letters}[^\n]*"


EMAIL_RE = re.compile(r"\s*<[^<>]*>")


# -- text helpers -----------------------------------------------------------------------


def line_at(text: str, offset: int) -> int:
    """0-based line of an offset."""
    return text.count("\n", 0, offset)


def line_end(text: str, offset: int) -> int:
    """Offset of the end of the line holding `offset`, its \\r\\n or \\n excluded."""
    eol = text.find("\n", offset)
    if eol == -1:
        eol = len(text)
    return eol - 1 if eol > 0 and text[eol - 1] == "\r" else eol


def make_header(fields: list[Field], start: int, end: int, text: str, problems: list[Problem],
                report_duplicates: bool = True) -> Header:
    by_key: dict[str, Field] = {}
    for field in fields:
        if field.key in by_key:
            if report_duplicates:
                first = by_key[field.key]
                problems.append(Problem(field.line + 1, 1, "duplicate-field",
                                        f"field {field.name!r} appears twice (first on line {first.line + 1})"))
            continue
        by_key[field.key] = field
    if not fields and start == end:
        return Header({}, [], None, None, 0, 0, problems)
    first_line = line_at(text, start)
    last_line = line_at(text, max(start, end - 1))
    return Header(by_key, fields, first_line, last_line, start, end, problems)


def empty_header(problems=()) -> Header:
    return Header({}, [], None, None, 0, 0, list(problems))


def replace_span(field: Field, value: str) -> Edit:
    if "\n" in value or "\r" in value:
        raise ValueError("a header value cannot hold a line break")
    if field.value_start is None:
        raise ValueError(f"field {field.name!r} on line {field.line + 1} has no value to replace")
    return Edit(field.value_start, field.value_end, value)


def line_insert(doc, line_text: str, after: str | None, first: bool) -> Edit:
    """An Edit that puts `line_text` on a line of its own after the named field's last line
    (first: before the first field; None or unknown: after the header's last field)."""
    header = doc.header
    text = doc.text
    nl = doc.newline
    if not header.field_list:
        raise ValueError("the document has no header to add a field to")
    if first:
        at = text.rfind("\n", 0, header.field_list[0].name_start) + 1
        return Edit(at, at, line_text + nl)
    anchor = header.fields.get(doc.format.key(after)) if after else None
    if anchor is None:
        anchor = header.field_list[-1]
    # a value may run over several lines: the new line goes after the value's last one
    pos = anchor.value_end if anchor.value_end is not None else anchor.name_start
    eol = text.find("\n", pos)
    if eol == -1:
        return Edit(len(text), len(text), nl + line_text)
    return Edit(eol + 1, eol + 1, line_text + nl)
