"""pepctl bot serve | work | migrate | resync | log | manifest: the GitHub App service (docs/bot.md).

This module imports click only: the bot's packages (the bot extra) load when a subcommand runs.
"""

from __future__ import annotations

import click


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
              help="Worker threads, in a worker process beside the web server (default 1; 0: web only).")
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
    from pepctl.bot.launch import work

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


@command.command("resync")
@db_option
@click.option("--repo", metavar="OWNER/NAME", help="Only this repository (default: every repository of every installation).")
def resync_command(database_url, repo):
    """Decide every open pull request again: the repositories are marked dirty, and the running
    workers (`pepctl bot serve` or `work`) decide their open pull requests. Needs PEPCTL_APP_ID
    and PEPCTL_PRIVATE_KEY: it asks GitHub where the App is installed."""
    from pepctl.bot.events import REPO, Key
    from pepctl.bot.installs import installed_repositories, remember
    from pepctl.bot.queue import mark_dirty
    from pepctl.bot.serve import open_store
    from pepctl.bot.launch import make_auth
    from pepctl.errors import UsageError
    from pepctl.github.client import run

    settings = settings_from(database_url=database_url)
    auth = make_auth(settings)
    store = open_store(settings)
    try:
        found, accounts = run(installed_repositories(auth))
        remember(store, found, accounts)
        if repo is not None:
            match = {name: iid for name, iid in found.items() if name.casefold() == repo.casefold()}
            if not match:
                raise UsageError(f"--repo {repo}: the App is not installed on it "
                                 f"(installed on {len(found)} repositories)")
            found = match
        with store.begin() as connection:
            mark_dirty(connection, [Key(iid, name, REPO) for name, iid in sorted(found.items())])
    finally:
        store.dispose()
    click.echo(f"pepctl bot resync: {len(found)} repositories marked; the workers decide their open pull requests")
    return 0


@command.command("log")
@db_option
@click.option("--repo", metavar="OWNER/NAME", help="Only this repository.")
@click.option("--pr", "number", type=click.IntRange(min=1), metavar="N", help="Only this pull request.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="The newest N entries.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
def log_command(database_url, repo, number, limit, fmt):
    """Print the audit log: what the bot did, oldest first."""
    import json

    from pepctl.bot.audit import entries
    from pepctl.bot.serve import open_store

    store = open_store(settings_from(database_url=database_url))
    try:
        found = entries(store, repo, number, limit)
    finally:
        store.dispose()
    if fmt == "json":
        for row in found:
            row["at"] = row["at"].isoformat(timespec="seconds") + "Z"
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    for row in found:
        where = f"{row['repo']}#{row['number']}" if row["number"] else (row["repo"] or "-")
        detail = " ".join(f"{k}={v}" for k, v in row["detail"].items() if k not in ("started", "ended"))
        click.echo(f"{row['at'].isoformat(timespec='seconds')}Z {where} {row['action']} {detail} ({row['actor']})".rstrip())
    if not found:
        click.echo("pepctl bot log: no entries")
    return 0


@command.command("manifest")
@click.option("--url", required=True, metavar="URL", help="Where the service is reached, e.g. https://pep-bot.example.org")
@click.option("--name", default="pepctl", show_default=True, help="The App's name on GitHub.")
def manifest_command(url, name):
    """Print the GitHub App manifest: least permissions and the events the bot needs."""
    import json
    import urllib.parse

    from pepctl.bot.manifest import manifest
    from pepctl.errors import UsageError

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--url {url}: not an http(s) URL")
    click.echo(json.dumps(manifest(url, name), indent=2))
    return 0
