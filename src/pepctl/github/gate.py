"""One pull request through the process: gather its facts, decide, plan the writes, send them.

``gate`` is what `pepctl gate` runs, and what any other front end (the webhook bot) must run too,
so that every one of them reads the same facts, applies the same rules and writes the same
things. The caller reports the outcome.
"""

from __future__ import annotations

from typing import NamedTuple

from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.gather import Gathered, gather
from pepctl.github.publish import Plan, apply, plan
from pepctl.review import Verdict, decide


class Gated(NamedTuple):
    """What ``gate`` did: the facts gathered, the verdict, the writes planned (and sent unless a
    dry run), and how many requests reading took."""

    gathered: Gathered
    verdict: Verdict
    plan: Plan
    reads: int


async def gate(gh, repo: str, number: int, policy, folder: PepFolder, *, local: LocalRepo | None = None,
               trusted_logins=(), dry_run: bool = False) -> Gated:
    """Decide pull request ``number`` of ``repo`` and publish the verdict (``dry_run``: plan only)."""
    gathered = await gather(gh, repo, number, policy, folder, local=local, trusted_logins=trusted_logins)
    reads = gh.request_count
    verdict = decide(gathered.facts)
    result = plan(gathered, verdict)
    if not dry_run:
        await apply(gh, result, gathered.pull.get("html_url") or "")
    return Gated(gathered, verdict, result, reads)
