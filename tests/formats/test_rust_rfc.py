"""The rust-rfc format: `- Key: value` bullets, no status (a merged RFC is accepted), titles from file names."""

from __future__ import annotations

import pytest

from pepctl import formats
from tests.formats.dialects import doc, pep
from tests.formats.test_oddities import RUST


@pytest.mark.parametrize("path, title", [
    ("text/0042-widget-spin.md", "Widget spin"),
    ("text/0042-const_fn.md", "Const fn"),
    ("text/1234-try.v2.md", "Try.v2"),  # only the last dot starts the extension
    ("text/1234-a.b.c.md", "A.b.c"),
    ("text/0042-ünïcode-names.md", "Ünïcode names"),
    ("text/0042-x.md", "X"),
    ("text/0042-2024-roadmap.md", "2024 roadmap"),
    ("text/README.md", "README"),  # no number: the whole stem
    ("text/0042--leading-dash.md", "Leading dash"),
])
def test_title_comes_from_the_file_name(path, title):
    assert pep(RUST, "rust-rfc", path).title == title


def test_status_is_accepted_whatever_the_file_says():
    p = pep(RUST.replace("- Feature Name", "- Status: Rejected\n- Feature Name"), "rust-rfc", "text/0042-spin.md")
    assert p.status == "Accepted"
    assert formats.get("rust-rfc").unwritten_status == "Accepted"
    assert (p.number, p.field_number) == (42, None)


@pytest.mark.parametrize("lead", ["", "\n\n", "  \n", "<!-- licence -->\n", "<!--\nmulti\nline\n-->\n\n",
                                  "\r\n<!-- x -->\r\n"])
def test_bullets_after_blank_lines_and_comments(lead):
    d = doc(lead + RUST, "rust-rfc")
    assert d.get("Feature Name") == "`widget_spin`"
    assert d.header.first_line == lead.count("\n")


def test_no_bullets_before_the_title_or_first_heading_means_no_header():
    assert not doc("# Summary\n\n- Feature Name: x\n", "rust-rfc").header.found
    assert not doc("Some prose first.\n- Feature Name: x\n", "rust-rfc").header.found
    assert not doc("", "rust-rfc").header.found
    assert not doc("-not a bullet: x\n", "rust-rfc").header.found


def test_the_title_line_ends_the_bullets():
    d = doc("- Feature Name: x\n- Start Date: 2020-01-02\n# Summary\n- Rust Issue: not metadata\n", "rust-rfc")
    assert [f.name for f in d.field_list] == ["Feature Name", "Start Date"]


def test_repeated_rust_issues_are_no_problem_and_the_first_counts():
    d = doc("- Feature Name: x\n- Rust Issue: #1\n- Rust Issue: #2\n\n# Summary\n", "rust-rfc")
    assert d.problems == [] and d.get("Tracking Issue") == "#1"
    assert [f.value for f in d.field_list if f.key == "tracking issue"] == ["#1", "#2"]


@pytest.mark.parametrize("text, body", [
    (RUST, "\n# Summary\n\nSpin.\n"),  # `# Summary` is a section: the page keeps it
    ("<!-- note -->\n- Feature Name: x\n- Start Date: 2020-01-02\n\n# Summary\n\nS.\n", "<!-- note -->\n\n# Summary\n\nS.\n"),
    ("- Feature Name: x\r\n- Start Date: 2020-01-02\r\n\r\n# Summary\r\n", "\r\n# Summary\r\n"),
    ("- Feature Name: x\n- Start Date: 2020-01-02", ""),
    ("# Summary\n\nNo bullets.\n", "# Summary\n\nNo bullets.\n"),
])
def test_the_page_shows_everything_but_the_bullets(text, body):
    d = doc(text, "rust-rfc")
    assert d.format.page_body(d) == body
    assert d.format.body(d, "text/0042-spin.md") == (body, "markdown")
