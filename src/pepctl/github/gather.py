"""Collect the review engine's Facts about one pull request, in few requests.

For a pull request the gate needs, in three rounds of concurrent requests:

1. the list of open pull requests (which holds this one, so it is not asked
   for separately; a closed one is), its files (paginated), its reviews and
   its issue comments;
2. the PEP files at base and head, and (only when the pull request adds a PEP
   number and there is no local checkout) the base branch's tree;
3. the files of each other open pull request, for their new PEP numbers.

PEP file contents are data, never code: the head's version of an added or
edited file is rebuilt from the ``patch`` that the files listing already
carries and checked against the blob id GitHub reports, and only when that does
not work is it fetched (Git Blobs API). The base version comes from the local
checkout (``git show <sha>:<path>``, reading an object, running nothing) when
that commit is there, else from the Contents API.
"""

from __future__ import annotations

import asyncio
import base64
import fnmatch
import hashlib
import os
import re
import subprocess
import time

from pepctl.model import number_from_filename
from pepctl.review.facts import Comment, Facts, FileChange, PullRequest, Review
from pepctl.review.summary import SUMMARY_MARKER

# The engine writes the summary's marker and each answer's (``<!-- pepctl-answer KEY -->``);
# reminders carry the date they were posted.
REMINDER_MARKER = "<!-- pepctl:reminder:{date} -->"
ANSWER_RE = re.compile(r"<!-- pepctl-answer (\S+) -->")
REMINDER_RE = re.compile(r"<!-- pepctl:reminder:(\d{4}-\d{2}-\d{2}) -->")
HUNK_RE = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
CONCURRENCY = 8


def quote_path(path: str) -> str:
    import urllib.parse

    return urllib.parse.quote(path, safe="/")


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# -- where the PEP files are --------------------------------------------------------------


class PepFolder:
    """The PEP folder as a path inside the repository, and which names in it are PEPs."""

    def __init__(self, path: str, template: str = "PEP-TEMPLATE.md", exclude=()):
        self.path = path.strip("/").replace(os.sep, "/")
        if self.path == ".":
            self.path = ""
        self.template = os.path.basename(template)
        self.exclude = list(exclude)

    @classmethod
    def from_config(cls, config, pep_dir: str | None = None, root: str | None = None) -> PepFolder:
        """The folder from a local checkout (repository-relative), else the config, else docs/peps."""
        path = "docs/peps"
        if pep_dir is not None and root is not None:
            rel = os.path.relpath(os.path.realpath(pep_dir), os.path.realpath(root))
            if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
                path = rel
        elif config.pep_dir:
            path = config.pep_dir
        return cls(path, config.template, config.exclude)

    def holds(self, path: str | None) -> bool:
        """True when ``path`` (repository-relative) is a PEP file of this folder."""
        if not path:
            return False
        folder, _, name = path.rpartition("/")
        if folder != self.path or not (name.startswith("PEP-") and name.endswith(".md")):
            return False
        if name == self.template:
            return False
        return not any(fnmatch.fnmatch(name, pattern) for pattern in self.exclude)


# -- a local checkout, read as data -------------------------------------------------------


