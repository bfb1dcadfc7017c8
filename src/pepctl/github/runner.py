"""What the GitHub commands share: the client from the environment, and the PEP folder as seen
from the repository.

Failures are raised, never turned into exit codes here: a usage problem (no token, no pull
request named, a malformed event file, the github extra missing) is a ``pepctl.errors.UsageError``
(exit 2), GitHub unreachable or failing after the retries a ``GitHubError`` (exit 1); the
command line's one handler (``pepctl.cli.group.run``) prints the one-line message.
"""

from __future__ import annotations

import os

from pepctl.config import ConfigError
from pepctl.errors import UsageError
from pepctl.github.event import repo_from_env
from pepctl.github.folder import LocalRepo, PepFolder


def ensure_installed() -> None:
    try:
        import gidgethub  # noqa: F401
        import httpx  # noqa: F401
    except ImportError:
        raise UsageError(
            "this command talks to GitHub and needs the github extra: pip install 'pepctl[github]'"
        ) from None


def local_checkout(app):
    """(PepFolder, LocalRepo or None) for the current checkout and configuration."""
    config = app.config
    try:
        pep_dir = app.pep_dir
    except ConfigError:
        pep_dir = None
    local = LocalRepo.find(pep_dir)
    if local is not None and pep_dir is not None:
        folder = PepFolder.from_config(config, pep_dir, local.root)
    else:
        folder = PepFolder.from_config(config, root=local.root if local is not None else None)
    return folder, local


def with_client(work):
    """Run ``work(client)`` (a coroutine function) with a client from the environment; its result."""
    ensure_installed()
    # Imported here: the client needs the github extra, which ensure_installed has just checked.
    from pepctl.github.client import Client, run

    client = Client.from_env(max_wait=_max_wait())

    async def main():
        async with client as gh:
            return await work(gh)

    return run(main())


def _max_wait() -> float:
    value = os.environ.get("PEPCTL_GITHUB_MAX_WAIT", "")
    try:
        return max(0.0, float(value)) if value else 60.0
    except ValueError:
        return 60.0


def taken_by_open_prs(app, repo: str | None) -> set[int]:
    """PEP numbers that open pull requests add, for `pepctl next --open-prs`.

    One request lists the open pull requests, then one per open pull request reads its files.
    """
    repo = repo_from_env(repo)
    folder, _ = local_checkout(app)
    found: set[int] = set()

    async def work(gh):
        from pepctl.github.reads import open_pr_numbers  # needs the github extra: see with_client

        for numbers in (await open_pr_numbers(gh, repo, 0, folder)).values():
            found.update(numbers)

    with_client(work)
    return found
