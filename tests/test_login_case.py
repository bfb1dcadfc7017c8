"""GitHub logins compare case-insensitively and without a leading @, whichever side is spelt oddly.

GitHub treats ``Alice`` and ``alice`` as one account, and its API returns the
login as the account spells it; ``maintainers`` and ``project-lead`` in the
configuration are typed by people, sometimes with capitals or an @. Every
place that asks "is this person a maintainer / the lead?" must give the same
answer for every spelling: approvals (R007), first feedback (R013), final
calls (R010), and the linter's sponsor rule (L001) that ``check`` and the
review engine share.

These tests go through the public entry points only (``pepctl.review.decide``
and the ``check`` command), so they survive the modules moving.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from pepctl import Config, Policy
from pepctl.review import Comment, Facts, FileChange, PullRequest, Review, decide

PATH = "docs/peps/PEP-0042-cache-things.md"
START = datetime.datetime(2026, 5, 1, tzinfo=datetime.timezone.utc)
RULES_BASE = Path(__file__).resolve().parent / "fixtures" / "rules" / "base"


def at(day: float) -> str:
    return (START + datetime.timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pep(status="Under Review", authors="Dan (@dan)", sponsor="Alice (@alice)", sections=()) -> bytes:
    rows = [("PEP", "0042"), ("Title", "Cache things"), ("Status", status), ("Author(s)", authors),
            ("Sponsor", sponsor), ("Created", "2026-04-01")]
    lines = ["# PEP-0042: Cache things", "", "| Field | Value |", "|---|---|"]
    lines += [f"| **{name}** | {value} |" for name, value in rows]
    lines += ["", "## Summary", "", "Cache responses.", ""]
    for heading, body in sections:
        lines += [f"## {heading}", "", body, ""]
    return "\n".join(lines).encode()


def facts(policy, changes, reviews=(), comments=(), author="dan", now_day=2) -> Facts:
    return Facts(
        policy,
        PullRequest(10, "PEP-0042: Cache things", author, created_at=at(0)),
        list(changes),
        reviews=list(reviews),
        comments=list(comments),
        now=at(now_day),
    )


def policy(maintainers, lead="lead") -> Policy:
    return Policy(Config({"maintainers": maintainers, "project-lead": lead}))


def accept():
    return FileChange(PATH, pep("Under Review"), pep("Accepted"))


def errors(verdict) -> list[str]:
    return sorted({r.code for r in verdict.reasons if r.severity == "error"})


# Configured spellings against the logins GitHub sends (lower case).
ODD_CONFIG = [
    pytest.param(["Alice", "BOB", "Carol"], id="capitals"),
    pytest.param(["@alice", "@bob", "@carol"], id="at-sign"),
    pytest.param(["@Alice", " Bob ", "@CAROL"], id="both"),
]


@pytest.mark.parametrize("maintainers", ODD_CONFIG)
def test_approvals_count_when_the_config_spells_maintainers_differently(maintainers):
    verdict = decide(facts(policy(maintainers), [accept()],
                           reviews=[Review(1, "alice", "APPROVED", at(1)), Review(2, "bob", "APPROVED", at(1))]))
    [approvals] = verdict.approvals
    assert (approvals.counted, approvals.not_counted) == (["alice", "bob"], [])
    assert verdict.passed, [r.message for r in verdict.reasons]
    assert "R007" not in errors(verdict)


@pytest.mark.parametrize("maintainers", ODD_CONFIG)
def test_a_maintainer_who_is_a_pep_author_is_still_excluded_from_approvals(maintainers):
    change = FileChange(PATH, pep("Under Review"), pep("Accepted", authors="Alice (@ALICE), Dan (@dan)"))
    verdict = decide(facts(policy(maintainers), [change],
                           reviews=[Review(1, "Alice", "APPROVED", at(1)), Review(2, "bob", "APPROVED", at(1))]))
    [approvals] = verdict.approvals
    assert (approvals.counted, approvals.not_counted) == (["bob"], [("Alice", "a PEP author")])
    assert errors(verdict) == ["R007"]


@pytest.mark.parametrize("maintainers", ODD_CONFIG)
def test_changes_requested_by_an_oddly_configured_maintainer_is_an_objection(maintainers):
    verdict = decide(facts(policy(maintainers), [accept()],
                           reviews=[Review(1, "alice", "APPROVED", at(1)), Review(2, "bob", "APPROVED", at(1)),
                                    Review(3, "carol", "CHANGES_REQUESTED", at(1))]))
    assert [o.id for o in verdict.objections] == ["R-3"]
    assert errors(verdict) == ["R008"]


@pytest.mark.parametrize("maintainers", ODD_CONFIG)
def test_first_feedback_from_an_oddly_configured_maintainer_stops_the_clock(maintainers):
    verdict = decide(facts(policy(maintainers), [FileChange(PATH, pep("Draft"), pep("Under Review"))],
                           comments=[Comment(7, "carol", "A first look.", at(3))], now_day=30))
    info = verdict.first_feedback
    assert info.running
    assert (info.first_at, info.first_by, info.overdue) == (at(3), "carol", False)
    assert "R013" not in {r.code for r in verdict.reasons}


def test_first_feedback_from_a_login_in_capitals_stops_the_clock():
    """The other way round: the configuration is lower case, GitHub sends capitals."""
    verdict = decide(facts(policy(["alice", "bob", "carol"]), [FileChange(PATH, pep("Draft"), pep("Under Review"))],
                           comments=[Comment(7, "CaRoL", "A first look.", at(3))], now_day=30))
    assert (verdict.first_feedback.first_by, verdict.first_feedback.overdue) == ("CaRoL", False)


@pytest.mark.parametrize("pr_author, commenter", [("Alice", "alice"), ("alice", "ALICE"), ("@alice", "Alice")])
def test_the_pr_author_in_another_spelling_is_still_the_pr_author_for_first_feedback(pr_author, commenter):
    """A maintainer who opened the PR comments on it: not first feedback, however either login is spelt."""
    verdict = decide(facts(policy(["alice", "bob"]), [FileChange(PATH, pep("Draft"), pep("Under Review"))],
                           comments=[Comment(7, commenter, "Pushed a fix.", at(3))], author=pr_author, now_day=30))
    assert verdict.first_feedback.first_at is None and verdict.first_feedback.overdue


@pytest.mark.parametrize("commenter", ["Carol", "CAROL", "@carol"])
def test_a_pep_author_in_another_spelling_is_still_a_pep_author_for_first_feedback(commenter):
    change = FileChange(PATH, pep("Draft"), pep("Under Review", authors="Dan (@dan), Carol (@carol)"))
    verdict = decide(facts(policy(["alice", "bob", "carol"]), [change],
                           comments=[Comment(7, commenter, "Updated the design.", at(3))], now_day=30))
    assert verdict.first_feedback.first_at is None and verdict.first_feedback.overdue


@pytest.mark.parametrize("lead", ["Lead", "@lead", "@LEAD"])
def test_the_lead_configured_with_capitals_or_at_makes_the_final_call(lead):
    change = FileChange(PATH, pep("Under Review"), pep("Accepted", sections=(("Decision", "Benefits win."),)))
    verdict = decide(facts(policy(["alice", "bob"], lead=lead), [change],
                           reviews=[Review(1, "alice", "COMMENTED", at(0.5)), Review(2, "bob", "COMMENTED", at(0.5))],
                           comments=[Comment(7, "lead", "/pep final-call accept benefits win", at(1))]))
    assert verdict.final_call is not None and verdict.final_call.decision == "accept"
    assert verdict.passed, [r.message for r in verdict.reasons]
    assert verdict.answers == []  # no "only the lead can" refusal


@pytest.mark.parametrize("maintainers", ODD_CONFIG)
def test_the_engine_sponsor_check_accepts_an_oddly_configured_maintainer(maintainers):
    """R006 runs the linter's L001 on the head: Sponsor (@alice) is a maintainer however configured."""
    verdict = decide(facts(policy(maintainers), [FileChange(PATH, pep("Draft"), pep("Under Review"))]))
    assert verdict.passed, [r.message for r in verdict.reasons]
    blocked = decide(facts(policy(maintainers), [FileChange(PATH, pep("Draft"), pep("Under Review", sponsor="Zed (@zed)"))]))
    assert [(r.code, r.severity) for r in blocked.reasons if r.severity == "error"] == [("R006", "error")]
    assert "L001" in next(r.message for r in blocked.reasons if r.code == "R006")


