"""A fake GitHub REST API on a real socket (127.0.0.1), for end-to-end tests.

It keeps repositories, commits (as path -> bytes snapshots), pull requests (whose head
can be pushed to or force-pushed), reviews (with the commit each was given on, and
dismissals), issue comments (created, edited, deleted), labels (with the issue
events that record their changes, and ``review_dismissed`` events) and commit statuses in memory and answers the
endpoints pepctl uses with the JSON shapes GitHub documents: user objects with
``login``/``id``/``type``, pull requests with ``head``/``base``, file entries
with ``status``/``sha``/``patch``, and so on. List endpoints paginate with
``page``/``per_page`` and a ``Link`` header; GET answers carry an ``ETag`` and
honour ``If-None-Match`` with ``304 Not Modified``. Every request is logged, so
tests can count them per endpoint, and failures can be injected: 5xx answers,
and rate limits (403 or 429 with ``Retry-After``, or ``X-RateLimit-Remaining:
0`` with ``X-RateLimit-Reset``).
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import http.server
import itertools
import json
import re
import threading
import time
import urllib.parse

BOT_LOGIN = "github-actions[bot]"


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def iso(ts: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if ts is None else ts))


def split_keep(text: str) -> list[str]:
    """Lines split on LF only (as git does), endings kept."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def make_patch(old: bytes | None, new: bytes | None) -> str:
    """The hunks of a unified diff, as GitHub puts them in a file entry's ``patch``."""
    a = split_keep((old or b"").decode("utf-8", "replace"))
    b = split_keep((new or b"").decode("utf-8", "replace"))
    out = []
    for line in difflib.unified_diff(a, b, n=3, lineterm=""):
        if line.startswith(("---", "+++")) and not out:
            continue
        if line.startswith("@@"):
            out.append(line)
            continue
        body = line[1:]
        if body.endswith("\n"):
            out.append(line[0] + body[:-1])
        else:
            out.append(line[0] + body)
            out.append("\\ No newline at end of file")
    return "\n".join(out)


MAX_COMMENT = 65536  # characters GitHub takes in a comment's body


def too_long():
    return 422, {"message": "Validation Failed", "errors": [{"resource": "IssueComment", "code": "custom", "field": "body",
                                                           "message": "body is too long (maximum is 65536 characters)"}]}, None


class Fault:
    def __init__(self, status, times, method, path, headers, body, after=False):
        self.after = after  # the request is carried out, then answered with the fault (a 502 after a write)
        self.status = status
        self.times = times
        self.method = method
        self.path = path
        self.headers = headers or {}
        self.body = body

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or self.path in path)


class Logged:
    __slots__ = ("method", "path", "query", "status", "body")

    def __init__(self, method, path, query, status, body):
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.body = body

    def __repr__(self):
        return f"{self.method} {self.path} -> {self.status}"


class Pull:
    def __init__(self, repo, number, title, author, base_sha, head_sha, draft, created_at, labels, renames, body):
        self.repo = repo
        self.number = number
        self.title = title
        self.author = author
        self.base_sha = base_sha
        self.head_sha = head_sha
        self.draft = draft
        self.created_at = created_at
        self.updated_at = created_at
        self.labels = list(labels or [])
        self.renames = dict(renames or {})  # new path -> old path
        self.state = "open"
        self.body = body
        self.reviews: list[dict] = []
        self.events: list[dict] = []  # issue events: labeled, unlabeled, ready_for_review, ...
        self.omit_patch: set[str] = set()
        self.head_repo = repo.full_name

    def files(self) -> list[dict]:
        base = self.repo.commits[self.base_sha]
        head = self.repo.commits[self.head_sha]
        old_of = {new: old for new, old in self.renames.items()}
        renamed_away = set(old_of.values())
        entries = []
        for path in sorted(set(base) | set(head)):
            if path in renamed_away and path not in head:
                continue
            before, after = base.get(path), head.get(path)
            previous = None
            if path in old_of and after is not None:
                previous = old_of[path]
                before = base.get(previous)
                status = "renamed"
            elif before is None:
                status = "added"
            elif after is None:
                status = "removed"
            elif before != after:
                status = "modified"
            else:
                continue
            patch = make_patch(before, after)
            additions = sum(1 for line in patch.split("\n") if line.startswith("+"))
            deletions = sum(1 for line in patch.split("\n") if line.startswith("-"))
            sha = blob_sha(after if after is not None else before or b"")
            quoted = urllib.parse.quote(path)
            base_url = self.repo.server.url
            entry = {
                "sha": sha,
                "filename": path,
                "status": status,
                "additions": additions,
                "deletions": deletions,
                "changes": additions + deletions,
                "blob_url": f"https://github.com/{self.repo.full_name}/blob/{self.head_sha}/{quoted}",
                "raw_url": f"https://github.com/{self.repo.full_name}/raw/{self.head_sha}/{quoted}",
                "contents_url": f"{base_url}/repos/{self.repo.full_name}/contents/{quoted}?ref={self.head_sha}",
            }
            if path not in self.omit_patch and patch:
                entry["patch"] = patch
            if previous is not None:
                entry["previous_filename"] = previous
            entries.append(entry)
        return entries


