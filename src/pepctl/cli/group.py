"""The click group: global options and lazily imported subcommands."""

from __future__ import annotations

import importlib
import os
import sys

import click

from pepctl import __version__
from pepctl.cli.app import App
from pepctl.errors import PepctlError, UsageError

# command name -> module under pepctl.cli defining `command`
COMMANDS = {
    "check": "check",
    "rules": "rules",
    "new": "new",
    "next": "next",
    "status": "status",
    "index": "index",
    "list": "list",
    "show": "show",
    "history": "history",
    "config": "config",
    "gate": "gate",
    "sla": "sla",
    "remind": "remind",
    "site": "site",
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"pepctl.cli.{module}").command


pass_app = click.make_pass_decorator(App)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--dir", "pep_dir", metavar="PATH", help="PEP folder (default: from config, docs/peps, or the current folder).")
@click.option("--config", "config_path", metavar="FILE", help="Config file (default: nearest pepctl.toml or pyproject.toml).")
@click.version_option(__version__, "-V", "--version", prog_name="pepctl")
@click.pass_context
def cli(ctx, pep_dir, config_path):
    """Run a PEP process: create, lint, transition, index and trace proposals."""
    ctx.obj = App(pep_dir, config_path)


def exit_code(err: PepctlError) -> int:
    """2 for a usage, configuration or environment error (nothing was tried), 1 for the rest."""
    return 2 if isinstance(err, UsageError) else 1


def run(args: list[str]) -> int:
    """Run the click group; map errors to exit codes (2 usage/config, 1 failure)."""
    try:
        result = cli.main(args=args, prog_name="pepctl", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:
        sys.stderr.write("pepctl: aborted\n")
        return 130
    except PepctlError as err:
        sys.stderr.write(f"pepctl: error: {err}\n")
        return exit_code(err)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return result if isinstance(result, int) else 0
