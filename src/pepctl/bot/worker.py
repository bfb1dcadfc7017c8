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
import contextlib
import datetime
import logging
import os
import socket
import threading
import time
import uuid

from pepctl.bot import audit, queue, timers, wake
from pepctl.bot.auth import AppAuth, InstallationGone
from pepctl.bot.checks import publish, publish_config_error
from pepctl.bot import chores
from pepctl.bot.events import INDEX, REPO, Key
from pepctl.bot.repoconfig import repo_policy
from pepctl.bot.store import utcnow
from pepctl.bot.wake import Bell
from pepctl.config import ConfigError
from pepctl.github.client import Client
from pepctl.github.errors import GitHubError
from pepctl.github.gate import gate
from pepctl.github.gather import gather
from pepctl.github.markers import is_trusted, text_of
from pepctl.github.reads import COMMENT, PULL
from pepctl.github.waiting import Waiting, reminder_due, reminder_text, today_utc
from pepctl.review import decide
from pepctl.timestamps import parse_instant

log = logging.getLogger("pepctl.bot")
IDLE_MIN, IDLE_MAX = 0.05, 1.0  # seconds between polls of an empty queue, growing while idle (no bell)
CLIENT_CACHE = 5000  # answers a kept GitHub client remembers (for ETags) before it starts afresh
SETTLE_MARGIN = 0.01  # seconds past the settle time before looking again after a ring
PERIODIC_CHECK = 60  # seconds between looks at whether this period's sweep timers exist
TIMER_RETRY = 300  # seconds before a timer that failed fires again
STALE_MARKER = "<!-- pepctl:stale-draft:{since} -->"


def naive_utc(text) -> datetime.datetime | None:
    when = parse_instant(text)
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return when


class LeaseLost(Exception):
    pass


