"""PepRecord: what every output shows of one PEP file, as one immutable value.

One record is made from a parsed Pep (or from the error that stopped
parsing), and every output reads it through a view here: ``pepctl list``
(``list_json``), ``pepctl show`` (``show_json``) and the website's pages and
``api/peps.json`` (``api_json``). A record is plain data: it pickles to
another process and its parts go into the website's build cache as they are.

Pure: imports only the model.
"""

from __future__ import annotations

from typing import NamedTuple

from pepctl.model import Pep, number_from_filename, parse_authors, pep_refs, shown_name

# A header field as (name as written, key, value): the key is the normalised name (lower case,
# aliases folded, see document.field_key), the value stripped, as in the file.
Field = tuple[str, str, str]


class Person(NamedTuple):
    """An author or sponsor: a name and a GitHub handle (without @), either may be missing."""

    name: str
    handle: str | None


class Section(NamedTuple):
    level: int
    title: str
    line: int  # 1-based


class PepRecord(NamedTuple):
    """One PEP file as the outputs see it. Values are as written in the file ('' when missing).

    A named tuple rather than a dataclass: `list` makes one per PEP in worker processes and
    pickles it back, and a tuple is the quickest of the immutable kinds to build and to pickle.
    """

    path: str
    number: int | None  # the PEP field, else the title heading, else the file name
    title: str  # the Title field, else the title heading's title, else ''
    status: str  # as written
    authors_text: str  # the Authors field as written
    authors: tuple[Person, ...]
    sponsor_text: str  # the Sponsor field, '' when empty or a template hint
    sponsor: Person | None  # the first person named in it
    created: str
    tracking_issue: str  # '' when empty or a template hint; so is target_release
    target_release: str
    supersedes: tuple[int, ...]
    superseded_by: tuple[int, ...]
    fields: tuple[Field, ...] | None  # every header field in file order; None when not asked for
    sections: tuple[Section, ...] | None = None  # the headings, when asked for (only `show` lists them)
    error: str | None = None  # why the file could not be read as a PEP; then every value is empty
    error_line: int = 0

    @classmethod
    def of(cls, pep: Pep, fields: bool = True, sections: bool = False) -> PepRecord:
        """The record of a parsed PEP; the fields and sections cost time, so they are made when asked for."""
        doc = pep.document
        sponsor_text = pep.sponsor
        sponsors = parse_authors(sponsor_text) if sponsor_text else []
        return cls(
            pep.path,
            pep.number,
            pep.title,
            pep.status,
            pep.authors_text,
            tuple(Person(a.name, a.handle) for a in pep.authors),
            sponsor_text,
            Person(sponsors[0].name, sponsors[0].handle) if sponsors else None,
            pep.created,
            pep.value("Tracking Issue"),
            pep.value("Target Release"),
            tuple(pep_refs(doc.get("Supersedes"))),
            tuple(pep_refs(doc.get("Superseded-By"))),
            tuple((f.name, f.key, f.value.strip()) for f in doc.field_list) if fields else None,
            tuple(Section(h.level, h.title, h.line + 1) for h in doc.headings) if sections else None,
        )

    @classmethod
    def unreadable(cls, path: str, message: str, line: int = 1) -> PepRecord:
        """The record of a file that could not be read as a PEP: its number from its name, no values."""
        return cls(path, number_from_filename(path), "", "", "", (), "", None, "", "", "", (), (), (),
                   error=message, error_line=line)

    @property
    def filename(self) -> str:
        return shown_name(self.path)

    @property
    def shown_title(self) -> str:
        """What a page or a link calls the PEP: its title, else its file name."""
        return self.title or self.filename


def person_json(person: Person | None) -> dict | None:
    return None if person is None else {"name": person.name, "handle": person.handle}


def people_json(people) -> list[dict]:
    return [{"name": person.name, "handle": person.handle} for person in people]


def list_json(record: PepRecord) -> dict:
    """One PEP in `pepctl list --format json`."""
    return {
        "number": record.number,
        "title": record.title,
        "status": record.status,
        "authors": people_json(record.authors),
        "sponsor": record.sponsor_text or None,
        "created": record.created or None,
        "tracking_issue": record.tracking_issue or None,
        "target_release": record.target_release or None,
        "supersedes": list(record.supersedes),
        "superseded_by": list(record.superseded_by),
        "path": record.path,
    }


def show_json(record: PepRecord) -> dict:
    """One PEP in `pepctl show --format json`: as in the list, with every field and section."""
    if record.fields is None or record.sections is None:
        raise ValueError("show_json needs a record made with its fields and sections: PepRecord.of(pep, sections=True)")
    data = list_json(record)
    data["fields"] = {name: value for name, _key, value in record.fields}
    data["sections"] = [{"level": s.level, "title": s.title, "line": s.line} for s in record.sections]
    return data


JSON_SAFE_INTEGER = 2 ** 53 - 1  # past it, JavaScript (and every reader that holds numbers as doubles) rounds


def json_safe(number: int | None) -> int | None:
    """`number`, or None when a JSON reader would round it: a 32-digit PEP field (which H004 reports)
    written as is would read as another number."""
    return number if number is not None and -JSON_SAFE_INTEGER <= number <= JSON_SAFE_INTEGER else None


def api_json(record: PepRecord, status: str | None, url: str, last_change: dict | None,
             last_status_change: dict | None) -> dict:
    """One PEP in the website's api/peps.json (schema in docs/site.md): `status` as the configuration
    spells it, `url` the PEP's page, the two changes from git (None outside git). A number past what
    JSON readers hold exactly is null (the file name, `source`, still says which file it is)."""
    return {
        "number": json_safe(record.number),
        "title": record.shown_title,
        "status": status,
        "authors": people_json(record.authors),
        "sponsor": person_json(record.sponsor),
        "created": record.created or None,
        "tracking_issue": record.tracking_issue or None,
        "target_release": record.target_release or None,
        "supersedes": list(record.supersedes),  # pep_refs: five digits at most
        "superseded_by": list(record.superseded_by),
        "url": url,
        "source": record.filename,
        "last_change": last_change,
        "last_status_change": last_status_change,
        "error": record.error,
    }
