"""pepctl remind [--repo owner/name] [--dry-run]"""

from __future__ import annotations

import click

from pepctl.cli.group import pass_app


@click.command("remind")
@click.option("--repo", metavar="OWNER/NAME", help="Repository (default: GITHUB_REPOSITORY).")
@click.option("--dry-run", is_flag=True, help="Print the reminders that are due; post nothing.")
@pass_app
def command(app, repo, dry_run):
    """Remind maintainers of PEPs overdue for first feedback (for a scheduled workflow).

    Posts at most one reminder per pull request per `first-feedback-days`
    period; a hidden dated marker in the reminder makes reruns post nothing.
    It asks the PEP's sponsor, or the maintainers when there is none.
    """
    # Imported when the command runs: `pepctl --help` loads every command module, and these add ~45 ms.
    from pepctl.github.event import repo_from_env
    from pepctl.github.markers import trusted_logins_from_env
    from pepctl.github.runner import local_checkout, with_client

    repo = repo_from_env(repo)
    policy = app.policy
    period = app.config.first_feedback_days
    folder, local = local_checkout(app)

    async def work(gh):
        # Imported here: it needs the github extra, which with_client checks first.
        from pepctl.github.waiting import reminder_due, reminder_text, today_utc, waiting

        today = today_utc()
        items = await waiting(gh, repo, policy, folder, local=local, trusted_logins=trusted_logins_from_env())
        sent = 0
        for item in (i for i in items if i.overdue):
            due, last = reminder_due(item, today, period)
            if not due:
                click.echo(f"#{item.number}: already reminded on {last}; next reminder from {period} days after that")
                continue
            if dry_run:
                click.echo(f"#{item.number}: would post a reminder ({item.age_days} days waiting)")
                continue
            await gh.post(f"/repos/{repo}/issues/{item.number}/comments", {"body": reminder_text(item, policy, today)})
            sent += 1
            click.echo(f"#{item.number}: reminder posted ({item.age_days} days waiting)")
        if not dry_run:
            click.echo(f"{sent} reminder(s) posted")
        return 0

    return with_client(work)
