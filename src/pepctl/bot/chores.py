"""The chores PEP-0000 §6 leaves after a decision, done by the App.

- A merged pull request that sets a PEP to Accepted: one tracking issue (``PEP-NNNN: <title>
  — implementation``) and one pull request that fills the PEP's Tracking Issue field and
  moves it to Implementing (the index row too).
- Pull requests saying "Part of PEP-NNNN": one checklist comment on the tracking issue,
  ticked as they merge.
- The tracking issue closed: one pull request moving the PEP to Complete (a person fills in
  Target Release, which the gate then asks for).
- An index table that is stale on the default branch: one pull request regenerating it.
- A PEP pull request closed without merging: one comment with the two ways PEP-0000 keeps
  the record (Declined, Withdrawn), and a label.

Every chore is idempotent, found again on GitHub rather than remembered: the tracking issue
and comments by hidden markers in the App's own posts, the pull requests by their branch
(``pepctl/...``). A chore that dies half way is finished by the next run, never doubled.
Edits are pepctl's own lossless ones (``Document.set_field``/``add_field``,
``pepctl.index``), so every other byte of a file stays as it was; the pull requests they open
are then gated like any other.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import tempfile

from pepctl.document import Document, DocumentError
from pepctl.github.client import API_VERSION, quote_path
from pepctl.github.errors import GitHubError
from pepctl.github.markers import is_trusted, label_names, text_of
from pepctl.github.reads import COMMENT, PULL, fetch_at
from pepctl.model import number_from_filename, pep_label
from pepctl.review.peps import canonical

TRACKING_MARKER = "<!-- pepctl:tracking {label} -->"
TRACKING_RE = re.compile(r"<!-- pepctl:tracking (PEP-\d+) -->")
CHECKLIST_MARKER = "<!-- pepctl:implementation-checklist -->"
CLOSED_MARKER = "<!-- pepctl:closed-unmerged -->"
CLOSED_LABEL = "pep: closed without a decision"
PART_OF_RE = re.compile(r"\bpart of (PEP-?(\d{1,5}))\b", re.IGNORECASE)
TRACKING_FIELD = "Tracking Issue"
RELEASE_FIELD = "Target Release"
INDEX_BRANCH = "pepctl/index"


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def mentioned(pull: dict) -> list[str]:
    """The PEPs a pull request says it is part of ("Part of PEP-0042"), as labels."""
    text = f"{pull.get('title') or ''}\n{pull.get('body') or ''}"
    return sorted({pep_label(int(m.group(2))) for m in PART_OF_RE.finditer(text)})


# -- edits (pure) ----------------------------------------------------------------------------


def with_fields(data: bytes, path: str, status: str, fields: dict[str, str]) -> bytes:
    """The PEP's bytes with Status set and each field given a value (added after Status when
    missing); every other byte as it was."""
    document = Document.from_bytes(data, path)
    document.set_field("Status", status)
    after = "Status"
    for name, value in fields.items():
        if document.field(name) is not None:
            if value or not document.get(name):
                document.set_field(name, value)
        else:
            document.add_field(name, value, after)
        after = name
    return document.to_bytes()


def index_with_status(data: bytes, path: str, number: int, status: str) -> bytes:
    from pepctl.index import with_status

    document = Document.from_bytes(data, path)
    text = with_status(document, number, status)
    return data if text is None else Document(text, path, document.bom).to_bytes()


# -- GitHub plumbing -------------------------------------------------------------------------


class Repo:
    """One repository's chores, through an installation's client."""

    def __init__(self, gh, name: str, branch: str, policy, folder, login: str):
        self.gh = gh
        self.name = name
        self.owner = name.split("/")[0]
        self.branch = branch
        self.policy = policy
        self.folder = folder
        self.login = login

    @property
    def base(self) -> str:
        return f"/repos/{self.name}"

    async def own_comments(self, number: int, marker: str) -> list[dict]:
        comments = await self.gh.get_all(f"{self.base}/issues/{number}/comments", item=COMMENT)
        return [c for c in comments if marker in text_of(c.get("body")) and is_trusted(c.get("user"), [self.login])]

    async def tracking_issue(self, label: str) -> dict | None:
        """The App's tracking issue of a PEP (open or closed), found by its marker."""
        marker = TRACKING_MARKER.format(label=label)
        issues = await self.gh.get_all(f"{self.base}/issues?state=all&creator={quote_path(self.login)}")
        found = [i for i in issues if "pull_request" not in i and marker in text_of(i.get("body"))
                 and is_trusted(i.get("user"), [self.login])]
        return min(found, key=lambda i: i["number"]) if found else None

    async def pep_path(self, number: int) -> str | None:
        """The path of PEP ``number`` on the default branch (a folder listing)."""
        listing = await self.listing()
        found = [p for p in listing if number_from_filename(p) == number and self.folder.holds(p)]
        return found[0] if len(found) == 1 else None

    async def listing(self) -> list[str]:
        path = self.folder.path or ""
        try:
            data = await self.gh.get(f"{self.base}/contents/{quote_path(path)}?ref={self.branch}", shape=(list, dict))
        except GitHubError as err:
            if err.status == 404:
                return []
            raise
        return [e["path"] for e in data if isinstance(e, dict) and isinstance(e.get("path"), str)] \
            if isinstance(data, list) else []

    async def index_path(self) -> str | None:
        config = self.policy.config
        if config.index_file:
            return f"{self.folder.path}/{config.index_file}".lstrip("/")
        found = [p for p in await self.listing() if number_from_filename(p) == 0]
        return found[0] if found else None

    async def change_pr(self, branch: str, edits: dict, title: str, body: str) -> tuple[str, int | None]:
        """One pull request from ``branch`` making ``edits`` (path -> function of the file's bytes
        on the branch), unless one from that branch exists. ("exists"|"opened"|"nothing", number)."""
        listed = await self.gh.get_all(f"{self.base}/pulls?state=all&head={quote_path(self.owner)}:{quote_path(branch)}",
                                       item=PULL)
        if listed:
            return "exists", listed[0]["number"]
        try:
            await self.gh.get(f"{self.base}/git/ref/heads/{quote_path(branch)}")
        except GitHubError as err:
            if err.status != 404:
                raise
            tip = await self.gh.get(f"{self.base}/git/ref/heads/{quote_path(self.branch)}")
            await self.gh.post(f"{self.base}/git/refs", {"ref": f"refs/heads/{branch}", "sha": tip["object"]["sha"]})
        changed = False
        for path, edit in edits.items():
            current = await fetch_at(self.gh, self.name, path, branch, None)
            if current is None:
                continue
            new = edit(current)
            original = await fetch_at(self.gh, self.name, path, self.branch, None)
            changed = changed or new != original
            if new == current:
                continue  # done by an earlier run that stopped before opening the pull request
            await self.gh.put(f"{self.base}/contents/{quote_path(path)}", {
                "message": title, "content": base64.b64encode(new).decode("ascii"),
                "sha": blob_sha(current), "branch": branch})
        if not changed:
            return "nothing", None
        pull = await self.gh.post(f"{self.base}/pulls", {"title": title, "head": branch, "base": self.branch,
                                                         "body": body})
        return "opened", pull.get("number")


