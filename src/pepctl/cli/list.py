"""pepctl list [--status S ...] [--format table|json|csv]"""

from __future__ import annotations

import os
import sys

import click

from pepctl.cli.completion import complete_states
from pepctl.cli.group import pass_app
from pepctl.model import format_number
from pepctl.report import printable
from pepctl.record import PepRecord, list_json


def record_of(pep) -> PepRecord:
    """What `list` needs of a PEP: its record without the header fields (made in a worker process)."""
    return PepRecord.of(pep, fields=False)


def rows_for(app, statuses) -> tuple[list[PepRecord], int]:
    """PEPs that parsed, in number order, filtered by status (any spelling); and how many did not parse."""
    policy = app.policy
    wanted = set()
    for status in statuses:
        canonical = policy.canonical(status)
        if canonical is None:
            raise click.UsageError(f"unknown status {status!r}; accepted values: {', '.join(policy.states)}")
        wanted.add(canonical)
    app.require_peps()
    parsed = app.corpus.summaries(record_of)
    rows = [r for r in parsed if not wanted or policy.canonical(r.status) in wanted]
    rows.sort(key=lambda r: (r.number if r.number is not None else 1 << 30, os.path.basename(r.path)))
    return rows, len(app.corpus.paths()) - len(parsed)


def number_text(row: PepRecord) -> str:
    return format_number(row.number) if row.number is not None else "????"


TITLE_WIDTH = 60  # titles are padded to the longest, up to this; a longer one pushes its authors right


def authors_text(row: PepRecord) -> str:
    """The authors by name (their handle when no name is written)."""
    names = [p.name or (f"@{p.handle}" if p.handle else "") for p in row.authors]
    return ", ".join(n for n in names if n) or row.authors_text


def table_lines(rows: list[PepRecord]) -> list[str]:
    """The table: a header, then number, status, title and authors of each PEP."""
    status_width = max([len("STATUS")] + [len(r.status) for r in rows])
    title_width = min(TITLE_WIDTH, max([len("TITLE")] + [len(r.title) for r in rows]))
    lines = [f"{'PEP':<4}  {'STATUS':<{status_width}}  {'TITLE':<{title_width}}  AUTHORS"]
    for r in rows:
        lines.append(f"{number_text(r):<4}  {r.status:<{status_width}}  {r.title:<{title_width}}  {authors_text(r)}".rstrip())
    return [printable(line) for line in lines]  # a title may hold an escape sequence: it must not drive the terminal


@click.command("list")
@click.option("--status", "statuses", multiple=True, metavar="STATUS", shell_complete=complete_states,
              help="Only PEPs in this status (repeatable; Draft, Under Review, Accepted, ...: `pepctl config` lists the project's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@pass_app
def command(app, statuses, fmt):
    """List PEPs with number, status, title and authors."""
    rows, unreadable = rows_for(app, statuses)
    if fmt == "json":
        import json  # only for --format json: the default table needs none (2 ms of start-up)

        click.echo(json.dumps([list_json(r) for r in rows], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv  # only for --format csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["number", "title", "status", "authors", "created", "path"])
        for r in rows:
            writer.writerow([number_text(r), r.title, r.status, r.authors_text, r.created, r.path])
    elif rows:
        click.echo("\n".join(table_lines(rows)))
    if unreadable:
        click.echo(f"{unreadable} file(s) could not be read; `pepctl check` says why", err=True)
    return 0
