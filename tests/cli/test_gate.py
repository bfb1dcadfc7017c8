"""`pepctl gate` end to end: a child process against the fake GitHub server.

Each test builds a repository on the fake server and a real git checkout of
its base branch (as the documented workflow has), runs `python -m pepctl gate`
with GITHUB_API_URL pointing at the fake, and checks the exit code and what
ended up on the pull request: the `pep/process` status, the labels, the one
summary comment, the answers to commands, and how many requests it took.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

pytest.importorskip("gidgethub")

from fakegithub import BOT_LOGIN, PEP_DIR, Workspace, fake_github, iso, pep_text  # noqa: F401  (fixture)

from pepctl.review import SUMMARY_MARKER

NEW = f"{PEP_DIR}/PEP-0042-cache-things.md"
FIRST = f"{PEP_DIR}/PEP-0001-first.md"


@pytest.fixture
def ws(fake_github, tmp_path):
    return Workspace(fake_github, tmp_path / "checkout")


def statuses(ws, pull):
    return [s for s in ws.repo.statuses.get(pull.head_sha, []) if s["context"] == "pep/process"]


def summaries(ws, pull):
    return [c for c in ws.repo.issue_comments(pull.number) if SUMMARY_MARKER in c["body"]]


def assert_clean(result):
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr


# -- verdict, status, labels ----------------------------------------------------------


def test_passing_pr_exits_0_and_publishes_status_label_and_summary(ws):
    pull = ws.pull({NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout
    [status] = statuses(ws, pull)
    assert status["state"] == "success"
    assert status["target_url"].endswith(f"#issuecomment-{summaries(ws, pull)[0]['id']}")
    assert pull.labels == ["pep: under review"]
    [summary] = summaries(ws, pull)
    assert summary["user"] == BOT_LOGIN


def test_blocked_pr_exits_1_with_failure_status(ws):
    pull = ws.pull({NEW: pep_text(42)}, title="Add caching")
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 1
    assert "R001" in result.stdout and "blocked" in result.stdout
    [status] = statuses(ws, pull)
    assert status["state"] == "failure"
    assert status["description"].startswith("Blocked: R001")
    assert len(status["description"]) <= 140


def test_labels_change_in_one_request_and_keep_other_labels(ws):
    pull = ws.pull({NEW: pep_text(42)}, labels=["pep: draft", "documentation"])
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(pull.labels) == ["documentation", "pep: under review"]
    assert ws.fake.count(path=r"/labels") == 1
    ws.fake.reset_log()
    ws.run("gate", "--pr", str(pull.number))
    assert ws.fake.count(path=r"/labels") == 0  # nothing to change, nothing sent


def test_one_summary_comment_created_then_edited_only_when_changed(ws):
    pull = ws.pull({NEW: pep_text(42)})
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert ws.fake.count("POST", r"/issues/\d+/comments$") == 1
    first = summaries(ws, pull)[0]["body"]

    ws.fake.reset_log()
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert ws.fake.count("POST", r"/comments") == 0 and ws.fake.count("PATCH") == 0

    pull.title = "Caching"  # now blocked: the summary text changes
    ws.fake.reset_log()
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 1
    assert ws.fake.count("PATCH", r"/issues/comments/\d+$") == 1
    assert ws.fake.count("POST", r"/comments") == 0
    [summary] = summaries(ws, pull)
    assert summary["body"] != first
    assert "blocked" in summary["body"] and "blocked" not in first


def test_a_summary_stored_with_crlf_line_endings_is_not_edited_again(ws):
    """GitHub may hand a comment body back with CRLF endings (edited in the web UI, say): the same
    text with other line endings is unchanged, so the gate must not PATCH it on every run."""
    pull = ws.pull({NEW: pep_text(42)})
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    [summary] = summaries(ws, pull)
    body = summary["body"]
    assert body.count("\n") > 5 and "\r" not in body
    summary["body"] = body.replace("\n", "\r\n")

    ws.fake.reset_log()
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ws.fake.count("PATCH") == 0, [(w.method, w.path) for w in ws.fake.writes()]
    assert [(w.method, w.path) for w in ws.fake.writes()] == [("POST", f"/repos/acme/plano/statuses/{pull.head_sha}")]
    assert summaries(ws, pull)[0]["body"] == body.replace("\n", "\r\n")  # left as it was


def test_answers_are_posted_once(ws):
    pull = ws.pull({NEW: pep_text(42)})
    ws.repo.add_comment(pull.number, "eve", "Thanks!\n/pep help")
    ws.repo.add_comment(pull.number, "eve", "/pep frobnicate")
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    answers = [c for c in ws.repo.issue_comments(pull.number) if "pepctl-answer" in c["body"]]
    assert len(answers) == 1 and answers[0]["user"] == BOT_LOGIN
    assert answers[0]["body"].count("<!-- pepctl-answer ") == 2

    ws.fake.reset_log()
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert ws.fake.count("POST", r"/comments") == 0
    ws.repo.add_comment(pull.number, "eve", "/pep help")
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    answers = [c for c in ws.repo.issue_comments(pull.number) if "pepctl-answer" in c["body"]]
    assert len(answers) == 2 and answers[1]["body"].count("<!-- pepctl-answer ") == 1


def test_a_comment_of_many_commands_gets_one_answer_comment_from_the_action(ws):
    """The Action's gate bounds the answers as the App does (the engine's): ten, in one comment,
    the last saying how many more went unanswered; the next run answers none of the rest."""
    pull = ws.pull({NEW: pep_text(42)})
    ws.repo.add_comment(pull.number, "mallory", "\n".join(["/pep help"] * 500))
    for _ in range(2):
        assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    [answer] = [c["body"] for c in ws.repo.issue_comments(pull.number) if "pepctl-answer" in c["body"]]
    assert answer.count("<!-- pepctl-answer ") == 10 and "490 more command(s) of this comment" in answer


def test_marker_typed_by_a_person_is_not_taken_for_the_summary(ws):
    pull = ws.pull({NEW: pep_text(42)})
    fake_summary = ws.repo.add_comment(pull.number, "mallory", f"{SUMMARY_MARKER}\nlooks fine")
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert fake_summary["body"].endswith("looks fine")  # untouched
    assert [c["user"] for c in summaries(ws, pull)] == ["mallory", BOT_LOGIN]


def test_dry_run_prints_the_verdict_and_writes_nothing(ws):
    pull = ws.pull({NEW: pep_text(42)}, title="Add caching")
    result = ws.run("gate", "--pr", str(pull.number), "--dry-run")
    assert_clean(result)
    assert result.returncode == 1
    assert "would write: create the summary comment" in result.stdout
    assert "would write: status pep/process: failure" in result.stdout
    assert SUMMARY_MARKER in result.stdout
    assert ws.fake.writes() == []
    assert ws.repo.statuses == {} and pull.labels == []


def test_json_output(ws):
    pull = ws.pull({NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number), "--format", "json", "--dry-run")
    data = json.loads(result.stdout)
    assert data["passed"] is True and data["pull_request"] == pull.number
    assert data["labels"] == ["pep: under review"]
    assert {w["method"] for w in data["writes"]} == {"POST"}
    assert data["requests"]["total"] == data["requests"]["reads"]


# -- the event file ----------------------------------------------------------------------


def test_reads_the_pull_request_from_the_actions_event(ws, tmp_path):
    pull = ws.pull({NEW: pep_text(42)})
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "pull_request": {"number": pull.number},
                                 "repository": {"full_name": "acme/plano"}}))
    result = ws.run("gate", GITHUB_EVENT_PATH=str(event))
    assert result.returncode == 0, result.stderr
    assert statuses(ws, pull)


def test_issue_comment_event_on_a_pull_request(ws, tmp_path):
    pull = ws.pull({NEW: pep_text(42)})
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "created", "issue": {"number": pull.number, "pull_request": {"url": "x"}},
                                 "comment": {"id": 1, "body": "/pep help"}}))
    assert ws.run("gate", GITHUB_EVENT_PATH=str(event)).returncode == 0
    assert statuses(ws, pull)


def test_comment_on_a_plain_issue_is_nothing_to_do(ws, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "created", "issue": {"number": 7}, "comment": {"id": 1}}))
    result = ws.run("gate", GITHUB_EVENT_PATH=str(event))
    assert result.returncode == 0 and "nothing to do" in result.stdout
    assert ws.fake.log == []


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ("{}", "not about a pull request"),
        ('{"pull_request": {"number": "12"}}', "no valid pull request number"),
        (b"\xff\xfe{", "not valid JSON"),
        (None, "does not exist"),
    ],
)
def test_malformed_event_file_is_a_usage_error(ws, tmp_path, content, message):
    event = tmp_path / "event.json"
    if isinstance(content, str):
        event.write_text(content)
    elif content is not None:
        event.write_bytes(content)
    result = ws.run("gate", GITHUB_EVENT_PATH=str(event))
    assert_clean(result)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert ws.fake.log == []


def test_no_event_and_no_pr_is_a_usage_error(ws):
    result = ws.run("gate")
    assert result.returncode == 2 and "--pr" in result.stderr


def test_missing_token_is_a_usage_error(ws):
    pull = ws.pull({NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number), GITHUB_TOKEN="")
    assert_clean(result)
    assert result.returncode == 2 and "GITHUB_TOKEN" in result.stderr
    assert ws.fake.log == []


# -- network failures ---------------------------------------------------------------------


def test_github_down_is_one_line_exit_1(ws):
    pull = ws.pull({NEW: pep_text(42)})
    ws.fake.fail(500, times=100)
    result = ws.run("gate", "--pr", str(pull.number), PEPCTL_GITHUB_MAX_WAIT="0")
    assert_clean(result)
    assert result.returncode == 1
    assert result.stderr.startswith("pepctl: error: GitHub API GET") and result.stderr.count("\n") == 1


def test_rate_limit_and_5xx_are_retried(ws):
    pull = ws.pull({NEW: pep_text(42)})
    ws.fake.rate_limit(status=429, retry_after=0, path="/reviews")
    ws.fake.rate_limit(status=403, reset_in=-5, path="/files")
    ws.fake.fail(502, path="/statuses/")
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stderr
    assert [s["state"] for s in statuses(ws, pull)] == ["success"]


def test_unreachable_api_is_one_line_exit_1(ws):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = ws.run("gate", "--pr", "1", GITHUB_API_URL=f"http://127.0.0.1:{port}", PEPCTL_GITHUB_MAX_WAIT="0")
    assert_clean(result)
    assert result.returncode == 1 and "cannot reach" in result.stderr


# -- awkward pull requests ------------------------------------------------------------------


def test_pr_touching_300_files(ws):
    files = {f"src/module_{i:03d}.py": f"x = {i}\n" for i in range(299)}
    files[NEW] = pep_text(42)
    pull = ws.pull(files)
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout
    assert ws.fake.count("GET", r"/pulls/\d+/files$") == 3
    assert statuses(ws, pull)[0]["state"] == "success"


def test_pep_that_does_not_parse_at_head(ws):
    pull = ws.pull({NEW: b"\x89PNG\r\n\x1a\n\x00\x00binary"})
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 1
    assert "R011" in result.stdout
    assert statuses(ws, pull)[0]["state"] == "failure"


def test_pep_that_does_not_parse_at_base(fake_github, tmp_path):
    broken = f"{PEP_DIR}/PEP-0007-odd.md"
    ws = Workspace(fake_github, tmp_path / "co", files={broken: b"# PEP-0007: Odd\n\xff\xfe not utf-8\n"})
    pull = ws.pull({broken: pep_text(7, "Draft", "Odd")}, title="PEP-0007: fix encoding")
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert "R011 warning" in result.stdout and "base branch" in result.stdout
    assert result.returncode == 0  # a warning: the head is fine and stays a Draft
    assert statuses(ws, pull)[0]["state"] == "success"


def test_deleted_pep_is_blocked(ws):
    pull = ws.pull({FIRST: None}, title="Remove PEP-0001")
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 1 and "R012" in result.stdout


def test_pr_without_pep_files_passes(ws):
    pull = ws.pull({"README.md": "hi\n"}, title="Fix typo")
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0 and "R000" in result.stdout
    assert ws.fake.count("GET", r"/pulls/\d+/files$") == 1  # no new number: no other PR's files read


def test_edit_without_patch_falls_back_to_the_blob(fake_github, tmp_path):
    path = f"{PEP_DIR}/PEP-0042-cache-things.md"
    ws = Workspace(fake_github, tmp_path / "co", files={path: pep_text(42, "Under Review")})
    pull = ws.pull({path: pep_text(42, "Accepted")}, title="Accept PEP-0042")
    pull.omit_patch.add(path)
    result = ws.run("gate", "--pr", str(pull.number))
    assert ws.fake.count("GET", r"/git/blobs/") == 1
    assert result.returncode == 1 and "R007" in result.stdout  # no approvals yet


def test_base_content_from_the_api_when_the_checkout_lacks_the_commit(fake_github, tmp_path):
    path = f"{PEP_DIR}/PEP-0042-cache-things.md"
    ws = Workspace(fake_github, tmp_path / "co")
    remote_base = ws.repo.commit({path: pep_text(42, "Under Review")}, ws.base)  # not in the checkout
    pull = ws.pull({path: pep_text(42, "Withdrawn")}, title="Withdraw PEP-0042", base=remote_base)
    result = ws.run("gate", "--pr", str(pull.number))
    assert ws.fake.count("GET", r"/contents/") == 1
    assert "R005" not in result.stdout  # Under Review -> Withdrawn is allowed: the base was read
    assert result.returncode == 0, result.stdout


def test_number_collision_with_base_and_with_an_older_open_pr(ws):
    older = ws.pull({f"{PEP_DIR}/PEP-0042-other.md": pep_text(42, title="Other")}, title="PEP-0042: Other")
    pull = ws.pull({f"{PEP_DIR}/PEP-0001-mine.md": pep_text(1), NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 1
    assert "R003" in result.stdout and "R004" in result.stdout and f"#{older.number}" in result.stdout


# -- request budget --------------------------------------------------------------------------


def busy_pull(ws, files, title="PEP-0042: Cache things"):
    pull = ws.pull(files, title=title)
    for i in range(100):
        ws.repo.add_comment(pull.number, ["eve", "frank", "gina"][i % 3], f"Comment {i}: what about TTLs?")
    for i in range(28):
        ws.repo.add_review(pull.number, ["eve", "frank", "gina", "alice"][i % 4], "COMMENTED")
    ws.repo.add_review(pull.number, "alice", "APPROVED")
    ws.repo.add_review(pull.number, "bob", "APPROVED")
    return pull


def test_request_budget_new_pep_100_comments_30_reviews(ws):
    pull = busy_pull(ws, {NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout
    assert ws.fake.count() <= 8, ws.fake.log
    ws.fake.reset_log()
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert ws.fake.count() <= 8, ws.fake.log  # nothing changed: reads (101 comments: 2 pages) and the status


def test_request_budget_decision_100_comments_30_reviews(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "co", files={NEW: pep_text(42, "Under Review")})
    pull = busy_pull(ws, {NEW: pep_text(42, "Accepted")}, title="Accept PEP-0042")
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout
    assert ws.fake.count() <= 8, ws.fake.log


def test_request_budget_one_more_when_a_review_was_dismissed(fake_github, tmp_path):
    """Who dismissed a review is in the issue events: one more request, read once even when the
    first-feedback clock needs the events too, and only when a review was dismissed."""
    ws = Workspace(fake_github, tmp_path / "co", files={NEW: pep_text(42, "Draft")})
    pull = busy_pull(ws, {NEW: pep_text(42)}, title="PEP-0042: Cache things")
    ws.repo.label(pull.number, "pep: draft", "2026-05-01T00:00:00Z")
    ws.repo.unlabel(pull.number, "pep: draft", "2026-05-02T00:00:00Z")
    ws.repo.label(pull.number, "pep: under review", "2026-05-02T00:00:00Z")  # the clock reads the events
    objection = ws.repo.add_review(pull.number, "carol", "CHANGES_REQUESTED")
    ws.repo.dismiss_review(pull.number, objection, "dan")
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout  # under review: the objection shows, it does not block
    assert ws.fake.count("GET", r"/issues/\d+/events$") == 1
    assert ws.fake.count() <= 8 + 1, ws.fake.log
    assert "which does not resolve it" in summaries(ws, pull)[0]["body"]


def test_request_budget_one_more_per_older_commit_an_approval_was_given_on(fake_github, tmp_path):
    """An approval given before a push is checked against the PEP at its commit: one Contents API
    request per such commit (and PEP), none when every approval is on the head."""
    ws = Workspace(fake_github, tmp_path / "co", files={NEW: pep_text(42, "Under Review")})
    pull = busy_pull(ws, {NEW: pep_text(42, "Accepted")}, title="Accept PEP-0042")
    ws.repo.push(pull.number, {NEW: pep_text(42, "Accepted", "Cache things well")})
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout  # both approvals were given while it was Accepted
    assert ws.fake.count("GET", r"/contents/") == 1  # alice and bob approved on the same commit
    assert ws.fake.count() <= 8 + 1, ws.fake.log


def test_request_budget_one_more_per_other_open_pr(ws):
    pull = busy_pull(ws, {NEW: pep_text(42)})
    for i in range(3):  # opened later: their numbers are theirs to fix (R004, R016), not this one's
        ws.pull({f"{PEP_DIR}/PEP-00{50 + i}-x.md": pep_text(50 + i, title="X")}, title=f"PEP-00{50 + i}: X")
    ws.pull({"README.md": "typo\n"}, title="Typo")
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout
    assert ws.fake.count() <= 8 + 4, ws.fake.log
    assert ws.fake.count("GET", r"/pulls/\d+/files$") == 1 + 4


def test_without_the_github_extra_is_a_clear_usage_error(ws, tmp_path):
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "gidgethub.py").write_text("raise ImportError('No module named gidgethub')\n")
    pull = ws.pull({NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number), PYTHONPATH=str(shadow))
    assert_clean(result)
    assert result.returncode == 2 and "pip install 'pepctl[github]'" in result.stderr


def test_next_skips_numbers_of_open_prs(ws):
    ws.pull({f"{PEP_DIR}/PEP-0042-b.md": pep_text(42, title="B")}, title="PEP-0042: B")
    ws.pull({f"{PEP_DIR}/PEP-0043-c.md": pep_text(43, title="C"), "x.py": "x\n"}, title="PEP-0043: C")
    ws.pull({"README.md": "typo\n"}, title="Typo")
    assert ws.run("next").stdout == "0042\n"
    result = ws.run("next", "--open-prs")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0044\n"
    assert ws.fake.count("GET", r"/pulls$") == 1 and ws.fake.count("GET", r"/files$") == 3
    assert ws.run("next", "--open-prs", GITHUB_TOKEN="").returncode == 2


def test_renamed_pep_on_a_closed_pull_request(ws):
    new = f"{PEP_DIR}/PEP-0001-first-steps.md"
    pull = ws.pull({FIRST: None, new: ws.files[FIRST]}, title="Rename PEP-0001", renames={new: FIRST})
    pull.state = "closed"  # not in the open list: read on its own
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout
    assert ws.fake.count("GET", rf"/pulls/{pull.number}$") == 1
    assert ws.fake.count("GET", r"/git/blobs/|/contents/") == 0  # same bytes: nothing downloaded


# -- first-feedback clock: when review started ------------------------------------------------

DAY = 86400
EVENTS = r"/issues/\d+/events$"


def days_ago(n: float) -> str:
    return iso(time.time() - n * DAY)


def clock(ws, pull, *args, **env) -> dict:
    """The verdict of a dry run, as JSON."""
    result = ws.run("gate", "--pr", str(pull.number), "--format", "json", "--dry-run", *args, **env)
    assert_clean(result)
    return json.loads(result.stdout)


@pytest.mark.parametrize("moved, overdue", [(10, False), (20, True)])
def test_clock_starts_when_a_pep_opened_as_draft_moved_to_under_review(ws, moved, overdue):
    # Opened 30 days ago with the PEP as a Draft (the gate labelled it so), moved to Under Review later.
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30))
    ws.repo.label(pull.number, "pep: draft", days_ago(30))
    ws.repo.unlabel(pull.number, "pep: draft", days_ago(moved))
    ws.repo.label(pull.number, "pep: under review", days_ago(moved))
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout  # R013 is a warning
    assert ("R013" in result.stdout) is overdue
    assert ("pep: feedback overdue" in pull.labels) is overdue
    [summary] = summaries(ws, pull)
    assert f"under review since {days_ago(moved)[:10]}" in summary["body"]
    assert ws.fake.count("GET", EVENTS) == 1
    # The summary keeps the start: the next run asks GitHub nothing more and changes nothing.
    ws.fake.reset_log()
    again = ws.run("gate", "--pr", str(pull.number))
    assert again.returncode == 0 and ("R013" in again.stdout) is overdue
    assert ws.fake.count("GET", EVENTS) == 0
    assert ws.fake.count("PATCH") == 0 and ws.fake.count(path="/labels") == 0


def test_a_maintainer_comment_while_the_pep_was_a_draft_is_not_first_feedback(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30))
    ws.repo.label(pull.number, "pep: draft", days_ago(30))
    ws.repo.add_comment(pull.number, "bob", "Early thoughts on the draft.", created_at=days_ago(25))
    ws.repo.unlabel(pull.number, "pep: draft", days_ago(20))
    ws.repo.label(pull.number, "pep: under review", days_ago(20))
    info = clock(ws, pull)["first_feedback"]
    assert info["entered_at"][:10] == days_ago(20)[:10]
    assert info["first_at"] is None and info["overdue"] is True


def test_clock_counts_from_opening_when_the_pep_arrived_under_review(ws):
    # The gate's first label on this pull request was `pep: under review`: it arrived so.
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(20))
    ws.repo.label(pull.number, "pep: under review", days_ago(20 - 1 / 1440))
    info = clock(ws, pull)["first_feedback"]
    assert info["entered_at"] == pull.created_at
    assert info["overdue"] is True


def test_clock_counts_from_opening_when_the_gate_never_labelled_the_pr(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(20))
    data = clock(ws, pull)
    assert data["first_feedback"]["entered_at"] == pull.created_at and data["first_feedback"]["overdue"]
    assert ws.fake.count("GET", EVENTS) == 0  # nothing to look up


def test_clock_starts_now_when_the_gate_first_sees_the_pep_under_review(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30))
    ws.repo.label(pull.number, "pep: draft", days_ago(30))  # last run saw a Draft; now it is under review
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout
    assert "R013" not in result.stdout
    assert ws.fake.count("GET", EVENTS) == 0  # no label yet: nothing to look up
    assert pull.labels == ["pep: under review"]
    [summary] = summaries(ws, pull)
    today = iso()[:10]
    assert f"under review since {today}" in summary["body"]
    assert f"<!-- pepctl:under-review-since {today}T" in summary["body"]
    # The summary keeps the moment: the next run reads it back.
    ws.fake.reset_log()
    first = clock(ws, pull)["first_feedback"]
    assert first["entered_at"][:10] == today and not first["overdue"]
    assert f"<!-- pepctl:under-review-since {first['entered_at']} -->" in summary["body"]
    assert ws.fake.count("GET", EVENTS) == 0
    # Without it (say the summary was deleted), the label this run added tells the same day.
    ws.repo.comments.pop(summary["id"])
    info = clock(ws, pull)["first_feedback"]
    assert info["entered_at"][:10] == today and not info["overdue"]
    assert ws.fake.count("GET", EVENTS) == 1


def test_clock_starts_when_a_draft_pull_request_is_marked_ready(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30), draft=True)
    ws.repo.label(pull.number, "pep: under review", days_ago(30))  # labelled while a draft
    assert clock(ws, pull)["first_feedback"]["running"] is False  # no clock on a draft
    ws.repo.set_draft(pull.number, False, days_ago(5))
    info = clock(ws, pull)["first_feedback"]
    assert info["running"] and info["entered_at"][:10] == days_ago(5)[:10] and not info["overdue"]


def test_a_start_kept_in_the_summary_is_dropped_while_the_pr_is_a_draft(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30))
    ws.repo.label(pull.number, "pep: draft", days_ago(30))
    ws.repo.unlabel(pull.number, "pep: draft", days_ago(20))
    ws.repo.label(pull.number, "pep: under review", days_ago(20))
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert "pepctl:under-review-since" in summaries(ws, pull)[0]["body"]
    ws.repo.set_draft(pull.number, True, days_ago(4))
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert "pepctl:under-review-since" not in summaries(ws, pull)[0]["body"]
    ws.repo.set_draft(pull.number, False, days_ago(2))  # ready again: the clock starts afresh
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    body = summaries(ws, pull)[0]["body"]
    assert f"under review since {days_ago(2)[:10]}" in body
    assert "pep: feedback overdue" not in pull.labels


def test_a_start_marker_typed_by_a_person_is_ignored(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30))
    ws.repo.label(pull.number, "pep: draft", days_ago(30))
    ws.repo.unlabel(pull.number, "pep: draft", days_ago(20))
    ws.repo.label(pull.number, "pep: under review", days_ago(20))
    ws.repo.add_comment(pull.number, "dan", f"{SUMMARY_MARKER}\n<!-- pepctl:under-review-since {days_ago(1)} -->")
    info = clock(ws, pull)["first_feedback"]
    assert info["entered_at"][:10] == days_ago(20)[:10] and info["overdue"]


def test_events_the_token_may_not_read_fall_back_and_say_so(ws):
    pull = ws.pull({NEW: pep_text(42)}, created_at=days_ago(30))
    ws.repo.label(pull.number, "pep: draft", days_ago(30))
    ws.repo.unlabel(pull.number, "pep: draft", days_ago(10))
    ws.repo.label(pull.number, "pep: under review", days_ago(10))
    ws.fake.fail(403, path="/events", body={"message": "Resource not accessible by integration"})
    data = clock(ws, pull)
    assert data["first_feedback"]["entered_at"] == pull.created_at
    [note] = data["notes"]
    assert note.startswith("PEP-0042: the pull request's events could not be read")


def reviewed_on_base(ws, entered: float) -> None:
    """PEP-0042 on the base branch: a Draft 40 days ago, Under Review ``entered`` days ago, then
    edited without a status change."""
    ws.land({NEW: pep_text(42, "Draft")}, days_ago(40), "PEP-0042: a draft")
    ws.land({NEW: pep_text(42, "Under Review")}, days_ago(entered), "PEP-0042: ready for review")
    ws.land({NEW: pep_text(42, "Under Review", sections=[("Motivation", "Slow pages.")])}, days_ago(2),
            "PEP-0042: motivation")


@pytest.mark.parametrize("entered, overdue", [(10, False), (20, True)])
def test_clock_of_a_pep_already_under_review_starts_with_the_commit_on_base(ws, entered, overdue):
    reviewed_on_base(ws, entered)
    edited = pep_text(42, "Under Review", sections=[("Motivation", "Slow pages."), ("Design", "An LRU.")])
    pull = ws.pull({NEW: edited}, title="PEP-0042: add a design", created_at=days_ago(1))
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout
    assert ("R013" in result.stdout) is overdue
    assert "note:" not in result.stdout
    assert f"under review since {days_ago(entered)[:10]}" in summaries(ws, pull)[0]["body"]
    assert ws.fake.count("GET", EVENTS) == 0  # from git, not from GitHub


def test_shallow_checkout_falls_back_to_the_pull_request_and_says_so(ws, tmp_path):
    reviewed_on_base(ws, 20)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{ws.root}", str(shallow)], check=True,
                   capture_output=True)
    ws.root = shallow
    pull = ws.pull({NEW: pep_text(42, "Under Review", sections=[("Design", "An LRU.")])},
                   title="PEP-0042: add a design", created_at=days_ago(3))
    data = clock(ws, pull)
    assert data["first_feedback"]["entered_at"] == pull.created_at and not data["first_feedback"]["overdue"]
    [note] = data["notes"]
    assert note.startswith("PEP-0042 was already under review") and "shallow" in note and "fetch-depth: 0" in note
    result = ws.run("gate", "--pr", str(pull.number), "--dry-run")
    assert result.returncode == 0 and "note: PEP-0042 was already under review" in result.stdout


def test_without_git_the_clock_falls_back_and_says_so(ws, tmp_path):
    reviewed_on_base(ws, 20)
    pull = ws.pull({NEW: pep_text(42, "Under Review", sections=[("Design", "An LRU.")])},
                   title="PEP-0042: add a design", created_at=days_ago(3))
    empty = tmp_path / "no-git"
    empty.mkdir()
    data = clock(ws, pull, PATH=str(empty))
    assert data["first_feedback"]["entered_at"] == pull.created_at
    [note] = data["notes"]
    assert "git is not installed" in note
    assert ws.fake.count("GET", r"/contents/") == 1  # the base version came from the API instead


def test_request_budget_with_the_clock_from_issue_events(ws):
    pull = busy_pull(ws, {NEW: pep_text(42)})
    pull.created_at = days_ago(30)
    ws.repo.label(pull.number, "pep: draft", days_ago(30))
    ws.repo.unlabel(pull.number, "pep: draft", days_ago(3))
    ws.repo.label(pull.number, "pep: under review", days_ago(3))
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout
    assert ws.fake.count("GET", EVENTS) == 1
    assert ws.fake.count() <= 8, ws.fake.log
    ws.fake.reset_log()
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert ws.fake.count() <= 8, ws.fake.log  # 101 comments (2 pages) and the status
    assert ws.fake.count("GET", EVENTS) == 0  # the summary kept the start


def test_request_budget_with_the_clock_from_git_history(ws):
    reviewed_on_base(ws, 20)
    pull = busy_pull(ws, {NEW: pep_text(42, "Under Review", sections=[("Design", "An LRU.")])},
                     title="PEP-0042: add a design")
    result = ws.run("gate", "--pr", str(pull.number))
    assert result.returncode == 0, result.stdout
    assert ws.fake.count() <= 8, ws.fake.log
    assert ws.fake.count("GET", EVENTS) == 0


def test_a_misspelt_rule_code_in_the_config_stops_the_gate(fake_github, tmp_path):
    ws = Workspace(fake_github, tmp_path / "checkout", config=Workspace.CONFIG + 'ignore = ["L0O4"]\n')
    pull = ws.pull({NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 2 and "'ignore': unknown rule code or name: L0O4" in result.stderr


# -- answers that are not what GitHub sends (a proxy's page, a wrong payload) ---------------


@pytest.mark.parametrize(
    "path, body, headers, endpoint, said",
    [
        ("/files", b"{not json", None, "/repos/acme/plano/pulls/1/files", "got text '{not json'"),
        ("/files", b"{not json", {"Content-Type": "application/json"}, "/repos/acme/plano/pulls/1/files",
         "not valid JSON"),
        ("/reviews", {"message": "hi"}, None, "/repos/acme/plano/pulls/1/reviews", "got a JSON object"),
        ("/issues/1/comments", ["a", "b"], None, "/repos/acme/plano/issues/1/comments",
         "got a list holding text 'a'"),
        ("/issues/1/comments", b"<html><body>Sign in to the Wi-Fi</body></html>",
         {"Content-Type": "text/html; charset=utf-8"}, "/repos/acme/plano/issues/1/comments", "got text '<html>"),
        ("/issues/1/comments", [{"body": "no id"}], None, "/repos/acme/plano/issues/1/comments", "no 'id'"),
        ("/plano/pulls?", [{"number": 1}], None, "/repos/acme/plano/pulls?state=open", "no 'base'"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_one_clear_line(ws, path, body, headers, endpoint, said):
    pull = ws.pull({NEW: pep_text(42)})
    ws.fake.fail(200, 1, "GET", path, headers=headers, body=body)
    if path.endswith("?"):  # the open pull requests' list: match it and nothing under /pulls/
        ws.fake.faults[-1].matches = lambda method, p: method == "GET" and p == "/repos/acme/plano/pulls"
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pepctl: error: GitHub API GET {endpoint}: unexpected response (")
    assert said in line
    assert ws.fake.writes() == []


def test_an_api_url_that_is_not_http_is_a_usage_error(ws):
    pull = ws.pull({NEW: pep_text(42)})
    result = ws.run("gate", "--pr", str(pull.number), GITHUB_API_URL="not a url")
    assert_clean(result)
    assert result.returncode == 2
    assert "GITHUB_API_URL is not an http(s) URL: 'not a url'" in result.stderr
    assert ws.fake.log == []


# -- summaries left by runs that raced ---------------------------------------------------


def test_duplicate_summaries_are_merged_into_the_oldest(ws):
    pull = ws.pull({NEW: pep_text(42)})
    oldest = ws.repo.add_comment(pull.number, BOT_LOGIN, f"{SUMMARY_MARKER}\nstale verdict one")
    ws.repo.add_comment(pull.number, "eve", "a comment in between")
    second = ws.repo.add_comment(pull.number, BOT_LOGIN, f"{SUMMARY_MARKER}\nstale verdict two")
    third = ws.repo.add_comment(pull.number, BOT_LOGIN, f"{SUMMARY_MARKER}\nstale verdict three")
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ws.fake.count("PATCH", rf"/issues/comments/{oldest['id']}$") == 1
    assert ws.fake.count("DELETE", rf"/issues/comments/({second['id']}|{third['id']})$", status=204) == 2
    assert ws.fake.count("POST", r"/comments$") == 0
    [summary] = summaries(ws, pull)
    assert summary["id"] == oldest["id"] and "stale" not in summary["body"]
    assert f"delete the duplicate summary comment {second['id']}" in result.stdout
    [status] = statuses(ws, pull)
    assert status["target_url"].endswith(f"#issuecomment-{oldest['id']}")

    ws.fake.reset_log()
    assert ws.run("gate", "--pr", str(pull.number)).returncode == 0
    assert [(w.method, w.path) for w in ws.fake.writes()] == [("POST", f"/repos/acme/plano/statuses/{pull.head_sha}")]


def test_a_duplicate_already_deleted_by_another_run_is_no_error(ws):
    pull = ws.pull({NEW: pep_text(42)})
    ws.repo.add_comment(pull.number, BOT_LOGIN, f"{SUMMARY_MARKER}\nstale one")
    ws.repo.add_comment(pull.number, BOT_LOGIN, f"{SUMMARY_MARKER}\nstale two")
    ws.fake.fail(404, 1, "DELETE", "/issues/comments/", body={"message": "Not Found"})
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ws.fake.count("DELETE", status=404) == 1  # the injected answer was met
    summaries_left = summaries(ws, pull)
    assert "stale" not in summaries_left[0]["body"] and "ready to merge" in summaries_left[0]["body"]  # the oldest, updated
    [status] = statuses(ws, pull)  # the rest of the run went on
    assert status["state"] == "success" and pull.labels == ["pep: under review"]


# -- whose markers count -----------------------------------------------------------------


def test_markers_from_another_app_bot_are_not_adopted(ws):
    pull = ws.pull({NEW: pep_text(42)})
    other = ws.repo.add_comment(pull.number, "some-app[bot]", f"{SUMMARY_MARKER}\nnot ours", user_type="Bot")
    result = ws.run("gate", "--pr", str(pull.number))
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ws.fake.count("PATCH") == 0 and ws.fake.count("DELETE") == 0
    assert other["body"].endswith("not ours")
    assert [c["user"] for c in summaries(ws, pull)] == ["some-app[bot]", BOT_LOGIN]


def test_pepctl_bot_login_names_the_account_pepctl_posts_as(ws):
    pull = ws.pull({NEW: pep_text(42)})
    mine = ws.repo.add_comment(pull.number, "pep-app[bot]", f"{SUMMARY_MARKER}\nold", user_type="Bot")
    ws.repo.add_comment(pull.number, BOT_LOGIN, f"{SUMMARY_MARKER}\nnot the configured account")
    result = ws.run("gate", "--pr", str(pull.number), PEPCTL_BOT_LOGIN="pep-app[bot]")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ws.fake.count("PATCH", rf"/issues/comments/{mine['id']}$") == 1
    assert ws.fake.count("DELETE") == 0 and ws.fake.count("POST", r"/comments$") == 0