# -- the chores --------------------------------------------------------------------------------


async def after_close(repo: Repo, pull: dict, verdict) -> dict:
    """A pull request closed: merged with a PEP now Accepted, or closed unmerged."""
    peps = [pc for pc in verdict.peps if pc.head is not None and not pc.index_doc]
    if pull.get("merged_at"):
        accepted = repo.policy.canonical("Accepted")
        done = []
        for pc in peps:
            if accepted and canonical(repo.policy, pc.head.status) == accepted \
                    and canonical(repo.policy, pc.base_status) != accepted:
                done.append(await on_accepted(repo, pc.number, pc.title or pc.label, pc.path))
        return {"action": "merged", "accepted": done}
    if not peps:
        return {"action": "closed", "chore": "none: no PEP file"}
    return {"action": "closed", **await on_closed_unmerged(repo, pull, [pc.label for pc in peps])}


async def on_accepted(repo: Repo, number: int, title: str, path: str) -> dict:
    label = pep_label(number)
    issue = await repo.tracking_issue(label)
    if issue is None:
        body = (f"{TRACKING_MARKER.format(label=label)}\nTracks the implementation of {label} "
                f"([{path}](../blob/{repo.branch}/{path})), accepted.\n\n"
                f"Implementation pull requests say **Part of {label}** in their description; they are listed "
                "below as they come, and ticked as they merge. Close this issue when all of the work is "
                f"merged and released: a pull request moving {label} to Complete follows.\n")
        issue = await repo.gh.post(f"{repo.base}/issues", {"title": f"{label}: {title} — implementation", "body": body})
    url = issue.get("html_url") or f"#{issue['number']}"
    implementing = repo.policy.canonical("Implementing")
    if not implementing:
        return {"pep": label, "issue": issue["number"], "pr": "none: no Implementing status"}
    index = await repo.index_path()
    edits = {path: lambda data: with_fields(data, path, implementing, {TRACKING_FIELD: url})}
    if index and index != path:
        edits[index] = lambda data: index_with_status(data, index, number, implementing)
    body = (f"{label} was accepted. PEP-0000 §6: its tracking issue is #{issue['number']}; this links it in the "
            f"header and moves the PEP to {implementing}.")
    state, pr = await repo.change_pr(f"pepctl/{label.lower()}-implementing", edits,
                                     f"{label}: {implementing}", body)
    return {"pep": label, "issue": issue["number"], "pr": pr, "pr_state": state}


