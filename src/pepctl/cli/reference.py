"""The command reference (docs/commands.md), written from the click definitions themselves, so the
page lists every command, argument, option and default there is and nothing else.

    python -m pepctl.cli.reference > docs/commands.md

A test compares the page with this output: a new option without a regenerated page fails it.
"""

from __future__ import annotations

import inspect

import click

from pepctl.cli.group import COMMANDS, cli

HEADER = """# Command reference

Every `pepctl` command with its arguments and options, as `pepctl COMMAND --help` gives them.
This page is generated from the command definitions (`python -m pepctl.cli.reference >
docs/commands.md`); the guides in this folder explain when to use what.

Global options go before the command: `pepctl [--dir PATH] [--config FILE] COMMAND ...`.
Exit status everywhere: 0 success, 1 findings or a refusal (nothing written), 2 a usage or
configuration error, 130 interrupted.

Environment: `PEPCTL_JOBS` (processes for whole-folder work; default: the CPUs), `PEPCTL_DEBUG=1`
(show a traceback instead of the one-line internal error), `GITHUB_TOKEN`, `GITHUB_REPOSITORY` and
`GITHUB_API_URL` (the GitHub commands), `PEPCTL_GITHUB_MAX_WAIT` (seconds to wait on GitHub's rate
limit, default 60).
"""


def _cell(text: str) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _default(param: click.Parameter) -> str:
    if isinstance(param, click.Option) and (param.is_flag or param.multiple):
        return ""
    default = param.default
    if default is None or default == () or callable(default) or not isinstance(default, (str, int, float)):
        return ""  # None, or click's "no default" sentinel
    return f"`{default}`"


def _help(text: str) -> list[str]:
    """A command's help as Markdown: paragraphs as they are, click's \\b blocks (kept as written)
    fenced."""
    out = []
    for paragraph in inspect.cleandoc(text or "").split("\n\n"):
        if paragraph.startswith("\b\n"):
            out += ["```", paragraph[2:], "```", ""]
        else:
            out += [" ".join(paragraph.split()), ""]
    return out


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden:
            continue
        if "--help" in param.opts:
            continue
        names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
        value = "" if param.is_flag else f" `{param.make_metavar(ctx)}`".replace("|", "\\|")
        rows.append(f"| {names}{value} | {_cell(param.help or '')} | {_default(param)} |")
    if not rows:
        return []
    return ["| option | what it does | default |", "|---|---|---|", *rows, ""]


def _section(name: str, command: click.Command, parent: click.Context, prefix: str) -> list[str]:
    ctx = click.Context(command, info_name=name, parent=parent)
    usage = " ".join(command.collect_usage_pieces(ctx))
    out = [f"{'#' * (1 + prefix.count(' '))} `{prefix}{name}`", "", f"`{prefix}{name} {usage}`", ""]
    out += _help(command.help)
    out += _options(command, ctx)
    if isinstance(command, click.Group):
        for sub in sorted(command.list_commands(ctx)):
            out += _section(sub, command.get_command(ctx, sub), ctx, f"{prefix}{name} ")
    return out


def markdown() -> str:
    root = click.Context(cli, info_name="pepctl")
    out = [HEADER]
    out += ["## Global options", ""] + _options(cli, root)
    for name in sorted(COMMANDS):
        out += _section(name, cli.get_command(root, name), root, "pepctl ")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
