"""pepctl next [--open-prs [--repo owner/name]]"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


@click.command("next")
@click.option("--open-prs", is_flag=True, help="Also skip numbers that open pull requests add (asks GitHub; needs GITHUB_TOKEN).")
@click.option("--repo", metavar="OWNER/NAME", help="Repository for --open-prs (default: GITHUB_REPOSITORY, else the origin remote).")
@pass_app
def command(app, open_prs, repo):
    """Print the next free PEP number (highest in the folder plus one)."""
    # Imported when the command runs: `pepctl --help` loads every command module (model ~10 ms,
    # runner ~20 ms, and only --open-prs needs it).
    from pepctl.model import format_number

    taken = set()
    if open_prs:
        from pepctl.github.runner import taken_by_open_prs

        taken = taken_by_open_prs(app, repo)
    click.echo(format_number(app.corpus.next_number(taken)))
    return 0
