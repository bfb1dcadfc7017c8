"""A small REST client for the GitHub API, on gidgethub and httpx.

gidgethub does the protocol (headers, JSON, Link pagination, ETag caching,
error types); this module adds what a CI job needs around it:

- configuration from the environment: ``GITHUB_TOKEN`` and ``GITHUB_API_URL``;
- retries with bounded attempts and bounded waits on 5xx answers, on rate
  limits (403/429 with ``Retry-After``, or ``X-RateLimit-Remaining: 0`` with
  ``X-RateLimit-Reset``) and on connection failures. Requests that create a
  comment, an issue, a check run or a pull request are not repeated after a
  5xx or a lost connection, since GitHub may have created it already (the
  bot's next run finds it by its marker); everything else is idempotent;
- conditional requests: GET answers are kept with their ETag in ``cache`` (a
  dict, or a :class:`FileCache` that outlives the process), so asking again
  sends ``If-None-Match`` and a ``304 Not Modified`` costs no rate limit;
- answers checked against the shape pepctl expects (``shape=``, see
  ``pepctl.github.shapes``), so a proxy's HTML page or a wrong payload ends in
  one line naming the endpoint, not a crash further on;
- one exception type, ``pepctl.github.errors.GitHubError``, whose message fits on one line.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.parse

import gidgethub
import gidgethub.httpx
import gidgethub.sansio
import httpx

from pepctl.fsutil import atomic_write
from pepctl.github.errors import GitHubError, SetupError, TokenMissing
from pepctl.github.shapes import OBJECT, shape_problem

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PER_PAGE = 100


def token_from_env(env=None) -> str:
    env = os.environ if env is None else env
    token = env.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise TokenMissing(
            "GITHUB_TOKEN is not set; export a token that can read the repository "
            "(in a workflow: `env: GITHUB_TOKEN: ${{ github.token }}`)"
        )
    return token


def api_url_from_env(env=None) -> str:
    """GITHUB_API_URL (default https://api.github.com); SetupError when it is not an http(s) URL."""
    env = os.environ if env is None else env
    url = (env.get("GITHUB_API_URL") or "").strip() or DEFAULT_API_URL
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise SetupError(
            f"GITHUB_API_URL is not an http(s) URL: {url!r}; set it to the API base "
            f"({DEFAULT_API_URL}, or https://HOST/api/v3 for GitHub Enterprise Server) or unset it"
        )
    return url.rstrip("/")


class FileCache(dict):
    """A gidgethub cache (URL -> etag, last-modified, data, next page) kept in a JSON file.

    Load it before the requests and ``save()`` after; a missing or unreadable
    file starts an empty cache.
    """

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        try:
            with open(path, encoding="utf-8") as handle:
                stored = json.load(handle)
            for key, value in stored.items():
                if isinstance(value, list) and len(value) == 4:
                    self[key] = tuple(value)
        except (OSError, ValueError, AttributeError):
            pass

    def save(self) -> None:
        atomic_write(self.path, json.dumps(dict(self)).encode("utf-8"))


CREATIONS = ("/comments", "/issues", "/check-runs", "/pulls")  # a POST there makes one more each time


def _is_creation(method: str, url: str) -> bool:
    """Requests not to repeat when the first try may have been carried out (GitHub can answer
    5xx, or time out, after it made the comment, issue, check run or pull request)."""
    path = urllib.parse.urlsplit(url).path
    return method == "POST" and path.endswith(CREATIONS)


def _header(headers, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name)
    if value is None:
        value = headers.get(name.title())
    return value


class _API(gidgethub.httpx.GitHubAPI):
    """gidgethub's httpx binding plus retries and a request counter."""

    def __init__(self, client, owner, *, max_attempts, max_wait, sleep, clock, **kwargs):
        super().__init__(client, owner, **kwargs)
        self.max_attempts = max_attempts
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self.request_count = 0
        self.waited = 0.0

    async def sleep(self, seconds: float) -> None:
        self.waited += seconds
        result = self._sleep(seconds)
        if asyncio.iscoroutine(result):
            await result

    def backoff(self, attempt: int) -> float:
        return min(self.max_wait, 0.5 * 2 ** (attempt - 1))

    def wait_for(self, status: int, headers, attempt: int) -> float | None:
        """Seconds to wait before another try, or None when not to retry."""
        retry_after = _header(headers, "retry-after")
        remaining = _header(headers, "x-ratelimit-remaining")
        reset = _header(headers, "x-ratelimit-reset")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                return self.backoff(attempt)
        if status in (403, 429) and remaining == "0" and reset is not None:
            try:
                return max(0.0, float(reset) - self._clock()) + 1.0
            except ValueError:
                return self.backoff(attempt)
        if status == 429:
            return self.backoff(attempt)
        if status >= 500:
            return self.backoff(attempt)
        return None

    async def handle_rate_limit_error(self, *, method, url, exception, attempt) -> bool:
        status = int(exception.status_code)
        headers = getattr(exception, "headers", None) or {}
        delay = self.wait_for(status, headers, attempt)
        if delay is None:
            return False
        if status >= 500 and _is_creation(method, url):
            exception.refusal = "not repeated, since GitHub may have created it"
            return False
        if attempt >= self.max_attempts:
            exception.refusal = f"gave up after {attempt} attempts"
            return False
        if delay > self.max_wait:
            when = time.strftime("%H:%M:%S UTC", time.gmtime(self._clock() + delay))
            exception.refusal = f"rate limited until {when}, longer than the {self.max_wait:g} s pepctl waits"
            return False
        await self.sleep(delay)
        return True

    async def pages(self, url, *, extra_headers):
        """The decoded answer of each page of a list endpoint, following Link rel="next"."""
        current = url
        while current:
            data, current, _ = await self._make_request(
                "GET", current, {}, b"", gidgethub.sansio.accept_format(), extra_headers=extra_headers
            )
            yield current, data

    async def _request(self, method, url, headers, body=b""):
        attempt = 0
        while True:
            attempt += 1
            self.request_count += 1
            try:
                return await super()._request(method, url, headers, body)
            except httpx.TransportError as err:
                retry = attempt < self.max_attempts and not (
                    _is_creation(method, url) and not isinstance(err, httpx.ConnectError)
                )
                if not retry:
                    detail = str(err) or type(err).__name__
                    raise GitHubError(f"cannot reach {self.base_url}: {detail}") from None
                await self.sleep(self.backoff(attempt))


class Client:
    """An async GitHub REST client bound to one API base and token.

    Use as ``async with Client(token) as gh: ...``. Paths are relative to the
    API base (``/repos/o/r/pulls/1``); absolute URLs (pagination links) work too.
    ``sleep`` (sync or async) and ``clock`` are injectable so tests need not wait.
    """

    def __init__(
        self,
        token: str,
        base_url: str | None = None,
        *,
        cache=None,
        max_attempts: int = 4,
        max_wait: float = 60.0,
        sleep=None,
        clock=None,
        timeout: float = 30.0,
        requester: str = "pepctl",
    ):
        self.token = token
        self.base_url = (base_url or DEFAULT_API_URL).rstrip("/")
        self.cache = {} if cache is None else cache
        self.max_attempts = max(1, max_attempts)
        self.max_wait = max_wait
        self.sleep = sleep or asyncio.sleep
        self.clock = clock or time.time
        self.timeout = timeout
        self.requester = requester
        self._http: httpx.AsyncClient | None = None
        self._api: _API | None = None

    @classmethod
    def from_env(cls, env=None, **kwargs) -> Client:
        """A client from GITHUB_TOKEN and GITHUB_API_URL; TokenMissing without a token."""
        env = os.environ if env is None else env
        cache = kwargs.pop("cache", None)
        if cache is None and env.get("PEPCTL_HTTP_CACHE"):
            cache = FileCache(env["PEPCTL_HTTP_CACHE"])
        return cls(token_from_env(env), api_url_from_env(env), cache=cache, **kwargs)

    async def __aenter__(self) -> Client:
        self._http = httpx.AsyncClient(timeout=self.timeout, trust_env=True)
        self._api = _API(
            self._http,
            self.requester,
            oauth_token=self.token,
            cache=self.cache,
            base_url=self.base_url,
            max_attempts=self.max_attempts,
            max_wait=self.max_wait,
            sleep=self.sleep,
            clock=self.clock,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._http is not None:
            await self._http.aclose()
        if isinstance(self.cache, FileCache):
            try:
                self.cache.save()
            except OSError:
                pass

    # -- bookkeeping -----------------------------------------------------------------

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._api.request_count if self._api else 0

    @property
    def rate_limit(self):
        return self._api.rate_limit if self._api else None

    # -- requests --------------------------------------------------------------------

    def _headers(self) -> dict:
        return {"x-github-api-version": API_VERSION}

    def _path(self, url: str) -> str:
        path = url[len(self.base_url):] or "/" if url.startswith(self.base_url) else url
        parts = urllib.parse.urlsplit(path)
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "per_page"]
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def _unexpected(self, method: str, url: str, problem: str) -> GitHubError:
        return GitHubError(f"GitHub API {method} {self._path(url)}: unexpected response ({problem}); "
                           "check that GITHUB_API_URL is the API and that no proxy answers in its place")

    def _check(self, method: str, url: str, data, shape):
        problem = shape_problem(data, shape)
        if problem:
            raise self._unexpected(method, url, problem)
        return data

    def _describe(self, method: str, url: str, err: Exception) -> GitHubError:
        path = url
        if url.startswith(self.base_url):
            path = url[len(self.base_url):] or "/"
        status = getattr(err, "status_code", None)
        code = int(status) if status is not None else None
        if isinstance(err, gidgethub.HTTPException):
            text = str(err) or (status.phrase if status is not None else "")
            detail = f"{code} {text}".strip() if code else text
        else:
            detail = str(err) or type(err).__name__
        refusal = getattr(err, "refusal", None)
        if refusal and code is not None and (code >= 500 or code in (403, 429)):
            detail += f" ({refusal})"
        if code == 401:
            detail += " (is GITHUB_TOKEN valid?)"
        elif code == 403 and method != "GET" and not refusal:
            detail += (" (the token may not write here: check the job's permissions; a workflow started by a "
                       "fork's pull_request_review gets a read-only token)")
        return GitHubError(f"GitHub API {method} {path}: {detail}", code)

    async def _call(self, method: str, coro_factory, url: str):
        assert self._api is not None, "use `async with Client(...)`"
        try:
            return await coro_factory()
        except GitHubError:
            raise
        except gidgethub.HTTPException as err:
            raise self._describe(method, url, err) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise self._unexpected(method, url, f"the body is not valid JSON: {err}") from None
        except RecursionError:
            raise self._unexpected(method, url, "the body is not valid JSON: nested too deeply") from None
        except (gidgethub.GitHubException, ValueError) as err:
            raise self._describe(method, url, err) from None

    async def get(self, url: str, *, accept: str | None = None, shape=OBJECT):
        """The decoded answer, checked against ``shape`` (default: a JSON object; None: anything)."""
        extra = self._headers()
        kwargs = {"accept": accept} if accept else {}

        async def one():
            data = await self._api.getitem(url, None, extra_headers=extra, **kwargs)
            return self._check("GET", url, data, shape)

        return await self._call("GET", one, url)

    async def get_all(self, url: str, *, limit: int | None = None, item=OBJECT) -> list:
        """Every item of a list endpoint, following Link rel="next" (per_page=100).

        Each page must be a JSON list whose items have the shape ``item``
        (default: JSON objects); anything else is a GitHubError naming the page.
        """
        url = with_query(url, per_page=PER_PAGE)
        extra = self._headers()

        async def collect():
            items = []
            page_url = url
            async for next_url, data in self._api.pages(url, extra_headers=extra):
                self._check("GET", page_url, data, [item])
                page_url = next_url
                items.extend(data)
                if limit is not None and len(items) >= limit:
                    return items[:limit]
            return items

        return await self._call("GET", collect, url)

    async def post(self, url: str, data):
        return await self._call("POST", lambda: self._api.post(url, None, data=data, extra_headers=self._headers()), url)

    async def patch(self, url: str, data):
        return await self._call("PATCH", lambda: self._api.patch(url, None, data=data, extra_headers=self._headers()), url)

    async def put(self, url: str, data):
        return await self._call("PUT", lambda: self._api.put(url, None, data=data, extra_headers=self._headers()), url)

    async def delete(self, url: str):
        return await self._call("DELETE", lambda: self._api.delete(url, None, extra_headers=self._headers()), url)


def with_query(url: str, **params) -> str:
    """``url`` with these query parameters set (existing ones replaced)."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def quote_path(path: str) -> str:
    return urllib.parse.quote(path, safe="/")


def run(coro):
    """Run one coroutine to completion (the commands' entry into async code)."""
    return asyncio.run(coro)
