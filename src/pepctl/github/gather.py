"""Collect the review engine's Facts about one pull request, in few requests.

For a pull request the gate needs, in three rounds of concurrent requests:

1. the list of open pull requests (which holds this one, so it is not asked
   for separately; a closed one is), its files (paginated), its reviews and
   its issue comments;
2. the PEP files at base and head (``reads.file_change``), and (only when the pull request
   adds a PEP number and there is no local checkout) the base branch's tree; the files of each
   other open pull request, for their new PEP numbers (only then too); and, only when a review
   was dismissed, the issue events, for who dismissed it;
3. when the first-feedback clock runs, when review started (``started``: usually no request,
   at most one, the same issue events), and, only for approvals given on an older commit of a
   PEP the pull request decides, that PEP file at that commit (``reads.read_snapshots``: the
   local checkout, else one request per commit and file).

pepctl's own earlier comments are found by their markers (``markers``) and left out of the facts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from typing import NamedTuple

from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.markers import OwnComments, find_own, label_names, text_of
from pepctl.github.reads import (
    COMMENT,
    CONCURRENCY,
    FILE,
    PULL,
    REVIEW,
    IssueEvents,
    base_numbers,
    config_change,
    file_change,
    new_numbers,
    open_pr_numbers,
    read_dismissals,
    read_snapshots,
)
from pepctl.github.started import review_started
from pepctl.review import Comment, Facts, PullRequest, Review, snapshots_wanted


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Gathered(NamedTuple):
    """Facts for the engine plus what publishing needs (raw payloads, our own comments).

    ``notes``: things the gate could not read, said plainly; ``review_since``: when this pull
    request brought a PEP into review, for the summary's SINCE_MARKER."""

    repo: str
    facts: Facts
    pull: dict
    comments: list[dict]
    own: OwnComments
    notes: list[str]
    review_since: str | None = None

    @property
    def number(self) -> int:
        return self.pull["number"]


def like_new_peps(changes, policy, folder: PepFolder, local: LocalRepo | None) -> dict:
    """The existing PEPs most like each PEP the pull request adds, ranked on the local checkout of
    the base branch (none without one, or without the ``related`` extra)."""
    from pepctl import related

    added = [change for change in changes if change.base is None and change.head is not None]
    if not added or local is None or not related.available():
        return {}
    pep_dir = os.path.join(local.root, folder.path)
    if not os.path.isdir(pep_dir):
        return {}
    from pepctl.corpus import Corpus
    from pepctl.review.peps import parse_pep

    peps = [pep for pep, _ in (parse_pep(change.head, change.path) for change in added) if pep is not None]
    return related.like_new_peps(Corpus(pep_dir, policy.config), policy, peps)


def login_of(user: dict | None) -> str:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else "ghost"


def to_pull(pull: dict) -> PullRequest:
    return PullRequest(
        number=pull["number"],
        title=pull.get("title") or "",
        author=login_of(pull.get("user")),
        draft=bool(pull.get("draft")),
        created_at=pull.get("created_at") or "",
        base_sha=(pull.get("base") or {}).get("sha") or "",
        head_sha=(pull.get("head") or {}).get("sha") or "",
        labels=label_names(pull),
        url=pull.get("html_url") or "",
    )


def to_reviews(reviews: list[dict]) -> list[Review]:
    """Submitted reviews as facts: who, what, when, on which commit (empty when GitHub does not
    say: such an approval does not count for a decision), and their text (commands count there)."""
    found = []
    for review in reviews:
        state, submitted = review.get("state"), review.get("submitted_at")
        if not isinstance(submitted, str) or not submitted or not isinstance(state, str) or state.upper() == "PENDING":
            continue
        found.append(Review(review["id"], login_of(review.get("user")), state, submitted,
                            text_of(review.get("commit_id")), text_of(review.get("body"))))
    found.sort(key=lambda r: (r.submitted_at, r.id))
    return found


def to_comments(comments: list[dict], own: OwnComments) -> list[Comment]:
    return [
        Comment(c["id"], login_of(c.get("user")), text_of(c.get("body")), text_of(c.get("created_at")),
                c.get("updated_at") if isinstance(c.get("updated_at"), str) else None)
        for c in comments
        if c["id"] not in own.ids
    ]


