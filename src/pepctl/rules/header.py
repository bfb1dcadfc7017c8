"""H: the title heading and the header table.

Also holds the small functions the other families share (field positions,
"living document" test, per-run memo).
"""

from __future__ import annotations

import datetime
import re

from pepctl.document import field_key
from pepctl.formats import PLANO
from pepctl.keys import text_key
from pepctl.model import (
    AUTHOR_RE,
    is_empty_value,
    is_template_hint,
    pep_label,
    split_people,
)
from pepctl.rules import rule

# `# PEP-NNNN: Title`; a placeholder number (XXXX) is left to H008.
TITLE_HEADING_RE = re.compile(r"PEP-(?:\d{4,}|[Xx]{2,}):[ \t]+\S")
PLACEHOLDER_NUMBER_RE = re.compile(r"(?:PEP-)?[Xx]{2,}")
HEADING_PLACEHOLDER_RE = re.compile(r"PEP-[Xx]{2,}\b")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# a whole authors cell of `Name (@handle)` entries: the common, correct case in one match
_ONE_AUTHOR = r"[^()@,;&\s][^()@,;&]*?\s*\(\s*@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\s*\)"
AUTHOR_LIST_RE = re.compile(rf"{_ONE_AUTHOR}(?:\s*(?:[,;&]|\band\b)\s*{_ONE_AUTHOR})*")

LIVING_STATUS = "active"


# -- shared by the rule families ------------------------------------------------


def value_of(pep, key: str) -> str:
    """Stripped value of the field with this normalised key ('' when absent).

    Rules look fields up by key (``"status"``, ``"authors"``) rather than by
    name, which saves normalising the name on every call.
    """
    field = pep.document.fields.get(key)
    return field.value.strip() if field is not None else ""


def is_living(pep) -> bool:
    """A living process document (status Active, like PEP-0000) rather than a proposal.

    Such a document describes the process itself: it has no template sections
    and may be signed by a group rather than by people with handles.
    """
    return text_key(value_of(pep, "status")) == LIVING_STATUS


class Needs:
    """What the policy asks of one status, computed once per status per run."""

    __slots__ = ("canonical", "sponsor", "rationale", "resolved_questions", "fields")

    def __init__(self, policy, status: str):
        self.canonical = policy.canonical(status)
        self.sponsor = policy.needs_sponsor(status)
        self.rationale = policy.needs_rationale(status)
        self.resolved_questions = policy.needs_resolved_questions(status)
        self.fields = policy.fields_for(status)


def needs(pep, ctx) -> Needs:
    """What the policy asks of this PEP's status (the last answer is kept for the next rule)."""
    last = ctx.cache.get("needs-last")
    if last is not None and last[0] is pep:
        return last[1]
    status = value_of(pep, "status")
    table = memo(ctx, "needs", dict)
    found = table.get(status)
    if found is None:
        found = table[status] = Needs(ctx.policy, status)
    ctx.cache["needs-last"] = (pep, found)
    return found


def required_keys(ctx) -> list[tuple[str, str]]:
    """(key, name) of each configured required field."""
    def compute():
        from pepctl import formats  # the format folds its own field names (an EIP's `eip` is the PEP number)

        key = getattr(formats.of(ctx.config), "key", field_key)
        return [(key(n), n) for n in ctx.config.required_fields]

    return memo(ctx, "required-fields", compute)


def column_of(document, offset: int) -> int:
    """1-based column of a text offset."""
    return offset - document.text.rfind("\n", 0, offset)


def field_position(pep, field, value: bool = True) -> tuple[int, int]:
    """(line, column) of a field's value cell (or its name cell), 1-based."""
    start = field.value_start if value and field.value_start is not None else field.name_start
    return field.line + 1, column_of(pep.document, start)


def table_line(pep) -> int:
    """1-based line of the header, or of the title heading, or 1."""
    doc = pep.document
    if doc.header.found:
        return doc.header.first_line + 1
    return doc.title_line + 1 if doc.title_line is not None else 1


def memo(ctx, key: str, compute):
    """A value computed once per lint run (kept in the rule Context's cache)."""
    try:
        return ctx.cache[key]
    except KeyError:
        value = ctx.cache[key] = compute()
        return value


class Sections:
    """A document's headings by normalised title, computed once per file."""

    __slots__ = ("document", "level2", "first")

    def __init__(self, document):
        self.document = document
        self.level2 = {}  # key -> first level-2 heading with that title
        self.first = {}  # key -> first heading of any level with that title
        for heading in document.headings:
            key = heading.key
            if key not in self.first:
                self.first[key] = heading
            if heading.level == 2 and key not in self.level2:
                self.level2[key] = heading


def sections_of(ctx, document) -> Sections:
    """The Sections index of a document; the last one built is kept on the Context."""
    cached = ctx.cache.get("sections")
    if cached is None or cached.document is not document:
        cached = ctx.cache["sections"] = Sections(document)
    return cached


