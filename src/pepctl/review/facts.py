"""What the review engine decides from: plain data about one pull request (frozen: the engine
only reads it).

The GitHub adapter (Action, `pepctl gate`) and the bot both fill these in;
the engine never performs I/O. Timestamps are ISO 8601 strings in UTC as
GitHub sends them (``2026-05-01T12:00:00Z``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Review:
    """One submitted review. ``state`` is GitHub's: APPROVED, CHANGES_REQUESTED,
    COMMENTED or DISMISSED (upper-cased here, whatever case it came in).
    ``commit_id`` is the commit it was given on (empty when GitHub did not say);
    ``body`` its text, where ``/pep`` commands count as in comments."""

    id: int
    author: str
    state: str
    submitted_at: str
    commit_id: str = ""
    body: str = ""

    def __post_init__(self):
        object.__setattr__(self, "state", (self.state or "").upper())
        object.__setattr__(self, "commit_id", self.commit_id if isinstance(self.commit_id, str) else "")
        object.__setattr__(self, "body", self.body if isinstance(self.body, str) else "")

    def __repr__(self) -> str:
        return f"Review({self.id}, {self.author!r}, {self.state}, {self.submitted_at})"


@dataclass(frozen=True, slots=True)
class Dismissal:
    """Someone dismissed a review (GitHub's ``review_dismissed`` issue event): who (``actor``),
    when (``at``), and what the review was before (``state``: APPROVED or CHANGES_REQUESTED,
    empty when unknown)."""

    review_id: int
    actor: str
    at: str
    state: str = ""
    message: str = ""

    def __post_init__(self):
        object.__setattr__(self, "state", (self.state or "").upper())


@dataclass(frozen=True, slots=True)
class Comment:
    """One issue comment on the pull request. A comment whose ``updated_at`` is
    later than its ``created_at`` was edited (no ``updated_at``: never edited)."""

    id: int
    author: str
    body: str
    created_at: str
    updated_at: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "updated_at", self.updated_at or self.created_at)

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at

    def __repr__(self) -> str:
        return f"Comment({self.id}, {self.author!r}, {self.body[:30]!r})"


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    title: str
    author: str
    draft: bool = False
    created_at: str = ""
    base_sha: str = ""
    head_sha: str = ""
    labels: list[str] = field(default_factory=list)
    url: str = ""

    def __post_init__(self):
        object.__setattr__(self, "labels", list(self.labels or []))


@dataclass(frozen=True, slots=True)
class FileChange:
    """A PEP file the pull request touches: its bytes at base and at head.

    ``base`` is None for a file the PR adds, ``head`` None for one it deletes.
    ``previous_path`` is set for a rename.
    """

    path: str
    base: bytes | None
    head: bytes | None
    previous_path: str | None = None


class Similar(NamedTuple):
    """An existing PEP like one the pull request adds (pepctl.related ranks them)."""

    number: int | None
    title: str
    status: str
    settled: bool  # declined or withdrawn: its authors should read why before proposing again


@dataclass(frozen=True)
class Facts:
    """Everything the engine needs about one pull request, at one moment.

    - ``policy``: pepctl.policy.Policy (maintainers, project lead, approvals, lifecycle).
    - ``pull``: the PullRequest.
    - ``changes``: FileChange for every PEP file the PR adds, edits, renames or deletes.
    - ``reviews`` / ``comments``: everything on the PR, oldest first.
    - ``base_numbers``: PEP numbers used on the base branch -> file paths there.
    - ``open_pr_numbers``: for every OTHER open pull request, the PEP numbers its new files use.
    - ``under_review_since``: when the PEP entered Under Review, if known from the PR timeline or
      git history (else the engine uses the PR's creation when the PEP arrives Under Review).
    - ``now``: the moment of evaluation (ISO string), for the first-feedback clock.
    - ``dismissals``: who dismissed which review (only needed when a review is DISMISSED).
    - ``snapshots``: (commit, path) -> the PEP file's bytes at that commit (None: it could not be
      read there), for approvals given on a commit other than the head (``snapshots_wanted``
      says which). With no ``pull.head_sha`` the engine does not compare commits.
    - ``config_change``: the project's configuration file (``pepctl.toml``, or ``pyproject.toml``
      with ``[tool.pepctl]``) at base and head, when the pull request changes it.
    - ``related``: for each PEP file the pull request adds (by path), the existing PEPs most like
      it, declined and withdrawn ones first; shown in the summary, never a reason to block.
    """

    policy: Any
    pull: PullRequest
    changes: list[FileChange]
    reviews: list[Review] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    base_numbers: dict[int, list[str]] = field(default_factory=dict)
    open_pr_numbers: dict[int, set[int]] = field(default_factory=dict)
    under_review_since: str | None = None
    now: str = ""
    dismissals: list[Dismissal] = field(default_factory=list)
    snapshots: dict[tuple[str, str], bytes | None] = field(default_factory=dict)
    config_change: FileChange | None = None
    related: dict[str, list[Similar]] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "reviews", list(self.reviews or []))
        object.__setattr__(self, "comments", list(self.comments or []))
        object.__setattr__(self, "base_numbers", dict(self.base_numbers or {}))
        object.__setattr__(self, "open_pr_numbers", dict(self.open_pr_numbers or {}))
        object.__setattr__(self, "dismissals", list(self.dismissals or []))
        object.__setattr__(self, "snapshots", dict(self.snapshots or {}))
