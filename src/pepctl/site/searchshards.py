"""Search: the words of the index, their Snowball stems, and the shards (files by word prefix) they go to.

A shard holds the words that start with its key (and with no longer key), each with its stem and
its postings; shards split until each is small (SHARD_BYTES). search.py builds and updates them.
"""

from __future__ import annotations

import json

from pepctl.site.searchtext import HEADING, OFTEN, ONCE, TITLE

SHARD_BYTES = 24_000  # a shard is split when bigger (estimated bytes of JSON); a rebuild splits one past twice this
ENGLISH = None  # the Snowball stemmer, made on first use


def stems_of(words: list[str]) -> list[str]:
    """The Snowball English stems of lower-case words. The shards carry each word's stem: the search
    page stems nothing itself (a query word the index lacks finds its stem through a word or stem of
    the index and a common ending, see static/search.js). snowballstemmer uses PyStemmer's C code
    when it is installed (the `site` extra installs it): the same stems, fifty times faster."""
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
