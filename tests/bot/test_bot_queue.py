"""Dirty work under leases (pepctl.bot.queue) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import threading

import sqlalchemy as sa

from pepctl.bot import queue
from pepctl.bot.events import Key
from pepctl.bot.models import dirty
from pepctl.bot.store import Store, utcnow


def mark(store, *numbers, repo="acme/plano"):
    with store.begin() as c:
        queue.mark_dirty(c, [Key(1, repo, n) for n in numbers])


def rows(store):
    with store.engine.connect() as c:
        return {r.number: dict(r._mapping) for r in c.execute(sa.select(dirty))}


def test_marking_coalesces_and_counts_generations(store):
    mark(store, 1, 2)
    mark(store, 1)
    mark(store, 1, 1)  # one key twice in one event counts once
    got = rows(store)
    assert {n: r["generation"] for n, r in got.items()} == {1: 3, 2: 1}


def test_claim_finish_and_a_newer_generation(store):
    mark(store, 5)
    item = queue.claim(store, "w1", 60)
    assert (item.repo, item.number, item.generation, item.attempts) == ("acme/plano", 5, 1, 1)
    assert queue.claim(store, "w2", 60) is None  # leased
    mark(store, 5)  # an event while w1 works
    assert queue.finish(store, item) is False
    again = queue.claim(store, "w2", 60)
    assert again.generation == 2 and again.attempts == 1
    assert queue.finish(store, again) is True and rows(store) == {}


def test_an_expired_lease_is_claimed_again_and_the_old_owner_cannot_finish(store):
    mark(store, 5)
    old = queue.claim(store, "dead", 60)
    later = utcnow() + datetime.timedelta(seconds=61)
    new = queue.claim(store, "alive", 60, now=later)
    assert new is not None and new.id == old.id and new.attempts == 2
    assert queue.renew(store, old, 60) is False
    assert queue.finish(store, old) is False  # not its row any more
    assert rows(store)[5]["lease_owner"] == "alive"
    assert queue.finish(store, new) is True


def test_fail_waits_longer_each_time(store):
    mark(store, 5)
    item = queue.claim(store, "w", 60)
    first = queue.fail(store, item, "boom")
    assert 59 <= (first - utcnow()).total_seconds() <= 61
    assert queue.claim(store, "w", 60) is None
    item = queue.claim(store, "w", 60, now=first + datetime.timedelta(seconds=1))
    second = queue.fail(store, item, "boom")
    assert 119 <= (second - utcnow()).total_seconds() <= 121
    assert rows(store)[5]["last_error"] == "boom"


def test_concurrent_claimers_never_share_a_row(store):
    mark(store, *range(1, 41))
    claimed: dict[str, list[int]] = {}
    errors = []

    def claimer(name):
        own = Store(store.url)  # a connection pool of its own, as another process would have
        try:
            while True:
                item = queue.claim(own, name, 60)
                if item is None:
                    return
                claimed.setdefault(name, []).append(item.number)
        except Exception as err:  # noqa: BLE001
            errors.append(err)
        finally:
            own.dispose()

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    numbers = [n for got in claimed.values() for n in got]
    assert sorted(numbers) == list(range(1, 41))  # each row once, none twice


def test_depth(store):
    mark(store, 1, 2, 3)
    queue.claim(store, "w", 60)
    assert queue.depth(store) == (3, 1)


def test_a_batch_is_stored_in_one_transaction_once_per_id(store):
    from pepctl.bot.events import Outcome
    from pepctl.bot.queue import Incoming, accept_many

    def incoming(guid, number):
        return Incoming(guid, "pull_request", "edited", Outcome(True, "x", [Key(1, "acme/plano", number)]), 1,
                        "acme/plano")

    assert accept_many(store, [incoming("a", 1)]) == [True]
    got = accept_many(store, [incoming("a", 1), incoming("b", 1), incoming("b", 1), incoming("c", 2)])
    assert got == [False, True, False, True]  # a: stored before; the second b: the same delivery twice
    assert {n: r["generation"] for n, r in rows(store).items()} == {1: 2, 2: 1}  # a once, b once; c


def test_a_row_waits_until_its_events_settle_but_not_forever(store):
    mark(store, 5)
    now = utcnow()
    assert queue.claim(store, "w", 60, now=now, settle=1) is None  # an event just came
    assert queue.claim(store, "w", 60, now=now + datetime.timedelta(seconds=2), settle=1) is not None
    mark(store, 6)
    for second in range(1, 40):  # an event every second: never quiet for long
        with store.begin() as c:
            c.execute(sa.update(dirty).where(dirty.c.number == 6).values(
                last_at=now + datetime.timedelta(seconds=second)))
        later = now + datetime.timedelta(seconds=second, milliseconds=500)
        item = queue.claim(store, "w", 60, now=later, settle=1, max_wait=30)
        if item is not None:
            break
    assert item.number == 6 and 30 <= second <= 32


def test_a_batch_of_deliveries_stores_each_once_and_marks_each_pull_request_once(store):
    from pepctl.bot.events import Outcome
    from pepctl.bot.models import deliveries

    def incoming(guid, *keys, handled=True):
        return queue.Incoming(guid, "pull_request", "synchronize", Outcome(handled, "x", list(keys)), 1, "acme/plano")

    assert queue.accept_many(store, [incoming("a", Key(1, "acme/plano", 7))]) == [True]
    batch = [incoming("a", Key(1, "acme/plano", 7)),  # stored before: marks nothing
             incoming("b", Key(1, "acme/plano", 7), Key(1, "acme/plano", 8)),
             incoming("b", Key(1, "acme/plano", 7)),  # the same id twice in one batch: once
             incoming("c", Key(2, "acme/plano", 7)),  # the repository moved to another installation
             incoming("d", handled=False)]
    assert queue.accept_many(store, batch) == [False, True, False, True, True]
    got = rows(store)
    assert {n: r["generation"] for n, r in got.items()} == {7: 3, 8: 1}
    assert got[7]["installation_id"] == 2
    with store.engine.connect() as c:
        stored = c.execute(sa.select(deliveries.c.guid, deliveries.c.handled, deliveries.c.received_at)).all()
    assert sorted((g, h) for g, h, _ in stored) == [("a", 1), ("b", 1), ("c", 1), ("d", 0)]
    assert all(isinstance(when, datetime.datetime) for _, _, when in stored)
    # what the hot path wrote, the claim reads: the row is due now
    assert queue.claim(store, "w", 60, now=utcnow() + datetime.timedelta(seconds=1)).number == 7
