"""The options of the global group and of `check`, as one table both command lines read.

The click interface builds its options from these tables (``Opt.click``), and
the fast path (``pepctl.cli.fast``) parses a plain `check` with the same
tables, without importing click: one grammar, so the two cannot drift. An
option marked ``fast=False`` sends the whole command line to click.

This module imports no click (it is on the pre-commit path).
"""

from __future__ import annotations

from pepctl.report import FORMATS


class Opt:
    """One option: its spelling, where its value goes, and what click needs to show it."""

    __slots__ = ("name", "dest", "metavar", "help", "choices", "default", "multiple", "fast", "flag")

    def __init__(self, name, dest, help, metavar=None, choices=None, default=None, multiple=False, fast=True,
                 flag=False):
        self.name = name  # the long spelling, --name
        self.dest = dest  # the parameter it fills
        self.help = help
        self.metavar = metavar
        self.choices = choices  # the values allowed, or None for any
        self.default = default
        self.multiple = multiple  # may be given several times: a list
        self.fast = fast  # whether the fast path takes it
        self.flag = flag  # on when given, off by default; takes no value

    def click(self):
        """This option as a click decorator."""
        import click

        if self.flag:
            return click.option(self.name, self.dest, is_flag=True, default=False, help=self.help)
        kwargs = {"help": self.help, "metavar": self.metavar}
        if self.choices is not None:
            kwargs.update(type=click.Choice(self.choices), show_default=self.default is not None)
        if self.multiple:
            kwargs["multiple"] = True
        if self.default is not None:
            kwargs["default"] = self.default
        return click.option(self.name, self.dest, **kwargs)


GLOBAL = (
    Opt("--dir", "pep_dir", "PEP folder (default: from config, docs/peps, or the current folder).", metavar="PATH"),
    Opt("--config", "config_path", "Config file (default: nearest pepctl.toml or pyproject.toml).", metavar="FILE"),
)

CHECK = (
    Opt("--format", "fmt", "Output format.", choices=FORMATS, default="text"),
    Opt("--select", "select", "Only these rules (codes, prefixes or names; comma-separated).", metavar="CODES",
        multiple=True),
    Opt("--ignore", "ignore", "Skip these rules (codes, prefixes or names; comma-separated).", metavar="CODES",
        multiple=True),
    Opt("--changed-since", "changed_since",
        "Only check PEP files changed since this git ref, and the files the change affects: "
        "the index, PEPs linking to a renamed or deleted file, the other side of a Supersedes link.",
        metavar="REF", fast=False),
    Opt("--strict", "strict", "Exit 1 on warnings too (by default only errors fail).", flag=True),
    Opt("--statistics", "statistics", "After the findings, count them per rule.", flag=True),
    Opt("--quiet", "quiet", "Print the findings only: no summary line, no progress.", flag=True),
)


def apply(options):
    """A decorator that adds these options to a click command, in table order."""

    def decorate(func):
        for option in reversed(options):
            func = option.click()(func)
        return func

    return decorate
