"""The combined-match lexer driver yields exactly Pygments' own tokens; highlighting is cached."""

from __future__ import annotations

import html
import os
import re

import pytest

from sitehelpers import CORPUS

from pygments.lexer import ExtendedRegexLexer, RegexLexer
from pygments.lexers import get_lexer_by_name

from pepctl.site.fastlex import accelerate
from pepctl.site.highlight import UNKNOWN, Highlighter, code_languages

SAMPLES = {
    "python": 'import os\n@deco\ndef f(a: int = 1, *b, **c) -> "str":\n    """doc"""\n    return f"{a!r:>3}" + r\'\\d\' # c\n',
    "rust": 'fn main() { let s = r#"raw "str""#; let b = b\'x\'; println!("{}", s); }\n// comment\n#[derive(Debug)]\nstruct S<\'a> { x: &\'a str }\n',
    "swift": 'import Foundation\nlet s = "a \\(x + 1) b"\nfunc f<T: Equatable>(_ x: T) async throws -> T? { return x }\n/* block */ @objc class C: NSObject {}\n',
    "c": '#include <stdio.h>\nint main(void) { char *s = "x\\n"; return s[0] == \'x\' ? 0 : 1; }\n',
    "javascript": 'const re = /a+b/g; let t = `x${y}z`; function f() { return 0x1F >>> 1; }\n',
    "toml": '[tool.x]\nkey = "v"\nlist = [1, 2.5, true]\ndate = 2024-01-01T00:00:00Z\n',
    "yaml": 'a: 1\nb:\n  - "x"\n  - &anchor y\nc: *anchor\n',
    "bash": 'for f in *.md; do echo "$f" | grep -q x && exit 1; done\n',
    "json": '{"a": [1, 2, {"b": null}], "c": "d\\"e"}\n',
    "go": 'package main\nfunc main() { ch := make(chan int); go func() { ch <- 1 }(); <-ch }\n',
    "diff": '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n',
    "sql": "SELECT a, COUNT(*) FROM t WHERE b = 'x' GROUP BY a;\n",
}


def tokens(lexer, code):
    return list(lexer.get_tokens_unprocessed(code))


def eager(lang):
    """A lexer exactly as Pygments makes it: every rule compiled up front, Pygments' own driver."""
    lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    if isinstance(lexer, RegexLexer) and "_tokens" not in lexer.__dict__:
        lexer._tokens = type(lexer).process_tokendef("", type(lexer).get_tokendefs())
    return lexer


