"""pepctl check [PATHS...]"""

from __future__ import annotations

import click

from pepctl.cli.app import run_check, split_codes
from pepctl.cli.group import pass_app
from pepctl.report import FORMATS


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules (codes, prefixes or names; comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (codes, prefixes or names; comma-separated).")
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only check PEP files changed since this git ref, and the files the change affects: "
    "the index, PEPs linking to a renamed or deleted file, the other side of a Supersedes link.",
)
@pass_app
def command(app, paths, fmt, select, ignore, changed_since):
    """Lint PEP files (default: every PEP in the folder).

    Exit status: 0 clean, 1 findings, 2 usage or configuration error.
    """
    return run_check(app, paths, fmt, split_codes(select), split_codes(ignore), changed_since)
