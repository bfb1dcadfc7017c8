"""pepctl status N STATE [--reason TEXT] [--dry-run]"""

from __future__ import annotations

import sys

import click

from pepctl.cli.group import pass_app


@click.command("status")
@click.argument("number", metavar="N")
@click.argument("state")
@click.option("--reason", metavar="TEXT", help="Rationale, recorded in the PEP when the new status needs one (e.g. Declined).")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@pass_app
def command(app, number, state, reason, dry_run):
    """Move PEP N (42, 0042 or PEP-0042) to STATE.

    The change must be allowed by the lifecycle, the PEP must meet the new
    status's requirements, and the edit must bring no error that `pepctl
    check` would then report on the file; otherwise nothing is written and
    the message lists what to fix, with file and line (--dry-run too). Only
    the Status cell changes (plus the index row, and the rationale when
    --reason is recorded); if the index cannot be written, the PEP is put
    back as it was.
    """
    from pepctl.fsutil import folder_lock

    with folder_lock(app.corpus.folder):  # a `new` or `index` run meanwhile must not lose our index row, nor we theirs
        return _move(app, number, state, reason, dry_run)


def _move(app, number, state, reason, dry_run) -> int:
    from pepctl import transition

    try:
        change = transition.plan(app.corpus, app.policy, number, state, reason)
    except transition.AlreadyThere as done:
        click.echo(done.message)
        return 0
    if reason and not app.policy.needs_rationale(change.new):
        sys.stderr.write(f"note: {change.new} needs no rationale, so --reason was not recorded\n")
    if dry_run:
        sys.stdout.write(transition.diff(change))
        click.echo(f"{change.summary} (dry run: nothing written)")
        return 0
    transition.apply(change)
    click.echo(change.summary)
    return 0
