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

When the first-feedback clock runs (a PEP of a ready pull request is Under
Review at head), the adapter also says when review started
(``Facts.under_review_since``), at no cost or one request:

- a PEP already Under Review on the base branch entered review with the
  commit that set that status there: one ``git log`` pass over the local
  checkout (pepctl.history), no request;
- a PEP that this pull request brings into review (new, or moved from Draft)
  entered it when the gate first saw it so, on a pull request ready for
  review. The gate keeps that moment in a hidden marker of its summary
  comment (already read with the comments: no request). Without a marker,
  the ``pep: under review`` label tells: the gate adds it the first time it
  sees the PEP under review, so a pull request without it is seen under
  review for the first time now (or, when the gate never labelled it at all,
  since it was opened), and one with it costs one request to the issue events
  list, for when the label was added and the pull request last marked ready
  for review. The issue events list is used rather than the timeline because
  it holds no comments or reviews: one page where the timeline of a busy pull
  request takes several.

What cannot be known (no checkout, a shallow clone, git missing) falls back to
the pull request's creation and is said in the notes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import subprocess
import threading
import time

from pepctl.corpus import is_pep_file, is_pep_name
from pepctl.model import number_from_filename, pep_label
from pepctl.review import LABEL_PREFIX, UNDER_REVIEW, is_managed_label
from pepctl.review.facts import Comment, Facts, FileChange, PullRequest, Review
from pepctl.review.summary import SUMMARY_MARKER

# The account a workflow's GITHUB_TOKEN posts as; PEPCTL_BOT_LOGIN names another.
DEFAULT_BOT_LOGIN = "github-actions[bot]"
# The engine writes the summary's marker and each answer's (``<!-- pepctl-answer KEY -->``);
# reminders carry the date they were posted.
REMINDER_MARKER = "<!-- pepctl:reminder:{date} -->"
ANSWER_RE = re.compile(r"<!-- pepctl-answer (\S+) -->")
REMINDER_RE = re.compile(r"<!-- pepctl:reminder:(\d{4}-\d{2}-\d{2}) -->")
# The summary comment remembers when the pull request brought its PEP into review.
SINCE_MARKER = "<!-- pepctl:under-review-since {since} -->"
SINCE_RE = re.compile(r"<!-- pepctl:under-review-since (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) -->")
HUNK_RE = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
CONCURRENCY = 8

# What pepctl relies on in GitHub's answers (shapes for pepctl.github.client.shape_problem):
# every read goes through the client with one of these, so a wrong answer (a proxy's HTML
# page, an error object where a list belongs) stops the run with one line naming the endpoint.
OBJECT: dict = {}
PULL = {"number": int, "base": {"sha": str}, "head": {"sha": str}}
FILE = {"filename": str}
REVIEW = {"id": int}
COMMENT = {"id": int}
EVENT = OBJECT
TREE = {"tree": [{"path": str}]}


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
        return folder == self.path and is_pep_file(name, self.template, self.exclude)


# -- a local checkout, read as data -------------------------------------------------------


