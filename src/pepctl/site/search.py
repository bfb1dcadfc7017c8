"""Search: the sharded index the site's search page reads, built whole or updated where PEPs changed.

A record carries two things for search (searchtext.py): ``terms``, the PEP's distinct words by
the best place they appear in, and ``passages``, its text as plain passages under their headings.

``publish(state, writer, cache_dir)`` turns them into the files the search page reads,
all under ``search/``:

- ``manifest.json``: the shard keys, the number of PEPs, which PEP has which number, and a version
  that changes with any file of the index (the script asks for the other files with ``?v=`` and
  it, so that no browser mixes a new manifest with shards it cached before);
- ``s/<key>.json``: one shard per word prefix: each word that starts with the shard's
  key (and with no longer key), its Snowball stem and the PEPs it is in (with where in
  them: title, heading, often, once); shards split until each is small;
- ``d/<id>.json``: one PEP's link, label, title, status and passages, fetched for the
  results shown.

A query fetches the manifest, the shards of its words and the passages of the results it
shows, never the whole index. The state that lets a rebuild touch only what changed is kept
in the build cache (``cache.cache_dir``): which PEP has which id and what it looked like,
each PEP's terms (in buckets of BUCKET ids), the stems' words; the shards themselves are read
back from the published folder (whose manifest must be the one the cache remembers). A rebuild
compares every record's key with the stored one and rewrites only the shards of the words that
came, went or moved, and the passages of the PEPs that changed; everything published goes
through the builder's Writer (atomic, written only when the bytes change).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import time
import zlib

from pepctl.fsutil import atomic_write
from pepctl.record import json_safe
from pepctl.site import searchfiles, searchshards
from pepctl.site.records import pep_label
from pepctl.site.searchshards import (
    MARK, Shard, cross_lists, entry_size, layout, postings_of, postings_text, route, shard_name, stems_of)
from pepctl.site.searchtext import HEADING, OFTEN, ONCE, TITLE, terms_of

SCHEMA_VERSION = 2  # of the published files (manifest.json says it)
STATE_VERSION = "search-2"  # of what the cache keeps; a change means a full index build
BUCKET = 64  # PEP ids per file of stored terms in the cache
FOLDER = searchfiles.FOLDER


def doc_key(record, label: str, status: str) -> str:
    """What a PEP's passage file and terms come from (its record) and what the file shows besides,
    as one string (compared, not hashed: ten thousand hashes cost more than the rest of a rebuild)."""
    return "\x00".join((STATE_VERSION, record.hash, record.url, label, record.title, status))


def doc_json(record, label: str, status: str) -> bytes:
    """A PEP's file for the results: [url, label, title, status, [[heading, text], ...]]."""
    head = json.dumps([record.url, label, record.title, status], ensure_ascii=False, separators=(",", ":"))
    return head[:-1].encode("utf-8") + b"," + zlib.decompress(record.passages) + b"]"


