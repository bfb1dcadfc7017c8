"""pepctl sla [--repo owner/name] [--format text|json]"""

from __future__ import annotations

import json

import click

from pepctl.cli.group import pass_app


@click.command("sla")
@click.option("--repo", metavar="OWNER/NAME", help="Repository (default: GITHUB_REPOSITORY).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@pass_app
def command(app, repo, fmt):
    """List open PEP pull requests waiting for first maintainer feedback.

    A PEP under review should get initial feedback within `first-feedback-days`
    (14 by default); the list shows each one's age and marks the overdue ones.
    Needs GITHUB_TOKEN (read access is enough).
    """
    # Imported when the command runs: `pepctl --help` loads every command module, and these add ~45 ms.
    from pepctl.github.event import repo_from_env
    from pepctl.github.markers import trusted_logins_from_env
    from pepctl.github.runner import local_checkout, with_client

    repo = repo_from_env(repo)
    policy = app.policy
    folder, local = local_checkout(app)

    async def work(gh):
        # Imported here: it needs the github extra, which with_client checks first.
        from pepctl.github.waiting import waiting

        items = await waiting(gh, repo, policy, folder, local=local, trusted_logins=trusted_logins_from_env())
        if fmt == "json":
            click.echo(json.dumps([item.to_json() for item in items], indent=2, ensure_ascii=False))
            return 0
        if not items:
            click.echo("no open PEP pull request is waiting for first feedback")
            return 0
        for item in items:
            mark = "OVERDUE " if item.overdue else ""
            peps = ", ".join(item.peps) or "?"
            click.echo(
                f"{mark}#{item.number} {peps}: waiting {item.age_days} days since {(item.entered_at or '')[:10]}, "
                f"due {(item.due_at or '')[:10]}  {item.url}"
            )
        overdue = sum(item.overdue for item in items)
        click.echo(f"{len(items)} waiting, {overdue} overdue")
        return 0

    return with_client(work)