class LocalRepo:
    """A local git checkout (the base branch), used to save API requests.

    Only object reads: ``git cat-file`` and ``git show <sha>:<path>``; nothing
    from the pull request is checked out, installed or run.
    """

    def __init__(self, root: str, pep_dir: str | None = None):
        self.root = root
        self.pep_dir = pep_dir

    @classmethod
    def find(cls, pep_dir: str | None) -> LocalRepo | None:
        from pepctl.corpus import git_root

        start = pep_dir if pep_dir and os.path.isdir(pep_dir) else os.getcwd()
        root = git_root(start)
        if root is None:
            return None
        return cls(root, pep_dir if pep_dir and os.path.isdir(pep_dir) else None)

    def _git(self, *args: str) -> subprocess.CompletedProcess | None:
        env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
        try:
            return subprocess.run(["git", *args], cwd=self.root, capture_output=True, env=env, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None

    def has_commit(self, sha: str) -> bool:
        if not re.fullmatch(r"[0-9a-f]{40}", sha or ""):
            return False
        done = self._git("cat-file", "-e", f"{sha}^{{commit}}")
        return done is not None and done.returncode == 0

    def show(self, sha: str, path: str) -> bytes | None:
        """The bytes of ``path`` at ``sha``, or None when git does not have them."""
        done = self._git("cat-file", "blob", f"{sha}:{path}")
        if done is None or done.returncode != 0:
            return None
        return done.stdout

    def pep_names(self) -> list[str] | None:
        """PEP file names in the checked-out PEP folder (the base branch in CI)."""
        if self.pep_dir is None:
            return None
        try:
            return sorted(n for n in os.listdir(self.pep_dir) if n.startswith("PEP-") and n.endswith(".md"))
        except OSError:
            return None


# -- patches ------------------------------------------------------------------------------


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _lines(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def apply_patch(old: bytes, patch: str) -> bytes | None:
    """Apply the hunks of a unified diff (as in a file entry's ``patch``) to ``old``.

    Returns None when the patch does not fit; callers check the result against
    the blob id anyway, so a wrong rebuild is never used.
    """
    source = _lines(old)
    out: list[bytes] = []
    pos = 0
    last = None  # kind of the last hunk line: ' ', '+' or '-'
    lines = patch.split("\n")
    i = 0
    try:
        while i < len(lines):
            header = HUNK_RE.match(lines[i])
            if header is None:
                if lines[i] == "" and i == len(lines) - 1:
                    break
                return None
            start, length = int(header.group(1)), int(header.group(2) or 1)
            begin = start if length == 0 else start - 1
            if begin < pos or begin > len(source):
                return None
            out.extend(source[pos:begin])
            pos = begin
            i += 1
            while i < len(lines) and not lines[i].startswith("@@"):
                line = lines[i]
                kind, text = line[:1], line[1:].encode("utf-8")
                if kind in (" ", "-"):
                    if pos >= len(source) or source[pos].removesuffix(b"\n") != text:
                        return None
                    if kind == " ":
                        out.append(source[pos])
                    pos += 1
                    last = kind
                elif kind == "+":
                    out.append(text + b"\n")
                    last = kind
                elif kind == "\\":
                    if last in (" ", "+") and out and out[-1].endswith(b"\n"):
                        out[-1] = out[-1][:-1]
                elif line == "" and i == len(lines) - 1:
                    pass
                else:
                    return None
                i += 1
        out.extend(source[pos:])
    except UnicodeEncodeError:
        return None
    return b"".join(out)


# -- the gathered state -------------------------------------------------------------------


class OwnComments:
    """What pepctl wrote on the pull request before, found by its hidden markers."""

    def __init__(self):
        self.summary: dict | None = None
        self.answered: set[str] = set()  # keys of the answers already posted
        self.reminders: list[str] = []  # dates (YYYY-MM-DD)
        self.ids: set[int] = set()


def is_trusted(user: dict | None, trusted_logins=()) -> bool:
    """Markers count only in comments by a bot account (or a login named in PEPCTL_BOT_LOGIN):
    anyone can type the marker into a comment, nobody can post as a bot."""
    if not user:
        return False
    login = (user.get("login") or "").casefold()
    return user.get("type") == "Bot" or login in {t.casefold() for t in trusted_logins}


def trusted_logins_from_env(env=None) -> list[str]:
    env = os.environ if env is None else env
    return [x.strip() for x in env.get("PEPCTL_BOT_LOGIN", "").split(",") if x.strip()]


def find_own(comments: list[dict], trusted_logins=()) -> OwnComments:
    own = OwnComments()
    for comment in comments:
        body = comment.get("body") or ""
        if "<!-- pepctl" not in body or not is_trusted(comment.get("user"), trusted_logins):
            continue
        own.ids.add(comment["id"])
        if SUMMARY_MARKER in body and own.summary is None:
            own.summary = comment
        own.answered.update(ANSWER_RE.findall(body))
        own.reminders.extend(REMINDER_RE.findall(body))
    return own


class Gathered:
    """Facts for the engine plus what publishing needs (raw payloads, our own comments)."""

    def __init__(self, repo: str, facts: Facts, pull: dict, comments: list[dict], own: OwnComments,
                 notes: list[str]):
        self.repo = repo
        self.facts = facts
        self.pull = pull
        self.comments = comments
        self.own = own
        self.notes = notes  # things the gate could not read, said plainly

    @property
    def number(self) -> int:
        return self.pull["number"]


def login_of(user: dict | None) -> str:
    return (user or {}).get("login") or "ghost"


def to_pull(pull: dict) -> PullRequest:
    return PullRequest(
        number=pull["number"],
        title=pull.get("title") or "",
        author=login_of(pull.get("user")),
        draft=bool(pull.get("draft")),
        created_at=pull.get("created_at") or "",
        base_sha=(pull.get("base") or {}).get("sha") or "",
        head_sha=(pull.get("head") or {}).get("sha") or "",
        labels=[label.get("name", "") for label in pull.get("labels") or [] if isinstance(label, dict)],
        url=pull.get("html_url") or "",
    )


def to_reviews(reviews: list[dict]) -> list[Review]:
    found = []
    for review in reviews:
        if not review.get("submitted_at") or (review.get("state") or "").upper() == "PENDING":
            continue
        found.append(Review(review["id"], login_of(review.get("user")), review.get("state") or "", review["submitted_at"]))
    found.sort(key=lambda r: (r.submitted_at, r.id))
    return found


def to_comments(comments: list[dict], own: OwnComments) -> list[Comment]:
    return [
        Comment(c["id"], login_of(c.get("user")), c.get("body") or "", c.get("created_at") or "", c.get("updated_at"))
        for c in comments
        if c["id"] not in own.ids
    ]


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


# -- requests -----------------------------------------------------------------------------


async def fetch_blob(gh, repo: str, sha: str) -> bytes:
    data = await gh.get(f"/repos/{repo}/git/blobs/{sha}")
    return decode_content(data)


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
    from pepctl.github.client import GitHubError

    try:
        data = await gh.get(f"/repos/{repo}/contents/{quote_path(path)}?ref={sha}")
    except GitHubError as err:
        if err.status == 404:
            return None
        raise
    if isinstance(data, dict) and data.get("encoding") == "none" and data.get("sha"):
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
    head = None
    if status != "removed":
        sha = entry.get("sha") or ""
        patch = entry.get("patch")
        if patch is not None:
            rebuilt = apply_patch(base or b"", patch)
            if rebuilt is not None and blob_sha(rebuilt) == sha:
                head = rebuilt
        elif status == "renamed" and base is not None and blob_sha(base) == sha:
            head = base  # a pure rename: no patch, same bytes
        if head is None and sha:
            head = await fetch_blob(gh, repo, sha)
    if status == "renamed" and not folder.holds(previous):
        return FileChange(path, None, head)  # moved into the folder: new here
    if status == "renamed" and not folder.holds(path):
        return FileChange(previous, base, None)  # moved out of the folder: gone from here
    return FileChange(path, base, head, previous)


async def base_numbers(gh, repo: str, base_sha: str, folder: PepFolder, local, skip: set[str]) -> dict[int, list[str]]:
    """PEP numbers on the base branch -> paths (local checkout, else one Git Trees request)."""
    names = local.pep_names() if local is not None else None
    if names is not None:
        prefix = folder.path + "/" if folder.path else ""
        paths = [prefix + n for n in names]
    else:
        tree = await gh.get(f"/repos/{repo}/git/trees/{base_sha}?recursive=1")
        paths = [e["path"] for e in tree.get("tree", []) if e.get("type") == "blob"]
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
        pulls = await gh.get_all(f"/repos/{repo}/pulls?state=open")
    others = [p["number"] for p in pulls if p.get("number") != number]
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(other: int):
        async with limit:
            files = await gh.get_all(f"/repos/{repo}/pulls/{other}/files")
        return other, new_numbers(files, folder)

    found = await asyncio.gather(*(one(o) for o in others))
    return {other: numbers for other, numbers in found if numbers}


async def gather(
    gh,
    repo: str,
    number: int,
    policy,
    folder: PepFolder,
    *,
    local: LocalRepo | None = None,
    collisions: bool = True,
    trusted_logins=(),
    now: str | None = None,
    pull: dict | None = None,
) -> Gathered | None:
    """Everything the engine needs about pull request ``number`` of ``repo`` ("owner/name").

    With ``pull`` (the pull request as listed), its files are read first and
    None comes back when it touches no PEP file, without reading the rest.
    """
    base = f"/repos/{repo}"
    open_pulls = None
    if pull is None:
        # The open pull requests' list holds this one too (when open) and is needed anyway
        # for the number-collision check, so it stands in for GET /pulls/{number}.
        wanted = [
            gh.get_all(f"{base}/pulls/{number}/files"),
            gh.get_all(f"{base}/pulls/{number}/reviews"),
            gh.get_all(f"{base}/issues/{number}/comments"),
            gh.get_all(f"{base}/pulls?state=open") if collisions else gh.get(f"{base}/pulls/{number}"),
        ]
        files, reviews, comments, listed = await asyncio.gather(*wanted)
        if collisions:
            open_pulls = listed
            pull = next((p for p in listed if p.get("number") == number), None)
            if pull is None:  # closed or merged: not in the list
                pull = await gh.get(f"{base}/pulls/{number}")
        else:
            pull = listed
    else:
        files = await gh.get_all(f"{base}/pulls/{number}/files")
        if not any(folder.holds(e.get("filename")) or folder.holds(e.get("previous_filename")) for e in files):
            return None
        reviews, comments = await asyncio.gather(
            gh.get_all(f"{base}/pulls/{number}/reviews"),
            gh.get_all(f"{base}/issues/{number}/comments"),
        )
    notes = []
    if len(files) >= 3000:
        notes.append("GitHub lists at most 3000 files of a pull request; PEP files beyond those were not seen")
    peps = [e for e in files if folder.holds(e.get("filename")) or
            (e.get("status") == "renamed" and folder.holds(e.get("previous_filename")))]
    added = new_numbers(files, folder)
    skip = {e["filename"] for e in peps if e.get("status") in ("added", "copied", "renamed")}
    limit = asyncio.Semaphore(CONCURRENCY)

    async def change(entry):
        async with limit:
            return await file_change(gh, repo, entry, pull, folder, local)

    jobs = [asyncio.gather(*(change(e) for e in peps))]
    want_collisions = collisions and bool(added)
    if want_collisions:
        jobs.append(base_numbers(gh, repo, pull["base"]["sha"], folder, local, skip))
        jobs.append(open_pr_numbers(gh, repo, number, folder, open_pulls))
    results = await asyncio.gather(*jobs)
    changes = list(results[0])
    numbers_on_base = results[1] if want_collisions else {}
    numbers_in_prs = results[2] if want_collisions else {}

    own = find_own(comments, trusted_logins)
    facts = Facts(
        policy,
        to_pull(pull),
        changes,
        reviews=to_reviews(reviews),
        comments=to_comments(comments, own),
        base_numbers=numbers_on_base,
        open_pr_numbers=numbers_in_prs,
        now=now or utc_now(),
    )
    return Gathered(repo, facts, pull, comments, own, notes)