class Worker:
    def __init__(self, settings, store, metrics, auth: AppAuth, name: str | None = None, startup: bool = False,
                 bell: Bell | None = None):
        self.settings = settings
        self.bell = bell  # rung when work arrives (None: poll)
        self.clients: dict[int, Client] = {}  # by installation, kept from row to row (``client``)
        self.poll = max(1, settings.poll_seconds)  # seconds between looks at the queue when the bell stays silent
        self.store = store
        self.metrics = metrics
        self.auth = auth
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.bot_login = settings.bot_login
        self.startup = startup  # a long-running worker: ask for failed deliveries once at start

    # -- the loop ------------------------------------------------------------------------------

    async def run(self, stop: threading.Event | None = None, once: bool = False) -> int:
        """Work rows until ``stop`` is set (or, ``once``, until none is ready). Rows worked.

        With a bell (``pepctl.bot.wake``), an idle worker sleeps until it rings, looking at the
        queue every ``poll_seconds`` all the same; without one it polls, every
        ``IDLE_MIN`` seconds at first, then less often up to ``IDLE_MAX``."""
        try:
            return await self.loop(stop, once)
        finally:
            await self.close_clients()

    async def loop(self, stop: threading.Event | None, once: bool) -> int:
        done = 0
        idle = IDLE_MIN
        periodic = 0.0
        if self.startup:
            with self.store.begin() as connection:
                timers.schedule(connection, f"redeliver:start:{self.name}", "redeliver", utcnow())
        while stop is None or not stop.is_set():
            seen = self.bell.rung if self.bell is not None else 0  # before claiming: a ring from now on counts
            if time.monotonic() - periodic > PERIODIC_CHECK:
                timers.ensure_periodic(self.store, self.settings.sweep_hours, self.settings.redelivery_minutes,
                                       prune_daily=bool(self.settings.keep_days))
                periodic = time.monotonic()
            timer = timers.claim(self.store, self.name, self.settings.lease_seconds)
            if timer is not None:
                await self.fire(timer)
                done += 1
                idle = IDLE_MIN
                continue
            item = queue.claim(self.store, self.name, self.settings.lease_seconds,
                               settle=self.settings.settle_ms / 1000)
            if item is None:
                if once:
                    return done
                if self.bell is None:
                    await asyncio.sleep(idle)
                    idle = min(IDLE_MAX, idle * 2)
                elif await asyncio.to_thread(self.bell.wait, seen, self.poll) and self.settings.settle_ms:
                    # work came: it is ready once quiet for the settle time (the rings meanwhile
                    # are the same burst; they wake the next wait at once)
                    await asyncio.sleep(self.settings.settle_ms / 1000 + SETTLE_MARGIN)
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
        if item.number == REPO:
            return await self.as_installation(item.installation_id, lambda gh: self.sweep(gh, item))
        if item.number == INDEX:
            return await self.as_installation(item.installation_id, lambda gh: self.index(gh, item))
        return await self.as_installation(item.installation_id, lambda gh: self.decide(gh, item))

    async def as_installation(self, installation_id: int, work) -> dict:
        """``await work(gh)`` with a client holding the installation's token; on a 401 the token is
        renewed once and the work tried again (it is idempotent)."""
        for attempt in (1, 2):
            try:
                gh = await self.client(installation_id)
            except InstallationGone as err:
                return {"action": "skipped", "why": str(err)}
            before = gh.request_count
            try:
                return await work(gh)
            except GitHubError as err:
                if err.status == 401 and attempt == 1:
                    self.auth.forget(installation_id)
                    continue
                raise
            finally:
                self.metrics.github_requests.inc(gh.request_count - before)
        raise AssertionError("unreachable")

    async def client(self, installation_id: int) -> Client:
        """This worker's client for the installation, kept from row to row while its token lasts:
        a new client costs a TLS context (tens of milliseconds of CPU, most of a small row's) and
        new connections, and a kept one asks GitHub with ETags (a 304 does not count against
        the rate limit). Started again once its cache holds ``CLIENT_CACHE`` answers."""
        token = await asyncio.to_thread(self.auth.token, installation_id)
        held = self.clients.get(installation_id)
        if held is not None and held.token == token and len(held.cache) <= CLIENT_CACHE:
            return held
        if held is not None:
            await held.__aexit__(None, None, None)
        gh = await Client(token, self.settings.api_url, max_wait=60).__aenter__()
        self.clients[installation_id] = gh
        return gh

    async def close_clients(self) -> None:
        for gh in self.clients.values():
            await gh.__aexit__(None, None, None)
        self.clients.clear()

    async def sweep(self, gh, item) -> dict:
        pulls = await gh.get_all(f"/repos/{item.repo}/pulls?state=open", item=PULL)
        keys = [Key(item.installation_id, item.repo, p["number"]) for p in pulls]
        keys.append(Key(item.installation_id, item.repo, INDEX))  # and whether the index is stale
        with self.store.begin() as connection:
            queue.mark_dirty(connection, keys)
        return {"action": "resync", "pulls": len(pulls)}

    async def chores_of(self, gh, repo: str, branch: str | None = None) -> chores.Repo:
        if branch is None:
            branch = (await gh.get(f"/repos/{repo}")).get("default_branch") or "main"
        policy, folder = await repo_policy(gh, repo, branch)
        return chores.Repo(gh, repo, branch, policy, folder, await self.login())

    async def index(self, gh, item) -> dict:
        return await chores.on_index(await self.chores_of(gh, item.repo))

    async def decide(self, gh, item) -> dict:
        repo, number = item.repo, item.number
        try:
            pull = await gh.get(f"/repos/{repo}/pulls/{number}", shape=PULL)
        except GitHubError as err:
            if err.status != 404:
                raise
            return await self.issue(gh, item)  # pull requests and issues share their numbers
        branch = ((pull.get("base") or {}).get("repo") or {}).get("default_branch") or "main"
        await self.mark_tracking_issues(gh, item, pull, branch)
        if pull.get("state") != "open":
            work = await self.chores_of(gh, repo, branch)
            gathered = await gather(gh, repo, number, work.policy, work.folder, collisions=False,
                                    trusted_logins=[work.login])
            return await chores.after_close(work, pull, decide(gathered.facts))
        try:
            policy, folder = await repo_policy(gh, repo, branch)
        except ConfigError as err:
            result = await publish_config_error(gh, repo, pull["head"]["sha"], self.settings.check_name,
                                                self.settings.app_id, str(err))
            return {"action": "config-error", "error": str(err), "check": result}
        login = await self.login()
        requests = gh.request_count
        gated = await gate(gh, repo, number, policy, folder, trusted_logins=[login], dry_run=True)
        check = await publish(gh, gated, self.settings.check_name, self.settings.app_id)
        self.schedule_timers(item, gated, policy)
        return {"action": "gate", "conclusion": gated.verdict.conclusion, "check": check,
                "head": pull["head"]["sha"], "writes": [w.what for w in gated.plan.writes],
                "requests": gh.request_count - requests}

    async def issue(self, gh, item) -> dict:
        try:
            issue = await gh.get(f"/repos/{item.repo}/issues/{item.number}")
        except GitHubError as err:
            if err.status == 404:
                return {"action": "skipped", "why": "no such pull request or issue"}
            raise
        return await chores.on_tracking_issue(await self.chores_of(gh, item.repo), issue)

    async def mark_tracking_issues(self, gh, item, pull: dict, branch: str) -> None:
        """A pull request that is "Part of PEP-NNNN": that PEP's tracking issue updates its checklist."""
        labels = chores.mentioned(pull)
        if not labels:
            return
        work = chores.Repo(gh, item.repo, branch, None, None, await self.login())
        keys = []
        for label in labels:
            issue = await work.tracking_issue(label)
            if issue is not None:
                keys.append(Key(item.installation_id, item.repo, issue["number"]))
        if keys:
            with self.store.begin() as connection:
                queue.mark_dirty(connection, keys)

    def schedule_timers(self, item, gated, policy) -> None:
        """The reminder due when first feedback is late, and the nudge due when a draft goes stale."""
        repo, number = item.repo, item.number
        with self.store.begin() as connection:
            info = gated.verdict.first_feedback
            due = naive_utc(info.due_at) if info is not None and info.running and info.first_at is None else None
            if due is not None:
                timers.schedule(connection, f"first-feedback:{repo}#{number}:{info.due_at}", "first-feedback",
                                due, item.installation_id, repo, number)
            pull = gated.gathered.pull
            updated = naive_utc(pull.get("updated_at"))
            if pull.get("draft") and updated is not None:
                timers.schedule(connection, f"stale-draft:{repo}#{number}:{pull['updated_at']}", "stale-draft",
                                updated + datetime.timedelta(days=policy.config.stale_days), item.installation_id,
                                repo, number, since=pull["updated_at"])

    # -- timers --------------------------------------------------------------------------------

    async def fire(self, timer: timers.Timer) -> str:
        started = time.time()
        try:
            if timer.kind == "sweep":
                detail = await self.sweep_all()
            elif timer.kind == "redeliver":
                detail = await self.redeliver()
            elif timer.kind == "prune":
                deliveries, done = await asyncio.to_thread(timers.prune, self.store, self.settings.keep_days or 7)
                detail = {"action": "prune", "deliveries": deliveries, "timers": done}
            elif timer.kind == "first-feedback":
                detail = await self.as_installation(timer.installation_id, lambda gh: self.remind(gh, timer))
            elif timer.kind == "stale-draft":
                detail = await self.as_installation(timer.installation_id, lambda gh: self.nudge(gh, timer))
            else:
                detail = {"action": "unknown-timer", "state": "cancelled"}
        except Exception as err:  # noqa: BLE001 -- GitHub away, or a bug: the timer fires again later, logged
            timers.release(self.store, timer, TIMER_RETRY)
            audit.write(self.store, self.name, "timer-failed", timer.repo or None, timer.number or None,
                        key=timer.key, error=f"{type(err).__name__}: {err}")
            if not isinstance(err, (GitHubError, ConfigError)):
                log.exception("timer %s", timer.key)
            return "failed"
        state = detail.pop("state", "done")
        if timers.done(self.store, timer, state):
            self.metrics.timers.labels(timer.kind).inc()
            audit.write(self.store, self.name, detail.pop("action"), timer.repo or None, timer.number or None,
                        key=timer.key, started=round(started, 3), **detail)
        return state

    async def sweep_all(self) -> dict:
        """Every repository of every installation: its open pull requests decided again."""
        from pepctl.bot.installs import installed_repositories, remember

        found, accounts = await installed_repositories(self.auth)
        remember(self.store, found, accounts)
        with self.store.begin() as connection:
            queue.mark_dirty(connection, [Key(iid, name, REPO) for name, iid in sorted(found.items())])
        return {"action": "sweep", "repositories": len(found)}

    async def redeliver(self) -> dict:
        from pepctl.bot.redeliver import redeliver

        asked = await asyncio.to_thread(redeliver, self.store, self.auth, utcnow())
        self.metrics.redeliveries.inc(len(asked))
        return {"action": "redeliver", "asked": asked}

    async def remind(self, gh, timer) -> dict:
        """PEP-0000 §5: first feedback is late; remind the sponsor (or the maintainers), once per period."""
        repo, number = timer.repo, timer.number
        pull = await gh.get(f"/repos/{repo}/pulls/{number}", shape=PULL)
        if pull.get("state") != "open":
            return {"action": "reminder", "sent": False, "why": "closed", "state": "cancelled"}
        branch = ((pull.get("base") or {}).get("repo") or {}).get("default_branch") or "main"
        policy, folder = await repo_policy(gh, repo, branch)
        gathered = await gather(gh, repo, number, policy, folder, collisions=False, trusted_logins=[await self.login()])
        verdict = decide(gathered.facts)
        info = verdict.first_feedback
        if info is None or not info.running or info.first_at is not None:
            return {"action": "reminder", "sent": False, "why": "feedback given, or no PEP under review"}
        days = policy.config.first_feedback_days
        if not info.overdue:  # review started later than this timer thought: wait for the new date
            due = naive_utc(info.due_at)
            if due is not None:
                with self.store.begin() as connection:
                    timers.schedule(connection, f"first-feedback:{repo}#{number}:{info.due_at}", "first-feedback",
                                    due, timer.installation_id, repo, number)
            return {"action": "reminder", "sent": False, "why": f"not due until {info.due_at}"}
        waiting = Waiting.of(gathered, verdict)
        today = today_utc()
        due, last = reminder_due(waiting, today, days)
        if due:  # else: one was posted this period (by `pepctl remind`, or by this timer before a crash)
            await gh.post(f"/repos/{repo}/issues/{number}/comments", {"body": reminder_text(waiting, policy, today)})
        following = today + datetime.timedelta(days=days)
        with self.store.begin() as connection:
            timers.schedule(connection, f"first-feedback:{repo}#{number}:{following.isoformat()}", "first-feedback",
                            datetime.datetime.combine(following, datetime.time(9)), timer.installation_id, repo, number)
        return {"action": "reminder", "sent": due, "last": last}

    async def nudge(self, gh, timer) -> dict:
        """A draft pull request with no activity for ``stale-days``: ask whether it goes on.

        Every event on a draft (a push, a comment, a review, an edit) has it decided again, which
        schedules a stale-draft timer from that moment; so only the newest of its timers can
        fire on a draft that nobody touched since."""
        repo, number = timer.repo, timer.number
        if timers.newer(self.store, timer):
            return {"action": "stale-nudge", "sent": False, "why": "active since", "state": "cancelled"}
        pull = await gh.get(f"/repos/{repo}/pulls/{number}", shape=PULL)
        if pull.get("state") != "open" or not pull.get("draft"):
            return {"action": "stale-nudge", "sent": False, "why": "closed or ready for review", "state": "cancelled"}
        since = timer.data.get("since") or ""
        login = await self.login()
        comments = await gh.get_all(f"/repos/{repo}/issues/{number}/comments", item=COMMENT)
        marker = STALE_MARKER.format(since=since)
        if any(marker in text_of(c.get("body")) and is_trusted(c.get("user"), [login]) for c in comments):
            return {"action": "stale-nudge", "sent": False, "why": "already nudged"}
        days = (timer.due_at - (naive_utc(since) or timer.due_at)).days
        body = (f"{marker}\n💤 This draft has seen no activity since {since[:10]} ({days} days). "
                "If the PEP is still being written, a push or a comment keeps it going; when it is ready, "
                "mark the pull request ready for review. If it will not go on, close the pull request, or "
                "merge it with the PEP's Status set to Withdrawn so that PEP-0000 keeps the record.\n")
        await gh.post(f"/repos/{repo}/issues/{number}/comments", {"body": body})
        return {"action": "stale-nudge", "sent": True, "since": since}

    async def login(self) -> str:
        if not self.bot_login:
            self.bot_login = await asyncio.to_thread(self.auth.login)
        return self.bot_login


