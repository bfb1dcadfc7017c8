"""New PEPs and status changes (the feed's entries and the dashboard's newest changes), and the Atom feed.

The feed (RFC 4287) is written with the standard library's ElementTree, so
every text is escaped by the serialiser. Entry ids are ``urn:uuid:`` values
derived from what the entry is about (file, commit, new status), so they stay
the same from one build to the next.
"""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET
from typing import NamedTuple

from pepctl.site.records import SiteRecord, pep_label
from pepctl.site.templates import SITE_TITLE
from pepctl.timestamps import parse_day, parse_instant

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 100
# Characters XML 1.0 does not allow, even escaped.
INVALID_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def xml_text(text: str) -> str:
    return text.translate(INVALID_XML) if text else text


def entry_id(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "pepctl:" + "\x1f".join(parts)))


def rfc3339(date: str) -> str | None:
    """A git ISO date or a YYYY-MM-DD date as an RFC 3339 timestamp; None when it is neither."""
    text = date.strip()
    if len(text) == 10:
        day = parse_day(text)
        return f"{day.isoformat()}T00:00:00Z" if day is not None else None
    moment = parse_instant(text)
    return moment.isoformat() if moment is not None else None


def instant(date: str) -> float:
    """An RFC 3339 timestamp (as rfc3339 writes it) as seconds since 1970, for ordering dates
    written with different offsets; as text, 01:00+05:00 would sort after 22:00+00:00 the day before."""
    return parse_instant(date).timestamp()


class Event(NamedTuple):
    """A new PEP or a status change."""

    date: str  # RFC 3339
    title: str
    url: str  # of the PEP's page, relative to the site's root
    record: SiteRecord
    summary: str
    kind: str  # "new" or "status"
    old: str | None  # the status before, None for a new PEP
    new: str
    category: str
    authors: list[str]
    key: tuple  # what the entry's id is made from


def events(state) -> list[Event]:
    """New PEPs and status changes, newest first: from git, else from the Created dates."""
    keys: set = set()

    def lasting_key(record: SiteRecord, *rest: str) -> tuple:
        """What a feed entry's id is made from: the PEP's number rather than its file name, so that
        renaming the file keeps the ids; the file name joins in only when the number is not enough."""
        number = record.pep.number
        key = (pep_label(number) if isinstance(number, int) else record.file, *rest)
        if key in keys:
            key = (record.file, *rest)
        keys.add(key)
        return key

    def authors(record: SiteRecord) -> list[str]:
        return [a.name or a.handle for a in record.pep.authors if a.name or a.handle]

    found = []
    if state.history is not None:
        records = state.records
        for change in state.history.changes:
            record = records.get(os.path.basename(change.path))
            if record is None:
                continue
            date = rfc3339(change.date)
            if date is None:
                continue
            old = state.status_key(change.old) if change.old is not None else None
            new = state.status_key(change.new)
            label = f"{pep_label(record.pep.number)}: {record.title}"
            title = f"New: {label} ({new})" if old is None else f"{label}: {old} → {new}"
            found.append(Event(date, title, record.url, record, record.summary, "new" if old is None else "status",
                               old, new, new, authors(record), lasting_key(record, change.commit, new)))
    else:
        for record in state.ordered:
            created = record.pep.created
            if record.pep.error or parse_day(created) is None:
                continue
            date = rfc3339(created)
            if date is None:
                continue
            found.append(Event(date, f"New: {pep_label(record.pep.number)}: {record.title}", record.url, record,
                               record.summary, "new", None, record.status, record.status, authors(record),
                               lasting_key(record, "created", created)))
    found.sort(key=lambda e: (instant(e.date), e.title), reverse=True)  # dates differ in offset
    return found


def feed_xml(state, found: list[Event]) -> bytes:
    """feed.xml: the latest `LIMIT` of `found` (newest first, from `events`)."""
    return build_feed(found, SITE_TITLE, state.base_url, f"{state.today.isoformat()}T00:00:00Z")


def build_feed(events: list[Event], title: str, base_url: str, updated_fallback: str) -> bytes:
    """The Atom document of `events` (sorted newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if base_url:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base_url)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = entry_id("feed", base_url or title)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = "New proposals and status changes"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = events[0].date if events else updated_fallback
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=(base_url or "") + "index.html")
    if base_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=base_url + "feed.xml")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "PEP authors"
    ET.SubElement(feed, f"{{{ATOM}}}generator", uri="https://pypi.org/project/pepctl/").text = "pepctl"
    for event in events[:LIMIT]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(*event.key)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(event.title)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = event.date
        ET.SubElement(entry, f"{{{ATOM}}}published").text = event.date
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=(base_url or "") + event.url)
        for name in event.authors:
            person = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(person, f"{{{ATOM}}}name").text = xml_text(name)
        if event.category:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=xml_text(event.category))
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
        summary.text = xml_text(event.summary or event.title)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