# -- check: L001 (sponsor must be a maintainer) ------------------------------------------


def sponsor_folder(tmp_path: Path, sponsor: str, maintainers: list[str]) -> Path:
    folder = tmp_path / "peps"
    shutil.copytree(RULES_BASE, folder)
    pep_file = folder / "PEP-0001-good-idea.md"
    text = pep_file.read_text(encoding="utf-8")
    text = text.replace("| **Status** | Draft |", "| **Status** | Under Review |", 1)
    text = text.replace("_(required for non-maintainers)_", sponsor, 1)
    pep_file.write_text(text, encoding="utf-8")
    (tmp_path / "pepctl.toml").write_text(f"maintainers = {json.dumps(maintainers)}\n", encoding="utf-8")
    return folder


def check_json(pepctl, tmp_path: Path, folder: Path) -> tuple[int, list[dict]]:
    result = pepctl("--dir", str(folder), "--config", str(tmp_path / "pepctl.toml"), "check", "--format", "json",
                    cwd=tmp_path)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("maintainers, sponsor", [
    (["@Boss"], "The Boss (@boss)"),
    (["BOSS"], "The Boss (@boss)"),
    (["boss"], "The Boss (@Boss)"),
    (["@boss"], "The Boss (@BOSS)"),
])
def test_check_accepts_a_sponsor_who_is_a_maintainer_in_any_spelling(pepctl, tmp_path, maintainers, sponsor):
    folder = sponsor_folder(tmp_path, sponsor, maintainers)
    code, findings = check_json(pepctl, tmp_path, folder)
    assert (code, findings) == (0, [])


@pytest.mark.parametrize("maintainers", [["@Grace"], ["GRACE"]])
def test_check_accepts_an_author_who_is_a_maintainer_in_any_spelling(pepctl, tmp_path, maintainers):
    folder = sponsor_folder(tmp_path, "_(required for non-maintainers)_", maintainers)  # author @grace
    code, findings = check_json(pepctl, tmp_path, folder)
    assert (code, findings) == (0, [])


def test_check_still_refuses_a_sponsor_who_is_no_maintainer(pepctl, tmp_path):
    """The control for the two tests above: L001 does fire in this folder."""
    folder = sponsor_folder(tmp_path, "Pat Peer (@pat)", ["@Boss"])
    code, findings = check_json(pepctl, tmp_path, folder)
    assert code == 1
    assert [(f["code"], f["line"]) for f in findings] == [("L001", 9)]
    assert "name one of: @Boss" in findings[0]["message"]
