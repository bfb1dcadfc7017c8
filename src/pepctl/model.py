"""Pep: a typed view over a Document (number, title, status, authors, ...)."""

from __future__ import annotations

import os
import re
from collections import namedtuple

from pepctl.document import Document, DocumentError
from pepctl.keys import field_key

# Canonical display names of the fields pepctl knows, by normalised key.
FIELD_NAMES = {
    "pep": "PEP",
    "title": "Title",
    "status": "Status",
    "authors": "Author(s)",
    "sponsor": "Sponsor",
    "created": "Created",
    "tracking issue": "Tracking Issue",
    "target release": "Target Release",
    "supersedes": "Supersedes",
    "superseded-by": "Superseded-By",
    "decided-by": "Decided-By",
}

# Values that mean "nothing here yet".
EMPTY_VALUES = {"", "-", "—", "–", "n/a", "na", "none", "tbd", "tba", "todo", "?"}

FILE_NAME_RE = re.compile(r"PEP-(\d{4,})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md")
LOOSE_FILE_RE = re.compile(r"PEP-(\d+)", re.IGNORECASE | re.ASCII)
HEADING_RE = re.compile(r"PEP-(\d+)\s*:\s*(.*)")
HANDLE = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"  # GitHub's rule for new user names
# A login as GitHub's API gives it: older accounts may have doubled or trailing hyphens, apps end in [bot].
LOGIN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
# "@handle" on its own: not the middle of an e-mail address (jane@x.org names no user "x").
HANDLE_RE = re.compile(rf"(?<![\w.@+-])@({HANDLE})(?![\w-]|\.\w)")
AUTHOR_RE = re.compile(rf"(?P<name>[^()@]*?)\s*\(\s*@(?P<handle>{HANDLE})\s*\)")
PAREN_HANDLE_RE = re.compile(rf"\(\s*@({HANDLE})\s*\)")
GITHUB_LINK_RE = re.compile(rf"\[([^\]]*)\]\(\s*https?://(?:www\.)?github\.com/({HANDLE})/?\s*\)")
PEP_REF_RE = re.compile(r"(?:PEP[- ]?)?(\d{1,5})\b", re.IGNORECASE)


def is_empty_value(value: str) -> bool:
    """True for blank cells and template hints such as ``_(filled after acceptance)_``."""
    return value.strip().casefold() in EMPTY_VALUES or is_template_hint(value)


def is_template_hint(value: str) -> bool:
    """A template's placeholder in a cell, written in parentheses and italics: ``_(filled after acceptance)_``."""
    text = value.strip()
    return (text.startswith("_(") and text.endswith(")_")) or (text.startswith("*(") and text.endswith(")*"))


Author = namedtuple("Author", "name handle raw")
Author.__doc__ = "One person of an authors field: name, GitHub handle (None when not given), the text as written."


def split_people(value: str) -> list[str]:
    """Split an authors cell on commas, semicolons and ' and ' (not inside parentheses)."""
    parts, depth, current = [], 0, []
    for char in value:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    people = []
    for part in parts:
        people.extend(re.split(r"\s+and\s+|\s*&\s*", part) if depth == 0 else [part])
    return [p.strip() for p in people if p.strip()]


def parse_authors(value: str) -> list[Author]:
    return [parse_author(raw) for raw in split_people(value)]


def parse_author(raw: str) -> Author:
    """One person: 'Name (@handle)', 'Name @handle', '[Name](https://github.com/handle)' or a bare name.

    The name is the rest of the text once the handle is taken out ('Jane Doe (ACME) (@jane)' is
    Jane Doe (ACME)); an e-mail address is no handle.
    """
    match = AUTHOR_RE.fullmatch(raw)
    if match:
        return Author(match["name"].strip(), match["handle"], raw)
    link = GITHUB_LINK_RE.search(raw)
    if link:
        name = raw[: link.start()] + link.group(1) + raw[link.end() :]
        return Author(" ".join(name.split()) or link.group(2), link.group(2), raw)
    found = PAREN_HANDLE_RE.search(raw) or HANDLE_RE.search(raw)
    if found is None:
        return Author(raw, None, raw)
    name = " ".join((raw[: found.start()] + raw[found.end() :]).split())
    return Author(name or raw, found.group(1), raw)


def handles_in(value: str) -> list[str]:
    """The GitHub handles of the people in a field, in any form parse_author reads."""
    return [author.handle for author in parse_authors(value) if author.handle]


def pep_refs(value: str) -> list[int]:
    """PEP numbers named in a cell such as ``PEP-0042, [PEP-0043](PEP-0043-x.md)``."""
    if is_empty_value(value):
        return []
    text = re.sub(r"\]\([^)]*\)", "]", value)  # drop link targets, keep link text
    return sorted({int(m.group(1)) for m in PEP_REF_RE.finditer(text)})


def shown_name(path: str) -> str:
    """How messages name a proposal's file: its name, with its folder when the name carries no
    number (a KEP's `kep.yaml`, one per folder: `1539-hugepages/kep.yaml`)."""
    name = os.path.basename(path)
    if any(c.isdigit() for c in name):
        return name
    folder = os.path.basename(os.path.dirname(path))
    return f"{folder}/{name}" if folder else name


def number_from_filename(path: str) -> int | None:
    name = os.path.basename(path)
    digits = name[4:8]
    if name[8:9] in ("-", ".") and digits.isascii() and digits.isdigit():  # the usual PEP-NNNN-...
        return int(digits)
    match = LOOSE_FILE_RE.match(name)
    return int(match.group(1)) if match else None


