"""pepctl show N [--format text|json]"""

from __future__ import annotations

import click

from pepctl.cli.completion import complete_numbers
from pepctl.cli.group import pass_app
from pepctl.model import format_number, not_a_number, parse_number, pep_label
from pepctl.record import PepRecord, show_json


class PepNumber(click.ParamType):
    name = "NUMBER"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        number = parse_number(value)
        if number is None:
            self.fail(not_a_number(value), param, ctx)
        return number


@click.command("show")
@click.argument("number", type=PepNumber(), shell_complete=complete_numbers)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--section", "section", metavar="NAME", help="Print only the text of this section (its title, any case).")
@click.option("--timeline", is_flag=True, help="Print only the PEP's status changes from the git log, oldest first.")
@pass_app
def command(app, number, fmt, section, timeline):
    """Show one PEP's header fields and sections (or one section's text, or its status timeline)."""
    entries = app.corpus.find_all(number)
    if not entries:
        click.echo(f"pepctl: error: no PEP numbered {format_number(number)} in {app.pep_dir}", err=True)
        return 1
    _warn_about_number(app.corpus, entries, number)
    if section is not None:
        return _section(entries, section)
    if timeline:
        return _timeline(app, number, fmt)
    status = 0
    payload = []
    for entry in entries:
        if entry.pep is None:
            click.echo(f"{entry.path}:{entry.error.line}: {entry.error.message}", err=True)
            status = 1
            continue
        item = show_json(PepRecord.of(entry.pep, sections=True))
        prose = _prose(entry)
        if prose is not entry.pep.document:  # a KEP: the sections are its README's
            item["sections"] = [{"level": h.level, "title": h.title, "line": h.line + 1} for h in prose.headings]
        payload.append(item)
    if fmt == "json":
        import json  # only for --format json: the default text needs none (2 ms of start-up)

        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False))
        return status
    label = getattr(app.corpus.format, "label", pep_label)
    from pepctl.report import printable  # a field or title may hold an escape sequence: it must not drive the terminal

    for item in payload:
        click.echo(printable(f"{label(item['number'])}: {item['title']}"))
        click.echo(printable(f"  path: {item['path']}"))
        for name, value in item["fields"].items():
            click.echo(printable(f"  {name}: {value}"))
        click.echo("  sections:")
        for section in item["sections"]:
            click.echo(printable(f"  {'  ' * (section['level'] - 1)}{section['title']}  (line {section['line']})"))
    return status


def _warn_about_number(corpus, entries, number: int) -> None:
    """Say what a whole-folder `pepctl check` reports about the number: files that share it (X001),
    a file named with one number whose header gives another (H004). Every file is shown."""
    from pepctl.report import printable  # a file name may hold an escape sequence

    if len(entries) > 1:
        paths = ", ".join(e.path for e in entries)
        click.echo(printable(f"pepctl: warning: {len(entries)} files are numbered {format_number(number)}: {paths}; "
                             "each is shown below; `pepctl check` reports them (X001): give all but one a new number "
                             "(`pepctl next` prints a free one)"), err=True)
    for entry in entries:
        named = corpus.number_from_name(entry.path)
        own = entry.pep.number if entry.pep is not None else None
        if named is not None and own is not None and own != named:
            click.echo(printable(f"pepctl: warning: {entry.path}: its file name says {format_number(named)} but its "
                                 f"header says {format_number(own)}; `pepctl check` reports it (H004): make them agree"),
                       err=True)


def _section(entries, title: str) -> int:
    """The text of one section of each file numbered so, as written (comments left out)."""
    status = 0
    for entry in entries:
        if entry.pep is None:
            click.echo(f"{entry.path}:{entry.error.line}: {entry.error.message}", err=True)
            status = 1
            continue
        document = _prose(entry)
        heading = document.section(title)
        if heading is None:
            names = ", ".join(f"'{h.title}'" for h in document.headings if h.level > 1) or "none"
            click.echo(f"pepctl: error: {document.path or entry.path} has no section {title!r}; its sections: {names}",
                       err=True)
            status = 1
            continue
        click.echo(document.section_text(heading).strip("\n"))
    return status


def _prose(entry):
    """The Document that holds a proposal's sections: its own, or, for a format that keeps the prose
    beside the metadata (a KEP's README.md beside its kep.yaml), that file's, read as Markdown."""
    document = entry.pep.document
    if not getattr(document.format, "nested", False):
        return document
    import os

    from pepctl.document import Document

    text, _ = document.format.body(document, entry.path)
    return Document(text, os.path.join(os.path.dirname(entry.path), "README.md"))


def _timeline(app, number: int, fmt: str) -> int:
    """The PEP's status changes (what `pepctl history N` prints)."""
    from pepctl.cli.history import render_text
    from pepctl.history import read_history

    corpus = app.corpus
    history = read_history(app.pep_dir, corpus.is_pep_file, corpus.format)
    if history.warning:
        click.echo(f"pepctl: warning: {history.warning}", err=True)
    changes = history.for_number(number)
    if fmt == "json":
        import json

        click.echo(json.dumps([c.to_json() for c in changes], indent=2, ensure_ascii=False))
    elif changes:
        click.echo(render_text(changes, getattr(corpus.format, "label", pep_label)), nl=False)
    else:
        click.echo(f"pepctl: {pep_label(number)} has no committed status change yet", err=True)
    return 0
