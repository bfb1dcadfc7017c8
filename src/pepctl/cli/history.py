"""pepctl history [N] [--format text|json]"""

from __future__ import annotations

import sys

import click

from pepctl.cli.group import pass_app
from pepctl.model import pep_label, require_number
from pepctl.report import printable


def render_text(changes, label=pep_label) -> str:
    lines = []
    for change in changes:
        name = label(change.number) if change.number is not None else change.path
        old = change.old if change.old is not None else "(new)"
        lines.append(printable(f"{change.date[:10]}  {change.commit[:7]}  {name}  {old} -> {change.new}") + "\n")
    return "".join(lines)


@click.command("history")
@click.argument("number", required=False, metavar="[N]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@pass_app
def command(app, number, fmt):
    """Status changes of every PEP (or of PEP N), oldest first, from the git log.

    Each line gives the date, the commit, the PEP and its status before and
    after; "(new)" marks a PEP created with that status. Renamed files keep
    their history. Merges count once, on the branch they were merged into.
    """
    from pepctl.errors import PepctlError
    from pepctl.history import read_history
    from pepctl.model import format_number

    wanted = None
    if number is not None:
        wanted = require_number(number)
    corpus = app.corpus
    history = read_history(app.pep_dir, corpus.is_pep_file, corpus.format)
    if history.warning:
        sys.stderr.write(f"pepctl: warning: {history.warning}\n")
    changes = history.changes
    if wanted is not None:
        changes = history.for_number(wanted)
        if not changes:
            if wanted not in corpus.numbers():
                raise PepctlError(f"no PEP numbered {format_number(wanted)} in {corpus.folder}")
            sys.stderr.write(f"pepctl: {pep_label(wanted)} has no committed status change yet\n")
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps([c.to_json() for c in changes], indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(changes, getattr(corpus.format, "label", pep_label)))
    return 0
