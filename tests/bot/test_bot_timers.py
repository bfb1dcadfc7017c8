"""Timers in the database (pepctl.bot.timers) and what fires them: reminders, stale-draft nudges,
the periodic sweep and redelivery, each done once across restarts and replicas."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
import sqlalchemy as sa
from botsetup import PEP_DIR, Bot, pep_text
from fakegithub import fake_github, iso  # noqa: F401  (fixture)

from pepctl.bot import audit, timers
from pepctl.bot.app import create_app
from pepctl.bot.models import deliveries, dirty, repositories
from pepctl.bot.models import timers as timers_table
from pepctl.bot.store import utcnow

DAY = 86400


def schedule(store, key, due, **kw):
    with store.begin() as c:
        return timers.schedule(c, key, kw.pop("kind", "test"), due, **kw)


def test_a_key_is_scheduled_once_and_fired_once(store):
    now = utcnow()
    assert schedule(store, "k", now) is True
    assert schedule(store, "k", now + datetime.timedelta(days=1)) is False  # already there
    first = timers.claim(store, "w1", 60)
    assert first.key == "k" and timers.claim(store, "w2", 60) is None
    assert timers.done(store, first) is True
    assert timers.claim(store, "w2", 60) is None
    assert schedule(store, "k", now) is False  # done timers still hold their key
    assert timers.pending(store) == 0


def test_a_timer_is_not_due_before_its_time_and_a_dead_workers_lease_runs_out(store):
    now = utcnow()
    schedule(store, "later", now + datetime.timedelta(hours=1))
    assert timers.claim(store, "w", 60) is None
    taken = timers.claim(store, "dead", 60, now=now + datetime.timedelta(hours=2))
    assert timers.claim(store, "w", 60, now=now + datetime.timedelta(hours=2)) is None
    again = timers.claim(store, "alive", 60, now=now + datetime.timedelta(hours=2, seconds=61))
    assert again.id == taken.id
    assert timers.done(store, taken) is False and timers.done(store, again) is True


def test_periodic_timers_are_one_per_period(store):
    at = datetime.datetime(2026, 5, 1, 10, 7)
    for _ in range(3):
        timers.ensure_periodic(store, 24, 30, now=at)
    timers.ensure_periodic(store, 24, 30, now=at + datetime.timedelta(minutes=10))
    with store.engine.connect() as c:
        keys = sorted(c.execute(sa.select(timers_table.c.key)).scalars())
    assert keys == ["prune:2026-05-01T00:00:00", "redeliver:2026-05-01T10:00:00", "sweep:2026-05-01T00:00:00"]


def test_prune_forgets_old_deliveries_and_long_done_timers_only(store):
    now = utcnow()
    old, recent = now - datetime.timedelta(days=8), now - datetime.timedelta(days=6)
    with store.begin() as c:
        c.execute(sa.insert(deliveries), [{"guid": "old", "event": "push", "received_at": old},
                                          {"guid": "new", "event": "push", "received_at": recent}])
        timers.schedule(c, "done-long-ago", "test", old)
        timers.schedule(c, "pending-long-ago", "test", old)
        c.execute(sa.update(timers_table).where(timers_table.c.key == "done-long-ago")
                  .values(state="done", done_at=now - datetime.timedelta(days=91)))
    assert timers.prune(store) == (1, 1)
    with store.engine.connect() as c:
        assert c.execute(sa.select(deliveries.c.guid)).scalars().all() == ["new"]
        assert c.execute(sa.select(timers_table.c.key)).scalars().all() == ["pending-long-ago"]


# -- firing them against the fake GitHub ------------------------------------------------------


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


def test_the_sweep_asks_github_where_the_app_is_installed_and_decides_every_open_pr(fake_github, tmp_path, store):
    bot = Bot(fake_github, tmp_path, store, sweep_hours=24)
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.work()  # the sweep timer of this period, the repository, its pull request
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1
    with store.engine.connect() as c:
        assert c.execute(sa.select(repositories.c.repo, repositories.c.installation_id)).all() == [
            ("acme/plano", bot.installation)]
    bot.work()
    assert fake_github.count("GET", r"^/app/installations$") == 1  # once per period


def test_failed_deliveries_are_redelivered_once_they_can_be(fake_github, tmp_path, store, serve_app):
    bot = Bot(fake_github, tmp_path, store, redelivery_minutes=30)
    served = serve_app(create_app(bot.settings, store, bot.metrics))
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    bot.app.hook_url = "http://127.0.0.1:9/webhook"  # the bot is down
    assert bot.app.send("pull_request", bot.pr_event(pull)) == 0
    bot.app.hook_url = served.url + "/webhook"  # back up
    assert bot.app.send("pull_request", bot.pr_event(pull, "edited")) == 202
    bot.work()  # the redelivery timer asks GitHub to send the first one again
    deadline = time.monotonic() + 10
    while len(bot.app.deliveries) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(bot.app.attempts) == 1
    redelivered = bot.app.deliveries[-1]
    assert redelivered["redelivery"] and redelivered["status_code"] == 202
    with store.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(deliveries)).scalar_one() == 2
    # the next period asks for nothing: every delivery has succeeded once
    with store.begin() as c:
        timers.schedule(c, "redeliver:next", "redeliver", utcnow())
    bot.work()
    assert len(bot.app.attempts) == 1
    with store.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(dirty)).scalar_one() == 0


def test_a_delivery_the_bot_has_is_not_asked_for_again(fake_github, tmp_path, store):
    bot = Bot(fake_github, tmp_path, store)
    bot.app.deliveries.append({"id": 5, "guid": "g-stored", "delivered_at": iso(), "redelivery": False,
                               "status_code": 504, "status": "timed out", "event": "push", "action": None,
                               "installation_id": bot.installation, "repository_id": 1, "body": b"{}",
                               "event_payload": {}})
    with store.begin() as c:
        c.execute(sa.insert(deliveries).values(guid="g-stored", event="push", received_at=utcnow()))
        timers.schedule(c, "redeliver:now", "redeliver", utcnow())
    bot.work()
    assert bot.app.attempts == []
    assert fake_github.count("GET", r"^/app/hook/deliveries$") == 1
