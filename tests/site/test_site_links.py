"""Links in a PEP's text (pepctl.site.links): to other proposals' pages, by file name or by number in
any format; into the repository; targets with other schemes removed."""

from __future__ import annotations

import pytest

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.highlight import Highlighter
from pepctl.site.links import LinkContext, number_in_link, pep_links_in, resolve_link
from pepctl.site.markdown import Renderer


def render(text: str, links: LinkContext | None = None) -> str:
    return Renderer(Highlighter()).render(text, links).html


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


@pytest.mark.parametrize("markdown, html", [
    ("[x](javascript:alert(1))", "<p><a>x</a></p>\n"),  # safe mode empties it; the empty target goes
    ("[x](ftp://host/f)", "<p><a>x</a></p>\n"),  # a scheme the site does not link to
    ("![i](ftp://host/i.png)", '<p><img alt="i" /></p>\n'),
])
def test_targets_with_other_schemes_are_removed_cleanly(markdown, html):
    assert Renderer().render(markdown).html == html



@pytest.mark.parametrize("path, number", [
    ("./eip-1559.md", 1559), ("eip-20.md", 20), ("../EIPS/eip-20.md", 20),  # EIP
    ("../PEP-0042-x.md", 42), ("pep-0042.md", 42), ("PEP-0042.md", 42), ("PEP-42.md", 42),  # Plano
    ("pep-0008.rst", 8),  # Python's PEPs
    ("0401-x.md", 401), ("../text/0401-coercions.md", 401), ("../proposals/0042-x.md", 42),  # Rust, Swift
    ("../2625-foo/README.md", 2625), ("../../sig-node/2625-foo/kep.yaml", 2625),  # KEP
    ("README.md", None), ("../LICENSE.md", None), ("../assets/eip-1559/notes.md", None),
    ("../assets/eip-7702/2024-notes.md", None), ("a/b/c/0042-x.md", None), ("eip-1559", None),
    ("../2625-foo/design.md", None),
])
def test_the_number_a_link_names(path, number):
    assert number_in_link(path) == number


PAGES = {"PEP-0042-cache.md": "pep/PEP-0042-cache.html", "PEP-1559-fee-market.md": "pep/PEP-1559-fee-market.html",
         "PEP-0401-coercions.md": "pep/PEP-0401-coercions.html"}
NUMBERS = {42: "pep/PEP-0042-cache.html", 1559: "pep/PEP-1559-fee-market.html", 401: "pep/PEP-0401-coercions.html"}


@pytest.mark.parametrize("path, page", [
    ("./eip-1559.md", "pep/PEP-1559-fee-market.html"),
    ("../PEP-0042-other-slug.md", "pep/PEP-0042-cache.html"),
    ("pep-0042.md", "pep/PEP-0042-cache.html"),
    ("0401-coercions.md", "pep/PEP-0401-coercions.html"),  # the same words: the same proposal
    ("0401-type-coercions.md", "pep/PEP-0401-coercions.html"),  # half of its words: a title said otherwise
    ("0042-unrelated-thing.md", None),  # another process's 42: not ours
    ("0042-cache-keys-and-ages.md", None),  # one word in four
    ("eip-7.md", None),
])
def test_which_page_a_link_goes_to(path, page):
    assert resolve_link(path, PAGES, NUMBERS) == page


def test_links_to_other_formats_files_go_to_the_pages_and_keep_their_fragment():
    links = LinkContext(PAGES, NUMBERS, prefix="../")
    out = render("[a](./eip-1559.md#gas) [b](../PEP-0042-old-name.md) [c](eip-9999.md) [d](0401-coercions.md)\n",
               links)
    assert '<a href="../pep/PEP-1559-fee-market.html#gas">a</a>' in out
    assert '<a href="../pep/PEP-0042-cache.html">b</a>' in out
    assert '<a href="../pep/PEP-0401-coercions.html">d</a>' in out
    assert '<a class="missing-link" title="eip-9999.md is not on the website">c</a>' in out
    template = render("[t](PEP-0000-template.md) [u](../PEP-0000-template.md)",
                    LinkContext(PAGES, {0: "pep/PEP-0000-process.html"}, prefix="../",
                                publishes=lambda name: "template" not in name))
    assert "PEP-0000-process" not in template


def test_pep_links_in_finds_links_to_other_formats_files():
    text = ("See [x](./eip-1559.md), [y](../text/0401-x.md#a), [z]: eip-20.md\n"
            "and ../LICENSE.md, [w](assets/eip-1/notes.md), [v](PEP-0042-cache.md).\n")
    assert pep_links_in(text) == ["../text/0401-x.md", "./eip-1559.md", "PEP-0042-cache.md", "eip-20.md"]