class Repo:
    def __init__(self, server, full_name):
        self.server = server
        self.full_name = full_name
        self.owner, self.name = full_name.split("/")
        self.id = next(server.ids)
        self.commits: dict[str, dict[str, bytes]] = {}
        self.pulls: dict[int, Pull] = {}
        self.comments: dict[int, dict] = {}  # id -> stored comment (with "issue")
        self.statuses: dict[str, list[dict]] = {}
        self.next_number = 1
        self.main = None  # sha of the default branch tip

    # -- building state ----------------------------------------------------------------

    def commit(self, files: dict, parent: str | None = None, sha: str | None = None) -> str:
        """A new commit: the parent's files updated with ``files`` (None deletes a path).

        ``sha`` names it (e.g. after a real local commit with the same files)."""
        snapshot = dict(self.commits[parent]) if parent else {}
        for path, data in files.items():
            if data is None:
                snapshot.pop(path, None)
            else:
                snapshot[path] = data.encode("utf-8") if isinstance(data, str) else data
        digest = sha or hashlib.sha1(repr((parent, sorted(snapshot.items()), len(self.commits))).encode()).hexdigest()
        self.commits[digest] = snapshot
        return digest

    def open_pull(self, title, author, base, head, *, number=None, draft=False, created_at=None,
                  labels=None, renames=None, body="") -> Pull:
        number = number or self.next_number
        self.next_number = max(self.next_number, number + 1)
        pull = Pull(self, number, title, author, base, head, draft, created_at or iso(), labels, renames, body)
        self.pulls[number] = pull
        for name in pull.labels:  # labels given at creation were added then
            self.add_event(number, "labeled", author, pull.created_at, label=name)
        return pull

    def add_event(self, number, event, actor, created_at=None, label=None, **extra) -> dict:
        """Record an issue event (``labeled``/``unlabeled`` name a ``label``; ``review_dismissed``
        carries ``dismissed_review``)."""
        stored = {"id": next(self.server.ids), "event": event, "actor": actor,
                  "created_at": created_at or iso(), "label": label, **extra}
        self.pulls[number].events.append(stored)
        return stored

    def push(self, number, files: dict, force: bool = False) -> str:
        """New commits on the pull request: ``files`` on top of its head (``force``: on top of its
        base, as a force-push that rewrites it). Reviews keep the commit they were given on."""
        pull = self.pulls[number]
        pull.head_sha = self.commit(files, pull.base_sha if force else pull.head_sha)
        return pull.head_sha

    def dismiss_review(self, number, review, actor, message="Dismissed", created_at=None) -> dict:
        """Dismiss a review as ``actor`` did: its state becomes DISMISSED and the issue events get a
        ``review_dismissed`` event in the shape GitHub documents."""
        before = review["state"]
        review["state"] = "DISMISSED"
        return self.add_event(number, "review_dismissed", actor, created_at, dismissed_review={
            "state": before.lower(), "review_id": review["id"], "dismissal_message": message,
            "dismissal_commit_id": self.pulls[number].head_sha})

    def label(self, number, name, created_at=None, actor=BOT_LOGIN) -> None:
        """Add a label as someone did at ``created_at`` (the gate, by default)."""
        pull = self.pulls[number]
        if name not in pull.labels:
            pull.labels.append(name)
            self.add_event(number, "labeled", actor, created_at, label=name)

    def unlabel(self, number, name, created_at=None, actor=BOT_LOGIN) -> None:
        pull = self.pulls[number]
        if name in pull.labels:
            pull.labels.remove(name)
            self.add_event(number, "unlabeled", actor, created_at, label=name)

    def set_draft(self, number, draft, created_at=None, actor=None) -> None:
        """Mark a pull request as a draft or ready for review, with the event GitHub records."""
        pull = self.pulls[number]
        pull.draft = draft
        self.add_event(number, "convert_to_draft" if draft else "ready_for_review", actor or pull.author, created_at)

    def add_review(self, number, login, state, submitted_at=None, body="", commit_id=None):
        """A submitted review, given on the pull request's head unless ``commit_id`` says otherwise."""
        review = {
            "id": next(self.server.ids),
            "user": login,
            "state": state,
            "body": body,
            "submitted_at": submitted_at or iso(),
            "commit_id": commit_id or self.pulls[number].head_sha,
        }
        self.pulls[number].reviews.append(review)
        return review

    def add_comment(self, number, login, body, created_at=None, updated_at=None, user_type=None):
        created = created_at or iso()
        comment = {
            "id": next(self.server.ids),
            "issue": number,
            "user": login,
            "user_type": user_type,
            "body": body,
            "created_at": created,
            "updated_at": updated_at or created,
        }
        self.comments[comment["id"]] = comment
        return comment

    def issue_comments(self, number) -> list[dict]:
        return sorted((c for c in self.comments.values() if c["issue"] == number), key=lambda c: c["id"])


