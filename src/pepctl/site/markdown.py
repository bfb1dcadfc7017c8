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
4. GitHub's additions to Markdown that cmark-gfm leaves as text: alerts (a top-level
   blockquote whose first line is ``[!NOTE]``, ``[!TIP]``, ``[!IMPORTANT]``, ``[!WARNING]``
   or ``[!CAUTION]``), math (texmath.py: taken out before step 1, put back as MathML
   after step 3) and Mermaid diagrams (diagrams.py: fenced ``mermaid`` blocks, drawn in the
   browser by a script served with the site, on the pages that have one).
"""

from __future__ import annotations

import dataclasses
import functools
import html as html_lib
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import unquote

import nh3
from cmarkgfm.cmark import Options

from pepctl.model import number_from_filename
from pepctl.site import cmark, diagrams, texmath

# Part of every page's cache key: change it whenever the HTML produced changes.
RENDERER_VERSION = "7"

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
    r'|(pre>(?:<code>)?)'
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
    for end in LINKED_FILE_END_RE.finditer(text):
        start = end.start()
        while start > 0 and text[start - 1] not in NAME_STOPS and end.start() - start < 200:
            start -= 1
        name = text[start : end.end()]
        if not name.rpartition("/")[2].startswith("PEP-") and number_in_link(unquote(name)) is not None:
            names.add(name)
    return sorted({unquote(name) for name in names})


WORD_SPLIT_RE = re.compile(r"[-_.\s]+")
NAME_NUMBER_RE = re.compile(r"^[A-Za-z]*-?\d+-?")  # "PEP-0042-", "eip-1559", "0401-", "2625-"
# The end of a file name that may be a proposal's source (what pep_links_in looks for, generously: it
# starts with a literal, so the scan jumps from one "." to the next), and what ends such a name on its left.
LINKED_FILE_END_RE = re.compile(r"\.(?:md|rst|yaml)(?![\w.-])")
NAME_STOPS = frozenset(" \t\r\n()<>[]\"'`|*,;")
_DIALECTS: list = []


def _dialects() -> list:
    """The format objects of the dialects pepctl reads (each knows its proposals' file names)."""
    if not _DIALECTS:
        from pepctl import formats

        _DIALECTS.extend(formats.get(name) for name in formats.DIALECTS)
    return _DIALECTS


def number_in_link(path: str) -> int | None:
    """The number of the proposal whose source a relative link names, in any format pepctl reads:
    Plano's ``PEP-0042-x.md`` (or ``pep-0042.md``), ``eip-1559.md``, ``pep-0008.rst``, ``0401-x.md``
    (Swift, Rust, MADR), a KEP's ``2625-x/README.md``. Only a file beside the page's own or in a
    folder next to it counts (``./``, ``../``, ``../EIPS/``); None for anything else."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    while parts and parts[0] == "..":
        del parts[0]
    if not parts or ".." in parts or len(parts) > 3:
        return None
    name = parts[-1]
    if name[:4].upper() == "PEP-" and name.endswith(".md"):
        return number_from_filename(name)
    for dialect in _dialects():
        if dialect.name == "kep":  # the number is the folder's: 2625-x/README.md or 2625-x/kep.yaml
            if len(parts) >= 2 and name in ("README.md", "kep.yaml"):
                number = dialect.number_from_name("/".join(parts))
                if number is not None:
                    return number
        elif len(parts) <= 2:
            number = dialect.number_from_name(name)
            if number is not None:
                return number
    return None


def resolve_link(path: str, pages: dict[str, str], numbers: dict[int, str]) -> str | None:
    """The page a relative link to a proposal's file goes to (its own, else the one file with its
    number's), None when it goes to no page of the site.

    A name with words after the number (``0522-source-warning-control.md``, not ``eip-1559.md``)
    in another format than Plano's goes to the file with its number only if that file's name has
    at least half of those words: folders of other processes' text reuse numbers for other
    proposals, while a converted folder names its files after the titles, in other words."""
    name = path.removeprefix("./")
    page = pages.get(name) if "/" not in name else None
    if page is not None:
        return page
    number = number_in_link(path)
    page = numbers.get(number) if number is not None else None
    if page is None:
        return None
    folder, _, base = path.rpartition("/")
    if base[:4].upper() == "PEP-":
        return page
    wanted = _words(folder.rpartition("/")[2] if base in ("README.md", "kep.yaml") else base)
    if wanted and len(wanted & _words(unquote(page.rpartition("/")[2]))) * 2 < len(wanted):
        return None
    return page


def _words(name: str) -> set[str]:
    """The words of a proposal's file name after its number: 'PEP-0042-Big-cache.md' -> {'big', 'cache'}."""
    rest = NAME_NUMBER_RE.sub("", name.rpartition(".")[0] if "." in name else name).lower()
    return set(filter(None, WORD_SPLIT_RE.split(rest)))


def _without_target(tag: str, before: str) -> str:
    """The start of a tag whose href/src was cut out (the rest of the tag follows)."""
    before = before.rstrip()
    return f"<{tag} {before}" if before else f"<{tag}"


ALERT_KINDS = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}
# What cmark-gfm makes of a blockquote whose first line is an alert's marker alone: the marker, then
# the rest of its paragraph after a line break (soft or hard), or the paragraph's end.
ALERT_START_RE = re.compile(r"<blockquote>\n<p>\[!(note|tip|important|warning|caution)\][ \t]*(<br />)?(\n|</p>\n)",
                            re.IGNORECASE)
