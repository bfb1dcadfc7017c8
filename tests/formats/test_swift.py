"""The swift format: a `* Key: value` list under the title; a bold status with its detail in parentheses."""

from __future__ import annotations

import pytest

from pepctl import formats
from tests.formats.dialects import doc, pep
from tests.formats.test_oddities import SWIFT

STATUS = "**Implemented (Swift 5.9)**"


@pytest.mark.parametrize("written, state, inner, detail", [
    ("Implemented (Swift 5.9)", "Implemented", "Implemented (Swift 5.9)", ("Release", "Swift 5.9")),  # not bold
    ("**Accepted**", "Accepted", "Accepted", None),
    ("**Accepted (with tweaks)**: see below", "Accepted", "Accepted (with tweaks)", ("Release", "with tweaks")),
    ("**Status: Implemented (Swift 6)**", "Implemented", "Status: Implemented (Swift 6)", ("Release", "Swift 6")),
    ("**Active Review (May 1 - 9)**", "Active Review", "Active Review (May 1 - 9)", ("Review Dates", "May 1 - 9")),
    ("**Scheduled for review (May 1)**", "Scheduled for Review", "Scheduled for review (May 1)", ("Review Dates", "May 1")),
    ("**Awaiting review**", "Awaiting Review", "Awaiting review", None),
    ("**Accepted with modifications**", "Accepted with Modifications", "Accepted with modifications", None),
    ("**Implemented (Swift 5.9):**", "Implemented", "Implemented (Swift 5.9):", ("Release", "Swift 5.9")),
    ("**Accepted** (Swift 5.9)", "Accepted", "Accepted", None),  # only the bold part is the status
    ("**Unknown state**", "Unknown state", "Unknown state", None),  # not the vocabulary's: kept as written
    ("**Implemented (Swift (5.9))**", "Implemented (Swift (5.9))", "Implemented (Swift (5.9))", None),
])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_status_state_detail_and_spans(written, state, inner, detail, ending):
    text = SWIFT.replace(STATUS, written).replace("\n", ending)
    d = doc(text, "swift")
    status = d.field("Status")
    assert (status.value, status.raw) == (state, inner)
    assert text[status.value_start:status.value_end] == inner  # the span: what is between the **
    details = [f for f in d.field_list if f.key in ("release", "review dates")]
    assert [(f.name, f.value) for f in details] == ([detail] if detail else [])
    for f in details:
        assert text[f.value_start:f.value_end] == f.value
        assert status.value_start < f.value_start < f.value_end < status.value_end and f.line == status.line
        names = [x.name for x in d.field_list]
        assert names.index(f.name) == names.index("Status") + 1  # right after the status


def test_a_detail_field_written_on_its_own_wins_over_the_status_detail():
    d = doc(SWIFT.replace("* Status:", "* Release: Swift 6\n* Status:"), "swift")
    assert d.get("Release") == "Swift 6"
    assert [f.name for f in d.field_list].count("Release") == 1


def test_setting_the_status_or_its_detail_keeps_the_bold():
    d = doc(SWIFT, "swift")
    d.set_field("Status", "Accepted")
    assert "* Status: **Accepted**\n" in d.text
    d = doc(SWIFT, "swift")
    d.set_field("Release", "Swift 6.0")
    assert "* Status: **Implemented (Swift 6.0)**\n" in d.text


@pytest.mark.parametrize("proposal, number, field_number", [
    ("[SE-0042](0042-x.md)", 42, 42),
    ("SE-42", 42, 42),
    ("[ST-0007](x)", 7, 7),
    ("[SE-0042], [SE-0043]", 42, 42),
    ("none", 99, None),  # no number in the field: the file's
    ("XSE-0042", 99, None),
])
def test_number_from_the_proposal_field_then_the_file(proposal, number, field_number):
    p = pep(SWIFT.replace("[SE-0042](0042-spin.md)", proposal), "swift", "proposals/0099-x.md")
    assert (p.number, p.field_number) == (number, field_number)


def test_the_list_may_follow_prose_but_not_the_first_section():
    assert doc("# T\n\nIntro.\n\n* Status: **Accepted**\n", "swift").get("Status") == "Accepted"
    assert not doc("# T\n\n## Intro\n\n* Status: **Accepted**\n", "swift").header.found
    assert doc("* Status: **Accepted**\n", "swift").get("Status") == "Accepted"  # no title at all


def test_labels_and_titles():
    assert formats.get("swift").label(42) == "SE-0042" and formats.get("swift").label(None) == "SE-????"
    assert formats.get("swift-testing").label(7) == "ST-0007"
    assert pep(SWIFT, "swift", "proposals/0042-spin.md").title == "Make widgets spin"
    assert pep("* Status: **Accepted**\n", "swift", "proposals/0042-spin.md").title == ""


def test_the_list_right_under_a_title_that_is_not_on_the_first_line():
    for text in ("\n# T\n* Status: **Accepted**\n", "\n\n# T\n* Status: **Accepted**\n* Authors: A\n"):
        d = doc(text, "swift")
        assert d.get("Status") == "Accepted", text
