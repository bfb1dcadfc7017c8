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


# -- cells, delimiter rows and edits in detail ------------------------------------------------------

from pepctl.formats import get  # noqa: E402
from pepctl.formats.plano import (  # noqa: E402
    escape_cell,
    has_pipe,
    is_delimiter_row,
    render_row,
    split_cells,
    unescape_cell,
)


def cells(content: str, base: int = 0) -> list[tuple[str, int, int]]:
    return [(c.raw, c.start, c.end) for c in split_cells(content, 0, base)]


@pytest.mark.parametrize("content, found", [
    ("| a | b |", [("a", 2, 3), ("b", 6, 7)]),
    ("|a|b|", [("a", 1, 2), ("b", 3, 4)]),
    ("| a | b |   ", [("a", 2, 3), ("b", 6, 7)]),
    ("  | a | b |", [("a", 4, 5), ("b", 8, 9)]),
    ("| | b |", [("", 1, 1), ("b", 4, 5)]),
    ("a | b", [("a", 0, 1), ("b", 4, 5)]),
    ("| a | b", [("a", 2, 3), ("b", 6, 7)]),
    ("a | b |", [("a", 0, 1), ("b", 4, 5)]),
    ("| a \\| b | c |", [("a \\| b", 2, 8), ("c", 11, 12)]),
    ("| a | b | c |", [("a", 2, 3), ("b", 6, 7), ("c", 10, 11)]),
    ("x | a | b |", [("x", 0, 1), ("a", 4, 5), ("b", 8, 9)]),  # three pipes, text before the first: three cells
    ("| a | b | c", [("a", 2, 3), ("b", 6, 7), ("c", 10, 11)]),  # three pipes, no closing one: three cells
    ("|\t a\t|", [("a", 3, 4)]),
    ("x", [("x", 0, 1)]),
])
def test_split_cells(content, found):
    assert cells(content) == found


def test_cell_spans_count_from_the_row_start_by_default():
    assert [(c.start, c.end) for c in split_cells("| a | b | c |", 7)] == [(2, 3), (6, 7), (10, 11)]
    assert [(c.start, c.end) for c in split_cells("| a | b |", 7)] == [(2, 3), (6, 7)]


def test_cell_spans_count_from_the_row_offset():
    assert cells("| a | b |", base=100) == [("a", 102, 103), ("b", 106, 107)]
    (cell,) = split_cells("| a \\| b |", 3)
    assert (cell.line, cell.text) == (3, "a | b")


@pytest.mark.parametrize("content, delimiter", [
    ("|---|---|", True), ("|:--|--:|", True), ("|:--:|-|", True), ("| --- | :---: |", True),
    ("|:-:-|---|", False), ("|:::|---|", False), ("|X|---|", False), ("|-X-|---|", False), ("|---|x|", False), ("|---||", False), ("|:|---|", False),
])
def test_is_delimiter_row(content, delimiter):
    assert is_delimiter_row(split_cells(content, 0)) is delimiter


def test_no_cells_is_no_delimiter_row():
    assert is_delimiter_row([]) is False


def test_pipes_and_escapes():
    assert has_pipe("a | b") and has_pipe("|") and not has_pipe("a \\| b") and not has_pipe("none")
    assert has_pipe("\\| then |")
    assert has_pipe("\\||") and has_pipe("a\\|\\||") and not has_pipe("a\\|\\|")  # a pipe right after an escaped one
    assert escape_cell("a|b") == "a\\|b" and unescape_cell("a\\|b") == "a|b"
    assert unescape_cell(escape_cell("x \\| y | z")) == "x \\| y | z"  # a backslash before a pipe survives
    assert render_row(["a|b", "c"]) == "| a\\|b | c |"


@pytest.mark.parametrize("line", ["| **Status**", "|", "| **Status** |"])
def test_a_line_without_two_cells_holds_no_field(line):
    assert PLANO.field_in_line(line) is None


def test_a_header_row_with_three_columns_is_a_problem():
    doc = Document("# T\n\n| Field | Value | Note |\n|---|---|---|\n| **PEP** | 1 |\n")
    assert doc.problems[0] == (3, 1, "broken-table", "the header table has 3 columns; it needs two: | Field | Value |")
    assert doc.get("PEP") == "1"


def test_a_table_of_one_row_has_no_delimiter():
    doc = Document("# T\n\n| Field | Value |\n\n## Summary\n")
    assert [(p.line, p.message) for p in doc.problems] == [
        (3, "the header table needs a delimiter row like |---|---| under its first row")]


def test_a_row_with_a_name_only():
    doc = Document("# T\n\n| Field | Value |\n|---|---|\n| **Status** |\n|  |\n")
    field = doc.fields["status"]
    assert (field.value_start, field.value_end, field.raw, field.value, field.has_value) == (None, None, "", "", False)
    assert (field.name, field.key, field.line) == ("Status", "status", 4)
    with pytest.raises(ValueError) as info:
        PLANO.set_value(doc, field, "Draft")
    assert str(info.value) == "field 'Status' on line 5 has no value cell"
    assert [p.line for p in doc.problems] == [5, 6]


