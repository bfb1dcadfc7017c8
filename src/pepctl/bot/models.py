"""The bot's tables (SQLAlchemy Core). The migrations in ``migrations/versions`` create them;
this module is what the code queries. Ids are 64-bit everywhere (GitHub's ids outgrew 32 bits).

Times are naive UTC ``DateTime`` values.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# SQLite makes only an INTEGER PRIMARY KEY an auto-incrementing rowid (64-bit there anyway)
ID = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

deliveries = Table(
    "bot_deliveries",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("guid", String(64), nullable=False, unique=True),  # X-GitHub-Delivery
    Column("event", String(64), nullable=False),
    Column("action", String(64), nullable=False, server_default=""),
    Column("installation_id", BigInteger, nullable=True),
    Column("repo", String(256), nullable=True),
    Column("handled", Integer, nullable=False, server_default="0"),  # 1: it marked work dirty
    Column("received_at", DateTime, nullable=False),
)

dirty = Table(
    "bot_dirty",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("installation_id", BigInteger, nullable=False),
    Column("repo", String(256), nullable=False),
    Column("number", BigInteger, nullable=False),  # 0: the whole repository (re-evaluate its open PRs)
    Column("generation", BigInteger, nullable=False, server_default="1"),
    Column("first_at", DateTime, nullable=False),
    Column("last_at", DateTime, nullable=False),
    Column("not_before", DateTime, nullable=False),  # retries wait
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("lease_owner", String(128), nullable=True),
    Column("lease_until", DateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    UniqueConstraint("repo", "number", name="uq_bot_dirty_repo_number"),
)
Index("ix_bot_dirty_ready", dirty.c.not_before)

timers = Table(
    "bot_timers",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("key", String(512), nullable=False, unique=True),  # what it is for: sent at most once per key
    Column("kind", String(64), nullable=False),
    Column("installation_id", BigInteger, nullable=False),
    Column("repo", String(256), nullable=False),
    Column("number", BigInteger, nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("state", String(16), nullable=False, server_default="pending"),  # pending, done, cancelled
    Column("lease_owner", String(128), nullable=True),
    Column("lease_until", DateTime, nullable=True),
    Column("done_at", DateTime, nullable=True),
    Column("data", Text, nullable=True),  # JSON
)
Index("ix_bot_timers_due", timers.c.state, timers.c.due_at)

audit = Table(
    "bot_audit",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(128), nullable=False),  # which worker
    Column("repo", String(256), nullable=True),
    Column("number", BigInteger, nullable=True),
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)
Index("ix_bot_audit_pr", audit.c.repo, audit.c.number)

installations = Table(
    "bot_installations",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),  # GitHub's installation id
    Column("account", String(256), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("deleted_at", DateTime, nullable=True),
)

repositories = Table(
    "bot_repositories",
    metadata,
    Column("repo", String(256), primary_key=True),
    Column("installation_id", BigInteger, nullable=False),
    Column("added_at", DateTime, nullable=False),
)
