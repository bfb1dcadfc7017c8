"""What the website knows about one PEP file: a plain dict, cached between builds.

A record is made from the file's bytes alone (so it can be cached by their
hash) and holds everything the index, the dashboard, the feed, the JSON and
the search index need; pages of other PEPs read titles and statuses from it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pepctl.document import Document, DocumentError
from pepctl.model import FIELD_NAMES, Pep, is_empty_value, number_from_filename, parse_authors, pep_refs

# Part of the cache key of every record: change it when a record's content changes.
RECORD_VERSION = "4"

# Header fields shown in a fixed order on a PEP's card; others follow in file order.
CARD_ORDER = ["status", "authors", "sponsor", "created", "tracking issue", "target release", "supersedes",
              "superseded-by", "decided-by"]


def page_path(file_name: str) -> str:
    """The page of a PEP file, relative to the site root."""
    stem = file_name[:-3] if file_name.endswith(".md") else file_name
    return f"pep/{stem}.html"


def page_url(page: str) -> str:
    """A page path as a link (relative to the site root): file names may hold `#`, `%`, `?`, spaces..."""
    return quote(page)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "unknown"


def body_text(doc: Document) -> str:
    """The Markdown a PEP page renders: the text less its title heading and header table.

    A header table with problems stays in the body, so nothing of it is lost.
    """
    drop = set()
    if doc.title_line is not None:
        drop.add(doc.title_line)
    broken = any(p.kind == "broken-table" for p in doc.problems)
    if doc.header.found and not broken:
        drop.update(range(doc.header.first_line, doc.header.last_line + 1))
    if not drop:
        return doc.text
    lines = doc.lines
    first, last = min(drop), max(drop)
    kept = lines[:first] + [line for number, line in enumerate(lines[first : last + 1], first) if number not in drop]
    return "".join(kept + lines[last + 1 :])


def make_record(name: str, data: bytes, source_hash: str, docs: dict | None = None,
                unreadable: str | None = None) -> dict:
    """The record of one file; never raises for bad content. The parsed Document goes in `docs`.

    `unreadable`: why the file could not be read (its page says so), when it could not.
    """
    from pepctl.site.markdown import pep_links_in

    record = {
        "file": name,
        "hash": source_hash,
        "page": page_path(name),
        "url": page_url(page_path(name)),  # every link to the page uses this, never "page"
        "error": None,
        "number": number_from_filename(name),
        "title": "",
        "status": "",
        "authors": [],
        "authors_text": "",
        "sponsor": None,
        "created": "",
        "tracking_issue": "",
        "target_release": "",
        "supersedes": [],
        "superseded_by": [],
        "fields": [],
        "problems": [],
        "links": [],
    }
    try:
        if unreadable:
            raise DocumentError(unreadable)
        doc = Document.from_bytes(data, name)
    except DocumentError as err:
        record["error"] = {"message": str(err), "line": err.line}
        record["title"] = name
        return record
    if docs is not None:
        docs[name] = doc
    pep = Pep(doc, name)
    record["number"] = pep.number
    record["title"] = pep.title or pep.heading_title or name
    record["status"] = " ".join(pep.status.split())
    record["authors"] = [a.to_json() for a in pep.authors]
    record["authors_text"] = pep.authors_text
    sponsors = parse_authors(pep.sponsor) if pep.sponsor else []
    record["sponsor"] = sponsors[0].to_json() if sponsors else None
    record["created"] = pep.created
    record["tracking_issue"] = pep.value("Tracking Issue")
    record["target_release"] = pep.value("Target Release")
    record["supersedes"] = pep_refs(doc.get("Supersedes"))
    record["superseded_by"] = pep_refs(doc.get("Superseded-By"))
    shown = []
    for field in doc.field_list:
        if field.key in ("pep", "title"):
            continue
        value = field.value.strip()
        if not value or is_empty_value(value):
            continue
        shown.append([FIELD_NAMES.get(field.key, field.name), field.key, value])
    order = {key: index for index, key in enumerate(CARD_ORDER)}
    shown.sort(key=lambda item: order.get(item[1], len(order)))
    seen = set()
    record["fields"] = [item for item in shown if not (item[1] in seen or seen.add(item[1]))]
    record["problems"] = [[p.line, p.message] for p in doc.problems]
    record["links"] = pep_links_in(doc.text)
    return record