def make_auth(settings, metrics=None) -> AppAuth:
    settings.require_app()
    return AppAuth(settings.app_id, settings.private_key_pem(), settings.api_url, metrics=metrics)


def run_in_thread(settings, store, metrics, stop: threading.Event, n: int = 0, auth=None,
                  bell: Bell | None = None) -> threading.Thread:
    """A worker in its own thread with its own event loop (the web server keeps the main one)."""
    worker = Worker(settings, store, metrics, auth or make_auth(settings, metrics), startup=True, bell=bell)

    def main():
        try:
            asyncio.run(worker.run(stop))
        except Exception:  # noqa: BLE001
            log.exception("worker %s stopped", worker.name)

    thread = threading.Thread(target=main, name=f"pepctl-bot-worker-{n}", daemon=True)
    thread.start()
    return thread


def run_workers(settings, store, metrics, auth, stop: threading.Event, doorbell=None) -> tuple[list, Bell | None]:
    """``settings.workers`` worker threads (at least one), woken when work arrives if anything can
    say so: ``doorbell`` (the reading end of the pipe of the `serve` process that started this
    one) or, on PostgreSQL, NOTIFY. Without either (a `pepctl bot work` of its own on SQLite)
    they poll."""
    bell = None
    if doorbell is not None or store.dialect == "postgresql":
        bell = Bell()
        if doorbell is not None:
            wake.relay(doorbell, bell, stop)
        if store.dialect == "postgresql":
            wake.listen(store.url, bell, stop)
    threads = [run_in_thread(settings, store, metrics, stop, n, auth, bell) for n in range(max(1, settings.workers))]
    return threads, bell


