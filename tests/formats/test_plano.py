"""Plano's header format: reading the | **Field** | value | table, and editing it one value at a time."""

import pytest

from pepctl.document import Document
from pepctl.formats import FIRST, PLANO

TEXT = (
    "# PEP-0042: Caching\n"
    "\n"
    "<!-- | **Status** | In a comment |\n-->\n"
    "| Field | Value |\n"
    "|---|---|\n"
    "| **PEP** | 0042 |\n"
    "| **Title** | A \\| B |\n"
    "| **Status** | Draft |\n"
    "| **Sponsor** | |\n"
    "\n"
    "## Summary\n"
    "\n"
    "| **Status** | Not the header |\n"
)


def test_reads_the_first_table_before_the_first_section():
    header = Document(TEXT).header
    assert header.found
    assert [f.name for f in header.field_list] == ["PEP", "Title", "Status", "Sponsor"]
    assert header.fields["status"].value == "Draft"
    assert (header.first_line, header.last_line) == (4, 9)
    assert TEXT[header.start : header.end].startswith("| Field | Value |")
    assert TEXT[header.start : header.end].endswith("| **Sponsor** | |\n")


def test_escaped_pipes_are_read_as_pipes_and_spans_cover_the_text_as_written():
    field = Document(TEXT).fields["title"]
    assert field.value == "A | B"
    assert field.raw == "A \\| B"
    assert TEXT[field.value_start : field.value_end] == "A \\| B"
    assert field.line == 7


def test_rows_in_fences_and_comments_are_not_the_header():
    text = "# T\n\n```\n| a | b |\n|---|---|\n```\n<!--\n| c | d |\n-->\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n"
    header = Document(text).header
    assert header.first_line == 9
    assert list(header.fields) == ["status"]


def test_no_table_is_no_header():
    header = Document("# PEP-0001: X\n\n## Summary\n\n| a | b |\n|---|---|\n").header
    assert not header.found and header.fields == {} and header.problems == []


def test_set_value_changes_only_that_value():
    doc = Document(TEXT)
    doc.set_field("Status", "Under Review")
    assert doc.text == TEXT.replace("| **Status** | Draft |", "| **Status** | Under Review |")


def test_set_value_escapes_pipes_and_fills_an_empty_cell():
    doc = Document(TEXT)
    doc.set_field("Sponsor", "Jo | Co (@jo)")
    assert "| **Sponsor** | Jo \\| Co (@jo) |\n" in doc.text
    assert doc.get("Sponsor") == "Jo | Co (@jo)"


def test_set_value_refuses_a_line_break():
    with pytest.raises(ValueError):
        Document(TEXT).set_field("Status", "Draft\nAccepted")


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (FIRST, "|---|---|\n| **Created** | 2024-01-01 |\n| **PEP** | 0042 |\n"),
        ("Title", "| **Title** | A \\| B |\n| **Created** | 2024-01-01 |\n| **Status** | Draft |\n"),
        (None, "| **Sponsor** | |\n| **Created** | 2024-01-01 |\n\n## Summary"),
    ],
)
def test_insert_puts_the_row_where_asked(after, expected):
    doc = Document(TEXT)
    doc.add_field("Created", "2024-01-01", after=after)
    assert expected in doc.text
    assert doc.get("Created") == "2024-01-01"


def test_insert_keeps_crlf_line_endings():
    doc = Document(TEXT.replace("\n", "\r\n"))
    doc.add_field("Created", "2024-01-01", after="Status")
    assert "| **Status** | Draft |\r\n| **Created** | 2024-01-01 |\r\n" in doc.text


def test_insert_without_a_header_is_refused():
    with pytest.raises(ValueError):
        Document("# T\n\n## Summary\n").add_field("Status", "Draft")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("| **Status** | Accepted |", ("**Status**", "Accepted")),
        ("   | Status | Under Review |\r", (" Status ", "Under Review")),
        ("| **Title** | A \\| B |", ("**Title** ", "A | B")),
        ("| **Status** |", None),
        ("no table here", None),
        ("    | **Status** | Indented code |", None),
    ],
)
def test_field_in_line(line, expected):
    found = PLANO.field_in_line(line)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found[1] == expected[1] and found[0].strip() == expected[0].strip()


def test_field_line_pattern_matches_any_case_and_nothing_else():
    import re

    pattern = re.compile(PLANO.field_line_pattern("status"))
    assert pattern.fullmatch("| **STATUS** | x |")
    assert pattern.fullmatch("| Status | x |")
    assert not pattern.fullmatch("| Title | Status report |")


def test_example_is_a_row_the_format_reads_back():
    row = PLANO.example("Sponsor", "Name (@handle)")
    doc = Document("# T\n\n| Field | Value |\n|---|---|\n" + row + "\n")
    assert doc.get("Sponsor") == "Name (@handle)"


def test_broken_rows_are_problems_with_lines():
    doc = Document("# T\n\n| Field | Value |\n|---|---|\n| **A** | 1 | extra |\n| **A** | 2 |\n")
    kinds = [(p.line, p.kind) for p in doc.problems]
    assert kinds == [(5, "broken-table"), (6, "duplicate-field")]
