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

from pepctl.bot import wake
from pepctl.bot.events import Key, Outcome
from pepctl.bot.models import deliveries, dirty, installations, repositories
from pepctl.bot.store import utcnow

MAX_DELAY = 3600  # seconds: the longest a failing row waits before its next try
MAX_ROWS = 1000  # rows per statement: PostgreSQL takes at most 65535 parameters in one


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
    return _insert(connection.dialect.name)(table)


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


_STATEMENTS: dict[str, tuple] = {}


class Incoming(NamedTuple):
    """One delivery to store: its id, event, action, what it makes dirty, where it came from."""

    guid: str
    event: str
    action: str
    outcome: Outcome
    installation_id: int | None = None
    repo: str | None = None


def statements(connection) -> tuple:
    """(store deliveries once, mark keys dirty), built once per dialect: the webhook's hot path
    runs them with new parameters only (building a statement costs more than running it)."""
    dialect = connection.dialect.name
    if dialect not in _STATEMENTS:
        insert = _insert(dialect)
        delivery = insert(deliveries).on_conflict_do_nothing(index_elements=["guid"]).returning(deliveries.c.guid)
        mark = insert(dirty)
        mark = mark.on_conflict_do_update(
            index_elements=["repo", "number"],
            set_={"generation": dirty.c.generation + mark.excluded.generation, "last_at": mark.excluded.last_at,
                  "not_before": mark.excluded.not_before, "installation_id": mark.excluded.installation_id},
        )
        _STATEMENTS[dialect] = (delivery, mark)
    return _STATEMENTS[dialect]


def mark_dirty(connection, keys, now: datetime.datetime | None = None) -> None:
    """Mark each key dirty: a new row, or one more generation of the existing one (due now)."""
    mark_counted(connection, dict.fromkeys(keys, 1), now)


def mark_counted(connection, counts: dict, now: datetime.datetime | None = None) -> None:
    """Mark each key dirty, ``counts[key]`` more generations (the events that named it)."""
    now = now or utcnow()
    if not counts:
        return
    connection.execute(statements(connection)[1], [
        {"installation_id": key.installation_id, "repo": key.repo, "number": key.number, "generation": n,
         "first_at": now, "last_at": now, "not_before": now, "attempts": 0}
        for key, n in sorted(counts.items())])
    wake.notify(connection)


