"""What working one claimed row means (``pepctl.bot.queue``), once the worker holds a client for its
installation:

- a pull request: read it and its repository's configuration on the default branch, run
  ``pepctl.github.gate.gate`` (the same facts, rules and writes as ``pepctl gate``), publish the
  plan with a check run in place of the commit status (``pepctl.bot.checks``), and schedule its
  reminders (``pepctl.bot.reminders``); a closed one gets the chores after a decision
  (``pepctl.bot.chores``);
- an issue (a number that is no pull request): a PEP's tracking issue brought up to date;
- a whole repository (number 0): each of its open pull requests, and its index, marked dirty;
- the index row: whether the repository's index is stale.

Each returns the audit log's entry for the row: its ``action`` and details.
"""

from __future__ import annotations

from pepctl.bot import chores, queue, reminders
from pepctl.bot.checks import publish, publish_config_error
from pepctl.bot.events import INDEX, Key
from pepctl.bot.repoconfig import repo_policy
from pepctl.config import ConfigError
from pepctl.github.errors import GitHubError
from pepctl.github.gate import gate
from pepctl.github.gather import gather
from pepctl.github.reads import PULL
from pepctl.review import decide as decide_verdict


GONE = {"action": "skipped", "why": "no such repository (deleted, renamed, or taken out of the installation)"}


async def repo_gone(gh, repo: str, err: GitHubError) -> bool:
    """Whether a 404 means the repository itself is gone (not something in it): a row for it
    is let go, as one for a pull request that is gone, instead of failing for ever."""
    if err.status != 404:
        return False
    try:
        await gh.get(f"/repos/{repo}")
    except GitHubError as again:
        if again.status == 404:
            return True
        raise
    return False


async def sweep(worker, gh, item) -> dict:
    try:
        pulls = await gh.get_all(f"/repos/{item.repo}/pulls?state=open", item=PULL)
    except GitHubError as err:
        if await repo_gone(gh, item.repo, err):
            return dict(GONE)
        raise
    keys = [Key(item.installation_id, item.repo, p["number"]) for p in pulls]
    keys.append(Key(item.installation_id, item.repo, INDEX))  # and whether the index is stale
    with worker.store.begin() as connection:
        queue.mark_dirty(connection, keys)
    return {"action": "resync", "pulls": len(pulls)}


async def chores_of(worker, gh, repo: str, branch: str | None = None) -> chores.Repo:
    if branch is None:
        branch = (await gh.get(f"/repos/{repo}")).get("default_branch") or "main"
    policy, folder = await repo_policy(gh, repo, branch)
    return chores.Repo(gh, repo, branch, policy, folder, await worker.login())


async def index(worker, gh, item) -> dict:
    try:
        work = await chores_of(worker, gh, item.repo)
    except GitHubError as err:
        if await repo_gone(gh, item.repo, err):
            return dict(GONE)
        raise
    return await chores.on_index(work)


async def decide(worker, gh, item) -> dict:
    repo, number = item.repo, item.number
    try:
        pull = await gh.get(f"/repos/{repo}/pulls/{number}", shape=PULL)
    except GitHubError as err:
        if err.status != 404:
            raise
        return await issue(worker, gh, item)  # pull requests and issues share their numbers
    branch = ((pull.get("base") or {}).get("repo") or {}).get("default_branch") or "main"
    await mark_tracking_issues(worker, gh, item, pull, branch)
    if pull.get("state") != "open":
        work = await chores_of(worker, gh, repo, branch)
        gathered = await gather(gh, repo, number, work.policy, work.folder, collisions=False,
                                trusted_logins=[work.login])
        return await chores.after_close(work, pull, decide_verdict(gathered.facts))
    try:
        policy, folder = await repo_policy(gh, repo, branch)
    except ConfigError as err:
        result = await publish_config_error(gh, repo, pull["head"]["sha"], worker.settings.check_name,
                                            worker.settings.app_id, str(err))
        return {"action": "config-error", "error": str(err), "check": result}
    login = await worker.login()
    requests = gh.request_count
    gated = await gate(gh, repo, number, policy, folder, trusted_logins=[login], dry_run=True)
    check = await publish(gh, gated, worker.settings.check_name, worker.settings.app_id)
    reminders.schedule(worker.store, item, gated, policy)
    return {"action": "gate", "conclusion": gated.verdict.conclusion, "check": check,
            "head": pull["head"]["sha"], "writes": [w.what for w in gated.plan.writes],
            "requests": gh.request_count - requests}


async def issue(worker, gh, item) -> dict:
    try:
        issue = await gh.get(f"/repos/{item.repo}/issues/{item.number}")
    except GitHubError as err:
        if err.status == 404:
            return {"action": "skipped", "why": "no such pull request or issue"}
        raise
    return await chores.on_tracking_issue(await chores_of(worker, gh, item.repo), issue)


async def mark_tracking_issues(worker, gh, item, pull: dict, branch: str) -> None:
    """A pull request that is "Part of PEP-NNNN": that PEP's tracking issue updates its checklist."""
    labels = chores.mentioned(pull)
    if not labels:
        return
    work = chores.Repo(gh, item.repo, branch, None, None, await worker.login())
    keys = []
    for label in labels:
        issue = await work.tracking_issue(label)
        if issue is not None:
            keys.append(Key(item.installation_id, item.repo, issue["number"]))
    if keys:
        with worker.store.begin() as connection:
            queue.mark_dirty(connection, keys)
