"""`pepctl convert --to plano`: a dialect's proposals written as a Plano corpus.

Each proposal becomes ``PEP-NNNN-slug.md`` (its own number, a slug of its title): the title
heading, a header table (PEP, Title, Status mapped onto pepctl's lifecycle by the format's
table, Author(s) as ``Name (@handle)`` where the source names a handle, Created as
YYYY-MM-DD, Supersedes and Superseded-By, Tracking Issue and Target Release where the source
has them, then every other field of the source as it was, its own status included as
``Original Status``) and the body. reStructuredText keeps its text; its section titles become
Markdown headings. An index file and a pepctl.toml that names it are written beside. What the
source does not have (GitHub handles, the sections Plano's template asks for, ...) is left for
`pepctl check` to list: docs/formats.md says what that is, per format.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import namedtuple

from pepctl.errors import UsageError
from pepctl.formats.plano import escape_cell
from pepctl.fsutil import atomic_write
from pepctl.model import format_number, pep_label

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
DMY_RE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
ISO_RE = re.compile(r"\(?(\d{4})[-/](\d{1,2})[-/](\d{1,2})\)?")
SLUG_DROP_RE = re.compile(r"[^a-z0-9]+")
# fields the table writes itself (by key), so the source's rows for them are not repeated
OWN_KEYS = {"pep", "title", "status", "authors", "created", "supersedes", "superseded-by", "tracking issue",
            "release", "review dates"}
INDEX_FILE = "INDEX.md"

Converted = namedtuple("Converted", "written skipped index")
Converted.__doc__ = "What a conversion did: files written (source path -> new path), files skipped (path -> why), the index file."


def slug(title: str, number: int) -> str:
    words = SLUG_DROP_RE.sub("-", title.casefold()).strip("-")
    words = "-".join(words.split("-")[:8])
    return words or f"proposal-{number}"


def iso_date(value: str) -> str:
    """A date in any of the dialects' spellings as YYYY-MM-DD; the text as it was when it is none."""
    text = value.strip()
    match = DMY_RE.fullmatch(text)
    if match and match.group(2).casefold() in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).casefold()], int(match.group(3))
    else:
        match = ISO_RE.fullmatch(text)
        if match is None:
            return text
        year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return text


def person(author) -> str:
    name = author.name.strip() or author.handle or author.raw
    if author.handle:  # Plano's form; an e-mail address beside a handle is not kept
        return f"{name} (@{author.handle})"
    return " ".join(author.raw.split())  # no handle: as written, e-mail address and all


def one_line(value: str) -> str:
    return " ".join(value.split())


def rst_headings_to_markdown(doc, text_start: int) -> str:
    """The RST body with each section title written as a Markdown heading (its under- and overline gone)."""
    text = doc.text
    out, at = [], text_start
    for heading in doc.headings:
        if heading.offset < text_start:
            continue
        start = heading.offset
        previous = text.rfind("\n", 0, max(0, start - 1)) + 1
        over = text[previous:start].strip()
        if over and set(over) <= set("=-~^\"'`#*+.:_<>!$%&(),/;?@[]\\{|}") and previous >= at:
            start = previous
        out.append(text[at:start])
        out.append("#" * min(heading.level, 6) + " " + heading.title + doc.newline)
        at = heading.body
    out.append(text[at:])
    return "".join(out)


def convert(corpus, out_dir: str, to: str = "plano", progress=None) -> Converted:
    if to != "plano":
        raise UsageError(f"--to {to!r}: pepctl converts to plano only")
    fmt = corpus.format
    if not hasattr(fmt, "lifecycle"):
        raise UsageError(f"{corpus.folder} is in Plano's format already; nothing to convert")
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        raise UsageError(f"{out_dir} is a file, not a folder; name a new or empty folder with --output")
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        raise UsageError(f"{out_dir} is not empty; name a new or empty folder with --output")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:
        raise UsageError(f"{out_dir}: cannot create the output folder: {err.strerror}") from None
    written: dict[str, str] = {}
    skipped: dict[str, str] = {}
    peps = []
    paths = corpus.paths()
    for done, path in enumerate(paths, 1):
        entry = corpus.entry(path)
        if entry.pep is None:
            skipped[path] = entry.error.message
            continue
        pep = entry.pep
        if pep.number is None:
            skipped[path] = "it has no number"
            continue
        name = f"PEP-{format_number(pep.number)}-{slug(pep.title, pep.number)}.md"
        if os.path.join(out_dir, name) in written.values():
            name = name[:-3] + "-" + format_number(len(written)) + ".md"
        target = os.path.join(out_dir, name)
        atomic_write(target, plano_text(pep, fmt, path).encode("utf-8"))
        written[path] = target
        peps.append(target)
        if progress is not None:
            progress("converting", done, len(paths))
    index = write_index(out_dir)
    return Converted(written, skipped, index)


