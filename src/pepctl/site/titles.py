"""PEP titles as the site shows them: inline Markdown kept as GitHub shows it in a heading, or plain text."""

from __future__ import annotations

import functools
import html as html_lib
import re

from pepctl.site.markdown import TAG_RE
from pepctl.site.sanitizer import safe_html

# Titles: inline Markdown (`code`, *emphasis*, ~~strike~~) as GitHub shows it in a heading, nothing more.
TITLE_MARKUP_RE = re.compile(r"[`*_~<>&\[\]\\!]")  # a title with none of these is plain text
TITLE_KEEP_RE = re.compile(r"</?(?:code|em|strong|del)>")  # the only tags a title keeps (a title is often inside a link)


@functools.lru_cache(maxsize=8192)
def title_html(title: str) -> str:
    """A PEP title as safe inline HTML: code, emphasis and strikethrough kept; links, images and raw
    HTML reduced to their text (a title is shown inside links and headings). Cached: every page that
    lists PEPs shows their titles."""
    if not TITLE_MARKUP_RE.search(title):
        return html_lib.escape(title, quote=False)
    markup = safe_html(title).strip()
    if markup.startswith("<p>") and markup.endswith("</p>"):
        markup = markup[3:-4]
    else:  # a title that Markdown would read as a block of its own (a list item, a heading): as written
        return html_lib.escape(title, quote=False)
    kept = []
    for piece in re.split(r"(<[^>]*>)", markup):
        if not piece.startswith("<"):
            kept.append(piece)
        elif TITLE_KEEP_RE.fullmatch(piece):
            kept.append(piece)
    return "".join(kept).replace("\n", " ")


@functools.lru_cache(maxsize=8192)
def title_text(title: str) -> str:
    """A PEP title as plain text (for <title>, descriptions and labels): the Markdown's marks dropped."""
    if not TITLE_MARKUP_RE.search(title):
        return title
    return html_lib.unescape(TAG_RE.sub("", title_html(title)))
