"""A header written as a bullet list of `Key: value` items (Swift, Rust RFCs, MADR 2)."""

from __future__ import annotations

import re

import pytest

from pepctl import formats
from pepctl.formats.base import Problem
from tests.formats.dialects import doc


def read(text: str, fmt: str = "rust-rfc"):
    d = doc(text, fmt)
    return [(f.name, f.line, f.value) for f in d.field_list], d


def test_any_bullet_and_tabs_after_it():
    fields, d = read("- Feature Name: a\n-\tStart Date: 2020\n+ RFC PR: x\n* Rust Issue: y\n")
    assert fields == [("Feature Name", 0, "a"), ("Start Date", 1, "2020"), ("RFC PR", 2, "x"), ("Rust Issue", 3, "y")]
    for f in d.field_list:
        assert d.text[f.value_start:f.value_end] == f.value
        assert d.text[f.name_start:].startswith(f.name + ":")
    assert (d.header.start, d.header.end) == (0, len(d.text) - 1)


@pytest.mark.parametrize("text, names", [
    ("- Feature Name: a\n  - sub: x\n\tmore\n- Start Date: b\n", ["Feature Name", "Start Date"]),  # indented: part of the item
    ("- Feature Name: a\n- a bare link\n- Start Date: b", ["Feature Name", "Start Date"]),  # a keyless item is kept
    ("- Feature Name:a\n- Start Date: b\n", ["Start Date"]),  # no space after the colon: no field
    ("- Feature Name: a\n# Heading\n- Start Date: b\n", ["Feature Name"]),
    ("- Feature Name: a\n   \n- Start Date: b\n", ["Feature Name"]),  # a blank line ends the list
    ("- Feature Name: a\r\n\r\n- Start Date: b\r\n", ["Feature Name"]),
    ("- Feature Name: a\nplain text\n- Start Date: b\n", ["Feature Name"]),
    ("- Feature Name: a\n-- Start Date: b\n", ["Feature Name"]),
    ("- Key (old) / new #: v\n- K.e'y: v2\n", ["Key (old) / new #", "K.e'y"]),
    ("- " + "K" * 41 + ": v\n", ["K" * 41]),
    ("- " + "K" * 42 + ": v\n", []),  # longer than a key gets: a sentence, not a field
])
def test_where_the_list_ends_and_what_is_a_field(text, names):
    fields, _ = read(text)
    assert [name for name, _, _ in fields] == names


def test_empty_values_and_trailing_spaces():
    fields, d = read("- Feature Name: a   \n- Start Date:   \n- RFC PR:\n")
    assert fields == [("Feature Name", 0, "a"), ("Start Date", 1, ""), ("RFC PR", 2, "")]
    assert d.field("Feature Name").value_end == d.text.index("a   ") + 1
    assert d.field("Start Date").value_start is None and d.field("RFC PR").has_value is False


def test_a_stray_character_before_the_bullet_is_a_problem_and_the_item_still_counts():
    fields, d = read(">- Feature Name: a\n- Start Date: b\n")
    assert fields == [("Feature Name", 0, "a"), ("Start Date", 1, "b")]
    assert d.problems == [Problem(1, 1, "malformed-header",
                                  "this item starts with '>' before its bullet; delete it so the line starts `- `")]


def test_duplicates_are_reported_where_the_dialect_wants_it():
    swift = doc("# T\n\n* Status: **Accepted**\n* Status: **Rejected**\n", "swift")
    assert [(p.line, p.message) for p in swift.problems] == [(4, "field 'Status' appears twice (first on line 3)")]
    assert swift.get("Status") == "Accepted"
    rust = doc("- Rust Issue: a\n- Rust Issue: b\n", "rust-rfc")
    assert rust.problems == [] and rust.get("Tracking Issue") == "a"