def _problems(pep, kind: str, advice: str):
    for problem in pep.document.problems:
        if problem.kind == kind:
            yield problem.line, problem.column, f"{problem.message}; {advice}" if advice else problem.message


# -- rules ------------------------------------------------------------------------


@rule("H001", "title-heading", "The file starts with a `# PEP-NNNN: Title` heading.")
def title_heading(pep, ctx):
    doc = pep.document
    if doc.title_line is None:
        yield 1, "the title heading is missing; start the file with `# PEP-NNNN: Title`"
        return
    text = doc.title_text or ""
    if not TITLE_HEADING_RE.match(text):
        number = pep.number
        title = value_of(pep, "title") or "Title"
        example = f"# {pep_label(number)}: {title}" if number is not None else f"# PEP-NNNN: {title}"
        yield doc.title_line + 1, f"the title heading '# {text}' is not of the form `# PEP-NNNN: Title`; write it as `{example}`"


@rule("H002", "header-table", "The file has a `| Field | Value |` header table before its first section.")
def header_table(pep, ctx):
    doc = pep.document
    if not doc.header.found:
        line = doc.title_line + 2 if doc.title_line is not None else 1
        yield line, f"the {doc.format.noun} is missing; {doc.format.missing_advice}"


@rule("H003", "broken-table", "Every header table row has two cells and the table has a delimiter row.")
def broken_table(pep, ctx):
    yield from _problems(pep, "broken-table", "")


MAX_NUMBER = 9999  # PEP-NNNN: four digits, as file names and index rows write them


@rule("H004", "number-mismatch", "The number in the file name, the PEP field and the title heading agree, and has at most four digits.")
def number_mismatch(pep, ctx):
    doc = pep.document
    field = doc.fields.get("pep")
    raw = field.value.strip() if field is not None else ""
    field_number = pep.field_number
    if raw and field_number is None and not is_empty_value(raw) and not PLACEHOLDER_NUMBER_RE.fullmatch(raw):
        yield (*field_position(pep, field), f"the PEP field {raw!r} is not a number; write the four-digit PEP number, e.g. 0042")
    elif raw and getattr(doc.format, "whole_number", False) and not (raw.isascii() and raw.isdigit()):
        # read by its first digits (`eip: 7.0` is 7), but no EIP or KEP number is written so
        example = doc.format.example(field.name, str(pep.file_number or field_number or 42))
        yield (*field_position(pep, field), f"{field.name} {raw!r} is not a whole number; write the number alone: `{example}`")
    sources = [
        ("the file name", pep.file_number),
        ("the PEP field", field_number),
        ("the title heading", pep.heading_number),
    ]
    known = [(where, n) for where, n in sources if n is not None]
    too_long = sorted({n for _, n in known if n > MAX_NUMBER})
    if too_long and doc.format is PLANO:
        line = field.line + 1 if field is not None else (doc.title_line + 1 if doc.title_line is not None else 1)
        yield line, (f"PEP number {too_long[-1]} has more digits than PEP numbers have (four: 0001 to {MAX_NUMBER}); "
                     "a typo? `pepctl next` prints the next free number")
    if len({n for _, n in known}) <= 1:
        return
    said = ", ".join(f"{where} says {n:04d}" for where, n in known)
    fix = f"make them agree (the file name is {pep.filename})"
    if field is not None:
        line = field.line + 1
    elif doc.title_line is not None:
        line = doc.title_line + 1
    else:
        line = 1
    yield line, f"the PEP number disagrees: {said}; {fix}"


@rule("H005", "title-mismatch", "The title in the heading equals the Title field.")
def title_mismatch(pep, ctx):
    heading = pep.heading_title
    field = pep.document.fields.get("title")
    if not heading or field is None:
        return
    value = field.value.strip()
    if not value or is_empty_value(value):
        return
    if " ".join(heading.split()) != " ".join(value.split()):
        yield (
            pep.document.title_line + 1,
            f"the heading title {heading!r} differs from the Title field {value!r}; make them the same",
        )


@rule("H006", "missing-field", "Every field named in required-fields is in the header table.")
def missing_field(pep, ctx):
    doc = pep.document
    if not doc.header.found:
        return  # H002 says it once
    fmt = doc.format
    for key, name in required_keys(ctx):
        if key not in doc.fields:
            yield table_line(pep), f"the {fmt.noun} has no {name!r} {fmt.item}; add `{fmt.example(name, '...')}`"


@rule("H007", "empty-field", "Required fields are filled in (not blank, '—' or 'TBD').")
def empty_field(pep, ctx):
    fields = pep.document.fields
    for key, _ in required_keys(ctx):
        field = fields.get(key)
        if field is None:
            continue
        value = field.value.strip()
        if is_empty_value(value) and not is_template_hint(value):
            shown = f" (it says {value!r})" if value else ""
            yield (*field_position(pep, field), f"the {field.name!r} field is empty{shown}; fill it in")


