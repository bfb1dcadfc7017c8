"""pepctl completion bash|zsh|fish, and what the shell completes: commands, options, status names
and the PEP numbers of the folder.

The script is click's own (``click.shell_completion``): the shell calls ``pepctl`` back with
``_PEPCTL_COMPLETE`` set and click answers. The value completers here read the project the way
the command would (``--dir`` and ``--config`` as typed so far), and complete nothing rather than
fail when the folder or the configuration cannot be read.
"""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_PEPCTL_COMPLETE"


def _app(ctx):
    """The App the command line typed so far names (completion runs no group callback)."""
    from pepctl.cli.app import App

    root = ctx.find_root()
    if isinstance(root.obj, App):
        return root.obj
    return App(root.params.get("pep_dir"), root.params.get("config_path"))


def complete_states(ctx, param, incomplete: str):
    """The project's status names starting with what was typed (any case)."""
    from click.shell_completion import CompletionItem

    try:
        states = _app(ctx).policy.states
    except Exception:  # a broken config: complete nothing, the command itself will say why
        return []
    typed = incomplete.casefold().strip("'\"")
    return [CompletionItem(state) for state in states if state.casefold().startswith(typed)]


def complete_numbers(ctx, param, incomplete: str):
    """The PEP numbers of the folder (0042) that match what was typed (42, 0042 or PEP-0042)."""
    from click.shell_completion import CompletionItem

    from pepctl.model import format_number

    try:
        corpus = _app(ctx).corpus
        found = sorted({n for n in corpus.numbers()})
    except Exception:  # no folder yet, or a broken config: complete nothing
        return []
    typed = incomplete.upper().removeprefix("PEP-").lstrip("0")
    return [CompletionItem(format_number(n)) for n in found if str(n).startswith(typed) or not typed]


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def command(shell):
    """Print the shell completion script for SHELL.

    \b
    bash:  eval "$(pepctl completion bash)"      (in ~/.bashrc)
    zsh:   eval "$(pepctl completion zsh)"       (in ~/.zshrc)
    fish:  pepctl completion fish > ~/.config/fish/completions/pepctl.fish

    It completes commands, options, status names and the PEP numbers of the folder.
    """
    from click.shell_completion import get_completion_class

    from pepctl.cli.group import cli

    script = get_completion_class(shell)(cli, {}, "pepctl", COMPLETE_VAR).source()
    click.echo(script)
    return 0
