"""Building a pull request's facts in memory, the way the GitHub adapter does, for the engine's tests."""

from __future__ import annotations

import datetime

from pepctl.config import Config
from pepctl.policy import Policy
from pepctl.review import Comment, Facts, FileChange, PullRequest, Review
from pepctl.review.facts import Dismissal


MAINTAINERS = ["alice", "bob", "carol", "mallory"]
LEAD = "lead"
POLICY = Policy(Config({"maintainers": MAINTAINERS, "project-lead": LEAD}))
PATH = "docs/peps/PEP-0042-cache-things.md"
START = datetime.datetime(2026, 5, 1, tzinfo=datetime.timezone.utc)


def at(day: float) -> str:
    """An ISO timestamp `day` days after the PR was opened (day 0)."""
    moment = START + datetime.timedelta(days=day)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pep(
    status="Under Review",
    number=42,
    title="Cache things",
    authors="Dan (@dan)",
    sponsor="Alice (@alice)",
    fields=(),
    sections=(),
) -> bytes:
    """A small PEP: header table plus the sections given as (title, body)."""
    rows = [
        ("PEP", f"{number:04d}"),
        ("Title", title),
        ("Status", status),
        ("Author(s)", authors),
        ("Sponsor", sponsor),
        ("Created", "2026-04-01"),
        *fields,
    ]
    lines = [f"# PEP-{number:04d}: {title}", "", "| Field | Value |", "|---|---|"]
    lines += [f"| **{name}** | {value} |" for name, value in rows]
    lines += ["", "## Summary", "", "Cache responses.", ""]
    for heading, body in sections:
        lines += [f"## {heading}", "", body, ""]
    return "\n".join(lines).encode()


DECISION = (("Decision", "Not aligned with the roadmap."),)
ACCEPT_CALL = "/pep final-call accept the benefits outweigh the memory cost"


def added(text: bytes, path: str = PATH) -> FileChange:
    return FileChange(path, None, text)


def edited(base: bytes, head: bytes, path: str = PATH) -> FileChange:
    return FileChange(path, base, head)


def moved(old: str, new: str, **head) -> FileChange:
    """The PEP's status changes from old to new; head keyword arguments go to pep()."""
    return edited(pep(status=old), pep(status=new, **head))


# Commit ids, for facts that know the pull request's head (make(head=HEAD)).
HEAD = "a" * 40
OLD = "b" * 40
OLDER = "c" * 40


def approve(author, day=1, id=None, commit="", body=""):
    return Review(id or _next_id(), author, "APPROVED", at(day), commit, body)


def request_changes(author, day=1, id=None, commit="", body=""):
    return Review(id or _next_id(), author, "CHANGES_REQUESTED", at(day), commit, body)


def review_comment(author, day=1, id=None, body="", commit=""):
    return Review(id or _next_id(), author, "COMMENTED", at(day), commit, body)


def dismissed(author, day=1, id=None, commit=""):
    return Review(id or _next_id(), author, "DISMISSED", at(day), commit)


def dismissal(review, actor, day=2, state=None):
    """GitHub's record of who dismissed ``review`` (state: what it was; default: changes requested)."""
    return Dismissal(review.id, actor, at(day), state or "CHANGES_REQUESTED")


def reviewed(day=0.5, *who):
    """Plain comment reviews by two maintainers: the PEP has been reviewed (PEP-0000 §4)."""
    return [review_comment(name, day) for name in (who or ("carol", "mallory"))]


def counted(verdict, label="PEP-0042"):
    return verdict.approvals_of(label).counted


def not_counted(verdict, label="PEP-0042"):
    return verdict.approvals_of(label).not_counted


_ids = iter(range(5000, 10**6))


def _next_id():
    return next(_ids)


def reset_ids():
    """Number reviews and comments from 5000 again: a scenario built after this has the same ids
    whichever tests ran before it in the process."""
    global _ids
    _ids = iter(range(5000, 10**6))


def comment(author, body, day=1, id=None, edited_day=None):
    return Comment(id or _next_id(), author, body, at(day), at(edited_day) if edited_day is not None else None)


# What the base branch holds unless a test says otherwise: PEPs up to 0041, so that a new PEP-0042
# is the next number (R016).
EARLIER = {41: ["docs/peps/PEP-0041-earlier.md"]}


def make(
    changes,
    reviews=(),
    comments=(),
    title="PEP-0042: Cache things",
    author="dan",
    draft=False,
    base_numbers=None,
    open_pr_numbers=None,
    now_day=2,
    since=None,
    number=10,
    policy=POLICY,
    head="",
    dismissals=(),
    snapshots=None,
    config_change=None,
) -> Facts:
    return Facts(
        policy,
        PullRequest(number, title, author, draft=draft, created_at=at(0), head_sha=head),
        list(changes),
        reviews=list(reviews),
        comments=list(comments),
        base_numbers=EARLIER if base_numbers is None else base_numbers,
        open_pr_numbers=open_pr_numbers,
        under_review_since=since,
        now=at(now_day),
        dismissals=list(dismissals),
        snapshots=snapshots,
        config_change=config_change,
    )


def codes(verdict, severity="error"):
    return sorted({r.code for r in verdict.reasons if r.severity == severity})


def answer_for(verdict, comment_id):
    return [a for a in verdict.answers if a.comment_id == comment_id]


def busy_facts(reverse=False):
    reviews = [approve("alice", 1, id=61), request_changes("bob", 2, id=62), Review(63, "carol", "COMMENTED", at(3)),
               Review(64, "dan", "COMMENTED", at(3.5), body="/pep help")]
    comments = [
        comment("zed", "/pep object too slow\n/pep help", 1, id=201),
        comment("amy", "/pep object too big", 1.5, id=202),
        comment("zed", "/pep resolve O-202", 2, id=203),
        comment("lead", "/pep final-call nope", 4, id=204),
    ]
    if reverse:
        reviews.reverse()
        comments.reverse()
    return make([moved("Under Review", "Accepted")], reviews=reviews, comments=comments, now_day=20)
