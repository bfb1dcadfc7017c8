"""PEP Markdown to safe HTML, rendered as GitHub renders it.

The pipeline, and why each step is there:

1. cmark-gfm (``cmarkgfm``, the C library GitHub itself uses) with the GitHub
   extensions: tables, task lists, strikethrough, autolinks and the tag filter,
   footnotes, and ``<pre lang>`` for fenced code. It runs first in its safe
   mode, which escapes nothing it made itself and drops every piece of raw
   HTML and every ``javascript:``, ``vbscript:``, ``file:`` or ``data:`` link.
2. A text with raw HTML in it (most PEPs have none) is rendered again with its
   raw HTML let through, as GitHub does, and cleaned with nh3 (the ammonia
   sanitiser) against an allow-list close to GitHub's: no scripts, styles,
   event-handler attributes, forms or frames; links and images only to http,
   https and mailto; ids of user HTML prefixed with ``user-content-``. PEP text
   comes from anyone's pull request.
3. After cleaning, markup the site adds itself (text in it is escaped):
   heading ids and anchor links like GitHub's, highlighted code blocks, links
   between PEP files turned into links between site pages, relative links
   into the repository (or dropped when no repository is configured). Every
   link and image target passes one more scheme check here, whichever way the
   text came: only http, https, mailto and relative targets stay.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import unquote

import nh3
from cmarkgfm.cmark import Options

from pepctl.site import cmark

# Part of every page's cache key: change it whenever the HTML produced changes.
RENDERER_VERSION = "6"

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

# Markup the site rewrites after cleaning, found in one pass: headings,
# code blocks (with and without a language), and link or image targets.
# (The shared "<" stands outside the alternation: the engine then jumps from one
# "<" to the next instead of trying every branch at every character. A heading's
# or code block's content runs to the first closing tag, as a lazy ".*?" would
# take it, but written as runs of "[^<]*": a lazy match tries the closing tag at
# every character, which made this scan half as slow again.)
POST_RE = re.compile(
    r'<(?:h([1-6])>([^<]*(?:<(?!/h\1>)[^<]*)*)</h\1>'
    r'|pre lang="([^"]*)"><code>([^<]*(?:<(?!/code></pre>)[^<]*)*)(</code></pre>)'
    r'|(pre><code>)'
    r'|(a|img) ([^>]*?)(href|src)="([^"]*)")',
    re.S,
)
HREF_RE = re.compile(r'<(a|img) ([^>]*?)(href|src)="([^"]*)"')
FRAGMENT_RE = re.compile(r'href="#([^"]+)"')
TAG_RE = re.compile(r"<[^>]*>")
SLUG_DROP_RE = re.compile(r"[^\w\- ]")
PEP_LINK_RE = re.compile(r"^(?:\./)?(PEP-[^/#?]*\.md)(#.*)?$")
PEP_NAME_RE = re.compile(r"PEP-\d+[^\s/#?()\"'<>\[\]]*\.md")
ANGLED_PEP_NAME_RE = re.compile(r"<(?:\./)?(PEP-\d+[^<>\n]*?\.md)(?:#[^<>\n]*)?>")
SCHEME_RE = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:")


def slugify(text: str) -> str:
    """GitHub's heading anchor: lower-case, punctuation dropped, spaces to hyphens."""
    return SLUG_DROP_RE.sub("", text.strip().lower()).replace(" ", "-")


def markdown_to_html(text: str, options: int = CMARK_OPTIONS) -> str:
    """cmark-gfm's HTML for `text`; with the default options raw HTML passes, not yet cleaned."""
    return cmark.to_html(text, options, tuple(EXTENSIONS))  # cmarkgfm's own function leaks what it parses


def safe_html(text: str) -> str:
    """cmark-gfm's safe output, or nh3's cleaning of its raw output when the text holds raw HTML."""
    markup = markdown_to_html(text, SAFE_OPTIONS)
    if RAW_HTML_MARK in markup:
        return sanitize(markdown_to_html(text, CMARK_OPTIONS))
    if 'id="fn' in markup:  # the ids nh3 would have prefixed
        markup = markup.replace('id="fnref-', f'id="{ID_PREFIX}fnref-').replace('id="fn-', f'id="{ID_PREFIX}fn-')
    return markup


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


