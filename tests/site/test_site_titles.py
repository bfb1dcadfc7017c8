"""PEP titles on the site (pepctl.site.titles): inline Markdown shown as GitHub shows it in a heading,
links, images and raw HTML reduced to their text, and plain text for <title> and labels."""

from __future__ import annotations

import pytest

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.titles import title_html, title_text


def test_a_title_without_markup_is_escaped_text():
    assert title_html("Plain & simple") == "Plain &amp; simple"
    assert title_text("Plain & simple") == "Plain & simple"


def test_code_emphasis_and_strikethrough_are_kept():
    title = "Use `x < y` *now* ~~later~~ **bold**"
    assert title_html(title) == "Use <code>x &lt; y</code> <em>now</em> <del>later</del> <strong>bold</strong>"
    assert title_text(title) == "Use x < y now later bold"


def test_links_images_and_raw_html_become_their_text():
    assert title_html("See [the docs](https://e.org) ![i](x.png)") == "See the docs "
    assert title_html("Raw <b>bold</b> <script>x</script>") == "Raw bold &lt;script&gt;x&lt;/script&gt;"
    assert title_text("Raw <b>bold</b>") == "Raw bold"


@pytest.mark.parametrize("title, shown", [
    ("- *a* list item", "- *a* list item"),
    ("# The *x* heading", "# The *x* heading"),
    ("1. first *x*", "1. first *x*"),
    ("> quoted & *x*", "&gt; quoted &amp; *x*"),
])
def test_a_title_markdown_would_read_as_a_block_is_shown_as_written(title, shown):
    assert title_html(title) == shown
    assert title_text(title) == title


def test_a_line_break_in_a_title_is_a_space():
    assert title_html("two\nlines *x*") == "two lines <em>x</em>"


def test_direction_overrides_in_a_title_do_not_reach_any_file_of_the_site(tmp_path):
    # a title ending in an unclosed RIGHT-TO-LEFT OVERRIDE reversed what follows it on the same
    # line (the dashboard's "new, as Complete", the browser tab's site name): the controls go
    from sitehelpers import build, copy_fixtures

    folder = copy_fixtures(tmp_path)
    alpha = folder / "PEP-0001-alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("| Alpha streaming cache |", "| Alpha \u202ecache\u2067 |"),
                     encoding="utf-8")
    out = tmp_path / "site"
    build(folder, out)
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json") and path.parent.name != "api":  # data: as written
            text = path.read_text(encoding="utf-8")
            assert "\u202e" not in text and "\u2067" not in text, path
    assert "Alpha cache" in (out / "pep" / "PEP-0001-alpha.html").read_text(encoding="utf-8")
