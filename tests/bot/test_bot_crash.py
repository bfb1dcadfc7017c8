"""Crash safety and replicas: `pepctl bot work` processes against the fake GitHub, killed with
SIGKILL mid-work, and two of them sharing one PostgreSQL database."""

from __future__ import annotations

import os
import signal
import time
from collections import defaultdict

import pytest
import sqlalchemy as sa
from botsetup import PEP_DIR, Bot, pep_text
from fakegithub import fake_github  # noqa: F401  (fixture)

from pepctl.bot import audit, queue
from pepctl.bot.events import Key
from pepctl.bot.models import dirty, timers
from pepctl.bot.store import Store, utcnow


def wait_for(condition, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def dirty_rows(store):
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(sa.select(dirty))]


def mark(bot, *numbers):
    with bot.store.begin() as c:
        queue.mark_dirty(c, [Key(bot.installation, "acme/plano", n) for n in numbers])


def test_a_worker_killed_mid_work_leaves_the_work_done_once_after_a_restart(fake_github, tmp_path, store):
    bot = Bot(fake_github, tmp_path, store)
    pull = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    mark(bot, pull.number)
    fake_github.delay = 0.3  # every request takes a while: time to kill it between two writes
    proc = bot.popen("work", PEPCTL_BOT_LEASE="2")
    try:
        wait_for(lambda: bot.summaries(pull.number) or proc.poll() is not None, what="the summary comment")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert bot.app.runs("acme/plano") == []  # killed before it got to the check run
    [row] = dirty_rows(store)
    assert row["lease_owner"] is not None  # still leased to the dead worker
    fake_github.delay = 0
    wait_for(lambda: fake_github.busy == 0, what="GitHub to finish what the dead worker sent")
    wait_for(lambda: dirty_rows(store)[0]["lease_until"] < utcnow(), what="the lease to run out")
    again = bot.popen("work", "--once", PEPCTL_BOT_LEASE="2")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert len(bot.summaries(pull.number)) == 1  # found by its marker, not written twice
    assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1
    assert pull.labels == ["pep: under review"]
    assert bot.fake.count("POST", r"/labels$") == 1
    assert dirty_rows(store) == []


def test_work_ends_with_status_1_once_its_worker_dies_of_an_unexpected_error(fake_github, tmp_path, sqlite_store):
    """Not the database being away (that is waited out) but an error no wait mends, here a timer
    row whose time no one can read: `pepctl bot work` neither lives on without its workers nor
    ends as if asked to stop, but with exit status 1 and one error line, for its supervisor to
    start it again."""
    bot = Bot(fake_github, tmp_path, sqlite_store)
    broken_timer(sqlite_store)
    proc = bot.popen("work")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    [line] = [line for line in err.splitlines() if " ERROR " in line]
    assert "pepctl bot work: 1 of 1 worker(s) stopped on an unexpected error (ValueError: " in line, err


def test_work_once_ends_with_status_1_and_one_error_line_on_an_unexpected_error(fake_github, tmp_path, sqlite_store):
    bot = Bot(fake_github, tmp_path, sqlite_store)
    broken_timer(sqlite_store)
    proc = bot.popen("work", "--once")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    [line] = [line for line in err.splitlines() if " ERROR " in line]
    assert "pepctl bot work --once: stopped on an unexpected error (ValueError: " in line, err
    assert not err.lstrip().startswith("Traceback")  # the error went through the log, not up to the command line


def broken_timer(store) -> None:
    """A timer row whose time no one can read: an error no wait mends."""
    with store.begin() as c:
        c.execute(sa.insert(timers).values(key="broken", kind="sweep", installation_id=0, repo="", number=0,
                                           due_at=utcnow()))
        c.exec_driver_sql("UPDATE bot_timers SET due_at = '2000-01-01 not a time' WHERE key = 'broken'")


@pytest.fixture
def pg_store(pg_server):
    s = Store(pg_server.new_database())
    s.migrate()
    yield s
    s.dispose()


def test_two_bot_processes_on_postgres_never_work_one_pr_at_once(fake_github, tmp_path, pg_store):
    bot = Bot(fake_github, tmp_path, pg_store)
    pulls = [bot.ws.pull({f"{PEP_DIR}/PEP-{40 + i:04d}-cache-things.md": pep_text(40 + i)}) for i in range(6)]
    numbers = [p.number for p in pulls]
    fake_github.delay = 0.01
    procs = [bot.popen("work", "--workers", "2", PEPCTL_BOT_LEASE="30") for _ in range(2)]
    try:
        end = time.monotonic() + 4
        while time.monotonic() < end:  # events keep coming for every pull request
            mark(bot, *numbers)
            time.sleep(0.15)
        wait_for(lambda: not dirty_rows(pg_store), timeout=120, what="the queue to empty")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
    runs = defaultdict(list)
    for entry in audit.entries(pg_store, "acme/plano", limit=10_000):
        assert entry["action"] == "gate", entry
        runs[entry["number"]].append((entry["detail"]["started"], entry["detail"]["ended"], entry["actor"]))
    assert sorted(runs) == numbers
    processes = {actor.rsplit(":", 1)[0] for spans in runs.values() for _, _, actor in spans}
    assert len(processes) == 2, processes  # both processes worked
    for number, spans in runs.items():
        spans.sort()
        for (_, ended, _), (started, _, _) in zip(spans, spans[1:]):
            assert ended <= started, f"#{number} was worked by two workers at once"
    for pull in pulls:  # and each was published once
        assert len(bot.summaries(pull.number)) == 1
        assert len(bot.app.runs("acme/plano", pull.head_sha)) == 1


def test_a_worker_outlives_a_database_outage(fake_github, tmp_path, pg_server, pg_store):
    """PostgreSQL refuses connections for a while (a restart, a failover): `pepctl bot work` says
    so in one line per try and carries on once it is back, instead of its workers ending."""
    import threading

    bot = Bot(fake_github, tmp_path, pg_store)
    first = bot.ws.pull({f"{PEP_DIR}/PEP-0042-cache-things.md": pep_text(42)})
    later = bot.ws.pull({f"{PEP_DIR}/PEP-0043-cache-things.md": pep_text(43)})
    proc = bot.popen("work", PEPCTL_BOT_POLL="1")
    lines = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    name = sa.make_url(pg_store.url).database
    admin = sa.create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    try:
        mark(bot, first.number)
        wait_for(lambda: bot.app.runs("acme/plano", first.head_sha) or proc.poll() is not None, what="the first PR")
        with admin.connect() as c:  # the database goes away
            c.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            c.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        wait_for(lambda: any("database" in line for line in lines if "listening" not in line) or proc.poll() is not None,
                 what="the worker to notice")
        with admin.connect() as c:  # and comes back
            c.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        mark(bot, later.number)
        wait_for(lambda: bot.app.runs("acme/plano", later.head_sha) or proc.poll() is not None, what="the later PR")
        assert proc.poll() is None, "".join(lines)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        admin.dispose()
    assert len(bot.app.runs("acme/plano", later.head_sha)) == 1
    assert not [line for line in lines if "Traceback" in line], "".join(lines)