class LocalRepo:
    """A local git checkout (the base branch), used to save API requests.

    Only object reads: ``git cat-file`` and ``git show <sha>:<path>``; nothing
    from the pull request is checked out, installed or run.
    """

    def __init__(self, root: str, pep_dir: str | None = None):
        self.root = root
        self.pep_dir = pep_dir
        self._history = None  # (History or None, error message or None), read once
        self._history_lock = threading.Lock()

    @classmethod
    def find(cls, pep_dir: str | None) -> LocalRepo | None:
        from pepctl.fsutil import git_root

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

    def history(self, folder: PepFolder):
        """Status timelines of the checked-out PEP folder: (History, None), or (None, why not).

        One ``git log`` pass, made once however many pull requests ask.
        """
        with self._history_lock:
            if self._history is None:
                self._history = self._read_history(folder)
            return self._history

    def _read_history(self, folder: PepFolder):
        if self.pep_dir is None:
            return None, "the PEP folder is not in the local checkout"
        from pepctl.config import ConfigError
        from pepctl.history import read_history

        prefix = folder.path + "/" if folder.path else ""
        try:
            return read_history(self.pep_dir, lambda name: folder.holds(prefix + name)), None
        except (ConfigError, OSError) as err:  # GitError is a ConfigError
            return None, str(err)

    def pep_names(self) -> list[str] | None:
        """PEP file names in the checked-out PEP folder (the base branch in CI)."""
        if self.pep_dir is None:
            return None
        try:
            return sorted(n for n in os.listdir(self.pep_dir) if is_pep_name(n))
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
        self.summary: dict | None = None  # the oldest, when concurrent runs created several
        self.extra_summaries: list[dict] = []  # the others: the next run deletes them
        self.answered: set[str] = set()  # keys of the answers already posted
        self.reminders: list[str] = []  # dates (YYYY-MM-DD)
        self.ids: set[int] = set()
        self.review_since: str | None = None  # as the summary recorded it (SINCE_MARKER)


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
    own = OwnComments()
    summaries = []
    for comment in comments:
        body = text_of(comment.get("body"))
        if "<!-- pepctl" not in body or not is_trusted(comment.get("user"), trusted_logins):
            continue
        own.ids.add(comment["id"])
        if SUMMARY_MARKER in body:
            summaries.append(comment)
        own.answered.update(ANSWER_RE.findall(body))
        own.reminders.extend(REMINDER_RE.findall(body))
    if summaries:
        # Two gate runs started at once may each have created one: keep the oldest (GitHub's
        # comment ids grow with time), and publish deletes the others.
        summaries.sort(key=lambda c: c["id"])
        own.summary, own.extra_summaries = summaries[0], summaries[1:]
        since = SINCE_RE.search(text_of(own.summary.get("body")))
        own.review_since = since.group(1) if since else None
    return own


class Gathered:
    """Facts for the engine plus what publishing needs (raw payloads, our own comments)."""

    def __init__(self, repo: str, facts: Facts, pull: dict, comments: list[dict], own: OwnComments,
                 notes: list[str], review_since: str | None = None):
        self.repo = repo
        self.facts = facts
        self.pull = pull
        self.comments = comments
        self.own = own
        self.notes = notes  # things the gate could not read, said plainly
        self.review_since = review_since  # for the summary's SINCE_MARKER: when this PR brought a PEP into review

    @property
    def number(self) -> int:
        return self.pull["number"]


def login_of(user: dict | None) -> str:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else "ghost"


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
        Comment(c["id"], login_of(c.get("user")), text_of(c.get("body")), text_of(c.get("created_at")),
                c.get("updated_at") if isinstance(c.get("updated_at"), str) else None)
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


# -- when review started -----------------------------------------------------------------


def to_utc(stamp: str | None) -> str | None:
    """An ISO 8601 timestamp (any offset) as GitHub writes UTC ones, or None when unreadable."""
    import datetime

    from pepctl.timestamps import parse_instant

    moment = parse_instant(stamp) if isinstance(stamp, str) else None
    if moment is None:
        return None
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def label_names(pull: dict) -> list[str]:
    return [label.get("name") or "" for label in pull.get("labels") or [] if isinstance(label, dict)]


def _read_pep(data: bytes | None, path: str):
    if data is None:
        return None
    from pepctl.document import Document, DocumentError
    from pepctl.model import Pep

    try:
        return Pep(Document.from_bytes(data, path), path)
    except DocumentError:
        return None


