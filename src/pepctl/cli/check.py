"""pepctl check [PATHS...]"""

from __future__ import annotations

import click

from pepctl.cli import options
from pepctl.cli.app import run_check, split_codes
from pepctl.cli.group import pass_app


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@options.apply(options.CHECK)  # the fast path reads the same table
@pass_app
def command(app, paths, fmt, select, ignore, changed_since, strict, statistics, quiet):
    """Lint PEP files (default: every PEP in the folder).

    Exit status: 0 no errors (warnings are shown but pass, unless --strict), 1 errors,
    2 usage or configuration error.
    """
    return run_check(app, paths, fmt, split_codes(select), split_codes(ignore), changed_since,
                     strict=strict, statistics=statistics, quiet=quiet)