async def on_closed_unmerged(repo: Repo, pull: dict, labels: list[str]) -> dict:
    number = pull["number"]
    wrote = []
    if not await repo.own_comments(number, CLOSED_MARKER):
        peps = ", ".join(labels)
        body = (f"{CLOSED_MARKER}\nThis pull request was closed without being merged, so {peps} leaves no "
                "record in the repository. PEP-0000 keeps every proposal that reached a decision, in one of "
                "two ways:\n\n"
                "- **Declined**, by the maintainers: merge it with the Status set to `Declined` and the rationale "
                "recorded in a `## Decision` section (`pepctl status N Declined --reason \"...\"`);\n"
                "- **Withdrawn**, by the author: merge it with the Status set to `Withdrawn`.\n\n"
                "Reopen the pull request to do either. If it never was a proposal (a duplicate, opened by mistake), "
                "nothing more is needed.\n")
        await repo.gh.post(f"{repo.base}/issues/{number}/comments", {"body": body})
        wrote.append("comment")
    if CLOSED_LABEL.casefold() not in {n.casefold() for n in label_names(pull)}:
        await repo.gh.post(f"{repo.base}/issues/{number}/labels", {"labels": [CLOSED_LABEL]})
        wrote.append("label")
    return {"chore": "closed unmerged", "wrote": wrote}


async def on_tracking_issue(repo: Repo, issue: dict) -> dict:
    """The checklist of "Part of PEP-NNNN" pull requests, and the Complete pull request once closed."""
    found = TRACKING_RE.search(text_of(issue.get("body")))
    if found is None or not is_trusted(issue.get("user"), [repo.login]):
        return {"action": "issue", "why": "not a tracking issue of the App"}
    label = found.group(1)
    number = int(label.split("-")[1])
    result = {"action": "tracking", "pep": label, "checklist": await checklist(repo, issue["number"], label)}
    if issue.get("state") == "closed":
        result["complete"] = await on_tracking_closed(repo, issue, number, label)
    return result


async def checklist(repo: Repo, issue_number: int, label: str) -> str:
    query = f'repo:{repo.name} is:pr "Part of {label}"'
    data = await repo.gh.get(f"/search/issues?q={quote_path(query)}&per_page=100")
    items = sorted((i for i in data.get("items") or [] if isinstance(i, dict) and isinstance(i.get("number"), int)
                    and label in mentioned(i)), key=lambda i: i["number"])
    lines = [CHECKLIST_MARKER, f"Pull requests that are part of {label}:", ""]
    for item in items:
        merged = bool((item.get("pull_request") or {}).get("merged_at"))
        closed = item.get("state") == "closed" and not merged
        title = (item.get("title") or "").replace("\n", " ")
        mark = "x" if merged else " "
        lines.append(f"- [{mark}] #{item['number']} {title}" + (" (closed unmerged)" if closed else ""))
    if not items:
        lines.append("(none yet)")
    body = "\n".join(lines) + "\n"
    existing = await repo.own_comments(issue_number, CHECKLIST_MARKER)
    if not existing:
        await repo.gh.post(f"{repo.base}/issues/{issue_number}/comments", {"body": body})
        return "created"
    first = min(existing, key=lambda c: c["id"])
    if text_of(first.get("body")).replace("\r\n", "\n") == body:
        return "same"
    await repo.gh.patch(f"{repo.base}/issues/comments/{first['id']}", {"body": body})
    return "updated"