NUMBER_ARG_RE = re.compile(r"(?:PEP[- ]?)?(\d{1,6})", re.IGNORECASE | re.ASCII)


def parse_number(text: str) -> int | None:
    """How people name a PEP on the command line: 42, 0042, PEP-0042, pep 42 -> 42; else None."""
    match = NUMBER_ARG_RE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def not_a_number(text: str) -> str:
    """The one message for a PEP number that cannot be read, wherever it was typed."""
    return f"{text!r} is not a PEP number; write it as 42, 0042 or PEP-0042"


def require_number(text: str) -> int:
    """parse_number, or a usage error that says how to write one."""
    number = parse_number(text)
    if number is None:
        from pepctl.errors import UsageError  # only on the way out

        raise UsageError(not_a_number(text))
    return number


def format_number(number: int) -> str:
    """A PEP number as written in file names and index rows: 42 -> '0042'."""
    return f"{number:04d}"


def next_numbers(used, claimed=(), count: int = 1) -> list[int]:
    """The next `count` PEP numbers (PEP-0000: "numbered sequentially starting from 0001"): counting
    up from one more than the highest number in `used` (the PEP folder), the first ones that
    `claimed` (open pull requests) does not hold. Free numbers below the highest are not reused.
    `pepctl next`, `pepctl new` and the gate's R016 all count this way."""
    claimed = set(claimed)
    number = max(max(used, default=0) + 1, 1)
    out = []
    while len(out) < count:
        if number not in claimed:
            out.append(number)
        number += 1
    return out


def pep_label(number: int) -> str:
    """How pepctl names a PEP in messages, labels and titles: 42 -> 'PEP-0042'."""
    return f"PEP-{number:04d}"


class Pep:
    """A PEP as the process sees it; every value comes from its Document."""

    def __init__(self, document: Document, path: str):
        self.document = document
        self.path = path

    @classmethod
    def read(cls, path: str, header_format=None) -> Pep:
        return cls(Document.read(path, header_format), path)

    @property
    def filename(self) -> str:
        return shown_name(self.path)

    @property
    def number(self) -> int | None:
        """The PEP number: the PEP field, else the heading, else the file name (a dialect's
        format says where its number is)."""
        own = getattr(self.document.format, "number_of", None)
        if own is not None:
            return own(self)
        number = self.field_number  # each source is only looked at when the one before is missing
        if number is None:
            number = self.heading_number
        if number is None:
            number = self.file_number
        return number

    @property
    def field_number(self) -> int | None:
        own = getattr(self.document.format, "field_number", None)
        if own is not None:
            return own(self)
        value = self.document.get("PEP")
        digits = value.upper().removeprefix("PEP-").strip()
        return int(digits) if digits.isascii() and digits.isdigit() else None

    @property
    def heading_number(self) -> int | None:
        if hasattr(self.document.format, "number_of"):  # a dialect's title heading holds no number
            return None
        match = HEADING_RE.match(self.document.title_heading or "")
        return int(match.group(1)) if match else None

    @property
    def heading_title(self) -> str | None:
        if hasattr(self.document.format, "title_of"):
            return None
        match = HEADING_RE.match(self.document.title_heading or "")
        return match.group(2).strip() if match else None

    @property
    def file_number(self) -> int | None:
        own = getattr(self.document.format, "number_from_name", None)
        return own(self.path) if own is not None else number_from_filename(self.path)

    @property
    def title(self) -> str:
        own = getattr(self.document.format, "title_of", None)
        if own is not None:
            return own(self)
        return self.document.get("Title") or self.heading_title or ""

    @property
    def status(self) -> str:
        own = getattr(self.document.format, "status_of", None)
        return own(self) if own is not None else self.document.get("Status")

    @property
    def authors_text(self) -> str:
        return self.document.get("Authors")

    @property
    def authors(self) -> list[Author]:
        return getattr(self.document.format, "parse_authors", parse_authors)(self.authors_text)

    @property
    def sponsor(self) -> str:
        value = self.document.get("Sponsor")
        return "" if is_empty_value(value) else value

    @property
    def created(self) -> str:
        return self.document.get("Created")

    def value(self, name: str) -> str:
        """A field's value, '' when missing or a template hint."""
        value = self.document.get(name)
        return "" if is_empty_value(value) else value

    def __repr__(self) -> str:
        return f"Pep({self.path!r})"


class PepSummary(namedtuple("PepSummary", "path number line title status authors_text parsed",
                           defaults=(1, "", "", "", True))):
    """What corpus rules need of one PEP: small enough to pass between processes.

    line is the 1-based line where the number is written (PEP field, else heading);
    parsed is False for a file known by its name only.
    """

    __slots__ = ()

    @property
    def filename(self) -> str:
        return shown_name(self.path)


def summary_of(pep) -> PepSummary:
    doc = pep.document
    field = doc.fields.get("pep")
    if field is not None:
        line = field.line + 1
    else:
        line = doc.title_line + 1 if doc.title_line is not None else 1
    return PepSummary(pep.path, pep.number, line, pep.title, pep.status, pep.authors_text)


__all__ = [
    "Author",
    "DocumentError",
    "FIELD_NAMES",
    "Pep",
    "PepSummary",
    "field_key",
    "format_number",
    "pep_label",
    "handles_in",
    "is_empty_value",
    "is_template_hint",
    "next_numbers",
    "number_from_filename",
    "parse_authors",
    "parse_number",
    "pep_refs",
    "shown_name",
    "summary_of",
]
