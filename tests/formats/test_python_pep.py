"""The python-pep format: RFC 822 header lines over a reStructuredText body."""

import pytest

from pepctl import formats
from pepctl.formats.base import Problem
from tests.formats.dialects import PY, doc, edited_equal_except, pep


def test_fields_with_continuation_lines_and_spans():
    d = doc(PY, "python-pep")
    assert d.get("PEP") == "9001"
    assert d.get("Author") == ("Ada Example <ada@example.org>, Łukasz Sample <lukasz@example.org>, Bare Name")
    field = d.field("Post-History")  # empty on its own line, the values on the next ones
    assert field.value == "03-Mar-2021, `04-Apr-2021 <https://discuss.python.org/t/frob/123>`__,"
    assert d.text[field.value_start:field.value_end] == field.raw
    assert [f.name for f in d.field_list][:3] == ["PEP", "Title", "Author"]
    assert d.header.first_line == 0 and d.header.last_line == 11


def test_pep_view_reads_number_title_authors():
    p = pep(PY, "python-pep", "peps/pep-9001.rst")
    assert p.number == 9001 and p.file_number == 9001
    assert p.title == "Frobnicate the widgets"
    assert [a.name for a in p.authors] == ["Ada Example", "Łukasz Sample", "Bare Name"]
    assert p.status == "Draft"


def test_padded_values_and_unpadded_number():
    text = "PEP:            8\nTitle:          Padded\n\nBody\n"
    p = pep(text, "python-pep", "peps/pep-0008.rst")
    assert p.number == 8 and p.title == "Padded"
    assert p.document.field("PEP").value_start == text.index("8")


def test_rst_section_titles_are_headings():
    d = doc(PY, "python-pep")
    assert [(h.level, h.title) for h in d.headings] == [(2, "Abstract"), (3, "Details")]


def test_a_comment_line_in_code_is_no_heading():
    text = "PEP: 1\n\nTitle\n=====\n\n::\n\n    # not a heading\n    ---\n"
    assert [h.title for h in doc(text, "python-pep").headings] == ["Title"]


def test_set_value_is_lossless():
    d = doc(PY, "python-pep")
    d.set_field("Status", "Accepted")
    assert edited_equal_except(PY, d.text, "Status: Draft", "Status: Accepted")


def test_set_value_on_an_empty_field():
    text = "PEP: 1\nTitle: T\nResolution:\nStatus: Draft\n\nBody\n"
    d = doc(text, "python-pep")
    d.set_field("Resolution", "https://discuss.python.org/t/x/1")
    assert d.text == text.replace("Resolution:\n", "Resolution: https://discuss.python.org/t/x/1\n")


def test_insert_goes_after_the_continuation_lines():
    d = doc(PY, "python-pep")
    d.add_field("Sponsor", "Sam Sponsor <sam@example.org>", after="Author")
    assert "        Bare Name\nSponsor: Sam Sponsor <sam@example.org>\nStatus: Draft\n" in d.text


def test_crlf_is_kept():
    text = PY.replace("\n", "\r\n")
    d = doc(text, "python-pep")
    assert d.get("Title") == "Frobnicate the widgets"
    d.set_field("Status", "Final")
    assert d.text == text.replace("Status: Draft", "Status: Final")


def test_a_line_that_is_no_field_is_a_problem():
    d = doc("PEP: 1\nTitle: T\nthis is not a header\n\nBody\n", "python-pep")
    assert [(p.line, p.kind) for p in d.problems] == [(3, "malformed-header")]


def test_field_in_line_reads_diff_lines():
    fmt = formats.get("python-pep")
    assert fmt.field_in_line("Status: Final") == ("Status", "Final")
    assert fmt.field_in_line("    continuation") is None


