"""The database: one engine for SQLite or PostgreSQL, the schema version, and migrating.

SQLite runs in WAL mode with a busy timeout, and every transaction starts with ``BEGIN
IMMEDIATE``: a writer takes the write lock up front, so two processes never deadlock upgrading
a read lock, they wait (up to the busy timeout). PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import datetime
import os

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

from pepctl.errors import UsageError

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
SQLITE_BUSY_MS = 30_000


def utcnow() -> datetime.datetime:
    """Now, as the naive UTC datetime the tables hold."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def normal_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3; a bad URL is a UsageError."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise UsageError(f"--db / PEPCTL_DATABASE_URL: not a database URL: {url!r} "
                         "(use sqlite:///FILE or postgresql://USER@HOST/DB)") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise UsageError(f"--db / PEPCTL_DATABASE_URL: {backend} is not supported; use SQLite or PostgreSQL")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> sa.Engine:
    url = normal_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we say BEGIN ourselves, below
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, consistent always
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class SchemaBehind(UsageError):
    """The database's schema is older than this pepctl's: run ``pepctl bot migrate``."""


class Store:
    """The engine and the questions about the database as a whole."""

    def __init__(self, url: str):
        self.url = normal_url(url)
        self.engine = make_engine(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def begin(self):
        return self.engine.begin()

    def dispose(self) -> None:
        self.engine.dispose()

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except sa.exc.OperationalError as err:
            raise UsageError(f"cannot open the database {self.describe()}: {first_line(err)}") from None

    def migrate(self) -> tuple[str | None, str]:
        """Bring the schema to the newest revision: (revision before, revision now)."""
        from alembic import command

        before = self.revision()
        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        return before, head_revision()

    def check_schema(self) -> None:
        """SchemaBehind unless the database is at this pepctl's newest revision."""
        current, head = self.revision(), head_revision()
        if current != head:
            have = f"at revision {current}" if current else "empty (no bot tables)"
            raise SchemaBehind(f"the database {self.describe()} is {have}; this pepctl needs revision {head}: "
                               f"run `pepctl bot migrate --db ...` first")

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)


def first_line(err: Exception) -> str:
    text = str(getattr(err, "orig", None) or err).strip()
    return text.splitlines()[0] if text else type(err).__name__
