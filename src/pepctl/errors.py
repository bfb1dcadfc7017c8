"""The errors pepctl reports to a person, as opposed to bugs.

Every error a user can fix derives from PepctlError; its text says what is
wrong, where, and how to fix it. Two kinds, because they end differently:

- UsageError: the command line, the configuration or the environment is
  wrong (a bad option, an unknown rule code, no token): nothing was tried.
- any other PepctlError: the work was tried and refused or failed (a status
  move the process does not allow, GitHub unreachable).

The errors carry no exit codes: the command line maps them in one place
(``pepctl.cli.errors``). This module imports nothing.
"""

from __future__ import annotations


class PepctlError(Exception):
    """A problem the user can fix; str() is the whole message."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class UsageError(PepctlError):
    """The command line, configuration or environment is wrong; nothing was tried."""
