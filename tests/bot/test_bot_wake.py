"""Idle workers are woken when work arrives, not left to find it at their next poll; and
`GET /metrics` of `serve` shows what workers in other processes did.

Every worker here polls only every 60 s (PEPCTL_BOT_POLL): a pull request decided within
WOKEN seconds was decided because the worker was woken. WOKEN is a generous bound that only
says "not by the poll" (this is a behaviour test, not a timing benchmark).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import httpx
import pytest
from botsetup import PEP_DIR, Bot, pep_text
from botwire import Served
from fakegithub import fake_github  # noqa: F401  (fixture)
from pgserver import free_port

from pepctl.bot import audit, wake
from pepctl.bot.app import create_app
from pepctl.bot.launch import halt
from pepctl.bot.store import Store
from pepctl.bot.worker import Worker

POLL = 60  # seconds: the workers' safety-net poll, far longer than any test waits
WOKEN = 30  # seconds: decided within this, the worker was woken (the poll would take 60)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


def new_pull(bot, number=42):
    return bot.ws.pull({f"{PEP_DIR}/PEP-{number:04d}-cache-things.md": pep_text(number)})


def gated(bot, pull) -> bool:
    return any(e["action"] == "gate" for e in audit.entries(bot.store, "acme/plano", pull.number))


@pytest.fixture
def pg_store(pg_server):
    s = Store(pg_server.new_database())
    s.migrate()
    yield s
    s.dispose()


def test_a_bell_wakes_every_waiter_and_a_ring_between_waits_is_not_lost():
    bell = wake.Bell()
    seen = bell.rung
    bell.ring()  # before anyone waits
    assert bell.wait(seen, timeout=POLL) is True  # at once: the ring counted
    assert bell.wait(bell.rung, timeout=0.05) is False
    woken = []
    seen = bell.rung
    threads = [threading.Thread(target=lambda: woken.append(bell.wait(seen, POLL))) for _ in range(3)]
    for thread in threads:
        thread.start()
    wait_for(lambda: bell.waiting == 3, 10, "three waiters")
    bell.ring()
    for thread in threads:
        thread.join(timeout=10)
    assert woken == [True, True, True]


def test_on_sqlite_in_one_process_a_stored_delivery_wakes_the_idle_worker(fake_github, tmp_path, sqlite_store):
    bot = Bot(fake_github, tmp_path, sqlite_store, poll_seconds=POLL)
    bell = wake.Bell()
    with Served(create_app(bot.settings, sqlite_store, bot.metrics, on_stored=bell.ring)) as served:
        bot.app.hook_url = served.url + "/webhook"
        worker = Worker(bot.settings, sqlite_store, bot.metrics, bot.auth, bell=bell)
        stop = threading.Event()
        thread = threading.Thread(target=lambda: __import__("asyncio").run(worker.run(stop)), daemon=True)
        thread.start()
        try:
            wait_for(lambda: bell.waiting == 1, 30, "the worker to find nothing and wait")
            pull = new_pull(bot)
            assert bot.app.send("pull_request", bot.pr_event(pull)) == 202
            wait_for(lambda: gated(bot, pull), WOKEN, "the pull request decided by the woken worker")
            assert len(bot.summaries(pull.number)) == 1
            # an event the bot has no use for marks nothing, and rings nothing
            rung = bell.rung
            assert bot.app.send("star", bot.payload(action="created")) == 200
            assert bell.rung == rung
        finally:
            halt(stop, bell)
            thread.join(timeout=30)
        assert not thread.is_alive()  # halt() woke it to stop, without waiting for its poll


def wait_healthy(url, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
        time.sleep(0.1)


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def stop(*procs):
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    errors = []
    for proc in procs:
        _, err = proc.communicate(timeout=90)
        errors.append(err)
    return errors


def test_serve_wakes_its_worker_process_and_shows_its_metrics(fake_github, tmp_path, sqlite_store):
    """The one-command deployment: `serve` on SQLite starts its workers in a process of its own."""
    bot = Bot(fake_github, tmp_path, sqlite_store)
    port = free_port()
    proc = bot.popen("serve", "--port", str(port), PEPCTL_BOT_POLL=str(POLL))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        bot.app.hook_url = url + "/webhook"
        # the worker process starts by asking GitHub for failed deliveries: then it is idle
        wait_for(lambda: any(e["action"] == "redeliver" for e in audit.entries(sqlite_store)), 60,
                 "the worker process to start")
        pull = new_pull(bot)
        assert bot.app.send("pull_request", bot.pr_event(pull)) == 202
        wait_for(lambda: gated(bot, pull), WOKEN, "the pull request decided by the woken worker process")
        # the worker process sends its counters to the web process every second
        wait_for(lambda: metric(httpx.get(url + "/metrics").text, 'pepctl_bot_processed_total{outcome="done"}') == 1,
                 30, "the worker process's counters in /metrics")
        text = httpx.get(url + "/metrics").text
        assert metric(text, "pepctl_bot_github_requests_total") > 0
        assert metric(text, 'pepctl_bot_audit_entries_total{action="gate"}') == 1
        assert metric(text, 'pepctl_bot_deliveries_total{result="accepted"}') == 1
        assert metric(text, "pepctl_bot_dirty") == 0
    finally:
        [err] = stop(proc)
    assert "pepctl bot: stopped" in err and "Traceback" not in err, err
    assert len(bot.summaries(pull.number)) == 1


def test_on_postgres_a_delivery_stored_by_one_process_wakes_a_worker_in_another(fake_github, tmp_path, pg_store):
    """`serve --workers 0` and `pepctl bot work` apart: NOTIFY wakes the worker, and the web
    process's /metrics shows its work from the database."""
    bot = Bot(fake_github, tmp_path, pg_store)
    port = free_port()
    web = bot.popen("serve", "--port", str(port), "--workers", "0")
    worker = bot.popen("work", PEPCTL_BOT_POLL=str(POLL))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, web)
        bot.app.hook_url = url + "/webhook"
        wait_for(lambda: any(e["action"] == "redeliver" for e in audit.entries(pg_store)), 60,
                 "the worker process to start")
        before = httpx.get(url + "/metrics").text
        assert metric(before, 'pepctl_bot_audit_entries_total{action="gate"}') == 0
        pulls = [new_pull(bot, 42), new_pull(bot, 43)]
        for pull in pulls:
            assert bot.app.send("pull_request", bot.pr_event(pull)) == 202
        wait_for(lambda: all(gated(bot, p) for p in pulls), WOKEN, "the pull requests decided by the woken worker")
        text = httpx.get(url + "/metrics").text
        assert metric(text, 'pepctl_bot_audit_entries_total{action="gate"}') == 2  # done in the other process
        assert metric(text, 'pepctl_bot_audit_entries_total{action="redeliver"}') == 1
        assert metric(text, "pepctl_bot_dirty") == 0
        assert metric(text, "pepctl_bot_dirty_oldest_seconds") == 0
    finally:
        errors = stop(web, worker)
    assert all("Traceback" not in err for err in errors), errors
    for pull in pulls:
        assert len(bot.summaries(pull.number)) == 1


