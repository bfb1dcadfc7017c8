"""The requests that read a pull request and its PEP files (``publish`` sends the writes).

PEP file contents are data, never code: the head's version of an added or edited file is
rebuilt from the ``patch`` that the files listing already carries and checked against the
blob id GitHub reports (``pepctl.github.patch``), and only when that does not work is it
fetched (Git Blobs API). The base version comes from the local checkout (``git cat-file``,
reading an object, running nothing) when that commit is there, else from the Contents API;
so do the PEP files at the commits older approvals were given on (``read_snapshots``).

The issue events are read at most once per run (``IssueEvents``), by whichever asks first:
the first-feedback clock, or a dismissed review whose dismissal must be known
(``read_dismissals``).
"""

from __future__ import annotations

import asyncio
import base64
import re

from pepctl.github.client import quote_path
from pepctl.github.errors import GitHubError
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.patch import apply_patch, blob_sha
from pepctl.github.shapes import OBJECT
from pepctl.model import number_from_filename
from pepctl.review import Dismissal, FileChange

CONCURRENCY = 8

# What pepctl relies on in GitHub's answers (shapes for pepctl.github.shapes.shape_problem):
# every read goes through the client with one of these, so a wrong answer (a proxy's HTML
# page, an error object where a list belongs) stops the run with one line naming the endpoint.
PULL = {"number": int, "base": {"sha": str}, "head": {"sha": str}}
FILE = {"filename": str}
REVIEW = {"id": int}
COMMENT = {"id": int}
EVENT = OBJECT
TREE = {"tree": [{"path": str}]}
COMMIT_RE = re.compile(r"[0-9a-fA-F]{7,64}")


async def fetch_blob(gh, repo: str, sha: str) -> bytes:
    path = f"/repos/{repo}/git/blobs/{sha}"
    data = await gh.get(path, shape=OBJECT)
    try:
        return decode_content(data)
    except ValueError as err:  # binascii.Error too
        raise GitHubError(f"GitHub API GET {path}: unexpected response (the blob's content cannot be "
                          f"decoded: {err})") from None


def decode_content(data) -> bytes:
    if isinstance(data, dict) and data.get("encoding") == "base64":
        return base64.b64decode(data.get("content") or "")
    if isinstance(data, dict) and isinstance(data.get("content"), str) and data.get("encoding") in ("utf-8", "utf8"):
        return data["content"].encode("utf-8")
    raise ValueError("unexpected content encoding")


async def fetch_at(gh, repo: str, path: str, sha: str, local: LocalRepo | None) -> bytes | None:
    """A file's bytes at a commit: local git objects when present, else the Contents API."""
    if local is not None and local.has_commit(sha):
        data = local.show(sha, path)
        if data is not None:
            return data
    try:
        data = await gh.get(f"/repos/{repo}/contents/{quote_path(path)}?ref={sha}", shape=(dict, list))
    except GitHubError as err:
        if err.status == 404:
            return None
        raise
    if isinstance(data, dict) and data.get("encoding") == "none" and isinstance(data.get("sha"), str) and data["sha"]:
        return await fetch_blob(gh, repo, data["sha"])  # over 1 MB: the Contents API leaves it out
    try:
        return decode_content(data)
    except ValueError:
        return None


async def file_change(gh, repo: str, entry: dict, pull: dict, folder: PepFolder, local) -> FileChange:
    status = entry.get("status")
    path = entry["filename"]
    previous = entry.get("previous_filename") if status == "renamed" else None
    base_sha = pull["base"]["sha"]
    base_path = previous or path
    base = None
    if status not in ("added", "copied") and (status != "renamed" or folder.holds(previous)):
        base = await fetch_at(gh, repo, base_path, base_sha, local)
    head = await head_bytes(gh, repo, entry, base)
    if status == "renamed" and not folder.holds(previous):
        return FileChange(path, None, head)  # moved into the folder: new here
    if status == "renamed" and not folder.holds(path):
        return FileChange(previous, base, None)  # moved out of the folder: gone from here
    return FileChange(path, base, head, previous)


async def head_bytes(gh, repo: str, entry: dict, base: bytes | None) -> bytes | None:
    """A changed file's bytes at head: its base with the listed patch applied when that gives the
    listed blob, else the blob (one request); None for a removed file."""
    status = entry.get("status")
    if status == "removed":
        return None
    sha = entry.get("sha") or ""
    patch = entry.get("patch")
    if patch is not None:
        rebuilt = apply_patch(base or b"", patch)
        if rebuilt is not None and blob_sha(rebuilt) == sha:
            return rebuilt
    elif status == "renamed" and base is not None and blob_sha(base) == sha:
        return base  # a pure rename: no patch, same bytes
    return await fetch_blob(gh, repo, sha) if sha else None


async def config_change(gh, repo: str, files: list[dict], pull: dict, folder: PepFolder, local) -> FileChange | None:
    """The project's configuration file at base and head, when the pull request changes it (moving
    or deleting it counts as a change); None when it does not, or the configuration's path is not
    known (no local checkout)."""
    path = folder.config_path
    if not path:
        return None
    entry = next((e for e in files if path in (e.get("filename"), e.get("previous_filename"))), None)
    if entry is None:
        return None
    moved_away = entry.get("status") == "renamed" and entry.get("previous_filename") == path
    base = None
    if entry.get("status") not in ("added", "copied") or moved_away:
        base = await fetch_at(gh, repo, path, pull["base"]["sha"], local)
    head = None if moved_away else await head_bytes(gh, repo, entry, base)
    return FileChange(path, base, head)


