"""E: EIP-1's preamble conventions, for the eip format.

A `Moved` EIP is a stub pointing at the ERC repository: it needs only `eip`, `category` and
`status`, and the other rules leave it alone.
"""

from __future__ import annotations

import re

from pepctl.rules import rule

FORMATS = ("eip",)
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
PERSON_RE = re.compile(r"[^(),<>@]+?(?:\s*\(@[A-Za-z0-9][A-Za-z0-9-]*\))?(?:\s*<[^<>\s]+@[^<>\s]+>)?")


def _value(pep, key: str) -> str:
    field = pep.document.fields.get(key)
    return field.value.strip() if field is not None else ""


def _line(pep, key: str) -> int:
    field = pep.document.fields.get(key)
    if field is not None:
        return field.line + 1
    header = pep.document.header
    return header.first_line + 1 if header.found else 1


def _moved(pep) -> bool:
    return _value(pep, "status").casefold() == "moved"


@rule("E001", "eip-required", "The preamble has what EIP-1 requires: eip, title, description, author, discussions-to, "
      "status, type, created; category for Standards Track (a Moved stub: eip, category and status).", formats=FORMATS)
def eip_required(pep, ctx):
    doc = pep.document
    if not doc.header.found:
        return  # H002
    wanted = ["category"] if _moved(pep) else ["title", "description", "author", "discussions-to", "type", "created"]
    if _value(pep, "type") == "Standards Track" and "category" not in wanted:
        wanted.append("category")
    for key in wanted:
        name = "author" if key == "author" else key
        lookup = "authors" if key == "author" else key
        if lookup not in doc.fields:
            yield _line(pep, "status"), f"the preamble has no `{name}`; add `{name}: ...` (EIP-1 requires it)"
        elif not _value(pep, lookup):
            yield _line(pep, lookup), f"`{name}` is empty; fill it in"


@rule("E002", "requires-order", "`requires` lists EIP numbers in ascending order, each once, separated by ', '.",
      formats=FORMATS)
def requires_order(pep, ctx):
    field = pep.document.fields.get("requires")
    if field is None or not field.value.strip():
        return
    parts = [p.strip() for p in field.value.split(",")]
    if any(not (p.isascii() and p.isdigit()) for p in parts):
        yield field.line + 1, f"`requires: {field.value}` must list EIP numbers only, e.g. `requires: 155, 1559`"
        return
    numbers = [int(p) for p in parts]
    if numbers != sorted(set(numbers)):
        yield field.line + 1, f"list `requires` in ascending order, each once: requires: {', '.join(map(str, sorted(set(numbers))))}"
    elif field.value.count(",") != field.value.count(", "):
        yield field.line + 1, "separate the numbers of `requires` with a comma and a space"
    if pep.number in numbers:
        yield field.line + 1, "an EIP cannot require itself; remove its own number from `requires`"


@rule("E003", "preamble-order", "Preamble keys come in EIP-1's order.", severity="warning", formats=FORMATS)
def preamble_order(pep, ctx):
    from pepctl.formats.eip import ORDER

    if _moved(pep):
        return  # a stub pointing at the ERC repository
    seen = [f.name for f in pep.document.field_list if f.name in ORDER]
    wanted = sorted(seen, key=ORDER.index)
    if seen != wanted:
        yield _line(pep, "pep"), f"the preamble keys are out of EIP-1's order; write them as: {', '.join(wanted)}"


@rule("E004", "eip-vocabulary", "`type` and `category` use EIP-1's words.", formats=FORMATS)
def eip_vocabulary(pep, ctx):
    from pepctl.formats.eip import CATEGORIES, TYPES

    kind = _value(pep, "type")
    if kind and kind not in TYPES:
        yield _line(pep, "type"), f"type {kind!r} is not an EIP type; use one of: {', '.join(TYPES)}"
    category = _value(pep, "category")
    if category and category not in CATEGORIES:
        yield _line(pep, "category"), f"category {category!r} is not an EIP category; use one of: {', '.join(CATEGORIES)}"
    if category and kind and kind != "Standards Track" and not _moved(pep):
        yield _line(pep, "category"), f"only Standards Track EIPs have a category; remove it from this {kind} EIP"


@rule("E005", "eip-authors", "Each author is `Name (@handle)`, `Name <email>` or both, and at least one has a GitHub handle.",
      formats=FORMATS)
def eip_authors(pep, ctx):
    field = pep.document.fields.get("authors")
    if field is None or not field.value.strip():
        return
    people = [p.strip() for p in field.value.split(",") if p.strip()]
    for person in people:
        if person == "et al." and person is people[-1]:
            continue
        if PERSON_RE.fullmatch(person) is None:
            yield field.line + 1, f"author {person!r} is not written `Name (@handle)` or `Name <email>`"
    if not any("(@" in p for p in people):
        yield field.line + 1, "name at least one author with a GitHub handle, as `Name (@handle)`"


@rule("E006", "status-fields", "A Last Call EIP has a `last-call-deadline` date; a Withdrawn one a `withdrawal-reason`.",
      formats=FORMATS)
def status_fields(pep, ctx):
    status = _value(pep, "status")
    if status == "Last Call":
        deadline = _value(pep, "last-call-deadline")
        if not deadline:
            yield _line(pep, "status"), "a Last Call EIP needs `last-call-deadline: YYYY-MM-DD`"
        elif not ISO_DATE_RE.fullmatch(deadline):
            yield _line(pep, "last-call-deadline"), f"last-call-deadline {deadline!r} is not a YYYY-MM-DD date"
        elif not _real_date(deadline):
            yield _line(pep, "last-call-deadline"), f"last-call-deadline {deadline!r} is not a real calendar date; correct it"
    if status == "Withdrawn" and not _value(pep, "withdrawal-reason"):
        yield _line(pep, "status"), "a Withdrawn EIP says why: add `withdrawal-reason: ...`"


def _real_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@rule("E007", "preamble-lengths", "The title is at most 44 characters and the description at most 140.",
      severity="warning", formats=FORMATS)
def preamble_lengths(pep, ctx):
    for key, limit in (("title", 44), ("description", 140)):
        value = _value(pep, key)
        if len(value) > limit:
            yield _line(pep, key), f"the {key} is {len(value)} characters; shorten it to {limit} or fewer"
