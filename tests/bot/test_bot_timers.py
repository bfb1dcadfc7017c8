"""Timers in the database (pepctl.bot.timers), and the periodic ones the workers fire: the sweep,
redelivery and pruning, each done once across restarts and replicas. The reminders and nudges
timers carry are tested in test_bot_reminders.py."""

from __future__ import annotations

import datetime
import time

import pytest
import sqlalchemy as sa
from botsetup import PEP_DIR, Bot, pep_text, schedule
from fakegithub import fake_github, iso  # noqa: F401  (fixture)

from pepctl.bot import audit, timers
from pepctl.bot.app import create_app
from pepctl.bot.models import deliveries, dirty, repositories
from pepctl.bot.models import timers as timers_table
from pepctl.bot.store import utcnow


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


@pytest.mark.parametrize("refused", [400, 413])
def test_a_delivery_the_bot_refused_is_not_asked_for_again(fake_github, tmp_path, store, refused):
    """A delivery the bot answered 400 or 413 would be refused again, however often it came: it is
    never asked for again (nor one refused so on its redelivery), while one answered 503 is."""
    bot = Bot(fake_github, tmp_path, store)
    bot.app.hook_url = "http://127.0.0.1:9/webhook"  # where the asked-for one goes: nowhere
    for number, guid, code, again in [(5, "g-refused", refused, False), (6, "g-unstored", 503, False),
                                      (7, "g-refused-later", 503, False), (8, "g-refused-later", refused, True)]:
        bot.app.deliveries.append({"id": number, "guid": guid, "delivered_at": iso(), "redelivery": again,
                                   "status_code": code, "status": f"Invalid HTTP Response: {code}", "event": "push",
                                   "action": None, "installation_id": bot.installation, "repository_id": 1,
                                   "body": b"{}", "event_payload": {}})
    with store.begin() as c:
        timers.schedule(c, "redeliver:now", "redeliver", utcnow())
    bot.work()
    assert bot.app.attempts == [6]
    [entry] = [e for e in audit.entries(store) if e["action"] == "redeliver"]
    assert entry["detail"]["asked"] == ["g-unstored"]


@pytest.mark.parametrize("kind, path", [("redeliver", "/app/hook/deliveries"), ("sweep", "/app/installations")])
def test_a_list_that_is_not_json_fails_the_timer_in_one_line(fake_github, tmp_path, store, caplog, kind, path):
    """A proxy's web page in place of GitHub's list: the timer waits for its retry, logged without
    a traceback."""
    bot = Bot(fake_github, tmp_path, store)
    fake_github.fail(200, method="GET", path=path, body=b"<html>Bad gateway</html>")
    with store.begin() as c:
        timers.schedule(c, f"{kind}:now", kind, utcnow())
    bot.work()
    [entry] = [e for e in audit.entries(store) if e["action"] == "timer-failed"]
    assert "GitHubError" in entry["detail"]["error"] and "not JSON" in entry["detail"]["error"]
    assert not [r for r in caplog.records if r.exc_info]
