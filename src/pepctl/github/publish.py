"""Put a verdict on the pull request: commit status, labels, summary comment, answers.

``plan`` compares the verdict with what the pull request already shows (its
labels come with the pull request, pepctl's own comments with the comments
already fetched) and lists only the writes that change something; ``apply``
sends them. ``--dry-run`` prints the plan and sends nothing.

Why a commit status and not a check run: a status needs only the
``statuses: write`` permission of the workflow's GITHUB_TOKEN and attaches to
the pull request's head commit whatever event started the workflow. A workflow
started by ``pull_request_target`` reports its own job against the base
branch, so without an explicit status on the head commit branch protection
would have nothing to require.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import NamedTuple

from pepctl.github.errors import GitHubError
from pepctl.github.markers import SINCE_MARKER, label_names
from pepctl.review import is_managed_label

CONTEXT = "pep/process"
STATES = {"success": "success", "failure": "failure", "neutral": "pending"}


class Write(NamedTuple):
    """One request to send: method, path, JSON body, and a line saying what it does."""

    method: str
    path: str
    data: object
    what: str

    def to_json(self) -> dict:
        """For ``--format json``: the request without its body."""
        return {"method": self.method, "path": self.path, "what": self.what}


@dataclass
class Plan:  # not frozen: apply() records the summary comment's address once it exists
    """The writes for one verdict, grouped so the status can link to the summary comment."""

    comments: list[Write] = field(default_factory=list)  # summary create/edit and answers
    status: Write | None = None
    labels: list[Write] = field(default_factory=list)
    summary_url: str | None = None

    @property
    def writes(self) -> list[Write]:
        return self.comments + self.labels + ([self.status] if self.status else [])


def description(verdict) -> str:
    """The status line (GitHub allows 140 characters)."""
    blocking = verdict.blocking
    if verdict.passed:
        text = "PEP process: ready to merge"
    elif verdict.informational:
        text = f"Draft: {len(blocking)} thing(s) to fix before review"
    else:
        first = blocking[0]
        more = f" (+{len(blocking) - 1} more)" if len(blocking) > 1 else ""
        text = f"Blocked: {first.code} {first.message}"
        limit = 140 - len(more)
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        text += more
    return text[:140]


def label_writes(repo: str, number: int, current: list[str], wanted: list[str]) -> list[Write]:
    """At most one request: POST to add labels, or PUT the whole set when one must go."""
    have = {name.casefold() for name in current}
    add = [name for name in wanted if name.casefold() not in have]
    keep = {name.casefold() for name in wanted}
    remove = [name for name in current if is_managed_label(name) and name.casefold() not in keep]
    path = f"/repos/{repo}/issues/{number}/labels"
    if remove:
        final = [name for name in current if name not in remove] + add
        what = "labels: " + ", ".join([f"-{n}" for n in remove] + [f"+{n}" for n in add])
        return [Write("PUT", path, {"labels": final}, what)]
    if add:
        return [Write("POST", path, {"labels": add}, "labels: " + ", ".join(f"+{n}" for n in add))]
    return []


MAX_SUMMARY = 60000  # characters: GitHub refuses a comment over 65536 (422 on every run)


def fit(summary: str, limit: int = MAX_SUMMARY) -> str:
    """``summary`` cut to ``limit`` characters when longer: its first lines, one saying how many
    were left out, and its last line (the commands). The same summary is always cut the same
    way, so an unchanged pull request's comment is still left alone."""
    if len(summary) <= limit:
        return summary
    lines = summary.rstrip("\n").split("\n")
    last = lines.pop()
    kept, size = [], len(last) + 200
    for line in lines:
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    left = len(lines) - len(kept)
    note = (f"*… {left} lines left out: the whole summary is longer than a GitHub comment holds. "
            "`pepctl gate --pr N --dry-run` shows all of it.*")
    return "\n".join([*kept, "", note, "", last]) + "\n"


