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

import bisect
import functools
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

# What a pattern looks for past its start is bounded (a link's text, a tag, an address), so that a
# hostile line ("[a[a[a...", "<a<a<a...") costs time in proportion to its length, not its square.
MARKDOWN_NOISE_RE = re.compile(
    r"<!--.*?-->"  # comments
    r"|^ {0,3}\[[^\]\n]{1,500}\]:[^\n]*$"  # link reference definitions
    r"|^ {0,3}(?:```|~~~)[^\n]*$"  # fence lines
    r"|<[^>\n]{1,1000}>"  # tags
    r"|!\[[^\]]{0,500}\]\([^)]{0,1000}\)|\]\([^)]{0,1000}\)|[`*_>#|\[\]~]",
    re.S | re.M,
)


def closable_comments(text: str) -> str:
    """The text with a NUL in each `<!--` that no `-->` follows (it can start no comment, and the
    patterns would otherwise look for its end through the rest of the text from each one); a NUL
    is in no text read from a file: `unmarked` takes them out again."""
    last = text.rfind("-->")
    start = text.find("<!--", last + 3 if last >= 0 else 0)
    return text if start < 0 else text[:start] + text[start:].replace("<!--", "<!\x00--")


def unmarked(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text


def plain_summary(text: str) -> str:
    text = " ".join(unmarked(MARKDOWN_NOISE_RE.sub(" ", closable_comments(text))).split())
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


# -- passages: a body (Markdown or reStructuredText) as plain text under its headings ----------

# Each pattern starts with a literal (\n: the text gets one in front) or a few characters, so that
# the regex engine skips to the places that can match at C speed.
HEADINGS = (
    r"| {0,3}#{1,6}(?:[ \t]+(?P<atx>[^\n]*?))?(?:[ \t]+#+)?[ \t]*(?=\n)"  # # Heading
    r"|(?P<title>[^\s|>][^\n]*+)\n {0,3}(?P<under>[=\-~^\"'*+#:.])(?P=under)++[ \t]*+(?=\n))"  # Heading, underlined
    # (Markdown's setext, reStructuredText's sections); *+ and ++ never give back: no backtracking on each line
)
# A code fence's opening line; where its code ends is found apart (Fences), so that lines that open
# a fence no line closes cost nothing (a pattern would look for the end from each of them).
HEADING_RE = re.compile(r"\n(?:(?P<fence> {0,3}(?P<run>`{3,}+|~{3,}+)[^\n]*+(?=\n))" + HEADINGS)
HEADING_ONLY_RE = re.compile(r"\n(?:(?P<fence>(?!))" + HEADINGS)  # at an opening line no fence closes
CLOSER_RE = re.compile(r"\n {0,3}(`{3,}+|~{3,}+)[`~]*+[ \t]*+(?=\n)")
LINE_NOISE_RE = re.compile(
    r"\n(?: {0,3}(?:```|~~~)[^\n]*"  # fence lines
    r"| {0,3}\[[^\]\n]+\]:[^\n]*"  # link reference definitions and footnotes
    r"|(?=[|:\- \t]*?-)[|:\- \t]*+(?=\n)"  # table rules
    r"|[ \t]*([=\-~^\"'*+#:._])\1{2,}[ \t]*(?=\n)"  # rules, reStructuredText over- and underlines
    r"|[ \t]*\.\. [^\n]*"  # reStructuredText comments and directive lines
    r"|[ \t]*(?:>[ \t>]*)?(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?"  # list items, task boxes
    r"|[ \t]*>[ \t>]*)",  # quotes
)
INLINE_RE = re.compile(
    r"<!--.*?-->"  # a comment: nothing
    # code (on one line, opened by a whole run of backticks): its text as it is (2); the look back comes
    # after the first backtick, so the pattern still starts with a literal the engine can skip to
    r"|`(?<!``)(`*+)([^\n]+?)`\1"
    r"|!\[([^\]\n]{0,500})\]\([^)\n]{0,1000}\)"  # an image: its alt text (3)
    r"|\[\^[^\]\n]{0,500}\]"  # a footnote reference: nothing
    r"|\[([^\]\n]{1,500})\](?:\((?:[^()\n]|\([^)\n]{0,500}+\)){0,1000}\)|\[[^\]\n]{0,500}\])"  # a link: its text (4)
    r"|<((?:https?|mailto):[^>\s]{1,1000})>"  # an autolink: the address (5)
    r"|</?[A-Za-z][^>\n]{0,1000}>"  # a tag: nothing
    r"|\\([!-/:-@\[-`{-~])"  # an escaped character: itself (6)
    r"|:[\w.+-]+:(?=`)"  # a reStructuredText role: nothing (its text follows)
    r"|_(_*)"  # underscores: kept inside words, else emphasis: nothing (7)
    r"|\*\**|~~|\|"  # stars of emphasis, strike-through: nothing; table bars: a space
    r"|\[([^\]\n]{1,500})\](?![(\[:])",  # a shortcut reference link: its text, if its label is defined (8)
    re.S,
)
LINK_DEFINITION_RE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:", re.M)
INLINE_RST_LINK_RE = re.compile(r"`([^`<\n]+?)\s*<[^`>\n]*>`_{1,2}")
ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _inline(labels: frozenset, match: re.Match) -> str:
    group = match.lastindex
    if group == 8:  # [text]: a link when a definition gives its label an address, else text with brackets
        return match.group(8) if label_key(match.group(8)) in labels else match.group(0)
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


def label_key(label: str) -> str:
    """A link label as Markdown matches it: case and runs of white space do not count."""
    return " ".join(label.split()).casefold()


def link_labels(body: str) -> frozenset:
    """The labels the body's link reference definitions (`[label]: address`) define."""
    if "]:" not in body:
        return frozenset()
    return frozenset(label_key(label) for label in LINK_DEFINITION_RE.findall(body))


def plain_text(text: str, labels: frozenset = frozenset()) -> str:
    """Markdown (or reStructuredText) as the plain text a reader sees, on one line; `labels`: those
    of the document's link reference definitions (link_labels), whose shortcut links lose their brackets."""
    if not text:
        return ""
    text = LINE_NOISE_RE.sub("\n", "\n" + closable_comments(text))
    if "`_" in text:
        text = INLINE_RST_LINK_RE.sub(r"\1", text)
    text = INLINE_RE.sub(functools.partial(_inline, labels), text)
    if "&" in text:
        import html

        text = ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return " ".join(unmarked(text).split())


def passages_of(body: str) -> list[tuple[str, str]]:
    """(heading, text) of each part of a body: the part before the first heading has no heading;
    parts with neither heading nor text are left out. Code blocks stay as they are (their lines
    joined), prose is made plain."""
    parts: list[tuple[str, list[str]]] = []
    heading, pieces = "", []
    labels = link_labels(body)
    body = "\n" + body
    at = pos = 0
    fences = None
    while (match := HEADING_RE.search(body, pos)) is not None:
        end = match.end()
        if match.group("fence") is not None:
            fences = fences or Fences(body)
            close = fences.close(end, match.group("run"))
            if close is None:  # no fence: the line is text (or a heading's title)
                match = HEADING_ONLY_RE.match(body, match.start())
                if match is None:
                    pos = end
                    continue
                end = match.end()
        if match.start() > at:
            pieces.append(plain_text(body[at : match.start()], labels))
        if match.group("fence") is not None:
            pieces.append(" ".join(body[end : close[0]].split()))  # the code between the fences
            end = close[1]
        else:
            parts.append((heading, pieces))
            title = match.group("atx") if match.group("title") is None else match.group("title")
            heading, pieces = plain_text(title or "", labels), []
        at = pos = end
    pieces.append(plain_text(body[at:], labels))
    parts.append((heading, pieces))
    out = []
    for heading, pieces in parts:
        text = " ".join(piece for piece in pieces if piece)
        if heading or text:
            out.append((heading, text))
    return out


class Fences:
    """The lines of a body that can close a code fence: where each is, its mark (` or ~) and how many."""

    def __init__(self, body: str):
        self.lines = [(m.start(), m.end(), m.group(1)[0], len(m.group(1))) for m in CLOSER_RE.finditer(body)]
        self.starts = [line[0] for line in self.lines]
        self.most = {}  # mark -> for each line, the most marks of a closing line from there on
        for mark in "`~":
            most, best = [0] * (len(self.lines) + 1), 0
            for i in range(len(self.lines) - 1, -1, -1):
                if self.lines[i][2] == mark:
                    best = max(best, self.lines[i][3])
                most[i] = best
            self.most[mark] = most

    def close(self, after: int, run: str) -> tuple[int, int] | None:
        """(start, end) of the line that closes the fence opened by `run` on the line ending at
        `after`: the first with as many marks or more; with none, the first with fewer, down to
        three (as the pattern before read them). None: no line closes it."""
        i = bisect.bisect_left(self.starts, after)
        count = min(len(run), self.most[run[0]][i])
        if count < 3:
            return None
        for start, end, mark, marks in self.lines[i:]:
            if mark == run[0] and marks >= count:
                return start, end
        return None


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
