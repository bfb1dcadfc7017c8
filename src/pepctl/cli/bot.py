"""pepctl bot serve | work | migrate | resync | log | manifest: the GitHub App service (docs/bot.md).

This module imports click only: the bot's packages (the bot extra) load when a subcommand runs.
"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


def settings_from(**flags):
    from pepctl.bot.config import load
    from pepctl.bot.serve import ensure_installed

    ensure_installed()
    return load(**{k: v for k, v in flags.items() if v is not None})


def setup_logging() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")


db_option = click.option("--db", "database_url", metavar="URL",
                         help="Database URL (default: PEPCTL_DATABASE_URL, else sqlite:///pepctl-bot.sqlite3).")


@click.group("bot")
def command():
    """Run pepctl as a GitHub App: a webhook service that gates every pull request of its
    installations. Needs the bot extra: pip install 'pepctl[bot]'. See docs/bot.md."""


@command.command("serve")
@click.option("--host", metavar="ADDRESS", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, metavar="PORT", help="Port to listen on (default 8080).")
@db_option
@click.option("--workers", type=click.IntRange(min=0), metavar="N",
              help="Worker threads beside the web server (default 1; 0: web only).")
def serve_command(host, port, database_url, workers):
    """Answer GitHub's webhooks on POST /webhook (plus GET /healthz and GET /metrics) and work
    the pull requests they name. Needs PEPCTL_WEBHOOK_SECRET; the workers need PEPCTL_APP_ID
    and PEPCTL_PRIVATE_KEY."""
    from pepctl.bot.serve import serve

    setup_logging()
    return serve(settings_from(host=host, port=port, database_url=database_url, workers=workers))


@command.command("work")
@db_option
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="Worker threads (default 1).")
@click.option("--once", is_flag=True, help="Work until nothing is dirty, then stop.")
def work_command(database_url, workers, once):
    """Work dirty pull requests without serving webhooks (another process serves them)."""
    from pepctl.bot.worker import work

    setup_logging()
    settings = settings_from(database_url=database_url, workers=workers)
    return work(settings, once=once)


@command.command("migrate")
@db_option
def migrate_command(database_url):
    """Create or upgrade the bot's tables to this pepctl's schema."""
    from pepctl.bot.serve import open_store

    store = open_store(settings_from(database_url=database_url), check=False)
    try:
        before, after = store.migrate()
    finally:
        store.dispose()
    if before == after:
        click.echo(f"pepctl bot migrate: {store.describe()} is up to date (revision {after})")
    else:
        click.echo(f"pepctl bot migrate: {store.describe()}: {before or 'empty'} -> {after}")
    return 0
