"""The adapter's parts: rebuilding head files from patches, markers, numbers, labels, and when
review started (from labels and issue events, or from the git history of a real repository)."""

from __future__ import annotations

import os
import subprocess

import pytest

pytest.importorskip("gidgethub")

from fakegithub import blob_sha, make_patch
from fakegithub import pep_text as fake_pep_text

from pepctl.config import Config
from pepctl.github.event import EventError, NotAPullRequest, number_from_event, resolve
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.markers import find_own
from pepctl.github.patch import apply_patch
from pepctl.github.reads import new_numbers
from pepctl.github.started import UnderReview, entered_on_base, start_in_pull, to_utc
from pepctl.github.publish import label_writes, summary_body
from pepctl.policy import Policy
from pepctl.review import SUMMARY_MARKER
from pepctl.review.facts import FileChange

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


def test_only_the_account_pepctl_posts_as_is_trusted():
    other = comment(1, f"{SUMMARY_MARKER}\nan app's", login="some-app[bot]")
    reminder = comment(2, "<!-- pepctl:reminder:2026-05-01 -->", login="some-app[bot]")
    own = find_own([other, reminder])
    assert own.summary is None and own.reminders == [] and own.ids == set()
    assert find_own([other], ["some-app[bot]"]).summary["id"] == 1
    assert find_own([comment(3, SUMMARY_MARKER)], ["some-app[bot]"]).summary is None


def test_duplicate_summaries_keep_the_oldest():
    own = find_own([comment(9, f"{SUMMARY_MARKER}\nlater"), comment(4, f"{SUMMARY_MARKER}\nfirst"),
                    comment(7, f"{SUMMARY_MARKER}\nsecond")])
    assert own.summary["id"] == 4
    assert [c["id"] for c in own.extra_summaries] == [7, 9]


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


# -- when review started -------------------------------------------------------------------

LABEL = "pep: under review"
CREATED = "2026-05-01T09:00:00Z"
NOW = "2026-06-01T12:00:00Z"


def event(kind, at, label=None, id=0):
    data = {"id": id, "event": kind, "created_at": at, "actor": {"login": "x", "type": "User"}}
    if label is not None:
        data["label"] = {"name": label, "color": "ededed"}
    return data


def pull_with(labels=(), draft=False):
    return {"number": 5, "created_at": CREATED, "draft": draft, "labels": [{"name": n} for n in labels]}


@pytest.mark.parametrize(
    "labels, events, start",
    [
        # the gate never labelled the pull request: under review since it was opened
        ((), None, CREATED),
        (("documentation",), None, CREATED),
        # the gate saw another status before and sees Under Review now
        (("pep: draft",), None, NOW),
        # the first `pep: ` label ever was Under Review: the PEP arrived so
        ((LABEL,), [event("labeled", "2026-05-01T09:00:40Z", LABEL)], CREATED),
        # Draft first, then moved: since the label was added
        ((LABEL,), [event("labeled", "2026-05-01T09:00:40Z", "pep: draft", 1),
                    event("unlabeled", "2026-05-10T10:00:00Z", "pep: draft", 2),
                    event("labeled", "2026-05-10T10:00:00Z", LABEL, 3)], "2026-05-10T10:00:00Z"),
        # under review, back to Draft, under review again: the last time counts
        ((LABEL,), [event("labeled", "2026-05-20T00:00:00Z", LABEL, 5),
                    event("labeled", "2026-05-01T09:00:40Z", LABEL, 1),  # any order
                    event("unlabeled", "2026-05-05T00:00:00Z", LABEL, 2),
                    event("labeled", "2026-05-05T00:00:00Z", "pep: draft", 3)], "2026-05-20T00:00:00Z"),
        # a draft pull request marked ready later: from then on
        ((LABEL,), [event("labeled", "2026-05-01T09:00:40Z", LABEL, 1),
                    event("ready_for_review", "2026-05-15T08:00:00Z", id=2)], "2026-05-15T08:00:00Z"),
        # the label carries no record (the events were not readable): since it was opened
        ((LABEL,), [], CREATED),
        ((LABEL,), [{"event": "labeled"}, "junk", event("labeled", "not a date", LABEL)], CREATED),
    ],
)
def test_start_in_pull(labels, events, start):
    assert start_in_pull(pull_with(labels), events, LABEL, NOW) == start


def test_to_utc():
    assert to_utc("2026-05-01T11:00:00+02:00") == "2026-05-01T09:00:00Z"
    assert to_utc("2026-05-01T09:00:00Z") == "2026-05-01T09:00:00Z"
    assert to_utc("yesterday") is None and to_utc(None) is None


def test_the_start_marker_is_read_from_the_trusted_summary_only():
    marker = "<!-- pepctl:under-review-since 2026-05-10T10:00:00Z -->"
    assert find_own([comment(1, f"{SUMMARY_MARKER}\nbody\n{marker}\n")]).review_since == "2026-05-10T10:00:00Z"
    assert find_own([comment(1, f"{SUMMARY_MARKER}\n{marker}", login="dan", kind="User")]).review_since is None
    assert find_own([comment(1, f"<!-- pepctl-answer 1:1 -->\n{marker}")]).review_since is None
    assert find_own([comment(1, f"{SUMMARY_MARKER}\nbody")]).review_since is None


