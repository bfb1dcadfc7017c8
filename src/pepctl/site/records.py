"""What the website knows about one PEP file: its PepRecord and what the site adds to it.

A SiteRecord is made from the file's bytes alone (so it is cached by their
hash, see reading.py) and holds everything the index, the dashboard, the
feed, the JSON and the search index need; the pages of other PEPs read
titles and statuses from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from operator import attrgetter
from urllib.parse import quote

from pepctl import model
from pepctl.record import PepRecord, Person

# Part of the hash of every record: change it when what a record holds changes.
RECORD_VERSION = "10"
NAME_MAX = 255  # bytes in a file name, on the usual file systems
BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def page_path(file_name: str) -> str:
    """The page of a PEP file, relative to the site root: its name less .md (or .rst); a proposal
    that is a folder (a KEP's `sig/NNNN-name/kep.yaml`) is named after its folder."""
    if "/" in file_name:
        file_name = file_name.rsplit("/", 2)[-2]
    stem = file_name
    for suffix in (".md", ".rst"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    encoded = stem.encode("utf-8")
    if len(encoded) > NAME_MAX - len(".html"):  # a name as long as file systems allow: cut, with a hash for its end
        tail = hashlib.blake2b(encoded, digest_size=4).hexdigest()
        stem = encoded[: NAME_MAX - len(".html") - len(tail) - 1].decode("utf-8", "ignore") + "-" + tail
    return f"pep/{stem}.html"


def distinct_pages(records: dict) -> dict:
    """The records (by name) with one page each: proposals in folders of the same name (two SIGs'
    `42-spin/kep.yaml`) are named by their folder's whole path (`sig-a-42-spin.html`), as
    page_path alone would give them one page, the last written over the others."""
    by_page: dict[str, list[str]] = {}
    for name in records:
        by_page.setdefault(page_path(name), []).append(name)
    out = dict(records)
    for page, names in by_page.items():
        for name in names:
            if len(names) > 1:
                page = "pep/" + re.sub(r"[^\w.-]+", "-", name.replace("\\", "/").rsplit("/", 1)[0]).strip("-") + ".html"
            if records[name].page != page:  # a record from the cache keeps the page it had then
                out[name] = dataclasses.replace(records[name], page=page, url=page_url(page))
    return out


_LABEL = [model.pep_label]  # how this process's build names proposals: set by use_labels


def use_labels(header_format) -> None:
    """Name proposals as the format does (PEP 8, EIP-1559, SE-0401) in every page of this build
    (None: Plano's PEP-0042 again). The builder sets it for the length of a build, which forked
    workers inherit."""
    _LABEL[0] = getattr(header_format, "label", model.pep_label)


def page_url(page: str) -> str:
    """A page path as a link (relative to the site root): file names may hold `#`, `%`, `?`, spaces..."""
    return quote(page)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "unknown"


def pep_label(number) -> str:
    """A PEP's label; a file with no number is PEP-????."""
    return _LABEL[0](number) if isinstance(number, int) else "PEP-????"


@dataclasses.dataclass(frozen=True, slots=True)
class SiteRecord:
    pep: PepRecord  # its path is the file name
    hash: str  # of the file's bytes (and of how records are made): the record is reused while it holds
    page: str  # the page's path in the site
    url: str  # the page's path as a link: every link to the page uses this, never `page`
    problems: tuple[tuple[int, str], ...]  # what parsing tolerated: (line, message)
    links: tuple[str, ...]  # the PEP files the text links to, by name
    summary: str
    stored_search: tuple[bytes, bytes] | None  # (terms, passages), see `terms`; None: in the build cache
    languages: tuple[str, ...]  # of its code blocks (highlight.code_languages)

    def __reduce__(self):  # pickled as its values: the default for a frozen dataclass with slots is twice as slow
        return (SiteRecord, _values(self))

    @property
    def search_fields(self) -> tuple[bytes, bytes]:
        """(terms, passages); a record from the build cache reads them from there when first asked (a
        rebuild reads those of the records whose search entries change only)."""
        found = self.stored_search
        return found if found is not None else _WORDS[0](self.hash)

    @property
    def terms(self) -> bytes:
        """The distinct words of the PEP by where they are (searchtext.record_fields)."""
        return self.search_fields[0]

    @property
    def passages(self) -> bytes:
        """Its text as (heading, text) passages for search snippets, compressed (searchtext.record_fields)."""
        return self.search_fields[1]

    @property
    def file(self) -> str:
        return self.pep.path

    @property
    def title(self) -> str:
        """The title pages show: the PEP's, else the file name; without bidirectional embeddings,
        overrides and isolates, which would reverse what follows the title on its line."""
        title = self.pep.title or self.pep.path
        return BIDI_CONTROLS_RE.sub("", title) if BIDI_CONTROLS_RE.search(title) else title

    @property
    def status(self) -> str:
        """The status as written, its spaces collapsed."""
        return " ".join(self.pep.status.split())

    def failed(self, message: str) -> SiteRecord:
        """This record with an error in its PEP: the page of a file whose page could not be made."""
        return dataclasses.replace(self, pep=self.pep._replace(error=message, error_line=1))

    # -- in the build cache (marshal, which takes plain tuples only; the words apart) ------

    def to_cache(self) -> tuple:
        pep = list(self.pep)
        pep[_AUTHORS] = tuple(map(tuple, pep[_AUTHORS]))
        if pep[_SPONSOR] is not None:
            pep[_SPONSOR] = tuple(pep[_SPONSOR])
        values = _values(self)
        return (tuple(pep), *values[1:_WORDS_AT], *values[_WORDS_AT + 1:])

    @classmethod
    def from_cache(cls, values: tuple) -> SiteRecord:
        pep = list(values[0])
        pep[_AUTHORS] = tuple([Person(*person) for person in pep[_AUTHORS]])
        if pep[_SPONSOR] is not None:
            pep[_SPONSOR] = Person(*pep[_SPONSOR])
        return cls(PepRecord(*pep), *values[1:_WORDS_AT], None, *values[_WORDS_AT:])


def _no_words(source_hash: str) -> tuple[bytes, bytes]:
    raise LookupError("a record's search fields were asked for, but no build cache holds them")


_WORDS = [_no_words]  # where records from the build cache get their words: set by use_words


def use_words(lookup) -> None:
    """`lookup(hash) -> (terms, passages)`: where records read from the build cache find their search fields (the builder
    sets it to the cache it loaded; forked workers inherit it)."""
    _WORDS[0] = lookup


_values = attrgetter(*(field.name for field in dataclasses.fields(SiteRecord)))
_WORDS_AT = [field.name for field in dataclasses.fields(SiteRecord)].index("stored_search")
_PEP_FIELDS = list(PepRecord._fields)
_AUTHORS, _SPONSOR = _PEP_FIELDS.index("authors"), _PEP_FIELDS.index("sponsor")
