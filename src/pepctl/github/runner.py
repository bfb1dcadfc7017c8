"""What the GitHub commands share: the client from the environment, the PEP
folder as seen from the repository, and turning failures into exit codes.

Exit codes: 2 for usage problems (no token, no pull request named, a malformed
event file, a bad configuration); 1 when GitHub cannot be reached or keeps
failing after the retries. Either way the message is one line, never a traceback.
"""

from __future__ import annotations

import os
import sys


class UsageError(Exception):
    """Exit 2 with this message."""


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
    from pepctl.config import ConfigError
    from pepctl.github.gather import LocalRepo, PepFolder

    config = app.config
    try:
        pep_dir = app.pep_dir
    except ConfigError:
        pep_dir = None
    local = LocalRepo.find(pep_dir)
    if local is not None and pep_dir is not None:
        folder = PepFolder.from_config(config, pep_dir, local.root)
    else:
        folder = PepFolder.from_config(config)
    return folder, local


def run_async(work) -> int:
    """Run ``work(client)`` (a coroutine function) with a client from the environment.

    Returns its exit code; maps usage errors to 2 and GitHub failures to 1.
    """
    from pepctl.github.event import EventError

    try:
        ensure_installed()
        from pepctl.github.client import Client, run

        client = Client.from_env(max_wait=_max_wait())

        async def main():
            async with client as gh:
                return await work(gh)

        return run(main())
    except (UsageError, EventError) as err:
        return fail(str(err), 2)
    except Exception as err:  # GitHub errors; anything else is re-raised below
        from pepctl.github.client import GitHubError, SetupError

        if isinstance(err, SetupError):
            return fail(str(err), 2)
        if isinstance(err, GitHubError):
            return fail(str(err), 1)
        raise


def _max_wait() -> float:
    value = os.environ.get("PEPCTL_GITHUB_MAX_WAIT", "")
    try:
        return max(0.0, float(value)) if value else 60.0
    except ValueError:
        return 60.0


def fail(message: str, code: int) -> int:
    sys.stderr.write(f"pepctl: error: {message}\n")
    return code


def taken_by_open_prs(app, repo: str | None):
    """PEP numbers that open pull requests add, for `pepctl next --open-prs`.

    Returns (numbers, 0), or (None, exit code) after printing the error.
    One request lists the open pull requests, then one per open pull request reads its files.
    """
    from pepctl.github.event import EventError, repo_from_env

    try:
        repo = repo_from_env(repo)
    except EventError as err:
        return None, fail(str(err), 2)
    folder, _ = local_checkout(app)
    found: set[int] = set()

    async def work(gh):
        from pepctl.github.gather import open_pr_numbers

        for numbers in (await open_pr_numbers(gh, repo, 0, folder)).values():
            found.update(numbers)
        return 0

    code = run_async(work)
    return (found, 0) if code == 0 else (None, code)
