"""Math in PEP text, as GitHub reads it, turned into MathML at build time (no script on the page).

GitHub's delimiters: ``$...$`` inline (the opening ``$`` not followed by a space, the closing one not
preceded by a space nor followed by a digit, so "$5 and $10" stays text), ``$`...`$`` inline too,
``$$...$$`` shown as a block, and fenced ```` ```math ```` blocks (those reach the renderer as code
blocks, see markdown.py). ``\\$`` is a dollar sign; nothing in code spans or fenced code is math.

Math is taken out of the text before cmark-gfm sees it, so that ``_`` and ``*`` in TeX never become
emphasis, and each formula is left as a placeholder: a run of letters and digits that the text does
not contain anywhere (checked), which Markdown passes through untouched. After rendering, a
placeholder in running text becomes the formula's MathML; one that ended up in code, or inside a
tag's attribute (a link target), becomes the text it stood for again.

TeX goes to MathML with latex2mathml (in the `site` extra); its output is cleaned by nh3 against an
allow-list of MathML elements and presentation attributes only (latex2mathml copies ``\\href``'s
target and ``\\text``'s characters as they are: neither survives). TeX that cannot be converted is
shown as code with a title that says why; it never stops a build.
"""

from __future__ import annotations

import bisect
import functools
import html as html_lib
import re
from typing import NamedTuple

# MathML Core's elements that latex2mathml writes (and `semantics`/`annotation` kept out: nothing
# needs them), and the presentation attributes it sets. No href, no style, no event handlers.
MATH_TAGS = {
    "math", "menclose", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover", "mpadded", "mphantom",
    "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable",
    "mtd", "mtext", "mtr", "munder", "munderover", "none",
}
MATH_ATTRIBUTES = {
    "math": {"xmlns", "display"},
    "*": {
        "mathvariant", "mathcolor", "mathbackground", "mathsize", "displaystyle", "scriptlevel", "stretchy",
        "fence", "separator", "largeop", "movablelimits", "accent", "accentunder", "lspace", "rspace", "minsize",
        "maxsize", "symmetric", "form", "linethickness", "width", "height", "depth", "voffset", "notation",
        "linebreak", "columnalign", "columnlines", "columnspacing", "rowalign", "rowlines", "rowspacing", "frame",
        "framespacing", "columnspan", "rowspan",
    },
}

BACKTICKS_RE = re.compile(r"`+")
DOLLAR_RE = re.compile(r"\$")
LINK_TARGET_RE = re.compile(r"\]\([^()\s]*\)|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>")
FENCE_RE = re.compile(r"^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})([^\n]*)$", re.M)
BLANK_LINES_RE = re.compile(r"(\n[ \t\r]*(?=\n))")  # a blank line ends a paragraph: math never spans one
UNKNOWN_COMMAND_RE = re.compile(r"<m[io]>(\\[A-Za-z]+)</m[io]>")


class Formula(NamedTuple):
    source: str  # the TeX, without its delimiters
    display: bool  # $$...$$: a block of its own
    written: str  # the text as written, delimiters and all (what it stands for in code or an attribute)


class Extracted(NamedTuple):
    text: str  # the Markdown with every formula replaced by a placeholder
    formulas: list  # Formula per placeholder, in order
    marker: str  # the placeholders are marker + index + "X"


def extract(text: str) -> Extracted:
    """The text with its math replaced by placeholders (the text itself when it has no `$`)."""
    if "$" not in text:
        return Extracted(text, [], "")
    marker = "MathZ"
    while marker in text:
        marker += "q"
    formulas: list[Formula] = []
    out: list[str] = []
    fence = ""  # the fence of the code block the scan is in, '' outside
    position = 0  # where the text not yet copied starts
    for found in FENCE_RE.finditer(text):  # only fence lines are looked at one by one
        run, info = found.group(1), found.group(2)
        if not fence:
            if run[0] == "`" and "`" in info:  # ``` followed by a backtick opens no code block
                continue
            out.append(_prose(text[position : found.start()], formulas, marker))
            fence, position = run, found.start()
        elif run[0] == fence[0] and len(run) >= len(fence) and not info.strip():
            out.append(text[position : found.end()])  # the code block, as it is
            fence, position = "", found.end()
    out.append(text[position:] if fence else _prose(text[position:], formulas, marker))
    if not formulas:
        return Extracted(text, [], "")
    return Extracted("".join(out), formulas, marker)


