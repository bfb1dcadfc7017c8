"""The gate holds pull requests to PEP-0000 to the letter, end to end: gather from the HTTP fake
GitHub, decide, publish. One pull request per rule of docs/review.md's traceability table that
the unit scenarios (tests/review/test_process_rules.py) cover in detail: R006 as `pepctl status`
asks, R014 who decides, R015 the process document, R016 sequential numbers, R017 amendments."""

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
from pepctl.review.summary import SUMMARY_MARKER

POLICY = Policy(Config({"maintainers": ["alice", "bob", "carol"], "project-lead": "lead"}))
PEP42 = f"{PEP_DIR}/PEP-0042-cache-things.md"
PROCESS = f"{PEP_DIR}/PEP-0000-process.md"
SECTIONS = ["Motivation", "Design", "Alternatives Considered", "Compatibility", "Observability",
            "Security Considerations", "Test Plan", "Implementation Plan", "References"]


def full(status, design="An LRU cache of 1000 entries.", empty=False, fields=()) -> str:
    """PEP-0042 with every required section, written (or left empty)."""
    sections = [(name, "" if empty else (design if name == "Design" else f"Our {name.lower()}.")) for name in SECTIONS]
    text = pep_text(42, status, sections=sections)
    for name, value in fields:
        text = text.replace("| **Created** |", f"| **{name}** | {value} |\n| **Created** |")
    return text


def process(numbering="PEPs are numbered sequentially.", rows=(1, 41)) -> str:
    lines = ["# PEP-0000: Process", "", "| Field | Value |", "|---|---|", "| **PEP** | 0000 |", "| **Title** | Process |",
             "| **Status** | Active |", "| **Authors** | Maintainers |", "| **Created** | 2026-01-01 |", "",
             "## PEP Numbering", "", numbering, "", "## Index", "", "| PEP | Title | Status | Author |", "|---|---|---|---|"]
    lines += [f"| [{n:04d}](PEP-{n:04d}-x.md) | T{n} | Accepted | Dan (@dan) |" for n in rows]
    return "\n".join(lines) + "\n"


def run_gate(ws, number):
    local = LocalRepo(str(ws.root), str(ws.root / PEP_DIR))

    async def main():
        async with Client(ws.fake.token, ws.fake.url) as gh:
            return await gate(gh, "acme/plano", number, POLICY, PepFolder(PEP_DIR), local=local)

    return asyncio.run(main())


def published(ws, pull):
    """(commit status state, summary comment text) as the gate left them on GitHub."""
    states = [s["state"] for s in ws.repo.statuses.get(pull.head_sha, []) if s["context"] == "pep/process"]
    bodies = [c["body"] for c in ws.repo.issue_comments(pull.number) if SUMMARY_MARKER in c["body"]]
    return states[0], bodies[-1]  # GitHub lists the newest status first


def blocking(done):
    return sorted({r.code for r in done.verdict.blocking})


# -- 9. one rule set: the gate refuses what `pepctl status` refuses ----------------------------------


def test_a_pep_with_empty_sections_cannot_enter_review_through_the_gate(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={PEP42: full("Draft", empty=True)})
    pull = ws.pull({PEP42: full("Under Review", empty=True)}, title="PEP-0042: ready for review")
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R006"]
    state, summary = published(ws, pull)
    assert state == "failure" and "S005" in summary and "not written yet" in summary
    # and `pepctl status` in the same checkout refuses the same move
    refused = ws.run("status", "42", "Under Review")
    assert refused.returncode == 1 and "S005" in refused.stderr
    written = ws.pull({PEP42: full("Under Review")}, title="PEP-0042: ready for review")
    assert run_gate(ws, written.number).verdict.passed


# -- 6. who may make which move ---------------------------------------------------------------------


def test_only_an_author_withdraws_a_pep(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={PEP42: full("Under Review")})
    pull = ws.pull({PEP42: full("Withdrawn")}, title="Withdraw PEP-0042", author="alice")  # a maintainer, not the author
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    ws.repo.add_review(pull.number, "carol", "APPROVED")
    assert blocking(run_gate(ws, pull.number)) == ["R014"]
    state, summary = published(ws, pull)
    assert state == "failure" and "R014" in summary and "Author has decided not to pursue this proposal" in summary
    ws.repo.add_review(pull.number, "dan", "APPROVED")  # the author agrees
    assert run_gate(ws, pull.number).verdict.passed
    assert published(ws, pull)[0] == "success"


