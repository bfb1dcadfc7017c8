"""pepctl list [--status S ...] [--format table|json|csv]"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app
from pepctl.model import format_number


def rows_for(app, statuses):
    """PEPs that parsed, in number order, filtered by status (any spelling)."""
    policy = app.policy
    wanted = set()
    for status in statuses:
        canonical = policy.canonical(status)
        if canonical is None:
            raise click.UsageError(f"unknown status {status!r}; accepted values: {', '.join(policy.states)}")
        wanted.add(canonical)
    peps = [p for p in app.corpus.peps() if not wanted or policy.canonical(p.status) in wanted]
    peps.sort(key=lambda p: (p.number if p.number is not None else 1 << 30, p.filename))
    return peps


@click.command("list")
@click.option("--status", "statuses", multiple=True, metavar="STATUS", help="Only PEPs in this status (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@pass_app
def command(app, statuses, fmt):
    """List PEPs with number, status, title and authors."""
    peps = rows_for(app, statuses)
    if fmt == "json":
        import json

        click.echo(json.dumps([p.to_json() for p in peps], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["number", "title", "status", "authors", "created", "path"])
        for p in peps:
            writer.writerow([format_number(p.number), p.title, p.status, p.authors_text, p.created, p.path])
    else:
        width = max((len(p.status) for p in peps), default=6)
        lines = [f"{format_number(p.number)}  {p.status:<{width}}  {p.title}" for p in peps]
        if lines:
            click.echo("\n".join(lines))
    skipped = [e for e in app.corpus.entries if e.pep is None]
    if skipped:
        click.echo(f"{len(skipped)} file(s) could not be read; `pepctl check` says why", err=True)
    return 0