def test_section_titles_know_their_lines_and_spans():
    d = doc(PY, "python-pep")
    lines = PY.split("\n")
    for heading in d.headings:
        assert lines[heading.line] == heading.title  # the title's own line, 0-based
        assert d.text[heading.offset:].startswith(heading.title)
        assert d.text[heading.body - 1] == "\n" and set(d.text[d.text.rfind("\n", 0, heading.body - 1) + 1:heading.body - 1]) <= set("=-")
    assert [h.line for h in d.headings] == [14, 19]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_rst_title_styles_give_levels_in_order_of_first_use(ending):
    text = ("PEP: 1\n\n"
            "=========\nOverlined\n=========\n\n"   # an over- and underlined style: level 2
            "Plain   \n=========\n\n"                # = alone is another style: level 3
            "Sub\n---\n\n"                           # level 4
            "Back\n====\n\n"                         # = alone again: level 3
            "Short title\n===\n\n"                   # an underline shorter than its title: no heading
            "  Indented\n  ========\n\n"             # indented: a block quote, no heading
            "=====\n=====\n\n"                       # punctuation only: a transition, no heading
            "Last\n~~~~\n").replace("\n", ending)
    d = doc(text, "python-pep")
    assert [(h.level, h.title, h.line) for h in d.headings] == [
        (2, "Overlined", 3), (3, "Plain", 6), (4, "Sub", 9), (3, "Back", 12), (5, "Last", 24)]
    for heading in d.headings:
        assert d.text[heading.offset:heading.offset + len(heading.title)] == heading.title
        assert d.text[heading.body - 1] == "\n"


def test_no_heading_is_read_inside_the_header():
    text = "PEP: 1\nTitle: T\n\nAbstract\n========\n"
    assert [(h.title, h.line) for h in doc(text, "python-pep").headings] == [("Abstract", 3)]
    no_header = "Abstract\n========\n\nText.\n"
    assert [(h.title, h.line) for h in doc(no_header, "python-pep").headings] == [("Abstract", 0)]


@pytest.mark.parametrize("line, read", [
    ("Status: Final", ("Status", "Final")),
    ("Status:Final", ("Status", "Final")),
    ("Post-History:   01-Jan-2020,  02-Feb-2020 \t", ("Post-History", "01-Jan-2020,  02-Feb-2020")),
    ("Status: Final\r", ("Status", "Final")),
    ("Resolution:", ("Resolution", "")),
    ("X-2: y", ("X-2", "y")),
    ("    continuation", None),
    ("2Status: Final", None),
    ("Status Final", None),
    ("Sta tus: Final", None),
    ("", None),
])
def test_field_in_line(line, read):
    assert formats.get("python-pep").field_in_line(line) == read


def test_field_line_pattern_finds_the_field_whatever_its_case():
    import re

    pattern = re.compile(formats.get("python-pep").field_line_pattern("Status"), re.M)
    text = "PEP: 1\nstatus: Draft\nSTATUS: Final\nMy Status: no\n"
    assert pattern.findall(text) == ["status: Draft", "STATUS: Final", "Status: no"]
    assert re.fullmatch(formats.get("python-pep").field_line_pattern("Post-History"), "post-history: x")


@pytest.mark.parametrize("text, fields, span", [
    ("PEP: 1\n  \nTitle: x\n\nBody", [("PEP", 0, "1")], (0, 7)),  # a line of spaces ends the header
    ("PEP: 1\nTitle:\n  on the next line\n\nB", [("PEP", 0, "1"), ("Title", 1, "on the next line")], (0, 33)),
    ("PEP: 1\nTitle:   \t\n\nB", [("PEP", 0, "1"), ("Title", 1, "")], (0, 18)),
    ("PEP: 1\r\nTitle: T  \r\n\r\nB", [("PEP", 0, "1"), ("Title", 1, "T")], (0, 20)),
    ("PEP: 1\nTitle: T", [("PEP", 0, "1"), ("Title", 1, "T")], (0, 15)),  # no blank line, no final newline
    ("PEP: 1\n\t continued\n\n", [("PEP", 0, "1 continued")], (0, 19)),
    ("PEP: 1\nAuthor: A <a@x>,\n  B <b@x>\nStatus: Draft\n\n",
     [("PEP", 0, "1"), ("Author", 1, "A <a@x>, B <b@x>"), ("Status", 3, "Draft")], (0, 48)),
])
def test_header_block_edges(text, fields, span):
    d = doc(text, "python-pep")
    assert [(f.name, f.line, f.value) for f in d.field_list] == fields
    assert (d.header.start, d.header.end) == span and d.problems == []
    for f in d.field_list:
        if f.value_start is not None:
            assert text[f.value_start:f.value_end] == f.raw and f.raw == f.raw.strip()


