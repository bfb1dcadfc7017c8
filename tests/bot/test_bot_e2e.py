"""The bot end to end against the fake GitHub with its App endpoints: signed webhooks over a real
socket, installation tokens, the gate, check runs; restarts and crashes."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from botsetup import PEP_DIR, Bot, pep_text
from fakegithub import fake_github  # noqa: F401  (fixture)

from pepctl.bot import audit, queue
from pepctl.bot.app import create_app
from pepctl.bot.models import dirty


@pytest.fixture
def bot(fake_github, tmp_path, store, serve_app):
    b = Bot(fake_github, tmp_path, store)
    served = serve_app(create_app(b.settings, store, b.metrics))
    b.app.hook_url = served.url + "/webhook"
    return b


def dirty_rows(store):
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(sa.select(dirty))]


def test_a_pull_request_event_gates_the_pr_and_publishes_a_check_run(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    assert bot.app.send("pull_request", bot.pr_event(pull)) == 202
    assert bot.work() == 1
    [run] = bot.app.runs("acme/plano", pull.head_sha)
    assert run["name"] == "pep/process" and run["status"] == "completed"
    assert run["conclusion"] == "success" and run["output"]["title"] == "PEP process: ready to merge"
    [summary] = bot.summaries(pull.number)
    assert run["details_url"].endswith(f"#issuecomment-{summary['id']}")
    assert pull.labels == ["pep: under review"]
    assert bot.fake.count("POST", r"/statuses/") == 0  # a check run, not a commit status
    assert dirty_rows(bot.store) == []
    # the JWT the App signed: iat in the past, exp within ten minutes
    claims = bot.app.jwt_claims[-1]
    assert claims["iss"] == "77" and claims["iat"] <= time.time() - 59 and claims["exp"] - claims["iat"] <= 600
    [entry] = audit.entries(bot.store, "acme/plano", pull.number)
    assert entry["action"] == "gate" and entry["detail"]["check"] == "created"


def test_events_that_change_nothing_write_nothing_again(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.work()
    writes = len(bot.fake.writes())
    for action in ("edited", "synchronize"):
        assert bot.app.send("pull_request", bot.pr_event(pull, action)) == 202
    assert [r["generation"] for r in dirty_rows(bot.store)] == [2]  # two events, one row
    assert bot.work() == 1
    assert len(bot.fake.writes()) == writes  # same verdict: no comment, label or check run written
    assert len(bot.app.runs("acme/plano")) == 1 and len(bot.summaries(pull.number)) == 1


def test_a_command_comment_is_answered_once_and_the_bots_own_comments_are_ignored(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.work()
    bot.ws.repo.add_comment(pull.number, "alice", "/pep help")
    assert bot.app.send("issue_comment", bot.comment_event(pull, "alice", "/pep help")) == 202
    bot.work()
    answers = [c for c in bot.ws.repo.issue_comments(pull.number) if "pepctl-answer" in c["body"]]
    assert len(answers) == 1 and answers[0]["user"] == bot.app.bot_login
    # GitHub sends the App's own comment back as an event: it is not work
    own = bot.comment_event(pull, bot.app.bot_login, answers[0]["body"])
    assert bot.app.send("issue_comment", own) == 200
    assert dirty_rows(bot.store) == []


def test_a_fixed_pr_turns_its_check_green_in_place(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)}, title="Add caching")
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.work()
    [run] = bot.app.runs("acme/plano", pull.head_sha)
    assert run["conclusion"] == "failure" and run["output"]["title"].startswith("Blocked: R001")
    assert "R001" in run["output"]["summary"]
    pull.title = "PEP-0042: Cache things"
    bot.app.send("pull_request", bot.pr_event(pull, "edited"))
    bot.work()
    [run] = bot.app.runs("acme/plano", pull.head_sha)  # edited in place, not a second run
    assert run["conclusion"] == "success"
    assert bot.fake.count("PATCH", r"/check-runs/") == 1 and bot.fake.count("POST", r"/check-runs$") == 1


@pytest.mark.parametrize("path", [r"/check-runs", r"/comments"])
@pytest.mark.parametrize("status", [500, 502])
def test_a_write_github_made_before_answering_5xx_is_there_once(bot, path, status):
    """GitHub answers 5xx after it created the check run (or the summary comment): the retry of
    the row finds it, and nothing is written twice."""
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.fake.fail(status, times=1, method="POST", path=path, after=True)
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.work()
    assert len(dirty_rows(bot.store)) == 1  # failed: it waits for its retry
    bot.app.send("pull_request", bot.pr_event(pull, "edited"))  # due at once
    bot.work()
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1 and len(bot.summaries(pull.number)) == 1
    assert pull.labels == ["pep: under review"] and dirty_rows(bot.store) == []


def test_a_pr_touching_hundreds_of_peps_gets_a_summary_github_takes(bot):
    """GitHub refuses a comment over 65536 characters: the summary is cut to fit, keeping its
    marker, its last line and a word on what was left out, instead of failing on every retry."""
    files = {f"{PEP_DIR}/PEP-{n:04d}-some-long-title-here.md": pep_text(n, title="Some long title here")
             for n in range(100, 700)}
    bot.ws.land(files, "2026-04-02T00:00:00Z")
    pull = bot.ws.pull({p: t.replace("Under Review", "Draft") for p, t in files.items()}, title="Mass edit")
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.work()
    [summary] = bot.summaries(pull.number)
    body = summary["body"]
    assert len(body) <= 65536 and body.startswith("<!-- pepctl:review-summary -->")
    assert "lines left out" in body and body.rstrip("\n").splitlines()[-1].startswith("<sub>Commands")
    assert dirty_rows(bot.store) == [] and len(bot.app.runs("acme/plano", pull.head_sha)) == 1


def bot_answers(bot, number) -> list[str]:
    return [c["body"] for c in bot.ws.repo.issue_comments(number)
            if c["user"] == bot.app.bot_login and "pepctl-answer" in c["body"]]


def test_a_comment_with_a_thousand_commands_gets_one_answer(bot):
    """Anyone may comment: a comment holding a thousand commands gets one answer comment, to its
    first ten, saying how many more went unanswered, and no later run answers the rest."""
    n = 1000
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.ws.repo.add_comment(pull.number, "mallory", "\n".join(
        f"/pep resolve nothing-{i}" if i % 2 else "/pep help" for i in range(n)))
    for _ in range(2):
        bot.app.send("pull_request", bot.pr_event(pull, "edited"))
        bot.work()
    [answer] = bot_answers(bot, pull.number)
    keys = re.findall(r"<!-- pepctl-answer (\S+) -->", answer)
    assert [key.split(":")[1] for key in keys] == [str(line) for line in range(1, 11)]
    assert f"{n - 10} more command(s) of this comment needed an answer and got none" in answer
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1 and len(bot.summaries(pull.number)) == 1
    assert dirty_rows(bot.store) == []


def test_answers_to_many_comments_go_in_several_answer_comments(bot):
    """The answers of many comments that do not fit one GitHub comment are spread over several,
    each answered once, and the check run and summary are still published."""
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    for _ in range(20):
        bot.ws.repo.add_comment(pull.number, "mallory", "\n".join(["/pep help"] * 10))
    for _ in range(2):
        bot.app.send("pull_request", bot.pr_event(pull, "edited"))
        bot.work()
    answers = bot_answers(bot, pull.number)
    assert len(answers) > 1 and all(len(body) <= 65536 for body in answers)
    keys = [key for body in answers for key in re.findall(r"<!-- pepctl-answer (\S+) -->", body)]
    assert len(keys) == len(set(keys)) == 200
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1 and len(bot.summaries(pull.number)) == 1
    assert dirty_rows(bot.store) == []


def test_an_expired_token_is_renewed_once_on_401(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.auth.token(bot.installation)  # cached
    bot.app.revoke_tokens()  # GitHub no longer honours it
    assert bot.work() == 1
    assert bot.fake.count(path=r"/pulls/", status=401) == 1
    assert len(bot.app.runs("acme/plano")) == 1 and dirty_rows(bot.store) == []


@pytest.mark.parametrize("limit", [{"retry_after": 60}, {"reset_in": 600}], ids=["secondary", "primary"])
def test_a_rate_limited_token_request_keeps_the_work_for_later(bot, limit):
    """A 403 rate limit on the token request is not a removed installation: the row waits."""
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.fake.rate_limit(status=403, method="POST", path="/access_tokens", **limit)
    bot.work()
    [row] = dirty_rows(bot.store)
    assert "rate limit" in row["last_error"]
    assert audit.entries(bot.store, "acme/plano", pull.number)[-1]["action"] == "failed"
    bot.app.send("pull_request", bot.pr_event(pull, "edited"))  # due at once
    bot.work()
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1 and dirty_rows(bot.store) == []


def test_a_suspended_installation_is_skipped(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.fake.fail(403, method="POST", path="/access_tokens", body={"message": "This installation has been suspended"})
    bot.work()
    assert dirty_rows(bot.store) == [] and bot.app.runs("acme/plano") == []
    assert audit.entries(bot.store, "acme/plano", pull.number)[-1]["action"] == "skipped"


def test_tokens_are_cached_until_shortly_before_they_expire(bot):
    bot.app.token_ttl = 200  # GitHub hands out a token that expires within five minutes
    first = bot.auth.token(bot.installation)
    bot.app.token_ttl = 3600
    second = bot.auth.token(bot.installation)  # so it is replaced at once
    assert second != first and bot.fake.count("POST", r"/access_tokens$") == 2
    assert bot.auth.token(bot.installation) == second  # an hour's token is kept
    assert bot.fake.count("POST", r"/access_tokens$") == 2


def test_the_repositorys_own_configuration_counts_and_a_push_changing_it_resyncs(bot):
    ws = bot.ws
    pull = ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    other = ws.pull({"README.md": "hello\n"}, title="Docs")
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.work()
    assert bot.app.runs("acme/plano", pull.head_sha)[0]["conclusion"] == "success"
    # a broken configuration lands on main: the open PRs say so on their check
    ws.land({"pepctl.toml": "maintainers = 3\n"}, "2026-04-02T00:00:00Z")
    push = bot.payload(ref="refs/heads/main", commits=[{"id": ws.base, "added": [], "removed": [],
                                                        "modified": ["pepctl.toml"]}])
    assert bot.app.send("push", push) == 202
    bot.work()  # the repository row, then each open pull request
    for number, sha in ((pull.number, pull.head_sha), (other.number, other.head_sha)):
        [run] = bot.app.runs("acme/plano", sha)
        assert run["conclusion"] == "failure" and "configuration" in run["output"]["title"], number
        assert "pepctl.toml@main" in run["output"]["summary"]
    # a push that changes neither the configuration nor a Markdown file is no work
    quiet = bot.payload(ref="refs/heads/main", commits=[{"id": "x", "added": ["src/x.py"], "removed": [],
                                                         "modified": []}])
    assert bot.app.send("push", quiet) == 200


def test_an_installation_resyncs_its_repositories(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    event = bot.payload(action="created", repositories=[{"id": 1, "full_name": "acme/plano"}])
    event["installation"] = {"id": bot.installation, "account": {"login": "acme"}}
    assert bot.app.send("installation", event) == 202
    assert bot.work() == 3  # the repository, then its one open pull request, and its index
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1


def test_a_rerequested_check_run_decides_again(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    event = bot.payload(action="rerequested", check_run={"id": 5, "app": {"id": bot.app.id},
                                                         "pull_requests": [{"number": pull.number}]})
    assert bot.app.send("check_run", event) == 202
    assert bot.work() == 1 and len(bot.app.runs("acme/plano")) == 1


def test_a_failure_leaves_the_pr_dirty_for_later(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    bot.fake.fail(403, times=10, path="/pulls/")
    assert bot.work() == 1
    [row] = dirty_rows(bot.store)
    assert row["lease_owner"] is None and row["attempts"] == 1 and "403" in row["last_error"]
    assert audit.entries(bot.store)[-1]["action"] == "failed"
    assert queue.claim(bot.store, "w", 60) is None  # waits before the next try


def test_a_repository_github_no_longer_has_is_skipped_not_retried_for_ever(bot):
    """A push (or an installation) naming a repository that is gone by the time the worker asks
    (deleted, renamed, or taken out of the installation): its rows are let go, like a pull
    request that is gone."""
    event = bot.payload(ref="refs/heads/main", commits=[{"id": "x", "added": [], "removed": [],
                                                         "modified": ["pepctl.toml", "README.md"]}])
    event["repository"] = dict(event["repository"], full_name="acme/gone")
    assert bot.app.send("push", event) == 202
    assert len(dirty_rows(bot.store)) == 2  # the repository's pull requests, and its index
    bot.work()
    assert dirty_rows(bot.store) == []
    assert [e["action"] for e in audit.entries(bot.store, "acme/gone")] == ["skipped", "skipped"]


def test_an_event_during_the_work_keeps_the_row_dirty(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.send("pull_request", bot.pr_event(pull))
    item = queue.claim(bot.store, "w1", 60)
    bot.app.send("pull_request", bot.pr_event(pull, "edited"))  # arrives while w1 works
    assert queue.finish(bot.store, item) is False
    [row] = dirty_rows(bot.store)
    assert row["generation"] == 2 and row["lease_owner"] is None
    assert bot.work() == 1 and dirty_rows(bot.store) == []


def test_pyproject_tool_pepctl_is_read_when_there_is_no_pepctl_toml(fake_github, tmp_path, store):
    import asyncio

    from pepctl.bot.repoconfig import read_config
    from pepctl.github.client import Client

    b = Bot(fake_github, tmp_path, store)
    b.ws.land({"pepctl.toml": None, "pyproject.toml": '[project]\nname = "x"\n[tool.pepctl]\nmaintainers = ["zed"]\n'},
              "2026-04-02T00:00:00Z")

    async def read():
        async with Client(b.auth.token(b.installation), fake_github.url) as gh:
            return await read_config(gh, "acme/plano", "main")

    assert asyncio.run(read()).maintainers == ["zed"]
    b.ws.land({"pyproject.toml": '[project]\nname = "x"\n'}, "2026-04-03T00:00:00Z")
    assert asyncio.run(read()).maintainers == []  # no [tool.pepctl]: the defaults


def test_a_pr_changing_the_configuration_needs_the_maintainers_as_with_the_action(bot):
    from fakegithub import Workspace

    weaker = bot.ws.pull({"pepctl.toml": Workspace.CONFIG + "required-approvals = 1\n"}, title="One approval",
                         author="zed")
    bot.app.send("pull_request", bot.pr_event(weaker))
    bot.work()
    [run] = bot.app.runs("acme/plano", weaker.head_sha)
    assert run["conclusion"] == "failure" and "R018" in run["output"]["summary"]