@rule("H008", "placeholder", "No template placeholder is left: XXXX, YYYY-MM-DD, Name (@github-handle), hints in required fields.")
def placeholder(pep, ctx):
    doc = pep.document
    if doc.title_line is not None and doc.title_text and HEADING_PLACEHOLDER_RE.search(doc.title_text):
        yield doc.title_line + 1, "the title heading still has the template's PEP-XXXX; put the PEP number in (`pepctl next` prints the next free one)"
    if not doc.field_list:
        return
    required = memo(ctx, "required-field-keys", lambda: {key for key, _ in required_keys(ctx)})
    span = doc.text[doc.header.start : doc.header.end]
    if "XX" not in span and "xx" not in span and "YYYY" not in span and "@github-handle" not in span and "_(" not in span and "*(" not in span:
        return  # nothing that looks like a placeholder: skip the row-by-row look
    for field in doc.field_list:
        value = field.value.strip()
        if not value:
            continue
        if field.key == "pep" and PLACEHOLDER_NUMBER_RE.fullmatch(value):
            message = f"the PEP field is still the template's {value!r}; put the PEP number in (`pepctl next` prints the next free one)"
        elif "YYYY" in value:
            message = f"the {field.name!r} field is still the template's {value!r}; write a real date as YYYY-MM-DD, e.g. today's"
        elif "@github-handle" in value:
            message = f"the {field.name!r} field still holds the template's 'Name (@github-handle)'; write real names and handles"
        elif field.key in required and is_template_hint(value):
            message = f"the {field.name!r} field still holds the template hint {value!r}; replace it with the real value"
        else:
            continue
        yield (*field_position(pep, field), message)


@rule("H009", "unknown-status", "The Status field is one of the configured states.")
def unknown_status(pep, ctx):
    field = pep.document.fields.get("status")
    if field is None:
        return
    value = field.value.strip()
    if not value or is_empty_value(value) or ctx.policy.canonical(value) is not None:
        return
    states = ", ".join(ctx.policy.states)
    yield (*field_position(pep, field), f"status {value!r} is not a known state; use one of: {states}")


@rule("H010", "created-date", "Created is a real date written YYYY-MM-DD, not in the future.")
def created_date(pep, ctx):
    field = pep.document.fields.get("created")
    if field is None:
        return
    value = field.value.strip()
    if is_empty_value(value) or "YYYY" in value:
        return  # H007 / H008
    line, column = field_position(pep, field)
    if not ISO_DATE_RE.fullmatch(value):
        yield line, column, f"Created {value!r} is not written YYYY-MM-DD; write the date the PEP was first written, e.g. 2024-05-17"
        return
    try:
        date = datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        yield line, column, f"Created {value!r} is not a real calendar date; correct it"
        return
    if date > ctx.today:
        yield line, column, f"Created {value} is in the future (today is {ctx.today.isoformat()}); write the date the PEP was first written"


@rule("H011", "author-format", "Each author is written `Name (@handle)`. Living process documents (status Active) may name a group.")
def author_format(pep, ctx):
    field = pep.document.fields.get("authors")
    if field is None or is_living(pep):
        return
    value = field.value
    if is_empty_value(value) or "@github-handle" in value:
        return  # H007 / H008
    if AUTHOR_LIST_RE.fullmatch(value.strip()):
        return
    line, column = field_position(pep, field)
    search_from = 0
    for person in split_people(value):
        at = value.find(person, search_from)
        if at >= 0:
            search_from = at + len(person)
        match = AUTHOR_RE.fullmatch(person)
        if match and match["name"].strip():
            continue
        where = column + max(at, 0)
        if person.casefold() in ("unknown", "anonymous", "n/a", "?"):
            message = f"author {person!r} names nobody; write each author as `Name (@handle)`"
        elif match:
            message = f"author {person!r} has a handle but no name; write it as `Name (@{match['handle']})`"
        else:
            message = f"author {person!r} is not written `Name (@handle)`; add the GitHub handle, e.g. `{person.split('(')[0].strip() or person} (@handle)`"
        yield line, where, message


@rule("H012", "duplicate-field", "No header field appears twice.")
def duplicate_field(pep, ctx):
    yield from _problems(pep, "duplicate-field", "keep one of the rows and delete the other")


@rule("H013", "malformed-header", "The header parses in its format's syntax (a dialect's YAML front matter, header lines or bullets).",
      formats=("python-pep", "eip", "swift", "swift-testing", "rust-rfc", "kep", "madr"))
def malformed_header(pep, ctx):
    yield from _problems(pep, "malformed-header", "")
