"""pepctl convert --to plano --output DIR"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


@click.command("convert")
@click.option("--to", "to", type=click.Choice(["plano"]), required=True, help="The format to write.")
@click.option("-o", "--output", "output", required=True, metavar="DIR", help="A new or empty folder for the result.")
@pass_app
def command(app, to, output):
    """Write the folder's proposals (python-pep, eip, swift, rust-rfc, kep, madr) as Plano PEPs.

    Numbers, titles, authors and every header field are kept; the status is mapped onto
    Plano's lifecycle (the original is kept as Original Status). Run `pepctl --dir DIR check`
    on the result to see what the source lacks for Plano (docs/formats.md lists it per format).
    """
    from pepctl.cli.app import terminal_progress
    from pepctl.convert import convert

    with terminal_progress() as progress:
        result = convert(app.corpus, output, to, progress)
    click.echo(f"converted {len(result.written)} proposals into {output} (index: {result.index})", err=True)
    for path, why in result.skipped.items():
        click.echo(f"pepctl: warning: {path}: not converted: {why}", err=True)
    return 0
