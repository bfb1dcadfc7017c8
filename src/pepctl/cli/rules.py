"""pepctl rules [--format text|json]"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


def rule_rows(config) -> list[dict]:
    """Every registered rule with the severity it runs at under this config ('off' when it does not run)."""
    from pepctl.rules import REGISTRY, Selection

    selection = Selection(config)
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": selection.severity.get(rule.code, "off"),
            "default": rule.severity,
            "summary": rule.summary,
        }
        for rule in sorted(REGISTRY.values(), key=lambda r: r.code)
    ]


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@pass_app
def command(app, fmt):
    """List the lint rules: code, name, severity (after configuration) and what each checks.

    Use a code, a code prefix or a name with `check --select/--ignore`, or in
    the `severity`, `select`, `ignore` and `per-file-ignores` config keys.
    """
    rows = rule_rows(app.config)
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    name_width = max(len(r["name"]) for r in rows)
    lines = [f"{r['code']}  {r['name']:<{name_width}}  {r['severity']:<7}  {r['summary']}" for r in rows]
    click.echo("\n".join(lines))
    return 0