class FakeGitHub:
    """The server and its state. ``start()`` binds 127.0.0.1 on a free port."""

    def __init__(self, token: str = "test-token", bot_login: str = BOT_LOGIN):
        self.token = token
        self.bot_login = bot_login
        self.ids = itertools.count(1000)
        self.repos: dict[str, Repo] = {}
        self.log: list[Logged] = []
        self.faults: list[Fault] = []
        self.lock = threading.RLock()
        self.rate_remaining = 5000
        self.httpd = None
        self.thread = None
        self.delay = 0.0
        self.busy = 0  # requests being handled now (a killed client's may still be on its way)
        self.app: FakeApp | None = None  # the GitHub App endpoints, once a FakeApp is made on it

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        server = self

        class Handler(_Handler):
            fake = server

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- state -----------------------------------------------------------------------------

    def repo(self, full_name: str) -> Repo:
        with self.lock:
            if full_name not in self.repos:
                self.repos[full_name] = Repo(self, full_name)
            return self.repos[full_name]

    def fail(self, status=500, times=1, method=None, path=None, headers=None, body=None, after=False) -> None:
        """Answer the next ``times`` matching requests with ``status``; ``after``: carry each out
        first (GitHub's 502 or timeout after it made the comment or issue)."""
        with self.lock:
            self.faults.append(Fault(status, times, method, path, headers, body, after))

    def rate_limit(self, times=1, *, status=403, retry_after=None, reset_in=None, method=None, path=None) -> None:
        """Refuse the next requests as rate limited: Retry-After, or Remaining 0 + Reset."""
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        if reset_in is not None:
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Reset"] = str(int(time.time() + reset_in))
            headers["X-RateLimit-Limit"] = "5000"
        message = "API rate limit exceeded" if reset_in is not None else "You have exceeded a secondary rate limit."
        self.fail(status, times, method, path, headers, {"message": message,
                                                          "documentation_url": "https://docs.github.com/rest"})

    # -- counting -----------------------------------------------------------------------------

    def count(self, method: str | None = None, path: str | None = None, status: int | None = None) -> int:
        """Requests logged, filtered by method, a regular expression on the path, and status."""
        with self.lock:
            return sum(
                1
                for r in self.log
                if (method is None or r.method == method)
                and (path is None or re.search(path, r.path))
                and (status is None or r.status == status)
            )

    def writes(self) -> list[Logged]:
        with self.lock:
            return [r for r in self.log if r.method != "GET"]

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()

    # -- JSON shapes ------------------------------------------------------------------------

    def user(self, login: str, user_type: str | None = None) -> dict:
        kind = user_type or ("Bot" if login.endswith("[bot]") else "User")
        uid = int(hashlib.sha1(login.encode()).hexdigest()[:7], 16)
        return {
            "login": login,
            "id": uid,
            "node_id": f"U_{uid}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "url": f"{self.url}/users/{urllib.parse.quote(login)}",
            "html_url": f"https://github.com/{login}",
            "type": kind,
            "site_admin": False,
        }

    def repo_json(self, repo: Repo) -> dict:
        return {
            "id": repo.id,
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user(repo.owner),
            "private": False,
            "html_url": f"https://github.com/{repo.full_name}",
            "url": f"{self.url}/repos/{repo.full_name}",
            "default_branch": "main",
        }

    def label_json(self, name: str) -> dict:
        lid = int(hashlib.sha1(name.encode()).hexdigest()[:7], 16)
        return {"id": lid, "node_id": f"LA_{lid}", "url": f"{self.url}/labels/{urllib.parse.quote(name)}",
                "name": name, "color": "ededed", "default": False, "description": None}

    def pull_json(self, pull: Pull) -> dict:
        repo = pull.repo
        base = f"{self.url}/repos/{repo.full_name}"
        return {
            "url": f"{base}/pulls/{pull.number}",
            "id": pull.number * 7919,
            "node_id": f"PR_{pull.number}",
            "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}",
            "issue_url": f"{base}/issues/{pull.number}",
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "user": self.user(pull.author),
            "body": pull.body,
            "labels": [self.label_json(n) for n in pull.labels],
            "draft": pull.draft,
            "created_at": pull.created_at,
            "updated_at": pull.updated_at,
            "closed_at": getattr(pull, "closed_at", None),  # set by FakeApp.close/merge
            "merged_at": getattr(pull, "merged_at", None),
            "head": {"label": f"{pull.author}:pep", "ref": "pep", "sha": pull.head_sha,
                     "user": self.user(pull.author), "repo": self.repo_json(repo)},
            "base": {"label": f"{repo.owner}:main", "ref": "main", "sha": pull.base_sha,
                     "user": self.user(repo.owner), "repo": self.repo_json(repo)},
            "author_association": "CONTRIBUTOR",
        }

    def review_json(self, pull: Pull, review: dict) -> dict:
        repo = pull.repo
        return {
            "id": review["id"],
            "node_id": f"PRR_{review['id']}",
            "user": self.user(review["user"]),
            "body": review["body"],
            "state": review["state"],
            "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}#pullrequestreview-{review['id']}",
            "pull_request_url": f"{self.url}/repos/{repo.full_name}/pulls/{pull.number}",
            "submitted_at": review["submitted_at"],
            "commit_id": review["commit_id"],
            "author_association": "MEMBER",
        }

    def event_json(self, repo: Repo, event: dict) -> dict:
        """An issue event as GET /repos/{owner}/{repo}/issues/{number}/events lists it."""
        data = {
            "id": event["id"],
            "node_id": f"E_{event['id']}",
            "url": f"{self.url}/repos/{repo.full_name}/issues/events/{event['id']}",
            "actor": self.user(event["actor"]),
            "event": event["event"],
            "commit_id": None,
            "commit_url": None,
            "created_at": event["created_at"],
            "performed_via_github_app": None,
        }
        if event.get("label") is not None:
            data["label"] = {"name": event["label"], "color": "ededed"}
        if event.get("dismissed_review") is not None:
            data["dismissed_review"] = dict(event["dismissed_review"])
        return data

    def comment_json(self, repo: Repo, comment: dict) -> dict:
        return {
            "id": comment["id"],
            "node_id": f"IC_{comment['id']}",
            "url": f"{self.url}/repos/{repo.full_name}/issues/comments/{comment['id']}",
            "html_url": f"https://github.com/{repo.full_name}/pull/{comment['issue']}#issuecomment-{comment['id']}",
            "issue_url": f"{self.url}/repos/{repo.full_name}/issues/{comment['issue']}",
            "body": comment["body"],
            "user": self.user(comment["user"], comment.get("user_type")),
            "created_at": comment["created_at"],
            "updated_at": comment["updated_at"],
            "author_association": "NONE",
        }