# The elements an alert cannot be inside of (GitHub: "alerts cannot be nested within other elements").
CONTAINER_RE = re.compile(r"<(/?)(blockquote|li|ul|ol|details|table|div|section|dd|dl)\b[^>]*>")


def alerts(markup: str) -> str:
    """GitHub's alerts: each blockquote at the top level whose first line is ``[!KIND]`` alone
    becomes a ``markdown-alert`` box titled with its kind. Any other blockquote stays one."""
    starts = {m.start(): m for m in ALERT_START_RE.finditer(markup)}
    if not starts:
        return markup
    out: list[str] = []
    stack: list[bool] = []  # per open container: whether it is an alert being rewritten
    position = 0
    for tag in CONTAINER_RE.finditer(markup):
        closing, name = tag.group(1), tag.group(2)
        if not closing:
            found = starts.get(tag.start()) if not stack and name == "blockquote" else None
            if found is not None and not _alert_is_empty(markup, found):
                kind = found.group(1).lower()
                out.append(markup[position : tag.start()])
                out.append(f'<div class="markdown-alert markdown-alert-{kind}">\n'
                           f'<p class="markdown-alert-title">{ALERT_KINDS[kind]}</p>\n')
                out.append("<p>" if found.group(3) == "\n" else "")
                position = found.end()
                stack.append(True)
            else:
                stack.append(False)
        elif stack:
            if stack.pop():
                out.append(markup[position : tag.start()])
                out.append("</div>")
                position = tag.end()
    out.append(markup[position:])
    return "".join(out)


def _alert_is_empty(markup: str, found: re.Match) -> bool:
    """A marker with nothing after it in the quote: GitHub shows it as the text it is."""
    return found.group(3) == "</p>\n" and markup.startswith("</blockquote>", found.end())


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
        link = self._link
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
        if tag == "a":  # a link to a proposal's file goes to its page: by its name, else by its number
            path, hash_, fragment = url.partition("#")
            path = unquote(path)  # the file's name, as a browser would ask for it
            found = PEP_LINK_RE.match(url)
            target = None
            if found:  # a Plano PEP beside this one: missing when the folder has no such file
                name = unquote(found.group(1))
                if links.publishes(name):
                    target = resolve_link(name, links.pages, links.numbers)
                    if target is None:
                        return (f'<{tag} {before}class="missing-link" '
                                f'title="{html_lib.escape(name)} is not in the PEP folder"')
            else:
                base = path.rpartition("/")[2]
                if base[:4].upper() != "PEP-" or links.publishes(base):  # the template is no proposal
                    target = resolve_link(path, links.pages, links.numbers)
            if target is not None:
                new = html_lib.escape(links.prefix + target + hash_ + fragment)
                return f'<{tag} {before}{attr}="{new}"'
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
