"""The reminders and nudges workers post by timer (pepctl.bot.reminders): the late-first-feedback
reminder and the stale-draft nudge, each posted once across workers, restarts and replicas."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
import sqlalchemy as sa
from botsetup import PEP_DIR, Bot, pep_text, schedule
from fakegithub import fake_github, iso  # noqa: F401  (fixture)

from pepctl.bot import audit
from pepctl.bot.models import timers as timers_table
from pepctl.bot.store import utcnow

DAY = 86400


@pytest.fixture
def bot(fake_github, tmp_path, store):
    return Bot(fake_github, tmp_path, store)


def reminders(bot, number):
    return [c for c in bot.ws.repo.issue_comments(number) if "pepctl:reminder:" in c["body"]]


def test_first_feedback_reminder_fires_once_across_workers_and_restarts(bot):
    created = iso(time.time() - 20 * DAY)
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)}, created_at=created)
    with bot.store.begin() as c:
        from pepctl.bot.queue import mark_dirty
        from pepctl.bot.events import Key

        mark_dirty(c, [Key(bot.installation, "acme/plano", pull.number)])
    bot.work()  # gates it, schedules the reminder (already due), fires it
    [reminder] = reminders(bot, pull.number)
    assert "@alice" in reminder["body"] and reminder["user"] == bot.app.bot_login  # the sponsor is asked
    # two replicas and a restart later: nothing more
    workers = [threading.Thread(target=bot.work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    bot.work()
    assert len(reminders(bot, pull.number)) == 1
    # a second timer for the same period (as after a crash between posting and marking it done)
    schedule(bot.store, f"first-feedback:acme/plano#{pull.number}:again", utcnow(), kind="first-feedback",
             installation_id=bot.installation, repo="acme/plano", number=pull.number)
    bot.work()
    assert len(reminders(bot, pull.number)) == 1  # the dated marker says it was sent this period
    actions = [e["detail"].get("sent") for e in audit.entries(bot.store, "acme/plano", pull.number)
               if e["action"] == "reminder"]
    assert actions == [True, False]
    with bot.store.engine.connect() as c:  # the next period's reminder waits
        later = c.execute(sa.select(timers_table.c.due_at).where(timers_table.c.state == "pending")).scalars().all()
    assert later and all(d > utcnow() + datetime.timedelta(days=13) for d in later)


def test_no_reminder_once_a_maintainer_spoke(bot):
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)}, created_at=iso(time.time() - 20 * DAY))
    bot.ws.repo.add_comment(pull.number, "bob", "A first look: fine.", created_at=iso(time.time() - 19 * DAY))
    schedule(bot.store, "ff", utcnow(), kind="first-feedback", installation_id=bot.installation, repo="acme/plano",
             number=pull.number)
    bot.work()
    assert reminders(bot, pull.number) == []
    assert audit.entries(bot.store)[-1]["detail"]["why"].startswith("feedback given")


def test_a_stale_draft_is_nudged_once_and_activity_cancels_older_timers(bot):
    old = iso(time.time() - 100 * DAY)
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42, "Draft")}, draft=True, created_at=old)
    from pepctl.bot.events import Key
    from pepctl.bot.queue import mark_dirty

    with bot.store.begin() as c:
        mark_dirty(c, [Key(bot.installation, "acme/plano", pull.number)])
    bot.work()
    nudges = [c for c in bot.ws.repo.issue_comments(pull.number) if "pepctl:stale-draft:" in c["body"]]
    assert len(nudges) == 1 and "no activity since" in nudges[0]["body"]
    schedule(bot.store, "stale-again", utcnow(), kind="stale-draft", installation_id=bot.installation,
             repo="acme/plano", number=pull.number, since=old)
    bot.work()  # the same stale period: its marker is there
    assert len([c for c in bot.ws.repo.issue_comments(pull.number) if "pepctl:stale-draft:" in c["body"]]) == 1
    # an old timer for a draft that saw activity since (a newer timer exists) does nothing
    schedule(bot.store, "stale-newer", utcnow() + datetime.timedelta(days=90), kind="stale-draft",
             installation_id=bot.installation, repo="acme/plano", number=pull.number, since=iso())
    schedule(bot.store, "stale-older", utcnow(), kind="stale-draft", installation_id=bot.installation,
             repo="acme/plano", number=pull.number, since=iso(time.time() - 95 * DAY))
    bot.work()
    assert audit.entries(bot.store)[-1]["detail"]["why"] == "active since"


@pytest.mark.parametrize("kind", ["first-feedback", "stale-draft"])
def test_a_timer_of_a_pull_request_github_no_longer_has_is_cancelled_not_fired_for_ever(bot, kind):
    """Its repository was deleted (or taken out of the installation) before the timer fell due."""
    schedule(bot.store, f"{kind}:acme/gone#5:x", utcnow() - datetime.timedelta(seconds=1), kind=kind,
             installation_id=bot.installation, repo="acme/gone", number=5, since="2026-04-01T00:00:00Z")
    bot.work()
    with bot.store.engine.connect() as c:
        [state] = c.execute(sa.select(timers_table.c.state)).scalars().all()
    assert state == "cancelled"
    assert [e["action"] for e in audit.entries(bot.store, "acme/gone")] != ["timer-failed"]
