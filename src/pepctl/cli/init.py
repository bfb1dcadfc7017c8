"""pepctl init [--github] [--maintainer HANDLE ...] [--lead HANDLE] [--process FILE] [--template FILE] [PATH]"""

from __future__ import annotations

import os

import click

from pepctl.cli.group import pass_app


@click.command("init")
@click.argument("path", default=".", type=click.Path(file_okay=False), metavar="[PATH]")
@click.option("--github", is_flag=True, help="Also write the workflows of the pull-request gate and the reminders to .github/workflows/.")
@click.option("--process", metavar="FILE", help="Copy this file as PEP-0000 instead of pepctl's process document.")
@click.option("--template", metavar="FILE", help="Copy this file as the PEP template instead of pepctl's.")
@click.option("--maintainer", "maintainers", multiple=True, metavar="HANDLE",
              help="A maintainer's GitHub handle, written into pepctl.toml (repeat for each).")
@click.option("--lead", metavar="HANDLE", help="The project lead's GitHub handle, written into pepctl.toml.")
@pass_app
def command(app, path, github, process, template, maintainers, lead):
    """Set up the PEP process in the repository at PATH (default: here).

    Writes docs/peps/PEP-0000-process.md (the process, with its Index),
    docs/peps/PEP-TEMPLATE.md and pepctl.toml (with the --maintainer and
    --lead handles given, else fill them in there); with --github, the gate and reminder workflows of
    docs/github.md. If any of these files exists, or docs/peps holds PEPs
    already, nothing is written and the files are listed (exit 1).
    """
    from pepctl import scaffold

    files = scaffold.plan(path, github=github, process=process, template=template, maintainers=list(maintainers),
                          lead=lead)
    scaffold.write(files)
    for written, _ in files:
        click.echo(f"created {os.path.normpath(written)}")
    if not maintainers or not lead:
        missing = " and ".join(key for key, given in (("maintainers", maintainers), ("project-lead", lead)) if not given)
        click.echo(f"next: name the {missing} in pepctl.toml, then `pepctl check`")
    else:
        click.echo('next: `pepctl new "Your title"` starts your first PEP')
    if github:
        click.echo("next: in .github/workflows/pep-*.yml replace OWNER/pepctl@PEPCTL_SHA by the pepctl repository "
                   "and the full commit SHA of the release you use (docs/github.md of pepctl explains why)")
    return 0
