"""Syntax highlighting of fenced code blocks with Pygments, cached per (language, code).

Output is ``<span class="k">`` markup with Pygments' short class names, so
any Pygments style sheet applies; neighbouring tokens of one class share a
span. Unknown languages come back as plain escaped text.

Each result is kept by a hash of the language, the code, Pygments' version
and this module's output format: in memory (`site serve` keeps its
Highlighter from one rebuild to the next) and, in a build, on disk in the
build cache (DiskCache), so that a full build after the first highlights only
the code it has not seen.
"""

from __future__ import annotations

import hashlib
import re

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers._mapping import LEXERS
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from pepctl.site.fastlex import accelerate

PLAIN = {"", "text", "plain", "plaintext", "txt", "none", "nohighlight", "output"}
# A lexer takes the combined-match driver once it has lexed this much code:
# compiling the combined patterns pays off only for languages used a lot.
ACCELERATE_AFTER = 30_000
# Whitespace gets no span: no style colours it, and a span per run of spaces
# made a quarter of the bytes of a highlighted page.
UNSTYLED = {"w"}
ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Part of every cache key: change it when the markup made for the same tokens changes.
OUTPUT_FORMAT = "1"
_KEY_PREFIX = f"{OUTPUT_FORMAT}\0{pygments.__version__}\0"


# The first word after a ``` run: fenced code blocks' languages, roughly (a cheap scan of a file's bytes
# for sharing out the pages of a build; closing fences give empty names, ~~~ fences are not looked at).
FENCE_LANGUAGE_RE = re.compile(rb"```[ \t]*([^\s`]*)")
UNKNOWN = "?"  # every name Pygments does not know: the first one costs a search of installed plugins


def code_languages(data: bytes) -> list[str]:
    """The languages of the fenced code blocks in a Markdown file, as the names of the lexers for them.

    Names no lexer built into Pygments answers to all come out as UNKNOWN. Only a hint: it decides
    which process of a build highlights which code, so that a language's lexer is set up once.
    """
    names = {name.decode("ascii", "replace").lower() for name in FENCE_LANGUAGE_RE.findall(data)}
    names -= PLAIN
    if not names:
        return []
    lexers = lexer_names()
    # "mermaid" is kept by its name: no lexer has it, but the build wants to know a page draws diagrams
    return sorted({lexers.get(name, name if name == "mermaid" else UNKNOWN) for name in names})


_LEXER_NAMES: dict | None = None


def lexer_names() -> dict:
    """Alias -> name of the Pygments lexer it selects (``py`` and ``python`` -> ``Python``)."""
    global _LEXER_NAMES
    if _LEXER_NAMES is None:
        _LEXER_NAMES = {alias: name for _module, name, aliases, _files, _mimes in LEXERS.values()
                        for alias in aliases}
    return _LEXER_NAMES


def escape(text: str) -> str:
    return text.translate(ESCAPE)


