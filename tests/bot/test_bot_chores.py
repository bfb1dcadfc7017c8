"""The chores after a decision (pepctl.bot.chores, PEP-0000 §6) against the fake GitHub: each
done once, however often the bot looks."""

from __future__ import annotations

import pytest
from botsetup import PEP_DIR, Bot, pep_text
from fakegithub import fake_github  # noqa: F401  (fixture)

from pepctl.bot import chores
from pepctl.bot.events import INDEX, Key
from pepctl.bot.queue import mark_dirty
from pepctl.document import Document

INDEX_PATH = f"{PEP_DIR}/PEP-0000-process.md"


def index_text(rows):
    lines = ["# PEP-0000: Process", "", "| Field | Value |", "|---|---|", "| **PEP** | 0000 |",
             "| **Title** | Process |", "| **Status** | Active |", "| **Author(s)** | Maintainers |",
             "| **Created** | 2026-04-01 |", "", "## Index", "", "| PEP | Title | Status | Author |", "|---|---|---|---|"]
    lines += [f"| [{n:04d}](PEP-{n:04d}-{slug}.md) | {title} | {status} | {author} |"
              for n, slug, title, status, author in rows]
    return "\n".join(lines) + "\n"


ROWS = [(0, "process", "Process", "Active", "Maintainers"), (1, "first", "First", "Accepted", "Dan (@dan)"),
        (42, "cache-things", "Cache things", "Under Review", "Dan (@dan)")]


@pytest.fixture
def bot(fake_github, tmp_path, store):
    """acme/plano with PEP-0042 under review and an index that pepctl itself wrote."""
    b = Bot(fake_github, tmp_path, store)
    b.ws.land({INDEX_PATH: index_text(ROWS[:1]), f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)},
              "2026-04-02T00:00:00Z")
    done = b.ws.run("index")
    assert done.returncode == 0, done.stderr
    b.ws.land({INDEX_PATH: (b.ws.root / INDEX_PATH).read_text()}, "2026-04-02T00:00:01Z")
    assert "| Cache things | Under Review |" in b.ws.files[INDEX_PATH]
    return b


def dirty(bot, *numbers):
    with bot.store.begin() as c:
        mark_dirty(c, [Key(bot.installation, "acme/plano", n) for n in numbers])


def file_at(bot, sha, path):
    return bot.ws.repo.commits[sha][path].decode()


def bot_pulls(bot):
    return [p for p in bot.ws.repo.pulls.values() if p.author == bot.app.bot_login]


def test_a_pep_pr_closed_without_merging_gets_one_comment_and_a_label(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0043-other.md": pep_text(43, title="Other")}, title="PEP-0043: Other")
    bot.app.close(pull)
    for _ in range(2):
        dirty(bot, pull.number)
        bot.work()
    [comment] = [c for c in bot.ws.repo.issue_comments(pull.number) if "closed-unmerged" in c["body"]]
    assert "**Declined**" in comment["body"] and "**Withdrawn**" in comment["body"]
    assert "PEP-0043" in comment["body"]
    assert pull.labels == [chores.CLOSED_LABEL]
    assert bot.app.runs("acme/plano") == []  # a closed pull request is not gated


def test_a_closed_pr_without_a_pep_gets_nothing(bot):
    pull = bot.ws.pull({"README.md": "hi\n"}, title="Docs")
    bot.app.close(pull)
    dirty(bot, pull.number)
    bot.work()
    assert bot.ws.repo.issue_comments(pull.number) == [] and pull.labels == []


def test_accepting_a_pep_opens_its_tracking_issue_and_one_implementing_pr(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42, "Accepted")})
    bot.app.merge(pull)
    for _ in range(3):  # the merge's event, a redelivery, a resync: one issue, one pull request
        dirty(bot, pull.number)
        bot.work()
    issues = bot.app.issues_of("acme/plano")
    [issue] = issues.values()
    assert issue["title"] == "PEP-0042: Cache things — implementation" and issue["user"] == bot.app.bot_login
    [chore] = bot_pulls(bot)
    assert chore.title == "PEP-0042: Implementing" and f"#{issue['number']}" in chore.body
    pep = Document(file_at(bot, chore.head_sha, f"{PEP_DIR}/PEP-0042-cache-things.md"))
    assert pep.get("Status") == "Implementing"
    assert pep.get("Tracking Issue") == f"https://github.com/acme/plano/issues/{issue['number']}"
    before = file_at(bot, chore.base_sha, f"{PEP_DIR}/PEP-0042-cache-things.md")
    after = file_at(bot, chore.head_sha, f"{PEP_DIR}/PEP-0042-cache-things.md")
    assert [line for line in after.splitlines() if line not in before.splitlines()] == [
        "| **Status** | Implementing |", f"| **Tracking Issue** | https://github.com/acme/plano/issues/{issue['number']} |"]
    assert "| Cache things | Implementing |" in file_at(bot, chore.head_sha, INDEX_PATH)
    # the chore's own pull request is gated like any other once its events come
    dirty(bot, chore.number)
    bot.work()
    assert len(bot.app.runs("acme/plano", chore.head_sha)) == 1


