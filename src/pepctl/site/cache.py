"""The build cache: what the next build reuses, and when. It lives beside the output folder, never in it.

`cache_dir(out_dir)` is the one place that decides where: ``.<name>.pepctl-cache``
next to the output folder (``_site`` -> ``._site.pepctl-cache``), so a server of
the output folder never serves it and a workflow that publishes the folder never
ships it, while it stays with the project (deleting the project deletes it) and
two sites built from one checkout keep apart caches. A cache left inside the
output by older versions (``<out>/.pepctl-cache``) is removed by the next build.

One SQLite file holds, per PEP file, a row: its stat (size, times, inode: a
file whose stat is unchanged is not even read again), the hash of its bytes,
its record (reused while the hash holds) and its page's key (a hash of
everything the page shows: a page is rendered again only when its key
changes); the records' search words in a table keyed by that hash (read only
when asked for); the git history (reused while HEAD stays); and highlighted
code blocks keyed by a hash of their language and code (highlight.py).
A build writes the rows that changed and no others, so a one-PEP rebuild reads
and writes what one PEP needs, not a corpus-sized file. Safe to delete: the
next build renders every page again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import os
import shutil
import sqlite3
from typing import NamedTuple

import cmarkgfm
import jinja2
import nh3
import pygments

from pepctl.site.markdown import RENDERER_VERSION
from pepctl.site.records import RECORD_VERSION, SiteRecord, use_words
from pepctl.site.templates import asset_files

# Part of every cache key: change it when the site's output changes shape.
SITE_VERSION = "4"
SCHEMA_VERSION = "1"  # of the SQLite file: another one is not read (the build starts afresh)
CACHE_SUFFIX = ".pepctl-cache"
OLD_CACHE_DIR = ".pepctl-cache"  # inside the output folder, where versions before this one kept it
DB_FILE = "site.sqlite"

_ENCODE = json.JSONEncoder(sort_keys=True, default=str).encode  # json.dumps(part, sort_keys=True, default=str)


def digest(*parts) -> str:
    """A hash of some values: bytes as they are, anything else as JSON."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if not isinstance(part, bytes):
            part = _ENCODE(part).encode("utf-8")
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def cache_dir(out_dir: str) -> str:
    """The one place that decides where a site's build cache lives (the search index keeps its state there
    too): beside the output folder, named after it, so it is never inside what is served or published;
    when the folder around the output cannot be written to, in the user's cache folder
    (``$XDG_CACHE_HOME/pepctl/site/``, else ``~/.cache/pepctl/site/``), named by the output's path."""
    parent, name = os.path.split(os.path.abspath(out_dir))
    beside = os.path.join(parent, f".{name or 'site'}{CACHE_SUFFIX}")
    if os.path.lexists(beside) or os.access(parent, os.W_OK):
        return beside
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(home, "pepctl", "site", f"{name or 'site'}-{digest(os.path.abspath(out_dir))[:12]}")


def staging_dir(out_dir: str) -> str:
    """Where a build stages the files that list the pages until the pages are written (writer.Held)."""
    return os.path.join(cache_dir(out_dir), "staging")


def remove_old_cache(out_dir: str) -> bool:
    """Delete the cache older versions kept inside the output folder (it was served and published)."""
    old = os.path.join(out_dir, OLD_CACHE_DIR)
    if os.path.isdir(old) and not os.path.islink(old):
        shutil.rmtree(old, ignore_errors=True)
        return True
    return False


def file_stat(path: str) -> bytes | None:
    """What changes when a file is written, renamed over or touched: size, modification and change times,
    inode. A file with the same stat as last build is taken as unchanged without being read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return marshal.dumps((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev))


class Entry(NamedTuple):
    """The last build's row of one PEP file."""

    stat: bytes | None
    hash: str
    page: str | None  # the key of its page (None: not written, render it again)
    record: SiteRecord


class Cache(NamedTuple):
    site: str | None  # the key of everything every page depends on (see site_key)
    entries: dict[str, Entry]  # by file name
    git: dict | None  # gitinfo.read_git's cache entry
    world: str | None  # what every page key depends on besides the page's own file (see world_key)

    @property
    def records(self) -> dict[str, SiteRecord]:
        return {name: entry.record for name, entry in self.entries.items()}

    @property
    def pages(self) -> dict[str, str]:
        return {name: entry.page for name, entry in self.entries.items() if entry.page is not None}