class _Handler(http.server.BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    # -- plumbing --------------------------------------------------------------------------

    def dispatch(self, method: str) -> None:
        with self.fake.lock:
            self.fake.busy += 1
        try:
            self.handle_request(method)
        finally:
            with self.fake.lock:
                self.fake.busy -= 1

    def handle_request(self, method: str) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        if fake.delay:
            time.sleep(fake.delay)
        with fake.lock:
            fault = next((f for f in fake.faults if f.matches(method, path)), None)
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    fake.faults.remove(fault)
        if fault is not None and not fault.after:
            self.fail_with(method, path, query, fault)
            return
        auth = self.headers.get("Authorization", "")
        if fake.app is not None and path.startswith(("/app", "/installation/", "/search/")):
            self.respond(method, path, query, *fake.app.route(self, method, path, query, raw))
            return
        if fake.token and auth not in (f"token {fake.token}", f"Bearer {fake.token}", f"bearer {fake.token}") \
                and not (fake.app is not None and fake.app.accepts(auth)):
            self.respond(method, path, query, 401, {"message": "Bad credentials",
                                                    "documentation_url": "https://docs.github.com/rest"})
            return
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            self.respond(method, path, query, 400, {"message": "Problems parsing JSON"})
            return
        with fake.lock:
            status, body, headers = self.route(method, path, query, data)
        if fault is not None:
            self.fail_with(method, path, query, fault)
            return
        self.respond(method, path, query, status, body, headers)

    def fail_with(self, method, path, query, fault) -> None:
        body = fault.body if fault.body is not None else {"message": "Server Error"}
        self.respond(method, path, query, fault.status, body, fault.headers)

    def respond(self, method, path, query, status, body, headers=None) -> None:
        fake = self.fake
        headers = dict(headers or {})
        if isinstance(body, bytes):
            payload = body
            headers.setdefault("Content-Type", "application/vnd.github.raw; charset=utf-8")
        elif body is None:
            payload = b""
        else:
            payload = json.dumps(body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        with fake.lock:
            fake.rate_remaining = max(0, fake.rate_remaining - 1)
            headers.setdefault("X-RateLimit-Limit", "5000")
            headers.setdefault("X-RateLimit-Remaining", str(fake.rate_remaining))
            headers.setdefault("X-RateLimit-Reset", str(int(time.time()) + 3600))
            headers.setdefault("X-RateLimit-Used", str(5000 - fake.rate_remaining))
        if method == "GET" and status == 200:
            etag = '"' + hashlib.sha1(payload).hexdigest() + '"'
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                status, payload = 304, b""
                headers.pop("Content-Type", None)
        with fake.lock:
            fake.log.append(Logged(method, path, query, status, body if method != "GET" else None))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def not_found(self):
        return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, None

    def paginate(self, path, query, items):
        try:
            per_page = max(1, min(100, int(query.get("per_page", 30))))
            page = max(1, int(query.get("page", 1)))
        except ValueError:
            return 422, {"message": "Invalid page"}, None
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        links = []

        def link(n, rel):
            q = dict(query, page=str(n), per_page=str(per_page))
            return f'<{self.fake.url}{urllib.parse.quote(path)}?{urllib.parse.urlencode(q)}>; rel="{rel}"'

        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        if links:
            headers["Link"] = ", ".join(links)
        return 200, chunk, headers

    # -- endpoints ---------------------------------------------------------------------------

    def route(self, method, path, query, data):
        fake = self.fake
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
        if not m or m.group(1) not in fake.repos:
            return self.not_found()
        repo = fake.repos[m.group(1)]
        rest = m.group(2) or ""
        if fake.app is not None:  # the App's repository endpoints (check runs, ...)
            found = fake.app.repo_route(self, repo, method, rest, query, data)
            if found is not None:
                return found

        if method == "GET" and rest == "/pulls":
            state = query.get("state", "open")
            pulls = [p for p in repo.pulls.values() if state == "all" or p.state == state]
            pulls.sort(key=lambda p: (p.created_at, p.number), reverse=True)
            return self.paginate(path, query, [fake.pull_json(p) for p in pulls])

        m = re.fullmatch(r"/pulls/(\d+)(/files|/reviews)?", rest)
        if m and method == "GET":
            pull = repo.pulls.get(int(m.group(1)))
            if pull is None:
                return self.not_found()
            if m.group(2) is None:
                return 200, fake.pull_json(pull), None
            if m.group(2) == "/files":
                files = pull.files()[:3000]
                return self.paginate(path, query, files)
            reviews = [fake.review_json(pull, r) for r in pull.reviews]
            return self.paginate(path, query, reviews)

        m = re.fullmatch(r"/issues/(\d+)/comments", rest)
        if m:
            number = int(m.group(1))
            if number not in repo.pulls:
                return self.not_found()
            if method == "GET":
                return self.paginate(path, query, [fake.comment_json(repo, c) for c in repo.issue_comments(number)])
            if method == "POST":
                if not isinstance(data, dict) or not isinstance(data.get("body"), str):
                    return 422, {"message": "Invalid request.", "errors": [{"field": "body", "code": "missing_field"}]}, None
                if len(data["body"]) > MAX_COMMENT:
                    return too_long()
                comment = repo.add_comment(number, fake.bot_login, data["body"])
                return 201, fake.comment_json(repo, comment), None

        m = re.fullmatch(r"/issues/comments/(\d+)", rest)
        if m and method == "DELETE":
            if repo.comments.pop(int(m.group(1)), None) is None:
                return self.not_found()
            return 204, None, None
        if m and method == "PATCH":
            comment = repo.comments.get(int(m.group(1)))
            if comment is None:
                return self.not_found()
            if not isinstance(data, dict) or not isinstance(data.get("body"), str):
                return 422, {"message": "Invalid request."}, None
            if len(data["body"]) > MAX_COMMENT:
                return too_long()
            comment["body"] = data["body"]
            comment["updated_at"] = iso(max(time.time(), _parse(comment["created_at"]) + 1))
            return 200, fake.comment_json(repo, comment), None

        m = re.fullmatch(r"/issues/(\d+)/events", rest)
        if m and method == "GET":
            pull = repo.pulls.get(int(m.group(1)))
            if pull is None:
                return self.not_found()
            events = sorted(pull.events, key=lambda e: (e["created_at"], e["id"]))
            return self.paginate(path, query, [fake.event_json(repo, e) for e in events])

        m = re.fullmatch(r"/issues/(\d+)/labels(?:/(.+))?", rest)
        if m:
            pull = repo.pulls.get(int(m.group(1)))
            if pull is None:
                return self.not_found()
            name = m.group(2)
            if method == "GET" and name is None:
                return self.paginate(path, query, [fake.label_json(n) for n in pull.labels])
            if method in ("POST", "PUT") and name is None:
                labels = data.get("labels") if isinstance(data, dict) else data
                if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                    return 422, {"message": "Invalid request."}, None
                if method == "PUT":
                    for label in list(pull.labels):
                        if label not in labels:
                            repo.unlabel(pull.number, label, actor=fake.bot_login)
                for label in labels:
                    repo.label(pull.number, label, actor=fake.bot_login)
                return 200, [fake.label_json(n) for n in pull.labels], None
            if method == "DELETE" and name is not None:
                if name not in pull.labels:
                    return 404, {"message": "Label does not exist"}, None
                repo.unlabel(pull.number, name, actor=fake.bot_login)
                return 200, [fake.label_json(n) for n in pull.labels], None

        m = re.fullmatch(r"/statuses/([0-9a-f]{40})", rest)
        if m and method == "POST":
            sha = m.group(1)
            if sha not in repo.commits:
                return 422, {"message": "No commit found for SHA: " + sha}, None
            if not isinstance(data, dict) or data.get("state") not in ("error", "failure", "pending", "success"):
                return 422, {"message": "Validation Failed", "errors": [{"field": "state", "code": "invalid"}]}, None
            description = data.get("description") or ""
            if len(description) > 140:
                return 422, {"message": "Validation Failed",
                             "errors": [{"field": "description", "code": "custom",
                                         "message": "description is too long (maximum is 140 characters)"}]}, None
            now = iso()
            status = {
                "id": next(fake.ids),
                "state": data["state"],
                "description": description or None,
                "target_url": data.get("target_url"),
                "context": data.get("context") or "default",
                "created_at": now,
                "updated_at": now,
                "creator": fake.user(fake.bot_login),
            }
            repo.statuses.setdefault(sha, []).insert(0, status)
            return 201, status, None

        m = re.fullmatch(r"/commits/([0-9a-f]{40})/status", rest)
        if m and method == "GET":
            sha = m.group(1)
            latest = {}
            for status in repo.statuses.get(sha, []):
                latest.setdefault(status["context"], status)
            states = [s["state"] for s in latest.values()]
            combined = "failure" if "failure" in states or "error" in states else (
                "pending" if "pending" in states or not states else "success")
            return 200, {"state": combined, "sha": sha, "total_count": len(latest),
                         "statuses": list(latest.values())}, None

        m = re.fullmatch(r"/contents/(.+)", rest)
        if m and method == "GET":
            ref = query.get("ref") or repo.main
            files = repo.commits.get(ref)
            target = m.group(1)
            if files is None:
                return 404, {"message": f"No commit found for the ref {ref}"}, None
            if target not in files:
                listing = sorted(p for p in files if p.startswith(target.rstrip("/") + "/"))
                if not listing:
                    return self.not_found()
                return 200, [
                    {"type": "file", "name": p.rsplit("/", 1)[-1], "path": p, "sha": blob_sha(files[p]),
                     "size": len(files[p])}
                    for p in listing if "/" not in p[len(target.rstrip("/")) + 1:]
                ][:1000], None
            content = files[target]
            accept = self.headers.get("Accept", "")
            if "raw" in accept:
                return 200, content, None
            return 200, {
                "type": "file",
                "encoding": "base64",
                "size": len(content),
                "name": target.rsplit("/", 1)[-1],
                "path": target,
                "content": "\n".join(_chunks(base64.b64encode(content).decode("ascii"), 60)) + "\n",
                "sha": blob_sha(content),
                "url": f"{fake.url}/repos/{repo.full_name}/contents/{urllib.parse.quote(target)}?ref={ref}",
            }, None

        m = re.fullmatch(r"/git/blobs/([0-9a-f]{40})", rest)
        if m and method == "GET":
            for files in repo.commits.values():
                for content in files.values():
                    if blob_sha(content) == m.group(1):
                        return 200, {"sha": m.group(1), "node_id": "B_" + m.group(1)[:8], "size": len(content),
                                     "url": f"{fake.url}/repos/{repo.full_name}/git/blobs/{m.group(1)}",
                                     "content": base64.b64encode(content).decode("ascii"),
                                     "encoding": "base64"}, None
            return self.not_found()

        m = re.fullmatch(r"/git/trees/([0-9a-f]{40})", rest)
        if m and method == "GET":
            files = repo.commits.get(m.group(1))
            if files is None:
                return self.not_found()
            entries = {}
            for p, content in files.items():
                parts = p.split("/")
                for i in range(1, len(parts)):
                    d = "/".join(parts[:i])
                    entries.setdefault(d, {"path": d, "mode": "040000", "type": "tree", "sha": "0" * 40})
                entries[p] = {"path": p, "mode": "100644", "type": "blob", "sha": blob_sha(content),
                              "size": len(content)}
            if query.get("recursive") in (None, "", "0", "false"):
                entries = {k: v for k, v in entries.items() if "/" not in k}
            return 200, {"sha": m.group(1), "url": f"{fake.url}{path}",
                         "tree": [entries[k] for k in sorted(entries)], "truncated": False}, None

        return self.not_found()


def _chunks(text, size):
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def _parse(stamp: str) -> float:
    import calendar

    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def _fixture():
    import pytest

    @pytest.fixture
    def fake_github():
        """A started FakeGitHub, stopped after the test."""
        fake = FakeGitHub().start()
        try:
            yield fake
        finally:
            fake.stop()

    return fake_github


fake_github = _fixture()


# -- a repository on both sides: the fake GitHub and a local checkout of its base ---------

PEP_DIR = "docs/peps"


def pep_text(number: int, status: str = "Under Review", title: str = "Cache things",
             authors: str = "Dan (@dan)", sponsor: str = "Alice (@alice)", sections=()) -> str:
    """A small PEP that passes the lifecycle rules for early statuses."""
    rows = [("PEP", f"{number:04d}"), ("Title", title), ("Status", status), ("Author(s)", authors),
            ("Sponsor", sponsor), ("Created", "2026-04-01")]
    lines = [f"# PEP-{number:04d}: {title}", "", "| Field | Value |", "|---|---|"]
    lines += [f"| **{name}** | {value} |" for name, value in rows]
    lines += ["", "## Summary", "", "Cache responses.", ""]
    for heading, body in sections:
        lines += [f"## {heading}", "", body, ""]
    return "\n".join(lines)


def git_env(date: str) -> dict:
    """Environment for a git commit made at ``date`` by a fixed test identity."""
    import os

    return dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date,
                GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")


class Workspace:
    """A repository ``acme/plano`` on the fake server, and a real git checkout of its base
    commit in ``root`` (the same commit id on both sides, as after actions/checkout)."""

    CONFIG = 'maintainers = ["alice", "bob", "carol"]\nproject-lead = "lead"\n'

    def __init__(self, fake: FakeGitHub, root, files: dict | None = None, config: str | None = None):
        import subprocess

        self.fake = fake
        self.root = root
        self.repo = fake.repo("acme/plano")
        # PEPs up to 0041 on the base: a pull request adding PEP-0042 takes the next number (R016).
        self.files = {"pepctl.toml": config if config is not None else self.CONFIG,
                      f"{PEP_DIR}/PEP-0001-first.md": pep_text(1, "Accepted", "First", sponsor="-"),
                      f"{PEP_DIR}/PEP-0041-earlier.md": pep_text(41, "Accepted", "Earlier", sponsor="-")}
        self.files.update(files or {})
        root.mkdir(parents=True, exist_ok=True)
        for path, text in self.files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        env = git_env("2026-04-01T00:00:00Z")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
            subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                             check=True).stdout.strip()
        self.base = self.repo.commit(self.files, sha=sha)
        self.repo.main = self.base

    def land(self, files: dict, date: str, message: str = "change") -> str:
        """Commit ``files`` (None deletes) on the base branch at ``date``, in the checkout and on
        the fake alike (same commit id): the base branch's history, as git log reads it."""
        import subprocess

        for path, text in files.items():
            target = self.root / path
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        env = git_env(date)
        for args in (["add", "-A"], ["commit", "-q", "-m", message]):
            subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True)
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.root, capture_output=True, text=True,
                             check=True).stdout.strip()
        for path, text in files.items():
            if text is None:
                self.files.pop(path, None)
            else:
                self.files[path] = text
        self.base = self.repo.commit(files, self.base, sha=sha)
        self.repo.main = self.base
        return sha

    def pull(self, files: dict, title="PEP-0042: Cache things", author="dan", base=None, **kwargs) -> Pull:
        """Open a pull request whose head changes ``files`` (None deletes) on top of the base."""
        head = self.repo.commit(files, base or self.base)
        return self.repo.open_pull(title, author, base or self.base, head, **kwargs)

    def env(self, **extra) -> dict:
        import os

        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GITHUB_", "PEPCTL_"))}
        env.update(GITHUB_TOKEN=self.fake.token, GITHUB_API_URL=self.fake.url, GITHUB_REPOSITORY="acme/plano")
        env.update(extra)
        return env

    def run(self, *args: str, **env):
        """``python -m pepctl ARGS`` in the checkout, against the fake server."""
        import subprocess
        import sys

        return subprocess.run([sys.executable, "-m", "pepctl", *args], cwd=self.root, env=self.env(**env),
                              capture_output=True, text=True, timeout=120)