@pytest.mark.parametrize("fmt, line, read", [
    ("rust-rfc", "- Feature Name: a", ("Feature Name", "a")),
    ("rust-rfc", "+ Key:   ", ("Key", "")),
    ("rust-rfc", "* Key:  v  w  ", ("Key", "v  w")),
    ("rust-rfc", "- Key : v", ("Key", "v")),
    ("rust-rfc", ">- Key: v", ("Key", "v")),
    ("rust-rfc", "* **Status:** **Accepted**", ("Status", "**Accepted**")),  # a Rust RFC keeps the value as written
    ("swift", "* **Status:** **Accepted (Swift 5)**", ("Status", "Accepted")),  # Swift reads the state
    ("swift", "* Status: **Active review (May 1...9)**", ("Status", "Active Review")),
    ("swift", "* Status: **Status: Returned for revision**", ("Status", "Returned for Revision")),
    ("swift", "* Status: Implemented", ("Status", "Implemented")),
    ("rust-rfc", "-Key: v", None),
    ("rust-rfc", "- Key:v", None),
    ("rust-rfc", "  - Key: v", None),
    ("rust-rfc", "Key: v", None),
    ("rust-rfc", "", None),
])
def test_field_in_line(fmt, line, read):
    assert formats.get(fmt).field_in_line(line) == read


def test_field_line_pattern():
    pattern = re.compile(formats.get("swift").field_line_pattern("status"))
    for line in ("* Status: x", "- **Status:** y", ">* STATUS: z", "+\tstatus:"):
        assert pattern.fullmatch(line), line
    for line in ("Status: x", "  * Status: x", "* Stat: x", "* Status: a\nb"):
        assert not pattern.fullmatch(line), line


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_edits(ending):
    text = "- Feature Name: a\n- Start Date:\n- RFC PR: [#1](u)\n\n# Summary\n".replace("\n", ending)
    d = doc(text, "rust-rfc")
    d.set_field("Start Date", "2020-01-02")
    assert d.text == text.replace("- Start Date:", "- Start Date: 2020-01-02")
    d.set_field("RFC PR", "[#2](u)")
    d.add_field("Rust Issue", "N/A", after="Start Date")
    assert d.text == text.replace("- Start Date:", "- Start Date: 2020-01-02").replace("[#1]", "[#2]").replace(
        f"2020-01-02{ending}", f"2020-01-02{ending}- Rust Issue: N/A{ending}")
    assert [f.name for f in d.field_list] == ["Feature Name", "Start Date", "Rust Issue", "RFC PR"]
    with pytest.raises(ValueError, match="line break"):
        d.set_field("RFC PR", "a\nb")


def test_example_uses_the_dialects_bullet_and_spelling():
    assert formats.get("rust-rfc").example("Created", "2020-01-02") == "- Start Date: 2020-01-02"
    assert formats.get("swift").example("Status", "Accepted") == "* Status: Accepted"


def test_a_heading_indented_up_to_three_spaces_ends_the_list():
    fields, _ = read("- Feature Name: a\n   # Summary\n- Start Date: b\n")
    assert [name for name, _, _ in fields] == ["Feature Name"]


@pytest.mark.parametrize("fmt", ["swift", "rust-rfc"])
def test_a_long_bullet_list_is_read_in_one_pass(monkeypatch, fmt):
    # each item's line was counted from the top of the file again: 60,000 items took a minute
    from pepctl.formats import bullets, common

    calls = []
    real = common.line_at
    monkeypatch.setattr(bullets, "line_at", lambda text, offset: calls.append(offset) or real(text, offset))
    monkeypatch.setattr(common, "line_at", lambda text, offset: calls.append(offset) or real(text, offset))
    items = "".join(f"* Key{i}: value {i}\n" for i in range(500))
    text = ("# X\n\n* Proposal: [SE-0001](x.md)\n" + items + "\n## Intro\n" if fmt == "swift"
            else "- Start Date: 2020-01-01\n" + items.replace("* ", "- ") + "\n# Summary\n")
    d = doc(text, fmt)
    assert [f.line for f in d.field_list][-1] == (502 if fmt == "swift" else 500)
    assert d.get("Key499") == "value 499"
    assert len(calls) <= 5
