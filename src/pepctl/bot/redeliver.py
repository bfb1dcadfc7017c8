"""Deliveries that never reached the bot: GitHub lists the App's recent deliveries with the HTTP
status each got (``GET /app/hook/deliveries``), and sends one again on request (``POST
/app/hook/deliveries/{id}/attempts``). A delivery counts as received when any attempt got a 2xx
answer or its id is in the bot's own table; the others are asked for again, once per sweep,
except those the bot refused for what they are (``REFUSED``): the same body would be refused again.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from pepctl.bot.models import deliveries
from pepctl.github.errors import GitHubError
from pepctl.timestamps import parse_instant

MAX_AGE = datetime.timedelta(days=3)  # GitHub keeps deliveries for 3 days: older ones cannot be redelivered
MAX_PAGES = 50
# The bot's answers to a delivery that say it will never be taken: 400 (no delivery id or event, not
# a JSON object) and 413 (too large). A 401 is asked for again: the secret may have been put right
# since; a 5xx or 503 (the database away) and no answer at all, too.
REFUSED = frozenset({400, 413})


def link_next(header: str | None) -> str | None:
    for part in (header or "").split(","):
        if 'rel="next"' in part and "<" in part and ">" in part:
            return part[part.index("<") + 1: part.index(">")]
    return None


def json_list(answer, path: str) -> list:
    """The JSON list a 200 answer of ``GET path`` holds; GitHubError when it is anything else."""
    try:
        page = answer.json()
    except ValueError:
        page = None
    if not isinstance(page, list):
        raise GitHubError(f"GitHub API GET {path}: unexpected response (not JSON, or not a list); "
                          "check that GITHUB_API_URL is the API and that no proxy answers in its place")
    return page


def failed_deliveries(auth, now: datetime.datetime) -> list[dict]:
    """The newest attempt of each delivery (by guid) of the last three days none of whose attempts
    succeeded, or was refused for good (``REFUSED``)."""
    attempts: dict[str, list[dict]] = {}
    url = "/app/hook/deliveries?per_page=100"
    for _ in range(MAX_PAGES):
        answer = auth.app_request("GET", url)
        if answer.status_code != 200:
            raise GitHubError(f"GitHub API GET /app/hook/deliveries: {answer.status_code}", answer.status_code)
        page = json_list(answer, "/app/hook/deliveries")
        old = False
        for item in page:
            if not isinstance(item, dict) or not isinstance(item.get("guid"), str) or not isinstance(item.get("id"), int):
                continue
            when = parse_instant(item.get("delivered_at"))
            if when is not None and now - when.replace(tzinfo=None) > MAX_AGE:
                old = True
                continue
            attempts.setdefault(item["guid"], []).append(item)
        following = link_next(answer.headers.get("link"))
        if old or not following:
            break
        url = following[len(auth.api_url):] if following.startswith(auth.api_url) else following
    failed = []
    for tries in attempts.values():
        codes = [t.get("status_code") for t in tries if isinstance(t.get("status_code"), int)]
        if any(200 <= code < 300 or code in REFUSED for code in codes):
            continue
        failed.append(max(tries, key=lambda t: t["id"]))
    return failed


def redeliver(store, auth, now: datetime.datetime) -> list[str]:
    """Ask GitHub to send again each failed delivery the bot does not have; their guids."""
    failed = failed_deliveries(auth, now)
    if not failed:
        return []
    with store.engine.connect() as connection:
        have = set(connection.execute(sa.select(deliveries.c.guid)
                                      .where(deliveries.c.guid.in_([f["guid"] for f in failed]))).scalars())
    asked = []
    for item in failed:
        if item["guid"] in have:
            continue
        answer = auth.app_request("POST", f"/app/hook/deliveries/{item['id']}/attempts")
        if answer.status_code in (200, 202):
            asked.append(item["guid"])
    return asked
