"""Search, what each PEP's record carries for it: a body as plain passages, and its words by place.

A record (made once per version of a file, in whichever process reads it; see reading.py)
carries two things for search, both small:

- ``terms``: the distinct words of the PEP, each in the best place it appears: four
  space-separated lines (title and label; headings and authors; body words seen three
  times or more; other body words), lower-case;
- ``passages``: its text as plain passages, each a heading and the text under it
  (headings never glued to the text, underscores kept, no space before punctuation),
  JSON, zlib-compressed; cut to PASSAGE_BUDGET characters in all.

search.py makes the published index of them; searchshards.py how words are stemmed and
shared out into files.
"""

from __future__ import annotations

import json
import re
import string
import zlib
from collections import Counter

WORD_RE = re.compile(r"[^\W_]{2,}")  # words: letters and digits, two or more (`_` and punctuation split words)
SUMMARY_LENGTH = 280
PASSAGE_BUDGET = 16_000  # characters of passages kept per PEP (the snippets of its results come from them)
FREQUENT = 3  # a body word seen this many times is "often"
TITLE, HEADING, OFTEN, ONCE = 3, 2, 1, 0  # where a word is in a PEP (the lines of `terms`, best first)

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