def ids_in(markup: str) -> list[str]:
    """The values of the id attributes in some markup: what r'\\sid="([^"]+)"' finds, found faster.

    The regular expression starts with a class, so the engine would try it at every
    character; ids are few, and str.find jumps from one to the next.
    """
    found = []
    find = markup.find
    position = 0
    while True:
        start = find('id="', position)
        if start < 0:
            return found
        if start == 0 or not markup[start - 1].isspace():
            position = start + 1
            continue
        end = find('"', start + 4)
        if end < 0:
            return found
        if end == start + 4:  # an empty value
            position = start + 1
            continue
        found.append(markup[start + 4 : end])
        position = end + 1


def pep_links_in(text: str) -> list[str]:
    """File names of the PEP files a Markdown text links to (a cheap, generous scan), with
    `<PEP-0003-a b.md>`, Markdown's way to write a target holding spaces."""
    names = set(PEP_NAME_RE.findall(text))
    if "<" in text:
        names.update(ANGLED_PEP_NAME_RE.findall(text))
    return sorted({unquote(name) for name in names})


def _without_target(tag: str, before: str) -> str:
    """The start of a tag whose href/src was cut out (the rest of the tag follows)."""
    before = before.rstrip()
    return f"<{tag} {before}" if before else f"<{tag}"


@dataclasses.dataclass(frozen=True, slots=True)
class LinkContext:
    """How links in one page resolve."""

    pages: dict[str, str]  # PEP file name -> URL of its page (relative to the site root, percent-encoded)
    numbers: dict[int, str]  # PEP number -> URL of its page, for numbers held by one file
    repo_blob: str = ""  # URL of the PEP folder in the repository's file view ('' if unknown)
    repo_raw: str = ""  # URL of the PEP folder's raw files ('' if unknown)
    prefix: str = ""  # from the page being rendered to the site root, e.g. "../"
    root_blob: str = ""  # URL of the repository's root in its file view: what "/x" links are relative to
    root_raw: str = ""  # URL of the repository root's raw files
    # whether a PEP-*.md file name is one the site makes a page of (the template is not)
    publishes: Callable[[str], bool] = lambda name: True

    def repository_url(self, tag: str, url: str) -> str:
        """Where a relative link (or image) of the text points in the repository; '' when unknown."""
        if url.startswith("/"):  # as on GitHub: from the repository's root
            base, path = (self.root_blob if tag == "a" else self.root_raw), url[1:]
        else:
            base, path = (self.repo_blob if tag == "a" else self.repo_raw), url[2:] if url.startswith("./") else url
        return base + path if base else ""


class Rendered(NamedTuple):
    html: str
    headings: list  # (level, id, text)