class UnderReview:
    """The PEPs of a pull request that are Under Review at head, by where their review began.

    ``on_base``: (label, file name at base) of PEPs already Under Review on the
    base branch; ``here``: labels of PEPs this pull request brings into review
    (new ones, and ones moved from another status or unreadable at base).
    Like the engine, the index document counts only when it is all there is.
    """

    def __init__(self, changes: list[FileChange], policy):
        self.on_base: list[tuple[str, str]] = []
        self.here: list[str] = []
        under_review = policy.canonical(UNDER_REVIEW)
        if not under_review:
            return
        index_name = os.path.basename((policy.config.index_file or "").replace("\\", "/"))
        subjects, index_docs = [], []
        for change in changes:
            if change.head is None:
                continue
            head = _read_pep(change.head, change.path)
            base = _read_pep(change.base, change.previous_path or change.path)
            number = next((p.number for p in (head, base) if p is not None and p.number is not None),
                          number_from_filename(change.path))
            name = change.path.rsplit("/", 1)[-1]
            entry = (change, head, base, number)
            (index_docs if number == 0 or (index_name and name == index_name) else subjects).append(entry)
        for change, head, base, number in subjects or index_docs:
            if head is None or not head.status or policy.canonical(head.status) != under_review:
                continue
            label = pep_label(number) if number is not None else change.path.rsplit("/", 1)[-1]
            if base is not None and base.status and policy.canonical(base.status) == under_review:
                self.on_base.append((label, (change.previous_path or change.path).rsplit("/", 1)[-1]))
            else:
                self.here.append(label)

    def __bool__(self) -> bool:
        return bool(self.on_base or self.here)


def start_in_pull(pull: dict, events: list | None, label: str, now: str) -> str | None:
    """When this pull request brought its PEP into review (UTC ISO), from its labels and issue events.

    ``label`` is the gate's ``pep: under review``; the gate adds it the first
    time it sees the PEP under review (whether the pull request is a draft or
    not), so:

    - not on the pull request yet, while another ``pep: `` label is: the gate
      saw another status before, and the PEP enters review with this run: ``now``;
    - no ``pep: `` label at all: the gate never labelled it; the PEP has been
      under review since the pull request was opened (as far as anyone knows);
    - on the pull request: when it was last added, unless it was the first
      ``pep: `` label ever added (the PEP arrived under review: since the pull
      request was opened);

    and never before the pull request was last marked ready for review.
    """
    created = to_utc(pull.get("created_at"))
    names = {name.casefold() for name in label_names(pull)}
    if label not in names:
        return now if any(is_managed_label(name) for name in names) else created
    first_label = last_label = ready = None
    stamped = []
    for event in events or ():
        at = to_utc(event.get("created_at")) if isinstance(event, dict) else None
        if at is not None:
            number = event.get("id")
            stamped.append((at, number if isinstance(number, int) else 0, event))
    stamped.sort(key=lambda item: item[:2])
    for at, _, event in stamped:
        kind = event.get("event")
        if kind == "labeled":
            name = ((event.get("label") or {}).get("name") or "").casefold()
            if is_managed_label(name) and first_label is None:
                first_label = at
            if name == label:
                last_label = at
        elif kind == "ready_for_review":
            ready = at
    start = created
    if last_label is not None and first_label is not None and last_label > first_label:
        start = last_label
    if ready is not None and (start is None or ready > start):
        start = ready
    return start


def entered_on_base(history, name: str, policy) -> str | None:
    """When file ``name`` of the PEP folder last became Under Review on the checked-out branch."""
    under_review = policy.canonical(UNDER_REVIEW)
    when = None
    for change in history.changes:
        if os.path.basename(change.path) == name and change.new and policy.canonical(change.new) == under_review:
            when = change.date
    return to_utc(when)


class Started:
    """When review started, as ``review_started`` found it."""

    __slots__ = ("since", "here", "notes")

    def __init__(self, since: str | None = None, here: str | None = None, notes: list[str] | None = None):
        self.since = since  # Facts.under_review_since: the earliest start of the clock's PEPs
        self.here = here  # when this pull request brought a PEP into review: kept in the summary
        self.notes = notes or []


