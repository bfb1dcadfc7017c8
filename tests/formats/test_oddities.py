"""Each oddity the dialect corpora's README lists, on a small file written for the test."""

from __future__ import annotations

import pytest

from pepctl import formats
from pepctl.corpus import Corpus
from tests.formats.dialects import configured, doc, edited_equal_except, pep

SWIFT = ("# Make widgets spin\n\n"
         "* Proposal: [SE-0042](0042-spin.md)\n"
         "* Author: [Ada](https://github.com/ada)\n"
         "* Review manager: [Bo](https://github.com/bo)\n"
         "* Status: **Implemented (Swift 5.9)**\n"
         "* [Forum thread](https://forums.example.org/t/1)\n"
         "* Previous threads:\n"
         "  - First pitch: https://forums.example.org/t/0\n"
         "* Decision notes: [Rationale](https://forums.example.org/t/2)\n\n"
         "## Introduction\n\nSpin.\n")
RUST = ("- Feature Name: `widget_spin`\n- Start Date: 2020-01-02\n"
        "- RFC PR: [rust-lang/rfcs#42](https://github.com/rust-lang/rfcs/pull/42)\n"
        "- Rust Issue: [rust-lang/rust#7](https://github.com/rust-lang/rust/issues/7)\n\n# Summary\n\nSpin.\n")
KEP = ("title: Spin widgets\nkep-number: 42\nauthors:\n  - \"@ada\"\n  - bo\nowning-sig: sig-node\n"
       "status: implementable # was provisional\ncreation-date: 2021-04-14\nstage: \"alpha\"\n"
       "milestone:\n  alpha: \"v1.22\"\n")
MADR = ("---\nparent: Decisions\nnav_order: 5\nstatus: \"superseded by ADR-0057\"\ndate: 2024-01-02\n---\n"
        "# Spin the widgets\n\n## Context and Problem Statement\n\nWhy.\n\n```yaml\nstatus: accepted\n```\n\n"
        "## Considered Options\n\n* A\n\n## Decision Outcome\n\nA.\n")


# -- every dialect: line endings, no final newline, leading blank lines --------------------


EDITS = [
    ("swift", SWIFT, "status", "Implemented (Swift 5.9)", "Accepted"),
    ("rust-rfc", RUST, "start date", "2020-01-02", "2020-01-03"),
    ("kep", KEP, "status", "implementable", "implemented"),
    ("madr", MADR, "status", '"superseded by ADR-0057"', '"accepted"'),
    ("eip", "---\neip: 1\nstatus: Draft\n---\n\nBody\n", "status", "Draft", "Review"),
    ("python-pep", "PEP: 1\nStatus: Draft\n\nBody\n", "status", "Draft", "Final"),
]
ENDINGS = ["lf", "crlf", "mixed", "no final newline", "leading blank line"]
# front matter and header blocks start on line 1: a leading blank line is an oddity of the bullet formats only
CASES = [(*edit, ending) for edit in EDITS for ending in ENDINGS
         if ending != "leading blank line" or edit[0] in ("swift", "rust-rfc")]


@pytest.mark.parametrize("name, text, key, old, new, ending", CASES)
def test_every_dialect_reads_and_edits_whatever_the_line_endings(name, text, key, old, new, ending):
    if ending == "crlf":
        text = text.replace("\n", "\r\n")
    elif ending == "mixed":  # a few CRLF lines among LF ones
        lines = text.split("\n")
        text = "\n".join(line + "\r" if i % 3 == 1 and line else line for i, line in enumerate(lines))
    elif ending == "no final newline":
        text = text.rstrip("\n")
    elif ending == "leading blank line":
        text = "\n" + text
    d = doc(text, name)
    assert d.field(key) is not None, d.problems
    value = new.strip('"')
    d.set_field(key, value)
    assert edited_equal_except(text, d.text, old, new)
    assert d.get(key) == value


