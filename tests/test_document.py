"""The document layer: lossless round trip, one-cell edits, structure, bad input."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pepctl.document import (
    Document,
    DocumentError,
    Heading,
    atx_heading,
    fence_opening,
    is_fence_close,
    line_content,
    split_lines,
    strip_comments,
)
from pepctl.formats.base import FIRST, Problem
from pepctl.formats.plano import split_cells

PEP = (
    "# PEP-0042: Response cache\n"
    "\n"
    "| Field | Value |\n"
    "|---|---|\n"
    "| **PEP** | 0042 |\n"
    "| **Title** | Response cache |\n"
    "| **Status** | Draft |\n"
    "| **Author(s)** | Ada Lovelace (@ada) |\n"
    "| **Created** | 2026-01-05 |\n"
    "| **Custom Thing** | kept \\| as is |\n"
    "\n"
    "## Summary\n"
    "\n"
    "```markdown\n"
    "## Not a heading\n"
    "```\n"
    "\n"
    "<!--\n"
    "## Also not a heading\n"
    "-->\n"
    "\n"
    "### Detail\n"
    "\n"
    "## Open Questions\n"
    "\n"
    "1. none\n"
)


# -- round trip ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_round_trip_arbitrary_text(text):
    assert Document(text).to_text() == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("|#`~<!->*\\ \t\r\nabPEP-0123:")), max_size=400))
def test_round_trip_markdown_like_text(text):
    doc = Document(text)
    assert doc.to_text() == text
    assert "".join(doc.lines) == text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_bytes_either_round_trip_or_clear_error(data):
    try:
        doc = Document.from_bytes(data, "x.md")
    except DocumentError as err:
        assert err.line >= 1 and err.message
        return
    assert doc.to_bytes() == data


@pytest.mark.parametrize(
    "data",
    [
        PEP.encode(),
        PEP.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + PEP.encode(),
        PEP.rstrip("\n").encode(),
        PEP.replace("| **Status** | Draft |", "|   **Status**   |\tDraft\t\t|").encode(),
        PEP.replace("\n", "\r\n").rstrip("\r\n").encode(),
    ],
    ids=["lf", "crlf", "bom", "no-final-newline", "odd-padding-tabs", "crlf-no-final-newline"],
)
def test_round_trip_exact_bytes(data):
    assert Document.from_bytes(data).to_bytes() == data


def test_old_mac_line_endings_are_refused_on_line_1_saying_how_to_convert():
    # split on LF, a CR-only file would be one line: every rule would misread it
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(PEP.replace("\n", "\r").encode(), "x.md")
    err = info.value
    assert (err.line, err.column, err.kind) == (1, 1, "unreadable")
    assert "old Mac line endings (CR only)" in err.message and "perl -pi" in err.message
    assert len(err.message) < 300  # the message, not the file


@pytest.mark.parametrize("text, line, column", [
    ("# PEP-0001: X\nab\rcd\n", 2, 3),  # a CR alone inside a line: Markdown breaks the line there
    ("# PEP-0001: X\r\n\r\nlast\r", 3, 5),  # at the end of a CRLF file
])
def test_a_lone_carriage_return_among_lf_lines_is_refused_where_it_is(text, line, column):
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(text.encode(), "x.md")
    assert (info.value.line, info.value.column, info.value.kind) == (line, column, "unreadable")
    assert "old Mac line ending" in info.value.message


def test_corpus_round_trips_byte_for_byte(corpus_dir):
    names = sorted(os.listdir(corpus_dir))
    assert len(names) > 1000
    for name in names:
        data = (corpus_dir / name).read_bytes()
        assert Document.from_bytes(data, name).to_bytes() == data, name


# -- structure -------------------------------------------------------------------


def test_header_fields_aliases_and_unknown_fields():
    doc = Document(PEP)
    assert doc.get("PEP") == "0042"
    assert doc.get("Authors") == doc.get("Author(s)") == "Ada Lovelace (@ada)"
    assert doc.get("custom thing") == "kept | as is"
    assert [f.name for f in doc.field_list][-1] == "Custom Thing"
    assert doc.title_heading == "PEP-0042: Response cache"


def test_headings_skip_fences_and_comments():
    doc = Document(PEP)
    assert [(h.level, h.title) for h in doc.headings] == [(2, "Summary"), (3, "Detail"), (2, "Open Questions")]
    summary = doc.section("summary")
    assert "Not a heading" in doc.section_text(summary)
    assert "Also not a heading" not in doc.section_text(summary)
    assert "Also not a heading" in doc.section_text(summary, keep_comments=True)
    assert doc.section_text(doc.section("Open Questions")).strip() == "1. none"


def test_tilde_fence_and_longer_closing_fence():
    doc = Document("# PEP-0001: X\n~~~~\n## in fence\n~~~\n## still in fence\n~~~~~\n## After\n")
    assert [h.title for h in doc.headings] == ["After"]


def test_heading_closing_hashes_and_indent():
    doc = Document("# PEP-0001: X\n   ## Summary ##\n    ## code block, not heading\n##NoSpace\n")
    assert [h.title for h in doc.headings] == ["Summary"]


def test_split_cells_escaped_pipe_and_no_outer_pipes():
    assert [c.raw for c in split_cells("| a \\| b | c |", 0)] == ["a \\| b", "c"]
    assert [c.raw for c in split_cells("a | b", 0)] == ["a", "b"]
    assert [c.raw for c in split_cells("|  | x |", 0)] == ["", "x"]


# -- edits -----------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_editing_one_field_changes_only_that_cell(newline):
    original = PEP.replace("\n", newline).replace("| **Status** | Draft |", "|  **Status**  |   Draft   |")
    doc = Document(original)
    doc.set_field("Status", "Under Review")
    expected = original.replace("|   Draft   |", "|   Under Review   |")
    assert doc.to_text() == expected
    assert doc.get("Status") == "Under Review"


def test_edit_escapes_pipes_and_refuses_newlines():
    doc = Document(PEP)
    doc.set_field("Title", "A | B")
    assert "| **Title** | A \\| B |" in doc.to_text()
    assert doc.get("Title") == "A | B"
    with pytest.raises(ValueError):
        doc.set_field("Title", "two\nlines")


def test_edit_keeps_bom_and_missing_final_newline():
    data = b"\xef\xbb\xbf" + PEP.rstrip("\n").encode()
    doc = Document.from_bytes(data)
    doc.set_field("Status", "Accepted")
    assert doc.to_bytes() == data.replace(b"| Draft |", b"| Accepted |")


def test_add_field_after_anchor_uses_file_newline():
    doc = Document(PEP.replace("\n", "\r\n"))
    doc.add_field("Sponsor", "Grace Hopper (@grace)", after="Author(s)")
    text = doc.to_text()
    assert "| **Author(s)** | Ada Lovelace (@ada) |\r\n| **Sponsor** | Grace Hopper (@grace) |\r\n" in text
    assert doc.get("Sponsor") == "Grace Hopper (@grace)"


# -- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, kind, line",
    [
        (b"", "empty", 1),
        (b"  \n\n\t\n", "empty", 1),
        (b"# PEP-0001: X\n\x00\x01binary", "binary", 2),
        (b"# PEP-0001: X\n| a | b |\ncaf\xe9\n", "encoding", 3),
    ],
    ids=["empty", "whitespace", "binary", "latin-1"],
)
def test_unreadable_input_raises_clear_error(data, kind, line):
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(data, "x.md")
    assert info.value.kind == kind
    assert info.value.line == line
    assert info.value.message


def test_no_table_and_broken_table_are_problems_not_exceptions():
    assert Document("# PEP-0001: X\n\n## Summary\n").header.found is False
    broken = Document("# PEP-0001: X\n| Field | Value |\n| **PEP** | 0001 |\n| **Title** | a | extra |\n")
    kinds = [(p.kind, p.line) for p in broken.problems]
    assert ("broken-table", 3) in kinds
    assert ("broken-table", 4) in kinds


def test_unclosed_comment_is_a_problem():
    doc = Document("# PEP-0001: X\n<!-- never closed\n## Hidden\n")
    assert [p.kind for p in doc.problems] == ["unclosed-comment"]
    assert doc.headings == []


def test_ten_megabyte_file_parses():
    body = ("word " * 15 + "\n") * 140_000
    text = PEP + body
    assert len(text.encode()) > 10_000_000
    doc = Document.from_bytes(text.encode())
    assert doc.get("Status") == "Draft"
    assert doc.to_text() == text


@pytest.mark.parametrize("row", ["| **Title** | |", "| **Title** |  |", "| **Title** ||"])
def test_filling_an_empty_cell_pads_it(row):
    doc = Document(f"# PEP-0001: X\n| Field | Value |\n|---|---|\n{row}\n")
    doc.set_field("Title", "Cache")
    assert "| **Title** | Cache |" in doc.to_text()


# -- line helpers ------------------------------------------------------------------


def test_split_lines_keeps_every_ending():
    assert split_lines("a\r\nb\nc") == ["a\r\n", "b\n", "c"]
    assert split_lines("a\n") == ["a\n"]
    assert split_lines("") == []
    assert split_lines("\r") == ["\r"]


@pytest.mark.parametrize("line, content", [("a\r\n", "a"), ("a\n", "a"), ("a", "a"), ("a\r", "a\r"), ("\n", "")])
def test_line_content(line, content):
    assert line_content(line) == content


@pytest.mark.parametrize("content, heading", [
    ("# Title", (1, "Title")),
    ("   ###### Six ######", (6, "Six")),
    ("## Closing #s #", (2, "Closing #s")),
    ("## C# ", (2, "C#")),
    ("## #", (2, "")),
    ("#\tTab", (1, "Tab")),
    ("#", (1, "")),
    ("    # indented code", None),
    ("####### seven", None),
    ("#NoSpace", None),
    ("text # not", None),
])
def test_atx_heading(content, heading):
    assert atx_heading(content) == heading


@pytest.mark.parametrize("content, fence", [
    ("```", ("`", 3)),
    ("   ~~~~ info", ("~", 4)),
    ("```python", ("`", 3)),
    ("~~~ a~b", ("~", 3)),
    ("``` a`b", None),  # a backtick fence's info string holds no backtick
    ("``", None),
    ("`", None),
    ("~", None),
    ("    ```", None),
    ("", None),
    ("text", None),
    # only spaces may come before the run: any other character makes the line text
    ("X```", None),
    ("x ```", None),
    ("-~~~", None),
    ("\t```", None),
])
def test_fence_opening(content, fence):
    assert fence_opening(content) == fence


@pytest.mark.parametrize("content, char, run, closes", [
    ("```", "`", 3, True),
    ("   `````  ", "`", 3, True),
    ("``", "`", 3, False),
    ("``` x", "`", 3, False),
    ("    ```", "`", 3, False),
    ("~~~", "`", 3, False),
])
def test_is_fence_close(content, char, run, closes):
    assert is_fence_close(content, char, run) is closes


# -- structure, in detail ------------------------------------------------------------


def test_heading_lines_count_from_the_top_even_after_a_blank_first_line():
    text = "\n# PEP-0001: X\n\n## One\ntext\n\n### Two\n## Three"
    doc = Document(text)
    assert doc.title_line == 1
    assert [(h.title, h.line) for h in doc.headings] == [("One", 3), ("Two", 6), ("Three", 7)]
    assert repr(doc.headings[1]) == "Heading(3, 'Two', line=7)"
    # asked in any order, each heading knows its own line
    again = Document(text)
    assert again.headings[2].line == 7 and again.headings[0].line == 3


def test_a_heading_on_its_own_counts_its_line():
    heading = Heading(2, "Alone", 7, 16, "a\nb\n\n## Alone\n")
    assert heading.line == 3 and heading.key == "alone"


def test_heading_offsets_and_bodies():
    doc = Document("# T\n## A ##\nbody\n## B")
    a, b = doc.headings
    assert (a.level, a.title, a.offset, a.body) == (2, "A", 4, 12)
    assert (b.title, b.offset, b.body) == ("B", 17, 21)  # the last line: its body is the end of the text


def test_only_a_first_level_one_heading_is_the_title():
    doc = Document("## Intro\n# PEP-0001: Late\n")
    assert doc.title_line is None and [h.level for h in doc.headings] == [2, 1]
    doc = Document("# PEP-0001: X\n# Another top\n")
    assert doc.title_line == 0 and [(h.level, h.title) for h in doc.headings] == [(1, "Another top")]


def test_fences_and_their_spans():
    text = "# T\n```\n## in\n```\n~~~~\n## in\n~~~\n## still in\n~~~~\n## out\n```x`y\n## not a fence\n"
    doc = Document(text)
    assert [h.title for h in doc.headings] == ["out", "not a fence"]
    # from the opening line's start to the end of the closing run (its line ending not included)
    assert doc.fences == [(4, text.index("\n~~~~")), (text.index("~~~~"), text.index("\n## out"))]


def test_an_unclosed_fence_runs_to_the_end():
    text = "# T\n```\n## hidden\n"
    assert Document(text).headings == [] and Document(text).fences == [(4, len(text))]


def test_a_backtick_fence_line_at_the_end_of_the_file_with_a_backtick_in_its_info_is_no_fence():
    doc = Document("# T\n```x`")
    assert doc.fences == []
    doc = Document("# T\n```x\n## in")
    assert doc.fences == [(4, 14)] and doc.headings == []  # unclosed: to the end


def test_comments_their_lines_and_spans():
    text = "# T\n<!-- one -->\n## A\n<!--\ntwo\n-->\n## B\n"
    doc = Document(text)
    assert doc.comments == [(1, 1), (3, 5)]
    assert doc.comment_spans == [(4, 16), (22, 34)]
    assert [h.title for h in doc.headings] == ["A", "B"]
    assert [doc.in_comment(n) for n in range(7)] == [False, True, False, True, True, True, False]


def test_an_unclosed_comment_runs_to_the_end_and_says_where_it_starts():
    text = "# T\n\n  <!-- a\nb\n"
    doc = Document(text)
    assert doc.comments == [(2, 4)] and doc.comment_spans == [(5, len(text))]
    assert doc.problems == [Problem(3, 1, "unclosed-comment", "an HTML comment starts here and is never closed with -->")]


def test_sections():
    doc = Document("# T\n## One\na\n### Sub\nb\n## Two\nc\n")
    one, sub, two = doc.headings
    assert doc.section("ONE") is one and doc.section("sub") is sub and doc.section("three") is None
    assert doc.section_end(one) is two and doc.section_end(sub) is two and doc.section_end(two) is None
    assert doc.section_text(one) == "a\n### Sub\nb\n" and doc.section_text(two) == "c\n"


def test_strip_comments():
    assert strip_comments("a<!-- x -->b<!--y-->c") == "abc"
    assert strip_comments("a<!-- never closed") == "a"
    assert strip_comments("a<!---->b") == "ab"
    assert strip_comments("a<!-->b-->c") == "ac"


def test_line_offset_and_lines():
    doc = Document("a\r\nbb\nccc")
    assert doc.lines == ["a\r\n", "bb\n", "ccc"]
    assert [doc.line_offset(n) for n in range(4)] == [0, 3, 6, 9]


@pytest.mark.parametrize("text, newline", [("a\nb\r\nc", "\n"), ("a\r\nb\nc", "\r\n"), ("one line", "\n"), ("\nx", "\n"),
                                            ("\r\n", "\r\n")])
def test_newline_is_the_first_line_ending(text, newline):
    assert Document(text).newline == newline


def test_get_and_field():
    doc = Document(PEP)
    assert doc.field("status").value == "Draft" and doc.field("Nope") is None
    assert doc.get("Nope") == "" and doc.get("Nope", "dflt") == "dflt"


def test_an_edited_document_keeps_its_path_bom_and_format():
    doc = Document.from_bytes(b"\xef\xbb\xbf" + PEP.encode(), "docs/PEP-0042-x.md")
    doc.set_field("Status", "Accepted")
    assert (doc.path, doc.bom, doc.format.name) == ("docs/PEP-0042-x.md", True, "plano")
    assert doc.get("Status") == "Accepted"


def test_set_field_of_a_missing_field_names_it():
    with pytest.raises(KeyError) as info:
        Document(PEP).set_field("Sponsor", "x")
    assert info.value.args == ("Sponsor",)


def test_add_field_first_and_last():
    doc = Document(PEP)
    doc.add_field("Kind", "Process", after=FIRST)
    doc.add_field("Extra", "x")
    fields = [f.name for f in doc.field_list]
    assert fields[0] == "Kind" and fields[-1] == "Extra"
    assert "| **Custom Thing** | kept \\| as is |\n| **Extra** | x |\n\n## Summary" in doc.to_text()


def test_bytes_errors_say_where():
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"ok\nab\xffcd\n")
    err = info.value
    assert (err.line, err.column, err.kind) == (2, 3, "encoding")
    assert err.message == "the file is not valid UTF-8 (byte 0xff at offset 5); re-save it as UTF-8" == str(err)
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"a\nb\n\nc\x00")
    assert (info.value.line, info.value.column, info.value.kind) == (4, 1, "binary")
    assert info.value.message == "the file is binary (it contains NUL bytes), not Markdown text"
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"")
    assert (info.value.message, info.value.kind) == ("the file is empty", "empty")
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"\xef\xbb\xbf \n")
    assert (info.value.message, info.value.kind) == ("the file holds only whitespace", "empty")


def test_document_error_defaults():
    err = DocumentError("x")
    assert (err.message, err.line, err.column, err.kind) == ("x", 1, 1, "unreadable")


def test_read_a_file_and_keep_its_bom(tmp_path):
    path = tmp_path / "PEP-0042-x.md"
    path.write_bytes(b"\xef\xbb\xbf" + PEP.encode())
    doc = Document.read(str(path))
    assert doc.path == str(path) and doc.bom and doc.text == PEP
    assert doc.to_bytes() == path.read_bytes() and doc.to_text() == PEP


def test_the_title_heading():
    assert Document(PEP).title_heading == "PEP-0042: Response cache"
    assert Document("## No title\n").title_heading is None


def test_a_nul_byte_is_reported_on_its_own_line_not_the_files_last():
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"# PEP-0001: X\n\x00 here\nmore\nlines\n")
    assert (info.value.line, info.value.kind) == (2, "binary")