EMPTY = Cache(None, {}, None, None)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY, stat BLOB, hash TEXT, page TEXT, record BLOB);
CREATE TABLE IF NOT EXISTS words (hash TEXT PRIMARY KEY, words BLOB);
CREATE TABLE IF NOT EXISTS highlight (key BLOB PRIMARY KEY, html TEXT, used INTEGER, size INTEGER);
"""


class Store:
    """The cache's SQLite file, opened once per process (a forked worker opens its own connection)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.path = os.path.join(folder, DB_FILE)
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = None  # a connection inherited through fork is never used, nor closed, here
            os.makedirs(self.folder, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")  # a cache: a power cut may lose it, never corrupt the site
                db.executescript(_SCHEMA)
                version = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if version is None or version[0] != SCHEMA_VERSION:
                    db.executescript("BEGIN; DELETE FROM meta; DELETE FROM files; DELETE FROM words;"
                                     "DELETE FROM highlight; COMMIT;")
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            except sqlite3.DatabaseError:  # not a database (or a broken one): start it again
                db.close()
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(self.path + suffix)
                    except FileNotFoundError:
                        pass
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")
                db.executescript(_SCHEMA)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self._db, self._pid = db, os.getpid()
        return self._db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def meta(self, key: str):
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def next_generation(self) -> int:
        """A number one higher than the last build's: what the highlighted code a build uses is marked with."""
        try:
            generation = int(self.meta("generation") or 0) + 1
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
        except (sqlite3.Error, ValueError):
            generation = 1
        return generation

    def words(self, source_hash: str) -> tuple[bytes, bytes]:
        """A record's search fields (terms, passages), kept apart from the record: read only when asked for."""
        row = self.db.execute("SELECT words FROM words WHERE hash=?", (source_hash,)).fetchone()
        return (b"", b"") if row is None else tuple(marshal.loads(row[0]))

    # -- the build's rows ---------------------------------------------------------------

    def load(self) -> Cache:
        """The last build's cache, or an empty one (none, unreadable, or of another version)."""
        try:
            if self.meta("version") != SITE_VERSION:
                return EMPTY
            entries = {}
            for name, stat, source_hash, page, blob in self.db.execute(
                    "SELECT name, stat, hash, page, record FROM files"):
                entries[name] = Entry(stat, source_hash, page, SiteRecord.from_cache(marshal.loads(blob)))
            git = self.meta("git")
            use_words(self.words)  # the records' words come from here when asked for
            return Cache(self.meta("site"), entries, marshal.loads(git) if git else None, self.meta("world"))
        except (sqlite3.Error, OSError, EOFError, ValueError, TypeError, IndexError):
            return EMPTY

    def save(self, last: Cache, site: str, world: str, records: dict[str, SiteRecord], stats: dict[str, bytes | None],
             pages: dict[str, str], git: dict | None, listing: str | None = None) -> None:
        """Write the rows that differ from `last` and delete those of files that are gone."""
        rows, words = [], []
        for name, record in records.items():
            before = last.entries.get(name)
            page, stat = pages.get(name), stats.get(name)
            moved = before is not None and before.record.page != record.page  # distinct_pages renamed its page
            if before is not None and before.hash == record.hash and before.page == page and before.stat == stat \
                    and not moved:
                continue
            if before is None or before.hash != record.hash or moved:
                rows.append((name, stat, record.hash, page, marshal.dumps(record.to_cache())))
                words.append((record.hash, marshal.dumps(record.search_fields)))
            else:
                rows.append((name, stat, record.hash, page, None))
        gone = [(name,) for name in last.entries if name not in records]
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            if last.site is None or self.meta("version") != SITE_VERSION:
                db.execute("DELETE FROM files")
                db.execute("DELETE FROM words")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("version", SITE_VERSION), ("site", site), ("world", world), ("listing", listing),
                            ("git", marshal.dumps(git) if git is not None else None)])
            db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                           "stat=excluded.stat, hash=excluded.hash, page=excluded.page, "
                           "record=coalesce(excluded.record, files.record)", rows)
            db.executemany("DELETE FROM files WHERE name=?", gone)
            db.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", words)
            if words or gone:
                db.execute("DELETE FROM words WHERE hash NOT IN (SELECT hash FROM files)")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def load(out_dir: str) -> Cache:
    """The last build's cache of `out_dir`, or an empty one."""
    if not os.path.exists(os.path.join(cache_dir(out_dir), DB_FILE)):
        return EMPTY
    return Store(cache_dir(out_dir)).load()


def site_key(config, base_url: str, repo) -> str:
    """What every page depends on: pepctl's templates, assets and renderer, the libraries', the
    configuration, the base URL and the repository's links."""
    assets = []
    for path in asset_files():
        with open(path, "rb") as handle:
            assets.append(handle.read())
    versions = [getattr(m, "__version__", "") for m in (cmarkgfm, jinja2, nh3, pygments)]
    return digest(SITE_VERSION, RENDERER_VERSION, RECORD_VERSION, versions, *assets, config.as_dict(), base_url,
                  dataclasses.asdict(repo))


def world_key(state, site: str, records: dict[str, SiteRecord], git_key) -> str:
    """Everything a page can show from outside its own file: the site key, every file's name, number,
    title, status and successors (what links, banners and neighbours show) and the git history. While
    it and a file's hash hold, the file's page key holds too, so a rebuild need not compute the keys of
    the pages of unchanged files."""
    return digest(site, git_key, state.history_known,
                  [[name, r.pep.number, r.title, r.status, r.page, r.pep.supersedes, r.pep.superseded_by]
                   for name, r in records.items()])


def listing_key(world: str, day, records: dict[str, SiteRecord]) -> str:
    """What the index, dashboard, search page, 404 page, API and feed show: every record but its hash and
    words (an edit of a PEP's text alone changes neither), the world (site key, git) and the day (ages)."""
    fields = [record.to_cache() for record in records.values()]
    # repr, not marshal: marshal's bytes depend on which equal strings are one object (interned, shared)
    return digest(world, str(day), repr([values[:1] + values[2:] for values in fields]).encode("utf-8"))


def page_key(state, site: str, record: SiteRecord) -> str:
    """What one PEP's page shows: its file, and from elsewhere the pages its links go to, the titles and
    statuses of its predecessors and successors, its timeline and its last commit."""
    links = [[link, state.resolve(link)] for link in record.links]
    timeline = [change.to_json() for change in state.timeline(record.file)]
    return digest(site, record.hash, links, state.neighbours(record), timeline, state.last_changes.get(record.file),
                  state.history_known)
