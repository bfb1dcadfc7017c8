"""pepctl status N STATE [--reason TEXT] [--tracking-issue I] [--target-release R] [--sponsor S] [--decided-by LEAD] [--dry-run]"""

from __future__ import annotations

import sys

import click

from pepctl.cli.completion import complete_numbers, complete_states
from pepctl.cli.group import pass_app


@click.command("status")
@click.argument("number", metavar="N", shell_complete=complete_numbers)
@click.argument("state", shell_complete=complete_states)
@click.option("--reason", metavar="TEXT", help="Why: recorded under '## Decision' for Declined, Deferred and Withdrawn "
              "(reason-states; Declined needs one). Plain text: no control characters, no line that would start "
              "a heading, code fence or table row.")
@click.option("--tracking-issue", metavar="#N|URL", help="Set Tracking Issue (needed from Implementing on): #123 or the issue's URL; several comma-separated.")
@click.option("--target-release", metavar="VERSION", help="Set Target Release (needed for Complete).")
@click.option("--sponsor", metavar="'NAME (@HANDLE)'", help="Set Sponsor: a maintainer, needed from Under Review on when no author is one.")
@click.option("--decided-by", metavar="@LEAD", help="Set Decided-By: the project lead made the final call (the rationale must then be recorded: --reason).")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@pass_app
def command(app, number, state, reason, tracking_issue, target_release, sponsor, decided_by, dry_run):
    """Move PEP N (42, 0042 or PEP-0042) to STATE.

    STATE, in the default process (PEP-0000): Draft, "Under Review",
    Accepted, Declined, Deferred, Withdrawn, Implementing, Complete, Active;
    `pepctl config` shows the project's states and allowed moves.

    The change must be allowed by the lifecycle, the PEP must meet the new
    status's requirements, and the edit must bring no error that `pepctl
    check` would then report on the file; otherwise nothing is written and
    the message lists what to fix, with file and line (--dry-run too). Only
    the Status cell changes, plus the fields given as options, the index
    row, and the reason when --reason is recorded; if the index cannot be
    written, the PEP is put back as it was.
    """
    from pepctl.fsutil import folder_lock

    fields = {name: value for name, value in (("Tracking Issue", tracking_issue), ("Target Release", target_release),
                                               ("Sponsor", sponsor), ("Decided-By", decided_by)) if value is not None}
    with folder_lock(app.corpus.folder):  # a `new` or `index` run meanwhile must not lose our index row, nor we theirs
        return _move(app, number, state, reason, fields, dry_run)


def _move(app, number, state, reason, fields, dry_run) -> int:
    from pepctl import transition

    try:
        change = transition.plan(app.corpus, app.policy, number, state, reason, fields=fields)
    except transition.AlreadyThere as done:
        click.echo(done.message)
        return 0
    if reason and not app.policy.records_reason(change.new):
        sys.stderr.write(f"note: {change.new} records no reason (reason-states), so --reason was not recorded\n")
    if dry_run:
        sys.stdout.write(transition.diff(change))
        click.echo(f"{change.summary} (dry run: nothing written)")
        return 0
    transition.apply(change)
    click.echo(change.summary)
    return 0
