"""When review started: ``Facts.under_review_since`` for the first-feedback clock, at no cost
or one request.

Nothing is read unless the clock runs (a PEP of a ready pull request is Under Review at head):

- a PEP already Under Review on the base branch entered review with the commit that set that
  status there: one ``git log`` pass over the local checkout (pepctl.history), no request;
- a PEP that this pull request brings into review (new, or moved from Draft) entered it when
  the gate first saw it so, on a pull request ready for review. The gate keeps that moment in
  a hidden marker of its summary comment (already read with the comments: no request).
  Without a marker, the ``pep: under review`` label tells: the gate adds it the first time it
  sees the PEP under review, so a pull request without it is seen under review for the first
  time now (or, when the gate never labelled it at all, since it was opened), and one with it
  costs one request to the issue events list, for when the label was added and the pull
  request last marked ready for review. The issue events list is used rather than the
  timeline because it holds no comments or reviews: one page where the timeline of a busy pull
  request takes several.

What cannot be known (no checkout, a shallow clone, git missing) falls back to the pull
request's creation and is said in the notes. Which PEPs the clock is about, and whether each
is under review, the engine says (``pepctl.review``): this module only finds the moment.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import NamedTuple

from pepctl.github.errors import GitHubError
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.markers import label_names
from pepctl.github.reads import IssueEvents
from pepctl.review import UNDER_REVIEW, FileChange, is_managed_label, is_under_review, load_pep, status_label, subjects
from pepctl.review.context import iso
from pepctl.timestamps import parse_instant


def to_utc(stamp: str | None) -> str | None:
    """An ISO 8601 timestamp (any offset) as GitHub writes UTC ones, or None when unreadable."""
    return iso(parse_instant(stamp)) if isinstance(stamp, str) else None


@dataclass(frozen=True)
class UnderReview:
    """The PEPs of a pull request that are Under Review at head, by where their review began.

    ``on_base``: (label, file name at base) of PEPs already Under Review on the
    base branch; ``here``: labels of PEPs this pull request brings into review
    (new ones, and ones moved from another status or unreadable at base).
    Like the engine, the index document counts only when it is all there is.
    """

    on_base: list[tuple[str, str]] = field(default_factory=list)
    here: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, changes: list[FileChange], policy) -> UnderReview:
        found = cls()
        # Deleted files are left out before choosing, so that the index document counts when
        # it is the only PEP file left at head.
        peps = [load_pep(change, policy.config) for change in changes if change.head is not None]
        for pc in subjects(peps):
            if not is_under_review(policy, pc.head):
                continue
            if is_under_review(policy, pc.base):
                found.on_base.append((pc.label, (pc.previous_path or pc.path).rsplit("/", 1)[-1]))
            else:
                found.here.append(pc.label)
        return found

    def __bool__(self) -> bool:
        return bool(self.on_base or self.here)


def start_in_pull(pull: dict, events: list | None, label: str, now: str) -> str | None:
    """When this pull request brought its PEP into review (UTC ISO), from its labels and issue events.

    ``label`` is the gate's ``pep: under review``; the gate adds it the first
    time it sees the PEP under review (whether the pull request is a draft or
    not), so:

    - not on the pull request yet, while another ``pep: `` label is: the gate
      saw another status before, and the PEP enters review with this run: ``now``;
    - no ``pep: `` label at all: the gate never labelled it; the PEP has been
      under review since the pull request was opened (as far as anyone knows);
    - on the pull request: when it was last added, unless it was the first
      ``pep: `` label ever added (the PEP arrived under review: since the pull
      request was opened);

    and never before the pull request was last marked ready for review.
    """
    created = to_utc(pull.get("created_at"))
    names = {name.casefold() for name in label_names(pull)}
    if label not in names:
        return now if any(is_managed_label(name) for name in names) else created
    first_label = last_label = ready = None
    stamped = []
    for event in events or ():
        at = to_utc(event.get("created_at")) if isinstance(event, dict) else None
        if at is not None:
            number = event.get("id")
            stamped.append((at, number if isinstance(number, int) else 0, event))
    stamped.sort(key=lambda item: item[:2])
    for at, _, event in stamped:
        kind = event.get("event")
        if kind == "labeled":
            name = ((event.get("label") or {}).get("name") or "").casefold()
            if is_managed_label(name) and first_label is None:
                first_label = at
            if name == label:
                last_label = at
        elif kind == "ready_for_review":
            ready = at
    start = created
    if last_label is not None and first_label is not None and last_label > first_label:
        start = last_label
    if ready is not None and (start is None or ready > start):
        start = ready
    return start


def entered_on_base(history, name: str, policy) -> str | None:
    """When file ``name`` of the PEP folder last became Under Review on the checked-out branch."""
    under_review = policy.canonical(UNDER_REVIEW)
    when = None
    for change in history.changes:
        if os.path.basename(change.path) == name and change.new and policy.canonical(change.new) == under_review:
            when = change.date
    return to_utc(when)


class Started(NamedTuple):
    """When review started, as ``review_started`` found it.

    ``since``: Facts.under_review_since, the earliest start of the clock's PEPs; ``here``: when
    this pull request brought a PEP into review (kept in the summary); ``notes``: what could not
    be read, said plainly."""

    since: str | None = None
    here: str | None = None
    notes: tuple[str, ...] = ()


async def review_started(gh, repo: str, pull: dict, changes: list[FileChange], policy, folder: PepFolder,
                         local: LocalRepo | None, now: str, recorded: str | None = None,
                         events: IssueEvents | None = None) -> Started:
    """When the PEPs of the first-feedback clock entered review.

    Nothing is read unless the clock runs (a ready pull request with a PEP
    Under Review at head). With several such PEPs the earliest start counts.
    ``recorded`` is the start the summary comment kept from an earlier run;
    ``events`` the run's shared reader of the issue events (read once for all who ask).
    """
    if pull.get("draft"):
        return Started()
    found = UnderReview.of(changes, policy)
    if not found:
        return Started()
    created = to_utc(pull.get("created_at"))
    starts: list[str | None] = []
    notes: list[str] = []
    here = None
    if found.here and recorded:
        here = recorded
    elif found.here:
        label = status_label(policy.canonical(UNDER_REVIEW))
        listed = None
        if label in {name.casefold() for name in label_names(pull)}:
            reader = events if events is not None else IssueEvents(gh, repo, pull["number"])
            try:
                listed = await reader.get()
            except GitHubError as err:
                if err.status not in (403, 404):
                    raise
                notes.append(f"{', '.join(found.here)}: the pull request's events could not be read ({err}); "
                             "the first-feedback clock counts from when the pull request was opened")
        here = start_in_pull(pull, listed, label, now)
    starts.append(here)
    if found.on_base:
        if local is None:
            history, error = None, "there is no local git checkout of the base branch"
        else:
            history, error = await asyncio.to_thread(local.history, folder)
        for label, name in found.on_base:
            when = entered_on_base(history, name, policy) if history is not None else None
            if when is not None:
                starts.append(when)
                continue
            if error is None and history.warning:
                why = (f"the checkout's history is shallow ({history.warning}); in a workflow, check out "
                       "with `fetch-depth: 0`")
            elif error is None:
                why = "no commit of the base branch's history sets its status to Under Review"
            else:
                why = f"git history could not be read: {error}"
            notes.append(f"{label} was already under review on the base branch, but when it entered review is "
                         f"unknown: {why}. The first-feedback clock counts from when the pull request was opened.")
            starts.append(created)
    known = [start for start in starts if start]
    return Started(min(known) if known else None, here, notes)
