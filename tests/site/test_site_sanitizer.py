"""The sanitiser (pepctl.site.sanitizer): cmark-gfm's GitHub extensions, and no active content in a page
whatever its text holds."""

from __future__ import annotations

import re

import pytest

from sitehelpers import CORPUS, cpu_bounded  # noqa: F401  (CORPUS: skips the module without the site extra)

from pepctl.site.highlight import Highlighter
from pepctl.site.markdown import Renderer
from pepctl.site.sanitizer import make_cleaner, markdown_to_html, sanitize


def render(text: str) -> str:
    return Renderer(Highlighter()).render(text).html


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


def test_task_list_checkboxes_exactly():
    assert render("- [x] done <sub>1</sub>\n- [ ] open\n") == (
        '<ul>\n<li><input checked="" disabled="disabled" type="checkbox"> done <sub>1</sub></li>\n'
        '<li><input disabled="disabled" type="checkbox"> open</li>\n</ul>\n')


def test_forced_attributes_keep_the_tag_whole():
    assert sanitize('<input type="text" checked disabled/>') == '<input checked="" disabled="disabled" type="checkbox">'
    assert sanitize("<input>") == '<input disabled="disabled" type="checkbox">'


def test_script_and_style_lose_their_content_too():
    assert sanitize("<p>a<script>alert(1)</script>b<style>x{}</style>c</p>") == "<p>abc</p>"
    assert render('<noscript><p title="</noscript><script>alert(1)</script>">') == '<p>&lt;p title=""&gt;</p>\n'


@pytest.mark.parametrize("target", ["ftp://files.example/spec.txt", "tel:+15551234", "sms:+15551234",
                                    "ssh://host.example"])
def test_links_keep_only_web_and_mail_addresses(target):
    html = render(f"[a link](<{target}>) and <a href=\"{target}\">raw</a>\n")
    assert "href" not in html and target not in html  # the text stays, the address goes
    assert "a link" in html and "raw" in html
    assert 'href="https://ok.example/"' in render("[ok](https://ok.example/)\n")
    assert 'href="mailto:a@example.org"' in render("<mailto:a@example.org>\n")


def test_the_cleaner_alone_keeps_only_web_and_mail_addresses():
    # the first of two checks (links.py checks each target again): each must hold on its own
    cleaned = make_cleaner().clean('<a href="ftp://x.example/f">f</a> <a href="tel:+15551234">t</a> '
                                   '<a href="https://ok.example/">ok</a> <a href="mailto:a@example.org">m</a>')
    assert "ftp:" not in cleaned and "tel:" not in cleaned
    assert 'href="https://ok.example/"' in cleaned and 'href="mailto:a@example.org"' in cleaned


def test_raw_html_nested_without_end_is_left_out_in_linear_time(tmp_path):
    # the cleaner's HTML parser looks through every open element at each new block tag: 1 MB of
    # "<div>" took minutes of CPU (the square of the depth). Past a depth no PEP comes near, the
    # raw HTML is left out, as cmark-gfm's safe mode does; the text stays. The bound is a hundred
    # times what the work takes.
    out = cpu_bounded("import sys\n"
                      "from pepctl.site.sanitizer import safe_html\n"
                      "html = safe_html(open(sys.argv[1], encoding='utf-8').read())\n"
                      "print('Kept words.' in html, '<div' in html)\n", "Kept words.\n\n" + "<div>\n" * 200_000, tmp_path, 20)
    assert out == "True False\n"


def test_raw_html_of_usual_depth_is_kept():
    from pepctl.site.sanitizer import safe_html

    nested = "<details><summary>More</summary>\n\n" * 40 + "deep\n\n" + "</details>\n\n" * 40
    html = safe_html(nested)
    assert html.count("<details>") == 40 and "deep" in html
