"""Timers in the database: things to do at a time, each done at most once across restarts and
replicas.

A timer has a ``key`` saying what it is for (``first-feedback:acme/plano#4:2026-05-24T10:00:00Z``);
scheduling the same key again does nothing, so whoever schedules it first wins and no later
run makes a second. Firing works like dirty rows: a worker claims a due timer under a lease
and marks it done when it is. Should it die between doing the thing and marking it done, the
next worker fires it again, and the thing itself checks the pull request first (reminders and
nudges carry hidden dated markers, as ``pepctl remind``'s do), so it is still done once.

Kinds:

- ``first-feedback``: PEP-0000 §5's reminder, when a PEP under review waits past
  ``first-feedback-days`` for a maintainer's first feedback;
- ``stale-draft``: a nudge on a draft pull request untouched for ``stale-days``;
- ``sweep``: re-evaluate every open pull request of every installation (``sweep_hours``);
- ``redeliver``: ask GitHub to send again deliveries that never reached the bot;
- ``prune``: daily, forget deliveries older than ``keep_days`` (GitHub redelivers for three days) and
  timers done more than 90 days ago, so the database stays the size of its recent work. The
  audit log is never pruned.
"""

from __future__ import annotations

import datetime
import json
from typing import NamedTuple

import sqlalchemy as sa

from pepctl.bot.models import timers
from pepctl.bot.queue import upsert
from pepctl.bot.store import utcnow


class Timer(NamedTuple):
    id: int
    key: str
    kind: str
    installation_id: int
    repo: str
    number: int
    due_at: datetime.datetime
    data: dict
    owner: str


def schedule(connection, key: str, kind: str, due_at: datetime.datetime, installation_id: int = 0, repo: str = "",
             number: int = 0, **data) -> bool:
    """A timer for ``key``, unless one exists (pending or done): True when this call made it."""
    stmt = upsert(connection, timers).values(key=key[:512], kind=kind, installation_id=installation_id, repo=repo,
                                             number=number, due_at=due_at, state="pending",
                                             data=json.dumps(data, sort_keys=True))
    # RETURNING, not rowcount: psycopg reports no count for some INSERT ... ON CONFLICT statements
    stmt = stmt.on_conflict_do_nothing(index_elements=["key"]).returning(timers.c.id)
    return connection.execute(stmt).first() is not None


def claim(store, owner: str, lease_seconds: int, now: datetime.datetime | None = None) -> Timer | None:
    now = now or utcnow()
    free = sa.or_(timers.c.lease_until.is_(None), timers.c.lease_until < now)
    ready = sa.and_(timers.c.state == "pending", timers.c.due_at <= now, free)
    pick = (sa.select(timers.c.id).where(ready).order_by(timers.c.due_at, timers.c.id).limit(1)
            .with_for_update(skip_locked=True))
    stmt = (sa.update(timers).where(timers.c.id == pick.scalar_subquery(), ready)
            .values(lease_owner=owner, lease_until=now + datetime.timedelta(seconds=lease_seconds))
            .returning(timers.c.id, timers.c.key, timers.c.kind, timers.c.installation_id, timers.c.repo,
                       timers.c.number, timers.c.due_at, timers.c.data))
    with store.begin() as connection:
        row = connection.execute(stmt).first()
    if row is None:
        return None
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        data = {}
    return Timer(row.id, row.key, row.kind, row.installation_id, row.repo, row.number, row.due_at, data, owner)


def done(store, timer: Timer, state: str = "done") -> bool:
    """Mark ``timer`` done (or "cancelled"); False when its lease was lost meanwhile."""
    with store.begin() as connection:
        result = connection.execute(sa.update(timers).where(timers.c.id == timer.id, timers.c.lease_owner == timer.owner)
                                    .values(state=state, done_at=utcnow(), lease_owner=None, lease_until=None))
    return result.rowcount == 1


def release(store, timer: Timer, retry_in: int) -> None:
    """Give a timer back after a failure, due again in ``retry_in`` seconds."""
    with store.begin() as connection:
        connection.execute(sa.update(timers).where(timers.c.id == timer.id, timers.c.lease_owner == timer.owner)
                           .values(lease_owner=None, lease_until=None,
                                   due_at=utcnow() + datetime.timedelta(seconds=retry_in)))


def newer(store, timer: Timer) -> bool:
    """Whether a timer of the same kind for the same pull request is due after ``timer``."""
    with store.engine.connect() as connection:
        return connection.execute(sa.select(timers.c.id).where(
            timers.c.kind == timer.kind, timers.c.repo == timer.repo, timers.c.number == timer.number,
            timers.c.due_at > timer.due_at).limit(1)).first() is not None


def pending(store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(timers)
                                  .where(timers.c.state == "pending")).scalar_one()


def window(now: datetime.datetime, seconds: int) -> datetime.datetime:
    """The start of the period of ``seconds`` that ``now`` falls in (periods count from the epoch)."""
    epoch = datetime.datetime(1970, 1, 1)
    whole = int((now - epoch).total_seconds()) // seconds * seconds
    return epoch + datetime.timedelta(seconds=whole)


def ensure_periodic(store, sweep_hours: int, redelivery_minutes: int, now: datetime.datetime | None = None,
                    prune_daily: bool = True) -> None:
    """The current period's sweep and redelivery timers (one per period, whoever asks first)."""
    now = now or utcnow()
    with store.begin() as connection:
        if sweep_hours:
            start = window(now, sweep_hours * 3600)
            schedule(connection, f"sweep:{start.isoformat()}", "sweep", start)
        if redelivery_minutes:
            start = window(now, redelivery_minutes * 60)
            schedule(connection, f"redeliver:{start.isoformat()}", "redeliver", start)
        if prune_daily:
            start = window(now, 86400)
            schedule(connection, f"prune:{start.isoformat()}", "prune", start)


TIMERS_KEPT = datetime.timedelta(days=90)


def prune(store, keep_days: int = 7, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Forget deliveries older than ``keep_days`` and long-done timers: (deliveries, timers) deleted."""
    from pepctl.bot.models import deliveries

    now = now or utcnow()
    with store.begin() as connection:
        gone = connection.execute(sa.delete(deliveries).where(
            deliveries.c.received_at < now - datetime.timedelta(days=keep_days)))
        done = connection.execute(sa.delete(timers).where(timers.c.state != "pending",
                                                          timers.c.done_at < now - TIMERS_KEPT))
    return gone.rowcount, done.rowcount
