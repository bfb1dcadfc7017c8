"""Markdown rendering (pepctl.site.markdown): heading anchors, highlighted code blocks, fragment links,
footnotes, inline values."""

from __future__ import annotations

import re

import pytest

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.highlight import Highlighter
from pepctl.site.markdown import Renderer, ids_in, slugify


def render(text: str) -> str:
    return Renderer(Highlighter()).render(text).html


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
    assert ids_in(markup) == re.findall(r'\sid="([^"]+)"', markup)



def test_a_code_block_without_a_language_is_marked_for_the_stylesheet():
    assert render("```\nx < y\n```\n") == '<pre class="highlight" tabindex="0"><code>x &lt; y\n</code></pre>\n'
    assert Renderer().render("```python\nx = 1\n```\n").html == (
        '<pre class="highlight" tabindex="0" data-lang="python"><code>x = 1\n</code></pre>\n')


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


def test_a_fence_without_a_language_has_no_language_label():
    html = render("```   \nplain <text>\n```\n")
    assert '<pre class="highlight" tabindex="0"><code>plain &lt;text&gt;' in html and "data-lang" not in html


def test_a_headings_anchor_is_made_from_its_text_without_the_inline_markup():
    html = render("## Use *this* `one` and [that](https://e.example/)\n")
    assert 'id="use-this-one-and-that"' in html