POLICY = Policy(Config({"maintainers": ["alice"]}))


def pep(number, status):
    return fake_pep_text(number, status).encode()


def test_under_review_tells_peps_already_in_review_from_those_this_pr_brings():
    changes = [
        FileChange("docs/peps/PEP-0042-a.md", None, pep(42, "Under Review")),  # new
        FileChange("docs/peps/PEP-0043-b.md", pep(43, "Draft"), pep(43, "Under Review")),  # moved here
        FileChange("docs/peps/PEP-0044-c.md", pep(44, "Under Review"), pep(44, "under  review")),  # already
        FileChange("docs/peps/PEP-0045-d.md", pep(45, "Under Review"), pep(45, "Accepted")),  # leaves review
        FileChange("docs/peps/PEP-0046-e.md", pep(46, "Under Review"), None),  # deleted
        FileChange("docs/peps/PEP-0047-f.md", b"\xff\xfe", pep(47, "Under Review")),  # unreadable base
        FileChange("docs/peps/PEP-0048-new.md", pep(48, "Under Review"), pep(48, "Under Review"),
                   previous_path="docs/peps/PEP-0048-old.md"),  # renamed
        FileChange("docs/peps/PEP-0000-index.md", None, pep(0, "Under Review")),  # the index: not a subject
    ]
    found = UnderReview.of(changes, POLICY)
    assert found.here == ["PEP-0042", "PEP-0043", "PEP-0047"]
    assert found.on_base == [("PEP-0044", "PEP-0044-c.md"), ("PEP-0048", "PEP-0048-old.md")]
    only_index = UnderReview.of([changes[-1]], POLICY)
    assert only_index.here == ["PEP-0000"]
    assert not UnderReview.of(changes[3:5], POLICY)


def git_at(root, date, *args):
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=root, env=env, check=True, capture_output=True)


def land(root, path, text, date):
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    git_at(root, date, "add", "-A")
    git_at(root, date, "commit", "-q", "-m", "change")


@pytest.fixture
def base_repo(tmp_path):
    """A base branch whose PEP-0042 was a Draft, then Under Review (11:00 at +02:00), then edited."""
    root = tmp_path / "repo"
    root.mkdir()
    git_at(root, "2026-03-01T00:00:00Z", "init", "-q", "-b", "main")
    path = "docs/peps/PEP-0042-a.md"
    land(root, path, fake_pep_text(42, "Draft"), "2026-03-01T10:00:00+00:00")
    land(root, path, fake_pep_text(42, "Under Review"), "2026-03-05T11:00:00+02:00")
    land(root, path, fake_pep_text(42, "Under Review", sections=[("Design", "LRU.")]), "2026-03-09T10:00:00Z")
    return root


def test_entered_on_base_is_the_commit_that_set_under_review(base_repo):
    local = LocalRepo(str(base_repo), str(base_repo / "docs" / "peps"))
    folder = PepFolder("docs/peps")
    history, error = local.history(folder)
    assert error is None and history.warning is None
    assert entered_on_base(history, "PEP-0042-a.md", POLICY) == "2026-03-05T09:00:00Z"
    assert entered_on_base(history, "PEP-0099-x.md", POLICY) is None
    assert local.history(folder)[0] is history  # one git log pass, however often asked


def test_history_of_a_folder_outside_git_says_why(tmp_path):
    folder = tmp_path / "docs" / "peps"
    folder.mkdir(parents=True)
    history, error = LocalRepo(str(tmp_path), str(folder)).history(PepFolder("docs/peps"))
    assert history is None and "git" in error
    history, error = LocalRepo(str(tmp_path), None).history(PepFolder("docs/peps"))
    assert history is None and "not in the local checkout" in error


def test_history_of_a_shallow_clone_warns_and_knows_no_date(base_repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{base_repo}", str(clone)], check=True,
                   capture_output=True)
    history, error = LocalRepo(str(clone), str(clone / "docs" / "peps")).history(PepFolder("docs/peps"))
    assert error is None and "shallow" in history.warning
    assert entered_on_base(history, "PEP-0042-a.md", POLICY) is None


class Verdict:
    def __init__(self, running):
        self.summary = f"{SUMMARY_MARKER}\nsummary\n"
        self.first_feedback = type("Clock", (), {"running": running})()


class Gathered:
    def __init__(self, review_since):
        self.review_since = review_since


def test_the_summary_keeps_the_start_only_while_the_clock_runs():
    since = "2026-05-10T10:00:00Z"
    body = summary_body(Gathered(since), Verdict(True))
    assert body == f"{SUMMARY_MARKER}\nsummary\n<!-- pepctl:under-review-since {since} -->\n"
    assert find_own([comment(1, body)]).review_since == since
    assert summary_body(Gathered(since), Verdict(False)) == f"{SUMMARY_MARKER}\nsummary\n"
    assert summary_body(Gathered(None), Verdict(True)) == f"{SUMMARY_MARKER}\nsummary\n"
