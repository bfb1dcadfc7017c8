"""Alembic's environment: ``pepctl.bot.store.migrate`` hands over the connection to migrate."""

from alembic import context

from pepctl.bot.models import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