def test_a_half_done_chore_is_finished_not_doubled(bot):
    """A run that created the branch and committed, then died before opening the pull request."""
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42, "Accepted")})
    bot.app.merge(pull)
    bot.fake.fail(403, times=1, method="POST", path="/pulls")  # GitHub refuses the last step once
    dirty(bot, pull.number)
    bot.work()
    assert bot_pulls(bot) == [] and len(bot.app.refs_of(bot.ws.repo)) == 2  # main + the chore's branch
    puts = bot.fake.count("PUT", r"/contents/")
    dirty(bot, pull.number)
    bot.work()  # (the row also waits after a failure; a new event makes it due at once)
    assert len(bot_pulls(bot)) == 1 and len(bot.app.issues_of("acme/plano")) == 1
    assert bot.fake.count("PUT", r"/contents/") == puts  # the commits on the branch were not made again


def test_part_of_prs_are_listed_on_the_tracking_issue_and_closing_it_opens_the_complete_pr(bot):
    accept = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42, "Accepted")})
    bot.app.merge(accept)
    dirty(bot, accept.number)
    bot.work()
    [issue] = bot.app.issues_of("acme/plano").values()
    [implementing] = bot_pulls(bot)
    bot.app.merge(implementing)
    first = bot.ws.pull({"src/cache.py": "x = 1\n"}, title="Cache: the store", body="Part of PEP-0042.")
    second = bot.ws.pull({"src/ttl.py": "y = 2\n"}, title="Cache: TTLs", body="part of pep-0042")
    dirty(bot, first.number, second.number)
    bot.work()
    [checklist] = [c for c in bot.ws.repo.issue_comments(issue["number"]) if chores.CHECKLIST_MARKER in c["body"]]
    assert f"- [ ] #{first.number} Cache: the store" in checklist["body"]
    assert f"- [ ] #{second.number} Cache: TTLs" in checklist["body"]
    bot.app.merge(first)
    dirty(bot, first.number)
    bot.work()
    [checklist] = [c for c in bot.ws.repo.issue_comments(issue["number"]) if chores.CHECKLIST_MARKER in c["body"]]
    assert f"- [x] #{first.number} Cache: the store" in checklist["body"]
    # all done: the tracking issue is closed
    issue["state"] = "closed"
    dirty(bot, issue["number"])
    bot.work()
    dirty(bot, issue["number"])
    bot.work()
    complete = [p for p in bot_pulls(bot) if p.title == "PEP-0042: Complete"]
    assert len(complete) == 1 and "Target Release" in complete[0].body
    pep = Document(file_at(bot, complete[0].head_sha, f"{PEP_DIR}/PEP-0042-cache-things.md"))
    assert pep.get("Status") == "Complete" and pep.field("Target Release") is not None
    assert "| Cache things | Complete |" in file_at(bot, complete[0].head_sha, INDEX_PATH)


def test_a_stale_index_gets_one_pr_regenerating_it(bot):
    stale = bot.ws.files[INDEX_PATH].replace("| Cache things | Under Review |", "| Cache things | Draft |")
    bot.ws.land({INDEX_PATH: stale}, "2026-04-03T00:00:00Z")
    for _ in range(2):
        dirty(bot, INDEX)
        bot.work()
    [pull] = bot_pulls(bot)
    assert pull.title == "PEP-0000: regenerate the index"
    text = file_at(bot, pull.head_sha, INDEX_PATH)
    assert "| Cache things | Under Review |" in text
    before = file_at(bot, pull.base_sha, INDEX_PATH).splitlines()
    assert [line for line in text.splitlines() if line not in before] == [
        line for line in text.splitlines() if "0042" in line]  # only the stale row changed


def test_an_index_that_is_right_gets_nothing(bot):
    dirty(bot, INDEX)
    bot.work()
    assert bot_pulls(bot) == []


def test_a_tracking_issue_github_made_before_answering_502_is_not_made_again(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42, "Accepted")})
    bot.app.merge(pull)
    bot.fake.fail(502, times=1, method="POST", path="/repos/acme/plano/issues", after=True)
    for _ in range(2):  # the failed run, then the retry (a new event makes it due at once)
        dirty(bot, pull.number)
        bot.work()
    assert len(bot.app.issues_of("acme/plano")) == 1
    assert len(bot_pulls(bot)) == 1