def _prose(text: str, formulas: list, marker: str) -> str:
    """Text outside fenced code, its formulas replaced paragraph by paragraph."""
    if "$" not in text:
        return text
    return "".join(_inline(part, formulas, marker) for part in BLANK_LINES_RE.split(text))


def _inline(block: str, formulas: list, marker: str) -> str:
    """One run of lines between blank lines and fences, its formulas replaced."""
    if "$" not in block:
        return block
    out: list[str] = []
    i, end = 0, len(block)
    find = block.find
    target = LINK_TARGET_RE.search(block) if "](" in block or "<" in block else None
    stops: list[int] = []  # where a `$...$` can end (_stops), made on first need
    while i < end:
        # the next `$`, backtick run or link target, whichever comes first
        dollar, tick = find("$", i), find("`", i)
        if dollar < 0:
            break
        if target is not None and target.start() < i:  # passed: the next one (searched once per target)
            target = LINK_TARGET_RE.search(block, i)
        if target is not None and target.start() < dollar and (tick < 0 or target.start() < tick):  # ](url) or <url>: no math in it
            out.append(block[i : target.end()])
            i = target.end()
            continue
        if 0 <= tick < dollar:
            run = BACKTICKS_RE.match(block, tick).group(0)
            close = _closing_ticks(block, tick + len(run), run)
            if close < 0:  # no matching run: the backticks are text
                out.append(block[i : tick + len(run)])
                i = tick + len(run)
                continue
            out.append(block[i:close])  # a code span: kept as it is
            i = close
            continue
        j = dollar
        if _escaped(block, j):
            out.append(block[i : j + 1])
            i = j + 1
            continue
        found = _formula_at(block, j, stops)
        if found is None:
            out.append(block[i : j + 1] if not block.startswith("$$", j) else block[i : j + 2])
            i = j + (2 if block.startswith("$$", j) else 1)
            continue
        formula, stop = found
        out.append(block[i:j])
        out.append(f"{marker}{len(formulas)}X")
        formulas.append(formula)
        i = stop
    out.append(block[i:])
    return "".join(out)


def _closing_ticks(block: str, start: int, run: str) -> int:
    """Where the code span opened by `run` ends (just after its closing run), or -1."""
    for found in BACKTICKS_RE.finditer(block, start):
        if found.group(0) == run:
            return found.end()
    return -1


def _escaped(text: str, at: int) -> bool:
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _stops(block: str) -> list[int]:
    """Where a `$...$` that started before can end, in order: each `$` not escaped and either not
    after white space (a closing one) or the start of `$$` (no pairing across it); then the end."""
    found = [m.start() for m in DOLLAR_RE.finditer(block, 1)
             if not _escaped(block, m.start()) and (block.startswith("$$", m.start()) or not block[m.start() - 1].isspace())]
    return found + [len(block)]


def _formula_at(block: str, at: int, stops: list[int]) -> tuple[Formula, int] | None:
    """The formula that starts at the `$` at `at`, and where it ends; None when it is no formula.
    `stops`: _stops(block), filled here on first need (so that a `$` no `$` closes does not make
    each later one look at every `$` after it)."""
    if block.startswith("$$", at):
        close = at + 2
        while True:
            close = block.find("$$", close)
            if close < 0:
                return None
            if not _escaped(block, close):
                break
            close += 1
        source = block[at + 2 : close]
        if not source.strip():
            return None
        return Formula(source.strip(), True, block[at : close + 2]), close + 2
    if block.startswith("$`", at):  # $`...`$: the backticks keep the TeX apart from Markdown
        run = BACKTICKS_RE.match(block, at + 1).group(0)
        close = block.find(run + "$", at + 1 + len(run))
        if close < 0 or close == at + 1 + len(run):
            return None
        return Formula(block[at + 1 + len(run) : close], False, block[at : close + len(run) + 1]), close + len(run) + 1
    if at + 1 >= len(block) or block[at + 1].isspace():
        return None
    if not stops:
        stops.extend(_stops(block))
    close = stops[bisect.bisect_left(stops, at + 1)]
    if close == len(block):
        return None
    if block.startswith("$$", close):
        return None  # `$a$$b`: no pairing that GitHub would make either
    if close + 1 < len(block) and block[close + 1].isdigit():
        return None  # "$5 and $10": prices, not math
    source = block[at + 1 : close]
    if "`" in source and _splits_code(source):
        return None
    return Formula(source, False, block[at : close + 1]), close + 1


