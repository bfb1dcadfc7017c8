"""PepRecord: one record per PEP file, and the JSON views of list, show and the website's API."""

from __future__ import annotations

import json
import pickle

import pytest

from pepctl.document import Document
from pepctl.model import Pep
from pepctl.record import PepRecord, Person, Section, api_json, list_json, show_json

TEXT = """# PEP-0042: Response cache

| Field | Value |
|---|---|
| **PEP** | 0042 |
| **Title** | Response cache |
| **Status** | Under  Review |
| **Author(s)** | Ada Lovelace (@ada), Bob |
| **Sponsor** | Carol Maintainer (@carol) |
| **Created** | 2024-01-10 |
| **Tracking Issue** | _(filled after acceptance)_ |
| **Target Release** | 2.0 |
| **Supersedes** | PEP-0007, [PEP-0003](PEP-0003-x.md) |
| **Status** | Draft |

## Summary

Text.

### Detail

More.
"""


def pep(text: str = TEXT, path: str = "docs/peps/PEP-0042-cache.md") -> Pep:
    return Pep(Document(text, path), path)


def test_a_record_holds_the_values_as_written():
    record = PepRecord.of(pep())
    assert record.number == 42 and record.title == "Response cache"
    assert record.status == "Under  Review"  # as written; outputs that show it otherwise say so
    assert record.authors == (Person("Ada Lovelace", "ada"), Person("Bob", None))
    assert record.sponsor_text == "Carol Maintainer (@carol)" and record.sponsor == Person("Carol Maintainer", "carol")
    assert record.tracking_issue == "" and record.target_release == "2.0"  # a template hint is no value
    assert record.supersedes == (3, 7) and record.superseded_by == ()
    assert record.fields[2] == ("Status", "status", "Under  Review")
    assert record.fields[-1] == ("Status", "status", "Draft")  # every row, duplicates too
    assert record.sections is None and record.error is None
    assert record.filename == "PEP-0042-cache.md" and record.shown_title == "Response cache"


def test_fields_and_sections_are_made_when_asked_for():
    assert PepRecord.of(pep(), fields=False).fields is None
    record = PepRecord.of(pep(), sections=True)
    assert record.sections == (Section(2, "Summary", 16), Section(3, "Detail", 20))


def test_list_json_keeps_its_keys_order_and_nulls():
    data = list_json(PepRecord.of(pep(), fields=False))
    assert list(data) == ["number", "title", "status", "authors", "sponsor", "created", "tracking_issue",
                          "target_release", "supersedes", "superseded_by", "path"]
    assert data["authors"] == [{"name": "Ada Lovelace", "handle": "ada"}, {"name": "Bob", "handle": None}]
    assert data["sponsor"] == "Carol Maintainer (@carol)"  # as written, where the API has the person
    assert data["tracking_issue"] is None and data["target_release"] == "2.0"
    assert data["supersedes"] == [3, 7] and data["path"] == "docs/peps/PEP-0042-cache.md"


def test_show_json_adds_every_field_by_name_and_the_sections():
    data = show_json(PepRecord.of(pep(), sections=True))
    assert list(data)[-2:] == ["fields", "sections"]
    assert data["fields"]["Status"] == "Draft"  # a repeated name: the last value, in the first one's place
    assert list(data["fields"]).index("Status") == 2
    assert data["sections"] == [{"level": 2, "title": "Summary", "line": 16}, {"level": 3, "title": "Detail", "line": 20}]
    with pytest.raises(ValueError):
        show_json(PepRecord.of(pep()))


def test_api_json_has_the_documented_shape():
    data = api_json(PepRecord.of(pep()), "Under Review", "pep/PEP-0042-cache.html", None, None)
    assert list(data) == ["number", "title", "status", "authors", "sponsor", "created", "tracking_issue",
                          "target_release", "supersedes", "superseded_by", "url", "source", "last_change",
                          "last_status_change", "error"]
    assert data["sponsor"] == {"name": "Carol Maintainer", "handle": "carol"}
    assert data["source"] == "PEP-0042-cache.md" and data["error"] is None
    json.dumps(data)


def test_an_unreadable_file_has_a_record_that_says_why():
    record = PepRecord.unreadable("peps/PEP-0013-empty.md", "the file is empty", 1)
    assert record.number == 13 and record.title == "" and record.shown_title == "PEP-0013-empty.md"
    assert record.error == "the file is empty" and record.error_line == 1
    data = api_json(record, None, "pep/PEP-0013-empty.html", None, None)
    assert data["title"] == "PEP-0013-empty.md" and data["error"] == "the file is empty"
    assert data["authors"] == [] and data["sponsor"] is None and data["created"] is None


def test_a_record_is_immutable_and_pickles_to_an_equal_one():
    record = PepRecord.of(pep(), sections=True)
    with pytest.raises(AttributeError):
        record.title = "Other"
    assert pickle.loads(pickle.dumps(record)) == record


def test_a_pep_with_no_header_table_still_has_a_record():
    record = PepRecord.of(pep("# PEP-0012: No header table\n\nJust text.\n", "PEP-0012-no-table.md"))
    assert record.number == 12 and record.title == "No header table" and record.status == ""
    assert record.fields == () and list_json(record)["created"] is None