def plano_text(pep, fmt, path: str) -> str:
    doc = pep.document
    number = pep.number
    own_status = pep.status
    status = fmt.lifecycle.get(fmt_status(fmt, own_status), "") or ("Accepted" if not own_status else own_status)
    rows = [("PEP", format_number(number)), ("Title", one_line(pep.title) or os.path.basename(path)),
            ("Status", status), ("Author(s)", ", ".join(person(a) for a in pep.authors))]
    created = doc.get("Created")
    if created:
        rows.append(("Created", iso_date(created)))
    for key, name in (("supersedes", "Supersedes"), ("superseded-by", "Superseded-By")):
        field = doc.fields.get(key)
        if field is not None:
            from pepctl.model import pep_refs

            numbers = pep_refs(field.value)
            if numbers:
                rows.append((name, ", ".join(pep_label(n) for n in numbers)))
    tracking = doc.get("Tracking Issue") or doc.get("Implementation")
    if tracking:
        rows.append(("Tracking Issue", one_line(tracking)))
    release = doc.get("Python-Version") or doc.get("Release")
    if release:
        rows.append(("Target Release", one_line(release)))
    if own_status and own_status != status:
        rows.append(("Original Status", one_line(own_status)))
    for field in doc.field_list:
        if field.key in OWN_KEYS or field.name in ("Python-Version", "Implementation") or not field.value.strip():
            continue
        rows.append((field.name, one_line(field.value)))
    nl = "\n"
    table = ["| Field | Value |", "|---|---|"] + [f"| **{escape_cell(n)}** | {escape_cell(v)} |" for n, v in rows]
    body = body_markdown(pep, fmt, path)
    title = rows[1][1]
    return f"# {pep_label(number)}: {title}{nl}{nl}" + nl.join(table) + nl + nl + body.lstrip("\r\n")


def fmt_status(fmt, status: str) -> str:
    """The format's own spelling of a status as written (case aside)."""
    folded = status.casefold()
    for known in fmt.lifecycle:
        if known.casefold() == folded:
            return known
    return status


def body_markdown(pep, fmt, path: str) -> str:
    doc = pep.document
    if fmt.markup == "rst":
        start = doc.header.end if doc.header.found else 0
        return rst_headings_to_markdown(doc, start)
    if fmt.markup == "yaml":
        return fmt.body(doc, path)[0]
    return fmt.page_body(doc)


def write_index(out_dir: str) -> str:
    """INDEX.md with the Index table of the converted files, and a pepctl.toml that names it."""
    from pepctl.config import Config
    from pepctl.corpus import Corpus
    from pepctl.document import Document
    from pepctl.index import expected_rows, rewrite
    from pepctl.model import summary_of

    config = Config({"index-file": INDEX_FILE})
    corpus = Corpus(out_dir, config)
    index_path = os.path.join(out_dir, INDEX_FILE)
    records = corpus.summaries(summary_of)
    document = Document("# Index of the proposals\n\nConverted by `pepctl convert --to plano`.\n", index_path)
    text = rewrite(document, expected_rows(records, index_path), (), index_path).text
    atomic_write(index_path, text.encode("utf-8"))
    atomic_write(os.path.join(out_dir, "pepctl.toml"),
                 f'# written by pepctl convert: the converted proposals are in Plano\'s format\nformat = "plano"\n'
                 f'index-file = "{INDEX_FILE}"\n'.encode("utf-8"))
    return index_path
