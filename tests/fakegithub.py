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


class Fault:
    def __init__(self, status, times, method, path, headers, body):
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

    def fail(self, status=500, times=1, method=None, path=None, headers=None, body=None) -> None:
        """Answer the next ``times`` matching requests with ``status``."""
        with self.lock:
            self.faults.append(Fault(status, times, method, path, headers, body))

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
            "closed_at": None,
            "merged_at": None,
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
        if fault is not None:
            body = fault.body if fault.body is not None else {"message": "Server Error"}
            self.respond(method, path, query, fault.status, body, fault.headers)
            return
        auth = self.headers.get("Authorization", "")
        if fake.token and auth not in (f"token {fake.token}", f"Bearer {fake.token}", f"bearer {fake.token}"):
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
        self.respond(method, path, query, status, body, headers)

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