def packed(bodies: list[str], limit: int) -> list[list[str]]:
    """Answers in comments of at most ``limit`` characters each: the answers owed to many comments
    (the engine answers at most ten commands of each) go in several, rather than in one GitHub
    refuses (and, with it, the check and summary of the pull request, on every run)."""
    chunks: list[list[str]] = []
    size = limit
    for body in bodies:
        if size + len(body) + 7 > limit and (not chunks or chunks[-1]):
            chunks.append([])
            size = 0
        chunks[-1].append(body)
        size += len(body) + 7  # the separator
    return chunks


def summary_body(gathered, verdict) -> str:
    """The summary comment: the engine's summary (cut to fit a comment), plus the hidden marker
    that keeps when this pull request brought its PEP into review (read back by the next run
    instead of asking GitHub)."""
    summary = fit(verdict.summary)
    if gathered.review_since and verdict.first_feedback is not None and verdict.first_feedback.running:
        summary = summary.rstrip("\n") + "\n" + SINCE_MARKER.format(since=gathered.review_since) + "\n"
    return summary


def plan(gathered, verdict, context: str = CONTEXT) -> Plan:
    repo, number = gathered.repo, gathered.number
    result = Plan()
    summary = summary_body(gathered, verdict)
    existing = gathered.own.summary
    if existing is None:
        result.comments.append(Write("POST", f"/repos/{repo}/issues/{number}/comments", {"body": summary},
                                     "create the summary comment"))
    else:
        result.summary_url = existing.get("html_url")
        if (existing.get("body") or "").replace("\r\n", "\n") != summary.replace("\r\n", "\n"):
            result.comments.append(Write("PATCH", f"/repos/{repo}/issues/comments/{existing['id']}", {"body": summary},
                                         f"edit the summary comment {existing['id']}"))
    for extra in gathered.own.extra_summaries:  # left by gate runs that raced: only the oldest stays
        result.comments.append(Write("DELETE", f"/repos/{repo}/issues/comments/{extra['id']}", None,
                                     f"delete the duplicate summary comment {extra['id']}"))
    new_answers = [a for a in verdict.answers if a.key not in gathered.own.answered]
    for chunk in packed([a.body.rstrip("\n") for a in new_answers], MAX_SUMMARY):
        answers, new_answers = new_answers[:len(chunk)], new_answers[len(chunk):]
        keys = ", ".join(a.key for a in answers[:5]) + (f" and {len(answers) - 5} more" if len(answers) > 5 else "")
        result.comments.append(Write("POST", f"/repos/{repo}/issues/{number}/comments",
                                     {"body": "\n\n---\n\n".join(chunk) + "\n"},
                                     f"answer {len(answers)} command(s) ({keys})"))
    result.labels = label_writes(repo, number, label_names(gathered.pull), list(verdict.labels))
    state = STATES.get(verdict.conclusion, "failure")
    head_sha = gathered.pull["head"]["sha"]
    result.status = Write(
        "POST",
        f"/repos/{repo}/statuses/{head_sha}",
        {"state": state, "context": context, "description": description(verdict)},
        f"status {context}: {state}",
    )
    return result


async def apply(gh, result: Plan, pull_url: str = "") -> None:
    """Send the planned writes: comments first (the status links to the summary), then the rest."""

    async def send(write: Write):
        if write.method == "DELETE":
            try:
                return write, await gh.delete(write.path)
            except GitHubError as err:
                if err.status == 404:  # another run deleted it first
                    return write, None
                raise
        method = {"POST": gh.post, "PATCH": gh.patch, "PUT": gh.put}[write.method]
        return write, await method(write.path, write.data)

    for write, answer in await asyncio.gather(*(send(w) for w in result.comments)):
        if write.method != "DELETE" and "summary" in write.what and isinstance(answer, dict):
            result.summary_url = answer.get("html_url") or result.summary_url
    if result.status is not None:
        target = result.summary_url or pull_url
        if target:
            result.status.data["target_url"] = target
    await asyncio.gather(*(send(w) for w in result.labels + ([result.status] if result.status else [])))
