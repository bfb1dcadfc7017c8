"""pepctl config [--schema] [--format toml|json]"""

from __future__ import annotations

import json

import click

from pepctl.cli.group import pass_app
from pepctl.configschema import json_schema


@click.command("config")
@click.option("--schema", is_flag=True, help="Print the JSON Schema of the configuration instead.")
@click.option("--format", "fmt", type=click.Choice(["toml", "json"]), default="toml", show_default=True)
@pass_app
def command(app, schema, fmt):
    """Print the effective configuration (defaults follow PEP-0000).

    The first line says where it came from: a pepctl.toml, a pyproject.toml
    [tool.pepctl] table, or the built-in defaults.
    """
    if schema:
        click.echo(json.dumps(json_schema(), indent=2))
        return 0
    config = app.config
    values = config.as_dict()
    source = config.source or "built-in defaults (no pepctl.toml or [tool.pepctl] found)"
    if fmt == "json":
        click.echo(json.dumps({"source": config.source, "config": values}, indent=2))
        return 0
    import tomli_w

    click.echo(f"# effective pepctl configuration, from {source}")
    click.echo(tomli_w.dumps(values).rstrip())
    return 0
