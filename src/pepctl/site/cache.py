"""The build cache, ``.pepctl-cache/`` in the output folder: what the next build reuses, and when.

It holds the last build's records (reused while a file's bytes are the same),
each PEP page's key (a hash of everything the page shows: a page is rendered
again only when its key changes) and the git history (reused while HEAD stays).
Written with marshal, the fastest to load of the standard library's formats.
Safe to delete: the next build renders every page again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import os
from typing import NamedTuple

import cmarkgfm
import jinja2
import nh3
import pygments

from pepctl.fsutil import atomic_write
from pepctl.site.markdown import RENDERER_VERSION
from pepctl.site.records import RECORD_VERSION, SiteRecord
from pepctl.site.templates import asset_files

# Part of every cache key: change it when the site's output changes shape.
SITE_VERSION = "3"
CACHE_DIR = ".pepctl-cache"
CACHE_FILE = "build.marshal"

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


class Cache(NamedTuple):
    site: str | None  # the key of everything every page depends on (see builder.site_key)
    records: dict[str, SiteRecord]  # by file name
    pages: dict[str, str]  # file name -> key of its page
    git: dict | None  # gitinfo.read_git's cache entry


EMPTY = Cache(None, {}, {}, None)


def cache_dir(out_dir: str) -> str:
    """The one place that decides where a site's build cache lives (the search index keeps its state there too)."""
    return os.path.join(out_dir, CACHE_DIR)


def load(out_dir: str) -> Cache:
    """The last build's cache in `out_dir`, or an empty one (none, unreadable, or of another version)."""
    path = os.path.join(cache_dir(out_dir), CACHE_FILE)
    try:
        with open(path, "rb") as handle:
            data = marshal.load(handle)
        if isinstance(data, dict) and data.get("version") == SITE_VERSION:
            records = {name: SiteRecord.from_cache(values) for name, values in marshal.loads(data["records"]).items()}
            return Cache(data["site"], records, data["pages"], data.get("git"))
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        pass
    return EMPTY


def records_blob(records: dict[str, SiteRecord]) -> bytes:
    """The records as the cache holds them (made before the pages, while the records are at hand)."""
    return marshal.dumps({name: record.to_cache() for name, record in records.items()})


def save(out_dir: str, site: str, records: bytes, pages: dict[str, str], git: dict | None) -> None:
    data = {"version": SITE_VERSION, "site": site, "records": records, "pages": pages, "git": git}
    folder = cache_dir(out_dir)
    os.makedirs(folder, exist_ok=True)
    atomic_write(os.path.join(folder, CACHE_FILE), marshal.dumps(data), durable=False)


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


def page_key(state, site: str, record: SiteRecord) -> str:
    """What one PEP's page shows: its file, and from elsewhere the pages its links go to, the titles and
    statuses of its predecessors and successors, its timeline and its last commit."""
    links = [[link, state.resolve(link)] for link in record.links]
    timeline = [change.to_json() for change in state.timeline(record.file)]
    return digest(site, record.hash, links, state.neighbours(record), timeline, state.last_changes.get(record.file),
                  state.history_known)
