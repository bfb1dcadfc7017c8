"""PEP Markdown to safe HTML, rendered as GitHub renders it.

The pipeline, and where each step lives:

1. sanitizer.py: cmark-gfm (the C library GitHub itself uses) with the GitHub extensions, in its
   safe mode; a text with raw HTML in it is rendered again with its raw HTML let through and
   cleaned with nh3 against an allow-list close to GitHub's. PEP text comes from anyone's pull
   request.
2. This module, after cleaning: markup the site adds itself (text in it is escaped): heading ids
   and anchor links like GitHub's, highlighted code blocks, #fragment links pointed at the
   anchors GitHub's page script would find.
3. links.py: links between PEP files turned into links between site pages, relative links into
   the repository (or dropped when no repository is configured). Every link and image target
   passes one more scheme check there, whichever way the text came: only http, https, mailto and
   relative targets stay.
4. GitHub's additions to Markdown that cmark-gfm leaves as text: alerts (alerts.py: a top-level
   blockquote whose first line is ``[!NOTE]``, ``[!TIP]``, ``[!IMPORTANT]``, ``[!WARNING]`` or
   ``[!CAUTION]``), math (texmath.py: taken out before step 1, put back as MathML after step 3)
   and Mermaid diagrams (diagrams.py: fenced ``mermaid`` blocks, drawn in the browser by a script
   served with the site, on the pages that have one).

Titles, shown in lists and headings rather than rendered as a page, are titles.py's.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import NamedTuple

from pepctl.site import diagrams, texmath
from pepctl.site.alerts import alerts
from pepctl.site.links import LinkContext, rewrite_target
from pepctl.site.sanitizer import ID_PREFIX, safe_html

# Part of every page's cache key: change it whenever the HTML produced changes (here or in the
# modules above).
RENDERER_VERSION = "7"

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
    r'|(pre>(?:<code>)?)'
    r'|(a|img) ([^>]*?)(href|src)="([^"]*)")',
    re.S,
)
HREF_RE = re.compile(r'<(a|img) ([^>]*?)(href|src)="([^"]*)"')
FRAGMENT_RE = re.compile(r'href="#([^"]+)"')
TAG_RE = re.compile(r"<[^>]*>")
SLUG_DROP_RE = re.compile(r"[^\w\- ]")


def slugify(text: str) -> str:
    """GitHub's heading anchor: lower-case, punctuation dropped, spaces to hyphens."""
    return SLUG_DROP_RE.sub("", text.strip().lower()).replace(" ", "-")


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


class Rendered(NamedTuple):
    html: str
    headings: list  # (level, id, text)
    has_math: bool = False  # the page shows MathML
    has_mermaid: bool = False  # the page has diagrams to draw: it needs diagrams.SCRIPTS


class Renderer:
    def __init__(self, highlighter=None, diagrams_drawn: bool | None = None):
        """`diagrams_drawn`: whether Mermaid blocks become diagrams (the site serves Mermaid's
        script); by default, whether diagrams.script_path() finds the script."""
        self.highlighter = highlighter
        self.diagrams_drawn = diagrams.script_path() is not None if diagrams_drawn is None else diagrams_drawn

    def render(self, text: str, links: LinkContext | None = None, reserved: tuple = ()) -> Rendered:
        """Safe HTML for `text`; `reserved` are anchors the page already has (its title's)."""
        math = texmath.extract(text)
        markup = safe_html(math.text)
        if "[!" in markup:
            markup = alerts(markup)
        if 'href="#fn' in markup:
            markup = markup.replace('href="#fn-', f'href="#{ID_PREFIX}fn-').replace(
                'href="#fnref-', f'href="#{ID_PREFIX}fnref-'
            )
        headings: list = []
        seen: dict[str, int] = dict.fromkeys(reserved, 0)
        link = rewrite_target
        code = self._code

        def heading(level: str, inner: str) -> str:
            label = texmath.source_text(html_lib.unescape(TAG_RE.sub("", inner)), math)
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
            if match.group(6) is not None:  # code without a language, or a <pre> of raw HTML
                return '<pre class="highlight" tabindex="0"><code>' if match.group(6) != "pre>" else '<pre tabindex="0">'
            return link(match, links, 6)

        own_fragments = 'href="#' in markup  # the text's own #links (not the anchors added below)
        markup = POST_RE.sub(one, markup)
        if own_fragments:
            markup = self._fragments(markup, seen)
        if math.formulas:
            markup = texmath.restore(markup, math)
        return Rendered(markup, headings, "<math" in markup, self.diagrams_drawn and diagrams.MARK in markup)

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
        first = words[0].lower() if words else ""
        if first == "math":  # GitHub's fenced math: one formula shown as a block
            return f'<div class="math-block">{texmath.to_mathml(html_lib.unescape(inner).strip(), True)}</div>'
        if first == "mermaid":
            return diagrams.figure(inner, self.diagrams_drawn)
        label = html_lib.escape(words[0] if words else "")
        if self.highlighter is not None:
            inner = self.highlighter.highlight(lang, html_lib.unescape(inner))
        return f'<pre class="highlight" tabindex="0" data-lang="{label}"><code>{inner}</code></pre>'

    def inline(self, text: str, links: LinkContext | None = None) -> str:
        """One header-table value as inline HTML (no surrounding paragraph)."""
        markup = self.render(text, links).html.strip()
        if markup.startswith("<p>") and markup.endswith("</p>") and markup.count("<p>") == 1:
            markup = markup[3:-4]
        return markup