@pytest.mark.parametrize("text", ["  indented first\nPEP: 1\n\nB", "Not a header\n\nB", "\nPEP: 1\n", "", "\n\nPEP: 1\n"])
def test_no_header_unless_the_file_starts_with_one(text):
    d = doc(text, "python-pep")
    assert not d.header.found and d.problems == []


def test_a_line_that_is_no_field_is_reported_with_its_text_and_the_header_goes_on():
    d = doc("PEP: 1\nnot a header\r\nStatus:x\n\n", "python-pep")
    assert d.problems == [Problem(2, 1, "malformed-header", "header line 'not a header' is not `Key: value`; "
                                  "indent a continuation line, or end the header with a blank line")]
    assert d.get("Status") == "x" and d.header.last_line == 2


def test_setting_an_empty_field_keeps_the_line_ending_and_drops_trailing_space():
    d = doc("PEP: 1\nResolution:  \r\nStatus: x\r\n\r\nB", "python-pep")
    d.set_field("Resolution", "https://example.org/1")
    assert d.text == "PEP: 1\nResolution: https://example.org/1\r\nStatus: x\r\n\r\nB"
    d = doc("PEP: 1\nTitle:\n  on the next line\n\nB", "python-pep")
    d.set_field("Title", "New")  # a value on the line after its name stays there
    assert d.text == "PEP: 1\nTitle:\n  New\n\nB"
    with pytest.raises(ValueError, match="one line"):
        d.set_field("Title", "a\r\nb")


@pytest.mark.parametrize("value, people", [
    ("A <a@x>, B <b@x>", ["A <a@x>", "B <b@x>"]),
    ("A <a,b@x>, C", ["A <a,b@x>", "C"]),  # a comma inside <...> is no separator
    (" , A ,, ", ["A"]),
    ("A <unclosed, B", ["A <unclosed, B"]),
    ("A> B, C", ["A> B", "C"]),
    ("Łukasz   Langa <l@x>,\n   Bo", ["Łukasz Langa <l@x>", "Bo"]),
])
def test_split_people(value, people):
    from pepctl.formats.python_pep import split_people

    assert split_people(value) == people


def test_authors_names_without_their_addresses():
    p = pep("PEP: 1\nAuthor: Ada <a@x>, <b@x>, Bo\n\nB", "python-pep", "pep-0001.rst")
    assert [(a.name, a.handle, a.raw) for a in p.authors] == [("Ada", None, "Ada <a@x>"), ("<b@x>", None, "<b@x>"),
                                                              ("Bo", None, "Bo")]


def test_a_section_title_on_the_last_lines_without_a_final_newline():
    text = "PEP: 1\n\nAbstract\n========"
    (heading,) = doc(text, "python-pep").headings
    assert (heading.title, heading.line, heading.body) == ("Abstract", 2, len(text))


def test_a_long_header_is_read_in_one_pass(monkeypatch):
    # each header line's number was counted from the top of the file again
    from pepctl.formats import common, python_pep

    calls = []
    real = common.line_at
    counting = lambda text, offset: calls.append(offset) or real(text, offset)  # noqa: E731
    monkeypatch.setattr(common, "line_at", counting)
    if hasattr(python_pep, "line_at"):
        monkeypatch.setattr(python_pep, "line_at", counting)
    lines = "".join(f"X-Key{i}: value {i}\nnot a header line {i}\n" for i in range(300))
    d = doc("PEP: 1\nTitle: T\n" + lines + "Status: Draft\n\nBody\n", "python-pep")
    assert d.get("Status") == "Draft" and d.field("Status").line == 602
    assert [p.line for p in d.problems][-1] == 602
    assert len(calls) <= 5