class Renderer:
    def __init__(self, highlighter=None):
        self.highlighter = highlighter

    def render(self, text: str, links: LinkContext | None = None, reserved: tuple = ()) -> Rendered:
        """Safe HTML for `text`; `reserved` are anchors the page already has (its title's)."""
        markup = safe_html(text)
        if 'href="#fn' in markup:
            markup = markup.replace('href="#fn-', f'href="#{ID_PREFIX}fn-').replace(
                'href="#fnref-', f'href="#{ID_PREFIX}fnref-'
            )
        headings: list = []
        seen: dict[str, int] = dict.fromkeys(reserved, 0)
        link = self._link
        code = self._code

        def heading(level: str, inner: str) -> str:
            label = html_lib.unescape(TAG_RE.sub("", inner))
            base = slugify(label) or "section"
            count = seen.get(base)
            if count is None:
                seen[base] = 0
                slug = base
            else:
                count += 1
                seen[base] = count
                slug = f"{base}-{count}"
                while slug in seen:
                    count += 1
                    slug = f"{base}-{count}"
                seen[slug] = 0
            headings.append((int(level), slug, label))
            if "<a " in inner or "<img " in inner:
                inner = HREF_RE.sub(lambda m: link(m, links), inner)
            return (f'<h{level} id="{slug}"><a class="anchor" href="#{slug}" aria-label="Link to this section">'
                    f'#</a>{inner}</h{level}>')

        def one(match: re.Match) -> str:
            level = match.group(1)
            if level is not None:
                return heading(level, match.group(2))
            if match.group(5) is not None:
                return code(match.group(3), match.group(4))
            if match.group(6) is not None:
                return '<pre class="highlight"><code>'
            return link(match, links, 6)

        own_fragments = 'href="#' in markup  # the text's own #links (not the anchors added below)
        markup = POST_RE.sub(one, markup)
        if own_fragments:
            markup = self._fragments(markup, seen)
        return Rendered(markup, headings)

    @staticmethod
    def _fragments(markup: str, slugs: dict) -> str:
        """Point #fragment links at the anchors GitHub's page script would find.

        Ids from raw HTML carry the ``user-content-`` prefix, and GitHub
        matches a fragment to them (and to headings) ignoring case.
        """
        ids = {m: None for m in slugs}
        ids.update((m, None) for m in ids_in(markup))
        folded = {}
        for key in ids:
            folded.setdefault(key.casefold(), key)

        def fix(match: re.Match) -> str:
            fragment = html_lib.unescape(match.group(1))
            if fragment in ids:
                return match.group(0)
            for candidate in (fragment, ID_PREFIX + fragment):
                found = folded.get(candidate.casefold())
                if found is not None:
                    return f'href="#{html_lib.escape(found)}"'
            return match.group(0)

        return FRAGMENT_RE.sub(fix, markup)

    def _code(self, lang: str, inner: str) -> str:
        lang = html_lib.unescape(lang)
        words = lang.split()
        label = html_lib.escape(words[0] if words else "")
        if self.highlighter is not None:
            inner = self.highlighter.highlight(lang, html_lib.unescape(inner))
        return f'<pre class="highlight" data-lang="{label}"><code>{inner}</code></pre>'

    @staticmethod
    def _link(match: re.Match, links: LinkContext | None, first: int = 0) -> str:
        tag, before, attr, raw = match.group(first + 1, first + 2, first + 3, first + 4)
        url = html_lib.unescape(raw)
        scheme = SCHEME_RE.match(url)
        if scheme:
            if scheme.group(0).strip()[:-1].lower() in SCHEMES:
                return match.group(0)
            return _without_target(tag, before)  # any other scheme: the target goes
        if not url.strip():
            return _without_target(tag, before)  # a target safe mode emptied
        if url.startswith("#") or url.startswith("//") or links is None:
            return match.group(0)
        if tag == "a" and links.pages:
            path, hash_, fragment = url.partition("#")
            name = unquote(path.removeprefix("./"))
            target = links.pages.get(name) if "/" not in name and not name.startswith("PEP-") else None
            if target is not None:  # a proposal of a dialect linked by its file name (./eip-1559.md, 0401-x.md)
                new = html_lib.escape(links.prefix + target + hash_ + fragment)
                return f'<{tag} {before}{attr}="{new}"'
        if tag == "a":
            found = PEP_LINK_RE.match(url)
            name = unquote(found.group(1)) if found else ""  # the file's name, as a browser would ask for it
            if name and links.publishes(name):
                fragment = found.group(2) or ""
                target = links.pages.get(name)
                if target is None:
                    number = re.match(r"PEP-(\d+)", name)
                    target = links.numbers.get(int(number.group(1))) if number else None
                if target is not None:
                    new = html_lib.escape(links.prefix + target + fragment)
                    return f'<{tag} {before}{attr}="{new}"'
                return (f'<{tag} {before}class="missing-link" '
                        f'title="{html_lib.escape(name)} is not in the PEP folder"')
        target = links.repository_url(tag, url)
        if target:
            return f'<{tag} {before}{attr}="{html_lib.escape(target)}"'
        if tag == "a":
            return f'<{tag} {before}class="missing-link" title="{html_lib.escape(url)} is not on the website"'
        return f'<{tag} {before}data-missing="{html_lib.escape(url)}"'

    def inline(self, text: str, links: LinkContext | None = None) -> str:
        """One header-table value as inline HTML (no surrounding paragraph)."""
        markup = self.render(text, links).html.strip()
        if markup.startswith("<p>") and markup.endswith("</p>") and markup.count("<p>") == 1:
            markup = markup[3:-4]
        return markup
