"""The helpers the dialects share (formats.common): where an added field goes, line ends, spans."""

from __future__ import annotations

import pytest

from pepctl.formats import FIRST
from pepctl.formats.common import line_at, line_end, replace_span
from tests.formats.dialects import doc

# (format, a file that is all header, its fields' names in order, how the format writes `Zz: abc`)
HEADER_ONLY = [
    ("kep", "title: Spin\nstatus: provisional", ["title", "status"], "Zz: abc"),
    ("python-pep", "PEP: 1\nStatus: Draft", ["PEP", "Status"], "Zz: abc"),
    ("rust-rfc", "- Feature Name: spin\n- Start Date: 2020-01-02", ["Feature Name", "Start Date"], "- Zz: abc"),
    ("swift", "# Spin\n\n* Proposal: [SE-0001](0001-spin.md)\n* Status: **Accepted**", ["Proposal", "Status"],
     "* Zz: abc"),
    ("madr", "# Spin\n\n* Status: accepted\n* Date: 2020-01-02", ["Status", "Date"], "* Zz: abc"),
]
ENDINGS = {"lf": "\n", "crlf": "\r\n"}


@pytest.mark.parametrize("fmt, text, names, line", HEADER_ONLY, ids=[c[0] for c in HEADER_ONLY])
@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("final_newline", [True, False], ids=["final-newline", "no-final-newline"])
@pytest.mark.parametrize("after", [None, "last"])
def test_a_field_added_after_the_last_line_of_the_file(fmt, text, names, line, ending, final_newline, after):
    nl = ENDINGS[ending]
    text = text.replace("\n", nl) + (nl if final_newline else "")
    d = doc(text, fmt)
    d.add_field("Zz", "abc", after=names[-1] if after else None)
    # the new line follows the last one, with the file's own line ending, and the final newline stays as it was
    expected = text + line + nl if final_newline else text + nl + line
    assert d.text == expected
    assert [f.name for f in d.header.field_list] == [*names, "Zz"]
    assert d.get("Zz") == "abc"


@pytest.mark.parametrize("fmt, text, names, line", HEADER_ONLY, ids=[c[0] for c in HEADER_ONLY])
@pytest.mark.parametrize("ending", ENDINGS)
def test_a_field_added_first_or_in_the_middle(fmt, text, names, line, ending):
    nl = ENDINGS[ending]
    text = text.replace("\n", nl)
    if fmt != "madr":  # MADR 2's list is known by its first item (Status, Deciders or Date): nothing goes above it
        d = doc(text, fmt)
        at = text.rfind("\n", 0, d.header.field_list[0].name_start) + 1
        d.add_field("Zz", "abc", after=FIRST)
        assert d.text == text[:at] + line + nl + text[at:]
        assert [f.name for f in d.header.field_list] == ["Zz", *names]
    d = doc(text, fmt)
    second = text.index(names[1]) - (len(line) - len(line.lstrip("*- ")))
    d.add_field("Zz", "abc", after=names[0])
    assert d.text == text[:second] + line + nl + text[second:]
    assert [f.name for f in d.header.field_list] == [names[0], "Zz", names[1]]


def test_an_unknown_anchor_adds_after_the_last_field():
    d = doc("title: Spin\nstatus: provisional\n", "kep")
    d.add_field("Zz", "abc", after="no-such-field")
    assert d.text == "title: Spin\nstatus: provisional\nZz: abc\n"


def test_a_file_with_no_header_gets_no_field():
    d = doc("# Just prose\n\nNo bullets here.\n", "rust-rfc")
    with pytest.raises(ValueError, match="no header"):
        d.add_field("Zz", "abc")


def test_line_at_and_line_end():
    text = "ab\r\ncd\nef"
    assert [line_at(text, i) for i in (0, 3, 4, 7, 9)] == [0, 0, 1, 2, 2]
    assert line_end(text, 0) == 2  # before the \r\n
    assert line_end(text, 4) == 6  # before the \n
    assert line_end(text, 8) == len(text)  # the last line, no newline
    assert line_end("\nx", 0) == 0  # an empty first line


def test_replace_span_refuses_line_breaks_and_empty_fields():
    d = doc("- Feature Name: spin\n- RFC PR:\n", "rust-rfc")
    with pytest.raises(ValueError, match="line break"):
        replace_span(d.field("Feature Name"), "a\rb")
    with pytest.raises(ValueError, match="line break"):
        replace_span(d.field("Feature Name"), "a\nb")
    with pytest.raises(ValueError, match=r"'RFC PR' on line 2 has no value"):
        replace_span(d.field("RFC PR"), "x")
    edit = replace_span(d.field("Feature Name"), "turn")
    assert (edit.start, edit.end, edit.text) == (16, 20, "turn")


