"""`pepctl sla` and `pepctl remind` end to end against the fake GitHub server."""

from __future__ import annotations

import datetime
import json
import time

import pytest

pytest.importorskip("gidgethub")

from fakegithub import BOT_LOGIN, PEP_DIR, Workspace, fake_github, iso, pep_text  # noqa: F401  (fixture)

DAY = 86400


def days_ago(n: float) -> str:
    return iso(time.time() - n * DAY)


@pytest.fixture
def ws(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "checkout")
    ws.overdue = ws.pull({f"{PEP_DIR}/PEP-0042-a.md": pep_text(42, title="A")}, title="PEP-0042: A",
                         created_at=days_ago(20))
    ws.fresh = ws.pull({f"{PEP_DIR}/PEP-0043-b.md": pep_text(43, title="B", sponsor="-")}, title="PEP-0043: B",
                       created_at=days_ago(3))
    answered = ws.pull({f"{PEP_DIR}/PEP-0044-c.md": pep_text(44, title="C")}, title="PEP-0044: C",
                       created_at=days_ago(30))
    ws.repo.add_comment(answered.number, "bob", "Interesting; what about eviction?", created_at=days_ago(29))
    ws.pull({f"{PEP_DIR}/PEP-0045-d.md": pep_text(45, "Draft", title="D")}, title="PEP-0045: D",
            created_at=days_ago(40))
    ws.pull({f"{PEP_DIR}/PEP-0046-e.md": pep_text(46, title="E")}, title="PEP-0046: E", draft=True,
            created_at=days_ago(40))
    ws.pull({"README.md": "typo\n"}, title="Typo", created_at=days_ago(50))
    return ws


def reminders(ws, pull):
    return [c for c in ws.repo.issue_comments(pull.number) if "pepctl:reminder" in c["body"]]


def test_sla_lists_waiting_prs_with_ages_and_marks_overdue(ws):
    result = ws.run("sla")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"OVERDUE #{ws.overdue.number} PEP-0042: waiting 20 days")
    assert lines[1].startswith(f"#{ws.fresh.number} PEP-0043: waiting 3 days")
    assert lines[-1] == "2 waiting, 1 overdue"
    assert ws.fake.writes() == []


def test_sla_json(ws):
    result = ws.run("sla", "--format", "json")
    data = json.loads(result.stdout)
    assert [(d["number"], d["peps"], d["age_days"], d["overdue"]) for d in data] == [
        (ws.overdue.number, ["PEP-0042"], 20, True),
        (ws.fresh.number, ["PEP-0043"], 3, False),
    ]
    assert data[0]["due_at"][:10] == (datetime.date.fromisoformat(data[0]["entered_at"][:10])
                                      + datetime.timedelta(days=14)).isoformat()


def test_sla_reads_only_what_it_needs(ws):
    ws.run("sla")
    # one list, one files request per open PR, reviews + comments only for the five PEP pull requests
    assert ws.fake.count("GET", r"/pulls$") == 1
    assert ws.fake.count("GET", r"/pulls/\d+/files$") == 6
    assert ws.fake.count("GET", r"/reviews$") == 5 and ws.fake.count("GET", r"/comments$") == 5


def test_remind_posts_one_reminder_per_period(ws):
    result = ws.run("remind")
    assert result.returncode == 0, result.stderr
    [reminder] = reminders(ws, ws.overdue)
    assert reminder["user"] == BOT_LOGIN
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert f"<!-- pepctl:reminder:{today} -->" in reminder["body"]
    assert "@alice" in reminder["body"]  # the sponsor is asked
    assert reminders(ws, ws.fresh) == []
    assert "1 reminder(s) posted" in result.stdout

    ws.fake.reset_log()
    again = ws.run("remind")
    assert again.returncode == 0
    assert "already reminded" in again.stdout
    assert ws.fake.writes() == []
    assert len(reminders(ws, ws.overdue)) == 1


def test_remind_again_after_the_period(ws):
    old = (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=15)).isoformat()
    ws.repo.add_comment(ws.overdue.number, BOT_LOGIN, f"<!-- pepctl:reminder:{old} -->\nearlier reminder",
                        created_at=days_ago(15))
    assert ws.run("remind").returncode == 0
    assert len(reminders(ws, ws.overdue)) == 2