async def review_started(gh, repo: str, pull: dict, changes: list[FileChange], policy, folder: PepFolder,
                         local: LocalRepo | None, now: str, recorded: str | None = None) -> Started:
    """When the PEPs of the first-feedback clock entered review.

    Nothing is read unless the clock runs (a ready pull request with a PEP
    Under Review at head). With several such PEPs the earliest start counts.
    ``recorded`` is the start the summary comment kept from an earlier run.
    """
    if pull.get("draft"):
        return Started()
    found = UnderReview(changes, policy)
    if not found:
        return Started()
    created = to_utc(pull.get("created_at"))
    starts: list[str | None] = []
    notes: list[str] = []
    here = None
    if found.here and recorded:
        here = recorded
    elif found.here:
        label = LABEL_PREFIX + policy.canonical(UNDER_REVIEW).casefold()
        events = None
        if label in {name.casefold() for name in label_names(pull)}:
            from pepctl.github.client import GitHubError

            try:
                events = await gh.get_all(f"/repos/{repo}/issues/{pull['number']}/events", item=EVENT)
            except GitHubError as err:
                if err.status not in (403, 404):
                    raise
                notes.append(f"{', '.join(found.here)}: the pull request's events could not be read ({err}); "
                             "the first-feedback clock counts from when the pull request was opened")
        here = start_in_pull(pull, events, label, now)
    starts.append(here)
    if found.on_base:
        if local is None:
            history, error = None, "there is no local git checkout of the base branch"
        else:
            history, error = await asyncio.to_thread(local.history, folder)
        for label, name in found.on_base:
            when = entered_on_base(history, name, policy) if history is not None else None
            if when is not None:
                starts.append(when)
                continue
            if error is None and history.warning:
                why = (f"the checkout's history is shallow ({history.warning}); in a workflow, check out "
                       "with `fetch-depth: 0`")
            elif error is None:
                why = "no commit of the base branch's history sets its status to Under Review"
            else:
                why = f"git history could not be read: {error}"
            notes.append(f"{label} was already under review on the base branch, but when it entered review is "
                         f"unknown: {why}. The first-feedback clock counts from when the pull request was opened.")
            starts.append(created)
    known = [start for start in starts if start]
    return Started(min(known) if known else None, here, notes)


# -- requests -----------------------------------------------------------------------------


async def fetch_blob(gh, repo: str, sha: str) -> bytes:
    from pepctl.github.client import GitHubError

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
    from pepctl.github.client import GitHubError

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
            gh.get_all(f"{base}/pulls/{number}/files", item=FILE),
            gh.get_all(f"{base}/pulls/{number}/reviews", item=REVIEW),
            gh.get_all(f"{base}/issues/{number}/comments", item=COMMENT),
            (gh.get_all(f"{base}/pulls?state=open", item=PULL) if collisions
             else gh.get(f"{base}/pulls/{number}", shape=PULL)),
        ]
        files, reviews, comments, listed = await asyncio.gather(*wanted)
        if collisions:
            open_pulls = listed
            pull = next((p for p in listed if p.get("number") == number), None)
            if pull is None:  # closed or merged: not in the list
                pull = await gh.get(f"{base}/pulls/{number}", shape=PULL)
        else:
            pull = listed
    else:
        files = await gh.get_all(f"{base}/pulls/{number}/files", item=FILE)
        if not any(folder.holds(e.get("filename")) or folder.holds(e.get("previous_filename")) for e in files):
            return None
        reviews, comments = await asyncio.gather(
            gh.get_all(f"{base}/pulls/{number}/reviews", item=REVIEW),
            gh.get_all(f"{base}/issues/{number}/comments", item=COMMENT),
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

    now = now or utc_now()
    own = find_own(comments, trusted_logins)
    started = await review_started(gh, repo, pull, changes, policy, folder, local, now, own.review_since)
    notes += started.notes
    facts = Facts(
        policy,
        to_pull(pull),
        changes,
        reviews=to_reviews(reviews),
        comments=to_comments(comments, own),
        base_numbers=numbers_on_base,
        open_pr_numbers=numbers_in_prs,
        under_review_since=started.since,
        now=now,
    )
    return Gathered(repo, facts, pull, comments, own, notes, started.here)