def accept_many(store, batch: list[Incoming]) -> list[bool]:
    """Store deliveries and mark their work dirty, all in one transaction (one commit for many:
    the web service gathers the deliveries that arrive together). For each: True when stored,
    False when that id was stored before (GitHub redelivered it) and nothing was marked again.

    This is the webhook's hot path: two statements (a multi-row INSERT of the deliveries whose
    RETURNING names the new ones, and a multi-row upsert of the dirty rows) sent to the driver
    as SQL text made once per batch size, without SQLAlchemy's per-row work."""
    now = utcnow()
    seen: set[str] = set()
    unique = []
    for item in batch:
        if item.guid not in seen:
            seen.add(item.guid)
            unique.append(item)
    with store.begin() as connection:
        dialect = connection.dialect.name
        cursor = connection.connection.cursor()
        try:
            when = sql_time(dialect, now)
            params = []
            for item in unique:
                params += [item.guid, item.event[:64], item.action[:64], item.installation_id, item.repo,
                           1 if item.outcome.handled else 0, when]
            cursor.execute(hot_sql(dialect, "deliveries", len(unique)), params)
            stored = {row[0] for row in cursor.fetchall()}
            counts: dict[tuple[str, int], list] = {}  # (repo, number) -> [installation, events]
            for item in unique:
                if item.guid not in stored:
                    continue
                if item.outcome.installation is not None:
                    record_installation(connection, item.outcome.installation, now)
                for key in dict.fromkeys(item.outcome.keys):  # one event, one generation per key
                    counted = counts.setdefault((key.repo, key.number), [key.installation_id, 0])
                    counted[0] = key.installation_id
                    counted[1] += 1
            marks = sorted(counts.items())  # one order: no deadlock
            for start in range(0, len(marks), MAX_ROWS):  # an installation may bring thousands
                params = []
                for (repo, number), (installation_id, n) in marks[start:start + MAX_ROWS]:
                    params += [installation_id, repo, number, n, when, when, when, 0]
                cursor.execute(hot_sql(dialect, "dirty", len(params) // 8), params)
                # no NOTIFY here: at commit it takes a lock that serialises every notifying
                # transaction of the database; the web service notifies apart (wake.Notifier)
        finally:
            cursor.close()
    first = {}
    for item in batch:
        first.setdefault(item.guid, item)
    return [first[item.guid] is item and item.guid in stored for item in batch]


_HOT_SQL: dict[tuple, str] = {}
_HOT = {
    "deliveries": ("INSERT INTO bot_deliveries (guid, event, action, installation_id, repo, handled, received_at) "
                   "VALUES {rows} ON CONFLICT (guid) DO NOTHING RETURNING guid", 7),
    "dirty": ("INSERT INTO bot_dirty (installation_id, repo, number, generation, first_at, last_at, not_before, "
              "attempts) VALUES {rows} ON CONFLICT (repo, number) DO UPDATE SET generation = bot_dirty.generation + "
              "excluded.generation, last_at = excluded.last_at, not_before = excluded.not_before, "
              "installation_id = excluded.installation_id", 8),
}


def hot_sql(dialect: str, which: str, rows: int) -> str:
    """The hot path's statement for ``rows`` rows, in the driver's parameter style (made once)."""
    key = (dialect, which, rows)
    if key not in _HOT_SQL:
        text, width = _HOT[which]
        mark = "%s" if dialect == "postgresql" else "?"
        row = "(" + ", ".join([mark] * width) + ")"
        _HOT_SQL[key] = text.format(rows=", ".join([row] * rows))
    return _HOT_SQL[key]


def sql_time(dialect: str, when: datetime.datetime):
    """A naive UTC time as the driver takes it: SQLite stores the text SQLAlchemy's DateTime
    writes (microseconds always shown, so that times compare as text)."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else when


def accept(store, guid: str, event: str, action: str, outcome: Outcome, installation_id=None, repo=None) -> bool:
    """Store one delivery and mark its work dirty, in one transaction (``accept_many`` of one)."""
    return accept_many(store, [Incoming(guid, event, action, outcome, installation_id, repo)])[0]


def record_installation(connection, info, now) -> None:
    stmt = upsert(connection, installations).values(id=info.id, account=info.account, created_at=now,
                                                    deleted_at=now if info.deleted else None)
    connection.execute(stmt.on_conflict_do_update(
        index_elements=["id"], set_={"deleted_at": stmt.excluded.deleted_at, "account": stmt.excluded.account}))
    if info.deleted:
        connection.execute(sa.delete(repositories).where(repositories.c.installation_id == info.id))
        connection.execute(sa.delete(dirty).where(dirty.c.installation_id == info.id))
        return
    stmt = upsert(connection, repositories)
    stmt = stmt.on_conflict_do_update(index_elements=["repo"], set_={"installation_id": stmt.excluded.installation_id})
    added = sorted(set(info.added))
    for start in range(0, len(added), MAX_ROWS):
        connection.execute(stmt, [{"repo": name, "installation_id": info.id, "added_at": now}
                                  for name in added[start:start + MAX_ROWS]])
    removed = sorted(set(info.removed))
    for start in range(0, len(removed), MAX_ROWS):
        connection.execute(sa.delete(repositories).where(repositories.c.repo.in_(removed[start:start + MAX_ROWS])))
        connection.execute(sa.delete(dirty).where(dirty.c.repo.in_(removed[start:start + MAX_ROWS])))


def claim(store, owner: str, lease_seconds: int, now: datetime.datetime | None = None, settle: float = 0,
          max_wait: float = 30) -> Claimed | None:
    """Take the oldest ready dirty row under a lease for ``owner``; None when there is none.

    ``settle`` seconds: a row is ready once no event marked it for that long (a push brings
    several events at once: one run decides them all), or once it has waited ``max_wait``
    seconds however busy it is."""
    now = now or utcnow()
    free = sa.or_(dirty.c.lease_until.is_(None), dirty.c.lease_until < now)
    ready = dirty.c.not_before <= now
    if settle:
        ready = sa.and_(ready, sa.or_(dirty.c.last_at <= now - datetime.timedelta(seconds=settle),
                                      dirty.c.first_at <= now - datetime.timedelta(seconds=max_wait)))
    pick = (sa.select(dirty.c.id).where(ready, free)
            .order_by(dirty.c.not_before, dirty.c.id).limit(1)
            .with_for_update(skip_locked=True))  # PostgreSQL; SQLite holds the write lock already
    stmt = (sa.update(dirty).where(dirty.c.id == pick.scalar_subquery(), free, ready)
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
        # newer events came meanwhile: they count from now, so a pull request that never goes quiet
        # is decided once per settle window's max_wait, not over and over
        connection.execute(sa.update(dirty).where(dirty.c.id == item.id, dirty.c.lease_owner == item.owner)
                           .values(lease_owner=None, lease_until=None, attempts=0, last_error=None,
                                   first_at=utcnow()))
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


__all__ = ["Claimed", "Incoming", "Key", "accept", "accept_many", "claim", "depth", "fail", "finish", "mark_dirty",
           "renew"]
