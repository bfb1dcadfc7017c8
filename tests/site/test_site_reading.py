"""Reading the PEP folder: bytes to records, reused by hash; the parsed text kept for the page."""

from __future__ import annotations

import pytest

from sitehelpers import copy_fixtures

from pepctl.document import Document
from pepctl.site.reading import Reader, body_text, make_record


def reader_of(folder) -> Reader:
    return Reader({path.name: str(path) for path in sorted(folder.glob("PEP-*.md"))})


def test_a_record_holds_the_search_words_summary_links_and_code_languages(tmp_path):
    folder = copy_fixtures(tmp_path)
    data = (folder / "PEP-0003-gamma.md").read_bytes()
    record, doc, body = make_record("PEP-0003-gamma.md", data, "hash")
    assert record.pep.number == 3 and record.pep.supersedes == (2,) and record.hash == "hash"
    assert record.page == "pep/PEP-0003-gamma.html" and record.summary.startswith("Route requests by measured latency. fn pick(")
    assert record.links == ("PEP-0002-beta.md",) and record.languages == ("Rust",)
    assert b"latency" in record.terms.split() and doc is not None and body is None  # a Summary section: no body


def test_an_unreadable_file_has_a_record_and_no_document(tmp_path):
    folder = copy_fixtures(tmp_path)
    record, doc, body = make_record("PEP-0007-broken.md", (folder / "PEP-0007-broken.md").read_bytes(), "h")
    assert doc is None and body is None and record.pep.error and record.pep.error_line >= 1
    assert record.summary == "" and record.languages == () and record.terms.split() == [b"pep", b"0007", b"broken", b"md"]
    record, doc, _ = make_record("PEP-0008-gone.md", b"", "h", unreadable="cannot read the file: Permission denied")
    assert record.pep.error == "cannot read the file: Permission denied" and doc is None


def test_the_body_is_the_text_less_its_title_and_header_table():
    doc = Document("# PEP-0001: T\n\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n\n## Summary\n\nText.\n")
    assert body_text(doc) == "\n\n## Summary\n\nText.\n"
    broken = Document("# PEP-0001: T\n\n| Field | Value |\n| **Status** | Draft |\n\nText.\n")
    assert "| **Status** | Draft |" in body_text(broken)  # a table with problems is kept, so nothing is lost


def test_records_are_reused_while_the_bytes_are_the_same(tmp_path):
    folder = copy_fixtures(tmp_path)
    first = reader_of(folder).make_records(["PEP-0001-alpha.md", "PEP-0002-beta.md"])
    beta = folder / "PEP-0002-beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("by weight", "by size"), encoding="utf-8")
    reader = reader_of(folder)
    again = reader.make_records(["PEP-0001-alpha.md", "PEP-0002-beta.md"], first)
    assert again["PEP-0001-alpha.md"] is first["PEP-0001-alpha.md"]
    assert again["PEP-0002-beta.md"] != first["PEP-0002-beta.md"] and b"size" in again["PEP-0002-beta.md"].terms.split()
    assert list(reader.docs) == ["PEP-0002-beta.md"]  # parsed for its record: waiting for its page


def test_a_document_is_handed_out_once_then_parsed_again(tmp_path):
    folder = copy_fixtures(tmp_path)
    reader = reader_of(folder)
    reader.make_records(["PEP-0005-withdrawn.md"])
    doc, _ = reader.document("PEP-0005-withdrawn.md")
    assert doc is not None
    assert "PEP-0005-withdrawn.md" not in reader.docs
    again, _ = reader.document("PEP-0005-withdrawn.md")  # read and parsed here (another process made the record)
    assert again is not doc and again.text == doc.text
    assert reader.document("PEP-0006-deferred.md")[0].get("Status") == "Deferred"


def test_a_file_that_cannot_be_read_is_a_warning(tmp_path):
    reader = Reader({"PEP-0009-missing.md": str(tmp_path / "PEP-0009-missing.md")})
    records = reader.make_records(["PEP-0009-missing.md"])
    assert records["PEP-0009-missing.md"].pep.error.startswith("cannot read the file")
    warnings = reader.take_warnings()
    assert len(warnings) == 1 and "PEP-0009-missing.md: cannot read the file" in warnings[0]
    assert reader.take_warnings() == []


@pytest.mark.parametrize("name", ["PEP-0001-alpha.md", "PEP-0004-xss.md"])
def test_a_body_made_for_the_summary_waits_for_the_page(tmp_path, name):
    folder = tmp_path / "peps"
    folder.mkdir()
    (folder / name).write_text("# PEP-0001: No summary\n\n| Field | Value |\n|---|---|\n| **Status** | Draft |\n\n"
                               "Opening words.\n", encoding="utf-8")
    reader = reader_of(folder)
    record = reader.make_records([name])[name]
    assert record.summary == "Opening words."
    doc, body = reader.document(name)
    assert body == body_text(doc)


def test_a_file_name_that_is_not_utf8_gets_a_page_and_a_warning(tmp_path):
    # such a name stopped the build with an internal error (it cannot be written into HTML,
    # JSON or the cache); the page is named with the byte written out, and a warning says why
    import json
    import os

    from sitehelpers import build

    folder = copy_fixtures(tmp_path)
    source = (folder / "PEP-0001-alpha.md").read_bytes().replace(b"0001", b"0046")
    with open(os.path.join(os.fsencode(folder), b"PEP-0046-caf\xe9.md"), "wb") as handle:
        handle.write(source)
    out = tmp_path / "site"
    result = build(folder, out)
    assert (out / "pep" / "PEP-0046-caf\\xe9.html").is_file()
    assert any("PEP-0046-caf\\xe9.md" in w and "not valid UTF-8" in w and "rename" in w for w in result.warnings)
    listed = json.loads((out / "api" / "peps.json").read_text(encoding="utf-8"))["peps"]
    assert "PEP-0046-caf\\xe9.md" in [p["source"] for p in listed]
    assert "pep/PEP-0046-caf%5Cxe9.html" in (out / "index.html").read_text(encoding="utf-8")