# -- python-pep ---------------------------------------------------------------------------


def test_python_pep_template_in_a_subfolder_is_no_pep(tmp_path):
    (tmp_path / "pep-0001.rst").write_text("PEP: 1\n\nBody\n")
    (tmp_path / "pep-0012").mkdir()
    (tmp_path / "pep-0012" / "pep-NNNN.rst").write_text("PEP: <REQUIRED: pep number>\n\nBody\n")
    corpus = Corpus(str(tmp_path), configured("python-pep"))
    assert [p.rsplit("/", 1)[-1] for p in corpus.paths()] == ["pep-0001.rst"]


def test_python_pep_lists_and_mailing_list_discussions_are_fine():
    from pepctl.rules.python_pep import thread_problem

    p = pep("PEP: 1\nDiscussions-To: python-dev@python.org\nTopic: Packaging, Typing\nRequires: 8, 257\n\nB\n",
            "python-pep", "pep-0001.rst")
    assert p.document.get("Topic") == "Packaging, Typing"
    assert thread_problem("python-dev@python.org", "Discussions-To", discussions=True) is None


# -- eip ----------------------------------------------------------------------------------


def test_eip_moved_stub_and_author_forms():
    stub = pep("---\neip: 20\ncategory: ERC\nstatus: Moved\n---\n\nMoved to the ERC repository.\n", "eip", "eip-20.md")
    assert (stub.number, stub.status, stub.title) == (20, "Moved", "")
    p = pep("---\neip: 1\nauthor: Ünal Name (@un), Mail Only <m@example.org>, Both (@b) <b@example.org>, et al.\n"
            "status: Withdrawn\nwithdrawal-reason: Superseded by *another* idea, see [EIP-2](./eip-2.md).\nupdated: 2020-01-01\n"
            "last-call-deadline: 2020-02-02\n---\n\nBody\n", "eip", "eip-1.md")
    assert [a.name for a in p.authors] == ["Ünal Name", "Mail Only", "Both", "et al."]
    assert p.document.get("withdrawal-reason") == "Superseded by *another* idea, see [EIP-2](./eip-2.md)."
    assert p.document.get("last-call-deadline") == "2020-02-02"


# -- swift --------------------------------------------------------------------------------


def test_swift_keys_fold_and_keyless_and_sub_bullets_are_kept_out():
    d = doc(SWIFT, "swift")
    assert d.get("Authors") == "[Ada](https://github.com/ada)"  # `Author` is `Authors`
    assert d.get("Review Manager") == "[Bo](https://github.com/bo)"
    assert d.get("Decision Notes").startswith("[Rationale]")  # found past the keyless item and the sub-bullets
    assert d.get("Previous threads") == ""
    p = pep(SWIFT, "swift", "0042-spin.md")
    assert (p.number, p.title, p.status) == (42, "Make widgets spin", "Implemented")
    assert d.get("Release") == "Swift 5.9"


@pytest.mark.parametrize("written, status, detail", [
    ("**Implemented (Swift 5.9)**", "Implemented", "Swift 5.9"),
    ("**Implemented (Swift 5.5.2)**", "Implemented", "Swift 5.5.2"),
    ("**Implemented (5.6)**", "Implemented", "5.6"),
    ("**Implemented (Swift Next)**", "Implemented", "Swift Next"),
    ("**Implemented (Swift 6.2)** except for the amendment", "Implemented", "Swift 6.2"),
    ("**Partially implemented (Swift 5.2):** Only the manifest part.", "Partially Implemented", "Swift 5.2"),
    ("**Accepted** ", "Accepted", None),
    ("**Status: Active Review (Aug 10...Aug 24, 2026)**", "Active Review", "Aug 10...Aug 24, 2026"),
    ("**Active review (August 2–16, 2026)**", "Active Review", "August 2–16, 2026"),
    ("**Active Review (August 6th - August 21st)**", "Active Review", "August 6th - August 21st"),
    ("**Returned for revision**", "Returned for Revision", None),
    ("**Implemented with Modifications (Swift 5.1)**", "Implemented with Modifications", "Swift 5.1"),
])
def test_swift_status_spellings(written, status, detail):
    d = doc(SWIFT.replace("**Implemented (Swift 5.9)**", written), "swift")
    assert d.get("Status") == status
    assert (d.get("Release") or d.get("Review Dates") or None) == detail
    d.set_field("Status", "Rejected")
    assert "* Status: **Rejected**" in d.text


