"""Putting untrusted text into the Markdown the bot posts, inertly.

PEP titles, objection reasons, rationales, file names and lint messages
(which quote field values) come from people who may be hostile or careless.
``text`` makes such a string safe to place inline, in a list item or in a
table cell of a GitHub comment:

- one line: line breaks and tabs become spaces, so it cannot start a new
  block (heading, list, table row, fence, HTML block) or end a table row;
- no HTML: ``&``, ``<`` and ``>`` become entities, so ``<script>``,
  ``<img onerror>``, ``<details>`` or a fake hidden marker are shown as text;
- no Markdown structure: ``\\ ` * _ [ ] ( ) | ~ ! #`` are backslash-escaped, so
  it cannot open links or images, break out of a table cell with ``|``, or
  bold half of the comment;
- no notifications: ``@name`` and ``#123`` get a zero-width joiner after the
  ``@`` or ``#``, so quoting someone's text never pings people or links
  issues; handles the bot names on purpose go through ``handle``, which
  puts them in a code span (shown as ``@name``, never a mention);
- invisible and bidirectional control characters are removed, and long
  strings are cut to a limit with an ellipsis.

Everything here is a pure function of its input, so the same facts always
give the same comment text.
"""

from __future__ import annotations

import re

from pepctl.model import LOGIN_RE

ZWJ = "\u200d"
# C0/C1 controls, zero-width and bidi formatting characters, BOM.
INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
SPACE_RE = re.compile(r"[ \t\r\n\v\f\u2028\u2029\x85]+")
SPECIAL_RE = re.compile(r"([\\`*_\[\]()|~!#])")
PING_RE = re.compile(r"([@#])(?=[0-9A-Za-z_])")


def plain(value, limit: int = 300, strip: bool = True) -> str:
    """One clean line of text (controls removed, whitespace collapsed), cut to `limit`."""
    text = INVISIBLE_RE.sub("", str(value))
    text = SPACE_RE.sub(" ", text)
    if strip:
        text = text.strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def text(value, limit: int = 300, strip: bool = True) -> str:
    """Untrusted text as inert inline Markdown (see the module docstring)."""
    out = plain(value, limit, strip)
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = SPECIAL_RE.sub(r"\\\1", out)
    # after escaping, "#" reads "\#"; the joiner goes after the mark itself
    return PING_RE.sub(lambda m: m.group(1) + ZWJ, out)


def message(value, limit: int = 500) -> str:
    """A plain-text message as inert Markdown, with its `backticked` parts
    shown as code spans. Messages mix pepctl's words with quoted values, so
    every part is escaped; when the backticks do not pair up, all of it is
    treated as text."""
    line = plain(value, limit)
    parts = line.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks
        return text(line, 0)
    out = []
    for position, part in enumerate(parts):
        if position % 2:
            out.append(code(part, 0) if part.strip() else text("``", 0))
        else:
            out.append(text(part, 0, strip=False))
    return "".join(out)


def handle(name) -> str:
    """A GitHub login as a code span that shows ``@name`` without mentioning them."""
    login = plain(name, 60).lstrip("@")
    if LOGIN_RE.fullmatch(login):
        return f"`@{login}`"
    return text("@" + login, 60) if login else "(unknown)"


def code(value, limit: int = 80, table: bool = False) -> str:
    """A short untrusted token (an id, a path) as a code span; backticks inside
    are replaced, so the span cannot be closed early. In a table cell, ``|``
    is escaped too (GitHub splits cells on it even inside code spans)."""
    token = plain(value, limit).replace("`", "'")
    if table:
        token = token.replace("|", "\\|")
    return f"`{token}`" if token else "` `"
