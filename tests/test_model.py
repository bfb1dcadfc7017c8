"""People fields: names and GitHub handles as authors write them."""

from __future__ import annotations

import pytest

from pepctl.document import Document
from pepctl.model import (
    Pep,
    PepSummary,
    format_number,
    handles_in,
    is_empty_value,
    is_template_hint,
    number_from_filename,
    parse_author,
    parse_authors,
    parse_number,
    pep_label,
    pep_refs,
    split_people,
    summary_of,
)


@pytest.mark.parametrize("cell, people", [
    ("Ada Lovelace (@ada), Bob Builder (@bob-b)", [("Ada Lovelace", "ada"), ("Bob Builder", "bob-b")]),
    ("Jane Doe <jane@x.org>", [("Jane Doe <jane@x.org>", None)]),  # an e-mail address names no user
    ("Jane Doe (ACME) (@jane)", [("Jane Doe (ACME)", "jane")]),
    ("[Jane Doe](https://github.com/jane-d)", [("Jane Doe", "jane-d")]),
    ("Ada @ada and Carol", [("Ada", "ada"), ("Carol", None)]),
    ("@ada", [("@ada", "ada")]),
])
def test_parse_authors(cell, people):
    assert [(a.name, a.handle) for a in parse_authors(cell)] == people


def test_an_e_mail_domain_is_no_maintainer_handle():
    # a sponsor written as an address at a maintainer-named domain must not count as that maintainer
    assert handles_in("Mallory <mallory@carol.example>") == []
    assert handles_in("Mallory (@mallory), [Carol](https://github.com/carol)") == ["mallory", "carol"]


# -- values that mean "nothing here yet" ----------------------------------------------


@pytest.mark.parametrize("value", ["", "  ", "-", "—", "–", "N/A", "na", "None", "TBD", "tba", "todo", "?",
                                   "_(filled after acceptance)_", " *(the day you start)* "])
def test_empty_values(value):
    assert is_empty_value(value)


@pytest.mark.parametrize("value", ["0", "x", "TBD later", "(tbd)", "_(open", "open)_", "_x_", "*(half)_"])
def test_values_that_are_something(value):
    assert not is_empty_value(value)


def test_template_hints_are_italic_parentheses():
    assert is_template_hint("_(filled after acceptance)_") and is_template_hint("*(x)*")
    assert not is_template_hint("(filled after acceptance)") and not is_template_hint("_filled_")
    assert not is_template_hint("TBD")


# -- people ----------------------------------------------------------------------------


@pytest.mark.parametrize("cell, people", [
    ("Ada (@ada), Bob (@bob)", ["Ada (@ada)", "Bob (@bob)"]),
    ("Ada (@ada); Bob (@bob)", ["Ada (@ada)", "Bob (@bob)"]),
    ("Ada (@ada) and Bob (@bob) & Cy", ["Ada (@ada)", "Bob (@bob)", "Cy"]),
    ("Jane Doe (ACME, Inc.; Ltd) (@jane), Bo", ["Jane Doe (ACME, Inc.; Ltd) (@jane)", "Bo"]),
    ("Ann (x)) , Bo", ["Ann (x))", "Bo"]),  # a stray ')' does not make the depth negative
    ("Ann (unclosed, Bo and Cy", ["Ann (unclosed, Bo and Cy"]),  # never closed: nothing splits
    ("Sandra, Andy", ["Sandra", "Andy"]),  # 'and' inside a name is no separator
    (" , ;", []),
])
def test_split_people(cell, people):
    assert split_people(cell) == people


@pytest.mark.parametrize("raw, name, handle", [
    ("Ada Lovelace (@ada)", "Ada Lovelace", "ada"),
    ("Ada Lovelace ( @ada )", "Ada Lovelace", "ada"),
    ("[Ada](https://www.github.com/ada-l/)", "Ada", "ada-l"),
    ("Dr [Ada](http://github.com/ada) PhD", "Dr Ada PhD", "ada"),
    ("[](https://github.com/ada)", "ada", "ada"),
    ("Ada (@ada) (ACME)", "Ada (ACME)", "ada"),
    ("@ada", "@ada", "ada"),
    ("Ada", "Ada", None),
    ("ada@example.org", "ada@example.org", None),
])
def test_parse_author(raw, name, handle):
    author = parse_author(raw)
    assert (author.name, author.handle, author.raw) == (name, handle, raw)


# -- PEP numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("cell, numbers", [
    ("PEP-0042, PEP-0007", [7, 42]),
    ("pep 42 and PEP42 and 42", [42]),
    ("[PEP-0043](PEP-0099-x.md)", [43]),
    ("None", []),
    ("_(none yet)_", []),
    ("PEP-0001: x; PEP 2", [1, 2]),
])
def test_pep_refs(cell, numbers):
    assert pep_refs(cell) == numbers


