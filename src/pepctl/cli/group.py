"""The click group: global options and lazily imported subcommands."""

from __future__ import annotations

import importlib
import os
import sys

import click

from pepctl import __version__
from pepctl.cli import options
from pepctl.cli.app import App, report
from pepctl.errors import PepctlError

# command name -> module under pepctl.cli defining `command`
COMMANDS = {
    "check": "check",
    "completion": "completion",
    "rules": "rules",
    "new": "new",
    "next": "next",
    "status": "status",
    "index": "index",
    "list": "list",
    "related": "related",
    "show": "show",
    "history": "history",
    "config": "config",
    "gate": "gate",
    "sla": "sla",
    "remind": "remind",
    "site": "site",
    "convert": "convert",
    "init": "init",
    "supersede": "supersede",
    "bot": "bot",
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PepctlError as err:
            ctx.exit(report(err))

    def get_command(self, ctx, name):
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"pepctl.cli.{module}").command


pass_app = click.make_pass_decorator(App)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@options.apply(options.GLOBAL)  # the fast path reads the same table
@click.version_option(__version__, "-V", "--version", prog_name="pepctl")
@click.pass_context
def cli(ctx, pep_dir, config_path):
    """Run a PEP process: create, lint, transition, index and trace proposals."""
    if ctx.invoked_subcommand is None:  # bare `pepctl`: the help, and success
        click.echo(ctx.get_help())
        ctx.exit(0)
    ctx.obj = App(pep_dir, config_path)


def run(args: list[str]) -> int:
    """Run the click group; click's own errors become its messages and exit codes here, pepctl's
    propagate to ``pepctl.cli.main``."""
    try:
        result = cli.main(args=args, prog_name="pepctl", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:
        sys.stderr.write("pepctl: interrupted\n")  # as a Ctrl-C anywhere else says
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return result if isinstance(result, int) else 0
