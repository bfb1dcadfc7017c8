"""The eip format: YAML front matter over a Markdown body."""

import json
import re

import pytest

from tests.formats.dialects import EIP, doc, edited_equal_except, pep


def test_front_matter_fields():
    d = doc(EIP, "eip")
    assert d.get("Title") == "Frobs: a widget change"  # double-quoted because it holds ': '
    assert d.field("title").raw == '"Frobs: a widget change"'
    assert d.get("created") == "2021-03-02"  # an unquoted YAML date, read as written
    assert d.get("requires") == "1559"  # a single number: a YAML int, read as written
    assert d.header.first_line == 1 and d.header.last_line == 10
    assert "status: not metadata" in d.text and d.get("status") == "Draft"


def test_a_markdown_rule_in_the_body_is_no_front_matter():
    d = doc(EIP, "eip")
    assert [h.title for h in d.headings] == ["Abstract", "Specification"]


def test_pep_view():
    p = pep(EIP, "eip", "EIPS/eip-9001.md")
    assert p.number == 9001 and p.title == "Frobs: a widget change"
    assert [(a.name, a.handle) for a in p.authors] == [("Ada Example", "ada"), ("Bo Sample", None), ("Cy Both", "cy")]


@pytest.mark.parametrize(
    "key, value, old, new",
    [
        ("status", "Last Call", "status: Draft", "status: Last Call"),
        ("title", "Frobs: again", '"Frobs: a widget change"', '"Frobs: again"'),
        ("description", "yes", "description: Frobs the widgets", "description: \"yes\""),  # plain yes is a YAML bool
        ("requires", "155, 1559", "requires: 1559", "requires: 155, 1559"),
    ],
)
def test_set_value_is_lossless_and_quotes_when_yaml_needs_it(key, value, old, new):
    d = doc(EIP, "eip")
    d.set_field(key, value)
    assert edited_equal_except(EIP, d.text, old, new)
    assert d.get(key) == value


def test_no_final_newline():
    text = "---\neip: 1\nstatus: Moved\n---\n\nMoved elsewhere."
    d = doc(text, "eip")
    d.set_field("status", "Final")
    assert d.text == text.replace("Moved\n", "Final\n", 1)


def test_broken_yaml_is_a_problem_not_an_error():
    d = doc("---\neip: 1\ntitle: [unclosed\n---\n\nBody\n", "eip")
    assert [p.kind for p in d.problems] == ["malformed-header"]
    assert not d.header.found


@pytest.mark.parametrize("fmt, name, text, raw", [
    ("eip", "eip-8.md", "---\neip: -8\ntitle: x\nstatus: Draft\n---\n", "-8"),
    ("eip", "eip-7.md", "---\neip: 7.0\ntitle: x\nstatus: Draft\n---\n", "7.0"),
    ("eip", "eip-25.md", "---\neip: 0x19\ntitle: x\nstatus: Draft\n---\n", "0x19"),
    ("eip", "eip-9.md", "---\neip: 9 (was 8)\ntitle: x\nstatus: Draft\n---\n", "9 (was 8)"),
    ("kep", "sig-a/42-spin/kep.yaml", "title: x\nkep-number: 4.2e1\nstatus: provisional\n", "4.2e1"),
])
def test_a_number_field_that_is_no_whole_number_is_reported(tmp_path, fmt, name, text, raw):
    from tests.conftest import run_pepctl

    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    done = run_pepctl("--dir", str(tmp_path), "check", "--format", "json")
    found = [(f["code"], f["line"], f["message"]) for f in json.loads(done.stdout) if f["code"] == "H004"]
    key = "eip" if fmt == "eip" else "kep-number"
    number = re.search(r"\d+", name).group(0)
    assert ("H004", 2, f"{key} {raw!r} is not a whole number; write the number alone: `{key}: {number}`") in found


@pytest.mark.parametrize("value", ["8", "'8'", '"8"', "08"])
def test_a_whole_number_however_quoted_is_the_number(tmp_path, value):
    from tests.conftest import run_pepctl

    (tmp_path / "eip-8.md").write_text(f"---\neip: {value}\ntitle: x\nstatus: Draft\n---\n")
    done = run_pepctl("--dir", str(tmp_path), "check", "--format", "json")
    assert [f for f in json.loads(done.stdout) if f["code"] == "H004"] == []


def test_a_last_call_deadline_that_is_no_calendar_date_is_reported(tmp_path):
    from tests.conftest import run_pepctl

    text = EIP.replace("status: Draft", "status: Last Call\nlast-call-deadline: 2026-02-30")
    (tmp_path / "eip-9001.md").write_text(text)
    done = run_pepctl("--dir", str(tmp_path), "check", "--format", "json")
    found = [(f["line"], f["message"]) for f in json.loads(done.stdout) if f["code"] == "E006"]
    assert found == [(8, "last-call-deadline '2026-02-30' is not a real calendar date; correct it")]
