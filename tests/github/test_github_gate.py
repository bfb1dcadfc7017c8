"""One pull request through gather, decide, plan and publish (pepctl.github.gate), in process."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("gidgethub")

from fakegithub import PEP_DIR, Workspace, fake_github, pep_text  # noqa: F401  (fixture)

from pepctl.config import Config
from pepctl.github.client import Client
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.gate import gate
from pepctl.policy import Policy

POLICY = Policy(Config({"maintainers": ["alice", "bob", "carol"], "project-lead": "lead"}))


def run_gate(ws, number, **kwargs):
    local = LocalRepo(str(ws.root), str(ws.root / PEP_DIR))

    async def main():
        async with Client(ws.fake.token, ws.fake.url) as gh:
            return await gate(gh, "acme/plano", number, POLICY, PepFolder(PEP_DIR), local=local, **kwargs)

    return asyncio.run(main())


def test_a_dry_run_decides_and_plans_but_writes_nothing(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "checkout")
    pull = ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)}, title="Add caching")
    done = run_gate(ws, pull.number, dry_run=True)
    assert [r.code for r in done.verdict.blocking] == ["R001"]
    assert [w.what for w in done.plan.writes] == ["create the summary comment", "labels: +pep: under review",
                                                  "status pep/process: failure"]
    assert done.reads == fake_github.count() and fake_github.writes() == []


def test_publishing_sends_the_plan(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "checkout")
    pull = ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    done = run_gate(ws, pull.number)
    assert done.verdict.passed and pull.labels == ["pep: under review"]
    assert len(fake_github.writes()) == len(done.plan.writes) == 3
    assert done.plan.summary_url.endswith(f"#issuecomment-{ws.repo.issue_comments(pull.number)[0]['id']}")
