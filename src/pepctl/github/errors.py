"""The GitHub adapter's errors; they need nothing installed, so any module may catch them.

``GitHubError`` (a request failed for good) ends a command with exit status 1; ``SetupError``
(the environment is not set up for GitHub) is also a usage error, exit status 2. The message
is one line; ``pepctl.cli.group.run`` prints it.
"""

from __future__ import annotations

from pepctl.errors import PepctlError, UsageError


class GitHubError(PepctlError):
    """A request failed for good (after retries); the message is one line (exit status 1)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class SetupError(GitHubError, UsageError):
    """The environment is not set up for GitHub (no token, a bad API URL): a usage error, exit 2."""


class TokenMissing(SetupError):
    """No token in the environment: a usage error, not a network failure."""
