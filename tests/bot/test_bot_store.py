"""The bot's database (pepctl.bot.store, models, migrations) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pepctl.bot.models import audit, deliveries, dirty, installations, metadata
from pepctl.bot.store import SchemaBehind, Store, head_revision, utcnow


def test_migrate_creates_the_schema_and_the_service_check_passes(db_url):
    store = Store(db_url)
    try:
        with pytest.raises(SchemaBehind, match="empty .no bot tables.*pepctl bot migrate"):
            store.check_schema()
        assert store.migrate() == (None, head_revision())
        store.check_schema()
        assert store.migrate() == (head_revision(), head_revision())  # again: nothing to do
        names = set(sa.inspect(store.engine).get_table_names())
        assert {"bot_deliveries", "bot_dirty", "bot_timers", "bot_audit", "bot_installations",
                "bot_repositories", "alembic_version"} <= names
    finally:
        store.dispose()


def test_a_database_behind_is_refused_with_the_revisions(store):
    with store.begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(SchemaBehind, match="is at revision 0000; this pepctl needs revision 0001"):
        store.check_schema()


def test_the_migrations_and_the_models_agree(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as c:
        diffs = compare_metadata(MigrationContext.configure(c), metadata)
    assert diffs == []


def test_ids_are_64_bit(store):
    big = 2 ** 40 + 7
    now = utcnow()
    with store.begin() as c:
        c.execute(sa.insert(installations).values(id=big, account="acme", created_at=now))
        c.execute(sa.insert(dirty).values(installation_id=big, repo="acme/plano", number=big, first_at=now,
                                          last_at=now, not_before=now))
        c.execute(sa.insert(deliveries).values(id=2 ** 53 + 1, guid="g", event="push", received_at=now))
    with store.engine.connect() as c:
        assert c.execute(sa.select(installations.c.id)).scalar_one() == big
        assert c.execute(sa.select(dirty.c.number, dirty.c.installation_id)).one() == (big, big)
        assert c.execute(sa.select(deliveries.c.id)).scalar_one() == 2 ** 53 + 1


def test_the_audit_log_is_append_only(store):
    with store.begin() as c:
        c.execute(sa.insert(audit).values(at=utcnow(), actor="w", action="gate", detail="{}"))
    for statement in (sa.update(audit).values(detail="changed"), sa.delete(audit)):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with store.begin() as c:
                c.execute(statement)
    with store.engine.connect() as c:
        assert c.execute(sa.select(audit.c.detail)).scalars().all() == ["{}"]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_store):
    with sqlite_store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_postgres_urls_use_psycopg_3():
    from pepctl.bot.store import normal_url

    assert normal_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normal_url("postgres://u@h/db").startswith("postgresql+psycopg://")
