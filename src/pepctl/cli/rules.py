"""pepctl rules [--format text|json]"""

from __future__ import annotations

import json

import click

from pepctl.cli.group import pass_app

REVIEW_HEADING = "Review rules (`pepctl gate`, on pull requests; not configurable):"


def rule_rows(config) -> list[dict]:
    """Every registered lint rule with the severity it runs at under this config ('off' when it does not run)."""
    # Imported when the command runs: `pepctl --help` loads every command module (lint rules: ~20 ms).
    from pepctl.rules import REGISTRY, Selection, applicable

    selection = Selection(config)
    applies = applicable(config)  # the rules of the folder's format (docs/formats.md)
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": selection.severity.get(rule.code, "off"),
            "default": rule.severity,
            "summary": rule.summary,
        }
        for rule in sorted(REGISTRY.values(), key=lambda r: r.code)
        if applies(rule)
    ]


def review_rule_rows() -> list[dict]:
    """Every review rule (R family), which the configuration does not select or reword."""
    # Imported when the command runs: `pepctl --help` loads every command module (review engine: ~35 ms).
    from pepctl.review import REGISTRY

    return [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity,
            "default": rule.severity,
            "summary": rule.summary,
            "kind": "review",
        }
        for rule in sorted(REGISTRY.values(), key=lambda r: r.code)
    ]


def table(rows) -> list[str]:
    name_width = max(len(r["name"]) for r in rows)
    return [f"{r['code']}  {r['name']:<{name_width}}  {r['severity']:<7}  {r['summary']}" for r in rows]


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@pass_app
def command(app, fmt):
    """List the rules: code, name, severity (after configuration) and what each checks.

    First the lint rules: use a code, a code prefix or a name with
    `check --select/--ignore`, or in the `severity`, `select`, `ignore` and
    `per-file-ignores` config keys. Then the review rules (R codes) that
    `pepctl gate` applies to pull requests (marked "kind": "review" in JSON).
    """
    rows = rule_rows(app.config)
    review = review_rule_rows()
    if fmt == "json":
        click.echo(json.dumps(rows + review, indent=2, ensure_ascii=False))
        return 0
    click.echo("\n".join(table(rows) + ["", REVIEW_HEADING] + table(review)))
    return 0