# -- the Dialect defaults -----------------------------------------------------------------


def test_labels():
    from pepctl import formats

    assert [formats.get(n).label(7) for n in ("eip", "python-pep", "kep", "swift", "madr", "rust-rfc")] == [
        "EIP-7", "PEP 7", "KEP-7", "SE-0007", "ADR-0007", "RFC 7"]
    assert formats.get("swift").label(12345) == "SE-12345"
    assert formats.get("eip").label(None) == "EIP-????" and formats.get("swift").label("7") == "SE-????"


def test_keys_and_spellings():
    from pepctl import formats

    eip = formats.get("eip")
    assert (eip.key("EIP"), eip.key("Author"), eip.key("Discussions-To")) == ("pep", "authors", "discussions-to")
    assert [eip.spelled(n) for n in ("Status", "status", "PEP", "pep", "Zz-Other")] == ["status", "status", "eip", "eip",
                                                                                       "Zz-Other"]
    assert formats.get("kep").spelled("Created") == "creation-date"
    assert formats.get("rust-rfc").example("Created", "x") == "- Start Date: x"


@pytest.mark.parametrize("value, authors", [
    ("Ada (@ada)", [("Ada", "ada")]),
    ("Bo <bo@example.org>", [("Bo", None)]),
    ("Cy (@cy) <cy@example.org>", [("Cy", "cy")]),
    ("<only@example.org>", [("<only@example.org>", None)]),  # no name: the text as written
    ("Ada (@ada), , Bo", [("Ada", "ada"), ("Bo", None)]),
])
def test_authors_without_their_addresses(value, authors):
    from pepctl import formats

    assert [(a.name, a.handle) for a in formats.get("eip").parse_authors(value)] == authors


@pytest.mark.parametrize("text, number, field_number", [
    ("---\neip: 9001\n---\n", 9001, 9001),
    ("---\neip: 9001a\n---\n", 9001, 9001),
    ("---\neip: x\n---\n", 12, None),  # no digits: the file's number
    ("---\ntitle: T\n---\n", 12, None),
])
def test_number_from_the_number_field_then_the_file(text, number, field_number):
    from tests.formats.dialects import pep

    p = pep(text, "eip", "EIPS/eip-12.md")
    assert (p.number, p.field_number) == (number, field_number)


@pytest.mark.parametrize("fmt, text, body", [
    ("eip", "---\neip: 1\n---\n# Title\n\nBody\n", "\nBody\n"),  # front matter and title heading cut
    ("eip", "---\r\neip: 1\r\n---\r\n\r\n# T\r\nB\r\n", "\r\nB\r\n"),
    ("eip", "---\neip: 1\n---\n", ""),
    ("eip", "---\neip: 1\n---", ""),
    ("eip", "# Only a title\n\nBody\n", "\nBody\n"),
    ("eip", "---\neip: 1\n---\nBody\n", "Body\n"),
    ("swift", "# T\n\n* Status: **Accepted**\n* Authors: A\n\n## Intro\n\nI.\n", "\n\n## Intro\n\nI.\n"),
    ("swift", "Lead.\n\n# T\n\n* Status: **Accepted**\n\nBody", "Lead.\n\n\n\nBody"),
    ("madr", "# Use X\n\n* Status: accepted\n\n## Context\n", "\n\n## Context\n"),
    ("python-pep", "PEP: 1\nTitle: T\n\nBody\n", "Body\n"),  # the blank line that ends the header goes with it
])
def test_page_body_leaves_out_the_header_and_the_title(fmt, text, body):
    d = doc(text, fmt)
    assert d.format.page_body(d) == body


@pytest.mark.parametrize("fmt, text", [
    ("kep", "title: A\nstatus: x\ntitle: B\nstage: alpha\n"),
    ("python-pep", "PEP: 1\nTitle: A\nTitle: B\nStatus: Draft\n\nBody\n"),
    ("rust-rfc", "- Feature Name: a\n- Feature Name: b\n- Start Date: 2020\n"),
])
def test_a_repeated_field_keeps_the_first_and_every_field_after_it(fmt, text):
    d = doc(text, fmt)
    last = d.field_list[-1]
    assert d.fields[last.key] is last  # a field after the repeat is still known by its key
    first = d.field_list[0] if fmt == "rust-rfc" else d.field_list[0 if fmt == "kep" else 1]
    assert d.fields[first.key] is first
