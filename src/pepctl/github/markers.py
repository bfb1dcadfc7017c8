"""pepctl's own marks on a pull request, and finding them again.

pepctl keeps no state of its own: what it wrote before tells it what it did.

- the summary comment starts with ``SUMMARY_MARKER`` (the engine writes it);
- each answer starts with ``<!-- pepctl-answer KEY -->`` (the engine's ``ANSWER_MARKER``);
- each reminder carries ``<!-- pepctl:reminder:YYYY-MM-DD -->``, the day it was posted;
- the summary ends with ``<!-- pepctl:under-review-since ... -->`` while the first-feedback
  clock runs on a PEP this pull request brought into review;
- labels starting with ``pep: `` are the engine's (``pepctl.review.is_managed_label``).

Markers count only in comments by the account pepctl posts as (``is_trusted``): anyone can
type a marker into a comment.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from pepctl.review.summary import SUMMARY_MARKER
from pepctl.review.verdict import ANSWER_MARKER

# The account a workflow's GITHUB_TOKEN posts as; PEPCTL_BOT_LOGIN names another.
DEFAULT_BOT_LOGIN = "github-actions[bot]"
ANSWER_RE = re.compile(re.escape(ANSWER_MARKER).replace(re.escape("{key}"), r"(\S+)"))
REMINDER_MARKER = "<!-- pepctl:reminder:{date} -->"
REMINDER_RE = re.compile(r"<!-- pepctl:reminder:(\d{4}-\d{2}-\d{2}) -->")
# The summary comment remembers when the pull request brought its PEP into review.
SINCE_MARKER = "<!-- pepctl:under-review-since {since} -->"
SINCE_RE = re.compile(r"<!-- pepctl:under-review-since (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) -->")


class OwnComments(NamedTuple):
    """What pepctl wrote on the pull request before, found by its hidden markers."""

    summary: dict | None  # the oldest, when concurrent runs created several
    extra_summaries: list[dict]  # the others: the next run deletes them
    answered: set[str]  # keys of the answers already posted
    reminders: list[str]  # dates (YYYY-MM-DD)
    ids: set[int]
    review_since: str | None = None  # as the summary recorded it (SINCE_MARKER)


def is_trusted(user: dict | None, trusted_logins=()) -> bool:
    """Markers count only in comments by the account pepctl posts as: ``trusted_logins``
    (PEPCTL_BOT_LOGIN), by default the workflow token's ``github-actions[bot]``. Anyone can
    type a marker into a comment, and any installed app can post as its own bot; only pepctl
    posts as this account."""
    if not isinstance(user, dict):
        return False
    login = user.get("login")
    if not isinstance(login, str) or not login:
        return False
    return login.casefold() in {t.casefold() for t in (trusted_logins or (DEFAULT_BOT_LOGIN,))}


def trusted_logins_from_env(env=None) -> list[str]:
    """The logins pepctl posts as: PEPCTL_BOT_LOGIN (comma-separated), else github-actions[bot]."""
    env = os.environ if env is None else env
    named = [x.strip() for x in env.get("PEPCTL_BOT_LOGIN", "").split(",") if x.strip()]
    return named or [DEFAULT_BOT_LOGIN]


def text_of(value) -> str:
    return value if isinstance(value, str) else ""


def find_own(comments: list[dict], trusted_logins=()) -> OwnComments:
    summaries, answered, reminders, ids = [], set(), [], set()
    for comment in comments:
        body = text_of(comment.get("body"))
        if "<!-- pepctl" not in body or not is_trusted(comment.get("user"), trusted_logins):
            continue
        ids.add(comment["id"])
        if SUMMARY_MARKER in body:
            summaries.append(comment)
        answered.update(ANSWER_RE.findall(body))
        reminders.extend(REMINDER_RE.findall(body))
    if not summaries:
        return OwnComments(None, [], answered, reminders, ids)
    # Two gate runs started at once may each have created one: keep the oldest (GitHub's
    # comment ids grow with time), and publish deletes the others.
    summaries.sort(key=lambda c: c["id"])
    since = SINCE_RE.search(text_of(summaries[0].get("body")))
    return OwnComments(summaries[0], summaries[1:], answered, reminders, ids, since.group(1) if since else None)


def label_names(pull: dict) -> list[str]:
    """The names of the labels on a pull request (the engine's start with ``pep: ``)."""
    return [label.get("name") or "" for label in pull.get("labels") or [] if isinstance(label, dict)]