async def on_tracking_closed(repo: Repo, issue: dict, number: int, label: str) -> dict:
    complete = repo.policy.canonical("Complete")
    path = await repo.pep_path(number)
    if not complete or path is None:
        return {"pr": None, "why": "no Complete status, or the PEP file is not on the default branch"}
    data = await fetch_at(repo.gh, repo.name, path, repo.branch, None)
    try:
        document = Document.from_bytes(data or b"", path)
    except DocumentError as err:
        return {"pr": None, "why": f"{path}: {err.message}"}
    if canonical(repo.policy, document.get("Status")) != repo.policy.canonical("Implementing"):
        return {"pr": None, "why": f"{label} is {document.get('Status') or 'without a status'}, not Implementing"}
    index = await repo.index_path()
    edits = {path: lambda data: with_fields(data, path, complete, {RELEASE_FIELD: ""})}
    if index and index != path:
        edits[index] = lambda data: index_with_status(data, index, number, complete)
    body = (f"The tracking issue #{issue['number']} of {label} is closed: all of its implementation is merged. "
            f"PEP-0000 §6 moves the PEP to {complete} once it is released: fill in **{RELEASE_FIELD}** "
            "(the release that ships it) before merging.")
    state, pr = await repo.change_pr(f"pepctl/{label.lower()}-complete", edits, f"{label}: {complete}", body)
    return {"pr": pr, "pr_state": state}


# -- the index ---------------------------------------------------------------------------------


async def fetch_tree(repo: Repo, into: str) -> str | None:
    """The default branch's files under the PEP folder, unpacked into ``into``; the PEP folder's path
    there (None when the archive has no such folder). One request: the repository's tarball."""
    import httpx

    url = f"{repo.gh.base_url}{repo.base}/tarball/{quote_path(repo.branch)}"
    async with httpx.AsyncClient(timeout=120) as http:  # the tarball is no JSON: not through the API client
        answer = await http.get(url, headers={"Authorization": f"token {repo.gh.token}",
                                              "X-GitHub-Api-Version": API_VERSION}, follow_redirects=True)
    if answer.status_code != 200:
        raise GitHubError(f"GitHub API GET {repo.base}/tarball/{repo.branch}: {answer.status_code}", answer.status_code)
    prefix = (repo.folder.path + "/") if repo.folder.path else ""
    found = False
    with tarfile.open(fileobj=io.BytesIO(answer.content), mode="r:*") as archive:
        for member in archive.getmembers():
            parts = member.name.split("/", 1)
            if len(parts) != 2 or not member.isfile():
                continue
            inner = parts[1]
            if not inner.startswith(prefix) or "/" in inner[len(prefix):] or inner.startswith("/") or ".." in inner:
                continue
            target = os.path.join(into, inner)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with archive.extractfile(member) as source, open(target, "wb") as out:
                out.write(source.read())
            found = True
    folder = os.path.join(into, repo.folder.path) if repo.folder.path else into
    return folder if found else None


async def on_index(repo: Repo) -> dict:
    """One pull request regenerating the index table when it is stale on the default branch."""
    from pepctl.corpus import Corpus
    from pepctl.index import IndexFormatError, expected_rows, rewrite, unreadable
    from pepctl.model import summary_of

    with tempfile.TemporaryDirectory(prefix="pepctl-bot-index-") as root:
        folder = await fetch_tree(repo, root)
        if folder is None:
            return {"action": "index", "why": "no PEP folder on the default branch"}
        corpus = Corpus(folder, repo.policy.config)
        path = corpus.index_path
        if path is None or not os.path.isfile(path):
            return {"action": "index", "why": "no index file"}
        with open(path, "rb") as handle:
            before = handle.read()
        try:
            document = Document.from_bytes(before, path)
            records = corpus.summaries(summary_of)
            result = rewrite(document, expected_rows(records, path), unreadable(corpus, records), path)
        except (DocumentError, IndexFormatError) as err:
            return {"action": "index", "why": f"the index cannot be read: {getattr(err, 'message', err)}"}
        if result.text is None:
            return {"action": "index", "stale": False}
        after = Document(result.text, path, document.bom).to_bytes()
        repo_path = os.path.relpath(path, root).replace(os.sep, "/")
    open_index = [p for p in await repo.gh.get_all(f"{repo.base}/pulls?state=open", item=PULL)
                  if ((p.get("head") or {}).get("ref") or "").startswith(INDEX_BRANCH)]
    if open_index:
        return {"action": "index", "stale": True, "pr": open_index[0]["number"], "pr_state": "exists"}
    branch = f"{INDEX_BRANCH}-{blob_sha(after)[:10]}"  # one branch per wanted content: a new one when that changes
    state, pr = await repo.change_pr(branch, {repo_path: lambda data: after}, "PEP-0000: regenerate the index",
                                     "The index table on the default branch does not list the PEPs as they are; "
                                     "this is `pepctl index` run on it. Nothing else changes.")
    return {"action": "index", "stale": True, "pr": pr, "pr_state": state}
