"""Search: what each PEP's record carries for it, and the sharded index the site's search reads.

A record (made once per version of a file, in whichever process reads it; see reading.py)
carries two things for search, both small:

- ``terms``: the distinct words of the PEP, each in the best place it appears: four
  space-separated lines (title and label; headings and authors; body words seen three
  times or more; other body words), lower-case;
- ``passages``: its text as plain passages, each a heading and the text under it
  (headings never glued to the text, underscores kept, no space before punctuation),
  JSON, zlib-compressed; cut to PASSAGE_BUDGET characters in all.

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
import re
import string
import sys
import time
import zlib
from collections import Counter

from pepctl.fsutil import atomic_write
from pepctl.site.records import pep_label

SCHEMA_VERSION = 2  # of the published files (manifest.json says it)
STATE_VERSION = "search-2"  # of what the cache keeps; a change means a full index build
WORD_RE = re.compile(r"[^\W_]{2,}")  # words: letters and digits, two or more (`_` and punctuation split words)
SUMMARY_LENGTH = 280
PASSAGE_BUDGET = 16_000  # characters of passages kept per PEP (the snippets of its results come from them)
FREQUENT = 3  # a body word seen this many times is "often"
TITLE, HEADING, OFTEN, ONCE = 3, 2, 1, 0  # where a word is in a PEP (the lines of `terms`, best first)
SHARD_BYTES = 24_000  # a shard is split when bigger (estimated bytes of JSON); a rebuild splits one past twice this
BUCKET = 64  # PEP ids per file of stored terms in the cache
FOLDER = "search"
ENGLISH = None  # the Snowball stemmer, made on first use

MARKDOWN_NOISE_RE = re.compile(
    r"<!--.*?-->"  # comments
    r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$"  # link reference definitions
    r"|^ {0,3}(?:```|~~~)[^\n]*$"  # fence lines
    r"|<[^>\n]+>"  # tags
    r"|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[`*_>#|\[\]~]",
    re.S | re.M,
)


def plain_summary(text: str) -> str:
    text = " ".join(MARKDOWN_NOISE_RE.sub(" ", text).split())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


# -- passages: a body (Markdown or reStructuredText) as plain text under its headings ----------

# Each pattern starts with a literal (\n: the text gets one in front) or a few characters, so that
# the regex engine skips to the places that can match at C speed.
HEADING_RE = re.compile(
    r"\n(?:(?P<fence> {0,3}(?P<run>`{3,}|~{3,})[^\n]*\n(?:[^\n]*\n)*? {0,3}(?P=run)[`~]*[ \t]*(?=\n))"  # code
    r"| {0,3}#{1,6}(?:[ \t]+(?P<atx>[^\n]*?))?(?:[ \t]+#+)?[ \t]*(?=\n)"  # # Heading
    r"|(?P<title>[^\s|>][^\n]*+)\n {0,3}(?P<under>[=\-~^\"'*+#:.])(?P=under)++[ \t]*+(?=\n))"  # Heading, underlined
    # (Markdown's setext, reStructuredText's sections); *+ and ++ never give back: no backtracking on each line
)
LINE_NOISE_RE = re.compile(
    r"\n(?: {0,3}(?:```|~~~)[^\n]*"  # fence lines
    r"| {0,3}\[[^\]\n]+\]:[^\n]*"  # link reference definitions and footnotes
    r"|[ \t]*[|:\- \t]*-[|:\- \t]*(?=\n)"  # table rules
    r"|[ \t]*([=\-~^\"'*+#:._])\1{2,}[ \t]*(?=\n)"  # rules, reStructuredText over- and underlines
    r"|[ \t]*\.\. [^\n]*"  # reStructuredText comments and directive lines
    r"|[ \t]*(?:>[ \t>]*)?(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?"  # list items, task boxes
    r"|[ \t]*>[ \t>]*)",  # quotes
)
INLINE_RE = re.compile(
    r"<!--.*?-->"  # a comment: nothing
    r"|`(`*)([^\n]+?)`\1"  # code (on one line): its text as it is (2)
    r"|!\[([^\]\n]*)\]\([^)\n]*\)"  # an image: its alt text (3)
    r"|\[\^[^\]\n]*\]"  # a footnote reference: nothing
    r"|\[([^\]\n]+)\](?:\((?:[^()\n]|\([^)\n]*\))*\)|\[[^\]\n]*\])"  # a link: its text (4)
    r"|<((?:https?|mailto):[^>\s]+)>"  # an autolink: the address (5)
    r"|</?[A-Za-z][^>\n]*>"  # a tag: nothing
    r"|\\([!-/:-@\[-`{-~])"  # an escaped character: itself (6)
    r"|:[\w.+-]+:(?=`)"  # a reStructuredText role: nothing (its text follows)
    r"|_(_*)"  # underscores: kept inside words, else emphasis: nothing (7)
    r"|\*\**|~~|\|",  # stars of emphasis, strike-through: nothing; table bars: a space
    re.S,
)
INLINE_RST_LINK_RE = re.compile(r"`([^`<\n]+?)\s*<[^`>\n]*>`_{1,2}")
ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _inline(match: re.Match) -> str:
    group = match.lastindex
    if group == 1:  # code: the second group holds its text
        return match.group(2).strip()
    if group == 7:  # underscores between two letters or digits stay (snake_case)
        text, start, end = match.string, match.start(), match.end()
        if 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
            return match.group(0)
        return ""
    if group is not None:
        return match.group(group)
    return " " if match.group(0) == "|" else ""


def plain_text(text: str) -> str:
    """Markdown (or reStructuredText) as the plain text a reader sees, on one line."""
    if not text:
        return ""
    text = LINE_NOISE_RE.sub("\n", "\n" + text)
    if "`_" in text:
        text = INLINE_RST_LINK_RE.sub(r"\1", text)
    text = INLINE_RE.sub(_inline, text)
    if "&" in text:
        import html

        text = ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return " ".join(text.split())


def passages_of(body: str) -> list[tuple[str, str]]:
    """(heading, text) of each part of a body: the part before the first heading has no heading;
    parts with neither heading nor text are left out. Code blocks stay as they are (their lines
    joined), prose is made plain."""
    parts: list[tuple[str, list[str]]] = []
    heading, pieces = "", []
    body = "\n" + body
    at = 0
    for match in HEADING_RE.finditer(body):
        if match.start() > at:
            pieces.append(plain_text(body[at : match.start()]))
        code = match.group("fence")
        if code is not None:
            lines = code.split("\n")
            pieces.append(" ".join(" ".join(lines[1:-1]).split()))
        else:
            parts.append((heading, pieces))
            title = match.group("atx") if match.group("title") is None else match.group("title")
            heading, pieces = plain_text(title or ""), []
        at = match.end()
    pieces.append(plain_text(body[at:]))
    parts.append((heading, pieces))
    out = []
    for heading, pieces in parts:
        text = " ".join(piece for piece in pieces if piece)
        if heading or text:
            out.append((heading, text))
    return out


def trimmed(passages: list[tuple[str, str]], budget: int = PASSAGE_BUDGET) -> list[tuple[str, str]]:
    """The passages cut to `budget` characters in all: each keeps its start, long ones give up most."""
    total = sum(len(text) for _, text in passages)
    if total <= budget:
        return passages
    lengths = sorted(len(text) for _, text in passages)
    cap, left, count = 0, budget, len(lengths)
    for length in lengths:  # the largest cap under which everything fits ("water filling")
        share = left // count
        if length > share:
            cap = share
            break
        left -= length
        count -= 1
    else:
        cap = budget
    out = []
    for heading, text in passages:
        if len(text) > cap:
            cut = text[:cap].rsplit(" ", 1)[0] if " " in text[:cap] else text[:cap]
            text = cut + " …"
        out.append((heading, text))
    return out


def tokens(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


# One pass over UTF-8 bytes: ASCII upper case to lower case, ASCII punctuation to spaces. Splitting
# on the result leaves few distinct pieces; a piece of ASCII letters and digits is a word as it is.
FOLD = bytes.maketrans(bytes(string.ascii_uppercase + string.punctuation, "ascii"),
                       bytes(string.ascii_lowercase + " " * len(string.punctuation), "ascii"))


def word_counts(text: str) -> dict[bytes, int]:
    """How often each word (WORD_RE's, lower-case, as UTF-8) is in a text, in order of first appearance:
    the words of WORD_RE over the lower-cased text, found in a third of the time."""
    counts = Counter(text.encode("utf-8").translate(FOLD).split())
    out: dict[bytes, int] = {}
    for piece, count in counts.items():
        if piece.isalnum():  # bytes.isalnum() is ASCII only
            if len(piece) > 1:
                out[piece] = out.get(piece, 0) + count
        else:  # non-ASCII letters, or other characters: the regex decides
            for word in WORD_RE.findall(piece.decode("utf-8").lower()):
                word = word.encode("utf-8")
                out[word] = out.get(word, 0) + count
    return out


def record_fields(title: str, label: str, authors: str, body: str) -> tuple[bytes, bytes]:
    """(terms, passages) of a PEP for its record: see the module's docstring."""
    passages = passages_of(body)
    counts = word_counts(" ".join([text for _, text in passages]))
    top = word_counts(f"{title} {label}")
    headings = [word for word in word_counts(" ".join([authors] + [heading for heading, _ in passages]))
                if word not in top]
    seen = set(headings)
    seen.update(top)
    often = [word for word, count in counts.items() if count >= FREQUENT and word not in seen]
    seen.update(often)
    once = [word for word in counts if word not in seen]
    terms = b"\n".join([b" ".join(top), b" ".join(headings), b" ".join(often), b" ".join(once)])
    data = json.dumps(trimmed(passages), ensure_ascii=False, separators=(",", ":"))
    return terms, zlib.compress(data.encode("utf-8"), 1)


def unreadable_fields(name: str, label: str) -> tuple[bytes, bytes]:
    """A file that cannot be read as a PEP is found by the words of its name."""
    words = " ".join(dict.fromkeys(tokens(f"{label} {name}")))
    return f"{words}\n\n\n".encode("utf-8"), zlib.compress(b"[]")


def terms_of(terms: bytes) -> dict[str, int]:
    """A record's terms as {word: place}."""
    places = {}
    for line, place in zip(terms.decode("utf-8").split("\n"), (TITLE, HEADING, OFTEN, ONCE)):
        for word in line.split():
            places[word] = place
    return places


# -- words, stems and shards ------------------------------------------------------------------

def stems_of(words: list[str]) -> list[str]:
    """The Snowball English stems of lower-case words (the search page's script stems alike, with
    the JavaScript that Snowball makes from the same algorithm). snowballstemmer uses PyStemmer's C
    code when it is installed (the `site` extra installs it): the same stems, fifty times faster."""
    global ENGLISH
    if ENGLISH is None:
        import snowballstemmer

        try:  # PyStemmer itself: without its cache of recent words (a full build stems each word once)
            import Stemmer

            ENGLISH = Stemmer.Stemmer("english", 0)
        except ImportError:
            ENGLISH = snowballstemmer.stemmer("english")
    return ENGLISH.stemWords(words)


MAX_KEY = 12  # no shard key is longer


def route(word: str, keys, longest: int = MAX_KEY) -> str:
    """The shard of a word: the longest key it starts with ('' holds the rest); `longest`: the
    length of the longest key, when known."""
    for end in range(min(len(word), longest), 0, -1):
        if word[:end] in keys:
            return word[:end]
    return ""


def shard_name(key: str) -> str:
    """The file of a shard (the script names it alike): ASCII letters and digits as they are, else hex."""
    if not key:
        return "_"
    if key.isascii() and key.isalnum():
        return key
    return "x" + key.encode("utf-8").hex()


def entry_size(word: str, postings: str) -> int:
    """About what a word's entry costs in a shard, in bytes of JSON."""
    return 2 * len(word) + 12 + len(postings)


def layout(sizes: dict[str, int], limit: int | None = None, start: str = "") -> set[str]:
    """The shard keys for words of these sizes (all starting with `start`): the words under a prefix
    stay together while they fit in `limit`; past it, the biggest groups under longer prefixes get
    shards of their own, until what is left fits (`limit`: SHARD_BYTES)."""
    limit = SHARD_BYTES if limit is None else limit
    keys: set[str] = set()

    def split(key: str, words: list[str]) -> None:
        total = sum(sizes[w] for w in words)
        if total <= limit or len(key) >= MAX_KEY:
            keys.add(key)
            return
        groups: dict[str, list[str]] = {}
        for word in words:
            if len(word) > len(key):
                groups.setdefault(word[: len(key) + 1], []).append(word)
        weights = {child: sum(sizes[w] for w in group) for child, group in groups.items()}
        left = len(words)
        for child in sorted(groups, key=lambda c: (-weights[c], c)):
            if total <= limit:
                break
            total -= weights[child]
            left -= len(groups[child])
            split(child, groups[child])
        if left or key == start:  # a key that would hold no word is left out
            keys.add(key)

    split(start, sorted(sizes))
    return keys


MARK = {TITLE: "t", HEADING: "h", OFTEN: "o", ONCE: ""}  # how a posting says where the word is
PLACE_OF = {"t": TITLE, "h": HEADING, "o": OFTEN}


def postings_of(text: str) -> dict[int, int]:
    """A word's postings ("12,45o,78t") as {id: place}."""
    found = {}
    for token in text.split(","):
        place = PLACE_OF.get(token[-1])
        found[int(token if place is None else token[:-1])] = ONCE if place is None else place
    return found


def postings_text(found: dict[int, int]) -> str:
    return ",".join([f"{pep_id}{MARK[found[pep_id]]}" for pep_id in sorted(found)])


class Shard:
    """A shard's words: word -> (stem, postings), the postings a string of the ids of the PEPs that
    have the word, in id order, each followed by where the word is in it ("12,45o,78t": once in
    PEP 12, often in 45, in the title of 78), as published: a full build makes it with one join per
    word, a rebuild reads the published shard back and takes apart only the words that changed."""

    __slots__ = ("words",)

    def __init__(self, words: dict | None = None):
        self.words: dict[str, tuple[str, str]] = words if words is not None else {}

    def size(self) -> int:
        return sum(entry_size(word, postings) for word, (_, postings) in self.words.items())

    def to_json(self, cross: dict[str, list[str]]) -> bytes:
        """The published shard: {"w": [[word, stem, postings], ...], "x": {stem: [words elsewhere]}}.
        `stem` is 0 when the word is its own stem, the stem's length when the stem begins the word,
        else the stem; `postings` as above. `x` lists, for the stems whose shard this is (the shard
        of the stem itself), their words that are in other shards."""
        entries = []
        for word in sorted(self.words):
            st, postings = self.words[word]
            entries.append([word, 0 if st == word else len(st) if word.startswith(st) else st, postings])
        data: dict = {"w": entries}
        if cross:
            data["x"] = {st: sorted(words) for st, words in sorted(cross.items())}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- publishing ---------------------------------------------------------------------------------

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
    if old is not None:
        try:
            with open(os.path.join(writer.out_dir, FOLDER, "manifest.json"), "rb") as handle:
                if handle.read() != old["manifest"]:
                    old = None
        except OSError:
            old = None
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
        numbers = sorted((record.pep.number, self.ids[record.pep.path]) for record in self.state.ordered
                         if isinstance(record.pep.number, int))
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
        remove_stale(self.writer.out_dir, set(ids.values()), shard_keys)
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
            unlink(os.path.join(self.writer.out_dir, FOLDER, "d", f"{pep_id}.json"))

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
        for key in [key for key, shard in touched.items() if shard.size() > 2 * SHARD_BYTES]:  # split what grew
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


def cross_lists(groups: dict[str, list[str]], shard_keys) -> dict[str, dict[str, list[str]]]:
    """For each shard, the stems whose home it is (the shard of the stem itself) that have words in
    other shards: stem -> those words. The script fetches a stem's home with the word's own shard."""
    cross: dict[str, dict[str, list[str]]] = {}
    longest = max(map(len, shard_keys))
    for st, words in groups.items():
        home = route(st, shard_keys, longest)
        outside = [word for word in words if word != st and route(word, shard_keys, longest) != home]
        if outside:
            cross.setdefault(home, {})[st] = outside
    return cross


def unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove_stale(out_dir: str, ids: set[int], shard_keys: set[str]) -> None:
    """After a full build: the files of PEPs and shards that are no more (from an older index), and
    the single-file index of earlier versions."""
    unlink(os.path.join(out_dir, "search-index.json"))
    for sub, keep in (("d", {f"{n}.json" for n in ids}), ("s", {shard_name(k) + ".json" for k in shard_keys})):
        folder = os.path.join(out_dir, FOLDER, sub)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.endswith(".json") and name not in keep:
                unlink(os.path.join(folder, name))
