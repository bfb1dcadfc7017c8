"""Alembic's scripts for the bot's tables (run by ``pepctl bot migrate``; see ``pepctl.bot.store``)."""
