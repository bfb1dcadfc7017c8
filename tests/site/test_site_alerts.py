"""GitHub's alerts on the site (pepctl.site.alerts): a top-level quote whose first line is [!KIND] alone
becomes a titled box; any other quote stays one."""

from __future__ import annotations

import pytest

from sitehelpers import CORPUS  # noqa: F401  (skips the module without the site extra)

from pepctl.site.markdown import Renderer


def html(text: str) -> str:
    return Renderer(diagrams_drawn=True).render(text).html



@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION", "note", "Warning"])
def test_each_alert_kind_is_a_titled_box(kind):
    out = html(f"> [!{kind}]\n> Mind the *gap*.\n")
    low = kind.lower()
    assert out == (f'<div class="markdown-alert markdown-alert-{low}">\n'
                   f'<p class="markdown-alert-title">{low.capitalize()}</p>\n'
                   "<p>Mind the <em>gap</em>.</p>\n</div>\n")


def test_an_alert_keeps_every_block_of_its_quote_and_a_hard_break_after_the_marker():
    out = html("> [!TIP]  \n> One.\n>\n> - a list\n>\n> ```\n> code\n> ```\n")
    assert out.startswith('<div class="markdown-alert markdown-alert-tip">\n<p class="markdown-alert-title">Tip</p>\n'
                          "<p>One.</p>")
    assert "<li>a list</li>" in out and "<code>code\n</code></pre>" in out
    assert out.count("<div") == 1 and out.rstrip().endswith("</div>") and "blockquote" not in out
    spaced = html("> [!NOTE]\n>\n> After a blank quote line.\n")
    assert 'markdown-alert-title">Note</p>\n<p>After a blank quote line.</p>' in spaced


@pytest.mark.parametrize("text", [
    "> [!NOTE] with a title\n> text\n",  # the marker must be the whole first line
    "> text first\n> [!NOTE]\n",
    "> [!NOTES]\n> text\n",  # no such kind
    "> [!NOTE]\n",  # nothing to show
    "- item\n\n  > [!NOTE]\n  > in a list\n",  # alerts cannot be nested in other elements
    "> > [!NOTE]\n> > in a quote\n",
    "[!NOTE]\ntext\n",  # no quote at all
])
def test_anything_else_stays_a_blockquote(text):
    out = html(text)
    assert "markdown-alert" not in out and "[!NOTE" in out


def test_a_quote_inside_an_alert_and_an_alert_after_a_list_close_properly():
    out = html("- a\n- b\n\n> [!WARNING]\n> Careful.\n>\n> > quoted\n\nAfter.\n")
    assert out.index("</ul>") < out.index('class="markdown-alert markdown-alert-warning"')
    assert out.count("<blockquote>") == 1 and out.count("</blockquote>") == 1
    assert out.index("</blockquote>") < out.index("</div>") < out.index("<p>After.</p>")