async def base_numbers(gh, repo: str, base_sha: str, folder: PepFolder, local, skip: set[str]) -> dict[int, list[str]]:
    """PEP numbers on the base branch -> paths (local checkout, else one Git Trees request)."""
    names = local.pep_names() if local is not None else None
    if names is not None:
        prefix = folder.path + "/" if folder.path else ""
        paths = [prefix + n for n in names]
    else:
        tree = await gh.get(f"/repos/{repo}/git/trees/{base_sha}?recursive=1", shape=TREE)
        paths = [e["path"] for e in tree["tree"] if e.get("type") == "blob"]
    table: dict[int, list[str]] = {}
    for path in paths:
        if path in skip or not folder.holds(path):
            continue
        number = number_from_filename(path)
        if number is not None:
            table.setdefault(number, []).append(path)
    return table


async def open_pr_numbers(gh, repo: str, number: int, folder: PepFolder, pulls: list[dict] | None = None) -> dict[int, set[int]]:
    """For every other open pull request, the PEP numbers its new files use (one files request each)."""
    if pulls is None:
        pulls = await gh.get_all(f"/repos/{repo}/pulls?state=open", item=PULL)
    others = [p["number"] for p in pulls if p.get("number") != number]
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(other: int):
        async with limit:
            files = await gh.get_all(f"/repos/{repo}/pulls/{other}/files", item=FILE)
        return other, new_numbers(files, folder)

    found = await asyncio.gather(*(one(o) for o in others))
    return {other: numbers for other, numbers in found if numbers}


def new_numbers(files: list[dict], folder: PepFolder) -> set[int]:
    """PEP numbers that the files of a pull request bring in (added, or renamed to a new number)."""
    numbers = set()
    for entry in files:
        path = entry.get("filename")
        if not folder.holds(path):
            continue
        status = entry.get("status")
        number = number_from_filename(path)
        if number is None:
            continue
        if status in ("added", "copied"):
            numbers.add(number)
        elif status == "renamed":
            previous = entry.get("previous_filename")
            if not folder.holds(previous) or number_from_filename(previous) != number:
                numbers.add(number)
    return numbers


class IssueEvents:
    """The pull request's issue events (``GET /repos/{owner}/{repo}/issues/{number}/events``),
    read at most once however many ask; a failure is raised to each of them."""

    def __init__(self, gh, repo: str, number: int):
        self.path = f"/repos/{repo}/issues/{number}/events"
        self._gh = gh
        self._task = None

    async def get(self) -> list:
        if self._task is None:
            self._task = asyncio.ensure_future(self._gh.get_all(self.path, item=EVENT))
        return await self._task


def text_or_empty(value) -> str:
    return value if isinstance(value, str) else ""


def to_dismissals(events) -> list[Dismissal]:
    """The ``review_dismissed`` events as facts; events with missing or odd fields are skipped
    (their review then stands as a change request), and an unknown actor is left empty."""
    found = []
    for event in events or ():
        if not isinstance(event, dict) or event.get("event") != "review_dismissed":
            continue
        info = event.get("dismissed_review")
        review_id = info.get("review_id") if isinstance(info, dict) else None
        if not isinstance(review_id, int) or isinstance(review_id, bool):
            continue
        actor = event.get("actor")
        login = text_or_empty(actor.get("login")) if isinstance(actor, dict) else ""
        found.append(Dismissal(review_id, login, text_or_empty(event.get("created_at")),
                               text_or_empty(info.get("state")), text_or_empty(info.get("dismissal_message"))))
    return found


async def read_dismissals(events: IssueEvents) -> tuple[list[Dismissal], list[str]]:
    """(who dismissed which review, notes): one request, made only when a review is dismissed."""
    try:
        return to_dismissals(await events.get()), []
    except GitHubError as err:
        if err.status not in (403, 404):
            raise
        return [], [f"the pull request's events could not be read ({err}), so who dismissed its dismissed reviews is "
                    "unknown: each counts as a change request that still stands until its author approves or resolves it"]


async def read_snapshots(gh, repo: str, wanted, local: LocalRepo | None) -> dict:
    """(commit, path) -> the file's bytes at that commit, None when it cannot be read there (a
    commit GitHub no longer has, a path missing at it). ``wanted``: (commit, paths to try in order),
    from ``pepctl.review.snapshots_wanted``; the local checkout first, else the Contents API."""
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(commit: str, paths) -> dict:
        found = {}
        for path in paths:
            data = None
            if COMMIT_RE.fullmatch(commit or ""):
                async with limit:
                    try:
                        data = await fetch_at(gh, repo, path, commit, local)
                    except GitHubError as err:
                        if err.status not in (404, 422):
                            raise
            found[(commit, path)] = data
            if data is not None:
                break
        return found

    snapshots: dict = {}
    for part in await asyncio.gather(*(one(commit, paths) for commit, paths in wanted)):
        snapshots.update(part)
    return snapshots
