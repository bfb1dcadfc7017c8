"""The GitHub App's credentials: a JWT signed with its private key (RS256, PyJWT), exchanged for
installation tokens (``POST /app/installations/{id}/access_tokens``), cached until shortly
before they expire.

GitHub wants ``iat`` a little in the past (clocks drift) and ``exp`` at most ten minutes after
it; installation tokens last an hour. Worker threads share one ``AppAuth``: the cache is locked,
and tokens are fetched with a short synchronous request (once an hour per installation).
"""

from __future__ import annotations

import calendar
import threading
import time

import httpx
import jwt

from pepctl.github.client import API_VERSION
from pepctl.github.errors import GitHubError

JWT_PAST = 60  # seconds iat is set in the past
JWT_LIFE = 540  # seconds from now until exp (GitHub allows at most 600 after iat)
RENEW_BEFORE = 300  # seconds before expiry a cached token is replaced


class InstallationGone(GitHubError):
    """The installation was removed or suspended: nothing can be done for it."""


def parse_expiry(text) -> float | None:
    try:
        return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))
    except (TypeError, ValueError):
        return None


class AppAuth:
    def __init__(self, app_id: int, private_key: bytes, api_url: str, *, clock=time.time, metrics=None):
        self.app_id = app_id
        self.private_key = private_key
        self.api_url = api_url.rstrip("/")
        self.clock = clock
        self.metrics = metrics
        self._tokens: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._login: str | None = None

    def jwt(self) -> str:
        now = int(self.clock())
        claims = {"iat": now - JWT_PAST, "exp": now + JWT_LIFE, "iss": str(self.app_id)}
        return jwt.encode(claims, self.private_key, algorithm="RS256")

    def app_request(self, method: str, path: str, json_body=None) -> httpx.Response:
        """One request as the App itself (JWT), for /app endpoints. GitHubError when it fails."""
        headers = {"Authorization": f"Bearer {self.jwt()}", "Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": API_VERSION, "User-Agent": "pepctl-bot"}
        for attempt in (1, 2, 3):
            try:
                answer = httpx.request(method, self.api_url + path, headers=headers, json=json_body, timeout=30)
            except httpx.TransportError as err:
                if attempt == 3:
                    raise GitHubError(f"cannot reach {self.api_url}: {err or type(err).__name__}") from None
                time.sleep(0.5 * attempt)
                continue
            if answer.status_code >= 500 and attempt < 3:
                time.sleep(0.5 * attempt)
                continue
            return answer
        raise AssertionError("unreachable")

    def token(self, installation_id: int) -> str:
        """A valid installation token, from the cache unless it expires within five minutes."""
        with self._lock:
            cached = self._tokens.get(installation_id)
            if cached and cached[1] - self.clock() > RENEW_BEFORE:
                return cached[0]
            path = f"/app/installations/{installation_id}/access_tokens"
            answer = self.app_request("POST", path)
            if rate_limited(answer):  # not a removed installation: the work waits for its retry
                raise GitHubError(f"GitHub API POST {path}: {answer.status_code} rate limited "
                                  f"({_json(answer).get('message') or 'no message'}); the row is tried again later",
                                  answer.status_code)
            if answer.status_code in (403, 404):
                raise InstallationGone(f"GitHub API POST {path}: {answer.status_code}: the installation is "
                                       "gone or suspended", answer.status_code)
            data = _json(answer)
            if answer.status_code != 201 or not isinstance(data.get("token"), str):
                raise GitHubError(f"GitHub API POST {path}: {answer.status_code} {data.get('message', '')}".rstrip(),
                                  answer.status_code)
            expires = parse_expiry(data.get("expires_at")) or self.clock() + 3600
            self._tokens[installation_id] = (data["token"], expires)
            if self.metrics is not None:
                self.metrics.tokens.inc()
            return data["token"]

    def forget(self, installation_id: int) -> None:
        """Drop a token GitHub refused (401): the next ``token`` call fetches a new one."""
        with self._lock:
            self._tokens.pop(installation_id, None)

    def login(self) -> str:
        """The login the App posts as, ``SLUG[bot]`` (``GET /app``, asked once)."""
        if self._login is None:
            answer = self.app_request("GET", "/app")
            data = _json(answer)
            if answer.status_code != 200 or not isinstance(data.get("slug"), str):
                raise GitHubError(f"GitHub API GET /app: {answer.status_code} {data.get('message', '')} "
                                  "(are PEPCTL_APP_ID and PEPCTL_PRIVATE_KEY the App's?)".rstrip(), answer.status_code)
            self._login = data["slug"] + "[bot]"
        return self._login


def rate_limited(answer: httpx.Response) -> bool:
    """GitHub's rate limits: 429, or 403 with Retry-After or no requests remaining."""
    if answer.status_code == 429:
        return True
    return answer.status_code == 403 and (answer.headers.get("retry-after") is not None
                                          or answer.headers.get("x-ratelimit-remaining") == "0")


def _json(answer: httpx.Response) -> dict:
    try:
        data = answer.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