def halt(stop: threading.Event, bell: Bell | None) -> None:
    stop.set()
    if bell is not None:
        bell.ring()  # the idle workers look up, see the stop, and end


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
    threads, bell = run_workers(settings, store, metrics, auth, stop)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: halt(stop, bell))
    while any(t.is_alive() for t in threads):
        for thread in threads:
            thread.join(timeout=0.5)
    store.dispose()
    return 0


def child(settings, doorbell, stop_event, metrics_out) -> None:
    """The worker process `pepctl bot serve` starts (``pepctl.bot.serve.WorkerProcess``): its
    workers at a lower CPU priority, so that the web process answers first when both want the
    CPU; woken through ``doorbell``; stopped by ``stop_event`` (or SIGTERM); its metrics sent to
    the web process through ``metrics_out`` every second."""
    import signal

    from pepctl.bot.metrics import Metrics
    from pepctl.bot.serve import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the web process stops us
    terminated = threading.Event()  # not stop_event.set() in the handler: that waits for its own waiter
    signal.signal(signal.SIGTERM, lambda *_: terminated.set())
    if settings.worker_nice:
        with contextlib.suppress(OSError):
            os.nice(settings.worker_nice)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    store = open_store(settings)
    metrics = Metrics()
    auth = make_auth(settings, metrics)
    stop = threading.Event()
    threads, bell = run_workers(settings, store, metrics, auth, stop, doorbell)
    try:
        while not terminated.wait(1.0) and not stop_event.is_set() and any(t.is_alive() for t in threads):
            metrics_out.send(metrics.families())
    except (BrokenPipeError, EOFError, OSError):
        pass  # the web process is gone
    finally:
        halt(stop, bell)
        for thread in threads:
            thread.join(timeout=settings.lease_seconds)
        with contextlib.suppress(BrokenPipeError, EOFError, OSError):
            metrics_out.send(metrics.families())
        store.dispose()
