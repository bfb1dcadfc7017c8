"""pepctl gate [--pr N] [--repo owner/name] [--dry-run] [--format text|json]"""

from __future__ import annotations

import json
import os

import click

from pepctl.cli.group import pass_app


@click.command("gate")
@click.option("--pr", "pr", type=click.IntRange(min=1), metavar="N", help="Pull request number (default: from the Actions event).")
@click.option("--repo", metavar="OWNER/NAME", help="Repository (default: GITHUB_REPOSITORY).")
@click.option("--dry-run", is_flag=True, help="Print the verdict and the writes it would make; change nothing on GitHub.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@pass_app
def command(app, pr, repo, dry_run, fmt):
    """Decide a pull request by the PEP process and publish the verdict.

    Reads the pull request, its reviews, comments and PEP files from GitHub
    (GITHUB_TOKEN, GITHUB_API_URL), runs the review engine, then sets the
    commit status `pep/process`, the `pep: <status>` labels, one summary
    comment (edited only when it changes) and answers to `/pep` commands.
    The PR's files are read as data; nothing from the PR head is run.

    Exit status: 0 passed (or a draft, which is informational), 1 blocked
    or GitHub unreachable (or answering what is not its API), 2 usage error
    (no token, GITHUB_API_URL not an http(s) URL, no pull request, bad event file).
    """
    # Imported when the command runs: `pepctl --help` loads every command module, and these add ~45 ms.
    from pepctl.github.event import NotAPullRequest, resolve
    from pepctl.github.markers import trusted_logins_from_env
    from pepctl.github.runner import local_checkout, with_client

    try:
        target = resolve(pr, repo)
    except NotAPullRequest as why:
        click.echo(f"pepctl gate: nothing to do: {why}")
        return 0
    policy = app.policy
    folder, local = local_checkout(app)

    async def work(gh):
        # Imported here: it needs the github extra, which with_client checks first.
        from pepctl.github.gate import gate

        done = await gate(gh, target.repo, target.number, policy, folder, local=local,
                          trusted_logins=trusted_logins_from_env(), dry_run=dry_run)
        verdict = done.verdict
        report(target, done.gathered, verdict, done.plan, dry_run, fmt, done.reads, gh.request_count)
        step_summary(verdict)
        return 0 if verdict.passed or verdict.informational else 1

    return with_client(work)


def report(target, gathered, verdict, result, dry_run, fmt, reads, total) -> None:
    writes = result.writes
    if fmt == "json":
        data = verdict.to_json()
        data["repository"] = target.repo
        data["pull_request"] = target.number
        data["dry_run"] = dry_run
        data["writes"] = [w.to_json() for w in writes]
        data["requests"] = {"reads": reads, "total": total}
        data["notes"] = gathered.notes
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    state = {"success": "passed", "failure": "blocked", "neutral": "draft (informational)"}.get(verdict.conclusion, verdict.conclusion)
    click.echo(f"pepctl gate: {target.repo}#{target.number}: {state}")
    for reason in verdict.reasons:
        where = f" ({reason.path}:{reason.line})" if reason.path and reason.line else (f" ({reason.path})" if reason.path else "")
        click.echo(f"  {reason.code} {reason.severity}: {reason.message}{where}")
    for note in gathered.notes:
        click.echo(f"  note: {note}")
    click.echo(f"labels: {', '.join(verdict.labels) or '(none)'}")
    verb = "would write" if dry_run else "wrote"
    if writes:
        for write in writes:
            click.echo(f"{verb}: {write.what}")
    else:
        click.echo(f"{verb}: nothing")
    if dry_run:
        click.echo("")
        click.echo(verdict.summary.rstrip("\n"))
    click.echo(f"({total} GitHub API requests)")


def step_summary(verdict) -> None:
    """Append the summary to the Actions job summary page, when there is one."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(verdict.summary + "\n")
    except OSError:
        pass