def test_deferring_is_the_maintainers_decision(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={PEP42: full("Under Review")})
    pull = ws.pull({PEP42: full("Deferred")}, title="Defer PEP-0042")  # opened by its author
    assert blocking(run_gate(ws, pull.number)) == ["R007"]
    ws.repo.add_review(pull.number, "alice", "APPROVED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    assert run_gate(ws, pull.number).verdict.passed


# -- 7. the process document is governed --------------------------------------------------------------


def test_changing_the_process_needs_the_maintainers_and_the_index_does_not(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={PROCESS: process()})
    index_only = ws.pull({PROCESS: process(rows=(1, 41, 42))}, title="Update the index")
    assert run_gate(ws, index_only.number).verdict.passed
    change = ws.pull({PROCESS: process(numbering="Any free number will do.")}, title="Relax numbering", author="alice")
    assert blocking(run_gate(ws, change.number)) == ["R015"]
    state, summary = published(ws, change)
    assert state == "failure" and "'PEP Numbering'" in summary and "processes or governance" in summary
    ws.repo.add_review(change.number, "bob", "APPROVED")
    ws.repo.add_review(change.number, "carol", "APPROVED")
    assert run_gate(ws, change.number).verdict.passed


# -- 8. numbers are sequential -------------------------------------------------------------------------


def test_a_new_pep_takes_the_next_number(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co")  # PEPs up to 0041 on the base
    older = ws.pull({f"{PEP_DIR}/PEP-0042-other.md": pep_text(42, "Draft", "Other")}, title="PEP-0042: Other")
    assert run_gate(ws, older.number).verdict.passed
    pull = ws.pull({f"{PEP_DIR}/PEP-0050-cache.md": pep_text(50, "Draft")}, title="PEP-0050: Cache things")
    done = run_gate(ws, pull.number)
    assert blocking(done) == ["R016"]
    (reason,) = done.verdict.blocking
    assert "Use PEP-0043" in reason.message and f"#{older.number}" in reason.message
    assert "PEP-0043-cache.md" in published(ws, pull)[1]
    # PEP-0050 is still open, out of sequence: it pushes nobody's number up, and `pepctl next --open-prs`
    # counts as the gate does
    assert ws.run("next", "--open-prs").stdout == "0043\n"
    fixed = ws.pull({f"{PEP_DIR}/PEP-0043-cache.md": pep_text(43, "Draft")}, title="PEP-0043: Cache things")
    assert run_gate(ws, fixed.number).verdict.passed


# -- 11. amending a decided PEP ------------------------------------------------------------------------


def test_amending_an_accepted_pep_needs_a_maintainer_and_a_chore_does_not(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={PEP42: full("Accepted")})
    chore = ws.pull({PEP42: full("Implementing", fields=[("Tracking Issue", "#12")])}, title="PEP-0042 is being built")
    assert run_gate(ws, chore.number).verdict.passed
    amend = ws.pull({PEP42: full("Accepted", design="An LRU cache of 1000 entries per process.")}, title="Clarify PEP-0042")
    assert blocking(run_gate(ws, amend.number)) == ["R017"]
    state, summary = published(ws, amend)
    assert state == "failure" and "Amending Accepted PEPs" in summary and "'Design'" in summary
    ws.repo.add_review(amend.number, "carol", "APPROVED")
    assert run_gate(ws, amend.number).verdict.passed


def test_a_declined_pep_takes_typo_fixes_only(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={PEP42: full("Declined")})
    typo = ws.pull({PEP42: full("Declined", design="An LRU cashe of 1000 entries.")}, title="Typo in PEP-0042")
    ws.repo.add_review(typo.number, "alice", "APPROVED")
    assert run_gate(ws, typo.number).verdict.passed
    rewrite = ws.pull({PEP42: full("Declined", design="A cache with no size limit at all.")}, title="Revive PEP-0042")
    ws.repo.add_review(rewrite.number, "alice", "APPROVED")
    ws.repo.add_review(rewrite.number, "bob", "APPROVED")
    assert blocking(run_gate(ws, rewrite.number)) == ["R017"]
    assert "typo fixes only" in published(ws, rewrite)[1]


# -- the configuration reaches the gate through pepctl.toml ------------------------------------------


def test_pepctl_toml_changes_who_decides_and_allows_gaps(fake_github, tmp_path):
    config = Workspace.CONFIG + 'sequential-numbers = false\n[deciders]\nWithdrawn = "anyone"\n'
    ws = Workspace(fake_github, tmp_path / "co", files={PEP42: full("Under Review")}, config=config)
    withdraw = ws.pull({PEP42: full("Withdrawn")}, title="Withdraw PEP-0042", author="zed")
    result = ws.run("gate", "--pr", str(withdraw.number))
    assert result.returncode == 0, result.stdout
    gap = ws.pull({f"{PEP_DIR}/PEP-0050-cache.md": pep_text(50, "Draft")}, title="PEP-0050: Cache things")
    result = ws.run("gate", "--pr", str(gap.number))
    assert result.returncode == 0 and "R016" not in result.stdout, result.stdout
    # and the defaults, for contrast
    strict = Workspace(fake_github, tmp_path / "co2", files={PEP42: full("Under Review")})
    pull = strict.pull({PEP42: full("Withdrawn")}, title="Withdraw PEP-0042", author="zed")
    result = strict.run("gate", "--pr", str(pull.number))
    assert result.returncode == 1 and "R014" in result.stdout


# -- pepctl's configuration is the process too ---------------------------------------------------------


def test_changing_the_configuration_needs_the_maintainers(fake_github, tmp_path):
    """`pepctl gate` in a checkout reads the policy from pepctl.toml there; a pull request that lowers
    the approvals it takes, or names new maintainers, needs the quorum it is about to change."""
    ws = Workspace(fake_github, tmp_path / "co")
    weaker = ws.pull({"pepctl.toml": Workspace.CONFIG + "required-approvals = 1\n"}, title="One approval is enough",
                     author="zed")
    result = ws.run("gate", "--pr", str(weaker.number))
    assert result.returncode == 1, result.stdout + result.stderr
    state, summary = published(ws, weaker)
    assert state == "failure" and "R018" in summary and "pepctl.toml" in summary
    # a comment or a reformatting of the file changes nothing the process says
    layout = ws.pull({"pepctl.toml": "# who decides\n" + Workspace.CONFIG.replace(", ", ",")}, title="Tidy", author="zed")
    assert ws.run("gate", "--pr", str(layout.number)).returncode == 0
    ws.repo.add_review(weaker.number, "alice", "APPROVED")
    ws.repo.add_review(weaker.number, "bob", "APPROVED")
    assert ws.run("gate", "--pr", str(weaker.number)).returncode == 0
