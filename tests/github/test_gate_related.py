"""A pull request that adds a PEP gets, in the gate's summary, the existing PEPs most like it,
declined and withdrawn ones first and marked (PEP-0000: discuss first; do not re-propose what was
declined without saying what changed). Ranked on the local checkout of the base branch; never a
reason to block."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("gidgethub")
pytest.importorskip("bm25s")

from fakegithub import PEP_DIR, Workspace, fake_github, pep_text  # noqa: F401  (fixture)

from pepctl.config import Config
from pepctl.github.client import Client
from pepctl.github.folder import LocalRepo, PepFolder
from pepctl.github.gate import gate
from pepctl.policy import Policy
from pepctl.review.summary import SUMMARY_MARKER

POLICY = Policy(Config({"maintainers": ["alice", "bob"], "project-lead": "alice"}))


def about(number, status, title, summary):
    return pep_text(number, status, title).replace("Cache responses.", summary)


BASE = {
    f"{PEP_DIR}/PEP-0003-http-response-cache.md": about(
        3, "Declined", "HTTP response cache", "Keep HTTP responses in a shared response cache keyed by URL."),
    f"{PEP_DIR}/PEP-0004-cache-eviction.md": about(
        4, "Accepted", "Response cache eviction", "Evict cached HTTP responses from the response cache by age."),
    f"{PEP_DIR}/PEP-0005-logging.md": about(5, "Accepted", "Structured logging", "Write logs as JSON lines."),
    f"{PEP_DIR}/PEP-0006-metrics.md": about(6, "Draft", "Metrics endpoint", "Expose Prometheus counters."),
}


def run_gate(ws, number, local=True):
    folder = LocalRepo(str(ws.root), str(ws.root / PEP_DIR)) if local else None

    async def main():
        async with Client(ws.fake.token, ws.fake.url) as gh:
            return await gate(gh, "acme/plano", number, POLICY, PepFolder(PEP_DIR), local=folder)

    return asyncio.run(main())


def summary_of(ws, pull) -> str:
    return [c["body"] for c in ws.repo.issue_comments(pull.number) if SUMMARY_MARKER in c["body"]][-1]


def test_a_new_pep_is_shown_the_declined_pep_like_it_first_and_the_unrelated_ones_not_at_all(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files=BASE)
    new = about(42, "Draft", "Cache HTTP responses", "A shared cache for HTTP responses, keyed by URL.")
    pull = ws.pull({f"{PEP_DIR}/PEP-0042-cache-http-responses.md": new}, title="PEP-0042: Cache HTTP responses")
    done = run_gate(ws, pull.number)
    assert done.verdict.passed  # shown, never blocking
    (listed,) = done.verdict.related.values()
    assert [s.number for s in listed[:2]] == [3, 4]  # the declined one first, then the accepted one
    assert listed[0].settled and not listed[1].settled
    assert 5 not in [s.number for s in listed] and 6 not in [s.number for s in listed]  # no shared words
    text = summary_of(ws, pull)
    section = text.split("Existing PEPs like **PEP-0042**:", 1)[1]
    assert section.index("PEP-0003") < section.index("PEP-0004")
    assert "HTTP response cache (Declined) — declined: read why before proposing it again" in section


def test_an_edited_pep_gets_no_list_and_nothing_is_ranked_without_a_checkout(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files=BASE)
    edit = BASE[f"{PEP_DIR}/PEP-0006-metrics.md"].replace("Expose Prometheus counters.", "Expose response cache counters.")
    pull = ws.pull({f"{PEP_DIR}/PEP-0006-metrics.md": edit}, title="PEP-0006: more")
    done = run_gate(ws, pull.number)
    assert done.verdict.related == {} and "Existing PEPs like" not in summary_of(ws, pull)
    new = about(42, "Draft", "Cache HTTP responses", "A shared cache for HTTP responses.")
    pull = ws.pull({f"{PEP_DIR}/PEP-0042-cache-http-responses.md": new}, title="PEP-0042: Cache")
    assert run_gate(ws, pull.number, local=False).verdict.related == {}
