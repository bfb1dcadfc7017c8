"""The first schema: deliveries, dirty work with leases, timers, audit log, installations.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "bot_deliveries",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("guid", sa.String(64), nullable=False, unique=True),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, server_default=""),
        sa.Column("installation_id", sa.BigInteger, nullable=True),
        sa.Column("repo", sa.String(256), nullable=True),
        sa.Column("handled", sa.Integer, nullable=False, server_default="0"),
        sa.Column("received_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "bot_dirty",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("installation_id", sa.BigInteger, nullable=False),
        sa.Column("repo", sa.String(256), nullable=False),
        sa.Column("number", sa.BigInteger, nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("first_at", sa.DateTime, nullable=False),
        sa.Column("last_at", sa.DateTime, nullable=False),
        sa.Column("not_before", sa.DateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.UniqueConstraint("repo", "number", name="uq_bot_dirty_repo_number"),
    )
    op.create_index("ix_bot_dirty_ready", "bot_dirty", ["not_before"])
    op.create_table(
        "bot_timers",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(512), nullable=False, unique=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("installation_id", sa.BigInteger, nullable=False),
        sa.Column("repo", sa.String(256), nullable=False),
        sa.Column("number", sa.BigInteger, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", sa.DateTime, nullable=True),
        sa.Column("done_at", sa.DateTime, nullable=True),
        sa.Column("data", sa.Text, nullable=True),
    )
    op.create_index("ix_bot_timers_due", "bot_timers", ["state", "due_at"])
    op.create_table(
        "bot_audit",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("repo", sa.String(256), nullable=True),
        sa.Column("number", sa.BigInteger, nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_bot_audit_pr", "bot_audit", ["repo", "number"])
    # The audit log is append-only: the database itself refuses to change or delete a row.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION bot_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'bot_audit is append-only'; END $$")
        op.execute("CREATE TRIGGER bot_audit_append_only BEFORE UPDATE OR DELETE ON bot_audit "
                   "FOR EACH ROW EXECUTE FUNCTION bot_audit_append_only()")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER bot_audit_no_{what.lower()} BEFORE {what} ON bot_audit "
                       "BEGIN SELECT RAISE(ABORT, 'bot_audit is append-only'); END")
    op.create_table(
        "bot_installations",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("account", sa.String(256), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "bot_repositories",
        sa.Column("repo", sa.String(256), primary_key=True),
        sa.Column("installation_id", sa.BigInteger, nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS bot_audit_append_only ON bot_audit")
        op.execute("DROP FUNCTION IF EXISTS bot_audit_append_only()")
    for table in ("bot_repositories", "bot_installations", "bot_audit", "bot_timers", "bot_dirty", "bot_deliveries"):
        op.drop_table(table)
