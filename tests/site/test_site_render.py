"""Markdown rendering: GitHub features, heading anchors, links between PEPs, sanitising, highlighting."""

from __future__ import annotations

import re

import pytest

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.highlight import Highlighter
from pepctl.site.markdown import LinkContext, Renderer, pep_links_in, slugify


def render(text: str, links: LinkContext | None = None) -> str:
    return Renderer(Highlighter()).render(text, links).html


def test_gfm_table_with_alignment():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html


def test_gfm_task_list_renders_disabled_checkboxes():
    html = render("- [x] done\n- [ ] open\n")
    done, open_ = re.findall(r"<li>(<input[^>]*>) (\w+)</li>", html)
    assert done[1] == "done" and open_[1] == "open"
    for tag in (done[0], open_[0]):
        assert 'type="checkbox"' in tag and re.search(r"\sdisabled\b", tag)
    assert "checked" in done[0] and "checked" not in open_[0]


def test_checkboxes_in_text_with_raw_html_keep_one_attribute_order():
    """nh3 adds the forced attributes in hash order, which differs between cleaners and processes."""
    from pepctl.site.markdown import make_cleaner, markdown_to_html, sanitize

    markup = markdown_to_html("- [x] done <sub>1</sub>\n- [ ] open\n\n<input type=text onclick=alert(1)>\n")
    pages = {sanitize(markup, make_cleaner()) for _ in range(40)}  # each cleaner hashes with new keys
    assert len(pages) == 1
    page = pages.pop()
    assert page.count('disabled="disabled" type="checkbox"') == 3 and "onclick" not in page


def test_gfm_strikethrough():
    assert "<del>gone</del>" in render("~~gone~~")


@pytest.mark.parametrize("text, href", [
    ("see https://example.com/a?b=1 now", "https://example.com/a?b=1"),
    ("see www.example.org now", "http://www.example.org"),
    ("mail me@example.com now", "mailto:me@example.com"),
])
def test_gfm_autolinks(text, href):
    assert f'href="{href}"' in render(text)


def test_fenced_code_is_highlighted_and_escaped():
    html = render("```python\ndef f(x):\n    return x < 1  # <b>\n```\n")
    assert '<pre class="highlight" tabindex="0" data-lang="python">' in html
    assert '<span class="k">def</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_unknown_language_is_shown_plain():
    html = render("```no-such-language\n<x> & y\n```\n")
    assert "&lt;x&gt; &amp; y" in html


@pytest.mark.parametrize("title, slug", [
    ("Summary", "summary"),
    ("Design: \"Keys\" & Values!", "design-keys--values"),
    ("API Changes (v2)", "api-changes-v2"),
    ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ("Ünïcode Wörds", "ünïcode-wörds"),
])
def test_heading_anchor_slugs_match_github(title, slug):
    assert slugify(title) == slug
    assert f'<h2 id="{slug}">' in render(f"## {title}\n")


def test_duplicate_headings_get_numbered_anchors():
    html = render("## Goals\n\n## Goals\n\n## Goals\n")
    assert [m for m in re.findall(r'<h2 id="([^"]+)"', html)] == ["goals", "goals-1", "goals-2"]


LINKS = LinkContext({"PEP-0042-cache.md": "pep/PEP-0042-cache.html"}, {42: "pep/PEP-0042-cache.html",
                                                                       7: "pep/PEP-0007-old-name.html"}, prefix="../")


@pytest.mark.parametrize("markdown, expected", [
    ("[a](PEP-0042-cache.md)", 'href="../pep/PEP-0042-cache.html"'),
    ("[a](./PEP-0042-cache.md#design)", 'href="../pep/PEP-0042-cache.html#design"'),
    ("[a](PEP-0007-renamed.md)", 'href="../pep/PEP-0007-old-name.html"'),  # same number, file renamed
    ("[a](PEP-0099-missing.md)", 'class="missing-link" title="PEP-0099-missing.md is not in the PEP folder"'),
    ("[a](#local)", 'href="#local"'),
    ("[a](https://example.com/PEP-0042-cache.md)", 'href="https://example.com/PEP-0042-cache.md"'),
])
def test_links_between_peps_go_to_site_pages(markdown, expected):
    assert expected in render(markdown, LINKS)