def test_swift_reference_style_id_and_renamed_stub():
    d = doc(SWIFT.replace("[SE-0042](0042-spin.md)", "[SE-0042][]"), "swift")
    assert pep(d.text, "swift", "0042-other-name.md").field_number == 42
    stub = pep("This document was renamed. Please see [SE-0042](0042-spin.md).\n", "swift", "0042-old.md")
    assert (stub.number, stub.document.header.found) == (42, False)


def test_swift_testing_numbers_are_a_folder_of_their_own(tmp_path):
    (tmp_path / "0001-a.md").write_text(SWIFT)
    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "0001-b.md").write_text(SWIFT.replace("SE-0042", "ST-0001"))
    assert len(Corpus(str(tmp_path), configured("swift")).paths()) == 1


# -- rust-rfc -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, fields", [
    ("- Start Date: 2014-09-18\n- RFC PR #: [rust-lang/rfcs#19](u)\n- Rust Issue #: [rust-lang/rust#1](u)\n\n## Summary\n",
     {"created": "2014-09-18", "rfc pr": "[rust-lang/rfcs#19](u)", "tracking issue": "[rust-lang/rust#1](u)"}),
    ("q- Feature Name: atomic_access\n- Start Date: 2016-06-15\n\n## Summary\n", {"feature name": "atomic_access"}),
    ("<!---\n-- a licence note\n-->\n- Feature Name: doc\n- Start Date: 2017-01-01\n\n## Summary\n",
     {"feature name": "doc"}),
    ("- Feature Name: (none)\n- Start Date: (fill me in with today's date, YYYY-MM-DD)   \n"
     "- Rust Issue: (leave this empty)\n- Rust Issue: N/A\n\n# Summary\n",
     {"feature name": "(none)", "created": "(fill me in with today's date, YYYY-MM-DD)"}),
])
def test_rust_bullets(text, fields):
    d = doc(text, "rust-rfc")
    for key, value in fields.items():
        assert d.fields[key].value == value
    assert not [p for p in d.problems if p.kind == "duplicate-field"]


def test_rust_typo_bullet_is_reported_and_moved_and_bare_files_read():
    assert [p.kind for p in doc("q- Feature Name: x\n- Start Date: 2020-01-01\n", "rust-rfc").problems] == ["malformed-header"]
    moved = pep("Moved to [2071-other.md](2071-other.md).\n", "rust-rfc", "text/2071-old.md")
    assert (moved.number, moved.status, moved.title, moved.document.header.found) == (2071, "Accepted", "Old", False)
    roadmap = pep("# 2019 Roadmap\n\n## Summary\n", "rust-rfc", "text/2657-roadmap-2019.md")
    assert roadmap.status == "Accepted" and roadmap.title == "Roadmap 2019"


# -- kep ----------------------------------------------------------------------------------


def test_kep_folders_at_any_depth(tmp_path):
    for folder in ("sig-a/42-spin", "sig-b/sub/7-deep", "prod-readiness/sig-a", "NNNN-kep-template"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "kep.yaml").write_text(KEP)
    (tmp_path / "prod-readiness" / "sig-a" / "42.yaml").write_text("kep-number: 42\n")
    corpus = Corpus(str(tmp_path), configured("kep"))
    assert [p.split("/")[-2] for p in corpus.paths()] == ["7-deep", "42-spin"]


