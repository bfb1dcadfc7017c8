"""Dirty work under leases: the bot's exactly-once, level-triggered processing.

- ``accept`` stores a delivery (once per ``X-GitHub-Delivery`` id) and, in the same
  transaction, marks what it names dirty. Many events for one pull request coalesce into one
  row whose ``generation`` counts them.
- ``claim`` gives a worker one dirty row under a lease: PostgreSQL skips rows another
  transaction holds (``FOR UPDATE SKIP LOCKED``); on SQLite the one ``UPDATE ... WHERE`` that
  takes the lease is atomic (every transaction there is ``BEGIN IMMEDIATE``). A row whose lease
  ran out (its worker died) can be claimed again.
- ``finish`` deletes the row only if its generation is the one claimed (no newer event came
  meanwhile); otherwise the row stays dirty and is worked again. ``fail`` puts it back with a
  growing delay.

What a worker does with a row is idempotent (the gate publishes by hidden markers), so doing it
again after a crash changes nothing on GitHub: the effect is there once.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

import sqlalchemy as sa

from pepctl.bot.events import Key, Outcome
from pepctl.bot.models import deliveries, dirty, installations, repositories
from pepctl.bot.store import utcnow

MAX_DELAY = 3600  # seconds: the longest a failing row waits before its next try


class Claimed(NamedTuple):
    id: int
    installation_id: int
    repo: str
    number: int
    generation: int
    attempts: int
    owner: str


def upsert(connection, table):
    """The dialect's INSERT that knows ON CONFLICT."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def mark_dirty(connection, keys, now: datetime.datetime | None = None) -> None:
    """Mark each key dirty: a new row, or one more generation of the existing one (due now)."""
    now = now or utcnow()
    for key in dict.fromkeys(keys):
        stmt = upsert(connection, dirty).values(installation_id=key.installation_id, repo=key.repo,
                                                number=key.number, generation=1, first_at=now, last_at=now,
                                                not_before=now, attempts=0)
        stmt = stmt.on_conflict_do_update(
            index_elements=["repo", "number"],
            set_={"generation": dirty.c.generation + 1, "last_at": now, "not_before": now,
                  "installation_id": stmt.excluded.installation_id},
        )
        connection.execute(stmt)


def accept(store, guid: str, event: str, action: str, outcome: Outcome, installation_id=None, repo=None) -> bool:
    """Store one delivery and mark its work dirty, in one transaction. False: already stored
    (GitHub redelivered it), and nothing was marked again."""
    now = utcnow()
    with store.begin() as connection:
        stmt = upsert(connection, deliveries).values(
            guid=guid, event=event[:64], action=action[:64], installation_id=installation_id, repo=repo,
            handled=1 if outcome.handled else 0, received_at=now,
        ).on_conflict_do_nothing(index_elements=["guid"]).returning(deliveries.c.id)
        if connection.execute(stmt).first() is None:  # RETURNING: psycopg does not always count rows
            return False
        if outcome.installation is not None:
            record_installation(connection, outcome.installation, now)
        if outcome.keys:
            mark_dirty(connection, outcome.keys, now)
    return True


def record_installation(connection, info, now) -> None:
    stmt = upsert(connection, installations).values(id=info.id, account=info.account, created_at=now,
                                                    deleted_at=now if info.deleted else None)
    connection.execute(stmt.on_conflict_do_update(
        index_elements=["id"], set_={"deleted_at": stmt.excluded.deleted_at, "account": stmt.excluded.account}))
    if info.deleted:
        connection.execute(sa.delete(repositories).where(repositories.c.installation_id == info.id))
        connection.execute(sa.delete(dirty).where(dirty.c.installation_id == info.id))
        return
    for name in info.added:
        stmt = upsert(connection, repositories).values(repo=name, installation_id=info.id, added_at=now)
        connection.execute(stmt.on_conflict_do_update(index_elements=["repo"],
                                                      set_={"installation_id": info.id}))
    if info.removed:
        connection.execute(sa.delete(repositories).where(repositories.c.repo.in_(info.removed)))
        connection.execute(sa.delete(dirty).where(dirty.c.repo.in_(info.removed)))


def claim(store, owner: str, lease_seconds: int, now: datetime.datetime | None = None) -> Claimed | None:
    """Take the oldest ready dirty row under a lease for ``owner``; None when there is none."""
    now = now or utcnow()
    free = sa.or_(dirty.c.lease_until.is_(None), dirty.c.lease_until < now)
    pick = (sa.select(dirty.c.id).where(dirty.c.not_before <= now, free)
            .order_by(dirty.c.not_before, dirty.c.id).limit(1)
            .with_for_update(skip_locked=True))  # PostgreSQL; SQLite holds the write lock already
    stmt = (sa.update(dirty).where(dirty.c.id == pick.scalar_subquery(), free)
            .values(lease_owner=owner, lease_until=now + datetime.timedelta(seconds=lease_seconds),
                    attempts=dirty.c.attempts + 1)
            .returning(dirty.c.id, dirty.c.installation_id, dirty.c.repo, dirty.c.number, dirty.c.generation,
                       dirty.c.attempts))
    with store.begin() as connection:
        row = connection.execute(stmt).first()
    if row is None:
        return None
    return Claimed(*row, owner)


def renew(store, item: Claimed, lease_seconds: int) -> bool:
    """Extend the lease; False when it was lost (it ran out and another worker took the row)."""
    until = utcnow() + datetime.timedelta(seconds=lease_seconds)
    with store.begin() as connection:
        result = connection.execute(sa.update(dirty).where(dirty.c.id == item.id, dirty.c.lease_owner == item.owner)
                                    .values(lease_until=until))
    return result.rowcount == 1


def finish(store, item: Claimed) -> bool:
    """Done with ``item``: True when the row is gone, False when a newer event keeps it dirty."""
    with store.begin() as connection:
        gone = connection.execute(sa.delete(dirty).where(
            dirty.c.id == item.id, dirty.c.generation == item.generation, dirty.c.lease_owner == item.owner))
        if gone.rowcount == 1:
            return True
        connection.execute(sa.update(dirty).where(dirty.c.id == item.id, dirty.c.lease_owner == item.owner)
                           .values(lease_owner=None, lease_until=None, attempts=0, last_error=None))
    return False


def fail(store, item: Claimed, error: str) -> datetime.datetime:
    """Give ``item`` back after a failure, to be tried again later (1 min, 2, 4, ... up to an hour)."""
    delay = min(MAX_DELAY, 60 * 2 ** max(0, item.attempts - 1))
    when = utcnow() + datetime.timedelta(seconds=delay)
    with store.begin() as connection:
        connection.execute(sa.update(dirty).where(dirty.c.id == item.id, dirty.c.lease_owner == item.owner)
                           .values(lease_owner=None, lease_until=None, not_before=when, last_error=error[:2000]))
    return when


def depth(store) -> tuple[int, int]:
    """(dirty rows, of which leased now)."""
    now = utcnow()
    with store.engine.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).select_from(dirty)).scalar_one()
        leased = connection.execute(sa.select(sa.func.count()).select_from(dirty)
                                    .where(dirty.c.lease_until >= now)).scalar_one()
    return total, leased


__all__ = ["Claimed", "Key", "accept", "claim", "depth", "fail", "finish", "mark_dirty", "renew"]
