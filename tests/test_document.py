"""The document layer: lossless round trip, one-cell edits, structure, bad input."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pepctl.document import Document, DocumentError
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