def test_relative_links_go_to_the_repository_when_it_is_configured():
    links = LinkContext({}, {}, "https://github.com/o/r/blob/main/docs/peps/",
                        "https://github.com/o/r/raw/main/docs/peps/", "../")
    html = render("[readme](../README.md) ![pic](img/a.png)", links)
    assert 'href="https://github.com/o/r/blob/main/docs/peps/../README.md"' in html
    assert 'src="https://github.com/o/r/raw/main/docs/peps/img/a.png"' in html


def test_relative_links_without_a_repository_lose_their_target():
    html = render("[readme](../README.md)", LinkContext({}, {}, prefix="../"))
    assert "href=" not in html.replace('href="#', "") and "missing-link" in html


def test_pep_links_in_finds_inline_and_reference_links():
    text = "[a](PEP-0001-a.md) [b]: ./PEP-0002-b.md#x\n`PEP-0003-c.md` PEP-0004 and PEP-0005-e.md"
    assert pep_links_in(text) == ["PEP-0001-a.md", "PEP-0002-b.md", "PEP-0003-c.md", "PEP-0005-e.md"]


HOSTILE = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "script:"),
    ('<a href="  javascript:alert(1)">x</a>', "javascript:"),
    ("[x](javascript:alert(1))", "javascript:"),
    ("[x](javascript:alert(1)) <!-- raw -->", "javascript:"),
    ("![x](data:image/png;base64,AAAA)", "data:"),
    ("[x](vbscript:msgbox(1)) [y](file:///etc/passwd) [z](irc://x)", "script:"),
    ("<https://e.example> and <javascript:alert(1)>", "javascript:"),
    ('<a href="data:text/html,hi">x</a>', "data:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript:"),
    ('<iframe src="https://example.com"></iframe>', "<iframe"),
    ('<object data="x"></object>', "<object"),
    ('<embed src="x">', "<embed"),
    ('<form action="https://e.example"><input name="q"></form>', "<form"),
    ("<style>body{display:none}</style>", "<style"),
    ('<div style="position:fixed">x</div>', "style="),
    ('<details ontoggle="alert(1)" open>x</details>', "ontoggle"),
    ('<math><mtext><img src=x onerror="alert(1)"></mtext></math>', "onerror"),
    ('<a href="#" onclick="alert(1)">x</a>', "onclick"),
    ('<meta http-equiv="refresh" content="0;url=https://e.example">', "<meta"),
    ('<base href="https://e.example/">', "<base"),
    ('<div class="banner banner-declined">fake banner</div>', "banner"),
]


@pytest.mark.parametrize("markdown, forbidden", HOSTILE)
def test_sanitiser_removes_active_content(markdown, forbidden):
    html = render(markdown + "\n")
    tags = re.findall(r"<[^>]+>", html)
    assert not [tag for tag in tags if forbidden.lower() in tag.lower()]
    assert not re.search(r"<(script|iframe|object|embed|form|style|meta|base)\b", html, re.I)
    assert not re.search(r"\son\w+\s*=", html, re.I)
    assert not re.search(r'(href|src)="\s*(javascript|data|vbscript|file|irc):', html, re.I)
    assert 'href=""' not in html


def test_ids_from_raw_html_are_prefixed():
    html = render('<a id="site-search-q">x</a>\n')
    assert 'id="user-content-site-search-q"' in html


def test_footnote_links_match_their_prefixed_ids():
    html = render("Text[^1].\n\n[^1]: Note.\n")
    assert 'href="#user-content-fn-1"' in html and 'id="user-content-fn-1"' in html
    assert 'href="#user-content-fnref-1"' in html and 'id="user-content-fnref-1"' in html


@pytest.mark.parametrize("markup", [
    '<h2 id="a">A</h2><p id="b" title="x">',
    'id="start" <b\tid="tab">\n<i\nid="newline">',
    '<a  id="">empty</a> <a id="ok">',
    '<span data-id="no"> <span xid="no"> <span id="yes">',
    '<p id="unclosed>',
    '<p id="a id="b">',
    '<p\u00a0id="nbsp">',
])
def test_ids_in_matches_the_id_regex(markup):
    from pepctl.site.markdown import ids_in

    assert ids_in(markup) == re.findall(r'\sid="([^"]+)"', markup)


def test_root_relative_links_go_to_the_repository_root():
    repo = "https://github.com/o/r"
    links = LinkContext({}, {}, f"{repo}/blob/main/docs/peps/", f"{repo}/raw/main/docs/peps/", "../",
                        root_blob=f"{repo}/blob/main/", root_raw=f"{repo}/raw/main/")
    html = render("[licence](/LICENSE) ![logo](/img/a.png) [site](//example.com/x)", links)
    assert 'href="https://github.com/o/r/blob/main/LICENSE"' in html
    assert 'src="https://github.com/o/r/raw/main/img/a.png"' in html
    assert 'href="//example.com/x"' in html  # protocol-relative: another host, left alone