def fast(lang):
    """A lexer as the site makes it: the combined-match driver."""
    return accelerate(get_lexer_by_name(lang, stripnl=False, ensurenl=False))


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_fast_driver_yields_the_same_tokens(lang):
    code = SAMPLES[lang]
    plain = eager(lang)
    quick = fast(lang)
    # the driver applies to plain RegexLexers; others (JSON, YAML) keep their own code
    regex_based = isinstance(plain, RegexLexer) and not isinstance(plain, ExtendedRegexLexer)
    assert ("_pepctl_fast" in quick.__dict__) == regex_based
    assert tokens(quick, code) == tokens(plain, code)
    # broken input too: unbalanced strings and comments
    broken = code[: len(code) // 2] + '"\n/* (\n'
    assert tokens(quick, broken) == tokens(plain, broken)


def test_fast_driver_matches_on_the_corpus_code_blocks():
    if not CORPUS.is_dir():
        pytest.skip("the plano-1k corpus is not beside this checkout")
    import cmarkgfm

    block = re.compile(r'<pre lang="([^"]*)"><code>(.*?)</code></pre>', re.S)
    seen: dict[str, int] = {}
    plain: dict = {}
    quick: dict = {}
    for path in sorted(CORPUS.glob("PEP-*.md"))[::3]:
        out = cmarkgfm.github_flavored_markdown_to_html(path.read_text(encoding="utf-8", errors="replace"))
        for lang, code in block.findall(out):
            lang = lang.lower()
            if seen.get(lang, 0) >= 150:
                continue
            try:
                if lang not in plain:
                    plain[lang] = eager(lang)
                    quick[lang] = fast(lang)
            except Exception:
                plain[lang] = None
            if plain[lang] is None:
                continue
            seen[lang] = seen.get(lang, 0) + 1
            code = html.unescape(code)
            assert tokens(quick[lang], code) == tokens(plain[lang], code), (path.name, lang)
    assert seen.get("swift", 0) > 50 and seen.get("rust", 0) > 50


def test_other_lexers_in_the_process_keep_pygments_driver():
    quick = accelerate(get_lexer_by_name("python"))
    other = get_lexer_by_name("python")
    assert "_pepctl_fast" in quick.__dict__ and "_pepctl_fast" not in other.__dict__
    assert tokens(other, SAMPLES["python"]) == tokens(quick, SAMPLES["python"])


def test_highlights_are_cached_by_language_and_code():
    highlighter = Highlighter()
    first = highlighter.highlight("python", "x = 1\n")
    assert '<span class="n">x</span>' in first
    assert len(highlighter.cache) == 1
    assert highlighter.highlight("python", "x = 1\n") is first
    highlighter.highlight("rust", "x = 1\n")
    assert len(highlighter.cache) == 2


def test_highlighted_text_round_trips_to_the_code():
    code = 'if a < b && c > "d":\n    pass\n'
    out = Highlighter().highlight("python", code)
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == code


def test_code_languages_names_the_lexers_of_the_fences():
    text = (b"# Title\n\n```swift\nlet x = 1\n```\n\n```Python\nx\n```\n\n```py\ny\n```\n\n"
            b"```rust,ignore\nfn f() {}\n```\n\n```text\nplain\n```\n\n```\nno language\n```\n")
    assert code_languages(text) == sorted(["Swift", "Python", UNKNOWN])
    assert code_languages(b"no code at all") == []


# -- the highlight cache on disk ----------------------------------------------------------------


def site_files(out) -> dict:
    return {path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_warm_highlight_cache_gives_the_same_bytes_and_is_used(tmp_path, jobs):
    import shutil
    import sqlite3

    from sitehelpers import build, many_peps
    
    from pepctl.site import cache

    folder = many_peps(tmp_path, 60)  # enough pages for workers with jobs=2: both write entries
    out = tmp_path / "site"
    build(folder, out, jobs=jobs)
    cold = site_files(out)
    db = sqlite3.connect(os.path.join(cache.cache_dir(str(out)), cache.DB_FILE))
    entries = db.execute("SELECT count(*) FROM highlight").fetchone()[0]
    assert entries >= 60 * 2  # the python and rust blocks of each generated PEP (and the fixtures')
    shutil.rmtree(out)  # a cold build of the pages, with the highlight cache warm
    build(folder, out, jobs=jobs)
    assert site_files(out) == cold
    # the pages are made from the cache: an entry changed on disk shows in its page
    db.execute("UPDATE highlight SET html = 'FROM-THE-CACHE' WHERE html LIKE '%f107%'")
    db.commit()
    shutil.rmtree(out)
    build(folder, out, jobs=jobs)
    assert "FROM-THE-CACHE" in (out / "pep" / "PEP-0107-generated.html").read_text(encoding="utf-8")
    assert "FROM-THE-CACHE" not in (out / "pep" / "PEP-0108-generated.html").read_text(encoding="utf-8")


def test_the_highlight_cache_keeps_what_the_last_full_build_used_and_stays_bounded(tmp_path, monkeypatch):
    import shutil

    from sitehelpers import build, copy_fixtures

    from pepctl.site import cache
    from pepctl.site.highlight import DiskCache

    folder = copy_fixtures(tmp_path)
    page = folder / "PEP-0001-alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n```python\nold = 1\n```\n", encoding="utf-8")
    out = tmp_path / "site"
    build(folder, out)
    store = cache.Store(cache.cache_dir(str(out)))
    count = store.db.execute("SELECT count(*) FROM highlight").fetchone()[0]
    page.write_text(page.read_text(encoding="utf-8").replace("old = 1", "new = 2"), encoding="utf-8")
    build(folder, out)  # one page rendered: the old entry stays (a page not rendered may still need its own)
    assert store.db.execute("SELECT count(*) FROM highlight").fetchone()[0] == count + 1
    shutil.rmtree(out)
    build(folder, out)  # every page rendered: what it did not use goes
    html = [row[0] for row in store.db.execute("SELECT html FROM highlight")]
    assert len(html) == count and not any(">old<" in h for h in html) and any(">new<" in h for h in html)
    monkeypatch.setattr(DiskCache, "MAX_BYTES", 1)  # over the bound: the entries used longest ago go
    shutil.rmtree(out)
    build(folder, out)
    assert store.db.execute("SELECT count(*) FROM highlight").fetchone()[0] < count


def test_the_cache_key_holds_the_pygments_version_and_output_format(monkeypatch):
    from pepctl.site import highlight

    before = Highlighter.key("python", "x")
    monkeypatch.setattr(highlight, "_KEY_PREFIX", "another\0")
    assert Highlighter.key("python", "x") != before
