"""The GitHub App manifest (``pepctl bot manifest``): least permissions, and the events the bot
reacts to. GitHub's "Register a GitHub App from a manifest" flow takes it as it is.

Installation events (``installation``, ``installation_repositories``) reach every App without
being asked for, so they are not listed.
"""

from __future__ import annotations

PERMISSIONS = {
    "checks": "write",  # the pep/process check run
    "contents": "write",  # pepctl.toml and PEP files; branches and commits of the chores' pull requests
    "issues": "write",  # the summary comment, answers, reminders, labels; tracking issues
    "metadata": "read",  # every App has it
    "pull_requests": "write",  # pull requests, their files and reviews; labels; the chores' pull requests
}
EVENTS = ["check_run", "issue_comment", "issues", "pull_request", "pull_request_review", "push"]


def manifest(url: str, name: str = "pepctl", homepage: str = "") -> dict:
    hook = url.rstrip("/") + "/webhook"
    return {
        "name": name,
        "url": homepage or url,
        "hook_attributes": {"url": hook, "active": True},
        "public": False,
        "default_permissions": dict(PERMISSIONS),
        "default_events": list(EVENTS),
        "description": "Runs the PEP process on pull requests: decides each by PEP-0000 and reports a check run.",
    }