def test_remind_ignores_a_marker_typed_by_a_person(ws):
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    ws.repo.add_comment(ws.overdue.number, "mallory", f"<!-- pepctl:reminder:{today} -->")
    assert ws.run("remind").returncode == 0
    assert [c["user"] for c in reminders(ws, ws.overdue)] == ["mallory", BOT_LOGIN]


def test_remind_without_sponsor_asks_the_maintainers(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co")
    pull = ws.pull({f"{PEP_DIR}/PEP-0042-a.md": pep_text(42, title="A", authors="Alice (@alice)", sponsor="-")},
                   title="PEP-0042: A", author="alice", created_at=days_ago(16))
    assert ws.run("remind").returncode == 0
    [reminder] = reminders(ws, pull)
    assert "@alice @bob @carol" in reminder["body"]


def test_remind_dry_run_posts_nothing(ws):
    result = ws.run("remind", "--dry-run")
    assert result.returncode == 0
    assert f"#{ws.overdue.number}: would post a reminder" in result.stdout
    assert ws.fake.writes() == []


def test_missing_token_and_unreachable_api(ws):
    result = ws.run("sla", GITHUB_TOKEN="")
    assert result.returncode == 2 and "GITHUB_TOKEN" in result.stderr
    ws.fake.fail(503, times=100)
    result = ws.run("remind", PEPCTL_GITHUB_MAX_WAIT="0")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("pepctl: error: GitHub API GET")


def test_remind_ignores_a_marker_from_another_app(ws):
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    ws.repo.add_comment(ws.overdue.number, "other-app[bot]", f"<!-- pepctl:reminder:{today} -->", user_type="Bot")
    assert ws.run("remind").returncode == 0
    assert [c["user"] for c in reminders(ws, ws.overdue)] == ["other-app[bot]", BOT_LOGIN]


def test_a_pull_request_list_of_the_wrong_shape_is_one_clear_line(ws):
    ws.fake.fail(200, 1, "GET", "/repos/acme/plano/pulls", body={"message": "hi"})
    result = ws.run("sla")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == ("pepctl: error: GitHub API GET /repos/acme/plano/pulls?state=open: unexpected response "
                             "(expected a JSON list of objects, got a JSON object); check that GITHUB_API_URL is "
                             "the API and that no proxy answers in its place\n")


def test_a_maintainer_who_opened_the_pr_is_not_its_first_feedback(fake_github, tmp_path):
    """docs/review.md, First feedback: the clock stops only at a maintainer who is neither the pull
    request's author nor a PEP author. alice (a maintainer) opened both PRs for dan's PEPs and
    commented on both; only the one bob also commented on has had its first feedback."""
    ws = Workspace(fake_github, tmp_path / "co")
    own = ws.pull({f"{PEP_DIR}/PEP-0042-a.md": pep_text(42, title="A", sponsor="Bob (@bob)")},
                  title="PEP-0042: A", author="alice", created_at=days_ago(20))
    ws.repo.add_comment(own.number, "alice", "Opening this for Dan.", created_at=days_ago(19))
    ws.repo.add_review(own.number, "alice", "COMMENTED", submitted_at=days_ago(18))
    answered = ws.pull({f"{PEP_DIR}/PEP-0043-b.md": pep_text(43, title="B", sponsor="Bob (@bob)")},
                       title="PEP-0043: B", author="alice", created_at=days_ago(20))
    ws.repo.add_comment(answered.number, "alice", "Opening this for Dan.", created_at=days_ago(19))
    ws.repo.add_comment(answered.number, "bob", "Looks reasonable.", created_at=days_ago(10))

    result = ws.run("sla", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(d["number"], d["peps"], d["age_days"], d["overdue"]) for d in data] == [
        (own.number, ["PEP-0042"], 20, True),
    ]

    assert ws.run("remind").returncode == 0
    [reminder] = reminders(ws, own)
    assert "@bob" in reminder["body"] and "@alice" not in reminder["body"]  # the sponsor is asked
    assert reminders(ws, answered) == []