class Store:
    """What the cache keeps of the search index, in `cache_dir`/search: read and written piece by piece."""

    def __init__(self, cache_dir: str):
        self.folder = os.path.join(cache_dir, FOLDER)

    def _read(self, *parts: str) -> bytes | None:
        try:
            with open(os.path.join(self.folder, *parts), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def _write(self, data: bytes, *parts: str) -> None:
        path = os.path.join(self.folder, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, data, durable=False)

    def load_state(self) -> dict | None:
        data = self._read("state.marshal")
        try:
            state = marshal.loads(data) if data else None
        except (EOFError, ValueError, TypeError):
            return None
        return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else None

    def save_state(self, state: dict) -> None:
        self._write(marshal.dumps(state), "state.marshal")

    def load_bucket(self, number: int) -> dict[int, bytes]:
        data = self._read("terms", f"{number}.marshal")
        return marshal.loads(data) if data else {}

    def save_bucket(self, number: int, terms: dict[int, bytes]) -> None:
        self._write(marshal.dumps(terms), "terms", f"{number}.marshal")


def load_shard(out_dir: str, key: str) -> Shard:
    """A published shard, read back (a rebuild changes the few it must; the cache keeps no copy)."""
    try:
        with open(os.path.join(out_dir, FOLDER, "s", shard_name(key) + ".json"), "rb") as handle:
            data = json.loads(handle.read())
    except FileNotFoundError:
        return Shard()
    words = {}
    for word, short, postings in data["w"]:
        words[word] = (word if short == 0 else word[:short] if isinstance(short, int) else short, postings)
    return Shard(words)


def publish(state, writer, cache_dir: str) -> dict:
    """Write the search index of a build (see the module's docstring): only what changed since the
    build that `cache_dir` remembers, or everything when it remembers none (or the published
    manifest is not the one it remembers). Returns what it did, for tests and benchmarks:
    {"full": bool, "docs": PEP files written, "shards": shard files written}."""
    store = Store(cache_dir)
    labels, keys = {}, {}
    groups = state.groups
    for record in state.ordered:
        name = record.pep.path
        label = labels[name] = pep_label(record.pep.number)
        keys[name] = doc_key(record, label, groups[name])
    old = store.load_state()
    if old is not None and not searchfiles.published(writer.out_dir, old):
        old = None  # the output folder was emptied, built with another cache, or lost some of the index
    if old is not None:
        try:
            return Index(state, writer, store, labels, keys, old).update()
        except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            pass  # a cache that cannot be read or does not fit: the whole index again
    return Index(state, writer, store, labels, keys, None).full()


class Trace:
    """CPU and wall time of each phase on stderr when PEPCTL_SITE_TRACE is set (for benchmarking)."""

    def __init__(self):
        self.enabled = bool(os.environ.get("PEPCTL_SITE_TRACE"))
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def __call__(self, what: str) -> None:
        if self.enabled:
            cpu, wall = time.process_time(), time.perf_counter()
            sys.stderr.write(f"[search] {what}: {cpu - self.cpu:.3f} s CPU, {wall - self.wall:.3f} s\n")
            self.cpu, self.wall = cpu, wall


class Index:
    """One build's work on the search index: the whole of it, or what changed."""

    def __init__(self, state, writer, store: Store, labels: dict, keys: dict, old: dict | None):
        self.state, self.writer, self.store, self.labels, self.keys = state, writer, store, labels, keys
        self.old = old
        self.ids = self._ids()
        self.trace = Trace()

    def _ids(self) -> dict[str, int]:
        """Each file's id: kept from the last build; new files take the lowest free ids."""
        records = self.state.records
        ids = {name: pep_id for name, pep_id in (self.old["ids"] if self.old else {}).items() if name in records}
        used = set(ids.values())
        free = (n for n in range(len(records) + len(used) + 1) if n not in used)
        for record in self.state.ordered:
            if record.pep.path not in ids:
                ids[record.pep.path] = next(free)
        return ids

    def manifest(self, shard_keys) -> bytes:
        # a number a JSON reader would round (a 32-digit PEP field) is left out: the page could not find it
        numbers = sorted((record.pep.number, self.ids[record.pep.path]) for record in self.state.ordered
                         if isinstance(record.pep.number, int) and json_safe(record.pep.number) is not None)
        flat, last_number, last_id = [], 0, 0
        for number, pep_id in numbers:
            flat += [number - last_number, pep_id - last_id]
            last_number, last_id = number, pep_id
        keys = "\n".join(sorted(self.keys.values())).encode("utf-8", "surrogatepass")
        version = hashlib.blake2b(keys, digest_size=6).hexdigest()  # changes with any file of the index
        data = {"schema_version": SCHEMA_VERSION, "version": version, "count": len(self.ids),
                "keys": sorted(shard_keys), "numbers": flat}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def write_doc(self, record) -> None:
        self.writer.write_if_changed(f"{FOLDER}/d/{self.ids[record.file]}.json",
                                     doc_json(record, self.labels[record.file], self.state.groups[record.file]))

    def write_shard(self, key: str, shard: Shard, cross: dict[str, list[str]]) -> None:
        self.writer.write_if_changed(f"{FOLDER}/s/{shard_name(key)}.json", shard.to_json(cross))

    def finish(self, shard_keys: set[str], groups: dict, cross: dict) -> bytes:
        manifest = self.manifest(shard_keys)
        self.writer.write_if_changed(f"{FOLDER}/manifest.json", manifest)
        self.store.save_state({"version": STATE_VERSION, "ids": self.ids, "keys": self.keys,
                               "shards": sorted(shard_keys), "groups": groups, "cross": cross,
                               "manifest": manifest})
        return manifest

    # -- everything --------------------------------------------------------------------------

    def full(self) -> dict:
        ids = self.ids
        lists: dict[str, list[str]] = {}
        buckets: dict[int, dict[int, bytes]] = {}
        for record in sorted(self.state.ordered, key=lambda r: ids[r.file]):
            pep_id = ids[record.file]
            buckets.setdefault(pep_id // BUCKET, {})[pep_id] = record.terms
            for line, place in zip(record.terms.decode("utf-8").split("\n"), (TITLE, HEADING, OFTEN, ONCE)):
                token = f"{pep_id}{MARK[place]}"
                for word in line.split():
                    found = lists.get(word)
                    if found is None:
                        lists[word] = [token]
                    else:
                        found.append(token)
        postings = {}
        for word in list(lists):  # each list freed as its string is made: the two never all at once
            postings[word] = ",".join(lists.pop(word))
        del lists
        self.trace(f"postings of {len(postings)} words")
        words = list(postings)
        stems = dict(zip(words, stems_of(words)))
        self.trace("stems")
        shard_keys = layout({word: entry_size(word, found) for word, found in postings.items()})
        self.trace(f"layout: {len(shard_keys)} shards")
        shards = {key: Shard() for key in shard_keys}
        longest = max(map(len, shard_keys))
        for word, found in postings.items():
            shards[route(word, shard_keys, longest)].words[word] = (stems[word], found)
        del postings
        groups: dict[str, list[str]] = {}
        for word in sorted(stems):
            groups.setdefault(stems[word], []).append(word)
        cross = cross_lists(groups, shard_keys)
        self.trace("shards and stem groups")
        for key in list(shards):
            self.write_shard(key, shards.pop(key), cross.get(key, {}))
        self.trace("shards written")
        for record in self.state.ordered:
            self.write_doc(record)
        self.trace("passages written")
        for number, terms in buckets.items():
            self.store.save_bucket(number, terms)
        self.finish(shard_keys, groups, cross)
        searchfiles.remove_stale(self.writer, set(ids.values()), shard_keys)
        self.trace("terms kept, manifest")
        return {"full": True, "docs": len(ids), "shards": len(shard_keys)}

    # -- what changed ------------------------------------------------------------------------

    def update(self) -> dict:
        old, ids, store = self.old, self.ids, self.store
        old_ids, old_keys = old["ids"], old["keys"]
        changed = [record for record in self.state.ordered if old_keys.get(record.pep.path) != self.keys[record.pep.path]]
        gone = [name for name in old_ids if name not in self.state.records]
        buckets: dict[int, dict[int, bytes]] = {}

        def bucket(pep_id: int) -> dict[int, bytes]:
            number = pep_id // BUCKET
            if number not in buckets:
                buckets[number] = store.load_bucket(number)
            return buckets[number]

        # word -> {id: its place now, or None}: from the old and new terms of the PEPs that changed
        moves: dict[str, dict[int, int | None]] = {}
        for name in gone:
            pep_id = old_ids[name]
            for word in terms_of(bucket(pep_id).pop(pep_id, None) or b"\n\n\n"):
                moves.setdefault(word, {})[pep_id] = None
        for record in changed:
            pep_id = ids[record.file]
            known = bucket(pep_id)
            before = known.get(pep_id) if old_ids.get(record.file) == pep_id else None
            known[pep_id] = record.terms
            if before == record.terms:
                continue
            was, now = terms_of(before) if before else {}, terms_of(record.terms)
            for word, place in now.items():
                if was.get(word) != place:
                    moves.setdefault(word, {})[pep_id] = place
            for word in was:
                if word not in now:
                    moves.setdefault(word, {})[pep_id] = None
        for pep_id in set(old_ids.values()) - set(ids.values()):  # an id no file has now: drop its file
            self.writer.remove(f"{FOLDER}/d/{pep_id}.json")

        old_shard_keys = set(old["shards"])
        shard_keys = set(old_shard_keys)
        groups: dict[str, list[str]] = old["groups"]
        word_stem = {}  # the stems of the words that came or went
        touched: dict[str, Shard] = {}
        for word, change in moves.items():
            key = route(word, shard_keys)
            shard = touched.get(key)
            if shard is None:
                shard = touched[key] = load_shard(self.writer.out_dir, key)
            entry = shard.words.get(word)
            kept = postings_of(entry[1]) if entry else {}
            for pep_id, place in change.items():
                if place is None:
                    kept.pop(pep_id, None)
                else:
                    kept[pep_id] = place
            if kept:
                st = entry[0] if entry else None
                if st is None:
                    st = word_stem[word] = stems_of([word])[0]
                shard.words[word] = (st, postings_text(kept))
            elif entry:
                del shard.words[word]
                word_stem[word] = entry[0]
        for word, st in word_stem.items():  # keep the stem groups up to date
            members = set(groups.get(st, ()))
            members.symmetric_difference_update((word,))
            if members:
                groups[st] = sorted(members)
            else:
                groups.pop(st, None)
        affected = set(word_stem.values())
        for key in [key for key, shard in touched.items() if shard.size() > 2 * searchshards.SHARD_BYTES]:  # split what grew
            shard = touched.pop(key)
            sizes = {word: entry_size(word, p) for word, (_, p) in shard.words.items()}
            below = layout(sizes, start=key) - {key}
            shard_keys |= below
            for k in below | {key}:
                touched[k] = Shard()
            for word, entry in shard.words.items():
                touched[route(word, shard_keys)].words[word] = entry
                affected.add(entry[0])
        new_keys = shard_keys - old_shard_keys
        if new_keys:  # stems under a new key now have their home there
            affected.update(st for st in groups if any(st.startswith(k) for k in new_keys))
        cross = old["cross"]
        for st in affected:  # each stem's words outside its home shard, listed in its home shard
            before = route(st, old_shard_keys)
            home = route(st, shard_keys)
            had = cross.get(before, {}).pop(st, None)
            outside = [word for word in groups.get(st, ()) if route(word, shard_keys) != home]
            if outside:
                cross.setdefault(home, {})[st] = outside
            if had != outside or before != home:
                for key in {before, home}:
                    if key not in touched:
                        touched[key] = load_shard(self.writer.out_dir, key)
        for key, shard in touched.items():
            self.write_shard(key, shard, cross.get(key, {}))
        for record in changed:
            self.write_doc(record)
        for number, terms in buckets.items():
            store.save_bucket(number, terms)
        self.finish(shard_keys, groups, cross)
        return {"full": False, "docs": len(changed), "shards": len(touched)}
