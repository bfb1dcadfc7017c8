"""Which work an event makes dirty: a pure function from (event name, payload) to keys.

The bot is level-triggered: an event says only *that* a pull request (or a repository) may need
deciding again; the worker re-reads everything from GitHub. So the mapping is small, and a lost
or repeated event costs nothing but a re-read. Number 0 stands for a whole repository: its
open pull requests are each marked dirty in turn (after an installation, or a push that changes
the repository's pepctl configuration).
"""

from __future__ import annotations

from typing import NamedTuple

REPO = 0  # the "number" of a whole-repository key
INDEX = -1  # the "number" of a repository's index check (is PEP-0000's table stale?)

PR_ACTIONS = {"opened", "edited", "synchronize", "reopened", "ready_for_review", "converted_to_draft", "closed"}
REVIEW_ACTIONS = {"submitted", "edited", "dismissed"}
INSTALL_ADD = {"created", "new_permissions_accepted", "unsuspend"}
INSTALL_GONE = {"deleted", "suspend"}
ISSUE_ACTIONS = {"closed", "reopened", "edited"}
CONFIG_FILES = {"pepctl.toml", "pyproject.toml"}


class Key(NamedTuple):
    installation_id: int
    repo: str
    number: int


class Installation(NamedTuple):
    """What an installation event changes: the installation, and its repositories."""

    id: int
    account: str
    added: list[str]
    removed: list[str]
    deleted: bool


class Outcome(NamedTuple):
    handled: bool
    why: str  # for the answer's body and the log
    keys: list[Key] = []
    installation: Installation | None = None


def get(data, *path):
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


MAX_ID = 2 ** 63 - 1  # the columns' BIGINT
MAX_TEXT = 256  # the columns' longest names (repository, account)


def as_id(value) -> int | None:
    """A positive id a BIGINT column holds, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID else None


def as_text(value) -> str | None:
    """A non-empty printable name a column holds (no NUL, no lone surrogate, at most 256
    characters), else None."""
    return value if isinstance(value, str) and value and len(value) <= MAX_TEXT and value.isprintable() else None


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def _repos(items) -> list[str]:
    return [r["full_name"] for r in as_list(items) if isinstance(r, dict) and as_text(r.get("full_name"))]


def is_own(payload: dict, app_id: int, bot_login: str) -> bool:
    """An event the App caused itself (its own comment): reacting would loop."""
    sender = as_text(get(payload, "sender", "login"))
    if bot_login and sender and sender.casefold() == bot_login.casefold():
        return True
    via = as_id(get(payload, "comment", "performed_via_github_app", "id"))
    return bool(app_id) and via == app_id


def classify(event: str, payload: dict, *, app_id: int = 0, bot_login: str = "") -> Outcome:
    action = as_text(payload.get("action")) or ""
    installation = as_id(get(payload, "installation", "id"))
    repo = as_text(get(payload, "repository", "full_name"))

    if event in ("installation", "installation_repositories"):
        if installation is None:
            return Outcome(False, "no installation in the payload")
        account = as_text(get(payload, "installation", "account", "login")) or ""
        if event == "installation":
            if action in INSTALL_ADD:
                added = _repos(payload.get("repositories"))
                info = Installation(installation, account, added, [], False)
            elif action in INSTALL_GONE:
                info = Installation(installation, account, [], [], True)
            else:
                return Outcome(False, f"installation {action} needs nothing")
        else:
            info = Installation(installation, account, _repos(payload.get("repositories_added")),
                                _repos(payload.get("repositories_removed")), False)
        keys = [Key(installation, name, REPO) for name in info.added]
        return Outcome(True, f"{event} {action}", keys, info)

    if installation is None or repo is None:
        return Outcome(False, f"{event}: not from an installation's repository")

    if event == "pull_request":
        number = as_id(get(payload, "pull_request", "number")) or as_id(payload.get("number"))
        if action not in PR_ACTIONS or number is None:
            return Outcome(False, f"pull_request {action} needs nothing")
        return Outcome(True, f"pull_request {action}", [Key(installation, repo, number)])

    if event == "pull_request_review":
        number = as_id(get(payload, "pull_request", "number"))
        if action not in REVIEW_ACTIONS or number is None:
            return Outcome(False, f"pull_request_review {action} needs nothing")
        return Outcome(True, f"pull_request_review {action}", [Key(installation, repo, number)])

    if event == "issue_comment":
        number = as_id(get(payload, "issue", "number"))
        if action != "created" or number is None:
            return Outcome(False, f"issue_comment {action} needs nothing")
        if not isinstance(get(payload, "issue", "pull_request"), dict):
            return Outcome(False, "a comment on an issue, not on a pull request")
        if is_own(payload, app_id, bot_login):
            return Outcome(False, "the App's own comment")
        return Outcome(True, "issue_comment created", [Key(installation, repo, number)])

    if event == "check_run":
        if action != "rerequested":
            return Outcome(False, f"check_run {action} needs nothing")
        owner = as_id(get(payload, "check_run", "app", "id"))
        if app_id and owner is not None and owner != app_id:
            return Outcome(False, "another app's check run")
        numbers = [as_id(p.get("number")) for p in as_list(get(payload, "check_run", "pull_requests"))
                   if isinstance(p, dict)]
        keys = [Key(installation, repo, n) for n in numbers if n]
        return Outcome(bool(keys), "check_run rerequested" if keys else "check run of no pull request", keys)

    if event == "issues":
        number = as_id(get(payload, "issue", "number"))
        if action not in ISSUE_ACTIONS or number is None:
            return Outcome(False, f"issues {action} needs nothing")
        author = as_text(get(payload, "issue", "user", "login"))
        if bot_login and author and author.casefold() != bot_login.casefold():
            return Outcome(False, "an issue the App did not open")
        return Outcome(True, f"issues {action}", [Key(installation, repo, number)])

    if event == "push":
        default = as_text(get(payload, "repository", "default_branch"))
        if default is None or payload.get("ref") != f"refs/heads/{default}":
            return Outcome(False, "a push to another branch than the default")
        keys = []
        if touches_config(payload):
            keys.append(Key(installation, repo, REPO))
        if touches(payload, lambda p: p.endswith(".md")):
            keys.append(Key(installation, repo, INDEX))
        if not keys:
            return Outcome(False, "a push that changes neither the configuration nor a Markdown file")
        return Outcome(True, "push to the default branch", keys)

    return Outcome(False, f"{event} events need nothing")


def touches_config(payload: dict) -> bool:
    """Whether a push changed pepctl.toml or pyproject.toml at the root."""
    return touches(payload, lambda p: p in CONFIG_FILES)


def touches(payload: dict, wanted) -> bool:
    """Whether a push changed a path ``wanted`` accepts (when the payload cannot tell, as for a
    push of more commits than it lists, assume it did)."""
    commits = payload.get("commits")
    if not isinstance(commits, list) or not commits or len(commits) >= 2048:
        return True
    for commit in commits:
        if not isinstance(commit, dict):
            return True
        for kind in ("added", "modified", "removed"):
            paths = commit.get(kind) or []
            if not isinstance(paths, list) or any(isinstance(p, str) and wanted(p) for p in paths):
                return True
    return False