@pytest.mark.parametrize("path, number", [
    ("PEP-0042-cache.md", 42),
    ("docs/peps/PEP-0042-cache.md", 42),
    ("PEP-0042.md", 42),
    ("PEP-12345-big.md", 12345),
    ("PEP-42-short.md", 42),
    ("pep-0007-lower.md", 7),
    ("PEP-draft.md", None),
    ("PEP-١٢٣٤-x.md", None),
    ("README.md", None),
])
def test_number_from_filename(path, number):
    assert number_from_filename(path) == number


@pytest.mark.parametrize("text, number", [
    ("42", 42), (" 0042 ", 42), ("PEP-0042", 42), ("pep 42", 42), ("PEP42", 42), ("123456", 123456),
    ("1234567", None), ("PEP-", None), ("forty-two", None), ("", None), ("٤٢", None),
])
def test_parse_number(text, number):
    assert parse_number(text) == number


def test_labels():
    assert format_number(42) == "0042" and format_number(12345) == "12345"
    assert pep_label(7) == "PEP-0007"


# -- Pep ----------------------------------------------------------------------------------

PEP_TEXT = (
    "# PEP-0042: Response cache\n\n| Field | Value |\n|---|---|\n| **PEP** | 0042 |\n| **Title** | Cached responses |\n"
    "| **Status** | Under Review |\n| **Author(s)** | Ada (@ada), Bob |\n| **Sponsor** | Carol (@carol) |\n"
    "| **Created** | 2026-01-05 |\n| **Discussion** | TBD |\n\n## Summary\n\nText.\n"
)


def test_pep_reads_its_fields(tmp_path):
    path = tmp_path / "PEP-0041-cache.md"
    path.write_text(PEP_TEXT, encoding="utf-8")
    pep = Pep.read(str(path))
    assert pep.filename == "PEP-0041-cache.md" and repr(pep) == f"Pep({str(path)!r})"
    assert (pep.number, pep.field_number, pep.heading_number, pep.file_number) == (42, 42, 42, 41)
    assert (pep.title, pep.heading_title, pep.status, pep.created) == ("Cached responses", "Response cache", "Under Review", "2026-01-05")
    assert pep.authors_text == "Ada (@ada), Bob"
    assert [(a.name, a.handle) for a in pep.authors] == [("Ada", "ada"), ("Bob", None)]
    assert pep.sponsor == "Carol (@carol)"
    assert pep.value("Discussion") == "" and pep.value("created") == "2026-01-05" and pep.value("Nope") == ""


def test_pep_number_falls_back_to_the_heading_then_the_file_name():
    no_field = PEP_TEXT.replace("| **PEP** | 0042 |\n", "")
    pep = Pep(Document(no_field), "x/PEP-0041-cache.md")
    assert (pep.field_number, pep.number) == (None, 42)
    neither = no_field.replace("# PEP-0042: Response cache", "# Response cache")
    pep = Pep(Document(neither), "x/PEP-0041-cache.md")
    assert (pep.heading_number, pep.heading_title, pep.number) == (None, None, 41)
    assert pep.title == "Cached responses"
    assert Pep(Document(neither.replace("| **Title** | Cached responses |\n", "")), "PEP-0041-x.md").title == ""


@pytest.mark.parametrize("value, number", [("0042", 42), ("PEP-0042", 42), ("pep-0042", 42), (" 42 ", 42),
                                           ("XXXX", None), ("4two", None), ("", None), ("0042-PEP", None)])
def test_field_number(value, number):
    pep = Pep(Document(PEP_TEXT.replace("| **PEP** | 0042 |", f"| **PEP** | {value} |")), "PEP-0042-x.md")
    assert pep.field_number == number


def test_title_from_the_heading_when_the_field_is_empty():
    pep = Pep(Document(PEP_TEXT.replace("| **Title** | Cached responses |", "| **Title** |  |")), "PEP-0042-x.md")
    assert pep.title == "Response cache"


def test_a_template_hint_is_no_sponsor():
    pep = Pep(Document(PEP_TEXT.replace("Carol (@carol)", "_(required for non-maintainers)_")), "PEP-0042-x.md")
    assert pep.sponsor == ""


def test_summary_of_a_pep_says_where_its_number_is():
    summary = summary_of(Pep(Document(PEP_TEXT), "d/PEP-0042-x.md"))
    assert summary == PepSummary("d/PEP-0042-x.md", 42, 5, "Cached responses", "Under Review", "Ada (@ada), Bob", True)
    assert summary.filename == "PEP-0042-x.md"
    no_field = Pep(Document("\n" + PEP_TEXT.replace("| **PEP** | 0042 |\n", "")), "d/PEP-0042-x.md")
    assert summary_of(no_field).line == 2  # the title heading
    bare = Pep(Document("Just text.\n"), "d/PEP-0007-x.md")
    assert summary_of(bare) == PepSummary("d/PEP-0007-x.md", 7, 1, "", "", "", True)


def test_summary_defaults():
    assert PepSummary("p", 1) == ("p", 1, 1, "", "", "", True)


def test_split_people_splits_on_commas_and_semicolons_only():
    from pepctl.model import split_people

    assert split_people("Xavier Xu (@xx); Ada (@ada), Bo") == ["Xavier Xu (@xx)", "Ada (@ada)", "Bo"]
