"""Which pull request a GitHub Actions event is about.

Inside a workflow, ``GITHUB_EVENT_PATH`` names the JSON payload of the event
that started it and ``GITHUB_REPOSITORY`` the repository. The gate runs on
``pull_request_target``/``pull_request`` (payload ``pull_request``),
``pull_request_review`` (payload ``pull_request``) and ``issue_comment``
(payload ``issue``, a pull request when it has a ``pull_request`` key).
"""

from __future__ import annotations

import json
import os
import re
from typing import NamedTuple

from pepctl.errors import UsageError
from pepctl.gitutil import GitError, run_git

REPO_RE = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


class EventError(UsageError):
    """The event file or the options do not name a pull request (a usage error, exit status 2)."""


class NotAPullRequest(Exception):
    """The event is about something else (a comment on a plain issue): nothing to do."""


class Target(NamedTuple):
    """A pull request: ``repo`` (owner/name) and its ``number``."""

    repo: str
    number: int


def read_event(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        raise EventError(f"GITHUB_EVENT_PATH names {path}, which does not exist") from None
    except OSError as err:
        raise EventError(f"cannot read the event file {path}: {err.strerror}") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise EventError(f"the event file {path} is not valid JSON: {err}") from None
    except RecursionError:
        raise EventError(f"the event file {path} is not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise EventError(f"the event file {path} does not hold a JSON object")
    return data


def number_from_event(data: dict, path: str) -> int:
    pull = data.get("pull_request")
    if isinstance(pull, dict):
        number = pull.get("number")
    else:
        issue = data.get("issue")
        if not isinstance(issue, dict):
            raise EventError(
                f"the event in {path} is not about a pull request (no 'pull_request' or 'issue'); "
                "run the gate on pull_request_target, pull_request_review or issue_comment events, or pass --pr N"
            )
        if not issue.get("pull_request"):
            raise NotAPullRequest(f"issue #{issue.get('number')} is not a pull request")
        number = issue.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise EventError(f"the event in {path} has no valid pull request number (got {number!r})")
    return number


def resolve(pr: int | None, repo: str | None, env=None) -> Target:
    """The pull request to act on: --pr/--repo, else the Actions event and repository."""
    env = os.environ if env is None else env
    data = None
    event_path = env.get("GITHUB_EVENT_PATH")
    if pr is None:
        if not event_path:
            raise EventError("no pull request named: pass --pr N (outside GitHub Actions, also --repo owner/name)")
        data = read_event(event_path)
        pr = number_from_event(data, event_path)
    if repo is None:
        repo = env.get("GITHUB_REPOSITORY")
    if not repo and data is not None:
        repo = ((data.get("repository") or {}).get("full_name")) if isinstance(data.get("repository"), dict) else None
    if not repo:
        raise EventError("no repository named: pass --repo owner/name (or set GITHUB_REPOSITORY)")
    if not REPO_RE.fullmatch(repo):
        raise EventError(f"--repo {repo!r}: expected owner/name")
    return Target(repo, pr)


def repo_from_env(repo: str | None, env=None) -> str:
    """--repo, else GITHUB_REPOSITORY, else the GitHub remote of the current checkout."""
    env = os.environ if env is None else env
    repo = repo or env.get("GITHUB_REPOSITORY") or repo_from_git()
    if not repo:
        raise EventError("no repository named: pass --repo owner/name (or set GITHUB_REPOSITORY)")
    if not REPO_RE.fullmatch(repo):
        raise EventError(f"--repo {repo!r}: expected owner/name")
    return repo


def repo_from_git(cwd: str | None = None) -> str | None:
    """owner/name from the ``origin`` remote's URL, when it points at GitHub."""
    try:
        done = run_git(["remote", "get-url", "origin"], cwd or ".", timeout=10)
    except GitError:
        return None
    url = done.stdout.decode("utf-8", errors="replace").strip()
    match = re.search(r"github\.com[:/]+([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$", url)
    return match.group(1) if match else None
