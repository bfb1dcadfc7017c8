"""Search: the words and summary of each PEP (made with its record), and search-index.json."""

from __future__ import annotations

import json
import re
import string

from pepctl.site.records import pep_label

SCHEMA_VERSION = 1
WORD_RE = re.compile(r"[^\W_]{2,}")
MARKDOWN_NOISE_RE = re.compile(
    r"<!--.*?-->"  # comments
    r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$"  # link reference definitions
    r"|^ {0,3}(?:```|~~~)[^\n]*$"  # fence lines
    r"|<[^>\n]+>"  # tags
    r"|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[`*_>#|\[\]~]",
    re.S | re.M,
)
SUMMARY_LENGTH = 280

# One pass over a file's bytes: ASCII upper case to lower case, ASCII punctuation to spaces.
# Splitting on the result leaves few distinct pieces for the word regex.
FOLD = bytes.maketrans(bytes(string.ascii_uppercase + string.punctuation, "ascii"),
                       bytes(string.ascii_lowercase + " " * len(string.punctuation), "ascii"))
SINGLES = [bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyz0123456789"]  # ASCII pieces too short to be words


def words_of(data: bytes, *texts: str) -> bytes:
    """The distinct words (two characters or more) of a file's bytes and some texts, lower-cased.

    The same words as WORD_RE over the whole lower-cased text, in a third of the time: the bytes
    are split on ASCII space and punctuation; a piece of two or more ASCII letters and digits is a
    word as it is, and only the other pieces (with non-ASCII letters, or control characters) go
    through the regex. Returned space-separated in UTF-8 (as the search index is written), each
    word once, in the order of first appearance (so the same file always gives the same bytes).
    """
    pieces = dict.fromkeys(data.translate(FOLD).split())  # a dict: first-seen order, the same every run
    odd = [piece for piece in pieces if not piece.isalnum()]  # bytes.isalnum() is ASCII only
    for piece in odd:
        del pieces[piece]
    for piece in SINGLES:
        pieces.pop(piece, None)
    rest = b" ".join(odd).decode("utf-8", "replace") + " " + " ".join(texts)
    extra = dict.fromkeys(word for word in WORD_RE.findall(rest.lower())
                          if not (word.isascii() and word.encode("ascii") in pieces))
    text = b" ".join(pieces)
    if extra:
        more = " ".join(extra).encode("utf-8")
        text = text + b" " + more if text else more
    return text


def plain_summary(text: str) -> str:
    text = " ".join(MARKDOWN_NOISE_RE.sub(" ", text).split())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


def search_index(state) -> bytes:
    """Titles, statuses and the distinct words of every PEP, for the client-side search.

    One entry per PEP: [page, label, title, status, summary, words]; ``words``
    is a space-separated list of the distinct lower-case words of the page,
    which the script scans with prefix matching. No inverted index is
    shipped: the word lists compress well and the browser builds what it
    needs. The word lists (UTF-8 bytes, made with the records) hold letters
    and digits only, which JSON writes as they are: they go into the file
    as they are, not through the encoder (the same bytes as json.dumps would
    write, in a fifth of the time).
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    groups = state.groups
    docs = []
    for record in state.ordered:
        meta = encode([record.url, pep_label(record.pep.number), record.title, groups[record.file], record.summary])
        docs.append(meta[:-1].encode("utf-8") + b',"' + record.words + b'"]')
    head = encode({"schema_version": SCHEMA_VERSION, "fields": ["url", "pep", "title", "status", "summary", "words"]})
    return head[:-1].encode("utf-8") + b',"docs":[' + b",".join(docs) + b"]}"