# -- The GitHub App side (pepctl bot) ------------------------------------------------------
#
# FakeApp(fake, ...) turns on what a GitHub App talks to: the App's own endpoints, reached with
# a JWT signed by its private key (GET /app, installation tokens, the webhook's deliveries and
# redelivery), installation tokens accepted on the repository endpoints, and check runs. It
# also sends webhooks as GitHub does (signed, logged in the App's hook deliveries).


def app_key_pair():
    """(private PEM, public PEM) of a fresh RSA key, as GitHub hands an App its private key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


class FakeApp:
    def __init__(self, fake: FakeGitHub, public_key: bytes, app_id: int = 77, slug: str = "pepctl-test",
                 token_ttl: int = 3600):
        self.fake = fake
        self.public_key = public_key
        self.id = app_id
        self.slug = slug
        self.token_ttl = token_ttl
        self.installations: dict[int, dict] = {}  # id -> {"account": login, "repos": [full names]}
        self.tokens: dict[str, tuple[int, float]] = {}  # token -> (installation id, expiry)
        self.jwt_claims: list[dict] = []
        self.check_runs: dict[str, list[dict]] = {}  # repo -> runs
        self.hook_url: str | None = None
        self.secret: str = ""
        self.deliveries: list[dict] = []  # as GET /app/hook/deliveries lists them, plus "body"/"headers"
        self.attempts: list[int] = []  # delivery ids whose redelivery was asked for
        fake.bot_login = self.bot_login
        fake.app = self

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"

    def install(self, account: str, repos: list[str], installation_id: int | None = None) -> int:
        with self.fake.lock:
            iid = installation_id or next(self.fake.ids)
            self.installations[iid] = {"account": account, "repos": list(repos)}
            return iid

    def revoke_tokens(self) -> None:
        """Make every installation token issued so far invalid (the next use gets 401)."""
        with self.fake.lock:
            self.tokens.clear()

    def accepts(self, auth: str) -> bool:
        token = auth.split(" ", 1)[1] if " " in auth else ""
        with self.fake.lock:
            found = self.tokens.get(token)
            return found is not None and found[1] > time.time()

    # -- webhooks ------------------------------------------------------------------------------

    def send(self, event: str, payload: dict, guid: str | None = None, redelivery: bool = False) -> int:
        """POST a signed delivery to ``hook_url`` as GitHub does; the HTTP status (0: unreachable)."""
        import hmac
        import urllib.error
        import urllib.request
        import uuid

        body = json.dumps(payload).encode("utf-8")
        guid = guid or str(uuid.uuid4())
        headers = {"Content-Type": "application/json", "X-GitHub-Event": event, "X-GitHub-Delivery": guid,
                   "X-GitHub-Hook-ID": "1", "User-Agent": "GitHub-Hookshot/fake",
                   "X-Hub-Signature-256": "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()}
        request = urllib.request.Request(self.hook_url, data=body, headers=headers, method="POST")
        started = time.time()
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as err:
            status = err.code
        except OSError:
            status = 0
        with self.fake.lock:
            self.deliveries.append({
                "id": next(self.fake.ids), "guid": guid, "delivered_at": iso(started), "redelivery": redelivery,
                "duration": round(time.time() - started, 3),
                "status": "OK" if 200 <= status < 300 else (f"Invalid HTTP Response: {status}" if status
                                                            else "failed to connect to host"),
                "status_code": status, "event": event, "action": payload.get("action"),
                "installation_id": (payload.get("installation") or {}).get("id"),
                "repository_id": (payload.get("repository") or {}).get("id"),
                "body": body, "event_payload": payload,
            })
        return status

    def payload(self, repo: Repo, installation_id: int, sender: str = "dan", **extra) -> dict:
        """The common part of a webhook payload for ``repo``."""
        data = {"repository": self.fake.repo_json(repo), "installation": {"id": installation_id},
                "sender": self.fake.user(sender)}
        data.update(extra)
        return data

    # -- routes ----------------------------------------------------------------------------------

    def check_jwt(self, auth: str):
        import jwt

        if not auth.lower().startswith("bearer "):
            return None
        try:
            claims = jwt.decode(auth.split(" ", 1)[1], self.public_key, algorithms=["RS256"],
                                options={"require": ["iat", "exp", "iss"]}, leeway=0)
        except jwt.PyJWTError:
            return None
        if claims["iss"] != str(self.id) or claims["exp"] - claims["iat"] > 660 or claims["iat"] > time.time():
            return None
        self.jwt_claims.append(claims)
        return claims

    def route(self, handler, method, path, query, raw):
        """/app... (JWT) and /installation/... (installation token) endpoints."""
        auth = handler.headers.get("Authorization", "")
        with self.fake.lock:
            if path.startswith(("/installation/", "/search/")):
                token = auth.split(" ", 1)[1] if " " in auth else ""
                found = self.tokens.get(token)
                if found is None or found[1] <= time.time():
                    return 401, {"message": "Bad credentials"}, None
                if method == "GET" and path == "/search/issues":
                    return self.search(handler, query)
                if method == "GET" and path == "/installation/repositories":
                    names = self.installations.get(found[0], {}).get("repos", [])
                    repos = [self.fake.repo_json(self.fake.repos[n]) for n in names if n in self.fake.repos]
                    return 200, {"total_count": len(repos), "repositories": repos}, None
                return handler.not_found()
            if self.check_jwt(auth) is None:
                return 401, {"message": "A JSON web token could not be decoded"}, None
            if method == "GET" and path == "/app":
                return 200, {"id": self.id, "slug": self.slug, "name": self.slug,
                             "owner": self.fake.user("acme")}, None
            if method == "GET" and path == "/app/installations":
                return 200, [{"id": i, "account": self.fake.user(v["account"]), "app_id": self.id}
                             for i, v in sorted(self.installations.items())], None
            m = re.fullmatch(r"/app/installations/(\d+)/access_tokens", path)
            if m and method == "POST":
                iid = int(m.group(1))
                if iid not in self.installations:
                    return handler.not_found()
                token = "ghs_" + hashlib.sha1(f"{iid}:{time.time()}:{next(self.fake.ids)}".encode()).hexdigest()
                expires = time.time() + self.token_ttl
                self.tokens[token] = (iid, expires)
                return 201, {"token": token, "expires_at": iso(expires), "permissions": {},
                             "repository_selection": "selected"}, None
            if method == "GET" and path == "/app/hook/deliveries":
                listed = [{k: v for k, v in d.items() if k not in ("body", "event_payload")}
                          for d in sorted(self.deliveries, key=lambda d: -d["id"])]
                return handler.paginate(path, query, listed)
            m = re.fullmatch(r"/app/hook/deliveries/(\d+)/attempts", path)
            if m and method == "POST":
                found = next((d for d in self.deliveries if d["id"] == int(m.group(1))), None)
                if found is None:
                    return handler.not_found()
                self.attempts.append(found["id"])
                redeliver = found
            else:
                return handler.not_found()
        # outside the lock: the bot answers the redelivery while this request waits
        threading.Thread(target=self.send, args=(redeliver["event"], redeliver["event_payload"], redeliver["guid"],
                                                 True), daemon=True).start()
        return 202, {}, None

    def repo_route(self, handler, repo: Repo, method, rest, query, data):
        """Repository endpoints an App uses that the Action does not; None: not one of them."""
        fake = self.fake
        if rest == "" and method == "GET":
            return 200, fake.repo_json(repo), None
        if rest.startswith("/contents/") and query.get("ref") in ("main", "refs/heads/main"):
            query["ref"] = repo.main  # a branch name: its tip
            return None
        found = self.chore_route(handler, repo, method, rest, query, data)
        if found is not None:
            return found
        if rest == "/check-runs" and method == "POST":
            if not isinstance(data, dict) or not data.get("name") or data.get("head_sha") not in repo.commits:
                return 422, {"message": "Validation Failed"}, None
            if data.get("conclusion") not in (None, "success", "failure", "neutral", "cancelled", "skipped",
                                              "timed_out", "action_required"):
                return 422, {"message": "Validation Failed", "errors": [{"field": "conclusion"}]}, None
            run = {"id": next(fake.ids), "name": data["name"], "head_sha": data["head_sha"],
                   "status": data.get("status", "queued"), "conclusion": data.get("conclusion"),
                   "output": data.get("output") or {}, "details_url": data.get("details_url"),
                   "app": {"id": self.id, "slug": self.slug}, "started_at": iso(), "completed_at": iso()}
            self.check_runs.setdefault(repo.full_name, []).append(run)
            return 201, run, None
        m = re.fullmatch(r"/check-runs/(\d+)", rest)
        if m and method == "PATCH":
            run = next((r for r in self.check_runs.get(repo.full_name, []) if r["id"] == int(m.group(1))), None)
            if run is None:
                return handler.not_found()
            for key in ("status", "conclusion", "output", "details_url", "name"):
                if isinstance(data, dict) and key in data:
                    run[key] = data[key]
            return 200, run, None
        m = re.fullmatch(r"/commits/([0-9a-f]{40})/check-runs", rest)
        if m and method == "GET":
            runs = [r for r in self.check_runs.get(repo.full_name, []) if r["head_sha"] == m.group(1)
                    and (not query.get("check_name") or r["name"] == query["check_name"])
                    and (not query.get("app_id") or str(r["app"]["id"]) == query["app_id"])]
            runs.sort(key=lambda r: -r["id"])
            if query.get("filter", "latest") == "latest":
                seen, latest = set(), []
                for run in runs:
                    if run["name"] not in seen:
                        seen.add(run["name"])
                        latest.append(run)
                runs = latest
            return 200, {"total_count": len(runs), "check_runs": runs}, None
        return None

    def runs(self, repo: str, sha: str | None = None) -> list[dict]:
        with self.fake.lock:
            return [dict(r) for r in self.check_runs.get(repo, []) if sha is None or r["head_sha"] == sha]

    # -- what the bot's chores use: issues, branches, file commits, new pull requests, search ------

    def issues_of(self, repo: str) -> dict[int, dict]:
        return self.__dict__.setdefault("_issues", {}).setdefault(repo, {})

    def refs_of(self, repo: Repo) -> dict[str, str]:
        refs = self.__dict__.setdefault("_refs", {}).setdefault(repo.full_name, {})
        refs["main"] = repo.main
        return refs

    def open_issue(self, repo: Repo, title: str, body: str = "", author: str = "dan") -> dict:
        with self.fake.lock:
            number = repo.next_number
            repo.next_number += 1
            issue = {"number": number, "title": title, "body": body, "user": author, "state": "open",
                     "created_at": iso(), "labels": []}
            self.issues_of(repo.full_name)[number] = issue
            return issue

    def merge(self, pull: Pull) -> str:
        """Merge a pull request: its changes land on the default branch."""
        with self.fake.lock:
            repo = pull.repo
            head, base = repo.commits[pull.head_sha], repo.commits[pull.base_sha]
            changed = {p: head.get(p) for p in set(head) | set(base) if head.get(p) != base.get(p)}
            repo.main = repo.commit(changed, repo.main)
            pull.state, pull.closed_at, pull.merged_at = "closed", iso(), iso()
            return repo.main

    def close(self, pull: Pull) -> None:
        with self.fake.lock:
            pull.state, pull.closed_at = "closed", iso()

    def issue_json(self, repo: Repo, issue: dict) -> dict:
        return {"id": issue["number"] * 7907, "number": issue["number"], "title": issue["title"],
                "body": issue["body"], "state": issue["state"], "user": self.fake.user(issue["user"]),
                "labels": [self.fake.label_json(n) for n in issue["labels"]], "created_at": issue["created_at"],
                "html_url": f"https://github.com/{repo.full_name}/issues/{issue['number']}",
                "url": f"{self.fake.url}/repos/{repo.full_name}/issues/{issue['number']}"}

    def search(self, handler, query):
        """GET /search/issues for ``repo:O/N is:pr "phrase"``: pull requests whose title or body holds it."""
        q = query.get("q", "")
        repo_m = re.search(r"repo:(\S+)", q)
        phrase_m = re.search(r'"([^"]+)"', q)
        repo = self.fake.repos.get(repo_m.group(1)) if repo_m else None
        if repo is None or phrase_m is None:
            return 422, {"message": "Validation Failed"}, None
        phrase = phrase_m.group(1).casefold()
        items = []
        for pull in sorted(repo.pulls.values(), key=lambda p: p.number):
            if phrase in (pull.title + "\n" + (pull.body or "")).casefold():
                data = self.fake.pull_json(pull)
                items.append({"number": pull.number, "title": pull.title, "state": pull.state,
                              "html_url": data["html_url"], "user": data["user"], "body": pull.body,
                              "pull_request": {"url": data["url"], "merged_at": data["merged_at"]}})
        return 200, {"total_count": len(items), "incomplete_results": False, "items": items}, None

    def chore_route(self, handler, repo: Repo, method, rest, query, data):
        fake = self.fake
        issues = self.issues_of(repo.full_name)
        refs = self.refs_of(repo)
        if rest.startswith("/contents/") and method == "GET" and query.get("ref") in refs:
            query["ref"] = refs[query["ref"]]
            return None
        if rest == "/issues" and method == "POST":
            if not isinstance(data, dict) or not data.get("title"):
                return 422, {"message": "Validation Failed"}, None
            issue = self.open_issue(repo, data["title"], data.get("body") or "", fake.bot_login)
            issue["labels"] = list(data.get("labels") or [])
            return 201, self.issue_json(repo, issue), None
        if rest == "/issues" and method == "GET":
            state = query.get("state", "open")
            found = [i for i in issues.values() if (state == "all" or i["state"] == state)
                     and (not query.get("creator") or i["user"] == query["creator"])]
            found.sort(key=lambda i: -i["number"])
            return handler.paginate(f"/repos/{repo.full_name}/issues", query, [self.issue_json(repo, i) for i in found])
        m = re.fullmatch(r"/issues/(\d+)", rest)
        if m and int(m.group(1)) in issues:
            issue = issues[int(m.group(1))]
            if method == "GET":
                return 200, self.issue_json(repo, issue), None
            if method == "PATCH" and isinstance(data, dict):
                for key in ("state", "title", "body"):
                    if key in data:
                        issue[key] = data[key]
                return 200, self.issue_json(repo, issue), None
        m = re.fullmatch(r"/issues/(\d+)/comments", rest)
        if m and int(m.group(1)) in issues:
            number = int(m.group(1))
            if method == "GET":
                return handler.paginate(f"/repos/{repo.full_name}{rest}", query,
                                        [fake.comment_json(repo, c) for c in repo.issue_comments(number)])
            if method == "POST" and isinstance(data, dict) and isinstance(data.get("body"), str):
                return 201, fake.comment_json(repo, repo.add_comment(number, fake.bot_login, data["body"])), None
        m = re.fullmatch(r"/git/ref/heads/(.+)", rest)
        if m and method == "GET":
            sha = refs.get(m.group(1))
            if sha is None:
                return handler.not_found()
            return 200, {"ref": f"refs/heads/{m.group(1)}", "object": {"sha": sha, "type": "commit"}}, None
        if rest == "/git/refs" and method == "POST":
            name = (data or {}).get("ref", "")
            if not name.startswith("refs/heads/") or data.get("sha") not in repo.commits:
                return 422, {"message": "Validation Failed"}, None
            if name[len("refs/heads/"):] in refs:
                return 422, {"message": "Reference already exists"}, None
            refs[name[len("refs/heads/"):]] = data["sha"]
            return 201, {"ref": name, "object": {"sha": data["sha"], "type": "commit"}}, None
        m = re.fullmatch(r"/contents/(.+)", rest)
        if m and method == "PUT":
            branch = (data or {}).get("branch") or "main"
            if branch not in refs or not isinstance(data.get("content"), str):
                return 422, {"message": "Validation Failed"}, None
            files = repo.commits[refs[branch]]
            old = files.get(m.group(1))
            if old is not None and data.get("sha") != blob_sha(old):
                return 409, {"message": f"{m.group(1)} does not match {data.get('sha')}"}, None
            sha = repo.commit({m.group(1): base64.b64decode(data["content"])}, refs[branch])
            refs[branch] = sha
            if branch == "main":
                repo.main = sha
            return 200, {"content": {"path": m.group(1)}, "commit": {"sha": sha, "message": data.get("message")}}, None
        if rest == "/pulls" and method == "POST":
            head, base = (data or {}).get("head"), (data or {}).get("base")
            if head not in refs or base not in refs:
                return 422, {"message": "Validation Failed"}, None
            if any(getattr(p, "head_ref", None) == head and p.state == "open" for p in repo.pulls.values()):
                return 422, {"message": f"A pull request already exists for {repo.owner}:{head}."}, None
            pull = repo.open_pull(data.get("title") or "", fake.bot_login, refs[base], refs[head],
                                  body=data.get("body") or "")
            pull.head_ref = head
            return 201, fake.pull_json(pull), None
        if rest == "/pulls" and method == "GET" and query.get("head"):
            branch = query["head"].split(":", 1)[-1]
            state = query.get("state", "open")
            found = [p for p in repo.pulls.values() if getattr(p, "head_ref", None) == branch
                     and (state == "all" or p.state == state)]
            return handler.paginate(f"/repos/{repo.full_name}/pulls", query, [fake.pull_json(p) for p in found])
        m = re.fullmatch(r"/tarball/(.+)", rest)
        if m and method == "GET":
            import io
            import tarfile

            sha = refs.get(m.group(1), m.group(1))
            files = repo.commits.get(sha)
            if files is None:
                return handler.not_found()
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
                top = f"{repo.owner}-{repo.name}-{sha[:7]}"
                for path, content in sorted(files.items()):
                    info = tarfile.TarInfo(f"{top}/{path}")
                    info.size = len(content)
                    tar.addfile(info, io.BytesIO(content))
            return 200, buffer.getvalue(), {"Content-Type": "application/x-gzip"}
        return None
