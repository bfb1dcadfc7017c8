"""What the review engine decides from: plain data about one pull request.

The GitHub adapter (Action, `pepctl gate`) and the bot both fill these in;
the engine never performs I/O. Timestamps are ISO 8601 strings in UTC as
GitHub sends them (``2026-05-01T12:00:00Z``).
"""

from __future__ import annotations


class Review:
    """One submitted review. ``state`` is GitHub's: APPROVED, CHANGES_REQUESTED,
    COMMENTED or DISMISSED."""

    __slots__ = ("id", "author", "state", "submitted_at")

    def __init__(self, id: int, author: str, state: str, submitted_at: str):
        self.id = id
        self.author = author
        self.state = state.upper()
        self.submitted_at = submitted_at

    def __repr__(self) -> str:
        return f"Review({self.id}, {self.author!r}, {self.state}, {self.submitted_at})"


class Comment:
    """One issue comment on the pull request. A comment whose ``updated_at`` is
    later than its ``created_at`` was edited."""

    __slots__ = ("id", "author", "body", "created_at", "updated_at")

    def __init__(self, id: int, author: str, body: str, created_at: str, updated_at: str | None = None):
        self.id = id
        self.author = author
        self.body = body
        self.created_at = created_at
        self.updated_at = updated_at or created_at

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at

    def __repr__(self) -> str:
        return f"Comment({self.id}, {self.author!r}, {self.body[:30]!r})"


class PullRequest:
    __slots__ = ("number", "title", "author", "draft", "created_at", "base_sha", "head_sha", "labels", "url")

    def __init__(
        self,
        number: int,
        title: str,
        author: str,
        draft: bool = False,
        created_at: str = "",
        base_sha: str = "",
        head_sha: str = "",
        labels: list[str] | None = None,
        url: str = "",
    ):
        self.number = number
        self.title = title
        self.author = author
        self.draft = draft
        self.created_at = created_at
        self.base_sha = base_sha
        self.head_sha = head_sha
        self.labels = list(labels or [])
        self.url = url


class FileChange:
    """A PEP file the pull request touches: its bytes at base and at head.

    ``base`` is None for a file the PR adds, ``head`` None for one it deletes.
    ``previous_path`` is set for a rename.
    """

    __slots__ = ("path", "base", "head", "previous_path")

    def __init__(self, path: str, base: bytes | None, head: bytes | None, previous_path: str | None = None):
        self.path = path
        self.base = base
        self.head = head
        self.previous_path = previous_path


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
    """

    def __init__(
        self,
        policy,
        pull: PullRequest,
        changes: list[FileChange],
        reviews: list[Review] | None = None,
        comments: list[Comment] | None = None,
        base_numbers: dict[int, list[str]] | None = None,
        open_pr_numbers: dict[int, set[int]] | None = None,
        under_review_since: str | None = None,
        now: str = "",
    ):
        self.policy = policy
        self.pull = pull
        self.changes = changes
        self.reviews = list(reviews or [])
        self.comments = list(comments or [])
        self.base_numbers = dict(base_numbers or {})
        self.open_pr_numbers = dict(open_pr_numbers or {})
        self.under_review_since = under_review_since
        self.now = now
