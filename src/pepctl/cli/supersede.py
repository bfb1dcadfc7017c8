"""pepctl supersede OLD NEW [--dry-run]"""

from __future__ import annotations

import sys

import click

from pepctl.cli.completion import complete_numbers
from pepctl.cli.group import pass_app


@click.command("supersede")
@click.argument("old", metavar="OLD", shell_complete=complete_numbers)
@click.argument("new", metavar="NEW", shell_complete=complete_numbers)
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@pass_app
def command(app, old, new, dry_run):
    """Record that PEP NEW supersedes PEP OLD: Supersedes in NEW, Superseded-By in OLD.

    Only a decided PEP (Accepted, Implementing or Complete by default:
    amendment-states) can be superseded; NEW must exist (create it with
    `pepctl new` first). Both files change, or neither; nothing else in
    them changes. Run it again and nothing changes.
    """
    from pepctl import formats, supersede
    from pepctl.errors import UsageError
    from pepctl.fsutil import folder_lock

    if app.corpus.format is not formats.PLANO:  # Plano's fields and PEP-NNNN labels would not be the process's
        raise UsageError(f"{app.corpus.folder} holds {app.corpus.format.title_name}; `pepctl supersede` writes Plano "
                         "PEPs only: record the link in both files by hand, in the fields and form the process uses")

    with folder_lock(app.corpus.folder):  # like status: another writer in the folder waits
        change = supersede.plan(app.corpus, app.policy, old, new)
        if not change.files:
            click.echo(f"{change.summary} already; nothing to change")
            return 0
        if dry_run:
            sys.stdout.write(change.diff())
            click.echo(f"{change.summary} (dry run: nothing written)")
            return 0
        supersede.apply(change)
    click.echo(change.summary)
    return 0