def test_audit_counts_are_read_incrementally_and_stay_right(store):
    import datetime

    import sqlalchemy as sa

    from pepctl.bot.metrics import AUDIT_SETTLED, AuditCounts
    from pepctl.bot.models import audit as log
    from pepctl.bot.store import utcnow

    def add(action, age):
        with store.begin() as c:
            c.execute(sa.insert(log).values(at=utcnow() - datetime.timedelta(seconds=age), actor="w",
                                            action=action, detail="{}"))

    counts = AuditCounts()
    for action, age in [("gate", AUDIT_SETTLED * 3), ("gate", AUDIT_SETTLED * 2), ("failed", 0), ("gate", 0)]:
        add(action, age)
    with store.engine.connect() as c:
        assert counts.read(c) == {"gate": 3, "failed": 1}
    assert counts.counts == {"gate": 2}  # the settled entries, remembered: not read again
    add("gate", 0)
    with store.engine.connect() as c:
        assert counts.read(c) == {"gate": 4, "failed": 1}
        assert counts.read(c) == {"gate": 4, "failed": 1}  # reading again counts nothing twice


def test_metrics_of_two_processes_add_up():
    from pepctl.bot.metrics import Metrics

    web, workers = Metrics(), Metrics()
    web.github_requests.inc(2)
    workers.github_requests.inc(5)
    workers.processed.labels("done").inc(3)
    workers.process_seconds.observe(0.2)
    web.others["workers"] = workers.families()
    text = web.text().decode()
    assert metric(text, "pepctl_bot_github_requests_total") == 7
    assert metric(text, 'pepctl_bot_processed_total{outcome="done"}') == 3
    assert metric(text, "pepctl_bot_process_seconds_count") == 1
    assert metric(text, 'pepctl_bot_process_seconds_bucket{le="0.25"}') == 1
    assert text.count("# TYPE pepctl_bot_github_requests_total counter") == 1  # one family, not two


def worker_processes(pid: int) -> list[int]:
    """The worker processes `serve` (``pid``) started: its children spawned by multiprocessing
    (not its resource tracker)."""
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        children = [int(c) for c in handle.read().split()]
    found = []
    for child in children:
        with open(f"/proc/{child}/cmdline", "rb") as handle:
            if b"spawn_main" in handle.read():
                found.append(child)
    return found


def test_serve_starts_its_worker_process_again_when_it_dies(fake_github, tmp_path, sqlite_store):
    bot = Bot(fake_github, tmp_path, sqlite_store)
    port = free_port()
    proc = bot.popen("serve", "--port", str(port), PEPCTL_BOT_POLL=str(POLL))
    url = f"http://127.0.0.1:{port}"

    def starts():
        return sum(e["action"] == "redeliver" for e in audit.entries(sqlite_store))

    try:
        wait_healthy(url, proc)
        bot.app.hook_url = url + "/webhook"
        wait_for(lambda: starts() == 1, 60, "the worker process to start")
        [worker] = worker_processes(proc.pid)
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: starts() == 2, 90, "the worker process to be started again")
        assert worker not in worker_processes(proc.pid)
        pull = new_pull(bot)
        assert bot.app.send("pull_request", bot.pr_event(pull)) == 202
        wait_for(lambda: gated(bot, pull), WOKEN, "the pull request decided by the new worker process")
    finally:
        [err] = stop(proc)
    assert "the worker process ended" in err and "Traceback" not in err, err
