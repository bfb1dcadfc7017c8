"""pepctl next"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


@click.command("next")
@pass_app
def command(app):
    """Print the next free PEP number (highest in the folder plus one)."""
    from pepctl.model import format_number

    click.echo(format_number(app.corpus.next_number()))
    return 0
