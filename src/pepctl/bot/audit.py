"""The audit log: one row per thing the bot did or decided, never changed (the database refuses
UPDATE and DELETE on it). ``pepctl bot log`` prints it."""

from __future__ import annotations

import json

import sqlalchemy as sa

from pepctl.bot.models import audit
from pepctl.bot.store import utcnow


def record(connection, actor: str, action: str, repo: str | None = None, number: int | None = None,
           **detail) -> None:
    connection.execute(sa.insert(audit).values(at=utcnow(), actor=actor[:128], repo=repo, number=number,
                                               action=action[:64], detail=json.dumps(detail, sort_keys=True)))


def write(store, actor: str, action: str, repo: str | None = None, number: int | None = None, **detail) -> None:
    with store.begin() as connection:
        record(connection, actor, action, repo, number, **detail)


def entries(store, repo: str | None = None, number: int | None = None, limit: int = 100) -> list[dict]:
    """The newest ``limit`` entries (oldest first), for one repository or pull request."""
    query = sa.select(audit).order_by(audit.c.id.desc()).limit(limit)
    if repo is not None:
        query = query.where(audit.c.repo == repo)
    if number is not None:
        query = query.where(audit.c.number == number)
    with store.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(query)]
    for row in rows:
        try:
            row["detail"] = json.loads(row["detail"] or "{}")
        except ValueError:
            row["detail"] = {"text": row["detail"]}
    return rows[::-1]
