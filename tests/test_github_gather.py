"""The adapter's pure parts: rebuilding head files from patches, markers, numbers, labels."""

from __future__ import annotations

import pytest

pytest.importorskip("gidgethub")

from fakegithub import blob_sha, make_patch

from pepctl.github.event import EventError, NotAPullRequest, number_from_event, resolve
from pepctl.github.gather import PepFolder, apply_patch, find_own, new_numbers
from pepctl.github.publish import label_writes
from pepctl.review import SUMMARY_MARKER

BASE = "".join(f"line {i}\n" for i in range(1, 40))


@pytest.mark.parametrize(
    "old, new",
    [
        ("", "# PEP-0042: X\n\nbody\n"),  # an added file
        ("", "no newline at the end"),
        (BASE, BASE.replace("line 5\n", "line five\n").replace("line 30\n", "")),  # two hunks
        (BASE, BASE + "tail without newline"),
        (BASE + "tail", BASE + "tail\n"),
        ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),  # CRLF kept
        ("x\n", ""),
        ("ünïcode\n", "ünïcode ✓\n"),
    ],
)
def test_apply_patch_rebuilds_the_exact_bytes(old, new):
    patch = make_patch(old.encode(), new.encode())
    assert apply_patch(old.encode(), patch) == new.encode()


def test_apply_patch_refuses_a_patch_that_does_not_fit():
    patch = make_patch(b"a\nb\nc\n", b"a\nB\nc\n")
    assert apply_patch(b"a\nX\nc\n", patch) is None
    assert apply_patch(b"", "not a patch") is None


def test_blob_sha_is_gits():
    assert blob_sha(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_pep_folder_holds_only_pep_files_of_the_folder():
    folder = PepFolder("docs/peps", "PEP-TEMPLATE.md", ["PEP-9*"])
    assert folder.holds("docs/peps/PEP-0042-x.md")
    assert not folder.holds("docs/peps/PEP-TEMPLATE.md")
    assert not folder.holds("docs/peps/PEP-9000-x.md")
    assert not folder.holds("docs/peps/sub/PEP-0042-x.md")
    assert not folder.holds("PEP-0042-x.md")
    assert not folder.holds("docs/peps/README.md")
    assert PepFolder(".").holds("PEP-0001-x.md")


def test_new_numbers_counts_added_and_renumbered_files():
    folder = PepFolder("docs/peps")
    files = [
        {"filename": "docs/peps/PEP-0042-a.md", "status": "added"},
        {"filename": "docs/peps/PEP-0043-b.md", "status": "modified"},
        {"filename": "docs/peps/PEP-0044-c.md", "status": "renamed", "previous_filename": "docs/peps/PEP-0040-c.md"},
        {"filename": "docs/peps/PEP-0045-d.md", "status": "renamed", "previous_filename": "docs/peps/PEP-0045-x.md"},
        {"filename": "docs/peps/PEP-0046-e.md", "status": "renamed", "previous_filename": "drafts/PEP-0046-e.md"},
        {"filename": "src/PEP-0047-f.md", "status": "added"},
    ]
    assert new_numbers(files, folder) == {42, 44, 46}


def comment(id, body, login="github-actions[bot]", kind="Bot"):
    return {"id": id, "body": body, "user": {"login": login, "type": kind}}


def test_own_comments_are_found_by_marker_from_bots_only():
    own = find_own([
        comment(1, f"{SUMMARY_MARKER}\nforged", login="mallory", kind="User"),
        comment(2, f"{SUMMARY_MARKER}\nreal"),
        comment(3, "<!-- pepctl-answer 10:1 -->\nhi\n\n---\n\n<!-- pepctl-answer 11:2 -->\nhello"),
        comment(4, "<!-- pepctl-answer 12:1 -->", login="mallory", kind="User"),
        comment(5, "<!-- pepctl:reminder:2026-05-01 -->\nping"),
    ])
    assert own.summary["id"] == 2
    assert own.answered == {"10:1", "11:2"}
    assert own.reminders == ["2026-05-01"]
    assert own.ids == {2, 3, 5}
    assert find_own([comment(1, SUMMARY_MARKER, login="me", kind="User")], ["ME"]).summary["id"] == 1


def test_label_writes_are_at_most_one_request():
    assert label_writes("o/r", 1, ["bug"], ["pep: draft"])[0].method == "POST"
    [put] = label_writes("o/r", 1, ["bug", "pep: draft"], ["pep: under review"])
    assert put.method == "PUT" and put.data == {"labels": ["bug", "pep: under review"]}
    assert label_writes("o/r", 1, ["PEP: Draft"], ["pep: draft"]) == []
    [put] = label_writes("o/r", 1, ["pep: draft", "pep: feedback overdue"], ["pep: draft"])
    assert put.data == {"labels": ["pep: draft"]}


@pytest.mark.parametrize(
    "payload, number",
    [
        ({"pull_request": {"number": 5}}, 5),
        ({"issue": {"number": 6, "pull_request": {"url": "u"}}}, 6),
        ({"review": {}, "pull_request": {"number": 7}}, 7),
    ],
)
def test_number_from_event(payload, number):
    assert number_from_event(payload, "e.json") == number


def test_event_errors():
    with pytest.raises(NotAPullRequest):
        number_from_event({"issue": {"number": 3}}, "e.json")
    with pytest.raises(EventError):
        number_from_event({"pull_request": {"number": True}}, "e.json")
    with pytest.raises(EventError, match="owner/name"):
        resolve(1, "not a repo", env={})
    with pytest.raises(EventError, match="--repo"):
        resolve(1, None, env={})
    assert resolve(3, None, env={"GITHUB_REPOSITORY": "a/b"}).repo == "a/b"
