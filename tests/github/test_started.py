"""When review started, for the first-feedback clock: from labels and issue events, or from the git
history of a real repository (pepctl.github.started)."""

from __future__ import annotations

import subprocess

import pytest

pytest.importorskip("gidgethub")

from fakegithub import pep_text as fake_pep_text

from pepctl.config import Config
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.started import UnderReview, entered_on_base, start_in_pull, to_utc
from pepctl.policy import Policy
from pepctl.review import FileChange


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


def test_entered_on_base_is_the_commit_that_set_under_review(base_repo):
    local = LocalRepo(str(base_repo), str(base_repo / "docs" / "peps"))
    folder = PepFolder("docs/peps")
    history, error = local.history(folder)
    assert error is None and history.warning is None
    assert entered_on_base(history, "PEP-0042-a.md", POLICY) == "2026-03-05T09:00:00Z"
    assert entered_on_base(history, "PEP-0099-x.md", POLICY) is None
    assert local.history(folder)[0] is history  # one git log pass, however often asked


def test_history_of_a_shallow_clone_warns_and_knows_no_date(base_repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{base_repo}", str(clone)], check=True,
                   capture_output=True)
    history, error = LocalRepo(str(clone), str(clone / "docs" / "peps")).history(PepFolder("docs/peps"))
    assert error is None and "shallow" in history.warning
    assert entered_on_base(history, "PEP-0042-a.md", POLICY) is None