def test_a_pep_folder_file_with_no_page_is_linked_like_any_other_file():
    def publishes(name):
        return name != "PEP-TEMPLATE.md"

    links = LinkContext({}, {}, "https://github.com/o/r/blob/main/peps/", prefix="../", publishes=publishes)
    assert 'href="https://github.com/o/r/blob/main/peps/PEP-TEMPLATE.md"' in render("[t](PEP-TEMPLATE.md)", links)
    offline = LinkContext({}, {}, prefix="../", publishes=publishes)
    assert 'title="PEP-TEMPLATE.md is not on the website"' in render("[t](PEP-TEMPLATE.md)", offline)
    assert 'title="PEP-0099-x.md is not in the PEP folder"' in render("[t](PEP-0099-x.md)", offline)


def test_links_to_pep_files_with_percent_encoded_names_find_their_page():
    links = LinkContext({"PEP-0040-a b.md": "pep/PEP-0040-a%20b.html"}, {}, prefix="../")
    assert 'href="../pep/PEP-0040-a%20b.html#x"' in render("[a](<PEP-0040-a b.md#x>) [b](PEP-0040-a%20b.md)", links)
    assert render("[b](PEP-0040-a%20b.md)", links).count('href="../pep/PEP-0040-a%20b.html"') == 1


# -- exact markup of the steps after cleaning ------------------------------------------------------


def test_a_code_block_without_a_language_is_marked_for_the_stylesheet():
    assert render("```\nx < y\n```\n") == '<pre class="highlight" tabindex="0"><code>x &lt; y\n</code></pre>\n'
    assert Renderer().render("```python\nx = 1\n```\n").html == (
        '<pre class="highlight" tabindex="0" data-lang="python"><code>x = 1\n</code></pre>\n')


def test_task_list_checkboxes_exactly():
    assert render("- [x] done <sub>1</sub>\n- [ ] open\n") == (
        '<ul>\n<li><input checked="" disabled="disabled" type="checkbox"> done <sub>1</sub></li>\n'
        '<li><input disabled="disabled" type="checkbox"> open</li>\n</ul>\n')


def test_forced_attributes_keep_the_tag_whole():
    from pepctl.site.markdown import sanitize

    assert sanitize('<input type="text" checked disabled/>') == '<input checked="" disabled="disabled" type="checkbox">'
    assert sanitize("<input>") == '<input disabled="disabled" type="checkbox">'


def test_script_and_style_lose_their_content_too():
    from pepctl.site.markdown import sanitize

    assert sanitize("<p>a<script>alert(1)</script>b<style>x{}</style>c</p>") == "<p>abc</p>"
    assert render('<noscript><p title="</noscript><script>alert(1)</script>">') == '<p>&lt;p title=""&gt;</p>\n'


def test_fragment_links_find_their_anchor_whatever_the_case():
    html = render('## My Title\n\n[go](#MY-TITLE) [b](#Foo) [c](#my-title) [d](#nowhere) <a id="Foo"></a>')
    assert '<a href="#my-title" rel="noopener noreferrer nofollow">go</a>' in html
    assert '<a href="#user-content-Foo" rel="noopener noreferrer nofollow">b</a>' in html
    assert '<a href="#my-title" rel="noopener noreferrer nofollow">c</a>' in html
    assert '<a href="#nowhere" rel="noopener noreferrer nofollow">d</a>' in html


@pytest.mark.parametrize("text, inline", [
    ("*x* and `y`", "<em>x</em> and <code>y</code>"),
    ("a\n\nb", "<p>a</p>\n<p>b</p>"),
    ("plain", "plain"),
    ("", ""),
])
def test_inline_drops_the_one_paragraph(text, inline):
    assert Renderer().inline(text) == inline


@pytest.mark.parametrize("markdown, html", [
    ("[x](javascript:alert(1))", "<p><a>x</a></p>\n"),  # safe mode empties it; the empty target goes
    ("[x](ftp://host/f)", "<p><a>x</a></p>\n"),  # a scheme the site does not link to
    ("![i](ftp://host/i.png)", '<p><img alt="i" /></p>\n'),
])
def test_targets_with_other_schemes_are_removed_cleanly(markdown, html):
    assert Renderer().render(markdown).html == html
