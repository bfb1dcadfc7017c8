"""Which repositories the App is installed on, asked from GitHub: ``GET /app/installations``
(as the App), then ``GET /installation/repositories`` for each (as the installation). The
answer refreshes the ``bot_installations`` and ``bot_repositories`` tables, which the
installation webhooks otherwise keep."""

from __future__ import annotations

import sqlalchemy as sa

from pepctl.bot.auth import AppAuth, InstallationGone
from pepctl.bot.events import as_text, get
from pepctl.bot.models import installations, repositories
from pepctl.bot.queue import upsert
from pepctl.bot.redeliver import json_list, link_next
from pepctl.bot.store import utcnow
from pepctl.github.client import Client
from pepctl.github.errors import GitHubError

MAX_PAGES = 100


def app_pages(auth: AppAuth, url: str):
    for _ in range(MAX_PAGES):
        answer = auth.app_request("GET", url)
        if answer.status_code != 200:
            raise GitHubError(f"GitHub API GET {url}: {answer.status_code}", answer.status_code)
        yield json_list(answer, url.split("?")[0])
        following = link_next(answer.headers.get("link"))
        if not following:
            return
        url = following[len(auth.api_url):] if following.startswith(auth.api_url) else following


async def installed_repositories(auth: AppAuth) -> tuple[dict[str, int], dict[int, str]]:
    """(repository full name -> installation id, installation id -> account) for every installation."""
    found: dict[str, int] = {}
    accounts: dict[int, str] = {}
    for page in app_pages(auth, "/app/installations?per_page=100"):
        for item in page:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                accounts[item["id"]] = as_text(get(item, "account", "login")) or ""
    for iid in accounts:
        try:
            token = auth.token(iid)
        except InstallationGone:
            continue
        async with Client(token, auth.api_url) as gh:
            for page in range(1, MAX_PAGES + 1):
                data = await gh.get(f"/installation/repositories?per_page=100&page={page}")
                listed = data.get("repositories") or []
                for repo in listed:
                    if isinstance(repo, dict) and isinstance(repo.get("full_name"), str):
                        found[repo["full_name"]] = iid
                if len(listed) < 100:
                    break
    return found, accounts


def remember(store, found: dict[str, int], accounts: dict[int, str]) -> None:
    now = utcnow()
    with store.begin() as connection:
        for iid, account in accounts.items():
            stmt = upsert(connection, installations).values(id=iid, account=account, created_at=now)
            connection.execute(stmt.on_conflict_do_update(index_elements=["id"],
                                                          set_={"account": account, "deleted_at": None}))
        connection.execute(sa.delete(repositories).where(repositories.c.repo.not_in(list(found) or [""])))
        for name, iid in found.items():
            stmt = upsert(connection, repositories).values(repo=name, installation_id=iid, added_at=now)
            connection.execute(stmt.on_conflict_do_update(index_elements=["repo"], set_={"installation_id": iid}))
