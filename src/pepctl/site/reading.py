"""Reading the PEP folder: each file's bytes to its SiteRecord, and the parsed text kept for its page.

A record depends on the file's bytes alone, so the last build's record is
reused while the hash of the bytes is the same. Each process of a build has
its own Reader: the Documents it parsed to make records wait there for the
pages it renders next (another process's pages parse their file again).
"""

from __future__ import annotations

import os

from pepctl.corpus import read_error
from pepctl.document import Document, DocumentError
from pepctl.site.parallel import collect_young
from pepctl.fsutil import read_source
from pepctl.model import Pep
from pepctl.record import PepRecord
from pepctl.site.cache import digest, file_stat
from pepctl.site.highlight import code_languages
from pepctl.site.links import pep_links_in
from pepctl.site.records import RECORD_VERSION, SiteRecord, page_path, page_url, pep_label
from pepctl.site.searchtext import plain_summary, record_fields, unreadable_fields


def body_text(doc: Document) -> str:
    """The Markdown a PEP page renders: the text less its title heading and header table.

    A header table with problems stays in the body, so nothing of it is lost. A dialect's
    format says what its body is (front matter dropped; a KEP's README beside its kep.yaml).
    """
    own = getattr(doc.format, "page_body", None)
    if own is not None:
        return own(doc)
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


def site_names(paths: list[str], pep_dir: str, nested: bool) -> tuple[list[str], list[str]]:
    """What each proposal is called on the site (its file name; a KEP's path in the folder), and a
    warning per name that is not UTF-8: its bytes are written out (`caf\\xe9.md`), since HTML, JSON
    and the cache hold text."""
    names, warnings = [], []
    for path in paths:
        name = os.path.relpath(path, pep_dir) if nested else os.path.basename(path)
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            name, shown = (text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                           for text in (name, path))
            warnings.append(f"{shown}: the file name is not valid UTF-8 (the site calls it {name}); rename it")
        names.append(name)
    return names, warnings


def make_record(name: str, data: bytes, source_hash: str, unreadable: str | None = None, header_format=None,
                path: str | None = None):
    """(record, Document, body text) of one file: the Document is None when the file cannot be read as a
    PEP (`unreadable` says why when its bytes could not even be read; the page says so), the body text
    None unless the summary needed it. Never raises for bad content."""
    try:
        if unreadable:
            raise DocumentError(unreadable)
        doc = Document.from_bytes(data, name, header_format)
        if getattr(header_format, "nested", False):  # the prose lies beside the metadata (a KEP's README.md)
            doc.path = path or name
    except DocumentError as err:
        pep = PepRecord.unreadable(name, str(err), err.line)
        doc = body = None
        summary, problems, links, languages = "", (), (), ()
        data = b""
        terms, passages = unreadable_fields(name, pep_label(pep.number))
    else:
        pep = PepRecord.of(Pep(doc, name))
        body = None
        text = body_text(doc)
        section = doc.section("Summary")
        if section:
            summary = plain_summary(doc.section_text(section))
        else:
            body = text  # kept for the page (made for the summary, as before)
            summary = plain_summary(body[:2000])
        terms, passages = record_fields(pep.shown_title, pep_label(pep.number), pep.authors_text, text)
        problems = tuple((p.line, p.message) for p in doc.problems)
        links = tuple(pep_links_in(doc.text)) if header_format is None else ()
        languages = tuple(code_languages(data))
    page = page_path(name)
    record = SiteRecord(pep, source_hash, page, page_url(page), problems, links, summary, (terms, passages), languages)
    return record, doc, body


class Reader:
    """Reads the files of one PEP folder in one process; keeps what their pages will need.

    The Documents parsed for records wait for their pages while the text they hold stays under
    KEEP_BYTES in all (the biggest files come first): past that a page parses its file again,
    so a build's memory does not grow with the corpus.
    """

    KEEP_BYTES = 6_000_000  # a Document takes about 2.5 times its file's bytes

    def __init__(self, paths: dict[str, str], header_format=None, known: dict[str, bytes | None] | None = None):
        self.paths = paths  # file name -> path, in file order
        self.format = header_format  # the proposals' format (None: Plano's)
        self.known = known or {}  # file name -> its stat at the last build (cache.file_stat)
        self.stats: dict[str, bytes | None] = {}  # file name -> its stat before this process read it
        self.sizes: dict[str, int] = {}  # file name -> bytes, for the files this process read
        self.docs: dict[str, Document] = {}  # Documents parsed for records, until their pages take them
        self.bodies: dict[str, str] = {}  # body texts made for summaries, likewise
        self.kept = 0  # bytes of the files whose Documents wait in docs
        self.unreadable: dict[str, str] = {}  # file name -> why its bytes could not be read
        self.warnings: list[str] = []

    def read(self, name: str) -> bytes:
        try:
            data = read_source(self.paths[name])
        except OSError as err:
            data = b""
            self.unreadable[name] = read_error(err, self.paths[name], self.format)
            self.warnings.append(f"{self.paths[name]}: {self.unreadable[name]}")
        self.sizes[name] = len(data)
        return data

    def companion_paths(self, name: str) -> list[str]:
        companions = getattr(self.format, "companion_paths", None)
        return companions(self.paths[name]) if companions is not None else []

    def stat(self, name: str) -> bytes | None:
        """The stat of a file and of the files its page shows besides (a KEP's README.md)."""
        stat = file_stat(self.paths[name])
        for path in self.companion_paths(name):
            if stat is not None:
                stat += file_stat(path) or b"-"
        return stat

    def companions(self, name: str) -> list[bytes]:
        """The bytes of the files a page shows besides its own (empty when missing or unreadable)."""
        found = []
        for path in self.companion_paths(name):
            try:
                found.append(read_source(path))
            except OSError:
                found.append(b"")
        return found

    def make_records(self, names, cached: dict[str, SiteRecord] | None = None) -> dict[str, SiteRecord]:
        """The records of some files, each reused from `cached` while the file's bytes are the same; a
        file whose stat is what the last build saw is not read at all."""
        cached = cached or {}
        known = self.known
        records = {}
        for count, name in enumerate(names, 1):
            collect_young(200, count)
            record = cached.get(name)
            stat = self.stats[name] = self.stat(name)
            if record is not None and stat is not None and known.get(name) == stat:
                records[name] = record
                continue
            data = self.read(name)
            unreadable = self.unreadable.get(name)
            source_hash = digest(RECORD_VERSION, data, unreadable or "", *self.companions(name))
            if record is None or record.hash != source_hash:
                record, doc, body = make_record(name, data, source_hash, unreadable, self.format, self.paths[name])
                if doc is not None and self.kept + len(data) <= self.KEEP_BYTES:
                    self.docs[name] = doc
                    self.kept += len(data)
                    if body is not None:
                        self.bodies[name] = body
            records[name] = record
        return records

    def document(self, name: str) -> tuple[Document | None, str | None]:
        """The parsed text of a readable file and its body text when made (each handed out once):
        parsed now if another process made its record; None if it no longer parses."""
        doc = self.docs.pop(name, None)
        body = self.bodies.pop(name, None)
        if doc is None:
            try:
                doc = Document.from_bytes(self.read(name), name, self.format)
                if getattr(self.format, "nested", False):
                    doc.path = self.paths[name]
            except DocumentError:  # the record said readable; the file changed under us
                doc = None
        return doc, body

    def take_warnings(self) -> list[str]:
        warnings, self.warnings = self.warnings, []
        return warnings
