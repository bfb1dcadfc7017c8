"""YAML front matter (EIP, MADR): where it is, and the field a single diff line holds."""

from __future__ import annotations

import re

import pytest

from pepctl import formats
from pepctl.formats.base import Problem
from pepctl.formats.frontmatter import span
from tests.formats.dialects import doc

# (line, what EIP's front matter reads from it)
LINES = [
    ("status: Draft", ("status", "Draft")),
    ("status:Draft", ("status", "Draft")),
    ("status:   'Last Call'  ", ("status", "Last Call")),
    ('status: "Last Call"', ("status", "Last Call")),
    ("status: 'a\"", ("status", "'a\"")),  # quotes that do not pair are kept
    ("status: '", ("status", "'")),
    ("status: ''", ("status", "")),
    ("status: x # a comment", ("status", "x")),
    ("status: x#no-comment", ("status", "x#no-comment")),
    ("status: 'a # b'", ("status", "a # b")),  # inside quotes, no comment
    ("status: 'Final' # since May", ("status", "Final")),  # quotes, then a comment
    ('status: "a # b" # c', ("status", "a # b")),
    ("title: 'It''s'", ("title", "It's")),  # escapes resolved, as reading the file does
    ('title: "say \\"hi\\""', ("title", 'say "hi"')),
    ("status: ~", ("status", "")),  # YAML's null
    ("requires: [1, 2]", ("requires", "1, 2")),
    ("status:", ("status", "")),
    ("status: Draft\r", ("status", "Draft")),
    ("last-call-deadline: 2024-01-02", ("last-call-deadline", "2024-01-02")),
    ("discussions_to: x", ("discussions_to", "x")),
    ("title: Ünïcode — “q”", ("title", "Ünïcode — “q”")),
    ("  status: x", None),  # indented: inside a mapping or list
    ("- status: x", None),
    ("9status: x", None),
    ("st atus: x", None),
    ("status x", None),
    ("", None),
]


@pytest.mark.parametrize("line, read", LINES)
def test_field_in_line(line, read):
    assert formats.get("eip").field_in_line(line) == read


@pytest.mark.parametrize("fmt", ["eip", "madr", "kep"])
def test_field_line_pattern_matches_the_key_at_the_start_in_any_case(fmt):
    pattern = re.compile(formats.get(fmt).field_line_pattern("status"))
    for line in ("status: Draft", "Status: x", "STATUS:", "status:   'q'  "):
        assert pattern.fullmatch(line), line
    for line in ("statu: x", "status = x", "my-status: x", "xstatus: x"):
        assert not pattern.fullmatch(line), line
    assert not pattern.fullmatch("status: a\nb")  # one line only
    assert re.compile(formats.get(fmt).field_line_pattern("last-call")).fullmatch("Last-Call: x")


@pytest.mark.parametrize("text, found", [
    ("---\na: 1\n---\nbody\n", (4, 9, 13)),
    ("---\r\na: 1\r\n---\r\nbody\r\n", (5, 11, 16)),
    ("---  \na: 1\n...\n", (6, 11, 15)),  # YAML's end-of-document marker closes it too
    ("---\na: 1\n---", (4, 9, 12)),  # no newline after the closing line
    ("---\na: 1\n--- \t\n", (4, 9, 15)),
    ("---\n---\n", (4, 4, 8)),
    ("---\na: 1\n", None),  # never closed
    ("\n---\na: 1\n---\n", None),  # not at the very top
    ("----\na: 1\n---\n", None),
    ("--- a\na: 1\n---\n", None),
    ("---\na: 1\n ---\n", None),  # an indented --- closes nothing
])
def test_span(text, found):
    assert span(text) == found


def test_a_closing_line_ends_the_header_and_the_body_is_no_metadata():
    text = "---\neip: 1\nstatus: Draft\n---\n\n## Spec\n\n---\n\nstatus: Final\n"
    d = doc(text, "eip")
    assert d.get("status") == "Draft" and d.header.last_line == 2
    assert d.format.header_close(text) == text.index("---\n\n## Spec") + 4  # the closing line, its newline included
    assert d.format.header_close("no front matter\n") is None


def test_front_matter_with_no_field_is_no_header():
    assert not doc("---\n---\n# T\n", "eip").header.found
    assert not doc("---\n# just a comment\n---\n# T\n", "eip").header.found


def test_an_added_field_is_a_yaml_line_with_the_dialects_spelling():
    text = "---\neip: 1\nstatus: Draft\n---\n\nBody\n"
    d = doc(text, "eip")
    d.add_field("Created", "2024-01-02")
    assert d.text == text.replace("status: Draft\n", "status: Draft\ncreated: '2024-01-02'\n")
    assert d.get("Created") == "2024-01-02"
    d.add_field("Title", "a: b", after=formats.FIRST)
    assert d.text.startswith("---\ntitle: 'a: b'\neip: 1\n")
    assert d.get("Title") == "a: b"


def test_the_header_block_ends_on_its_last_line_blank_ones_included():
    assert doc("---\neip: 1\nstatus: Draft\n---\n", "eip").header.last_line == 2
    assert doc("---\neip: 1\nstatus: Draft\n\n---\n", "eip").header.last_line == 3  # the blank line is in the block
    assert doc("---\r\neip: 1\r\n\r\n---\r\n", "eip").header.last_line == 2


@pytest.mark.parametrize("fmt, text", [
    ("eip", "---\neip: 4\ntitle: x\nstatus: Draft\n\nBody\n"),
    ("madr", "---\nstatus: accepted\ndate: 2024-01-01\n\n# Use X\n\n## Context and Problem Statement\n\nWhy.\n"),
    ("madr", "---\r\nstatus: accepted\r\n"),
])
def test_front_matter_with_no_closing_line_is_a_problem_on_line_1(fmt, text):
    d = doc(text, fmt)
    assert d.problems == [Problem(1, 1, "malformed-header",
                                  "the front matter opened by the `---` on line 1 is never closed; "
                                  "add a `---` line after its last key")]