def test_insert_at_the_end_of_a_file_without_a_final_newline():
    doc = Document("# T\n\n| Field | Value |\n|---|---|\n| **PEP** | 1 |")
    doc.add_field("Status", "Draft")
    assert doc.text == "# T\n\n| Field | Value |\n|---|---|\n| **PEP** | 1 |\n| **Status** | Draft |"
    doc = Document("| Field | Value |\n|---|---|\n| **PEP** | 1 |\n\n## S\n")
    doc.add_field("Status", "Draft")
    assert doc.text == "| Field | Value |\n|---|---|\n| **PEP** | 1 |\n| **Status** | Draft |\n\n## S\n"


def test_insert_first_and_after_a_missing_name():
    doc = Document("| Field | Value |\n|---|---|\n| **PEP** | 1 |\n| **Title** | T |\n")
    doc.add_field("Kind", "x|y", after=FIRST)
    doc.add_field("Last", "z", after="No Such Field")
    assert doc.text == "| Field | Value |\n|---|---|\n| **Kind** | x\\|y |\n| **PEP** | 1 |\n| **Title** | T |\n| **Last** | z |\n"


def test_format_lookup():
    assert get("plano") is PLANO
    with pytest.raises(KeyError) as info:
        get("yaml")
    message = info.value.args[0]
    assert message.startswith("no header format 'yaml'; known: ") and "plano" in message.split("known: ")[1].split(", ")


def test_plano_names_itself_in_messages():
    assert (PLANO.name, PLANO.noun, PLANO.item, PLANO.form) == ("plano", "header table", "row", "| Field | Value |")
    assert PLANO.example("A|B", "c") == "| **A|B** | c |"


def test_no_table_is_an_empty_header():
    from pepctl.formats.base import Header

    assert Document("# T\n\nText.\n").header == Header({}, [], None, None, 0, 0, [])


def test_a_crlf_row_without_its_closing_pipe_keeps_its_line_ending_on_edit():
    doc = Document("| Field | Value\r\n|---|---\r\n| **Status** | Draft\r\n| **A\\|B** | x\r\n")
    field = doc.fields["status"]
    assert (field.raw, field.value) == ("Draft", "Draft")
    doc.set_field("Status", "Accepted")
    assert doc.text == "| Field | Value\r\n|---|---\r\n| **Status** | Accepted\r\n| **A\\|B** | x\r\n"


def test_filling_an_empty_cell_read_cell_by_cell():
    """A row with an escaped pipe is split cell by cell; its empty value cell is filled, padded."""
    doc = Document("| Field | Value |\n|---|---|\n| **A\\|B** |   |\n| **C** |\t|\n")
    doc.set_field("A|B", "x")
    doc.set_field("C", "y")
    assert doc.text == "| Field | Value |\n|---|---|\n| **A\\|B** | x |\n| **C** | y |\n"


def test_insert_needs_a_header():
    with pytest.raises(ValueError) as info:
        PLANO.insert(Document("# T\n"), "Status", "Draft")
    assert str(info.value) == "the document has no header table"


@pytest.mark.parametrize("tail", ["\u00a0", "\f", "\v", " \u2003"])
def test_rows_with_odd_trailing_space_keep_their_lines_and_spans(tail):
    # white space the row pattern does not take (a no-break space pasted from a web page) sends a
    # row down the general cell splitter: the fields read the same, on the same lines
    text = ("# PEP-0042: T\n\n| Field | Value |\n|---|---|\n"
            f"| **PEP** | 0042 |{tail}\n| **Status** | Draft |{tail}\n| **Status** | Again |{tail}\n\n## Summary\n")
    doc = Document(text)
    fields = doc.header.field_list
    assert [(f.name, f.line, f.value) for f in fields] == [("PEP", 4, "0042"), ("Status", 5, "Draft"), ("Status", 6, "Again")]
    for f in fields:
        assert text[f.name_start:].startswith("**" + f.name) and text[f.value_start:f.value_end] == f.value
    assert [(p.line, p.message) for p in doc.problems] == [
        (7, "field 'Status' appears twice (first on line 6)")]
    (name, value) = split_cells(f"| **PEP** | 0042 |{tail}", 9, 100)
    assert (name.line, name.start, name.raw, value.line, value.start, value.raw) == (9, 102, "**PEP**", 9, 112, "0042")


def test_a_broken_or_repeated_row_does_not_hide_the_rows_below_it():
    text = ("# PEP-0042: T\n\n| Field | Value |\n|---|---|\n| **PEP** | 0042 |\n| | stray | cells |\n"
            "| **PEP** | 0043 |\n| **Status** | Draft |\n\n## Summary\n")
    doc = Document(text)
    assert [(f.name, f.value) for f in doc.header.field_list] == [("PEP", "0042"), ("PEP", "0043"), ("Status", "Draft")]
    assert doc.get("Status") == "Draft" and doc.get("PEP") == "0042"
    assert [(p.line, p.kind) for p in doc.problems] == [(6, "broken-table"), (7, "duplicate-field")]


def test_field_line_pattern_takes_any_field_name():
    import re

    pattern = re.compile(PLANO.field_line_pattern("Superseded-By"))
    assert pattern.fullmatch("| **Superseded-By** | PEP-0043 |")
    assert pattern.fullmatch("|superseded-by|x|") and not pattern.fullmatch("| **Superseded By** | x |")
