"""Workers: claim one dirty pull request at a time, re-read it from GitHub, run the gate, let go.

For each claimed row (``pepctl.bot.queue``):

- a pull request: read it and its repository's configuration on the default branch, run
  ``pepctl.github.gate.gate`` (the same facts, rules and writes as ``pepctl gate``), and publish
  the plan with a check run in place of the commit status (``pepctl.bot.checks``);
- a whole repository (number 0): mark each of its open pull requests dirty.

The lease is renewed while the work goes on; should it be lost (the worker stalled past it and
another took the row), the work is abandoned. A 401 from GitHub renews the installation token
and tries once more. A failure puts the row back with a growing delay. Every row worked leaves
an entry in the audit log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
import uuid

from pepctl.bot import audit, queue
from pepctl.bot.auth import AppAuth, InstallationGone
from pepctl.bot.checks import publish, publish_config_error
from pepctl.bot.events import REPO, Key
from pepctl.bot.repoconfig import repo_policy
from pepctl.config import ConfigError
from pepctl.github.client import Client
from pepctl.github.errors import GitHubError
from pepctl.github.gate import gate
from pepctl.github.reads import PULL

log = logging.getLogger("pepctl.bot")
IDLE_MIN, IDLE_MAX = 0.05, 1.0  # seconds between polls of an empty queue, growing while idle


class LeaseLost(Exception):
    pass


class Worker:
    def __init__(self, settings, store, metrics, auth: AppAuth, name: str | None = None):
        self.settings = settings
        self.store = store
        self.metrics = metrics
        self.auth = auth
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.bot_login = settings.bot_login

    # -- the loop ------------------------------------------------------------------------------

    async def run(self, stop: threading.Event | None = None, once: bool = False) -> int:
        """Work rows until ``stop`` is set (or, ``once``, until none is ready). Rows worked."""
        done = 0
        idle = IDLE_MIN
        while stop is None or not stop.is_set():
            item = queue.claim(self.store, self.name, self.settings.lease_seconds)
            if item is None:
                if once:
                    return done
                await asyncio.sleep(idle)
                idle = min(IDLE_MAX, idle * 2)
                continue
            idle = IDLE_MIN
            await self.work(item)
            done += 1
        return done

    async def work(self, item: queue.Claimed) -> str:
        """Work one claimed row under its lease; the outcome ("done", "again", "failed", "lost")."""
        started, wall = time.perf_counter(), time.time()
        task = asyncio.ensure_future(self.process(item))
        keeper = asyncio.ensure_future(self.keep_lease(item, task))
        outcome = "failed"
        try:
            detail = await task
            ended = time.time()  # before the row is let go: the next worker starts after this
            outcome = "done" if queue.finish(self.store, item) else "again"
        except asyncio.CancelledError:
            outcome = "lost"
            log.warning("%s#%s: lease lost, work abandoned", item.repo, item.number)
        except (GitHubError, ConfigError) as err:
            when = queue.fail(self.store, item, str(err))
            audit.write(self.store, self.name, "failed", item.repo, item.number or None, error=str(err),
                        retry_at=when.isoformat(timespec="seconds"))
            log.warning("%s#%s: %s (again at %s)", item.repo, item.number, err, when)
        except Exception as err:  # noqa: BLE001 -- a bug must not stop the worker: the row waits, logged
            when = queue.fail(self.store, item, f"{type(err).__name__}: {err}")
            audit.write(self.store, self.name, "failed", item.repo, item.number or None,
                        error=f"{type(err).__name__}: {err}", retry_at=when.isoformat(timespec="seconds"))
            log.exception("%s#%s: unexpected error", item.repo, item.number)
        else:
            if detail is not None:
                # when it ran, so the log shows that no two workers ever held one row at once
                audit.write(self.store, self.name, detail.pop("action"), item.repo, item.number or None,
                            generation=item.generation, started=round(wall, 3), ended=round(ended, 3),
                            **detail)
        finally:
            keeper.cancel()
            self.metrics.processed.labels(outcome).inc()
            self.metrics.process_seconds.observe(time.perf_counter() - started)
        return outcome

    async def keep_lease(self, item, task) -> None:
        every = max(1.0, self.settings.lease_seconds / 3)
        while not task.done():
            await asyncio.sleep(every)
            if not queue.renew(self.store, item, self.settings.lease_seconds):
                task.cancel()
                return

    # -- one row -------------------------------------------------------------------------------

    async def process(self, item: queue.Claimed) -> dict | None:
        for attempt in (1, 2):
            try:
                token = await asyncio.to_thread(self.auth.token, item.installation_id)
            except InstallationGone as err:
                return {"action": "skipped", "why": str(err)}
            client = Client(token, self.settings.api_url, max_wait=60)
            try:
                async with client as gh:
                    try:
                        if item.number == REPO:
                            return await self.sweep(gh, item)
                        return await self.decide(gh, item)
                    finally:
                        self.metrics.github_requests.inc(gh.request_count)
            except GitHubError as err:
                if err.status == 401 and attempt == 1:
                    self.auth.forget(item.installation_id)  # renewed once, then tried again
                    continue
                raise
        raise AssertionError("unreachable")

    async def sweep(self, gh, item) -> dict:
        pulls = await gh.get_all(f"/repos/{item.repo}/pulls?state=open", item=PULL)
        keys = [Key(item.installation_id, item.repo, p["number"]) for p in pulls]
        with self.store.begin() as connection:
            queue.mark_dirty(connection, keys)
        return {"action": "resync", "pulls": len(keys)}

    async def decide(self, gh, item) -> dict:
        repo, number = item.repo, item.number
        pull = await gh.get(f"/repos/{repo}/pulls/{number}", shape=PULL)
        if pull.get("state") != "open":
            return {"action": "closed", "merged": bool(pull.get("merged_at"))}
        branch = ((pull.get("base") or {}).get("repo") or {}).get("default_branch") or "main"
        try:
            policy, folder = await repo_policy(gh, repo, branch)
        except ConfigError as err:
            result = await publish_config_error(gh, repo, pull["head"]["sha"], self.settings.check_name,
                                                self.settings.app_id, str(err))
            return {"action": "config-error", "error": str(err), "check": result}
        login = await self.login()
        gated = await gate(gh, repo, number, policy, folder, trusted_logins=[login], dry_run=True)
        check = await publish(gh, gated, self.settings.check_name, self.settings.app_id)
        return {"action": "gate", "conclusion": gated.verdict.conclusion, "check": check,
                "head": pull["head"]["sha"], "writes": [w.what for w in gated.plan.writes],
                "requests": gh.request_count}

    async def login(self) -> str:
        if not self.bot_login:
            self.bot_login = await asyncio.to_thread(self.auth.login)
        return self.bot_login


def make_auth(settings, metrics=None) -> AppAuth:
    settings.require_app()
    return AppAuth(settings.app_id, settings.private_key_pem(), settings.api_url, metrics=metrics)


def run_in_thread(settings, store, metrics, stop: threading.Event, n: int = 0, auth=None) -> threading.Thread:
    """A worker in its own thread with its own event loop (the web server keeps the main one)."""
    worker = Worker(settings, store, metrics, auth or make_auth(settings, metrics))

    def main():
        try:
            asyncio.run(worker.run(stop))
        except Exception:  # noqa: BLE001
            log.exception("worker %s stopped", worker.name)

    thread = threading.Thread(target=main, name=f"pepctl-bot-worker-{n}", daemon=True)
    thread.start()
    return thread


def work(settings, *, once: bool = False) -> int:
    """``pepctl bot work``: workers without the web server, until SIGTERM/SIGINT (or, ``once``,
    until nothing is ready)."""
    import signal

    from pepctl.bot.metrics import Metrics
    from pepctl.bot.serve import open_store

    store = open_store(settings)
    metrics = Metrics()
    auth = make_auth(settings, metrics)
    if once:
        try:
            asyncio.run(Worker(settings, store, metrics, auth).run(once=True))
        finally:
            store.dispose()
        return 0
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threads = [run_in_thread(settings, store, metrics, stop, n, auth) for n in range(max(1, settings.workers))]
    while any(t.is_alive() for t in threads):
        for thread in threads:
            thread.join(timeout=0.5)
    store.dispose()
    return 0