async def gather(
    gh,
    repo: str,
    number: int,
    policy,
    folder: PepFolder,
    *,
    local: LocalRepo | None = None,
    collisions: bool = True,
    trusted_logins=(),
    now: str | None = None,
    pull: dict | None = None,
) -> Gathered | None:
    """Everything the engine needs about pull request ``number`` of ``repo`` ("owner/name").

    With ``pull`` (the pull request as listed), its files are read first and
    None comes back when it touches no PEP file, without reading the rest.
    """
    base = f"/repos/{repo}"
    open_pulls = None
    if pull is None:
        # The open pull requests' list holds this one too (when open) and is needed anyway
        # for the number-collision check, so it stands in for GET /pulls/{number}.
        wanted = [
            gh.get_all(f"{base}/pulls/{number}/files", item=FILE),
            gh.get_all(f"{base}/pulls/{number}/reviews", item=REVIEW),
            gh.get_all(f"{base}/issues/{number}/comments", item=COMMENT),
            (gh.get_all(f"{base}/pulls?state=open", item=PULL) if collisions
             else gh.get(f"{base}/pulls/{number}", shape=PULL)),
        ]
        files, reviews, comments, listed = await asyncio.gather(*wanted)
        if collisions:
            open_pulls = listed
            pull = next((p for p in listed if p.get("number") == number), None)
            if pull is None:  # closed or merged: not in the list
                pull = await gh.get(f"{base}/pulls/{number}", shape=PULL)
        else:
            pull = listed
    else:
        files = await gh.get_all(f"{base}/pulls/{number}/files", item=FILE)
        touched = {e.get("filename") for e in files} | {e.get("previous_filename") for e in files}
        if not any(folder.holds(name) for name in touched) and (not folder.config_path or folder.config_path not in touched):
            return None
        reviews, comments = await asyncio.gather(
            gh.get_all(f"{base}/pulls/{number}/reviews", item=REVIEW),
            gh.get_all(f"{base}/issues/{number}/comments", item=COMMENT),
        )
    notes = []
    if len(files) >= 3000:
        notes.append("GitHub lists at most 3000 files of a pull request; PEP files beyond those were not seen")
    peps = [e for e in files if folder.holds(e.get("filename")) or
            (e.get("status") == "renamed" and folder.holds(e.get("previous_filename")))]
    added = new_numbers(files, folder)
    skip = {e["filename"] for e in peps if e.get("status") in ("added", "copied", "renamed")}
    limit = asyncio.Semaphore(CONCURRENCY)

    async def change(entry):
        async with limit:
            return await file_change(gh, repo, entry, pull, folder, local)

    reviews = to_reviews(reviews)
    events = IssueEvents(gh, repo, number)  # read once, by whichever needs it first

    async def dismissals():
        if not any(review.state == "DISMISSED" for review in reviews):
            return [], []
        return await read_dismissals(events)

    async def collisions_of():
        if not (collisions and added):
            return {}, {}
        return await asyncio.gather(base_numbers(gh, repo, pull["base"]["sha"], folder, local, skip),
                                    open_pr_numbers(gh, repo, number, folder, open_pulls))

    changes, (numbers_on_base, numbers_in_prs), (dismissed, dismissal_notes), configured = await asyncio.gather(
        asyncio.gather(*(change(e) for e in peps)), collisions_of(), dismissals(),
        config_change(gh, repo, files, pull, folder, local))
    notes += dismissal_notes

    now = now or utc_now()
    own = find_own(comments, trusted_logins)
    facts = Facts(
        policy,
        to_pull(pull),
        list(changes),
        reviews=reviews,
        comments=to_comments(comments, own),
        base_numbers=numbers_on_base,
        open_pr_numbers=numbers_in_prs,
        now=now,
        dismissals=dismissed,
        config_change=configured,
    )
    started, snapshots = await asyncio.gather(
        review_started(gh, repo, pull, facts.changes, policy, folder, local, now, own.review_since, events),
        read_snapshots(gh, repo, snapshots_wanted(facts), local),
    )
    # in this thread, after the reads: reading a large folder forks workers, which must not happen
    # while another thread may hold a lock the children would need
    related = like_new_peps(facts.changes, policy, folder, local)
    notes += started.notes
    facts = dataclasses.replace(facts, under_review_since=started.since, snapshots=snapshots, related=related)
    return Gathered(repo, facts, pull, comments, own, notes, started.here)
