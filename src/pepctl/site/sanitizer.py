"""PEP Markdown to HTML that is safe to serve: cmark-gfm's output, cleaned when it holds raw HTML.

cmark-gfm (``cmarkgfm``, the C library GitHub itself uses) runs with the GitHub extensions:
tables, task lists, strikethrough, autolinks and the tag filter, footnotes, and ``<pre lang>``
for fenced code. It runs first in its safe mode, which escapes nothing it made itself and drops
every piece of raw HTML and every ``javascript:``, ``vbscript:``, ``file:`` or ``data:`` link. A
text with raw HTML in it (most PEPs have none) is rendered again with its raw HTML let through,
as GitHub does, and cleaned with nh3 (the ammonia sanitiser) against an allow-list close to
GitHub's: no scripts, styles, event-handler attributes, forms or frames; links and images only to
http, https and mailto; ids of user HTML prefixed with ``user-content-``. PEP text comes from
anyone's pull request.
"""

from __future__ import annotations

import re

import nh3
from cmarkgfm.cmark import Options

from pepctl.site import cmark

SAFE_OPTIONS = Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_GITHUB_PRE_LANG
CMARK_OPTIONS = SAFE_OPTIONS | Options.CMARK_OPT_UNSAFE
RAW_HTML_MARK = "<!-- raw HTML omitted -->"  # what safe mode puts where raw HTML was
EXTENSIONS = ["table", "autolink", "tagfilter", "strikethrough", "tasklist"]

TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "picture",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source", "span", "strike",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "tt", "u", "ul", "var", "wbr",
}
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "align"},
    "source": {"srcset", "media", "type"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
INPUT_VALUES = {"input": {"checked": {"", "checked"}}}
FORCED_VALUES = {"input": {"disabled": "disabled", "type": "checkbox"}}
CLASSES = {"sup": {"footnote-ref"}, "a": {"footnote-backref"}, "section": {"footnotes"}}
SCHEMES = {"http", "https", "mailto"}
ID_PREFIX = "user-content-"


def markdown_to_html(text: str, options: int = CMARK_OPTIONS) -> str:
    """cmark-gfm's HTML for `text`; with the default options raw HTML passes, not yet cleaned."""
    return cmark.to_html(text, options, tuple(EXTENSIONS))  # cmarkgfm's own function leaks what it parses


def safe_html(text: str) -> str:
    """cmark-gfm's safe output, or nh3's cleaning of its raw output when the text holds raw HTML."""
    markup = markdown_to_html(text, SAFE_OPTIONS)
    if RAW_HTML_MARK in markup:
        raw = markdown_to_html(text, CMARK_OPTIONS)
        if not nested_too_deep(raw):
            return sanitize(raw)
        # else: as safe mode shows it, without its raw HTML
    if 'id="fn' in markup:  # the ids nh3 would have prefixed
        markup = markup.replace('id="fnref-', f'id="{ID_PREFIX}fnref-').replace('id="fn-', f'id="{ID_PREFIX}fn-')
    return markup


TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*>")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NESTING_WORK = 20_000_000  # a hundred times what the deepest real PEP needs; about 0.1 s of cleaning


def nested_too_deep(markup: str) -> bool:
    """Whether the elements markup opens without closing them pile up so deep that cleaning it would
    take minutes: the cleaner's parser looks through every open element at each new one, so its
    work is the sum of the depths (1 MB of "<div>" takes minutes of CPU)."""
    depth = work = 0
    for tag in TAG_RE.finditer(markup):
        if tag.group(1):
            depth = max(depth - 1, 0)
        elif tag.group(2).lower() not in VOID_TAGS and not tag.group(0).endswith("/>"):
            depth += 1
            work += depth
            if work > NESTING_WORK:
                return True
    return False


_CLEANER = None


def sanitize(markup: str, cleaner=None) -> str:
    global _CLEANER
    if cleaner is None:
        if _CLEANER is None:
            _CLEANER = make_cleaner()
        cleaner = _CLEANER
    markup = cleaner.clean(markup)
    if "<input" in markup:
        markup = INPUT_TAG_RE.sub(_forced_in_order, markup)
    return markup


# nh3 appends the attributes it forces on a tag in hash order, which changes from one process to
# the next: they are put in one order, so that the same text always gives the same page.
INPUT_TAG_RE = re.compile(r"<input\b[^>]*>")
FORCED_ATTRIBUTE_RE = re.compile(" (?:" + "|".join(FORCED_VALUES["input"]) + ')="[^"]*"')
FORCED_ATTRIBUTES = "".join(f' {name}="{value}"' for name, value in sorted(FORCED_VALUES["input"].items()))


def _forced_in_order(match: re.Match) -> str:
    tag = match.group(0)
    end = "/>" if tag.endswith("/>") else ">"
    return FORCED_ATTRIBUTE_RE.sub("", tag[: -len(end)]) + FORCED_ATTRIBUTES + end


def make_cleaner():
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        tag_attribute_values=INPUT_VALUES,
        set_tag_attribute_values=FORCED_VALUES,
        allowed_classes=CLASSES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
        id_prefix=ID_PREFIX,
        strip_comments=True,
    )
