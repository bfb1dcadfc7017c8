"""Workers: claim one dirty pull request at a time, re-read it from GitHub, run the gate, let go.

A worker claims a due timer, else a dirty row (``pepctl.bot.queue``), and works it: what a row
means is ``pepctl.bot.rows``'s; what the reminder timers do, ``pepctl.bot.reminders``'s.

The lease is renewed while the work goes on; should it be lost (the worker stalled past it and
another took the row), the work is abandoned. A 401 from GitHub renews the installation token
and tries once more. A failure puts the row back with a growing delay. Every row worked leaves
an entry in the audit log. Workers are started by ``pepctl.bot.launch``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
import uuid

import sqlalchemy as sa

from pepctl.bot import audit, queue, reminders, rows, timers
from pepctl.bot.auth import AppAuth, InstallationGone
from pepctl.bot.events import INDEX, REPO, Key
from pepctl.bot.store import first_line, utcnow
from pepctl.bot.wake import Bell
from pepctl.config import ConfigError
from pepctl.github.client import Client
from pepctl.github.errors import GitHubError

log = logging.getLogger("pepctl.bot")
IDLE_MIN, IDLE_MAX = 0.05, 1.0  # seconds between polls of an empty queue, growing while idle (no bell)
CLIENT_CACHE = 5000  # answers a kept GitHub client remembers (for ETags) before it starts afresh
SETTLE_MARGIN = 0.01  # seconds past the settle time before looking again after a ring
PERIODIC_CHECK = 60  # seconds between looks at whether this period's sweep timers exist
TIMER_RETRY = 300  # seconds before a timer that failed fires again
DB_RETRY_MAX = 30  # seconds at most between tries while the database cannot be reached


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
        outage, since = 0, 0.0
        try:
            while True:
                try:
                    return await self.loop(stop, once)
                except sa.exc.SQLAlchemyError as err:  # the database is away: wait for it, do not end
                    if once:
                        raise
                    if time.monotonic() - since > 2 * DB_RETRY_MAX:
                        outage = 0  # a new outage: start again from one second
                    outage, since = min(DB_RETRY_MAX, max(1, outage * 2)), time.monotonic()
                    log.warning("worker %s: the database %s cannot be reached (%s); trying again in %d s",
                                self.name, self.store.describe(), first_line(err), outage)
                    if stop is not None and await asyncio.to_thread(stop.wait, outage):
                        return 0
                    if stop is None:
                        await asyncio.sleep(outage)
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
            return await self.as_installation(item.installation_id, lambda gh: rows.sweep(self, gh, item))
        if item.number == INDEX:
            return await self.as_installation(item.installation_id, lambda gh: rows.index(self, gh, item))
        return await self.as_installation(item.installation_id, lambda gh: rows.decide(self, gh, item))

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
                detail = await self.as_installation(timer.installation_id, lambda gh: reminders.remind(self, gh, timer))
            elif timer.kind == "stale-draft":
                detail = await self.as_installation(timer.installation_id, lambda gh: reminders.nudge(self, gh, timer))
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

    async def login(self) -> str:
        if not self.bot_login:
            self.bot_login = await asyncio.to_thread(self.auth.login)
        return self.bot_login
