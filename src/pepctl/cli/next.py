"""pepctl next [--open-prs [--repo owner/name]]"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


@click.command("next")
@click.option("--open-prs", is_flag=True, help="Also skip numbers that open pull requests add (asks GitHub; needs GITHUB_TOKEN).")
@click.option("--repo", metavar="OWNER/NAME", help="Repository for --open-prs (default: GITHUB_REPOSITORY, else the origin remote).")
@pass_app
def command(app, open_prs, repo):
    """Print the next free PEP number (highest in the folder plus one).

    Past 9999 (every four-digit number used, or a file numbered past it by a typo) there is none:
    it says which file holds the highest number and exits 1, as `pepctl new` refuses."""
    # Imported when the command runs: `pepctl --help` loads every command module (model ~10 ms,
    # runner ~20 ms, and only --open-prs needs it).
    from pepctl.model import format_number

    taken = set()
    if open_prs:
        from pepctl.github.runner import taken_by_open_prs

        taken = taken_by_open_prs(app, repo)
    from pepctl.create import refuse_five_digits

    number = app.corpus.next_number(taken)
    refuse_five_digits(app.corpus, number)
    click.echo(format_number(number))
    return 0