class DiskCache:
    """Highlighted code in the build cache's SQLite file (cache.Store), for the builds to come.

    A forked worker uses the store's own connection (opened again in each process). New
    results wait in memory (up to FLUSH_BYTES) and go to disk in one transaction; the
    entries a build used are marked with its generation, so that what no build used lately
    can be pruned (see `prune`). Writes from several processes take turns (SQLite's lock).
    """

    FLUSH_BYTES = 4_000_000
    MAX_BYTES = 256_000_000  # beyond this, the entries used longest ago go

    def __init__(self, store, generation: int):
        self.store = store
        self.generation = generation
        self.pending: dict[bytes, str] = {}
        self.pending_bytes = 0
        self.used: list[bytes] = []
        self.hits = self.misses = 0

    def get(self, key: bytes) -> str | None:
        html = self.pending.get(key)
        if html is None:
            row = self.store.db.execute("SELECT html FROM highlight WHERE key=?", (key,)).fetchone()
            if row is None:
                self.misses += 1
                return None
            html = row[0]
            self.used.append(key)
        self.hits += 1
        return html

    def put(self, key: bytes, html: str) -> None:
        self.pending[key] = html
        self.pending_bytes += len(html)
        if self.pending_bytes >= self.FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the new results and mark the ones used (each process, once its pages are done)."""
        if not self.pending and not self.used:
            return
        generation = self.generation
        db = self.store.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO highlight VALUES (?, ?, ?, ?)",
                           [(key, html, generation, len(html)) for key, html in self.pending.items()])
            db.executemany("UPDATE highlight SET used=? WHERE key=? AND used<>?",
                           [(generation, key, generation) for key in self.used])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.pending, self.pending_bytes, self.used = {}, 0, []

    def prune(self, everything_rendered: bool) -> None:
        """After a build that highlighted every page, drop what it did not use; after any build, keep the
        cache under MAX_BYTES by dropping the entries used longest ago."""
        db = self.store.db
        if everything_rendered:
            db.execute("DELETE FROM highlight WHERE used < ?", (self.generation,))
        total = db.execute("SELECT coalesce(sum(size), 0), count(*) FROM highlight").fetchone()
        if total[0] > self.MAX_BYTES and total[1]:
            over = (total[0] - self.MAX_BYTES) / (total[0] / total[1])  # about how many entries to drop
            db.execute("DELETE FROM highlight WHERE key IN (SELECT key FROM highlight ORDER BY used LIMIT ?)",
                       (int(over) + 1,))


class Highlighter:
    """Highlights code blocks; remembers every result by a hash of language and code (in memory, and in
    `disk` when given: then the memory keeps nothing, so a build's memory does not grow with its code)."""

    def __init__(self, cache: dict | None = None, disk: DiskCache | None = None):
        self.cache: dict[bytes, str] = cache if cache is not None else {}
        self.disk = disk
        self._lexers: dict[str, object] = {}
        self._volume: dict[int, int] = {}  # characters lexed per lexer, to decide when to accelerate
        self._classes: dict = {}

    @staticmethod
    def key(lang: str, code: str) -> bytes:
        return hashlib.blake2b(f"{_KEY_PREFIX}{lang}\0{code}".encode("utf-8", "surrogatepass"),
                               digest_size=16).digest()

    def lexer(self, lang: str):
        lang = lang.strip().lower()
        if lang in self._lexers:
            return self._lexers[lang]
        lexer = None
        if lang not in PLAIN:
            try:
                lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False)
            except (ClassNotFound, ValueError):
                lexer = None
        self._lexers[lang] = lexer
        return lexer

    def css_class(self, ttype) -> str:
        cls = self._classes.get(ttype)
        if cls is None:
            probe = ttype
            cls = STANDARD_TYPES.get(probe)
            while cls is None and probe.parent is not None:
                probe = probe.parent
                cls = STANDARD_TYPES.get(probe)
            if cls in UNSTYLED:
                cls = ""
            self._classes[ttype] = cls = cls or ""
        return cls

    def highlight(self, lang: str, code: str) -> str:
        """HTML for the inside of ``<code>``: escaped text in classed spans."""
        key = self.key(lang.strip().lower(), code)
        html = self.cache.get(key)
        if html is not None:
            return html
        disk = self.disk
        if disk is not None:
            html = disk.get(key)
            if html is not None:
                return html
        lexer = self.lexer(lang)
        if lexer is None:
            return escape(code)  # nothing worth keeping
        html = self._format(lexer, code)
        if disk is not None:
            disk.put(key, html)
        else:
            self.cache[key] = html
        return html

    def _format(self, lexer, code: str) -> str:
        volume = self._volume.get(id(lexer), 0)
        if volume < ACCELERATE_AFTER:
            volume += len(code)
            self._volume[id(lexer)] = volume
            if volume >= ACCELERATE_AFTER:
                accelerate(lexer)
        out: list[str] = []
        append = out.append
        classes = self._classes
        css_class = self.css_class
        current = None
        text = None  # the run of tokens of the current class (short: added to as a string)
        try:
            tokens = lexer.get_tokens_unprocessed(code)
            for _, ttype, value in tokens:
                cls = classes.get(ttype)
                if cls is None:
                    cls = css_class(ttype)
                if cls != current:
                    if text is not None:
                        text = text.translate(ESCAPE)
                        append(f'<span class="{current}">{text}</span>' if current else text)
                    current = cls
                    text = value
                else:
                    text += value
            if text is not None:
                text = text.translate(ESCAPE)
                append(f'<span class="{current}">{text}</span>' if current else text)
        except Exception:  # a lexer bug must not stop the build: show the code plain
            return escape(code)
        return "".join(out)


def style_sheet() -> str:
    """CSS for the highlight classes: a light style, and a dark one for dark schemes."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    try:
        dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    except ClassNotFound:
        dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    light = "\n".join(line for line in light.splitlines() if not line.startswith(("pre {", ".highlight .hll")))
    dark = "\n".join(line for line in dark.splitlines() if not line.startswith(("pre {", ".highlight .hll")))
    return (
        "/* Generated from Pygments styles. */\n"
        f"{light}\n.highlight {{ background: transparent; }}\n"
        f"@media (prefers-color-scheme: dark) {{\n{dark}\n.highlight {{ background: transparent; }}\n}}\n"
    )