def test_kep_values_numbers_dates_comments_quotes():
    p = pep(KEP, "kep", "keps/sig-a/42-spin/kep.yaml")
    assert (p.number, p.title, p.status) == (42, "Spin widgets", "implementable")  # the comment is no value
    assert [a.handle for a in p.authors] == ["ada", None]
    d = p.document
    assert d.get("stage") == "alpha" and d.get("created") == "2021-04-14"
    assert pep(KEP.replace("kep-number: 42", "kep-number: '42'"), "kep", "keps/42-spin/kep.yaml").number == 42
    bad = doc(KEP.replace("2021-04-14", "2025-30-01").replace('stage: "alpha"', "stage:"), "kep")
    assert bad.get("created") == "2025-30-01" and bad.get("stage") == "" and not bad.problems


# -- madr ---------------------------------------------------------------------------------


def test_madr_status_and_its_links_and_fenced_examples():
    d = doc(MADR, "madr")
    assert d.get("status") == "superseded" and d.get("Superseded-By") == "ADR-0057"
    assert d.get("created") == "2024-01-02"
    supersedes = doc(MADR.replace('"superseded by ADR-0057"', "accepted; supersedes ADR-0045"), "madr")
    assert (supersedes.get("status"), supersedes.get("Supersedes")) == ("accepted", "ADR-0045")
    jekyll = pep("---\nparent: Decisions\nnav_order: 3\n---\n# Use X\n\n```\nstatus: accepted\n```\n", "madr",
                 "0003-use-x.md")
    assert (jekyll.status, jekyll.title, jekyll.number) == ("", "Use X", 3)


def test_madr_template_placeholders_do_not_crash():
    d = doc('---\nstatus: "{proposed | accepted | superseded by ADR-0123"\ndate: {YYYY-MM-DD when decided}\n---\n# T\n',
            "madr")
    assert [p.kind for p in d.problems] == ["malformed-header"] or d.get("date")


def test_madr_index_and_template_are_no_records(tmp_path):
    for name in ("0000-use-madr.md", "index.md", "adr-template.md"):
        (tmp_path / name).write_text(MADR)
    assert [p.rsplit("/", 1)[-1] for p in Corpus(str(tmp_path), configured("madr")).paths()] == ["0000-use-madr.md"]


def test_old_madr_bullets_under_the_title():
    d = doc("# Use X\n\n* Status: accepted\n* Deciders: Ada, Bo\n* Date: 2019-01-02\n\n## Context and Problem Statement\n",
            "madr")
    assert (d.get("status"), d.get("created")) == ("accepted", "2019-01-02")
    d.set_field("status", "deprecated")
    assert "* Status: deprecated\n" in d.text


def test_every_dialect_is_registered():
    assert set(formats.NAMES) == {"plano", "python-pep", "eip", "swift", "swift-testing", "rust-rfc", "kep", "madr"}
    for name in formats.DIALECTS:
        assert formats.get(name).name == name


def test_swift_testing_proposals_are_detected_and_labelled_st_not_se(tmp_path):
    from pepctl.formats.detection import detect

    body = "# Trait\n\n* Proposal: [{0}-0001](0001-trait.md)\n* Authors: [Ada](https://github.com/ada)\n* Status: **Implemented (Swift 6.1)**\n"
    testing, language = tmp_path / "testing", tmp_path / "language"
    for folder, prefix in ((testing, "ST"), (language, "SE")):
        folder.mkdir()
        (folder / "0001-trait.md").write_text(body.format(prefix))
    assert (detect(str(testing)), detect(str(language))) == ("swift-testing", "swift")
    assert formats.get("swift-testing").label(1) == "ST-0001" and formats.get("swift").label(1) == "SE-0001"
    d = doc(body.format("ST"), "swift-testing")
    assert d.get("status") == "Implemented"  # the same format as Swift's otherwise