def _splits_code(source: str) -> bool:
    """Whether a $...$ candidate opens a code span it does not close (then the code wins)."""
    return len(BACKTICKS_RE.findall(source)) % 2 == 1


_CLEANER = None


def clean(markup: str) -> str:
    """MathML from latex2mathml through the MathML allow-list."""
    global _CLEANER
    if _CLEANER is None:
        import nh3

        _CLEANER = nh3.Cleaner(tags=MATH_TAGS, attributes=MATH_ATTRIBUTES, clean_content_tags={"script", "style"},
                               url_schemes=set(), strip_comments=True, link_rel=None)
    return _CLEANER.clean(markup)


MEMO_LONGEST = 200  # formulas up to this many characters are converted once per process...
MEMO_SIZE = 4096  # ...the last this many of them remembered: at most a few MB


def to_mathml(source: str, display: bool) -> str:
    """The formula as clean MathML, or, when it cannot be converted, its TeX as code titled with why.
    Short formulas repeat (`$x$`, `$n$` on every page) and each conversion costs a fifth of a
    millisecond: they are converted once per process."""
    if len(source) <= MEMO_LONGEST:
        return _remembered(source, display)
    return _convert(source, display)


@functools.lru_cache(maxsize=MEMO_SIZE)
def _remembered(source: str, display: bool) -> str:
    return _convert(source, display)


def _convert(source: str, display: bool) -> str:
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return _as_code(source, display, "math needs latex2mathml: pip install 'pepctl[site]'")
    try:
        markup = convert(source, display="block" if display else "inline")
    except Exception as err:  # latex2mathml raises its own errors, and others on odd input
        name = type(err).__name__.removesuffix("Error")
        why = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower() or "not TeX it can read"
        return _as_code(source, display, f"this TeX could not be shown as math ({why})")
    unknown = UNKNOWN_COMMAND_RE.search(markup)
    if unknown:
        return _as_code(source, display, f"this TeX could not be shown as math (unknown command {unknown.group(1)})")
    return clean(markup)


def _as_code(source: str, display: bool, why: str) -> str:
    text = html_lib.escape(source)
    title = html_lib.escape(why)
    if display:
        return f'<pre class="math-error" tabindex="0" title="{title}"><code>{text}</code></pre>'
    return f'<code class="math-error" title="{title}">{text}</code>'


def restore(markup: str, extracted: Extracted) -> str:
    """The rendered page with every placeholder back: as MathML in running text; as the text
    written in code, in a tag (an attribute) and in the alt text of images."""
    formulas = extracted.formulas
    pattern = re.compile(re.escape(extracted.marker) + r"(\d+)X")
    marks = Marks(markup)

    def back(match: re.Match) -> str:
        index = int(match.group(1))
        if index >= len(formulas):
            return match.group(0)
        formula = formulas[index]
        start = match.start()
        if marks.in_tag(start) or marks.in_code(start):
            return html_lib.escape(formula.written)
        return to_mathml(formula.source, formula.display)

    return pattern.sub(back, markup)


def source_text(text: str, extracted: Extracted) -> str:
    """Some text (a heading's label) with its placeholders back as the TeX written."""
    if not extracted.formulas or extracted.marker not in text:
        return text
    pattern = re.compile(re.escape(extracted.marker) + r"(\d+)X")
    return pattern.sub(lambda m: extracted.formulas[int(m.group(1))].source
                       if int(m.group(1)) < len(extracted.formulas) else m.group(0), text)


class Marks:
    """Where a page's tags and code elements start, listed once: looking back from each formula
    through the page (str.rfind) made a page of many formulas cost the square of its length."""

    def __init__(self, markup: str):
        self.lt, self.gt, self.opened, self.closed = ([m.start() for m in re.finditer(what, markup)]
                                                      for what in ("<", ">", "<code|<pre", "</code>|</pre>"))

    @staticmethod
    def last(positions: list[int], at: int) -> int:
        """The last of `positions` before `at` (a placeholder, whose letters no mark shares), or -1."""
        i = bisect.bisect_left(positions, at)
        return positions[i - 1] if i else -1

    def in_tag(self, at: int) -> bool:
        return self.last(self.lt, at) > self.last(self.gt, at)

    def in_code(self, at: int) -> bool:
        """Whether `at` lies in a <code> or <pre> element (they do not nest in cmark's output)."""
        opened = self.last(self.opened, at)
        return opened >= 0 and opened > self.last(self.closed, at)
